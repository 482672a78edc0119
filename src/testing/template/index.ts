export { PublishedVersions, TemplateError } from '../../cfn';
export type { InlineCode, ResolveOptions, ResourceRef, TemplateErrorCode } from '../../cfn';
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
