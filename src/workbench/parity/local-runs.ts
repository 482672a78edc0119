/**
 * Runs made here for a parity check: a state machine run with the user's mocks (a mocks file
 * or an AWS MockConfigFile, each of its test cases) on each input, as `stepwright run` runs it.
 */
import { recordingOfExecution, runsOfRecordings } from './runs';
import { ParityError } from './types';
import type { ParityRun } from './visit-cases';
import { StatesErrors, type JsonValue } from '../../asl';
import { detailsOf, EXECUTION_UNSUCCESSFUL, isEntered, stateNameOf } from '../../asl/history-events';
import { AwsLimits } from '../../asl/limits';
import { readJsonFile, type LoadedMachine } from '../commands';
import { commandMocksFromJson, type CommandMocks } from '../commands/mocks';
import { machineWorkflow, runWorkflow, type RunMachineOptions } from '../commands/run';
import { printable } from '../common/printable';
import { parseMockConfigFrom } from '../mocks';
import type { MockDoor } from '../mocks';

/**
 * What to run. The run settings it shares with `stepwright run` (mockValidation, inlineCode, s3Dir)
 * are `runMachine`'s own; the S3 folder is only read here: what a run writes is checked and dropped.
 */
export interface LocalRunOptions extends Pick<RunMachineOptions, 'mockValidation' | 'inlineCode' | 's3Dir'> {
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
  /** The door the runs come through, whose options the messages name. @default 'cli' */
  readonly door?: MockDoor;
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
  // One engine for every run: the definition is checked and compiled once, and the recordings hold it as checked.
  const workflow = machineWorkflow(machine, undefined);
  for (const plan of plans) {
    for (let i = 0; i < inputs.length; i++) {
      const name = executionName(`${plan.label}-${i + 1}`);
      const run = await runWorkflow(workflow, inputs[i], {
        mocks: plan.mocks,
        name,
        mocksLabel: label,
        ...(options.mockValidation !== undefined ? { mockValidation: options.mockValidation } : {}),
        ...(options.inlineCode !== undefined ? { inlineCode: options.inlineCode } : {}),
        ...(options.s3Dir !== undefined ? { s3Dir: options.s3Dir, s3ReadOnly: true } : {}),
        door: options.door ?? 'cli',
      });
      recordings.push(recordingOfExecution(workflow.definition, {
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
  return label.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, AwsLimits.NAME_CHARS);
}

/**
 * The errors Step Functions raises itself when a run cannot go on: not an answer of a Task or a
 * Fail state of the machine, but a Task nothing answered or a mock refused (States.Runtime), a
 * path, expression or intrinsic that fails, an S3 object or folder the run needs that is not
 * there (ItemReaderFailed, ResultWriterFailed), a payload over the limit, a Choice with no match.
 */
const RUN_FAULTS: ReadonlySet<string> = new Set([
  StatesErrors.RUNTIME, StatesErrors.QUERY_EVALUATION_ERROR, StatesErrors.INTRINSIC_FAILURE, StatesErrors.PARAMETER_PATH_FAILURE,
  StatesErrors.RESULT_PATH_MATCH_FAILURE, StatesErrors.ITEM_READER_FAILED, StatesErrors.RESULT_WRITER_FAILED,
  StatesErrors.DATA_LIMIT_EXCEEDED, StatesErrors.NO_CHOICE_MATCHED,
]);

/** A run made here that did not succeed, as parity reports it beside the visits it checked. */
export interface FailedLocalRun {
  /** The state machine's name, as the report shows it. */
  readonly machine: string;
  /** The execution's name. */
  readonly run: string;
  /** FAILED, TIMED_OUT or ABORTED. */
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
  /** The Fail state the run ended in, when it ended in one. */
  readonly failState?: string;
  /**
   * True when the run failed on something neither the machine nor its mocks say: a Task no mock
   * answered, a mock refused, an S3 folder or object missing, a path or expression that fails
   * (an error Step Functions raises itself, other than in a Fail state). The run then did not do
   * what its test case meant, the states after the failure were never visited, and parity checked
   * only part of it. A run that ends in a Fail state, or with an error a Task's answer raised (a
   * mock's Throw), failed as it was written to.
   */
  readonly unplanned: boolean;
}

/**
 * The runs among `runs` that did not succeed, read from each run's history: how it ended, its
 * error and cause, and whether the failure was one its machine or mocks say (see
 * {@link FailedLocalRun.unplanned}).
 */
export function failedLocalRuns(runs: readonly ParityRun[]): FailedLocalRun[] {
  const out: FailedLocalRun[] = [];
  for (const run of runs) {
    if (run.status === 'SUCCEEDED' || run.status === 'RUNNING') continue;
    const events = run.events;
    let end = -1;
    for (let i = events.length - 1; i >= 0; i--) {
      if (EXECUTION_UNSUCCESSFUL.has(events[i]?.type)) { end = i; break; }
    }
    const details = end >= 0 ? detailsOf(events[end]) : undefined;
    const error = typeof details?.error === 'string' ? details.error : undefined;
    const cause = typeof details?.cause === 'string' ? details.cause : undefined;
    let failState: string | undefined;
    for (let i = end - 1; i >= 0; i--) {
      if (!isEntered(events[i])) continue;
      if (events[i].type === 'FailStateEntered') failState = stateNameOf(events[i]);
      break;
    }
    out.push({
      machine: run.machine,
      run: run.name,
      status: run.status,
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
      ...(failState !== undefined ? { failState } : {}),
      unplanned: failState === undefined && error !== undefined && RUN_FAULTS.has(error),
    });
  }
  return out;
}

/** The widest cause a line shows; the --json report holds it whole. */
const CAUSE_SHOWN = 600;

/**
 * A line per failed run, for the text after parity's table: the run, how it ended and with what,
 * and for an unplanned failure what that means for the check.
 */
export function failedRunsText(failed: readonly FailedLocalRun[]): string {
  const lines: string[] = [];
  for (const f of failed) {
    const cause = f.cause === undefined ? '' : `: ${f.cause.length > CAUSE_SHOWN ? `${f.cause.slice(0, CAUSE_SHOWN - 3)}...` : f.cause}`;
    const how = f.error === undefined ? '' : ` with ${f.error}${cause}`;
    const where = f.failState !== undefined ? ` in its Fail state '${f.failState}'` : '';
    lines.push(printable(`local run '${f.run}' of ${f.machine} ${f.status}${where}${how}`));
    if (f.unplanned) {
      lines.push('  it failed on something neither the machine nor its mocks say, so the states after the failure were never visited '
        + 'and never checked: fix the run (stepwright run shows it whole) and check again');
    }
  }
  return lines.join('\n');
}
