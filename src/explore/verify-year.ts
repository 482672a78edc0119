import type { StateDefinition } from '../asl';
import { AwsLimits } from '../asl/limits';
import { taskResource } from '../asl/task-resource';

/*
 * Where a STANDARD run can reach its year: verify's graph gives such a state the run's timeout as
 * an end (TIMED_OUT), as it gives every state of a run with its own TimeoutSeconds.
 */

/** A retrier's fields as written, each checked before it is read. */
interface Retrier {
  readonly IntervalSeconds?: unknown;
  readonly MaxAttempts?: unknown;
  readonly BackoffRate?: unknown;
  readonly MaxDelaySeconds?: unknown;
}

/**
 * The seconds a state's retriers may wait between attempts, at most: each interval grown by its
 * BackoffRate, capped by MaxDelaySeconds (the States Language's defaults where one is not written).
 * @internal
 */
export function retryWaitSeconds(state: StateDefinition): number {
  const retriers = (state as { Retry?: readonly Retrier[] }).Retry ?? [];
  let total = 0;
  for (const r of retriers) {
    const attempts = typeof r.MaxAttempts === 'number' ? r.MaxAttempts : 3;
    let interval = typeof r.IntervalSeconds === 'number' ? r.IntervalSeconds : 1;
    const rate = typeof r.BackoffRate === 'number' ? r.BackoffRate : 2;
    const cap = typeof r.MaxDelaySeconds === 'number' ? r.MaxDelaySeconds : Infinity;
    // Once the interval stops growing (capped, or a BackoffRate of 1) the rest is one product: a
    // MaxAttempts of 99,999,999 must not cost as many turns.
    for (let k = 0; k < attempts && total < AwsLimits.STANDARD_DURATION_SECONDS; k++) {
      if (interval >= cap || rate <= 1) {
        total += Math.max(0, Math.min(interval, cap)) * (attempts - k);
        break;
      }
      total += interval;
      interval *= rate;
    }
  }
  return total;
}

/**
 * Whether a STANDARD run may still be in `state` a year after it started, when AWS ends it
 * TIMED_OUT there (AWS's quota of a year per STANDARD execution): a Wait whose time the
 * definition does not fix (a path, an expression or a timestamp may lie years ahead) or whose
 * Seconds, entered again in a loop until the history's limit, add up to a year; a Task whose
 * calls may take that long (a `.sync` job, a callback or an activity answers within a year:
 * verify-late's latestAnswer) with no TimeoutSeconds to end them sooner; retries that wait that
 * long. Only a state that cannot is left without the run's timeout as an end.
 * @internal
 */
export function mayLastAYear(state: StateDefinition): boolean {
  const year = AwsLimits.STANDARD_DURATION_SECONDS;
  if (state.Type === 'Wait') {
    // In a loop a Wait is entered again and again until the history's 25,000 events (two a turn)
    // run out, so only one short enough that those turns stay within the year cannot reach it.
    const seconds = (state as { Seconds?: unknown }).Seconds;
    return !(typeof seconds === 'number' && seconds * (AwsLimits.HISTORY_EVENTS / 2) < year);
  }
  const waits = retryWaitSeconds(state);
  if (waits >= year) return true;
  if (state.Type !== 'Task') return false;
  const r = typeof state.Resource === 'string' ? taskResource(state.Resource) : undefined;
  const call = r !== undefined && r.pattern === 'request' && r.kind !== 'activity' ? AwsLimits.REQUEST_RESPONSE_SECONDS : year;
  const timeout = (state as { TimeoutSeconds?: unknown }).TimeoutSeconds;
  const attempt = typeof timeout === 'number' && timeout > 0 ? Math.min(timeout, call) : call;
  const retriers = (state as { Retry?: readonly Retrier[] }).Retry ?? [];
  const attempts = 1 + retriers.reduce((n, x) => n + (typeof x.MaxAttempts === 'number' ? x.MaxAttempts : 3), 0);
  return attempt * attempts + waits >= year;
}
