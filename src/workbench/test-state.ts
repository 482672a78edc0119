import { checkWorkflowPermissions, deniedOf } from './iam-workflow';
import { checkedMockValidation, mockErrorProblem, mockResultProblem, type MockValidation } from './mocks/validation';
import type { JsonObject, JsonValue, MapState, StateDefinition, StateMachineDefinition } from '../asl/definition-types';
import { errorMatches } from '../asl/error-rules';
import { compilePath, compileResultPath, type PathScope } from '../asl/path';
import { compilePayloadTemplate } from '../asl/payload';
import { allStates, childMachines, processorOf } from '../asl/state-tree';
import { StatesError } from '../asl/states-errors';
import { VariableStore } from '../asl/variables';
import { checkAnswer, type ContractFinding } from '../contracts/check';
import type { PolicyStatement } from '../iam/policy';
import type { ExecutionResult, TaskRequest } from '../interpreter/execution-types';
import { retryDelayMs, compileRetrier } from '../interpreter/retry';
import { compileStateMachine } from '../interpreter/state-machine';
import { parseItems } from '../interpreter/states/item-reader';
import { jsonItems } from '../interpreter/states/stored-items';

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
  /**
   * For a Map state with ToleratedFailureCount or ToleratedFailurePercentage:
   * how many of its iterations failed (AWS's `stateConfiguration.mapIterationFailureCount`).
   * Above the threshold the Map fails with `States.ExceedToleratedFailureThreshold`. A Map
   * with neither field ignores it, as AWS does.
   * @default 0
   */
  readonly mapIterationFailureCount?: number;
  /**
   * How `mock` (a result, not an error) is checked against what the Task's Resource
   * returns, as AWS's `mock.fieldValidationMode`: `STRICT`, every required field is
   * present and every field is one the API's model defines, of its type; `PRESENT`, the
   * fields given only; `NONE`, nothing. A mock that does not conform is refused with a
   * TestStateError (AWS's ValidationException) naming the field and the expected shape.
   * @default 'STRICT'
   */
  readonly fieldValidationMode?: MockValidation;
  /**
   * For a Map or Parallel whose mock is an error: the state inside its item processor or
   * branches that raised it (AWS's `stateConfiguration.errorCausedByState`). Under
   * `fieldValidationMode` STRICT the error must then be one that state's Resource can raise,
   * as for a Task's own mocked error. Naming a state the Map or Parallel does not hold, or
   * giving it with a result mock or for another state type, is refused.
   * @default - the error is the Map's or Parallel's own
   */
  readonly errorCausedByState?: string;
  /**
   * For a Map with an ItemReader: the data the reader would read, as found in its source
   * (AWS's `stateConfiguration.mapItemReaderData`): the JSON, JSON Lines or CSV text of the
   * S3 object, or a JSON array of the listed objects for `listObjectsV2`. It is parsed as
   * the ReaderConfig says (InputType, CSV headers and delimiter, ItemsPointer, MaxItems)
   * instead of reading anything.
   * @default - a Map with an ItemReader cannot be tested
   */
  readonly mapItemReaderData?: string;
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
  /** Map: the items after the ItemReader's ItemsPointer picked them out of the data read. */
  readonly afterItemsPointer?: JsonValue;
  /** Map: the effective input after ItemsPath (JSONPath only, as in AWS). */
  readonly afterItemsPath?: JsonValue;
  /** Map: the inputs of the iterations, after ItemSelector. */
  readonly afterItemSelector?: JsonValue;
  /** Map: the inputs of the iterations, after ItemBatcher. */
  readonly afterItemBatcher?: JsonValue;
  /** Map: MaxConcurrency, when the state sets it. */
  readonly maxConcurrency?: number;
  /** Map: ToleratedFailureCount, when the state sets it. */
  readonly toleratedFailureCount?: number;
  /** Map: ToleratedFailurePercentage, when the state sets it. */
  readonly toleratedFailurePercentage?: number;
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

