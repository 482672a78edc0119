import { CommandInputError } from './errors';
import { readJsonFile } from './sources';
import type { JsonValue } from '../../asl/types';
import { MockConfigError, parseMockConfig } from '../mock-config';
import { fail, succeed, type Mock, type MockStep } from '../mocks';
import type { MockConfigOptions, MockTable } from '../workflow';

/** Where to find the MockConfigFile test case. @internal */
export interface MockOptions {
  /** `--test-case`: required for a MockConfigFile. */
  readonly testCase?: string;
  /** `--mock-state-machine`: the MockConfigFile's state machine, when the file has several. */
  readonly stateMachine?: string;
  /** How the shell names the test case option in messages. @default '--test-case' */
  readonly testCaseName?: string;
}

/** The harness's run options a mocks file stands for. @internal */
export interface CommandMocks {
  readonly mocks?: MockTable<Mock>;
  readonly mockConfig?: MockConfigOptions;
}

/**
 * Reads `--mocks` into the harness's mocks, so a mock means on the command
 * line what it means in a jest test: a simple map keyed by state name or
 * resource ARN (a value, `{"Return": …}`, `{"Throw": {"Error", "Cause"}}`, or
 * a list of answers, one per call, holding at least one `Return` or `Throw`),
 * or an AWS MockConfigFile with a
 * test case. As in jest, a `lambda:invoke` Task's value is the function's
 * return value, wrapped in the invoke envelope, and a callback Task's value
 * completes its callback.
 * @internal
 */
export function loadMocks(file: string, options: MockOptions = {}): CommandMocks {
  return mocksFromJson(readJsonFile(file, 'mocks file'), file, options, 'a mocks file');
}

/**
 * The same reading as {@link loadMocks}, of a value already parsed (a mocks
 * file's content, or `stepwright mcp`'s `mocks` field). `where` names it in
 * messages.
 * @internal
 */
export function mocksFromJson(parsed: unknown, where: string, options: MockOptions = {}, noun = 'mocks'): CommandMocks {
  const file = where;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CommandInputError(`${file}: ${noun} must be a JSON object keyed by state name or resource ARN, or an AWS MockConfigFile; got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`);
  }
  const o = parsed as Record<string, unknown>;
  if (Object.hasOwn(o, 'StateMachines') || Object.hasOwn(o, 'MockedResponses')) return { mockConfig: mockConfigOptions(file, parsed, options) };
  if (options.testCase !== undefined) {
    throw new CommandInputError(`${options.testCaseName ?? '--test-case'} applies to an AWS MockConfigFile (with StateMachines and MockedResponses); ${file} is a simple mocks map`);
  }
  const mocks = new Map<string, Mock>();
  for (const [key, value] of Object.entries(o)) mocks.set(key, mockOf(`${file}: mock '${key}'`, value));
  return { mocks: Object.fromEntries(mocks) };
}

/**
 * A value, or a list of answers. The rule is the jest harness's: a list
 * holding a step (`{"Return": …}` or `{"Throw": …}`) is one answer per call,
 * its plain values the results of their calls. A list holding no step is
 * refused: a jest mock reads it as the result itself, earlier releases of
 * this command read it as one answer per call, so neither reading is safe.
 */
function mockOf(at: string, value: unknown): Mock {
  if (!Array.isArray(value)) return stepOf(at, value);
  if (value.length === 0) {
    throw new CommandInputError(`${at} is an empty list; give one answer per call ([{"Throw": {"Error": "Busy"}}, {"Return": 1}]), or {"Return": []} for an empty list as the result`);
  }
  // JSON has no `succeed([...])`: in a mocks file a list is always one answer per call, as
  // `stepwright run` has always read it, and `{"Return": [...]}` is a list as the result.
  return value.map((v, i) => {
    if (Array.isArray(v) && v.some(isStepForm)) {
      throw new CommandInputError(`${at}[${i}] is a list holding {"Return"} or {"Throw"} inside a list of answers, but one call takes one answer; `
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
        throw new CommandInputError(`${at}: Throw must be {"Error": "<name>", "Cause": "<text>"}, got ${JSON.stringify(o.Throw)}`);
      }
      if (t.Cause !== undefined && typeof t.Cause !== 'string') throw new CommandInputError(`${at}: Throw.Cause must be a string, got ${JSON.stringify(t.Cause)}`);
      return fail(t.Error, t.Cause as string | undefined);
    }
  }
  return succeed(value as JsonValue);
}

function mockConfigOptions(file: string, raw: unknown, options: MockOptions): MockConfigOptions {
  let config;
  try {
    config = parseMockConfig(raw);
  } catch (e) {
    if (e instanceof MockConfigError) throw new CommandInputError(`${file}: ${e.message}`);
    throw e;
  }
  if (options.testCase === undefined) {
    const cases = Object.entries(config.StateMachines).flatMap(([m, s]) => Object.keys(s.TestCases).map((c) => `${m}/${c}`));
    throw new CommandInputError(`${file} is an AWS MockConfigFile; choose a test case with ${options.testCaseName ?? '--test-case'} <name> (it has ${cases.join(', ') || 'none'})`);
  }
  return { config, testCase: options.testCase, ...(options.stateMachine !== undefined ? { stateMachine: options.stateMachine } : {}) };
}
