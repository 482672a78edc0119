import type { JsonataNode } from './jsonata-ast';
import type { JsonValue } from '../../asl';

/*
 * Times a JSONata expression compares with the run's clock (`$now()`, `$millis()`, the execution's
 * StartTime, and sums of them with numbers), read from its syntax tree: a field compared with one is tried either side of
 * it once the search knows the run's `now` (the virtual clock's start, as the interpreter gives it).
 */

/**
 * A field compared with a time relative to the run's clock: the field's own time (in epoch
 * milliseconds, or as its timestamp text is read) at each of `offsets` milliseconds from `now`,
 * the first making the comparison true, the next false.
 */
export interface ClockHint {
  readonly field: string;
  /** How the field holds its time: an ISO 8601 text (`$toMillis(f)`, `f < $now()`) or epoch milliseconds. */
  readonly as: 'iso' | 'millis';
  readonly offsets: readonly number[];
}

/** How far from the time a field is compared with its values are put: a day, wider than the virtual time a run takes to reach a Choice. */
const CLOCK_MARGIN_MS = 86_400_000;

/** The values a clock hint gives a field on a run whose `$now()` is `now` (epoch milliseconds). */
export function clockCandidates(hint: ClockHint, now: number): JsonValue[] {
  const out: JsonValue[] = [];
  for (const offset of hint.offsets) {
    const ms = now + offset;
    // Outside the dates JavaScript writes, no timestamp: the comparison is then about something else.
    if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) continue;
    out.push(hint.as === 'iso' ? new Date(ms).toISOString() : ms);
  }
  return out;
}

/** A comparison with its sides swapped: `a < b` is `b > a`. */
export const FLIPPED: Readonly<Record<string, string>> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=', '!=': '!=' };

/** A number an expression of literals gives (`7 * 24 * 3600 * 1000`). */
function constantNumber(node: JsonataNode | undefined): number | undefined {
  if (node?.type === 'number') return node.value as number;
  if (node?.type === 'unary' && node.value === '-') {
    const n = constantNumber(node.expression);
    return n === undefined ? undefined : -n;
  }
  if (node?.type !== 'binary' || !['+', '-', '*', '/', '%'].includes(node.value)) return undefined;
  const a = constantNumber(node.lhs);
  const b = constantNumber(node.rhs);
  if (a === undefined || b === undefined) return undefined;
  const v = node.value === '+' ? a + b : node.value === '-' ? a - b : node.value === '*' ? a * b : node.value === '/' ? a / b : a % b;
  return Number.isFinite(v) ? v : undefined;
}

/**
 * A time an expression gives relative to the run's clock, as the text `$now()` writes or as epoch
 * milliseconds, `offset` milliseconds from it (`$toMillis($now()) - 604800000` is
 * `{ as: 'millis', offset: -604800000 }`); `undefined` for anything else.
 */
function clockValueOf(node: JsonataNode | undefined): { as: 'iso' | 'millis'; offset: number } | undefined {
  if (!node) return undefined;
  // The execution's StartTime is the run's clock at its start, before the Choice by the time the run took to reach
  // it: within CLOCK_MARGIN_MS of it for a run that waits less than a day (each value is tried, not trusted).
  if (isStartTime(node)) return { as: 'iso', offset: 0 };
  if (node.type === 'function' && node.procedure?.type === 'variable') {
    const args = (node.arguments ?? []) as JsonataNode[];
    const name = node.procedure.value as string;
    if (name === 'millis' && args.length === 0) return { as: 'millis', offset: 0 };
    if (name === 'now' && args.length === 0) return { as: 'iso', offset: 0 };
    const inner = args.length === 1 ? clockValueOf(args[0]) : undefined;
    if (name === 'toMillis' && inner?.as === 'iso') return { as: 'millis', offset: inner.offset };
    if (name === 'fromMillis' && inner?.as === 'millis') return { as: 'iso', offset: inner.offset };
    return undefined;
  }
  if (node.type === 'binary' && (node.value === '+' || node.value === '-')) {
    const lhs = clockValueOf(node.lhs);
    const n = constantNumber(node.rhs);
    if (lhs?.as === 'millis' && n !== undefined) return { as: 'millis', offset: node.value === '+' ? lhs.offset + n : lhs.offset - n };
    const rhs = node.value === '+' ? clockValueOf(node.rhs) : undefined;
    const m = constantNumber(node.lhs);
    if (rhs?.as === 'millis' && m !== undefined) return { as: 'millis', offset: rhs.offset + m };
  }
  return undefined;
}

/** `$states.context.Execution.StartTime`: the ISO 8601 time the execution started. */
function isStartTime(node: JsonataNode): boolean {
  if (node.type !== 'path' || !Array.isArray(node.steps)) return false;
  const steps = node.steps as JsonataNode[];
  const names = ['states', 'context', 'Execution', 'StartTime'];
  return steps.length === names.length && steps.every((step, i) => step.value === names[i] && step.type === (i === 0 ? 'variable' : 'name')
    && step.stages === undefined && step.predicate === undefined && step.group === undefined);
}

/** Offsets from `at` a value compared with `op` to it takes: first one that makes the comparison true, then one that makes it false. */
function around(at: number, op: string): number[] {
  const before = at - CLOCK_MARGIN_MS;
  const after = at + CLOCK_MARGIN_MS;
  if (op === '<' || op === '<=') return [before, after];
  if (op === '>' || op === '>=') return [after, before];
  if (op === '=') return [at, after];
  return op === '!=' ? [after, at] : [];
}

/** The field a node reads, directly or through one function (`$toMillis(f)`), as readsOf sees it. */
type Subject = (node: JsonataNode | undefined) => { field: string; via?: string } | undefined;

/**
 * The clock hint of one side of a comparison (`side op other`): a field read as a time
 * (`$toMillis(f)`, `f` itself) against a time of the run's clock, or the age of a field
 * (`$millis() - $toMillis(f)`) against a number of milliseconds.
 */
export function clockHintOf(side: JsonataNode, other: JsonataNode, op: string, subject: Subject): ClockHint | undefined {
  const time = clockValueOf(other);
  const s = subject(side);
  if (time && s) {
    if (s.via === 'toMillis' && time.as === 'millis') return { field: s.field, as: 'iso', offsets: around(time.offset, op) };
    if (s.via === undefined && time.as === 'iso') return { field: s.field, as: 'iso', offsets: around(time.offset, op) };
    if ((s.via === undefined || s.via === 'number') && time.as === 'millis') return { field: s.field, as: 'millis', offsets: around(time.offset, op) };
    return undefined;
  }
  // `now + a - $toMillis(f) op n`: the field's time is `now + a - n`, on the other side of it.
  const age = constantNumber(other);
  if (age === undefined || side?.type !== 'binary' || side.value !== '-') return undefined;
  // `$toMillis(f) - now op n` (the time left until a field's): the field's time is `now + n`, on the same side of it.
  const until = clockValueOf(side.rhs);
  const ahead = subject(side.lhs);
  if (until?.as === 'millis' && ahead !== undefined && (ahead.via === 'toMillis' || ahead.via === undefined)) {
    return { field: ahead.field, as: ahead.via === 'toMillis' ? 'iso' : 'millis', offsets: around(until.offset + age, op) };
  }
  const from = clockValueOf(side.lhs);
  const field = subject(side.rhs);
  if (from?.as !== 'millis' || field === undefined || (field.via !== 'toMillis' && field.via !== undefined)) return undefined;
  return { field: field.field, as: field.via === 'toMillis' ? 'iso' : 'millis', offsets: around(from.offset - age, FLIPPED[op] ?? op) };
}
