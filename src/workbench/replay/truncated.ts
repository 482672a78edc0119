/*
 * A recording cut short: a Task call scheduled in it with no event that ends the call. When the
 * recorded execution ended (it FAILED, SUCCEEDED, TIMED_OUT), the call ended too, so a local run
 * that reaches a point where it only waits on that call would wait for ever. The call may still
 * end locally (a sibling Parallel branch that fails cancels it, a Task timeout fires): it is only
 * judged stuck once the whole run is quiescent, across two turns of the event loop.
 */
import { setImmediate } from 'node:timers';
import type { RecordedAnswer } from './answers';
import { RecordingError } from './format';
import { StatesErrors } from '../../asl/states-errors';
import { taskResource } from '../../asl/task-resource';
import type { TaskRequest } from '../../interpreter/execution-types';
import type { HarnessClock } from '../mocks/dispatch';

/** The events that end a call AWS scheduled as `<family>Scheduled` (GetExecutionHistory's event types). */
function endingsOf(family: string): string {
  return ['Failed', 'Succeeded', 'TimedOut'].map((end) => `${family}${end}`).join('/');
}

/** Turns of the event loop the run must stay still for before a pending call is judged stuck. */
const STILL_TURNS = 2;

/** Watches the pending calls of one local run of a recording; the first found stuck stops the run, and {@link error} says why. */
export class TruncationWatch {
  /** Why the run was stopped: the recording has no end for a call the run waits on alone. */
  error: RecordingError | undefined;
  private ended = false;

  constructor(private readonly clock: HarnessClock, private readonly events: () => number) {}

  /**
   * Watches a call the recording never answers: once nothing else can move the run (no clock timer
   * set, no hold for work in flight, no new event over {@link STILL_TURNS} turns) and the call was not
   * cancelled, the run is stopped and {@link error} names the state and the missing event.
   */
  watch(request: TaskRequest, answer: RecordedAnswer): void {
    const kind = taskResource(request.resource).kind;
    // The three families of Task events (answers.ts): Activity*, LambdaFunction* for a Lambda ARN, Task* for the rest.
    const family = kind === 'activity' ? 'Activity' : kind === 'lambda-arn' ? 'LambdaFunction' : 'Task';
    let seen = -1;
    let still = 0;
    const tick = (): void => {
      if (this.ended || request.signal.aborted || this.error !== undefined) return;
      const count = this.events();
      if (this.clock.hasActiveTimer() || this.clock.isHeld() || count !== seen) {
        seen = count;
        still = 0;
      } else if (++still >= STILL_TURNS) {
        this.error = truncated(request.stateName, answer, family);
        request.execution.stop(StatesErrors.RUNTIME, this.error.message);
        return;
      }
      setImmediate(tick);
    };
    setImmediate(tick);
  }

  /** The run ended: its calls are watched no more. */
  end(): RecordingError | undefined {
    this.ended = true;
    return this.error;
  }
}

function truncated(state: string, answer: RecordedAnswer, family: string): RecordingError {
  const event = `${family}Scheduled${answer.eventId === undefined ? '' : ` (event ${answer.eventId})`}`;
  return new RecordingError('INVALID_FIELD', `${event} for Task state '${state}' has no ${endingsOf(family)} in the recording, `
    + 'yet the execution ended and the local run waits on nothing else: the recording looks truncated; record the execution\'s whole history again');
}
