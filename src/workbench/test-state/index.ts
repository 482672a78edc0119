/**
 * TestState: runs one state the way AWS's TestState API does. Its call and answer
 * are ./types, its stateConfiguration checks ./state-configuration, its mock
 * checks ./mock-checks; the run is here.
 */
import { checkedState } from './checked-state';
import { checkContext } from './context-object';
import { checkMock, checkMockAgainstModel } from './mock-checks';
import { compiledRun, containerStandIn, type Edge, type PreparedState, type TestStateCache } from './one-state';
import { checkStateConfiguration } from './state-configuration';
import {
  isMockError, SINGLE_STATE_NAME, TestStateError,
  type InspectionData, type InspectionErrorDetails, type MockError, type TestStateOptions, type TestStateResult, type TestStateStatus,
} from './types';
import type { JsonObject, JsonValue, MapState, QueryLanguage, StateDefinition, StateMachineDefinition } from '../../asl';
import { ApiErrors } from '../../asl/api-errors';
import { DEFAULT_INSPECTION_LEVEL, defaultArn, isInspectionLevel } from '../../asl/aws-defaults';
import { errorMatches } from '../../asl/error-rules';
import { AwsLimits } from '../../asl/limits';
import { compilePath, type PathScope } from '../../asl/path';
import { compilePayloadTemplate, type CompiledTemplate } from '../../asl/payload';
import { compileResultPath } from '../../asl/result-path';
import { processorOf, stateField } from '../../asl/state-tree';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { taskResource } from '../../asl/task-resource';
import { VariableStore } from '../../asl/variables';
import type { Clock, ExecutionResult, TaskRequest } from '../../interpreter';
import { VirtualClock } from '../../interpreter/clock';
import { retryDelayMs, compileRetrier } from '../../interpreter/retry';
import { compileStateMachine } from '../../interpreter/state-machine';
import { parseItems } from '../../interpreter/states/item-reader';
import { jsonItems } from '../../interpreter/states/stored-items';
import type { RunAdvice } from '../mocks';
import { checkWorkflowPermissions, deniedOf } from '../template/iam-workflow';

export { TestStateError } from './types';
/** @internal (parity's cache; not part of the public API) */
export { TestStateCache } from './one-state';
export type { AwsRefusal, InspectionData, InspectionErrorDetails, InspectionLevel, MockError, TestStateOptions, TestStateResult, TestStateStatus } from './types';

/** The state machine a state tested alone is taken to belong to (an HTTP Task is authorized on it). */
const TEST_STATE_MACHINE_ARN = defaultArn('states', 'stateMachine:TestState');

/**
 * The state a testState call runs, found and checked as AWS's TestState checks it (see
 * {@link checkAsRun}) before anything reads it: the definition when it is one state, else the
 * named one at any depth.
 * @throws TestStateError when the definition holds no such state
 * @throws InvalidDefinitionError when the state is not valid ASL
 * @internal
 */
export function stateUnderTest(definition: unknown, stateName: string): StateDefinition {
  return checkedState(definition, stateName).state;
}

interface Captured {
  request?: TaskRequest;
}

async function runOnce(
  name: string, state: StateDefinition, language: QueryLanguage, withCatch: boolean, input: JsonValue, options: TestStateOptions, captured: Captured,
  pausing: Pausing | undefined, prepared: PreparedState | undefined,
): Promise<{ run: ExecutionResult; edges: Edge[] }> {
  const initial = options.variables ?? {};
  const one = prepared?.oneStateRun(name, state, language, withCatch, initial) ?? compiledRun(name, state, language, withCatch, initial);
  const { machine, options: compiled, edges } = one;
  compiled.defaultTaskHandler = (_payload, request) => {
    captured.request = request;
    const mock = options.mock;
    if (isMockError(mock)) throw new StatesError(mock.error, mock.cause);
    // A `.waitForTaskToken` Task's mock is what its token is answered with ("TestState only supports
    // the following when a mock is specified: ... .waitForTaskToken service integration patterns"):
    // the Task ends with it at once, rather than waiting for a SendTaskSuccess no one will send.
    if (request.taskToken !== undefined && taskResource(request.resource).pattern === 'waitForTaskToken') {
      request.execution.sendTaskSuccess(request.taskToken, mock as JsonValue);
      return null;
    }
    return mock as JsonValue;
  };
  // AWS runs the state with the given Context Object as its `$$` (TestState's `context`).
  const context = options.context !== undefined ? { contextObject: options.context } : {};
  const run = await machine.start(input, { variables: options.variables, ...context, ...clockOf(pausing) }).result;
  return { run, edges };
}

