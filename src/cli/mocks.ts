import { CliError } from './errors';
import { readJsonFile } from './sources';
import { MockConfigError, parseMockConfig } from '../testing/mock-config';
import type { Mock } from '../testing/mocks';
import { MockJsonError, mocksFromJson } from '../testing/mocks/json';
import type { MockConfigOptions, MockTable } from '../testing/workflow';

/** Where to find the MockConfigFile test case. @internal */
export interface MockOptions {
  /** `--test-case`: required for a MockConfigFile. */
  readonly testCase?: string;
  /** `--mock-state-machine`: the MockConfigFile's state machine, when the file has several. */
  readonly stateMachine?: string;
}

/** The harness's run options a mocks file stands for. @internal */
export interface CliMocks {
  readonly mocks?: MockTable<Mock>;
  readonly mockConfig?: MockConfigOptions;
}

/**
 * Reads `--mocks` into the harness's mocks, so a mock means on the command
 * line what it means in a jest test: a simple map keyed by state name or
 * resource ARN (a value, `{"Return": …}`, `{"Throw": {"Error", "Cause"}}`, or
 * a list with one entry per invocation), or an AWS MockConfigFile with a
 * test case. As in jest, a `lambda:invoke` Task's value is the function's
 * return value, wrapped in the invoke envelope, and a callback Task's value
 * completes its callback.
 * @internal
 */
export function loadMocks(file: string, options: MockOptions = {}): CliMocks {
  const parsed = readJsonFile(file, 'mocks file');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(`${file}: a mocks file must be a JSON object keyed by state name or resource ARN, or an AWS MockConfigFile; got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`, 2);
  }
  const o = parsed as Record<string, unknown>;
  if ('StateMachines' in o || 'MockedResponses' in o) return { mockConfig: mockConfigOptions(file, parsed, options) };
  if (options.testCase !== undefined) {
    throw new CliError(`--test-case applies to an AWS MockConfigFile (with StateMachines and MockedResponses); ${file} is a simple mocks map`, 2);
  }
  try {
    return { mocks: mocksFromJson(o, file) };
  } catch (e) {
    if (e instanceof MockJsonError) throw new CliError(e.message, 2);
    throw e;
  }
}

function mockConfigOptions(file: string, raw: unknown, options: MockOptions): MockConfigOptions {
  let config;
  try {
    config = parseMockConfig(raw);
  } catch (e) {
    if (e instanceof MockConfigError) throw new CliError(`${file}: ${e.message}`, 2);
    throw e;
  }
  if (options.testCase === undefined) {
    const cases = Object.entries(config.StateMachines).flatMap(([m, s]) => Object.keys(s.TestCases).map((c) => `${m}/${c}`));
    throw new CliError(`${file} is an AWS MockConfigFile; choose a test case with --test-case <name> (it has ${cases.join(', ') || 'none'})`, 2);
  }
  return { config, testCase: options.testCase, ...(options.stateMachine !== undefined ? { stateMachine: options.stateMachine } : {}) };
}
