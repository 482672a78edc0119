/**
 * Runs made here for a parity check: a state machine run with the user's mocks (a mocks file
 * or an AWS MockConfigFile, each of its test cases) on each input, as `stepwright run` runs it.
 */
import { recordingOfExecution, runsOfRecordings } from './runs';
import { ParityError } from './types';
import type { ParityRun } from './visit-cases';
import type { JsonValue, StateMachineDefinition } from '../../asl';
import { readJsonFile, type LoadedMachine } from '../commands';
import { commandMocksFromJson, type CommandMocks } from '../commands/mocks';
import { runMachine } from '../commands/run';
import { parseMockConfigFrom } from '../mocks';
import type { MockValidation } from '../mocks';

/** What to run. */
export interface LocalRunOptions {
  /** A mocks file or an AWS MockConfigFile. @default - no mocks */
  readonly mocksFile?: string;
  /** The same, given as a value (an MCP call's `mocks`). @default - no mocks */
  readonly mocks?: unknown;
  /** MockConfigFile test cases. @default - every test case of the state machine */
  readonly testCases?: readonly string[];
  /** The MockConfigFile's state machine, when it has several. @default - the only one, else the machine's name */
  readonly mockStateMachine?: string;
  /** Execution inputs; each runs with each test case. @default [{}] */
  readonly inputs?: readonly JsonValue[];
  /** How mock answers are checked, as `stepwright run --mock-validation`. @default 'STRICT' for mocks, 'PRESENT' for a MockConfigFile's answers */
  readonly mockValidation?: MockValidation;
  /** Whether an unmocked Lambda Task runs the template's inline code (`stepwright mcp` never does). @default true */
  readonly inlineCode?: boolean;
}

/**
 * Runs the machine once per test case and input, each execution named `<test case>-<n>` (or
 * `run-<n>` without a MockConfigFile), and answers the runs.
 * @throws ParityError for a MockConfigFile without the machine or a test case it lacks; CommandInputError for mocks that cannot be read
 */
export async function localRuns(machine: LoadedMachine, options: LocalRunOptions = {}): Promise<ParityRun[]> {
  const inputs = options.inputs && options.inputs.length > 0 ? options.inputs : [{}];
  const plans: Array<{ label: string; mocks: CommandMocks }> = [];
  const label = options.mocksFile ?? 'mocks';
  /** The MockConfigFile's name for the machine, which names it in the report when its definition has none. */
  let mockName: string | undefined;
  if (options.mocksFile === undefined && options.mocks === undefined) {
    if (options.testCases?.length) throw new ParityError('a test case is one of an AWS MockConfigFile: give the file (--mocks)');
    plans.push({ label: 'run', mocks: {} });
  } else {
    const raw = options.mocksFile !== undefined ? readJsonFile(options.mocksFile, 'mocks file') : options.mocks;
    const found = testCasesOf(raw, label, options, machine);
    const cases = found?.cases;
    mockName = found?.machine;
    if (cases === undefined) {
      if (options.testCases?.length) throw new ParityError(`a test case is one of an AWS MockConfigFile; ${label} is a simple mocks map`);
      plans.push({ label: 'run', mocks: commandMocksFromJson(raw, label) });
    } else {
      for (const testCase of cases) {
        plans.push({
          label: testCase,
          mocks: commandMocksFromJson(raw, label, {
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
        mocksLabel: label,
        ...(options.mockValidation !== undefined ? { mockValidation: options.mockValidation } : {}),
        ...(options.inlineCode !== undefined ? { inlineCode: options.inlineCode } : {}),
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
      }, machine.name ?? mockName ?? machine.label));
    }
  }
  return runsOfRecordings(recordings);
}

/** The MockConfigFile's state machine and the test cases of it to run, or undefined for a simple mocks map. */
function testCasesOf(
  raw: unknown, label: string, options: LocalRunOptions, machine: LoadedMachine,
): { machine: string; cases: readonly string[] } | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !(Object.hasOwn(raw, 'StateMachines') || Object.hasOwn(raw, 'MockedResponses'))) return undefined;
  const config = parseMockConfigFrom(label, raw, (m) => new ParityError(m));
  const names = Object.keys(config.StateMachines);
  const chosen = options.mockStateMachine ?? (names.length === 1 ? names[0] : machine.name);
  if (chosen === undefined || !Object.hasOwn(config.StateMachines, chosen)) {
    throw new ParityError(`${label} has no state machine ${chosen === undefined ? 'for this machine' : `'${chosen}'`}; choose one of ${names.join(', ') || '(none)'} (--mock-state-machine)`);
  }
  const all = Object.keys(config.StateMachines[chosen].TestCases);
  const missing = (options.testCases ?? []).filter((c) => !all.includes(c));
  if (missing.length > 0) throw new ParityError(`${label}: state machine '${chosen}' has no test case ${missing.map((c) => `'${c}'`).join(', ')}; it has ${all.join(', ') || 'none'}`);
  return { machine: chosen, cases: options.testCases?.length ? options.testCases : all };
}

/** A test case's name as an execution name: what AWS allows in one (1 to 80 characters, no spaces or brackets). */
function executionName(label: string): string {
  return label.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
}
