import type { CommandMocks } from './mocks';
import type { LoadedMachine } from './sources';
import type { JsonValue } from '../../asl';
import type { MachineType } from '../../asl/aws-defaults';
import { factsOf } from '../../asl/history-events';
import { DefinitionError } from '../../asl/states-errors';
import { parseRfc3339Timestamp } from '../../asl/timestamp';
import { InvalidDefinitionError } from '../../asl/validate';
import type { ChildExecutionFailure, ExecutionResult, HistoryEvent } from '../../interpreter';
import { VirtualClock } from '../../interpreter/clock';
import { InvalidExecutionInputError } from '../../interpreter/state-machine';
import { CommandInputError } from '../common/command-errors';
import { MockConfigError, InvalidMockError, MockKeyError } from '../mocks';
import type { MockDoor, RunAdvice } from '../mocks';
import { LocalS3OptionError, S3FolderError } from '../s3';
import type { WorkflowEngine, MapRunItemCounts, RunSettings, WorkflowRun } from '../workflow';

/**
 * Options of {@link runMachine}: the run's settings as the door was given them (RunSettings,
 * which pass through whole), with its mocks as a file or a field holds them, its local S3 as a
 * folder, the workflow type and the door.
 * @internal
 */
export interface RunMachineOptions extends Omit<RunSettings, 'mocks' | 'mockConfig' | 's3'> {
  readonly mocks?: CommandMocks;
  /** Names the mocks in messages (the mocks file, or the field that held them). */
  readonly mocksLabel?: string;
  /** The door the run came through, whose options the messages name. @default 'jest' */
  readonly door?: MockDoor;
  /** The workflow type. @default - the template's, else STANDARD */
  readonly type?: MachineType;
  /** A folder for the local S3: a folder per bucket, a file per key (`--s3-dir`). @default - none */
  readonly s3Dir?: string;
  /** The folder is only read (a door documented as reading: cost): what the run writes is checked and dropped. @default false */
  readonly s3ReadOnly?: boolean;
}

/**
 * The virtual clock of a run that starts at `startTime`, an RFC 3339 date-time as the Context
 * Object's `Execution.StartTime` and a Wait's `Timestamp` write it (`2025-03-01T09:00:00Z`,
 * `2025-03-01T10:00:00.250+01:00`), kept to the millisecond as a history's timestamps are: what
 * `stepwright run --start-time` and the MCP run tool's `startTime` give a run, as the harness's
 * `clock: new VirtualClock({ start })` does. Undefined for text that is no such date-time.
 * @internal
 */
export function clockStartingAt(startTime: string): VirtualClock | undefined {
  const at = parseRfc3339Timestamp(startTime);
  return at === undefined ? undefined : new VirtualClock({ start: at.seconds * 1000 + Math.floor(at.nanos / 1e6) });
}

/** What a door says of a start time that is no RFC 3339 date-time. @internal */
export const START_TIME_RULE = 'an RFC 3339 date-time with its zone, as a Wait\'s Timestamp is written (2025-03-01T09:00:00Z)';

/**
 * Runs one state machine on a virtual clock, with the harness's mocks, as
 * `stepwright run` does.
 * @throws CommandInputError for a definition that cannot run (invalidDefinition), mocks that match no Task, an input that cannot run
 * @internal
 */
export async function runMachine(machine: LoadedMachine, input: JsonValue, options: RunMachineOptions = {}): Promise<WorkflowRun> {
  const { type, ...rest } = options;
  return runWorkflow(machineWorkflow(machine, type), input, rest);
}

/**
 * The harness workflow of a loaded machine, as `stepwright run` and `cost` run it.
 * @throws CommandInputError (invalidDefinition) for a definition that cannot run
 * @internal
 */
export function machineWorkflow(machine: LoadedMachine, type: MachineType | undefined): WorkflowEngine {
  try {
    return machine.workflow(type);
  } catch (e) {
    if (e instanceof InvalidDefinitionError) throw new CommandInputError(`${machine.label}: ${e.message}`, true);
    if (e instanceof DefinitionError) throw new CommandInputError(`${machine.label}: the definition cannot run: ${e.message}`, true);
    throw e;
  }
}

/**
 * Runs a workflow once, as {@link runMachine} does (its `type` is the workflow's own).
 * @throws CommandInputError for mocks that match no Task, an input that cannot run, an --s3-dir that cannot be used
 * @internal
 */
