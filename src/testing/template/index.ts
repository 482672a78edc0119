export * from './errors';
export { extractStateMachines, selectStateMachine } from './extract';
export type { ExtractedStateMachine, ExtractOptions } from './extract';
export type { ResolveOptions, ResourceRef } from './resolver';
export { templateFromCdkOut, templateFromStack } from './sources';
export type { TemplateSource, SynthOptions } from './sources';
