/*
 * A waiting Task's clocks: when it times out (TimeoutSeconds, HeartbeatSeconds, a handler's own
 * answer that it timed out), kept apart from task.ts, which runs the call.
 */
import type { TaskInvocation } from './task';
import { heartbeatLapseError } from '../../asl/error-rules';
import { AwsLimits } from '../../asl/limits';
import { StatesErrors, StatesError } from '../../asl/states-errors';

/** When a waiting task times out, and how to wake its wait loop early (a heartbeat, a stop). @internal */
export class Waiter {
  public heartbeatAt: number;
  /** The handler's answer, when it said the Task timed out; thrown at {@link timedOutAt}. */
  public timedOut: StatesError | undefined = undefined;
  public timedOutAt = Infinity;
  public wake: (() => void) | undefined = undefined;
  /** Sets the wait's timer again for the deadline a heartbeat moved, at once (see heartbeat). */
  public rearm: (() => void) | undefined = undefined;
  /**
   * Heartbeats come through SendTaskHeartbeat with a task token: only activities,
   * callback (.waitForTaskToken) and job-run (.sync) tasks have one. A request-response
   * task (a Lambda function, lambda:invoke, ...) has no heartbeat clock: its
   * HeartbeatSeconds never fires, and only TimeoutSeconds bounds it.
   */
  private readonly heartbeatMs: number | undefined;
  constructor(inv: TaskInvocation, public readonly started: number) {
    this.heartbeatMs = inv.heartbeatSeconds !== undefined && inv.token !== undefined ? inv.heartbeatSeconds * 1000 : undefined;
    this.heartbeatAt = this.heartbeatMs !== undefined ? started + this.heartbeatMs : Infinity;
  }

  /**
   * A heartbeat moves the deadline, and the timer with it before anything else runs: a test that
   * sends a heartbeat and then moves the clock (advanceTime) finds the new deadline set already.
   */
  heartbeat(now: number): void {
    if (this.heartbeatMs === undefined) return;
    this.heartbeatAt = now + this.heartbeatMs;
    this.rearm?.();
  }

  /**
   * An activity task waits for a worker to take it (awaitActivityWorker): until then only
   * TimeoutSeconds runs, counted from ActivityScheduled ("Configure how long a state waits by
   * setting TimeoutSeconds", the developer guide's Activities page), and HeartbeatSeconds from
   * ActivityStarted, when the worker took the task and its token (heartbeat, called then). No
   * worker can send a heartbeat before it holds the token; LocalStack's activity Task, checked
   * against AWS, waits for the start with TimeoutSeconds alone and arms the heartbeat after it.
   */
  awaitStart(): void {
    this.heartbeatAt = Infinity;
    this.rearm?.();
  }

  /**
   * The handler's own answer, when it said the Task timed out: the Task fails with it at the
   * deadline of its clock (timeoutDeadline), however early the handler said so.
   */
  timeOut(inv: TaskInvocation, error: StatesError): void {
    this.timedOut = lapsed(inv, error);
    this.timedOutAt = timeoutDeadline(inv, this.started, this.heartbeatAt, error.error);
    this.rearm?.();
  }
}

/**
 * When a Task whose handler answered that it timed out (a mock's `States.Timeout` or
 * `States.HeartbeatTimeout`) times out on AWS: only when its clock runs out. AWS raises these
 * errors itself, from the Task's own clocks, never from a service's answer (Task state page of
 * the developer guide: "If the task runs longer than the specified seconds, this state fails
 * with a States.Timeout error name"; the count begins when the task has started, its
 * …Started event; https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html). Recorded: LocalStack's test_fixed_timeout_service_lambda, a function that
 * runs 60 s under TimeoutSeconds 5, ends TaskScheduled, TaskStarted, TaskTimedOut; its
 * test_sqs_wait_for_task_token_timeout (TimeoutSeconds 5, no callback) TaskSubmitted, then
 * TaskTimedOut; test_activity_task_start_timeout ActivityStarted, then ActivityTimedOut.
 *
 * - `States.Timeout`: `TimeoutSeconds` after the start (a `TimeoutSecondsPath` or JSONata value
 *   as this call evaluated it). A Task without one has AWS's default, 99,999,999 s, longer than
 *   any execution may run, so the execution's own time limit ends it first; except that a
 *   callback or `.sync` Task with `HeartbeatSeconds` times out as `States.Timeout` when its
 *   heartbeats stop (recorded: LocalStack's test_heartbeats), which is then the earliest.
 * - `States.HeartbeatTimeout`: `HeartbeatSeconds` after the last heartbeat (or the start), and
 *   never later than the Task's `TimeoutSeconds`.
 *
 * Each attempt of a Retry takes its own time, as each one times out again on AWS.
 * @internal
 */
export function timeoutDeadline(inv: TaskInvocation, started: number, heartbeatAt: number | undefined, error: string): number {
  const timeoutAt = started + (inv.timeoutSeconds ?? AwsLimits.TASK_DEFAULT_TIMEOUT_SECONDS) * 1000;
  const beatAt = heartbeatAt !== undefined && heartbeatAt !== Infinity
    ? heartbeatAt
    : inv.heartbeatSeconds !== undefined ? started + inv.heartbeatSeconds * 1000 : Infinity;
  if (error === StatesErrors.HEARTBEAT_TIMEOUT) {
    return Math.min(timeoutAt, beatAt === Infinity ? started + AwsLimits.TASK_DEFAULT_TIMEOUT_SECONDS * 1000 : beatAt);
  }
  if (inv.timeoutSeconds === undefined && inv.token !== undefined && inv.kind.kind === 'service') return Math.min(timeoutAt, beatAt);
  return timeoutAt;
}

/**
 * The error a Task fails with when its handler answered States.HeartbeatTimeout: the name AWS gives
 * a lapsed heartbeat of this kind of Task (heartbeatLapseError), as the wait loop raises it: a
 * callback or `.sync` Task times out as States.Timeout, which a Catch or Retry of
 * States.HeartbeatTimeout does not take; an activity as States.HeartbeatTimeout.
 * @internal
 */
export function lapsed(inv: TaskInvocation, error: StatesError): StatesError {
  if (error.error !== StatesErrors.HEARTBEAT_TIMEOUT || heartbeatLapseError(inv.resourceArn) !== StatesErrors.TIMEOUT) return error;
  return new StatesError(StatesErrors.TIMEOUT, error.cause);
}