/**
 * How TestState fails a state that runs past the five minutes it may run ("it fails with the
 * States.Timeout error", TestState in the API reference): a Wait, in the run's virtual time. The
 * cause is stepwright's: AWS's is not recorded.
 */
const TEST_STATE_TIMEOUT = {
  error: StatesErrors.TIMEOUT,
  cause: `The state ran past the ${AwsLimits.TEST_STATE_SECONDS} seconds the TestState API may run for`,
} as const;

/** What a Map's items stages evaluate to, or the error evaluating them raised. */
interface MapItems {
  readonly afterItemsPointer?: JsonValue;
  readonly afterItemsPath?: JsonValue;
  readonly afterItemSelector?: JsonValue;
  readonly afterItemBatcher?: JsonValue;
  /** MaxConcurrency, ToleratedFailureCount and ToleratedFailurePercentage as the Map reads them (JSONata evaluated). */
  readonly settings?: Readonly<Partial<Record<(typeof SETTINGS)[number][1], JsonValue>>>;
  readonly error?: { readonly error: string; readonly cause: string | undefined };
}

/**
 * Evaluates a Map's ItemsPath (or Items), ItemSelector and ItemBatcher by
 * running the Map with an item processor that returns each iteration's input:
 * its result is then the list of iteration inputs.
 */
