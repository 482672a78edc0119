/**
 * The workflow room of workbench/: the engine that runs one machine with its mocks, its sessions,
 * options, a run's result and history, at-least-once delivery and nested executions.
 * Other layers and rooms import it through this file, or through a door listed in
 * test/layers.ts (SURFACES).
 */
export { InvalidDeliveryError } from './delivery';
export type { AtLeastOnceDelivery, DeliveryOptions, Redelivery } from './delivery';
/** @internal */
export type { DeliveryPlan, RestartCut } from './delivery';
export type { WorkflowEngine } from './engine';
/** @internal */
export type { UncountedRun } from './engine';
/** @internal */
export { templateRoom } from './lazy-rooms';
export { engineFromCdkOut, engineFromDefinition, engineFromStack, engineFromTemplate } from './load';
export type { CheckSettings, ChildRegistry, ChildWorkflow, DefinitionOptions, FromStackOptions, MockConfigOptions, RunSettings, TemplateParameter, WorkflowExploreOptions, WorkflowOptions, WorkflowVerifyOptions } from './options';
export type { AttemptStatus, RunHistoryEvent, StateAttempt } from './run-history';
/** @internal */
export { mockConfigMachine } from './session';
/** @internal */
export type { DoorDispatcher, Launched, SessionParts } from './session';
export { WorkflowRun } from './workflow-run';
export type { MapRunItemCounts } from './workflow-run';
/** @internal */
export type { WorkflowRunData } from './workflow-run';
