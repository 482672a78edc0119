import type { VerifyReport } from './verify';
import type { ExecutionResult, ExecutionStatus } from '../interpreter';

/*
 * The properties `verify` checks over every path of a machine: a small vocabulary over the
 * states a run enters and how it ends, and any function of a finished run.
 */

/** A state is never entered. */
export interface NeverProperty { readonly kind: 'never'; readonly state: string }
/** Every time `from` is entered, one of `to` is entered after it, before the run ends. */
export interface LeadsToProperty { readonly kind: 'leadsTo'; readonly from: string; readonly to: readonly string[] }
/** `then` is entered only after `first` has been entered. */
export interface PrecedesProperty { readonly kind: 'precedes'; readonly first: string; readonly then: string }
/** A state is entered at most `times` times in one run (loops, Map iterations and branches count). */
export interface AtMostProperty { readonly kind: 'atMost'; readonly state: string; readonly times: number }
/**
 * The run ends with one of `statuses` (any status when absent) and, when it ends with an error,
 * one of `errors` (any error when absent).
 */
export interface EndsWithProperty {
  readonly kind: 'endsWith';
  readonly statuses?: readonly ExecutionStatus[];
  readonly errors?: readonly string[];
}
/** A run enters at most `limit` states (its path's length, branches and iterations included). */
export interface MaxTransitionsProperty { readonly kind: 'maxTransitions'; readonly limit: number }
/** A run lasts at most `limit` seconds on its virtual clock (waits, retry intervals, timeouts). */
export interface MaxSecondsProperty { readonly kind: 'maxSeconds'; readonly limit: number }

/** A property over the states a run enters and how it ends, built with {@link Property}. */
export type PathProperty =
  | NeverProperty | LeadsToProperty | PrecedesProperty | AtMostProperty | EndsWithProperty
  | MaxTransitionsProperty | MaxSecondsProperty;

/** A predicate over a finished run: true when the run keeps the property. */
export type RunPredicate<R extends ExecutionResult = ExecutionResult> = (run: R) => boolean;

/** A predicate over a finished run, with a description for the report. */
export interface RunProperty<R extends ExecutionResult = ExecutionResult> {
  readonly kind: 'run';
  readonly test: RunPredicate<R>;
  readonly description?: string;
}

/** What `verify` checks: a path property, a run property, or a bare predicate over the run. */
export type VerifyProperty<R extends ExecutionResult = ExecutionResult> = PathProperty | RunProperty<R> | RunPredicate<R>;

/** A property that does not fit the machine or is not well formed: names the property and what to fix. */
export class PropertyError extends Error {
  /**
   * When the error was found only once the runs were made (a function of the run that returned
   * no boolean, or did not return within its door's limit): the verdicts of every property, those
   * the error names UNKNOWN with it as their reason, for a door that prints the others' verdicts.
   * @default - none: the property was refused before any run
   */
  public readonly report?: VerifyReport;

  constructor(message: string, report?: VerifyReport) {
    super(message);
    this.name = 'PropertyError';
    if (report !== undefined) this.report = report;
  }
}

/**
 * What a function of the run throws in place of an answer when the door that calls it stopped it
 * at a limit (`stepwright verify` calls a module's predicates in a worker thread, bounded in time
 * and memory): verify calls it no more and refuses it, with `reason`, once the runs are made.
 * @internal
 */
export class PredicateStoppedError extends Error {
  /** Why it was stopped, known once the thread it ran in has ended (ran out of time, or of memory). */
  public readonly reason: Promise<string>;

  constructor(message: string, reason?: Promise<string>) {
    super(message);
    this.name = 'PredicateStoppedError';
    this.reason = reason ?? Promise.resolve(message);
  }
}

/** The source of a function of the run that is called through a stand-in (in another thread): what {@link errorsNamedBy} reads. */
const predicateSources = new WeakMap<object, string>();

/**
 * Marks `standIn` as calling a function whose source is `source`, so verify reads the error names
 * that function compares with, not the stand-in's.
 * @internal
 */
