// What AWS requires before a Task may call a service: the permission table
// of the Step Functions integrations and an identity-policy evaluator.
// Imports asl/ only, so the CDK Aspect and the jest harness share it.
export { evaluate, wildcardMatches, actionMatches, describeStatement } from './policy';
export type { PolicyStatement, PolicyCondition, SourcedStatement, RolePolicies, AccessRequest, Decision, Evaluation, PermissionsBoundary } from './policy';
export { permissionsForTask, permissionsForDistributedMap, permissionsForStateMachine, lambdaFunctionArn, queueArn, coveredIntegrations } from './integrations';
export type { Requirement, IntegrationPermissions, TaskContext, IntegrationPattern, CoveredIntegration } from './integrations';
export { SDK_IAM_PREFIXES, SDK_SAME_PREFIX, SDK_SERVICES } from './sdk';
export type { SdkService } from './sdk';
export type { ResourceFacts, EncryptionKey, KeyPolicy, CarriedRoles } from './facts';
export { resourceFactsFromTemplate } from './template-facts';
export type { TemplateFactsOptions } from './template-facts';
export { checkRolePermissions, PermissionCodes } from './check';
export type { PermissionCheck, PermissionFinding, PermissionReport, PermissionCode, RoleCheckOptions } from './check';
export { accessDeniedError } from './access-denied';
export type { AccessDeniedError } from './access-denied';
export { rolePoliciesFromTemplate } from './template-role';
export type { TemplateRoleOptions, ValueResolver } from './template-role';
