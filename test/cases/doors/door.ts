import type { LimiterTimes } from './case-files';
import type { BehaviourCase, DoorName } from '../case-format';
import type { DoorOutcome } from '../observation';

/** One way into a run, driven as its users drive it. */
export interface Door {
  readonly name: DoorName;
  /**
   * Why this door cannot run a case of this kind (for example a callback through the CLI), said
   * by the door for every case of the kind; a case can add its own reason (`cannot`).
   */
  cannotRun(c: BehaviourCase): string | undefined;
  /** Runs the case to its end (bounded) and reports what the door answered. */
  run(c: BehaviourCase): Promise<DoorOutcome>;
  /** How long the door spent running cases (see {@link LimiterTimes}). */
  times(): LimiterTimes;
  /** Stops what the door started (its server, its temporary files). */
  close(): Promise<void>;
}

/** The state machine's name where a door lets the test choose it: the name jest and `stepwright run` give an ASL file's machine. */
export const MACHINE_NAME = 'StateMachine';

/** Where the virtual clock of jest, `stepwright run` and MCP's `run` starts (VirtualClock's default). */
export const VIRTUAL_CLOCK_START = Date.UTC(2024, 0, 1);

/** Where a case's run starts on the virtual clock: its `startTime`, else the clock's default. */
export function startOf(c: { readonly startTime?: string }): number {
  return c.startTime === undefined ? VIRTUAL_CLOCK_START : Date.parse(c.startTime);
}

/** The status an explore case reports: it explored the machine, it ran no one execution. */
export const EXPLORED = 'EXPLORED';

/** The role serve's machines are created with: the one the harness gives a definition's machine. */
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/StepFunctionsRole';

/**
 * Each door's bound on one case's command, tool call, run or API wait: a guard against a hang,
 * never a measure. Beside six CPU-bound processes, with six cases in flight through every door in
 * one jest worker, a spawned `stepwright run` and an MCP `run` call each passed the 60 s bound
 * they had (load 30), failing two cases that pass; far above what any case takes.
 */
export const HANG_MS = 300_000;

/** Resolves with `promise`, or rejects naming `what` once `ms` real milliseconds pass: a bound against a hang, never a measure. */
export async function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms / 1000} s`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
