import { parseRecording, recordedDefinition, RecordingError, type RecordedEvent, type Recording } from './format';
import { runRecorded } from './replay';
import { resumePointOf } from './resume-point';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import type { ExecutionResult, TaskHandler } from '../../interpreter';

/** Options of {@link resume}. */
export interface ResumeOptions {
  /**
   * Answers the Tasks of the remaining work (the work is done anew, as in a
   * redrive): keyed by state name or resource ARN.
   * @default - none
   */
  readonly taskHandlers?: Record<string, TaskHandler>;
  /** Answers any Task `taskHandlers` does not name. @default - none: such a Task fails with States.Runtime */
  readonly defaultTaskHandler?: TaskHandler;
}

/**
 * Restarts a failed (timed out, aborted) recorded execution's remaining work
 * from its recording, as RedriveExecution would from the history: the
 * recorded definition runs from the top-level state the execution stopped
 * in, with the input that state had, and the Tasks from there on are
 * answered by the given handlers. For a disaster-recovery drill: record in
 * one region, resume the work elsewhere.
 *
 * @example
 * const rec = await record(failedExecutionArn, { region: 'eu-west-1' });
 * const run = await resume(rec, { taskHandlers: { Charge: chargeInRegionB, Ship: shipInRegionB } });
 * @throws RecordingError when the execution succeeded or is running, or never entered a state
 */
export async function resume(recording: Recording | string, options: ResumeOptions = {}): Promise<ExecutionResult> {
  const rec = parseRecording(recording);
  if (rec.execution.status === 'SUCCEEDED' || rec.execution.status === 'RUNNING') {
    throw new RecordingError('INVALID_FIELD', `execution ${rec.execution.arn} is ${rec.execution.status}; only a FAILED, TIMED_OUT or ABORTED execution has remaining work to resume`);
  }
  const definition = recordedDefinition(rec);
  const from = resumePointOf(definition.States, rec.events as RecordedEvent[]);
  if (!from) throw new RecordingError('INVALID_FIELD', `execution ${rec.execution.arn} failed before entering a state; start it again instead`);
  return runRecorded(rec, definition, () => (input, request) => {
    const handler = options.taskHandlers?.[request.stateName] ?? options.taskHandlers?.[request.resource] ?? options.defaultTaskHandler;
    if (!handler) throw new StatesError(StatesErrors.RUNTIME, `no handler for Task state '${request.stateName}' (resource ${request.resource}); add it to taskHandlers`);
    return handler(input, request);
  }, from);
}
