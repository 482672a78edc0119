export * from './asl';
export * from './constructs';
export {
  checkRolePermissions, PermissionCodes, permissionsForTask, permissionsForDistributedMap, rolePoliciesFromTemplate, accessDeniedError,
  evaluate as evaluatePolicy, SDK_IAM_PREFIXES, SDK_SAME_PREFIX, resourceFactsFromTemplate, coveredIntegrations,
} from './iam';
export type {
  PermissionCheck, PermissionFinding, PermissionReport, PermissionCode, RoleCheckOptions, PolicyStatement, PolicyCondition,
  SourcedStatement, RolePolicies, AccessRequest, Decision, Evaluation, Requirement, IntegrationPermissions, TaskContext,
  IntegrationPattern, AccessDeniedError, TemplateRoleOptions, ValueResolver, PermissionsBoundary, ResourceFacts, EncryptionKey,
  KeyPolicy, CarriedRoles, TemplateFactsOptions, CoveredIntegration,
} from './iam';
export * from './render';