/** AWS's own answer to a TestState call it refuses: the exception and its message. */
export interface AwsRefusal {
  /** `ValidationException` or `InvalidDefinition`. */
  readonly type: string;
  readonly message: string;
}

/** A testState call that cannot run as asked. */
export class TestStateError extends Error {
  /**
   * @param aws how AWS's TestState API refuses the same call, where it does (`stepwright serve` answers with it)
   */
  constructor(message: string, public readonly aws?: AwsRefusal) {
    super(message);
    this.name = 'TestStateError';
  }
}

/** The name AWS gives a state tested alone (a definition that is one state, not a machine), in its Context Object. */
const SINGLE_STATE_NAME = 'StateName';

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
  if (definition === null || typeof definition !== 'object') {
    throw new TestStateError(`testState: definition must be a state machine (with States) or a single state (with Type), got ${definition === null ? 'null' : typeof definition}`);
  }
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

/** The state a testState call runs: the definition when it is one state, else the named one at any depth. @internal */
export function stateUnderTest(definition: StateMachineDefinition | StateDefinition, stateName: string): StateDefinition {
  return findState(definition, stateName).state;
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

/** The Task resource a Map or Parallel is replaced by: its result is the mock. */
const CONTAINER_RESOURCE = 'arn:aws:lambda:us-east-1:123456789012:function:stepwright-test-state';

/** Fields of a Map or Parallel that only shape its iterations or branches, not its own result. */
const ITERATION_FIELDS = [
  'ItemProcessor', 'Iterator', 'Branches', 'ItemsPath', 'Items', 'ItemSelector', 'ItemReader', 'ItemBatcher', 'ResultWriter',
  'MaxConcurrency', 'MaxConcurrencyPath', 'ToleratedFailureCount', 'ToleratedFailureCountPath', 'ToleratedFailurePercentage',
  'ToleratedFailurePercentagePath', 'Label',
] as const;

/**
 * A Map or Parallel as TestState runs it: the mock stands for its iterations
 * or branches, and its own input and result processing (InputPath, Parameters
 * or Arguments of a Parallel, ResultSelector, ResultPath, OutputPath, Output,
 * Assign, Catch) run as they would around that result. A Task with the same
 * fields does exactly that.
 */
function containerStandIn(state: StateDefinition): StateDefinition {
  const copy: Record<string, unknown> = { ...state, Type: 'Task', Resource: CONTAINER_RESOURCE };
  for (const f of ITERATION_FIELDS) delete copy[f];
  // A Map's Parameters is the old name of its ItemSelector.
  if (state.Type === 'Map') delete copy.Parameters;
  return copy as unknown as StateDefinition;
}

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
async function mapItems(name: string, state: StateDefinition, language: 'JSONPath' | 'JSONata', input: JsonValue, options: TestStateOptions): Promise<MapItems> {
  const map = state as unknown as Record<string, unknown>;
  const out: { -readonly [K in keyof MapItems]: MapItems[K] } = {};
  let read: JsonValue[] | undefined;
  if (map.ItemReader !== undefined) {
    // A mocked error needs no items (AWS reports none of them then: recorded).
    if (options.mapItemReaderData === undefined) return { settings: await jsonataSettings(map, language, input, options) };
    try {
      read = readerItems(state as MapState, options.mapItemReaderData);
    } catch (e) {
      if (e instanceof StatesError) return { error: { error: e.error, cause: e.cause } };
      throw e;
    }
    if (readerConfigOf(state as MapState).ItemsPointer !== undefined) out.afterItemsPointer = read;
  }
  const processor = processorOf(state as MapState);
  const echo = (withBatcher: boolean): StateMachineDefinition => {
    const copy: Record<string, unknown> = {};
    for (const k of ['Type', 'QueryLanguage', 'InputPath', 'ItemsPath', 'Items', 'ItemSelector', 'Parameters', 'MaxConcurrency', 'MaxConcurrencyPath']) {
      if (map[k] !== undefined) copy[k] = map[k];
    }
    // The items read stand in for the reader: a listing answer is taken as the items themselves.
    if (read !== undefined) copy.ItemReader = { Resource: READ_ITEMS_RESOURCE };
    if (withBatcher) copy.ItemBatcher = map.ItemBatcher;
    copy.ItemProcessor = { ProcessorConfig: processor?.ProcessorConfig ?? { Mode: 'INLINE' }, StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } };
    copy.End = true;
    return { StartAt: name, QueryLanguage: language, States: { [name]: copy } } as unknown as StateMachineDefinition;
  };
  const runEcho = async (withBatcher: boolean) => compileStateMachine(echo(withBatcher), { defaultTaskHandler: () => read ?? [] })
    .start(input, { variables: options.variables }).result;
  const selected = await runEcho(false);
  if (selected.status !== 'SUCCEEDED') return { ...out, error: { error: selected.error ?? '', cause: selected.cause } };
  out.afterItemSelector = selected.output;
  if (language === 'JSONPath' && read === undefined) {
    const context = options.context ?? {};
    const variables = new VariableStore(undefined, options.variables);
    const inputPath = state.InputPath;
    const effective = inputPath === null ? {} : inputPath === undefined ? input : compilePath(inputPath).read({ input, context, variables });
    const itemsPath = map.ItemsPath as string | undefined;
    out.afterItemsPath = itemsPath === undefined ? effective : compilePath(itemsPath).read({ input: effective ?? null, context, variables });
  }
  if (map.ItemBatcher !== undefined) {
    const batched = await runEcho(true);
    if (batched.status !== 'SUCCEEDED') return { ...out, error: { error: batched.error ?? '', cause: batched.cause } };
    out.afterItemBatcher = batched.output;
  }
  out.settings = await jsonataSettings(map, language, input, options);
  return out;
}

