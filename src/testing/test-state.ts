import { checkWorkflowPermissions, deniedOf } from './iam-workflow';
import { StatesError } from '../asl/errors';
import { compilePath, compileResultPath, type PathScope } from '../asl/path';
import { compilePayloadTemplate } from '../asl/payload';
import type { JsonObject, JsonValue, StateDefinition, StateMachineDefinition } from '../asl/types';
import { VariableStore } from '../asl/variables';
import type { PolicyStatement } from '../iam/policy';
import { errorMatches, retryDelayMs, compileRetrier } from '../interpreter/retry';
import { compileStateMachine } from '../interpreter/state-machine';
import type { ExecutionResult, TaskRequest } from '../interpreter/types';
import { allStates } from './coverage/analyze';

/** How much a {@link testState} call reports, as in AWS's TestState API. */
export type InspectionLevel = 'INFO' | 'DEBUG' | 'TRACE';

/** How the tested state ended, as in AWS's TestState API. */
export type TestStateStatus = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';

/** A mocked Task failure. */
export interface MockError {
  readonly error: string;
  readonly cause?: string;
}

/** The state machine a state tested alone is taken to belong to (an HTTP Task is authorized on it). */
const TEST_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:TestState';

/** Options of {@link testState}. */
export interface TestStateOptions {
  /**
   * What the Task's resource returns: a value, or `{ error, cause }` (an
   * object with only those string fields) to make it fail.
   * @default - required for a Task state
   */
  readonly mock?: JsonValue | MockError;
  /**
   * The role's policy statements: when they do not allow what the Task
   * needs, the Task fails with the AccessDenied error AWS would report
   * instead of returning `mock` (as TestState does with a real role).
   * @default - permissions are not checked
   * @example await testState(def, 'Save', input, { mock: {}, permissions: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: tableArn }] })
   */
  readonly permissions?: readonly PolicyStatement[];
  /**
   * `DEBUG` (or `TRACE`, the same here: there is no HTTP call) adds
   * `inspectionData` with each stage of the state's data flow.
   * @default 'INFO'
   */
  readonly inspectionLevel?: InspectionLevel;
  /** Variables visible to the state. @default {} */
  readonly variables?: Record<string, JsonValue>;
  /**
   * The Context Object used for `$$` when computing `inspectionData`.
   * @default - the Context Object the interpreter gives the state
   */
  readonly context?: JsonObject;
  /** Accepted for parity with AWS; nothing is hidden locally, so it changes nothing. */
  readonly revealSecrets?: boolean;
  /**
   * Retries already made by the retrier that matches the error (AWS's
   * `stateConfiguration.retrierRetryCount`): once it reaches the retrier's
   * MaxAttempts the error is no longer RETRIABLE.
   * @default 0
   */
  readonly retrierRetryCount?: number;
}

/** Details of a handled error, as AWS's `InspectionErrorDetails`. */
export interface InspectionErrorDetails {
  readonly catchIndex?: number;
  readonly retryIndex?: number;
  readonly retryBackoffIntervalSeconds?: number;
}

/**
 * Each stage of the state's data flow. AWS returns these as JSON strings;
 * here they are JSON values.
 */
export interface InspectionData {
  readonly input: JsonValue;
  readonly afterInputPath?: JsonValue;
  readonly afterParameters?: JsonValue;
  readonly afterArguments?: JsonValue;
  readonly result?: JsonValue;
  readonly afterResultSelector?: JsonValue;
  readonly afterResultPath?: JsonValue;
  /** The variables after the state ran (its Assign applied). */
  readonly variables?: Record<string, JsonValue>;
  readonly errorDetails?: InspectionErrorDetails;
}

/** The outcome of {@link testState}, shaped as AWS's TestState response (values parsed, not strings). */
export interface TestStateResult {
  readonly status: TestStateStatus;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  /** The state the execution would go to next; absent when it would end or fail. */
  readonly nextState?: string;
  /** With inspectionLevel DEBUG or TRACE. */
  readonly inspectionData?: InspectionData;
}

