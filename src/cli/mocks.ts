import { CliError } from './errors';
import { readJsonFile } from './sources';
import { StatesError } from '../asl/errors';
import type { JsonValue } from '../asl/types';
import type { TaskHandler } from '../interpreter/types';
import { MockConfigError, mockResponsesFor, parseMockConfig, type MockConfig, type MockedResponse } from '../testing/mock-config';

/** Where to find the MockConfigFile test case. @internal */
export interface MockOptions {
  /** `--test-case`: required for a MockConfigFile. */
  readonly testCase?: string;
  /** The state machine's name, to find it under `StateMachines` when the file has several. */
  readonly stateMachineName?: string;
}

/**
 * Task handlers from a mocks file: either a simple map keyed by state name or
 * resource ARN, or an AWS MockConfigFile (`StateMachines` + `MockedResponses`)
 * with a test case.
 * @internal
 */
export function loadMocks(file: string, options: MockOptions = {}): Record<string, TaskHandler> {
  const parsed = readJsonFile(file, 'mocks file');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(`${file}: a mocks file must be a JSON object keyed by state name or resource ARN, or an AWS MockConfigFile; got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`, 2);
  }
  const o = parsed as Record<string, unknown>;
  if ('StateMachines' in o || 'MockedResponses' in o) return mockConfigHandlers(file, parsed, options);
  if (options.testCase !== undefined) {
    throw new CliError(`--test-case applies to an AWS MockConfigFile (with StateMachines and MockedResponses); ${file} is a simple mocks map`, 2);
  }
  const handlers: Record<string, TaskHandler> = {};
  for (const [key, value] of Object.entries(o)) handlers[key] = simpleHandler(file, key, value);
  return handlers;
}

/** One invocation's answer in the simple format, checked up front so a bad entry is reported before anything runs. */
type Answer = { readonly return: JsonValue } | { readonly throw: { readonly error: string; readonly cause?: string } };

function simpleHandler(file: string, key: string, value: unknown): TaskHandler {
  const at = `${file}: mock '${key}'`;
  if (Array.isArray(value)) {
    if (value.length === 0) throw new CliError(`${at} is an empty list; give one response per invocation, or a single value for all of them`, 2);
    const answers = value.map((v, i) => answerOf(`${at}[${i}]`, v));
    let calls = 0;
    return () => {
      const n = calls++;
      if (n >= answers.length) {
        // States.Runtime is not caught by States.ALL: running out of mocks must fail the run, not take a Catch.
        throw new StatesError('States.Runtime', `${at} has ${answers.length} response(s) but the task ran ${n + 1} times; add a response for invocation ${n + 1}`);
      }
      return respond(answers[n]);
    };
  }
  const answer = answerOf(at, value);
  return () => respond(answer);
}

function answerOf(at: string, value: unknown): Answer {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'Return') return { return: o.Return as JsonValue };
    if (keys.length === 1 && keys[0] === 'Throw') {
      const t = o.Throw as Record<string, unknown> | null;
      if (t === null || typeof t !== 'object' || typeof t.Error !== 'string') {
        throw new CliError(`${at}: Throw must be {"Error": "<name>", "Cause": "<text>"}, got ${JSON.stringify(o.Throw)}`, 2);
      }
      if (t.Cause !== undefined && typeof t.Cause !== 'string') throw new CliError(`${at}: Throw.Cause must be a string, got ${JSON.stringify(t.Cause)}`, 2);
      return { throw: { error: t.Error, cause: t.Cause as string | undefined } };
    }
  }
  return { return: value as JsonValue };
}

function respond(answer: Answer): JsonValue {
  if ('throw' in answer) throw new StatesError(answer.throw.error, answer.throw.cause);
  return answer.return;
}

function mockConfigHandlers(file: string, raw: unknown, options: MockOptions): Record<string, TaskHandler> {
  let config: MockConfig;
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
  const machine = machineFor(file, config, options);
  let sequences: ReturnType<typeof mockResponsesFor>;
  try {
    sequences = mockResponsesFor(config, machine, options.testCase);
  } catch (e) {
    if (e instanceof MockConfigError) throw new CliError(`${file}: ${e.reason}`, 2);
    throw e;
  }
  const handlers: Record<string, TaskHandler> = {};
  for (const [state, sequence] of sequences) {
    let calls = 0;
    handlers[state] = () => {
      let response: MockedResponse;
      try {
        response = sequence(calls++);
      } catch (e) {
        if (e instanceof MockConfigError) throw new StatesError('States.Runtime', `${file}: ${e.reason}`);
        throw e;
      }
      if ('throw' in response) throw new StatesError(response.throw.error, response.throw.cause);
      return response.return;
    };
  }
  return handlers;
}

/** The StateMachines entry to use: the named one, the only one, or the only one holding the test case. */
function machineFor(file: string, config: MockConfig, options: MockOptions): string {
  const names = Object.keys(config.StateMachines);
  if (options.stateMachineName !== undefined && names.includes(options.stateMachineName)) return options.stateMachineName;
  if (names.length === 1) return names[0];
  const holding = names.filter((n) => Object.prototype.hasOwnProperty.call(config.StateMachines[n].TestCases, options.testCase!));
  if (holding.length === 1) return holding[0];
  const why = holding.length === 0 ? `no state machine in it has test case '${options.testCase}'` : `test case '${options.testCase}' exists for ${holding.join(', ')}`;
  throw new CliError(`${file}: ${why}; name the state machine with --mock-state-machine <name> (the file has ${names.join(', ') || 'none'})`, 2);
}
