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
type History = typeof import('../interpreter/history-recorder');
type Cost = typeof import('../cost');
type Contracts = typeof import('../contracts/validate');
type ConsoleViews = typeof import('./console/views');
type Workflows = typeof import('../workbench/workflow/engine');
type Deliveries = typeof import('../workbench/workflow/delivery');
type Nested = typeof import('../workbench/workflow/nested');
type MockConfigReader = typeof import('../workbench/mocks/mock-config');
type ClosedTokensModule = typeof import('../interpreter/closed-tokens');

let validatorModule: Validator | undefined;
let interpreterModule: Interpreter | undefined;
let historyModule: History | undefined;
let costModule: Cost | undefined;
let contractsModule: Contracts | undefined;
let consoleViewsModule: ConsoleViews | undefined;
let workflowsModule: Workflows | undefined;
let deliveriesModule: Deliveries | undefined;
let nestedModule: Nested | undefined;
let mockConfigModule: MockConfigReader | undefined;
let closedTokensModule: ClosedTokensModule | undefined;

/** `asl/validate`, loaded on first use. @internal */
export function validator(): Validator {
  return validatorModule ??= require('../asl/validate') as Validator;
}

/** `interpreter/state-machine`, loaded on first use. @internal */
export function interpreter(): Interpreter {
  return interpreterModule ??= require('../interpreter/state-machine') as Interpreter;
}

/** `workbench/workflow/engine`, what every door runs its runs with (and the interpreter behind it), loaded on first use. @internal */
export function workflows(): Workflows {
  return workflowsModule ??= require('../workbench/workflow/engine') as Workflows;
}

/** `workbench/workflow/delivery` (at-least-once delivery's cuts), loaded on first use. @internal */
export function delivery(): Deliveries {
  return deliveriesModule ??= require('../workbench/workflow/delivery') as Deliveries;
}

/** `workbench/workflow/nested` (what a `states:startExecution` Task starts and answers), loaded with the first Task that asks. @internal */
export function nested(): Nested {
  return nestedModule ??= require('../workbench/workflow/nested') as Nested;
}

/** The console's execution view and comparison (render's and the diff's code), loaded when a page first asks. @internal */
export function consoleViews(): ConsoleViews {
  return consoleViewsModule ??= require('./console/views') as ConsoleViews;
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


/** The MockConfigFile's reader, loaded with the first mock configuration given. @internal */
export function mockConfigReader(): MockConfigReader {
  return mockConfigModule ??= require('../workbench/mocks/mock-config') as MockConfigReader;
}

/**
 * `interpreter/closed-tokens` (the memory of closed tasks' tokens, and how one refuses an answer),
 * loaded when the first Task that holds a token closes: an execution runs by then. @internal
 */
export function closedTokens(): ClosedTokensModule {
  return closedTokensModule ??= require('../interpreter/closed-tokens') as ClosedTokensModule;
}