/** A testState call that cannot run as asked. */
export class TestStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TestStateError';
  }
}

/** A name no real state has, for the stand-ins of the states the tested one leads to. */
const EDGE = '__stepwright_next_';

interface Edge {
  readonly name: string;
  readonly target: string | undefined;
}

function isMockError(mock: unknown): mock is MockError {
  if (mock === null || typeof mock !== 'object' || Array.isArray(mock)) return false;
  const keys = Object.keys(mock);
  return typeof (mock as MockError).error === 'string' && keys.every((k) => k === 'error' || (k === 'cause' && typeof (mock as MockError).cause === 'string'));
}

function findState(definition: StateMachineDefinition | StateDefinition, stateName: string): { state: StateDefinition; language: 'JSONPath' | 'JSONata' } {
  if (typeof (definition as StateDefinition).Type === 'string') {
    const state = definition as StateDefinition;
    return { state, language: state.QueryLanguage ?? 'JSONPath' };
  }
  const machine = definition as StateMachineDefinition;
  if (!machine || typeof machine.States !== 'object') {
    throw new TestStateError('testState: definition must be a state machine (with States) or a single state (with Type)');
  }
  const state = allStates(machine).get(stateName);
  if (!state) {
    throw new TestStateError(`testState: no state named '${stateName}'; the definition has ${[...allStates(machine).keys()].map((n) => `'${n}'`).join(', ')}`);
  }
  return { state, language: state.QueryLanguage ?? machine.QueryLanguage ?? 'JSONPath' };
}

/** The variables visible after a transition: the given ones and those its Assign sets. */
function variableNames(initial: Record<string, JsonValue>, assign: unknown): string[] {
  const names = new Set(Object.keys(initial));
  if (assign && typeof assign === 'object') for (const k of Object.keys(assign)) names.add(k.endsWith('.$') ? k.slice(0, -2) : k);
  return [...names];
}

/** A stand-in next state that outputs the tested state's output and the variables then set. */
function captureState(language: 'JSONPath' | 'JSONata', names: readonly string[]): StateDefinition {
  if (language === 'JSONata') {
    const vars = names.map((n) => `'${n}': $exists($${n}) ? $${n} : null`).join(', ');
    return { Type: 'Pass', Output: `{% {'output': $states.input, 'variables': {${vars}}} %}`, End: true } as unknown as StateDefinition;
  }
  const vars: Record<string, string> = {};
  for (const n of names) vars[`${n}.$`] = `$${n}`;
  return { Type: 'Pass', Parameters: { 'output.$': '$', 'variables': vars }, End: true } as unknown as StateDefinition;
}

/** The one-state machine: the state, with its transitions redirected to capturing stand-ins. */
function oneStateMachine(
  name: string, state: StateDefinition, language: 'JSONPath' | 'JSONata', withCatch: boolean, initial: Record<string, JsonValue>,
): { def: StateMachineDefinition; edges: Edge[] } {
  const edges: Array<Edge & { names: string[] }> = [];
  const edge = (target: string | undefined, assign: unknown): string => {
    const e = { name: `${EDGE}${edges.length}`, target, names: variableNames(initial, assign) };
    edges.push(e);
    return e.name;
  };
  const copy: Record<string, unknown> = { ...state };
  delete copy.Retry;
  delete copy.End;
  if (state.Type === 'Choice') {
    copy.Choices = state.Choices.map((r) => ({ ...r, Next: edge(r.Next, r.Assign) }));
    if (state.Default !== undefined) copy.Default = edge(state.Default, state.Assign);
  } else if (state.Type !== 'Succeed' && state.Type !== 'Fail') {
    copy.Next = edge('Next' in state ? state.Next : undefined, state.Assign);
  }
  if ('Catch' in state && state.Catch) {
    if (withCatch) copy.Catch = state.Catch.map((c) => ({ ...c, Next: edge(c.Next, c.Assign) }));
    else delete copy.Catch;
  }
  const states: Record<string, StateDefinition> = { [name]: copy as unknown as StateDefinition };
  for (const e of edges) states[e.name] = captureState(language, e.names);
  return { def: { StartAt: name, QueryLanguage: language, States: states } as StateMachineDefinition, edges };
}

