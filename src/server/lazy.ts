/*
 * The validator and the interpreter, loaded when first needed (a state machine
 * created, an execution run, a task routed) rather than when the server starts.
 * With the JSONata and JSONPath engines behind them they are most of the code
 * the server would otherwise load before it can answer its first request, and
 * `stepwright serve` is started by test setups that wait for that answer.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- synchronous loads, deferred to first use */

type Validator = typeof import('../asl/validate');
type Interpreter = typeof import('../interpreter/state-machine');
type TaskState = typeof import('../interpreter/states/task');
type History = typeof import('../interpreter/history-recorder');
type Cost = typeof import('../cost');
type Contracts = typeof import('../contracts/validate');
type S3Tasks = typeof import('../workbench/s3/s3-tasks');
type MockChecks = typeof import('../workbench/mocks/validation');
type RequestChecks = typeof import('../workbench/mocks/request-check');
type ConsoleViews = typeof import('./console/views');

let validatorModule: Validator | undefined;
let interpreterModule: Interpreter | undefined;
let taskStateModule: TaskState | undefined;
let historyModule: History | undefined;
let costModule: Cost | undefined;
let contractsModule: Contracts | undefined;
let s3TasksModule: S3Tasks | undefined;
let mockChecksModule: MockChecks | undefined;
let requestChecksModule: RequestChecks | undefined;
let consoleViewsModule: ConsoleViews | undefined;

/** `asl/validate`, loaded on first use. @internal */
export function validator(): Validator {
  return validatorModule ??= require('../asl/validate') as Validator;
}

/** `interpreter/state-machine`, loaded on first use. @internal */
export function interpreter(): Interpreter {
  return interpreterModule ??= require('../interpreter/state-machine') as Interpreter;
}

/** `interpreter/states/task` (how a Task's resource is classified), loaded on first use. @internal */
export function taskState(): TaskState {
  return taskStateModule ??= require('../interpreter/states/task') as TaskState;
}

/** The console's execution view and comparison (render's and the diff's code), loaded when a page first asks. @internal */
export function consoleViews(): ConsoleViews {
  return consoleViewsModule ??= require('./console/views') as ConsoleViews;
}

/** `workbench/s3/s3-tasks` (S3 Tasks on the local S3), loaded on first use. @internal */
export function s3Tasks(): S3Tasks {
  return s3TasksModule ??= require('../workbench/s3/s3-tasks') as S3Tasks;
}

/** `interpreter/history` (to read a history back from the journal), loaded on first use. @internal */
export function history(): History {
  return historyModule ??= require('../interpreter/history-recorder') as History;
}

/** `cost` (prices and the Express eligibility, which uses the validator), loaded on first use: with `cost` only. @internal */
export function cost(): Cost {
  return costModule ??= require('../cost') as Cost;
}

/** `contracts/validate` (what the service contracts refuse in a definition), loaded on first use. @internal */
export function contracts(): Contracts {
  return contractsModule ??= require('../contracts/validate') as Contracts;
}

/** `workbench/mocks/validation` (a mock's answer against the service contracts), loaded with the first mock it checks. @internal */
export function mockChecks(): MockChecks {
  return mockChecksModule ??= require('../workbench/mocks/validation') as MockChecks;
}

/** `workbench/mocks/request-check` (a Task's request against the service contracts), loaded with the first Task it checks. @internal */
export function requestChecks(): RequestChecks {
  return requestChecksModule ??= require('../workbench/mocks/request-check') as RequestChecks;
}
