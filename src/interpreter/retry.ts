import type { Retrier } from '../asl';

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