export function standInFor<F extends object>(standIn: F, source: string): F {
  predicateSources.set(standIn, source);
  return standIn;
}

const STATUSES: readonly ExecutionStatus[] = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * Builds the properties `verify` checks. Each is plain data (a run property holds a function),
 * so a property module may also write them as objects: `{ kind: 'never', state: 'Ship' }`.
 */
export abstract class Property {
  /** `state` is never entered, on any path. */
  public static never(state: string): NeverProperty {
    return { kind: 'never', state };
  }

  /**
   * Every time `from` is entered, one of `to` is entered after it before the run ends: the
   * Saga's promise, `Property.leadsTo('Charge card', ['Ship', 'Refund'])`.
   */
  public static leadsTo(from: string, to: string | readonly string[]): LeadsToProperty {
    return { kind: 'leadsTo', from, to: typeof to === 'string' ? [to] : [...to] };
  }

  /** `then` is entered only after `first` has been: `Property.precedes('Reserve', 'Charge')`. */
  public static precedes(first: string, then: string): PrecedesProperty {
    return { kind: 'precedes', first, then };
  }

  /** `state` is entered at most `times` times in one run: `Property.atMost('Charge', 1)`, no path charges twice. */
  public static atMost(state: string, times: number): AtMostProperty {
    return { kind: 'atMost', state, times };
  }

  /**
   * The run ends with one of `statuses`, and when it ends with an error, with one of `errors`:
   * `Property.endsWith({ statuses: ['SUCCEEDED', 'FAILED'], errors: ['Payment.Declined'] })`.
   */
  public static endsWith(options: { readonly statuses?: readonly ExecutionStatus[]; readonly errors?: readonly string[] }): EndsWithProperty {
    return {
      kind: 'endsWith',
      ...(options.statuses ? { statuses: [...options.statuses] } : {}),
      ...(options.errors ? { errors: [...options.errors] } : {}),
    };
  }

  /** A run enters at most `limit` states. */
  public static maxTransitions(limit: number): MaxTransitionsProperty {
    return { kind: 'maxTransitions', limit };
  }

  /** A run lasts at most `limit` seconds on its virtual clock. */
  public static maxSeconds(limit: number): MaxSecondsProperty {
    return { kind: 'maxSeconds', limit };
  }

  /** Any predicate over the finished run (status, error, output, path, attempts, variables). */
  public static run<R extends ExecutionResult = ExecutionResult>(test: RunPredicate<R>, description?: string): RunProperty<R> {
    return { kind: 'run', test, ...(description !== undefined ? { description } : {}) };
  }
}

/**
 * A property as the engine reads it: a bare predicate becomes a run property. The states it names
 * that the machine does not have are listed in `unknown` (a compensation someone removed, or a
 * typo): such a property can be VIOLATED, never HOLDS.
 * @internal
 */