interface Captured {
  request?: TaskRequest;
}

async function runOnce(name: string, state: StateDefinition, language: 'JSONPath' | 'JSONata', withCatch: boolean, input: JsonValue, options: TestStateOptions, captured: Captured): Promise<{ run: ExecutionResult; edges: Edge[] }> {
  const { def, edges } = oneStateMachine(name, state, language, withCatch, options.variables ?? {});
  const machine = compileStateMachine(def, {
    defaultTaskHandler: (_payload, request) => {
      captured.request = request;
      const mock = options.mock;
      if (isMockError(mock)) throw new StatesError(mock.error, mock.cause);
      return mock as JsonValue;
    },
  });
  const run = await machine.start(input, { variables: options.variables }).result;
  return { run, edges };
}

/**
 * Runs one state the way AWS's TestState API does and returns its response:
 * the output or error, the next state, and a status that tells a retriable
 * error (RETRIABLE) and a caught one (CAUGHT_ERROR) from a plain failure.
 * The state runs once: a matching Retry is reported, not performed.
 *
 * @param definition a whole state machine, or a single state
 * @param stateName the state to run (any name, for a single state)
 * @param input the state's input
 *
 * @example
 * const r = await testState(definition, 'Charge', { amount: 5 }, { mock: { id: 'ch_1' }, inspectionLevel: 'DEBUG' });
 * expect(r).toMatchObject({ status: 'SUCCEEDED', nextState: 'Ship', inspectionData: { afterParameters: { amount: 5 } } });
 */
export async function testState(
  definition: StateMachineDefinition | StateDefinition, stateName: string, input: JsonValue = {}, options: TestStateOptions = {},
): Promise<TestStateResult> {
  const { state, language } = findState(definition, stateName);
  if (state.Type === 'Map' || state.Type === 'Parallel') {
    throw new TestStateError(`testState: '${stateName}' is a ${state.Type} state; run the whole workflow with Workflow.run to test it`);
  }
  if (state.Type === 'Task' && options.mock === undefined) {
    throw new TestStateError(`testState: Task '${stateName}' needs options.mock, the result of ${state.Resource} (or { error, cause } to make it fail)`);
  }
  if (state.Type === 'Task' && options.permissions) {
    const name = stateName || 'State';
    const alone = { definition: { StartAt: name, States: { [name]: state } }, arn: TEST_STATE_MACHINE_ARN };
    const report = checkWorkflowPermissions(alone, options.permissions);
    const denied = deniedOf(report, undefined).get(name);
    if (denied) options = { ...options, mock: denied };
  }
  const level = options.inspectionLevel ?? 'INFO';
  if (level !== 'INFO' && level !== 'DEBUG' && level !== 'TRACE') {
    throw new TestStateError(`testState: inspectionLevel must be 'INFO', 'DEBUG' or 'TRACE', got ${JSON.stringify(level)}`);
  }
  const name = stateName || 'State';
  const captured: Captured = {};
  const first = await runOnce(name, state, language, false, input, options, captured);
  let response: Captures & { status: TestStateStatus; error?: string; cause?: string };
  let errorDetails: InspectionErrorDetails | undefined;
  if (first.run.status === 'SUCCEEDED') {
    response = { status: 'SUCCEEDED', ...fromCapture(first.run, first.edges) };
  } else {
    const error = first.run.error ?? '';
    const cause = first.run.cause;
    const retry = retriable(state, error, options.retrierRetryCount ?? 0);
    const catchIndex = 'Catch' in state && state.Catch ? state.Catch.findIndex((c) => errorMatches(c.ErrorEquals, error)) : -1;
    if (retry) {
      response = { status: 'RETRIABLE', error, cause };
      errorDetails = retry;
    } else if (catchIndex >= 0) {
      const second = await runOnce(name, state, language, true, input, options, {});
      response = { status: 'CAUGHT_ERROR', error, cause, ...fromCapture(second.run, second.edges) };
      errorDetails = { catchIndex };
    } else {
      response = { status: 'FAILED', error, cause };
    }
  }
  const { variables, ...out } = response;
  const result: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(out)) if (v !== undefined) result[k] = v;
  if (level !== 'INFO') {
    result.inspectionData = {
      ...stages(state, language, input, options, captured, first.run.status === 'SUCCEEDED'),
      variables: variables ?? { ...(options.variables ?? {}) },
      ...(errorDetails ? { errorDetails } : {}),
    };
  }
  return result as unknown as TestStateResult;
}

