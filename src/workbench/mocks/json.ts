import { fail, succeed, type Mock, type MockStep } from './answers';
import type { JsonValue } from '../../asl';

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
 * Reads mocks written as JSON into the harness's mocks: an object keyed by
 * state name or resource ARN whose values are a result, `{"Return": <value>}`,
 * `{"Throw": {"Error": "<name>", "Cause": "<text>"}}`, or a list of those, one
 * answer per call. JSON has no `succeed([...])`, so a list is always one answer
 * per call (as `stepwright run --mocks` has always read it) and
 * `{"Return": [...]}` is a list as the result. The format of
 * `stepwright run --mocks` and of the scenarios `Workflow.explore` reports.
 * @param at - names the table in error messages (a file name)
 * @throws MockJsonError naming the entry that is not a mock
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

/** `{"Return": …}` or `{"Throw": …}`: the JSON spelling of succeed() and fail(). */
function isStepForm(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Return' || keys[0] === 'Throw');
}

/** One invocation's answer, checked up front so a bad entry is reported before anything runs. */
function stepOf(at: string, value: unknown): MockStep {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'Return') return succeed(o.Return as JsonValue);
    if (keys.length === 1 && keys[0] === 'Throw') {
      const t = o.Throw as Record<string, unknown> | null;
      if (t === null || typeof t !== 'object' || typeof t.Error !== 'string' || t.Error === '') {
        throw new MockJsonError(`${at}: Throw must be {"Error": "<name>", "Cause": "<text>"}, got ${JSON.stringify(o.Throw)}`);
      }
      if (t.Cause !== undefined && typeof t.Cause !== 'string') throw new MockJsonError(`${at}: Throw.Cause must be a string, got ${JSON.stringify(t.Cause)}`);
      return fail(t.Error, t.Cause as string | undefined);
    }
  }
  return succeed(value as JsonValue);
}