export function normalizeProperty<R extends ExecutionResult>(
  name: string, p: unknown, states: ReadonlySet<string>, unknown: string[] = [],
): PathProperty | RunProperty<R> {
  if (typeof p === 'function') return { kind: 'run', test: p as RunPredicate<R> };
  if (p === null || typeof p !== 'object' || typeof (p as { kind?: unknown }).kind !== 'string') {
    throw new PropertyError(`property '${name}' is ${describe(p)}: give a function of the run, or a property built with Property (never, leadsTo, precedes, atMost, endsWith, maxTransitions, maxSeconds, run)`);
  }
  const q = p as PathProperty | RunProperty<R>;
  const state = (field: string, value: unknown): void => {
    if (typeof value !== 'string' || value === '') throw new PropertyError(`property '${name}' (${q.kind}): ${field} must be a state's name, got ${describe(value)}`);
    if (!states.has(value) && !unknown.includes(value)) unknown.push(value);
  };
  const count = (field: string, value: unknown, min: number): void => {
    const integer = q.kind !== 'maxSeconds';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new PropertyError(`property '${name}' (${q.kind}): ${field} must be ${q.kind === 'maxSeconds' ? 'a number' : 'an integer'} >= ${min}, got ${describe(value)}`);
    }
  };
  switch (q.kind) {
    case 'never': state('state', q.state); break;
    case 'leadsTo':
      state('from', q.from);
      if (!Array.isArray(q.to) || q.to.length === 0) throw new PropertyError(`property '${name}' (leadsTo): to must name at least one state`);
      q.to.forEach((t) => state('to', t));
      break;
    case 'precedes': state('first', q.first); state('then', q.then); break;
    case 'atMost': state('state', q.state); count('times', q.times, 0); break;
    case 'endsWith':
      for (const s of q.statuses ?? []) {
        if (!STATUSES.includes(s)) throw new PropertyError(`property '${name}' (endsWith): status ${describe(s)} is not one of ${STATUSES.join(', ')}`);
      }
      if (q.errors !== undefined && (!Array.isArray(q.errors) || q.errors.some((e) => typeof e !== 'string'))) {
        throw new PropertyError(`property '${name}' (endsWith): errors must be a list of error names`);
      }
      break;
    case 'maxTransitions': count('limit', q.limit, 1); break;
    case 'maxSeconds': count('limit', q.limit, 0); break;
    case 'run':
      if (typeof q.test !== 'function') throw new PropertyError(`property '${name}' (run): test must be a function of the run`);
      break;
    default:
      throw new PropertyError(`property '${name}': kind ${describe((q as { kind: unknown }).kind)} is not one of never, leadsTo, precedes, atMost, endsWith, maxTransitions, maxSeconds, run`);
  }
  return q;
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  // JSON writes Infinity and NaN as null: the message says what was given.
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/** One line saying what a property asks, for reports. @internal */
export function describeProperty(p: PathProperty | RunProperty<never>): string {
  switch (p.kind) {
    case 'never': return `'${p.state}' is never entered`;
    case 'leadsTo': return `after '${p.from}', ${p.to.map((t) => `'${t}'`).join(' or ')} is entered`;
    case 'precedes': return `'${p.then}' is entered only after '${p.first}'`;
    case 'atMost': return `'${p.state}' is entered at most ${p.times} time${p.times === 1 ? '' : 's'}`;
    case 'endsWith': return `the run ends ${p.statuses ? p.statuses.join(' or ') : 'with any status'}${p.errors ? ` with ${p.errors.length ? p.errors.join(' or ') : 'no error'} when it has an error` : ''}`;
    case 'maxTransitions': return `a run enters at most ${p.limit} states`;
    case 'maxSeconds': return `a run lasts at most ${p.limit} s`;
    case 'run': return p.description ?? 'a predicate over the run';
  }
}

/**
 * Why `run` breaks the property, or undefined when it keeps it. With `partial`, the run was cut
 * by a bound before its end: only what its prefix already breaks is reported.
 * @internal
 */
