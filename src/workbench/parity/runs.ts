/**
 * Where the runs of a parity check come from: recordings (`stepwright record`'s files, and the
 * runs file a jest run writes with the reporter's `parity` option, one recording per line), and
 * executions run here with the user's mocks.
 */
import { readParityFile } from './case-file';
import { ParityError } from './types';
import type { ParityRun } from './visit-cases';
import type { StateMachineDefinition } from '../../asl';
import { detailsOf } from '../../asl/history-events';
import type { ExecutionResult } from '../../interpreter';
import { DATA_FILE_LIMIT } from '../common';
import { parseRecording, recordedDefinition, RecordingError, RECORDING_FORMAT, RECORDING_VERSION, type RecordedEvent, type Recording } from '../replay/format';

/** The runs recordings stand for, each named by its state machine and execution. */
export function runsOfRecordings(recordings: readonly Recording[]): ParityRun[] {
  return recordings.map((r) => {
    const arnName = (arn: string): string => arn.split(':').pop() ?? arn;
    const started = r.events.find((e) => e.type === 'ExecutionStarted');
    const role = started === undefined ? undefined : detailsOf(started)?.roleArn;
    const roleArn = r.stateMachine.roleArn ?? (typeof role === 'string' ? role : undefined);
    const startDate = r.execution.startDate ?? (typeof started?.timestamp === 'string' ? started.timestamp : undefined);
    return {
      machine: r.stateMachine.name ?? arnName(r.stateMachine.arn),
      definition: recordedDefinition(r),
      name: r.execution.name ?? arnName(r.execution.arn),
      executionArn: r.execution.arn,
      input: r.execution.input,
      status: r.execution.status,
      ...(startDate !== undefined ? { startDate } : {}),
      ...(roleArn !== undefined ? { roleArn } : {}),
      events: r.events,
    };
  });
}

/**
 * Reads a runs file: one recording (a JSON object), or JSON Lines of recordings, as the jest
 * reporter writes them. A regular file of at most 256 MiB; every recording checked.
 * @throws ParityError naming the file, the line and what is wrong
 */
export function readRunsFile(file: string): Recording[] {
  return readRunsText(readParityFile(file, DATA_FILE_LIMIT), file);
}

/**
 * Reads runs from text: one recording, or JSON Lines of recordings.
 * @param label names the text in messages (the file)
 * @throws ParityError naming the label, the line and what is wrong
 */
export function readRunsText(text: string, label: string): Recording[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    try {
      return [parseRecording(text)];
    } catch (e) {
      if (e instanceof RecordingError) throw new ParityError(`${label}: ${e.message}`);
      throw e;
    }
  }
  const out: Recording[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    try {
      out.push(parseRecording(lines[i]));
    } catch (e) {
      if (e instanceof RecordingError) throw new ParityError(`${label}:${i + 1}: ${e.message}`);
      throw e;
    }
  }
  return out;
}

/** What {@link recordingOfExecution} reads of an execution: the interpreter's result, or a harness run. */
export type ExecutedRun = Pick<ExecutionResult, 'executionArn' | 'status' | 'output' | 'error' | 'cause' | 'startDate' | 'stopDate' | 'history'>;

/**
 * An execution run here, as a recording: what a runs file holds of each run a jest test made,
 * and what `stepwright parity` reads of the runs it makes with a MockConfigFile.
 */
export function recordingOfExecution(definition: StateMachineDefinition, result: ExecutedRun, name: string | undefined): Recording {
  const started = result.history.find((e) => e.type === 'ExecutionStarted');
  const input = started === undefined ? null : detailsOf(started)?.input;
  const parts = result.executionArn.split(':');
  const machineArn = parts.length >= 8 ? `${parts.slice(0, 5).join(':')}:stateMachine:${parts[6]}` : result.executionArn;
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    stateMachine: { arn: machineArn, name: name ?? parts[6] ?? 'StateMachine', definition },
    execution: {
      arn: result.executionArn,
      name: parts[parts.length - 1],
      status: result.status,
      input: typeof input === 'string' ? JSON.parse(input) : null,
      ...(result.output !== undefined ? { output: result.output } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
      ...(result.cause !== undefined ? { cause: result.cause } : {}),
      startDate: result.startDate.toISOString(),
      stopDate: result.stopDate.toISOString(),
    },
    events: result.history.map((e) => ({ ...e, timestamp: e.timestamp.toISOString() }) as RecordedEvent),
  };
}
