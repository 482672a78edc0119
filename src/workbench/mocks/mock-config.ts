import { MockConfigError } from './mock-config-error';
import type { JsonValue } from '../../asl';
import { AwsLimits } from '../../asl/limits';
import { shorten } from '../../asl/shorten';
import { DATA_FILE_LIMIT, JsonFileReadError, readJsonText } from '../common/json-file';

/**
 * AWS's mock configuration file (`MockConfigFile.json`), as read by Step
 * Functions Local and LocalStack: test cases that map Task state names to
 * named mocked responses, and the responses per invocation.
 *
 * @example
 * {
 *   "StateMachines": { "Orders": { "TestCases": { "HappyPath": { "Charge": "ChargeOk" } } } },
 *   "MockedResponses": { "ChargeOk": { "0": { "Return": { "StatusCode": 200, "Payload": { "id": "ch_1" } } } } }
 * }
 */
export interface MockConfig {
  /** Test cases by state machine name. */
  readonly StateMachines: Record<string, { readonly TestCases: Record<string, Record<string, string>> }>;
  /** Mocked responses by name, each keyed by invocation index (`"0"`) or inclusive range (`"1-2"`). */
  readonly MockedResponses: Record<string, Record<string, MockConfigResponse>>;
}

/**
 * One entry of a mocked response: exactly one of `Return` and `Throw`, and, stepwright's own,
 * a `Delay`.
 */
export interface MockConfigResponse {
  /**
   * stepwright's own field (AWS's MockConfigFile has none: an entry holds "a single field named
   * `Return` or `Throw`"): the answer comes this many seconds after the call, on the run's virtual
   * clock, as the harness's `delay(seconds, then)`. Past the Task's TimeoutSeconds the Task fails
   * with `States.Timeout`. Step Functions Local refuses an entry that has it; serve, whose clock
   * is real, fails such a call with `States.Runtime`.
   * @default 0 - the answer comes at once
   */
  readonly Delay?: number;
  /** The Task's result. */
  readonly Return?: JsonValue;
  /**
   * The Task's error: `Error` is matched by Retry and Catch `ErrorEquals`; `Cause` may be left
   * out, as AWS's own `sam init` template does and as AWS's mock error (`MockErrorOutput.cause`)
   * allows, and the failure then carries no cause.
   */
  readonly Throw?: { readonly Error: string; readonly Cause?: string };
}

/**
 * What one invocation of a mocked Task does: return a result or fail with an error (its cause,
 * when the entry gives one), `delay` seconds after the call when the entry gives a `Delay`.
 */
export type MockedResponse =
  | { readonly return: JsonValue; readonly delay?: number }
  | { readonly throw: { readonly error: string; readonly cause?: string }; readonly delay?: number };

/**
 * The field that makes an answer late, in a MockConfigFile's entry and in a `--mocks` table's
 * (`{"Delay": 600, "Return": …}`): stepwright's own, as AWS's MockConfigFile has none. @internal
 */
export const DELAY_FIELD = 'Delay';

/**
 * The field that sends heartbeats while a late answer is awaited, in a `--mocks` table's entry
 * (`{"Delay": 90, "Heartbeats": [29], "Return": …}`: SendTaskHeartbeat 29 s after the call, as the
 * harness's `delay(90, …, { heartbeats: [29] })`): stepwright's own, as AWS's MockConfigFile has
 * none. @internal
 */
export const HEARTBEATS_FIELD = 'Heartbeats';

/**
 * What is wrong with a `Heartbeats` value beside a `Delay` of `delay` seconds, or undefined when
 * it is a list of seconds after the call, each from 0 to the delay. @internal
 */
export function heartbeatsProblem(value: unknown, delay: unknown): string | undefined {
  const limit = typeof delay === 'number' ? delay : undefined;
  if (limit === undefined) return `needs a ${DELAY_FIELD}: heartbeats are sent while a late answer is awaited`;
  if (Array.isArray(value) && value.every((h) => typeof h === 'number' && h >= 0 && h <= limit)) return undefined;
  return `must be a list of seconds after the call, each from 0 to the ${DELAY_FIELD} of ${limit}, got ${JSON.stringify(value) ?? typeof value}`;
}