/** A JSONata Map's `{% %}` settings by their values, as AWS reports `"{% $variable := 1 %}"` as 1. */
async function jsonataSettings(map: Record<string, unknown>, language: 'JSONPath' | 'JSONata', input: JsonValue, options: TestStateOptions): Promise<MapItems['settings']> {
  if (language !== 'JSONata') return undefined;
  const settings: Record<string, JsonValue> = {};
  for (const [field, key] of SETTINGS) {
    const value = map[field];
    if (typeof value === 'string') {
      const evaluated = await compileStateMachine({ StartAt: 'E', QueryLanguage: 'JSONata', States: { E: { Type: 'Pass', Output: value, End: true } } } as never)
        .start(input, { variables: options.variables }).result;
      if (evaluated.status === 'SUCCEEDED' && evaluated.output !== undefined) settings[key] = evaluated.output;
    }
  }
  return settings;
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
function exceededTolerance(state: StateDefinition, failures: number, items: MapItems): MockError | undefined {
  if (failures === 0) return undefined;
  const map = state as unknown as Record<string, unknown>;
  const count = map.ToleratedFailureCount as number | undefined;
  const percentage = map.ToleratedFailurePercentage as number | undefined;
  // A Map that tolerates nothing ignores the count: AWS answers SUCCEEDED with the mocked result (recorded).
  if (count === undefined && percentage === undefined) return undefined;
  const iterations = items.afterItemBatcher ?? items.afterItemSelector;
  const total = Array.isArray(iterations) ? iterations.length : 0;
  const overCount = count !== undefined && failures > count;
  const overPercentage = percentage !== undefined && total > 0 && (failures * 100) / total > percentage;
  return overCount || overPercentage || (count === undefined && total === 0)
    ? { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' }
    : undefined;
}

const RELAX = "or set mock.fieldValidationMode to 'PRESENT' (only the fields given are checked) or 'NONE'";

/**
 * The mock checked against the API model of what it stands for, as `mock.fieldValidationMode`
 * says ("MockInput", AWS Step Functions API Reference: STRICT, the default, every required
 * field present and every present field conforming; PRESENT, present fields conform; NONE,
 * nothing): a Task's result against its Resource's output, and a mocked error against the
 * errors of the Task that raises it (the Task itself, or the state `errorCausedByState` names
 * inside a Map or Parallel) where the contracts know them all.
 */
function checkMockAgainstModel(state: StateDefinition, stateName: string, options: TestStateOptions): void {
  const mode = checkedMockValidation(options.fieldValidationMode ?? 'STRICT');
  const mock = options.mock;
  if (mock === undefined || mode === 'NONE') return;
  const name = stateName || SINGLE_STATE_NAME;
  if (isMockError(mock)) {
    const caused = options.errorCausedByState;
    const raiser = caused === undefined ? { name, state } : { name: caused, state: innerState(state, caused)! };
    if (raiser.state.Type !== 'Task' || typeof raiser.state.Resource !== 'string') return;
    const problem = mockErrorProblem({ stateName: raiser.name, resource: raiser.state.Resource, label: 'mock.errorOutput' }, mock.error, mode, RELAX);
    if (problem !== undefined) throw new TestStateError(`testState: ${problem}`, { type: 'ValidationException', message: `Mock error validation error: ${problem}` });
    return;
  }
  if (state.Type !== 'Task' || typeof state.Resource !== 'string') return;
  const problem = mockResultProblem({ stateName: name, resource: state.Resource, label: 'mock.result' }, mock as JsonValue, mode, RELAX);
  if (problem === undefined) return;
  // AWS names the first field that does not conform, in these words (recorded: LocalStack's AWS-validated test_field_validation_mode, 2025).
  // A field the model does not define is accepted by AWS (recorded) and refused here on purpose: that message is ours.
  const first = checkAnswer(state.Resource, mock as JsonValue, mode)[0];
  const aws = first === undefined ? undefined : awsFieldMessage(first);
  throw new TestStateError(`testState: ${problem}`, { type: 'ValidationException', message: aws === undefined ? problem : `Mock result schema validation error: ${aws}` });
}

/** A finding in the words AWS's TestState uses for a mock result: `Field 'Entries' must be an array`, `Required field 'ExecutionArn' is missing`. */
function awsFieldMessage(finding: ContractFinding): string | undefined {
  const field = /(?:^|\.)([^.[\]]+)(?:\[\d+\])*$/.exec(finding.path)?.[1] ?? finding.path;
  if (finding.code === 'MISSING_FIELD') return `Required field '${field}' is missing`;
  if (finding.code === 'WRONG_TYPE') {
    const expected = finding.expected ?? '';
    const kind = /^list/.test(expected) ? 'an array' : /^(integer|long|number|float|double)/.test(expected) ? 'a number'
      : /^boolean/.test(expected) ? 'a boolean' : /^(structure|map)/.test(expected) ? 'an object' : 'a string';
    return `Field '${field}' must be ${kind}`;
  }
  return undefined;
}

/** The state named `name` inside a Map's item processor or a Parallel's branches, at any depth. */
function innerState(state: StateDefinition, name: string): StateDefinition | undefined {
  for (const machine of childMachines(state)) {
    const found = allStates(machine).get(name);
    if (found) return found;
  }
  return undefined;
}

/**
 * The `stateConfiguration` AWS takes for some states only ("TestStateConfiguration", AWS Step
 * Functions API Reference): errorCausedByState names where a Map's or Parallel's mocked error
 * comes from, mapIterationFailureCount counts a Map's failed iterations, mapItemReaderData is
 * what a Map's ItemReader reads. Each given where it means nothing is refused rather than
 * silently ignored.
 */
function checkStateConfiguration(state: StateDefinition, stateName: string, options: TestStateOptions): void {
  const name = stateName || SINGLE_STATE_NAME;
  const refuse = (message: string, aws: string): never => {
    throw new TestStateError(`testState: ${message}`, { type: 'ValidationException', message: aws });
  };
  const caused = options.errorCausedByState;
  if (caused !== undefined) {
    if (state.Type !== 'Map' && state.Type !== 'Parallel') {
      refuse(`errorCausedByState names the state inside a Map or Parallel that raised its mocked error; ${state.Type} '${name}' holds no states`,
        'errorCausedByState can only be specified for Map or Parallel states.');
    }
    if (!isMockError(options.mock)) {
      refuse(`errorCausedByState '${caused}' names the state that raised the mocked error; give the mock as { error, cause } (mock.errorOutput), not a result`,
        'errorCausedByState can only be specified when mock.errorOutput is specified.');
    }
    if (innerState(state, caused) === undefined) {
      const held = childMachines(state).flatMap((m) => [...allStates(m).keys()]);
      refuse(`errorCausedByState '${caused}' is not a state of ${state.Type} '${name}'; it holds ${held.map((n) => `'${n}'`).join(', ') || 'no states'}`,
        `errorCausedByState '${caused}' does not match any state in the ${state.Type} state.`);
    }
  }
  if (options.mapIterationFailureCount !== undefined && state.Type !== 'Map') {
    refuse(`mapIterationFailureCount counts the failed iterations of a Map; ${state.Type} '${name}' is not a Map`,
      'mapIterationFailureCount can only be specified for Map states.');
  }
  const reads = state.Type === 'Map' && (state as MapState).ItemReader !== undefined;
  if (options.mapItemReaderData !== undefined && !reads) {
    refuse(`mapItemReaderData is the data a Map's ItemReader reads; ${state.Type} '${name}' has no ItemReader`,
      'mapItemReaderData can only be specified for Map states with an ItemReader.');
  }
  if (reads && options.mapItemReaderData === undefined && !isMockError(options.mock)) {
    refuse(`Map '${name}' reads its items with an ItemReader, which testState does not call: give the data it would read as mapItemReaderData `
      + '(stateConfiguration.mapItemReaderData), the text of the S3 object or the JSON array of the objects listed',
    'mapItemReaderData must be specified to test a Map state with an ItemReader.');
  }
}

/** The mocks AWS refuses (recorded): one for a state that calls nothing, or a container's that is not its results. */
function checkMock(state: StateDefinition, stateName: string, mock: TestStateOptions['mock']): void {
  if (mock === undefined) return;
  if (state.Type !== 'Task' && state.Type !== 'Map' && state.Type !== 'Parallel') {
    throw new TestStateError(`testState: ${state.Type} '${stateName}' calls nothing, so it takes no mock; only a Task, Map or Parallel state does`,
      { type: 'ValidationException', message: `State type '${state.Type}' is not supported when a mock is specified` });
  }
  if (state.Type === 'Task' || isMockError(mock)) return;
  if (state.Type === 'Map' && state.ResultWriter !== undefined) {
    // With a ResultWriter the Map's result is the writer's answer, an object (recorded).
    if (mock === null || typeof mock !== 'object' || Array.isArray(mock)) {
      throw new TestStateError(`testState: Map '${stateName}' writes its results with a ResultWriter, so its mock is the writer's answer, an object, got ${JSON.stringify(mock)}`,
        { type: 'ValidationException', message: 'Mocked result must be a JSON object.' });
    }
    return;
  }
  if (!Array.isArray(mock)) {
    throw new TestStateError(`testState: the mock of ${state.Type} '${stateName}' is the array of its ${state.Type === 'Map' ? 'iterations\'' : 'branches\''} results (or { error, cause }), got ${JSON.stringify(mock)}`,
      { type: 'ValidationException', message: 'Mocked result must be an array.' });
  }
  if (state.Type === 'Parallel' && mock.length !== state.Branches.length) {
    throw new TestStateError(`testState: the mock of Parallel '${stateName}' has ${mock.length} results for ${state.Branches.length} branches; give one per branch`,
      { type: 'ValidationException', message: 'Mocked result must contain the same number of items as number of Parallel branches.' });
  }
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
  if (options === null || typeof options !== 'object') throw new TestStateError(`testState: options must be an object, got ${JSON.stringify(options)}`);
  const found = findState(definition, stateName);
  const { language } = found;
  const container = found.state.Type === 'Map' || found.state.Type === 'Parallel';
  if (found.state.Type === 'Task' && options.mock === undefined) {
    throw new TestStateError(`testState: Task '${stateName}' needs options.mock, the result of ${found.state.Resource} (or { error, cause } to make it fail)`);
  }
  if (container && options.mock === undefined) {
    throw new TestStateError(
      `testState: ${found.state.Type} '${stateName}' needs options.mock, as in AWS TestState: the result of its ${found.state.Type === 'Map' ? 'iterations' : 'branches'} (an array), or { error, cause } to make it fail`,
      { type: 'InvalidDefinition', message: 'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]' },
    );
  }
  checkMock(found.state, stateName, options.mock);
  checkStateConfiguration(found.state, stateName, options);
  checkMockAgainstModel(found.state, stateName, options);
  if (found.state.Type === 'Task' && options.permissions) {
    const name = stateName || SINGLE_STATE_NAME;
    const alone = { definition: { StartAt: name, States: { [name]: found.state } }, arn: TEST_STATE_MACHINE_ARN };
    const report = checkWorkflowPermissions(alone, options.permissions);
    const denied = deniedOf(report, undefined).get(name);
    if (denied) options = { ...options, mock: denied };
  }
  const level = options.inspectionLevel ?? 'INFO';
  if (level !== 'INFO' && level !== 'DEBUG' && level !== 'TRACE') {
    throw new TestStateError(`testState: inspectionLevel must be 'INFO', 'DEBUG' or 'TRACE', got ${JSON.stringify(level)}`);
  }
  const name = stateName || SINGLE_STATE_NAME;
  let items: MapItems | undefined;
  let runOptions = options;
  if (found.state.Type === 'Map') {
    items = await mapItems(name, found.state, language, input, options);
    const failures = options.mapIterationFailureCount ?? 0;
    if (!Number.isInteger(failures) || failures < 0) throw new TestStateError(`testState: mapIterationFailureCount must be an integer >= 0, got ${JSON.stringify(failures)}`);
    // Evaluating the items failed, or too many iterations did: the Map fails with that error before any result.
    const error = items.error ? { error: items.error.error, cause: items.error.cause ?? '' } : exceededTolerance(found.state, failures, items);
    if (error) runOptions = { ...options, mock: error };
  }
  const state = container ? containerStandIn(found.state) : found.state;
  const captured: Captured = {};
  const first = await runOnce(name, state, language, false, input, runOptions, captured);
  let response: Captures & { status: TestStateStatus; error?: string; cause?: string };
  let errorDetails: InspectionErrorDetails | undefined;
  if (first.run.status === 'SUCCEEDED') {
    response = { status: 'SUCCEEDED', ...fromCapture(first.run, first.edges) };
  } else {
    const error = first.run.error ?? '';
    const cause = first.run.cause;
    const retry = retriable(state, error, options.retrierRetryCount ?? 0);
    const catchIndex = 'Catch' in state && state.Catch ? state.Catch.findIndex((c) => errorMatches(c.ErrorEquals, error)) : -1;
    if (retry && retry.retryBackoffIntervalSeconds !== undefined) {
      response = { status: 'RETRIABLE', error, cause };
      errorDetails = retry;
    } else if (catchIndex >= 0) {
      const second = await runOnce(name, state, language, true, input, runOptions, {});
      response = { status: 'CAUGHT_ERROR', error, cause, ...fromCapture(second.run, second.edges) };
      errorDetails = { catchIndex };
    } else {
      response = { status: 'FAILED', error, cause };
      // A retrier that matched but has no attempts left is still named (recorded).
      if (retry) errorDetails = retry;
    }
  }
  const { variables, ...out } = response;
  const result: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(out)) if (v !== undefined) result[k] = v;
  if (level !== 'INFO') {
    // AWS lists the variables only when there are some (recorded).
    const visible = variables ?? { ...(options.variables ?? {}) };
    result.inspectionData = {
      ...stages(state, language, input, runOptions, captured, first.run.status === 'SUCCEEDED', container ? found.state : undefined, items),
      ...(Object.keys(visible).length > 0 ? { variables: visible } : {}),
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
    // As in the engine, the first matching retrier decides, and an exhausted one ends retrying:
    // it is named without a backoff, as AWS names it for a failure it no longer retries.
    if (retried >= r.maxAttempts) return { retryIndex: i };
    return { retryIndex: i, retryBackoffIntervalSeconds: Math.round(retryDelayMs({ ...r, jitter: false }, retried, () => 1) / 1000) };
  }
  return undefined;
}

/**
 * The data-flow stages of the state, for inspectionData. Computed with the
 * same path and template primitives the interpreter uses; a stage that fails
 * (the run reports the error) ends the list.
 */
function stages(
  state: StateDefinition, language: 'JSONPath' | 'JSONata', input: JsonValue, options: TestStateOptions, captured: Captured, succeeded: boolean,
  container: StateDefinition | undefined, items: MapItems | undefined,
): Partial<InspectionData> {
  const out: Record<string, JsonValue> = { input };
  const mock = options.mock;
  const result = state.Type === 'Task' && succeeded && !isMockError(mock) ? mock as JsonValue : undefined;
  if (container) return containerStages(container, language, input, options, captured, result, items);
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
      : state.Parameters !== undefined ? compilePayloadTemplate(state.Parameters)(scope(effective)) : effective;
    if (parameters === undefined) return out;
    out.afterParameters = parameters;
    const raw = state.Type === 'Pass' ? parameters : result;
    if (raw === undefined) return out;
    // A Pass has no result of its own to show: AWS goes from afterParameters to afterResultSelector.
    if (state.Type === 'Task') out.result = raw;
    const selected = state.Type === 'Task' && state.ResultSelector !== undefined ? compilePayloadTemplate(state.ResultSelector)(scope(raw)) : raw;
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
  state: StateDefinition, language: 'JSONPath' | 'JSONata', input: JsonValue, options: TestStateOptions, captured: Captured,
  result: JsonValue | undefined, items: MapItems | undefined,
): Partial<InspectionData> {
  const out: Record<string, JsonValue> = { input };
  const fields = state as unknown as Record<string, unknown>;
  const context = options.context ?? (captured.request?.context as JsonObject | undefined) ?? {};
  const variables = new VariableStore(undefined, options.variables);
  let effective: JsonValue | undefined = input;
  if (language === 'JSONPath') {
    const inputPath = state.InputPath;
    effective = inputPath === null ? {} : inputPath === undefined ? input : compilePath(inputPath).read({ input, context, variables });
    if (effective !== undefined) out.afterInputPath = effective;
    if (state.Type === 'Parallel' && captured.request && fields.Parameters !== undefined) out.afterParameters = captured.request.input;
  } else if (state.Type === 'Parallel' && captured.request && fields.Arguments !== undefined) {
    out.afterArguments = captured.request.input;
  }
  if (items) {
    if (items.afterItemsPointer !== undefined) out.afterItemsPointer = items.afterItemsPointer;
    if (items.afterItemsPath !== undefined) out.afterItemsPath = items.afterItemsPath;
    // Without an ItemSelector the iterations' inputs are the items themselves; AWS shows no stage then.
    const selects = fields.ItemSelector !== undefined || fields.Parameters !== undefined;
    if (selects && items.afterItemSelector !== undefined) out.afterItemSelector = items.afterItemSelector;
    if (items.afterItemBatcher !== undefined) out.afterItemBatcher = items.afterItemBatcher;
    for (const [field, key] of SETTINGS) {
      const value = items.settings?.[key] ?? fields[field] ?? readNumberPath(fields[`${field}Path`], effective, context, variables);
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
    const selected = state.ResultSelector !== undefined ? compilePayloadTemplate(state.ResultSelector)(scope(result)) : result;
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