async function mapItems(
  name: string, map: MapState, language: QueryLanguage, input: JsonValue, options: TestStateOptions, pausing: Pausing | undefined,
): Promise<MapItems> {
  const out: { -readonly [K in keyof MapItems]: MapItems[K] } = {};
  let read: JsonValue[] | undefined;
  if (map.ItemReader !== undefined) {
    // A mocked error needs no items (AWS reports none of them then: recorded).
    if (options.mapItemReaderData === undefined) return { settings: await jsonataSettings(map, language, input, options, pausing) };
    try {
      read = readerItems(map, options.mapItemReaderData);
    } catch (e) {
      if (e instanceof StatesError) return { error: { error: e.error, cause: e.cause } };
      throw e;
    }
    if (readerConfigOf(map).ItemsPointer !== undefined) out.afterItemsPointer = read;
  }
  const processor = processorOf(map);
  const echo = (withBatcher: boolean): StateMachineDefinition => {
    const { Type, QueryLanguage, InputPath, ItemsPath, Items, ItemSelector, Parameters, MaxConcurrency, MaxConcurrencyPath } = map;
    const kept = { Type, QueryLanguage, InputPath, ItemsPath, Items, ItemSelector, Parameters, MaxConcurrency, MaxConcurrencyPath };
    const copy: MapState = {
      ...Object.fromEntries(Object.entries(kept).filter(([, v]) => v !== undefined)),
      Type: 'Map',
      // The items read stand in for the reader: a listing answer is taken as the items themselves.
      ...(read !== undefined ? { ItemReader: { Resource: READ_ITEMS_RESOURCE } } : {}),
      ...(withBatcher ? { ItemBatcher: map.ItemBatcher } : {}),
      ItemProcessor: { ProcessorConfig: processor?.ProcessorConfig ?? { Mode: 'INLINE' }, StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
      End: true,
    };
    return { StartAt: name, QueryLanguage: language, States: { [name]: copy } };
  };
  // TestState runs no execution: the echo's iterations count toward no history-event limit.
  const runEcho = async (withBatcher: boolean) => compileStateMachine(echo(withBatcher), {
    defaultTaskHandler: () => read ?? [], ...NO_HISTORY, ...clockOf(pausing),
  }).start(input, { variables: options.variables }).result;
  const selected = await runEcho(false);
  if (selected.status !== 'SUCCEEDED') return { ...out, error: { error: selected.error ?? '', cause: selected.cause } };
  out.afterItemSelector = selected.output;
  if (language === 'JSONPath' && read === undefined) {
    const context = options.context ?? {};
    const variables = new VariableStore(undefined, options.variables);
    const inputPath = map.InputPath;
    const effective = inputPath === null ? {} : inputPath === undefined ? input : compilePath(inputPath).read({ input, context, variables });
    const itemsPath = map.ItemsPath;
    out.afterItemsPath = itemsPath === undefined ? effective : compilePath(itemsPath).read({ input: effective ?? null, context, variables });
  }
  if (map.ItemBatcher !== undefined) {
    const batched = await runEcho(true);
    if (batched.status !== 'SUCCEEDED') return { ...out, error: { error: batched.error ?? '', cause: batched.cause } };
    out.afterItemBatcher = batched.output;
  }
  out.settings = await jsonataSettings(map, language, input, options, pausing);
  return out;
}

/** A JSONata Map's `{% %}` settings by their values, as AWS reports `"{% $variable := 1 %}"` as 1. */
async function jsonataSettings(
  map: MapState, language: QueryLanguage, input: JsonValue, options: TestStateOptions, pausing: Pausing | undefined,
): Promise<MapItems['settings']> {
  if (language !== 'JSONata') return undefined;
  const settings: Record<string, JsonValue> = {};
  for (const [field, key] of SETTINGS) {
    const value = map[field];
    if (typeof value === 'string') {
      const evaluated = await compileStateMachine({ StartAt: 'E', QueryLanguage: 'JSONata', States: { E: { Type: 'Pass', Output: value, End: true } } } as never, clockOf(pausing))
        .start(input, { variables: options.variables }).result;
      if (evaluated.status === 'SUCCEEDED' && evaluated.output !== undefined) settings[key] = evaluated.output;
    }
  }
  return settings;
}

/** What a testState run asks whether to pause for other work: serve's (see Clock.pause). */
type Pausing = Pick<Clock, 'pause'>;

/** The runs testState makes to find a Map's items record no history: TestState keeps none, so no history-event limit applies. */
const NO_HISTORY = { recordHistory: false, limits: { maxHistoryEvents: Infinity } } as const;

/**
 * A virtual clock that pauses as `pausing` asks (between states and inside a JSONata evaluation),
 * held meanwhile: a pause is the run working, not waiting, so time does not jump to its next
 * timer (the five minutes TestState may run) while it lets other work run. Its holds never
 * expire: a pause always ends, and nothing else holds it (every Task answers with its mock at
 * once), so no hold needs breaking; with the default limit, a pause held past five seconds of
 * wall time (a starved machine, a busy server) let time jump to the five minutes and time the
 * state out.
 */
class PausingClock extends VirtualClock {
  constructor(private readonly pausing: Pausing) {
    super({ holdTimeoutMs: Infinity });
  }

  pause(): Promise<void> | undefined {
    const paused = this.pausing.pause?.();
    if (paused === undefined) return undefined;
    const release = this.hold();
    return paused.finally(release);
  }
}

/** The clock option of a testState run: a virtual clock of its own, pausing when asked to. */
function clockOf(pausing: Pausing | undefined): { clock?: Clock } {
  return pausing === undefined ? {} : { clock: new PausingClock(pausing) };
}

/** The resource the stand-in of an ItemReader calls: a listing's answer is its items as they are. */
const READ_ITEMS_RESOURCE = 'arn:aws:states:::s3:listObjectsV2';

function readerConfigOf(map: MapState): NonNullable<NonNullable<MapState['ItemReader']>['ReaderConfig']> {
  return map.ItemReader?.ReaderConfig ?? {};
}

/**
 * The items a Map's ItemReader would read from `data`, the text as found in its source
 * ("mapItemReaderData", TestStateConfiguration, AWS Step Functions API Reference): parsed
 * as the interpreter parses what a reader returns, so the same ReaderConfig gives the same
 * items. A listing's data is the JSON array of the objects listed.
 * @throws StatesError States.ItemReaderFailed when the data cannot be read as configured
 */
function readerItems(map: MapState, data: string): JsonValue[] {
  const reader = map.ItemReader!;
  const config = readerConfigOf(map);
  let items: JsonValue[];
  if (/:listObjects(V2)?$/.test(reader.Resource)) {
    items = jsonItems(data, undefined);
  } else if ((config.InputType ?? 'JSON') === 'JSON') {
    items = jsonItems(data, config.ItemsPointer);
  } else {
    items = parseItems(data, reader.Resource, config);
  }
  const max = config.MaxItems;
  return typeof max === 'number' && max > 0 ? items.slice(0, max) : items;
}

/** The Map settings inspectionData reports, by field. */
const SETTINGS = [['MaxConcurrency', 'maxConcurrency'], ['ToleratedFailureCount', 'toleratedFailureCount'], ['ToleratedFailurePercentage', 'toleratedFailurePercentage']] as const;

/** The error a Map fails with when more of its iterations failed than it tolerates. */
function exceededTolerance(map: MapState, failures: number, items: MapItems): MockError | undefined {
  if (failures === 0) return undefined;
  const count = map.ToleratedFailureCount as number | undefined;
  const percentage = map.ToleratedFailurePercentage as number | undefined;
  // A Map that tolerates nothing ignores the count: AWS answers SUCCEEDED with the mocked result (recorded).
  if (count === undefined && percentage === undefined) return undefined;
  const iterations = items.afterItemBatcher ?? items.afterItemSelector;
  const total = Array.isArray(iterations) ? iterations.length : 0;
  const overCount = count !== undefined && failures > count;
  const overPercentage = percentage !== undefined && total > 0 && (failures * 100) / total > percentage;
  return overCount || overPercentage || (count === undefined && total === 0)
    ? { error: StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD, cause: 'The specified tolerated failure threshold was exceeded' }
    : undefined;
}

/**
 * Runs one state the way AWS's TestState API does and returns its response:
 * the output or error, the next state, and a status that tells a retriable
 * error (RETRIABLE) and a caught one (CAUGHT_ERROR) from a plain failure.
 * The state runs once: a matching Retry is reported, not performed.
 *
 * A Map or Parallel state needs `options.mock`, as in AWS: the mock is the
 * result of its iterations or branches (an array), or `{ error, cause }`; its
 * ItemsPath, ItemSelector and ItemBatcher, and its own input and result
 * processing, run for real, and DEBUG shows each stage.
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
  return testStateWith(definition, stateName, input, options, undefined);
}

/**
 * {@link testState}, whose runs pause for other work when `pausing` asks (serve's TestState: see
 * Clock.pause), so that a TestState of a Map of many items, or of a long JSONata expression,
 * does not keep a server from answering.
 * @internal
 */
export async function testStateWith(
  definition: unknown, stateName: string, input: JsonValue, options: TestStateOptions, pausing: Pausing | undefined, cache?: TestStateCache,
): Promise<TestStateResult> {
  if (options === null || typeof options !== 'object') throw new TestStateError(`testState: options must be an object, got ${JSON.stringify(options)}`);
  // Checked before anything reads it: what follows reads the state the checker typed.
  const prepared = cache?.prepared(definition, stateName);
  const found = prepared?.found ?? checkedState(definition, stateName);
  const { language } = found;
  const container = found.state.Type === 'Map' || found.state.Type === 'Parallel';
  if (found.state.Type === 'Task' && options.mock === undefined) {
    throw new TestStateError(`testState: Task '${stateName}' needs options.mock, the result of ${found.state.Resource} (or { error, cause } to make it fail)`);
  }
  if (container && options.mock === undefined) {
    throw new TestStateError(
      `testState: ${found.state.Type} '${stateName}' needs options.mock, as in AWS TestState: the result of its ${found.state.Type === 'Map' ? 'iterations' : 'branches'} (an array), or { error, cause } to make it fail`,
      { type: ApiErrors.InvalidDefinition, message: 'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]' },
    );
  }
  checkMock(found.state, stateName, options.mock);
  const contextAdvice = checkContext(found.state, stateName, options);
  checkStateConfiguration(found.state, stateName, options);
  const advice = [...checkMockAgainstModel(found.state, stateName, options), ...contextAdvice];
  if (found.state.Type === 'Task' && options.permissions) {
    const name = stateName || SINGLE_STATE_NAME;
    const alone = { definition: { StartAt: name, States: { [name]: found.state } }, arn: TEST_STATE_MACHINE_ARN };
    const report = checkWorkflowPermissions(alone, options.permissions);
    const denied = deniedOf(report, undefined).get(name);
    if (denied) options = { ...options, mock: denied };
  }
  const level = options.inspectionLevel ?? DEFAULT_INSPECTION_LEVEL;
  if (!isInspectionLevel(level)) {
    throw new TestStateError(`testState: inspectionLevel must be 'INFO', 'DEBUG' or 'TRACE', got ${JSON.stringify(level)}`);
  }
  const name = stateName || SINGLE_STATE_NAME;
  let items: MapItems | undefined;
  let runOptions = options;
  if (found.state.Type === 'Map') {
    items = await mapItems(name, found.state, language, input, options, pausing);
    const failures = options.mapIterationFailureCount ?? 0;
    if (!Number.isInteger(failures) || failures < 0) throw new TestStateError(`testState: mapIterationFailureCount must be an integer >= 0, got ${JSON.stringify(failures)}`);
    // Evaluating the items failed, or too many iterations did: the Map fails with that error before any result.
    const error = items.error ? { error: items.error.error, cause: items.error.cause ?? '' } : exceededTolerance(found.state, failures, items);
    if (error) runOptions = { ...options, mock: error };
  }
  const state = found.state.Type === 'Map' || found.state.Type === 'Parallel' ? prepared?.containerStandIn(found.state) ?? containerStandIn(found.state) : found.state;
  const captured: Captured = {};
  const first = await runOnce(name, state, language, false, input, runOptions, captured, pausing, prepared);
  let response: Captures & { status: TestStateStatus; error?: string; cause?: string };
  let errorDetails: InspectionErrorDetails | undefined;
  if (first.run.status === 'SUCCEEDED') {
    response = { status: 'SUCCEEDED', ...fromCapture(first.run, first.edges) };
  } else if (first.run.status === 'TIMED_OUT') {
    // The API's own bound, not the state's: no Retry or Catch of the state takes it.
    response = { status: 'FAILED', ...TEST_STATE_TIMEOUT };
  } else {
    const error = first.run.error ?? '';
    const cause = first.run.cause;
    const retried = options.retrierRetryCount ?? 0;
    const retry = retriable(state, error, retried);
    if (retry?.retryBackoffIntervalSeconds === MOST_BACKOFF_SECONDS) advice.push(backoffAdvice(name, retry.retryIndex!, retried));
    const catchIndex = 'Catch' in state && state.Catch ? state.Catch.findIndex((c) => errorMatches(c.ErrorEquals, error)) : -1;
    if (retry && retry.retryBackoffIntervalSeconds !== undefined) {
      response = { status: 'RETRIABLE', error, ...causeOf(cause) };
      errorDetails = retry;
    } else if (catchIndex >= 0) {
      const second = await runOnce(name, state, language, true, input, runOptions, {}, pausing, prepared);
      response = { status: 'CAUGHT_ERROR', error, ...causeOf(cause), ...fromCapture(second.run, second.edges) };
      errorDetails = { catchIndex };
    } else {
      response = { status: 'FAILED', error, ...causeOf(cause) };
      // A retrier that matched but has no attempts left is still named (recorded).
      if (retry) errorDetails = retry;
    }
  }
  const { variables, ...out } = response;
  const result: TestStateResult = { ...out, ...(advice.length > 0 ? { advice } : {}) };
  if (level === 'INFO') return result;
  // AWS lists the variables only when there are some (recorded).
  const visible = variables ?? { ...(options.variables ?? {}) };
  const inspectionData: InspectionData = {
    input,
    ...stages(state, language, input, runOptions, captured, first.run.status === 'SUCCEEDED', container ? found.state : undefined, items, prepared),
    ...(Object.keys(visible).length > 0 ? { variables: visible } : {}),
    ...(errorDetails ? { errorDetails } : {}),
  };
  return { ...result, inspectionData };
}

/** What the run tells about the state: its output, where it goes next, and the variables then. */
interface Captures {
  output?: JsonValue;
  nextState?: string;
  variables?: Record<string, JsonValue>;
}

/** What the run tells, without a member it does not set: AWS's answer has no field it leaves out. */
function fromCapture(run: ExecutionResult, edges: readonly Edge[]): Captures {
  const last = run.path[run.path.length - 1];
  const edge = edges.find((e) => e.name === last);
  if (!edge) return run.output === undefined ? {} : { output: run.output };
  const captured = run.output as { output: JsonValue; variables: Record<string, JsonValue> };
  return {
    ...(captured.output !== undefined ? { output: captured.output } : {}),
    ...(edge.target !== undefined ? { nextState: edge.target } : {}),
    ...(captured.variables !== undefined ? { variables: captured.variables } : {}),
  };
}

/** A failure's cause, when it has one. */
function causeOf(cause: string | undefined): { cause?: string } {
  return cause === undefined ? {} : { cause };
}

function retriable(state: StateDefinition, error: string, retried: number): InspectionErrorDetails | undefined {
  const retriers = 'Retry' in state ? state.Retry ?? [] : [];
  for (let i = 0; i < retriers.length; i++) {
    if (!errorMatches(retriers[i].ErrorEquals, error)) continue;
    const r = compileRetrier(retriers[i]);
    // As in the engine, the first matching retrier decides, and an exhausted one ends retrying:
    // it is named without a backoff, as AWS names it for a failure it no longer retries.
    if (retried >= r.maxAttempts) return { retryIndex: i };
    const seconds = Math.round(retryDelayMs({ ...r, jitter: false }, retried, () => 1) / 1000);
    return { retryIndex: i, retryBackoffIntervalSeconds: Math.min(seconds, MOST_BACKOFF_SECONDS) };
  }
  return undefined;
}

/**
 * The most retryBackoffIntervalSeconds says: it is an Integer of AWS's answer (InspectionErrorDetails,
 * API Reference), which AWS's services read and write as Java's int.
 * IntervalSeconds × BackoffRate^n with no MaxDelaySeconds passes it after a few retries (99,999,999 ×
 * 2^5), and is Infinity past a thousand, which JSON writes as null: a number no answer can hold.
 */
const MOST_BACKOFF_SECONDS = AwsLimits.INTEGER_MAX;

/** What a backoff past {@link MOST_BACKOFF_SECONDS} leaves open: AWS's answer to one is not recorded. */
function backoffAdvice(state: string, retryIndex: number, retried: number): RunAdvice {
  return {
    state,
    message: `Retry[${retryIndex}]'s backoff before retry ${retried + 1} is past the ${MOST_BACKOFF_SECONDS.toLocaleString('en-US')} seconds `
      + 'retryBackoffIntervalSeconds (an Integer) holds: given as that; what AWS answers is not recorded. Set MaxDelaySeconds to bound it',
  };
}

/**
 * The data-flow stages of the state, for inspectionData. Computed with the
 * same path and template primitives the interpreter uses; a stage that fails
 * (the run reports the error) ends the list.
 */
function stages(
  state: StateDefinition, language: QueryLanguage, input: JsonValue, options: TestStateOptions, captured: Captured, succeeded: boolean,
  container: StateDefinition | undefined, items: MapItems | undefined, prepared: PreparedState | undefined,
): Partial<InspectionData> {
  const out: Record<string, JsonValue> = { input };
  const mock = options.mock;
  const result = state.Type === 'Task' && succeeded && !isMockError(mock) ? mock as JsonValue : undefined;
  const template = (t: JsonValue): CompiledTemplate => prepared?.template(t) ?? compilePayloadTemplate(t);
  if (container) return containerStages(container, language, input, options, captured, result, items, template);
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
    if (state.Type === 'Pass' && state.Result !== undefined) {
      // A Pass with a Result reports no input stages: its Result replaces them (recorded).
      delete out.afterInputPath;
      out.result = state.Result;
      out.afterResultSelector = state.Result;
      out.afterResultPath = compileResultPath(state.ResultPath)(input, state.Result);
      return out;
    }
    const parameters = state.Type === 'Task'
      ? captured.request?.input
      : state.Parameters !== undefined ? template(state.Parameters)(scope(effective)) : effective;
    if (parameters === undefined) return out;
    out.afterParameters = parameters;
    const raw = state.Type === 'Pass' ? parameters : result;
    if (raw === undefined) return out;
    // A Pass has no result of its own to show: AWS goes from afterParameters to afterResultSelector.
    if (state.Type === 'Task') out.result = raw;
    const selected = state.Type === 'Task' && state.ResultSelector !== undefined ? template(state.ResultSelector)(scope(raw)) : raw;
    out.afterResultSelector = selected;
    out.afterResultPath = compileResultPath(state.ResultPath)(input, selected);
  } catch {
    // The failing stage is reported as the state's error; the stages before it stand.
  }
  return out;
}