/**
 * What is wrong with a `Delay` value, or undefined when it is a number of seconds an answer may
 * take: from 0 to a Standard execution's longest run (a year: no answer comes later). The one
 * check of the field, for both mock formats. @internal
 */
export function delayProblem(value: unknown): string | undefined {
  if (typeof value === 'number' && value >= 0 && value <= AwsLimits.STANDARD_DURATION_SECONDS) return undefined;
  const got = typeof value === 'number' ? String(value) : value === undefined ? 'nothing' : JSON.stringify(value) ?? typeof value;
  return `must be a number of seconds from 0 to ${AwsLimits.STANDARD_DURATION_SECONDS} (a Standard execution's longest run), got ${got}`;
}

/**
 * The response for the n-th invocation (0-based) of a Task state in one test
 * case. Invocations count every time the state runs: retries, loops and Map
 * iterations included.
 *
 * @throws MockConfigError `RESPONSES_EXHAUSTED` past the last configured index
 */
export type MockedResponseSequence = (invocationIndex: number) => MockedResponse;

export { MockConfigError, type MockConfigErrorCode } from './mock-config-error';

interface Range {
  readonly from: number;
  readonly to: number;
  readonly response: MockedResponse;
}

/**
 * {@link parseMockConfig}, its error re-thrown as the caller's own (a command's input error, a
 * parity error), the file named. @internal
 */
export function parseMockConfigFrom(file: string, input: unknown, wrap: (message: string) => Error): MockConfig {
  try {
    return parseMockConfig(input);
  } catch (e) {
    if (e instanceof MockConfigError) throw wrap(`${file}: ${e.message}`);
    throw e;
  }
}

/**
 * Parses and validates a mock configuration, given as JSON text or as an
 * already parsed object. Every rule of the format is checked up front, so a
 * mistake is reported with its location before any test runs.
 *
 * @throws MockConfigError naming the field and value at fault
 */
export function parseMockConfig(input: unknown): MockConfig {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new MockConfigError('INVALID_JSON', '', `the mock configuration is not valid JSON: ${(e as Error).message}`);
    }
  }
  validate(value);
  return value;
}

/**
 * Reads and validates a mock configuration file.
 * @throws MockConfigError when the file is malformed
 */
export function loadMockConfig(file: string): MockConfig {
  let text: string;
  try {
    text = readJsonText(file, DATA_FILE_LIMIT);
  } catch (e) {
    if (!(e instanceof JsonFileReadError)) throw e;
    throw new MockConfigError(e.kind === 'encoding' ? 'INVALID_JSON' : 'INVALID_CONFIG', '', e.kind === 'encoding' ? `not valid JSON: ${e.reason}` : `cannot read the file: ${e.reason}`, file);
  }
  try {
    return parseMockConfig(text);
  } catch (e) {
    if (e instanceof MockConfigError) {
      throw new MockConfigError(e.code, e.path, e.reason, file);
    }
    throw e;
  }
}

/**
 * The mocked Task states of one test case, each with its per-invocation
 * responses.
 *
 * As in Step Functions Local, every invocation must have a response: at an
 * invocation no entry covers (past the last, before the first, in a gap, or any
 * of a response with no entries) the returned function throws
 * `RESPONSES_EXHAUSTED`, which fails the execution with `States.Runtime`
 * rather than being caught by the state machine.
 *
 * @example
 * const mocks = mockResponsesFor(config, 'Orders', 'RetryPath');
 * mocks.get('Charge')!(0); // { throw: { error: 'Lambda.ResourceNotReadyException', cause: '...' } }
 * @throws MockConfigError when the state machine or test case is not in the file
 */
