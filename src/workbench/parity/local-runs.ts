/**
 * Runs made here for a parity check: a state machine run with the user's mocks (a mocks file
 * or an AWS MockConfigFile, each of its test cases) on each input, as `stepwright run` runs it.
 */
import { recordingOfExecution, runsOfRecordings } from './runs';
import { ParityError } from './types';
import type { ParityRun } from './visit-cases';
import type { JsonValue, StateMachineDefinition } from '../../asl/definition-types';
import { commandMocksFromJson, type CommandMocks } from '../commands/mocks';
import { runMachine } from '../commands/run';
import { readJsonFile, type LoadedMachine } from '../commands/sources';
import { MockConfigError, parseMockConfig } from '../mock-config';
import type { MockValidation } from '../mocks/validation';

/** What to run. */
export interface LocalRunOptions {
  /** A mocks file or an AWS MockConfigFile. @default - no mocks */
  readonly mocksFile?: string;
  /** MockConfigFile test cases. @default - every test case of the state machine */
  readonly testCases?: readonly string[];
  /** The MockConfigFile's state machine, when it has several. @default - the only one, else the machine's name */
  readonly mockStateMachine?: string;
  /** Execution inputs; each runs with each test case. @default [{}] */
  readonly inputs?: readonly JsonValue[];
  /** How mock answers are checked, as `stepwright run --mock-validation`. @default 'STRICT' */
  readonly mockValidation?: MockValidation;
}

/**
 * Runs the machine once per test case and input, each execution named `<test case>-<n>` (or
 * `run-<n>` without a MockConfigFile), and answers the runs.
 * @throws ParityError for a MockConfigFile without the machine or a test case it lacks; CommandInputError for mocks that cannot be read
 */
export async function localRuns(machine: LoadedMachine, options: LocalRunOptions = {}): Promise<ParityRun[]> {
  const inputs = options.inputs && options.inputs.length > 0 ? options.inputs : [{}];
  const plans: Array<{ label: string; mocks: CommandMocks }> = [];
  if (options.mocksFile === undefined) {
    if (options.testCases?.length) throw new ParityError('--test-case picks a test case of an AWS MockConfigFile: give the file with --mocks');
    plans.push({ label: 'run', mocks: {} });
  } else {
    const raw = readJsonFile(options.mocksFile, 'mocks file');
    const cases = testCasesOf(raw, options, machine);
    if (cases === undefined) {
      if (options.testCases?.length) throw new ParityError(`--test-case picks a test case of an AWS MockConfigFile; ${options.mocksFile} is a simple mocks map`);
      plans.push({ label: 'run', mocks: commandMocksFromJson(raw, options.mocksFile) });
    } else {
      for (const testCase of cases) {
        plans.push({
          label: testCase,
          mocks: commandMocksFromJson(raw, options.mocksFile, {
            testCase, ...(options.mockStateMachine !== undefined ? { stateMachine: options.mockStateMachine } : {}),
          }),
        });
      }
    }
  }
  const recordings = [];
  for (const plan of plans) {
    for (let i = 0; i < inputs.length; i++) {
      const name = executionName(`${plan.label}-${i + 1}`);
      const run = await runMachine(machine, inputs[i], {
        mocks: plan.mocks,
        name,
        ...(options.mocksFile !== undefined ? { mocksLabel: options.mocksFile } : {}),
        ...(options.mockValidation !== undefined ? { mockValidation: options.mockValidation } : {}),
      });
      recordings.push(recordingOfExecution(machine.definition as StateMachineDefinition, {
        executionArn: run.executionArn,
        status: run.status,
        output: run.output,
        error: run.error,
        cause: run.cause,
        startDate: run.startDate,
        stopDate: run.stopDate,
        history: run.history as never,
      }, machine.name));
    }
  }
  return runsOfRecordings(recordings);
}

/** The test cases to run of a MockConfigFile, or undefined for a simple mocks map. */
function testCasesOf(raw: unknown, options: LocalRunOptions, machine: LoadedMachine): readonly string[] | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !(Object.hasOwn(raw, 'StateMachines') || Object.hasOwn(raw, 'MockedResponses'))) return undefined;
  let config;
  try {
    config = parseMockConfig(raw);
  } catch (e) {
    if (e instanceof MockConfigError) throw new ParityError(`${options.mocksFile}: ${e.message}`);
    throw e;
  }
  const names = Object.keys(config.StateMachines);
  const chosen = options.mockStateMachine ?? (names.length === 1 ? names[0] : machine.name);
  if (chosen === undefined || !Object.hasOwn(config.StateMachines, chosen)) {
    throw new ParityError(`${options.mocksFile} has no state machine ${chosen === undefined ? 'for this machine' : `'${chosen}'`}; choose one of ${names.join(', ') || '(none)'} with --mock-state-machine`);
  }
  const all = Object.keys(config.StateMachines[chosen].TestCases);
  const missing = (options.testCases ?? []).filter((c) => !all.includes(c));
  if (missing.length > 0) throw new ParityError(`${options.mocksFile}: state machine '${chosen}' has no test case ${missing.map((c) => `'${c}'`).join(', ')}; it has ${all.join(', ') || 'none'}`);
  return options.testCases?.length ? options.testCases : all;
}

/** A test case's name as an execution name: what AWS allows in one (1 to 80 characters, no spaces or brackets). */
function executionName(label: string): string {
  return label.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
}