/**
 * The stages of a Map or Parallel: its input processing, a Map's items and
 * settings, the mocked result and what the state made of it, in AWS's order.
 */
function containerStages(
  state: StateDefinition, language: QueryLanguage, input: JsonValue, options: TestStateOptions, captured: Captured,
  result: JsonValue | undefined, items: MapItems | undefined, template: (t: JsonValue) => CompiledTemplate,
): Partial<InspectionData> {
  const out: Record<string, JsonValue> = { input };
  const fields = (field: string): JsonValue | undefined => stateField(state, field);
  const context = options.context ?? (captured.request?.context as JsonObject | undefined) ?? {};
  const variables = new VariableStore(undefined, options.variables);
  let effective: JsonValue | undefined = input;
  if (language === 'JSONPath') {
    const inputPath = state.InputPath;
    effective = inputPath === null ? {} : inputPath === undefined ? input : compilePath(inputPath).read({ input, context, variables });
    if (effective !== undefined) out.afterInputPath = effective;
    if (state.Type === 'Parallel' && captured.request && fields('Parameters') !== undefined) out.afterParameters = captured.request.input;
  } else if (state.Type === 'Parallel' && captured.request && fields('Arguments') !== undefined) {
    out.afterArguments = captured.request.input;
  }
  if (items) {
    if (items.afterItemsPointer !== undefined) out.afterItemsPointer = items.afterItemsPointer;
    if (items.afterItemsPath !== undefined) out.afterItemsPath = items.afterItemsPath;
    // Without an ItemSelector the iterations' inputs are the items themselves; AWS shows no stage then.
    const selects = fields('ItemSelector') !== undefined || fields('Parameters') !== undefined;
    if (selects && items.afterItemSelector !== undefined) out.afterItemSelector = items.afterItemSelector;
    if (items.afterItemBatcher !== undefined) out.afterItemBatcher = items.afterItemBatcher;
    for (const [field, key] of SETTINGS) {
      const value = items.settings?.[key] ?? fields(field) ?? readNumberPath(fields(`${field}Path`), effective, context, variables);
      if (typeof value === 'number') out[key] = value;
    }
    // AWS always reports a Map's maxConcurrency: 0, no limit, when the state sets none (recorded).
    out.maxConcurrency ??= 0;
  }
  if (result === undefined) return out;
  // A Map's result is its iterations' outputs, which AWS does not repeat in inspectionData.
  if (state.Type !== 'Map') out.result = result;
  if (language === 'JSONata') return out;
  try {
    const scope = (value: JsonValue): PathScope => ({ input: value, context, variables });
    const selected = state.ResultSelector !== undefined ? template(state.ResultSelector)(scope(result)) : result;
    out.afterResultSelector = selected;
    out.afterResultPath = compileResultPath(state.ResultPath)(input, selected);
  } catch {
    // The failing stage is reported as the state's error; the stages before it stand.
  }
  return out;
}

function readNumberPath(path: unknown, input: JsonValue | undefined, context: JsonObject, variables: VariableStore): JsonValue | undefined {
  if (typeof path !== 'string' || input === undefined) return undefined;
  try {
    return compilePath(path).read({ input, context, variables });
  } catch {
    return undefined;
  }
}
