import { ANY, fieldOf, type AbstractValue } from './abstract-lattice';
import { evaluateAbstract } from './abstract-values';
import type { Computed } from './sources';
import type { JsonValue } from '../asl';

/*
 * Whether a JSONata computation can give a value at all, whatever it reads: what a reason may tell
 * a user to make it come out as. `$count(…)` is never -1, so "give --input … so that total is -1"
 * would send a user after a value no input gives.
 */

/** Whatever a field an expression reads may hold: it is evaluated for every value there. */
const OPEN = { states: { input: ANY, result: ANY, errorOutput: ANY }, variables: new Map<string, AbstractValue>() };

/** Whether `abs` may be `value` (`undefined`: nothing); true where the model says too little to tell. */
function admits(abs: AbstractValue, value: JsonValue | undefined): boolean {
  if (value === undefined) return abs.undef;
  if (value === null) return abs.nul;
  if (typeof value === 'boolean') return value ? abs.bool.t : abs.bool.f;
  if (typeof value === 'number') return abs.num !== undefined && abs.num.lo <= value && value <= abs.num.hi;
  if (typeof value === 'string') return abs.str !== undefined && (abs.str.only === undefined || abs.str.only.includes(value));
  // A list may also come from a value of one item (JSONata's sequence of one); an object from any object.
  return Array.isArray(value) ? abs.arr !== undefined : abs.obj !== undefined;
}

/**
 * False when a JSONata computation surely cannot give `value` at its place (`Computed.steps`), by
 * the abstract evaluation of its expression over every value it may read (abstract-values.ts);
 * true otherwise, and for any other computation.
 */
export function mayGive(c: Computed, value: JsonValue | undefined): boolean {
  const j = c.fn === 'JSONata' ? c.params?.jsonata : undefined;
  const at = j?.at ?? [];
  if (j === undefined || at.some((s, i) => c.steps[i] !== s)) return true;
  let abs: AbstractValue = evaluateAbstract(j.node, OPEN, () => undefined);
  for (const step of c.steps.slice(at.length)) {
    // Under a list or a value of another kind, the model is not followed.
    if (abs.arr || typeof step !== 'string' || abs.obj === undefined) return true;
    abs = fieldOf(abs.obj, step) ?? abs.obj.rest ?? ANY;
  }
  return admits(abs, value);
}
