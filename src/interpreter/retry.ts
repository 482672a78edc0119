import type { Retrier } from '../asl/definition-types';

/**
 * True when an error name matches a Retry or Catch `ErrorEquals` list.
 * `States.Runtime` matches nothing: AWS neither retries nor catches it, not
 * even where a Retry or Catch names it (recorded: a Catch on `States.Runtime`
 * around an OutputPath that names nothing, and the execution failed).
 * `States.ALL` matches every other error, and `States.TaskFailed` every other
 * error but `States.Timeout`.
 * @internal
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (error === UNCATCHABLE) return false;
  for (const name of errorEquals) {
    if (name === error || name === 'States.ALL') return true;
    if (name === 'States.TaskFailed' && error !== 'States.Timeout') return true;
  }
  return false;
}

// The one error no Retry or Catch handles. (States.DataLimitExceeded needs no entry: a state's
// own output over the limit fails the execution without consulting catchers, and a Task result
// over the limit is a task failure that States.ALL catches.)
const UNCATCHABLE = 'States.Runtime';

/** A Retry rule with its defaults filled in. @internal */
export interface CompiledRetrier {
  readonly errorEquals: readonly string[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds: number | undefined;
  readonly jitter: boolean;
}

/** @internal */
export function compileRetrier(r: Retrier): CompiledRetrier {
  return {
    errorEquals: r.ErrorEquals,
    intervalSeconds: r.IntervalSeconds ?? 1,
    maxAttempts: r.MaxAttempts ?? 3,
    backoffRate: r.BackoffRate ?? 2,
    maxDelaySeconds: r.MaxDelaySeconds,
    jitter: r.JitterStrategy === 'FULL',
  };
}

/**
 * Delay in milliseconds before retry number `attempt` (0-based) of a retrier:
 * IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds, and with
 * FULL jitter a uniform fraction of that.
 * @internal
 */
export function retryDelayMs(r: CompiledRetrier, attempt: number, random: () => number): number {
  let seconds = r.intervalSeconds * Math.pow(r.backoffRate, attempt);
  if (r.maxDelaySeconds !== undefined) seconds = Math.min(seconds, r.maxDelaySeconds);
  if (r.jitter) seconds = random() * seconds;
  return Math.round(seconds * 1000);
}

/** Finds the catcher for an error, if any. @internal */
export function findCatcher<C extends { readonly ErrorEquals: readonly string[] }>(catchers: readonly C[], error: string): C | undefined {
  for (const c of catchers) if (errorMatches(c.ErrorEquals, error)) return c;
  return undefined;
}