export function violationOf<R extends ExecutionResult>(p: PathProperty | RunProperty<R>, run: R, partial = false): string | undefined {
  const path = run.path;
  switch (p.kind) {
    case 'never': {
      const i = path.indexOf(p.state);
      return i < 0 ? undefined : `enters '${p.state}' (state ${i + 1} of the path)`;
    }
    case 'leadsTo': {
      if (partial) return undefined;
      const targets = new Set(p.to);
      let open = -1;
      for (let i = 0; i < path.length; i++) {
        if (targets.has(path[i])) open = -1;
        if (path[i] === p.from && open < 0) open = i;
      }
      return open < 0 ? undefined : `enters '${p.from}' (state ${open + 1} of the path) and then ends ${run.status}${run.error ? ` with ${run.error}` : ''} without entering ${p.to.map((t) => `'${t}'`).join(' or ')}`;
    }
    case 'precedes': {
      const j = path.indexOf(p.then);
      if (j < 0) return undefined;
      return path.slice(0, j).includes(p.first) ? undefined : `enters '${p.then}' (state ${j + 1} of the path) before entering '${p.first}'`;
    }
    case 'atMost': {
      let n = 0;
      for (const s of path) if (s === p.state) n++;
      return n > p.times ? `enters '${p.state}' ${n} times` : undefined;
    }
    case 'endsWith': {
      if (partial) return undefined;
      if (p.statuses && !p.statuses.includes(run.status)) return `ends ${run.status}${run.error ? ` with ${run.error}` : ''}`;
      if (p.errors && run.error !== undefined && !p.errors.includes(run.error)) return `ends ${run.status} with ${run.error}`;
      return undefined;
    }
    case 'maxTransitions':
      return path.length > p.limit ? `enters ${path.length} states` : undefined;
    case 'maxSeconds': {
      if (partial) return undefined;
      const seconds = (run.stopDate.getTime() - run.startDate.getTime()) / 1000;
      return seconds > p.limit ? `lasts ${seconds} s` : undefined;
    }
    case 'run': {
      if (partial) return undefined;
      try {
        return p.test(run) ? undefined : `makes the predicate false (it ends ${run.status}${run.error ? ` with ${run.error}` : ''})`;
      } catch (e) {
        return `makes the predicate throw: ${thrownMessage(e)}`;
      }
    }
  }
}

/** Characters of what a predicate threw that its violation quotes: a report line, not the whole value. */
const THROWN_QUOTED = 1_000;

/**
 * What a predicate threw, as its violation quotes it: an Error's message, else the value as text,
 * cut to {@link THROWN_QUOTED} characters. Never throws itself: a predicate may throw anything, and
 * printing some values fails (an object with no prototype) or runs more of its code (a `toString`).
 */
function thrownMessage(e: unknown): string {
  let text: string;
  try {
    text = e instanceof Error ? String(e.message) : String(e);
  } catch {
    try {
      text = Object.prototype.toString.call(e);
    } catch {
      text = 'a value that cannot be printed';
    }
  }
  return text.length > THROWN_QUOTED ? `${text.slice(0, THROWN_QUOTED - 1)}…` : text;
}

/** Error names one property gives verify to fail Tasks with, at most. */
const NAMED_PER_PROPERTY = 4;
/** How much of a predicate's source is read for the error names it compares with. */
const PREDICATE_SOURCE = 20_000;
/** What an error name looks like (`PaymentDeclined`, `Payment.Declined`, `Lambda.TooManyRequestsException`). */
const ERROR_NAME = /^[A-Za-z][\w.:-]{0,127}$/;

/**
 * The error names a property asks about: an endsWith's errors, and the string literals of a run
 * predicate that reads the run's error (`(run) => run.error !== 'PaymentDeclined'`), other than
 * the machine's state names and the statuses. verify fails the Tasks that throw errors of their
 * own (a Lambda function's, a worker's) with them, so a run that ends with such an error is made
 * even when no Retry, Catch or service model names it. A name that is no error costs a run and
 * breaks nothing: the run it makes is one AWS could make.
 * @internal
 */
export function errorsNamedBy(p: PathProperty | RunProperty<never>, states: ReadonlySet<string>): string[] {
  if (p.kind === 'endsWith') return (p.errors ?? []).slice(0, NAMED_PER_PROPERTY);
  if (p.kind !== 'run') return [];
  let source: string;
  try {
    source = (predicateSources.get(p.test) ?? Function.prototype.toString.call(p.test)).slice(0, PREDICATE_SOURCE);
  } catch {
    return [];
  }
  if (!/error/i.test(source)) return [];
  const out: string[] = [];
  for (const m of source.matchAll(/(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g)) {
    const text = m[2];
    if (!ERROR_NAME.test(text) || states.has(text) || (STATUSES as readonly string[]).includes(text) || out.includes(text)) continue;
    out.push(text);
    if (out.length >= NAMED_PER_PROPERTY) break;
  }
  return out;
}
