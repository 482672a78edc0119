export {
  compileStateMachine, StateMachine, Execution, TaskDoesNotExistError, TaskTimedOutError, InvalidOutputError,
  InvalidExecutionInputError, ValidationException, InvalidOptionError,
} from './state-machine';
export { VirtualClock, RealClock } from './clock';
export type { VirtualClockOptions } from './clock';
export type { Clock } from './clock';
export type { HistoryEvent } from './history-recorder';
export type {
  CompileOptions, StartOptions, ExecutionResult, ExecutionStatus, ExecutionLimits, CompletedChildren, ChildExecutionUsage, ChildExecutionFailure,
  TaskHandler, TaskRequest, ExecutionControl, RequestCheck,
} from './execution-types';
export { ObjectStoreError } from './object-store';
export type { ObjectStore, ObjectPage, ObjectWriter, StoredObject, LocalS3, ObjectStoreErrorCode } from './object-store';
export { StatesError, StatesErrors, DefinitionError } from '../asl/states-errors';
export { InvalidDefinitionError } from '../asl/validate';
export type { Finding } from '../asl/validate';
export type { CancelSignal } from './cancel';
export { seededRandom, mathRandom } from '../asl/random';
export type { RandomSource, DrawKind } from '../asl/random';
export type * from '../asl/definition-types';
export type * from '../asl/history-event-types';