export function mockResponsesFor(config: MockConfig, stateMachineName: string, testCase: string): Map<string, MockedResponseSequence> {
  validate(config);
  const machine = config.StateMachines[stateMachineName];
  if (!Object.hasOwn(config.StateMachines, stateMachineName)) {
    throw new MockConfigError('UNKNOWN_STATE_MACHINE', 'StateMachines',
      `no state machine '${stateMachineName}'; the file has ${list(Object.keys(config.StateMachines))}`);
  }
  if (!Object.hasOwn(machine.TestCases, testCase)) {
    throw new MockConfigError('UNKNOWN_TEST_CASE', pathOf(['StateMachines', stateMachineName, 'TestCases']),
      `no test case '${testCase}' for state machine '${stateMachineName}'; it has ${list(Object.keys(machine.TestCases))}`);
  }
  const out = new Map<string, MockedResponseSequence>();
  for (const [stateName, responseName] of Object.entries(machine.TestCases[testCase])) {
    const ranges = rangesOf(config.MockedResponses[responseName], ['MockedResponses', responseName]);
    out.set(stateName, (invocationIndex) => {
      if (!Number.isInteger(invocationIndex) || invocationIndex < 0) {
        throw new MockConfigError('INVALID_INVOCATION_INDEX', '',
          `invocation index must be a non-negative integer, got ${String(invocationIndex)}`);
      }
      const range = ranges.find((r) => invocationIndex >= r.from && invocationIndex <= r.to);
      if (!range) {
        throw new MockConfigError('RESPONSES_EXHAUSTED', pathOf(['MockedResponses', responseName]),
          `state '${stateName}' ran ${invocationIndex + 1} time${invocationIndex === 0 ? '' : 's'} in test case '${testCase}', but mocked response '${responseName}' ` +
          `${defined(ranges)}; add an entry "${invocationIndex}" (or a range) to mock this invocation`);
      }
      return range.response;
    });
  }
  return out;
}

/** What invocations a mocked response's entries cover, in words: "defines invocations 0-3 only", "defines no invocation". */
function defined(ranges: readonly Range[]): string {
  const spans: Array<{ from: number; to: number }> = [];
  for (const r of ranges) {
    const last = spans[spans.length - 1];
    if (last !== undefined && last.to + 1 === r.from) last.to = r.to;
    else spans.push({ from: r.from, to: r.to });
  }
  if (spans.length === 0) return 'defines no invocation';
  const one = spans.length === 1 && spans[0].from === spans[0].to;
  return `defines invocation${one ? '' : 's'} ${spans.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(', ')} only`;
}

function validate(value: unknown): asserts value is MockConfig {
  const root = object(value, []);
  for (const key of Object.keys(root)) {
    if (key !== 'StateMachines' && key !== 'MockedResponses') {
      const hint = key === 'MockedResponse' ? "; did you mean 'MockedResponses'?" : '';
      throw new MockConfigError('INVALID_CONFIG', pathOf([key]),
        `unknown field; a mock configuration has only 'StateMachines' and 'MockedResponses'${hint}`);
    }
  }
  for (const key of ['StateMachines', 'MockedResponses']) {
    if (!Object.hasOwn(root, key)) throw new MockConfigError('INVALID_CONFIG', '', `the mock configuration needs a '${key}' object`);
  }
  const responses = object(root.MockedResponses, ['MockedResponses']);
  for (const [name, entries] of Object.entries(responses)) rangesOf(entries, ['MockedResponses', name]);

  const machines = object(root.StateMachines, ['StateMachines']);
  for (const [machineName, machine] of Object.entries(machines)) {
    const at = ['StateMachines', machineName];
    const fields = object(machine, at);
    for (const key of Object.keys(fields)) {
      if (key !== 'TestCases') {
        throw new MockConfigError('INVALID_CONFIG', pathOf([...at, key]), "unknown field; a state machine entry has only 'TestCases'");
      }
    }
    if (!Object.hasOwn(fields, 'TestCases')) throw new MockConfigError('INVALID_CONFIG', pathOf(at), "needs a 'TestCases' object");
    for (const [caseName, testCase] of Object.entries(object(fields.TestCases, [...at, 'TestCases']))) {
      for (const [stateName, responseName] of Object.entries(object(testCase, [...at, 'TestCases', caseName]))) {
        const where = pathOf([...at, 'TestCases', caseName, stateName]);
        if (typeof responseName !== 'string') {
          throw new MockConfigError('INVALID_CONFIG', where, `must name a mocked response, got ${JSON.stringify(responseName)}`);
        }
        if (!Object.hasOwn(responses, responseName)) {
          throw new MockConfigError('UNKNOWN_MOCKED_RESPONSE', where,
            `no mocked response '${responseName}' in MockedResponses; it has ${list(Object.keys(responses))}`);
        }
      }
    }
  }
}

