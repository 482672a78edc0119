export { TemplateError } from '../../cfn/template-error';
export type { TemplateErrorCode } from '../../cfn/template-error';
export { PublishedVersions } from '../../cfn/published-versions';
export type { InlineCode, LambdaFunctionRef, ResolveOptions, ResourceRef } from '../../cfn/resolver';
export { extractStateMachines, selectStateMachine } from './extract';
export type { ExtractedStateMachine, ExtractOptions } from './extract';
export { cloudAssemblyStacks, templateFromCdkOut, templateFromStack } from './sources';
export type { CloudAssemblyStack, TemplateSource, SynthOptions } from './sources';
export { extractVersionedStateMachines, selectVersionOrAlias } from './versions';
export type {
  ExtractedStateMachineVersion, ExtractedStateMachineAlias, ExtractedAliasRoute, ExtractedDeploymentPreference,
  VersionedStateMachine, QualifierSelection, SelectedQualifier,
} from './versions';
export type { QualifiedWorkflowOptions, WorkflowQualifier } from './qualified-workflow';
/** @internal */
export { checkTemplateMachine, checkWorkflowPermissions } from './iam-workflow';
/** @internal */
export { recordWorkflowSource, workflowSourceOf } from './workflow-sources';
/** @internal */
export { templateLoggingRefusal, templateMachineConfiguration } from './configuration';
/** @internal */
export type { TemplateLoggingRefusal, TemplateMachineConfiguration } from './configuration';
/** @internal */
export { selectQualified } from './qualified-workflow';
/** @internal */
export { assemblyStacksGiven, templateFromFile, withSourceOptions } from './sources';
/** @internal */
export { asCloudFormation } from './other-tools';
/** @internal */
export { declaredParameters, stacksTakingParameters, undeclaredParametersRefusal } from '../../cfn';
export { cleanupSynthOutput } from './synth-output';
/** @internal */
export { parametersOfJson, ParameterOverridesError } from '../common/parameter-overrides';
export type { SamConfigOptions } from './samconfig';
/** @internal */
export { samConfigValues, SamConfigError } from './samconfig';
