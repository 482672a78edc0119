/*
 * A recording cut short: a Task call scheduled in it with no event that ends the call. When the
 * recorded execution ended (it FAILED, SUCCEEDED, TIMED_OUT), the call ended too, so a local run
 * that reaches a point where it only waits on that call would wait for ever. The call may still
 * end locally (a sibling Parallel branch that fails cancels it, a Task timeout fires): it is only
 * judged stuck once the whole run is quiescent, as the virtual clock tells (Clock.whenIdle), with
 * no new event between two such moments.
 */
import type { RecordedAnswer } from './answers';
import { RecordingError } from './format';
import { StatesErrors } from '../../asl/states-errors';
import { taskResource } from '../../asl/task-resource';
import type { Clock } from '../../interpreter/clock';
import type { TaskRequest } from '../../interpreter/execution-types';

/** The events that end a call AWS scheduled as `<family>Scheduled` (GetExecutionHistory's event types). */
function endingsOf(family: string): string {
  return ['Failed', 'Succeeded', 'TimedOut'].map((end) => `${family}${end}`).join('/');
}

/** Watches the pending calls of one local run of a recording; the first found stuck stops the run, and {@link error} says why. */
export class TruncationWatch {
  /** Why the run was stopped: the recording has no end for a call the run waits on alone. */
  error: RecordingError | undefined;
  private ended = false;
  /** The removals of the idle listeners still waiting. */
  private readonly waiting = new Set<() => void>();

  /**
   * @param clock the run's clock; one that cannot tell when it is idle watches nothing
   * @param events how many events the run's history holds now
   */
  constructor(private readonly clock: Pick<Clock, 'whenIdle'>, private readonly events: () => number) {}

  /**
   * Watches a call the recording never answers: once nothing else can move the run (the clock is
   * idle: no timer set, no hold for work in flight) twice with no new event between, and the call
   * was not cancelled, the run is stopped and {@link error} names the state and the missing event.
   * Nothing runs while the clock is held or moving: each look waits for the clock's next idle moment.
   */
  watch(request: TaskRequest, answer: RecordedAnswer): void {
    const clock = this.clock;
    if (clock.whenIdle === undefined) return;
    const kind = taskResource(request.resource).kind;
    // The three families of Task events (answers.ts): Activity*, LambdaFunction* for a Lambda ARN, Task* for the rest.
    const family = kind === 'activity' ? 'Activity' : kind === 'lambda-arn' ? 'LambdaFunction' : 'Task';
    let seen = -1;
    let remove: () => void;
    const look = (): void => {
      this.waiting.delete(remove);
      if (this.ended || request.signal.aborted || this.error !== undefined) return;
      const count = this.events();
      if (count === seen) {
        this.error = truncated(request.stateName, answer, family);
        request.execution.stop(StatesErrors.RUNTIME, this.error.message);
        return;
      }
      seen = count;
      remove = clock.whenIdle!(look);
      this.waiting.add(remove);
    };
    remove = clock.whenIdle(look);
    this.waiting.add(remove);
  }

  /** The run ended: its calls are watched no more. */
  end(): RecordingError | undefined {
    this.ended = true;
    for (const remove of this.waiting) remove();
    this.waiting.clear();
    return this.error;
  }
}

function truncated(state: string, answer: RecordedAnswer, family: string): RecordingError {
  const event = `${family}Scheduled${answer.eventId === undefined ? '' : ` (event ${answer.eventId})`}`;
  return new RecordingError('INVALID_FIELD', `${event} for Task state '${state}' has no ${endingsOf(family)} in the recording, `
    + 'yet the execution ended and the local run waits on nothing else: the recording looks truncated; record the execution\'s whole history again');
}
