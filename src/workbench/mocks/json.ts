import { delay, fail, succeed, type Mock, type MockStep } from './answers';
import { DELAY_FIELD, HEARTBEATS_FIELD, delayProblem, heartbeatsProblem } from './mock-config';
import type { JsonValue } from '../../asl';
import { describeNonJsonText } from '../../asl/json-value';

/**
 * A mocks table written as JSON (a `--mocks` file, the `mocks` of an explore
 * scenario, or `stepwright mcp`'s `mocks` field) that cannot be read, naming
 * the entry and what is wrong.
 */
export class MockJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MockJsonError';
  }
}

/**
 * How a mocks file reads a list, in the one wording `stepwright run --help`, the MCP `run` tool and
 * docs/testing.md all use (a test holds them to it).
 * @internal
 */
export const MOCK_FILE_LIST_RULE = 'A list is one answer per call, in order: a plain value or {"Return": <value>} '
  + 'is that call\'s result, {"Throw": {"Error": "...", "Cause": "..."}} its error; {"Return": [...]} returns a list.';

/**
 * How a mocks file makes an answer late, in the one wording `stepwright run --help`, the MCP `run`
 * tool and docs/testing.md all use (a test holds them to it).
 * @internal
 */
export const MOCK_FILE_DELAY_RULE = '{"Delay": <seconds>, "Return": <value>} (or with "Throw") answers that call <seconds> late '
  + 'on the run\'s virtual clock, as the harness\'s delay(); past the Task\'s TimeoutSeconds it fails with States.Timeout. '
  + 'With "Heartbeats": [<seconds>, …] the worker sends a heartbeat (SendTaskHeartbeat) at each of those seconds after the call. '
  + 'Delay and Heartbeats are stepwright\'s own fields: AWS\'s MockConfigFile has none.';

/**
 * Reads mocks written as JSON into the harness's mocks: an object keyed by
 * state name or resource ARN whose values are a result, `{"Return": <value>}`,
 * `{"Throw": {"Error": "<name>", "Cause": "<text>"}}`, either of those with a
 * `"Delay": <seconds>` (the answer comes that late, as `delay(seconds, then)`:
 * stepwright's own field, which AWS's MockConfigFile has not) and maybe
 * `"Heartbeats": [<seconds>, …]` (the worker's SendTaskHeartbeat calls meanwhile, as
 * `delay(seconds, then, { heartbeats })`), or a list of
 * those, one answer per call. JSON has no `succeed([...])`, so a list is always one answer
 * per call (as `stepwright run --mocks` has always read it) and
 * `{"Return": [...]}` is a list as the result. The format of
 * `stepwright run --mocks` and of the scenarios `Workflow.explore` reports.
 * @param at - names the table in error messages (a file name)
 * @throws MockJsonError naming the entry that is not a mock (a `Delay` that is not a number of
 *   seconds from 0 to a year names the state, the field and the value)
 * @example
 * mocksFromJson({ Charge: [{ Throw: { Error: 'Payment.Declined' } }, { Return: { id: 'ch_1' } }] }, 'mocks.json');
 */
