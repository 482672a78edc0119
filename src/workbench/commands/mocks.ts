import { readJsonFile } from './sources';
import { CommandInputError } from '../common/command-errors';
import { listedNames, parseMockConfigFrom } from '../mocks';
import type { Mock, MockTable } from '../mocks';
import { MockJsonError, mocksFromJson, refuseUncarriedAnswers } from '../mocks/json';
import type { MockConfigOptions } from '../workflow';

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
 * a list of answers, one per call: see {@link mocksFromJson}), or an AWS
 * MockConfigFile with a test case. As in jest, a `lambda:invoke` Task's value is the function's
 * return value, wrapped in the invoke envelope, and a callback Task's value
 * completes its callback.
 * @internal
 */
export function loadMocks(file: string, options: MockOptions = {}): CommandMocks {
  return commandMocksFromJson(readJsonFile(file, 'mocks file'), file, options, 'a mocks file');
}

/**
 * The same reading as {@link loadMocks}, of a value already parsed (a mocks
 * file's content, or `stepwright mcp`'s `mocks` field). `where` names it in
 * messages.
 * @internal
 */
export function commandMocksFromJson(parsed: unknown, where: string, options: MockOptions = {}, noun = 'mocks'): CommandMocks {
  const file = where;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CommandInputError(`${file}: ${noun} must be a JSON object keyed by state name or resource ARN, or an AWS MockConfigFile; got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`);
  }
  if (Object.hasOwn(parsed, 'StateMachines') || Object.hasOwn(parsed, 'MockedResponses')) return { mockConfig: mockConfigOptions(file, parsed, options) };
  if (options.testCase !== undefined) {
    throw new CommandInputError(`${options.testCaseName ?? '--test-case'} applies to an AWS MockConfigFile (with StateMachines and MockedResponses); ${file} is a simple mocks map`);
  }
  try {
    const mocks = mocksFromJson(parsed, file);
    refuseUncarriedAnswers(parsed as Record<string, unknown>, file);
    return { mocks };
  } catch (e) {
    if (e instanceof MockJsonError) throw new CommandInputError(e.message);
    throw e;
  }
}

function mockConfigOptions(file: string, raw: unknown, options: MockOptions): MockConfigOptions {
  const config = parseMockConfigFrom(file, raw, (m) => new CommandInputError(m));
  if (options.testCase === undefined) {
    const cases = Object.entries(config.StateMachines).flatMap(([m, s]) => Object.keys(s.TestCases).map((c) => `${m}/${c}`));
    // The first few, each shortened: a file of 100,000 test cases made this message 1.3 MB.
    throw new CommandInputError(`${file} is an AWS MockConfigFile; choose a test case with ${options.testCaseName ?? '--test-case'} <name> (it has ${listedNames(cases) || 'none'})`);
  }
  return { config, testCase: options.testCase, ...(options.stateMachine !== undefined ? { stateMachine: options.stateMachine } : {}) };
}
