export * from './errors';
export { extractStateMachines, selectStateMachine } from './extract';
export type { ExtractedStateMachine, ExtractOptions } from './extract';
export type { ResolveOptions, ResourceRef, InlineCode } from './resolver';
export { cloudAssemblyStacks, templateFromCdkOut, templateFromStack } from './sources';
export type { CloudAssemblyStack, TemplateSource, SynthOptions } from './sources';
export { PublishedVersions } from './published-versions';
export { extractVersionedStateMachines, selectVersionOrAlias } from './versions';
export type {
  ExtractedStateMachineVersion, ExtractedStateMachineAlias, ExtractedAliasRoute, ExtractedDeploymentPreference,
  VersionedStateMachine, QualifierSelection, SelectedQualifier,
} from './versions';
export type { QualifiedWorkflowOptions, WorkflowQualifier } from './qualified-workflow';