export async function runWorkflow(workflow: WorkflowEngine, input: JsonValue, options: Omit<RunMachineOptions, 'type'> = {}): Promise<WorkflowRun> {
  try {
    const { mocks, mocksLabel: _label, door, s3Dir, s3ReadOnly, ...settings } = options;
    const s3 = s3Dir === undefined ? {} : { s3: { dir: s3Dir, ...(s3ReadOnly === true ? { readOnly: true } : {}) } };
    return await workflow.run(input, { ...mocks, ...settings, ...s3 }, door);
  } catch (e) {
    // A mock key that matches no Task, or a MockConfigFile test case for states the machine lacks.
    if (e instanceof MockKeyError || e instanceof InvalidMockError || e instanceof MockConfigError) throw new CommandInputError(`${options.mocksLabel ?? 'mocks'}: ${e.message}`);
    if (e instanceof InvalidExecutionInputError) throw new CommandInputError(`the input cannot run: ${e.message}`);
    // A folder beside an S3 endpoint (--s3-dir with --endpoint s3=<url>) is refused as serve refuses it.
    if (e instanceof S3FolderError || e instanceof LocalS3OptionError) throw new CommandInputError(`${options.door === 'mcp' ? 's3Dir' : '--s3-dir'}: ${e.message}`);
    throw e;
  }
}

/** One history event as `stepwright run --json --history` lists it. @internal */
export interface HistoryEntry {
  readonly id: number;
  readonly type: string;
  /** The state the event belongs to, when it names one. */
  readonly state?: string;
}

/** An execution as `stepwright run --json` prints it. @internal */
export interface RunReport {
  readonly status: string;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  readonly path: readonly string[];
  readonly executionArn: string;
  /** When the execution started and stopped on its virtual clock, ISO 8601, as DescribeExecution names them. */
  readonly startDate: string;
  readonly stopDate: string;
  /** The run's Map Runs with their item counts, when it had any. */
  readonly mapRuns?: readonly MapRunItemCounts[];
  /** What the run's checks noticed and let through (a mock's field the model does not define), when anything. */
  readonly advice?: readonly RunAdvice[];
  /** The child executions of Distributed Maps that failed, each with its own error and cause (the first 25 a Map state), when any did. */
  readonly childFailures?: readonly ChildExecutionFailure[];
  readonly history?: readonly HistoryEntry[];
}

/** The state an event names, if any. @internal */
export function stateOf(event: HistoryEvent): string | undefined {
  return factsOf(event).name;
}

function historyEntry(e: HistoryEvent): HistoryEntry {
  const state = stateOf(e);
  return { id: e.id, type: e.type, ...(state === undefined ? {} : { state }) };
}

/** An execution's result as `stepwright run --json` prints it, with its history's events listed when `history` is set. @internal */
export function runReport(result: ExecutionResult, history: boolean): RunReport {
  return {
    status: result.status,
    ...(result.status === 'SUCCEEDED' ? { output: result.output ?? null } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    path: result.path,
    executionArn: result.executionArn,
    startDate: result.startDate.toISOString(),
    stopDate: result.stopDate.toISOString(),
    // A WorkflowRun's Map Runs with their item counts, which `stepwright render --run` draws.
    ...(mapRunsOf(result).length > 0 ? { mapRuns: mapRunsOf(result) } : {}),
    ...(adviceOf(result).length > 0 ? { advice: adviceOf(result) } : {}),
    ...(childFailuresOf(result).length > 0 ? { childFailures: childFailuresOf(result) } : {}),
    ...(history ? { history: result.history.map(historyEntry) } : {}),
  };
}

/** The child executions of the run's Distributed Maps that failed, with their own errors. */
export function childFailuresOf(result: ExecutionResult): readonly ChildExecutionFailure[] {
  return (result.childExecutions ?? []).flatMap((usage) => usage.failures ?? []);
}

/** A WorkflowRun's advice: what its checks noticed and let through. */
export function adviceOf(result: ExecutionResult): readonly RunAdvice[] {
  return (result as Partial<Pick<WorkflowRun, 'advice'>>).advice ?? [];
}

const mapRunsOf = (result: ExecutionResult): readonly MapRunItemCounts[] => (result as Partial<Pick<WorkflowRun, 'mapRuns'>>).mapRuns ?? [];