/**
 * The entries of one mocked response, checked and sorted by invocation index. A response with no
 * entries, or whose entries leave an invocation out (`"1"` without `"0"`), is read as Step
 * Functions Local reads it: it starts the execution and fails it with `States.Runtime` only when
 * a Task reaches an invocation no entry covers (a file generated from an empty collection gives
 * `{}` for a state the test case never enters). Overlapping entries are refused: they give one
 * invocation two answers.
 */
function rangesOf(value: unknown, at: string[]): Range[] {
  const entries = object(value, at);
  const keys = Object.keys(entries);
  const ranges = keys.map((key) => {
    const where = [...at, key];
    // AWS documents integer strings ("0") and inclusive ranges ("0-1") and nothing else: no blanks, no signs.
    const match = /^(\d+)(?:-(\d+))?$/.exec(key);
    if (!match) {
      throw new MockConfigError('INVALID_RANGE', pathOf(where),
        'an entry key must be an invocation index ("0") or an inclusive range ("1-2"), written without blanks');
    }
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) throw new MockConfigError('INVALID_RANGE', pathOf(where), `range ends (${to}) before it starts (${from})`);
    return { from, to, response: responseOf(entries[key], where) };
  }).sort((a, b) => a.from - b.from);
  // No invocation may have two responses; one with none fails when a Task reaches it.
  let next = 0;
  for (const range of ranges) {
    const key = range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`;
    if (range.from < next) {
      throw new MockConfigError('INVALID_RANGE', pathOf(at), `entry "${key}" overlaps an earlier entry at invocation ${range.from}`);
    }
    next = range.to + 1;
  }
  return ranges;
}

function responseOf(value: unknown, at: string[]): MockedResponse {
  const entry = object(value, at);
  const keys = Object.keys(entry).filter((k) => k !== DELAY_FIELD);
  const unknown = keys.filter((k) => k !== 'Return' && k !== 'Throw');
  if (unknown.includes(HEARTBEATS_FIELD)) {
    // The --mocks table's field: AWS's format has none for a worker's heartbeats, and stepwright adds none to it.
    throw new MockConfigError('INVALID_CONFIG', pathOf([...at, HEARTBEATS_FIELD]),
      `unknown field; ${HEARTBEATS_FIELD} is a --mocks table's field only (stepwright run --mocks, the harness's delay(s, then, { heartbeats })): `
      + "a MockConfigFile entry has exactly one of 'Return' and 'Throw', and may have a 'Delay', and no field for heartbeats");
  }
  if (unknown.length > 0) {
    throw new MockConfigError('INVALID_CONFIG', pathOf([...at, unknown[0]]), "unknown field; an entry has exactly one of 'Return' and 'Throw', and may have a 'Delay'");
  }
  let late: { delay?: number } = {};
  if (Object.hasOwn(entry, DELAY_FIELD)) {
    const problem = delayProblem(entry[DELAY_FIELD]);
    if (problem !== undefined) throw new MockConfigError('INVALID_CONFIG', pathOf([...at, DELAY_FIELD]), problem);
    late = { delay: entry[DELAY_FIELD] as number };
  }
  if (keys.length !== 1) {
    throw new MockConfigError('INVALID_CONFIG', pathOf(at),
      keys.length === 0 ? "an entry needs one of 'Return' and 'Throw'" : "an entry cannot have both 'Return' and 'Throw'");
  }
  if (keys[0] === 'Return') return { return: entry.Return as JsonValue, ...late };
  const thrown = object(entry.Throw, [...at, 'Throw']);
  for (const field of Object.keys(thrown)) {
    if (field !== 'Error' && field !== 'Cause') {
      throw new MockConfigError('INVALID_CONFIG', pathOf([...at, 'Throw', field]), "unknown field; 'Throw' has only 'Error' and 'Cause'");
    }
  }
  if (typeof thrown.Error !== 'string') {
    throw new MockConfigError('INVALID_CONFIG', pathOf([...at, 'Throw', 'Error']),
      `must be a string, got ${thrown.Error === undefined ? 'nothing' : JSON.stringify(thrown.Error)}`);
  }
  // Cause is optional: a failure without one carries no cause, as on AWS.
  if (thrown.Cause !== undefined && typeof thrown.Cause !== 'string') {
    throw new MockConfigError('INVALID_CONFIG', pathOf([...at, 'Throw', 'Cause']), `must be a string when given, got ${JSON.stringify(thrown.Cause)}`);
  }
  return { throw: { error: thrown.Error, ...(thrown.Cause !== undefined ? { cause: thrown.Cause } : {}) }, ...late };
}

function object(value: unknown, at: string[]): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MockConfigError('INVALID_CONFIG', pathOf(at),
      `must be an object, got ${value === undefined ? 'nothing' : Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

function pathOf(segments: string[]): string {
  return segments.map((s, i) => (/^[A-Za-z_$][\w$]*$/.test(s) ? `${i ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`)).join('');
}

function list(names: string[]): string {
  return names.length ? names.map((n) => `'${n}'`).join(', ') : 'none';
}

/**
 * The advice on a state a test case mocks that the machine lacks (renamed since the file was
 * written, misspelt, or listed by a file generated for every state), the same at every door
 * that runs a MockConfigFile: Step Functions Local looks a test case's states up as its Tasks
 * run, so the entry answers nothing and the execution runs (sfn-local-mock-cfg-file.html names
 * no check of them). @internal
 */
export function absentStateAdvice(testCase: string, state: string, machine: string, states: readonly string[]): string {
  return `MockConfigFile test case '${shorten(testCase, NAME_SHOWN)}' mocks state '${shorten(state, NAME_SHOWN)}', which state machine '${machine}' does not have: `
    + `the entry answers no Task, as in Step Functions Local. Its states: ${listedNames(states)}; rename the entry or remove it`;
}

/**
 * How many names a message about a MockConfigFile lists (its test cases, a machine's states), and
 * how many characters of each: a file of 100,000 test cases made one such message 1.3 MB.
 * @internal
 */
export const NAMES_LISTED = 20;
const NAME_SHOWN = 200;

/** The first {@link NAMES_LISTED} of `names`, each shortened, and how many more there are ('' for none). @internal */
export function listedNames(names: readonly string[]): string {
  const named = names.slice(0, NAMES_LISTED).map((n) => shorten(n, NAME_SHOWN)).join(', ');
  return names.length > NAMES_LISTED ? `${named}, and ${(names.length - NAMES_LISTED).toLocaleString('en-US')} more` : named;
}

/**
 * The part of a mock configuration one test case uses: its state machine with
 * only that test case, and only the mocked responses it names. It is a mock
 * configuration itself, which gives the same responses for that test case, so
 * an execution can keep it (and a journal record it) when the file changes.
 *
 * @example
 * const kept = testCaseConfig(config, 'Orders', 'HappyPath');
 * mockResponsesFor(kept, 'Orders', 'HappyPath'); // as mockResponsesFor(config, 'Orders', 'HappyPath')
 * @throws MockConfigError when the state machine or test case is not in the file
 */
export function testCaseConfig(config: MockConfig, stateMachineName: string, testCase: string): MockConfig {
  mockResponsesFor(config, stateMachineName, testCase);
  const cases = config.StateMachines[stateMachineName].TestCases[testCase];
  const responses: Record<string, Record<string, MockConfigResponse>> = {};
  for (const name of Object.values(cases)) responses[name] = config.MockedResponses[name];
  return { StateMachines: { [stateMachineName]: { TestCases: { [testCase]: cases } } }, MockedResponses: responses };
}