/** What the run tells about the state: its output, where it goes next, and the variables then. */
interface Captures {
  output?: JsonValue;
  nextState?: string;
  variables?: Record<string, JsonValue>;
}

function fromCapture(run: ExecutionResult, edges: readonly Edge[]): Captures {
  const last = run.path[run.path.length - 1];
  const edge = edges.find((e) => e.name === last);
  if (!edge) return { output: run.output };
  const captured = run.output as { output: JsonValue; variables: Record<string, JsonValue> };
  return { output: captured.output, nextState: edge.target, variables: captured.variables };
}

function retriable(state: StateDefinition, error: string, retried: number): InspectionErrorDetails | undefined {
  const retriers = 'Retry' in state ? state.Retry ?? [] : [];
  for (let i = 0; i < retriers.length; i++) {
    if (!errorMatches(retriers[i].ErrorEquals, error)) continue;
    const r = compileRetrier(retriers[i]);
    // As in the engine, the first matching retrier decides, and an exhausted one ends retrying.
    if (retried >= r.maxAttempts) return undefined;
    return { retryIndex: i, retryBackoffIntervalSeconds: Math.round(retryDelayMs({ ...r, jitter: false }, retried, () => 1) / 1000) };
  }
  return undefined;
}

/**
 * The data-flow stages of the state, for inspectionData. Computed with the
 * same path and template primitives the interpreter uses; a stage that fails
 * (the run reports the error) ends the list.
 */
function stages(state: StateDefinition, language: 'JSONPath' | 'JSONata', input: JsonValue, options: TestStateOptions, captured: Captured, succeeded: boolean): Partial<InspectionData> {
  const out: Record<string, JsonValue> = { input };
  const mock = options.mock;
  const result = state.Type === 'Task' && succeeded && !isMockError(mock) ? mock as JsonValue : undefined;
  if (language === 'JSONata') {
    if (captured.request) out.afterArguments = captured.request.input;
    if (result !== undefined) out.result = result;
    return out;
  }
  const context = options.context ?? (captured.request?.context as JsonObject | undefined) ?? {};
  const variables = new VariableStore(undefined, options.variables);
  const scope = (value: JsonValue): PathScope => ({ input: value, context, variables });
  try {
    const inputPath = state.InputPath;
    const effective = inputPath === null ? {} : inputPath === undefined ? input : compilePath(inputPath).read(scope(input));
    if (effective === undefined) return out;
    out.afterInputPath = effective;
    if (state.Type !== 'Task' && state.Type !== 'Pass') return out;
    const parameters = state.Type === 'Task'
      ? captured.request?.input
      : state.Parameters !== undefined ? compilePayloadTemplate(state.Parameters)(scope(effective)) : effective;
    if (parameters === undefined) return out;
    out.afterParameters = parameters;
    const raw = state.Type === 'Pass' ? (state.Result !== undefined ? state.Result : parameters) : result;
    if (raw === undefined) return out;
    out.result = raw;
    const selected = state.Type === 'Task' && state.ResultSelector !== undefined ? compilePayloadTemplate(state.ResultSelector)(scope(raw)) : raw;
    out.afterResultSelector = selected;
    out.afterResultPath = compileResultPath(state.ResultPath)(input, selected);
  } catch {
    // The failing stage is reported as the state's error; the stages before it stand.
  }
  return out;
}