export function mocksFromJson(value: unknown, at: string): Record<string, Mock> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MockJsonError(`${at}: mocks must be a JSON object keyed by state name or resource ARN; got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  const mocks: Record<string, Mock> = {};
  for (const [key, entry] of Object.entries(value)) {
    // A state may be called `__proto__`: define the field, never assign through the prototype.
    Object.defineProperty(mocks, key, { value: mockOf(`${at}: mock '${key}'`, entry), enumerable: true, writable: true, configurable: true });
  }
  return mocks;
}

/**
 * Refuses mocks read from outside (a `--mocks` file, MCP's `mocks` and `mocksFile`) whose answer
 * Step Functions could not carry: JSON nested deeper than 1,000 levels, or a number JSON.parse read
 * as Infinity. Refused when read, before a run, explore or a written test has to serialise the answer
 * (past a few thousand levels, no JSON.stringify can); explore's replays of its scenarios need not.
 * @throws MockJsonError naming the mock
 * @internal
 */
export function refuseUncarriedAnswers(value: Readonly<Record<string, unknown>>, at: string): void {
  for (const [key, entry] of Object.entries(value)) {
    const problem = describeNonJsonText(entry);
    if (problem !== undefined) throw new MockJsonError(`${at}: mock '${key}' is not an answer Step Functions can carry: ${problem}`);
  }
}

/**
 * A value, or a list of answers. JSON has no `succeed([...])`: in a mocks
 * file a list is always one answer per call, as `stepwright run` has always
 * read it, and `{"Return": [...]}` is a list as the result.
 */
function mockOf(at: string, value: unknown): Mock {
  if (!Array.isArray(value)) return stepOf(at, value);
  if (value.length === 0) {
    throw new MockJsonError(`${at} is an empty list; give one answer per call ([{"Throw": {"Error": "Busy"}}, {"Return": 1}]), or {"Return": []} for an empty list as the result`);
  }
  return value.map((v, i) => {
    if (Array.isArray(v) && v.some(isStepForm)) {
      throw new MockJsonError(`${at}[${i}] is a list holding {"Return"} or {"Throw"} inside a list of answers, but one call takes one answer; `
        + 'put every answer in the one list, or write {"Return": [...]} for a call whose result is a list');
    }
    return stepOf(`${at}[${i}]`, v);
  });
}

/**
 * `{"Return": …}` or `{"Throw": …}`, each maybe with a `"Delay"`, or a lone `{"Delay": …}`: the JSON
 * spelling of succeed(), fail() and delay().
 */
function isStepForm(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value).filter((k) => k !== DELAY_FIELD && k !== HEARTBEATS_FIELD);
  if (keys.length === 0) return Object.hasOwn(value, DELAY_FIELD) || Object.hasOwn(value, HEARTBEATS_FIELD);
  return keys.length === 1 && (keys[0] === 'Return' || keys[0] === 'Throw');
}

/** One invocation's answer, checked up front so a bad entry is reported before anything runs. */
function stepOf(at: string, value: unknown): MockStep {
  if (!isStepForm(value)) return succeed(value as JsonValue);
  const o = value as Record<string, unknown>;
  const beats = Object.hasOwn(o, HEARTBEATS_FIELD);
  if (beats) {
    const problem = heartbeatsProblem(o[HEARTBEATS_FIELD], o[DELAY_FIELD]);
    if (problem !== undefined) throw new MockJsonError(`${at}: ${HEARTBEATS_FIELD} ${problem}`);
  }
  const answer = answerOf(at, o);
  if (!Object.hasOwn(o, DELAY_FIELD)) return answer;
  const problem = delayProblem(o[DELAY_FIELD]);
  if (problem !== undefined) throw new MockJsonError(`${at}: ${DELAY_FIELD} ${problem}`);
  return delay(o[DELAY_FIELD] as number, answer, beats ? { heartbeats: o[HEARTBEATS_FIELD] as number[] } : {});
}

/** The Return or Throw of an answer written as JSON. */
function answerOf(at: string, o: Record<string, unknown>): MockStep {
  if (Object.hasOwn(o, 'Return')) return succeed(o.Return as JsonValue);
  if (!Object.hasOwn(o, 'Throw')) {
    throw new MockJsonError(`${at}: a ${DELAY_FIELD} needs the answer it delays: {"${DELAY_FIELD}": ${JSON.stringify(o[DELAY_FIELD])}, "Return": <value>} `
      + `or {"${DELAY_FIELD}": ${JSON.stringify(o[DELAY_FIELD])}, "Throw": {"Error": "<name>"}}; write {"Return": {"${DELAY_FIELD}": …}} for a result with such a field`);
  }
  const t = o.Throw as Record<string, unknown> | null;
  if (t === null || typeof t !== 'object' || typeof t.Error !== 'string' || t.Error === '') {
    throw new MockJsonError(`${at}: Throw must be {"Error": "<name>", "Cause": "<text>"}, got ${JSON.stringify(o.Throw)}`);
  }
  if (t.Cause !== undefined && typeof t.Cause !== 'string') throw new MockJsonError(`${at}: Throw.Cause must be a string, got ${JSON.stringify(t.Cause)}`);
  return fail(t.Error, t.Cause as string | undefined);
}
