import type { Exploration } from './context';
import { invert, invertible } from './inverse';
import { quoted, type JsonataEnv } from './jsonata-flow';
import { setAt } from './plan';
import { fits, type Expect, type Write } from './reads';
import { assignments, candidatesFor, parseJsonata, readsOf, type FieldRef, type JsonataNode, type Reads } from './solve/jsonata-ast';
import type { Computed, Source, Step } from './sources';
import type { JsonValue } from '../asl/definition-types';
import type { CompiledJsonata } from '../asl/jsonata/compile';
import { sameJson } from '../asl/json-value';
import { followSteps } from '../asl/path';
import { seededRandom } from '../asl/random';

/*
 * Steering what a JSONata expression computes: the fields it reads are given values drawn
 * from the expression itself and from the value wanted (a count wants a list of that many, a
 * `$string` the number it prints, a comparison the literal either side, a filter an item that
 * passes it), the expression is evaluated on each try as the state evaluated it, and the
 * values that give what is wanted are written where the fields come from — the execution
 * input, a Task's answer, or, for a field another expression computes, through that one in turn.
 */

/**
 * A place under a computed value and what is wanted there: `value` (`undefined`: nothing), or
 * with `defined`, any value at all — of the kind `expect` says, when it says one.
 */
export interface Want {
  readonly steps: readonly Step[];
  readonly value: JsonValue | undefined;
  readonly defined?: boolean;
  readonly expect?: Expect;
}

/** Evaluations one steering makes at most (each runs the expression once). */
const EVALUATIONS = 160;
/** How deep a field computed by another expression is steered through that one. */
const MAX_DEPTH = 3;

const compiled = new Map<string, CompiledJsonata | Error>();
// Loaded on first use, as the Conditions' evaluator is (conditions.ts).
let jsonataCompile: typeof import('../asl/jsonata/compile') | undefined;

function compile(text: string): CompiledJsonata | Error {
  let c = compiled.get(text);
  if (c === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
      jsonataCompile ??= require('../asl/jsonata/compile') as typeof import('../asl/jsonata/compile');
      c = jsonataCompile.compileJsonataValue(`{% ${text} %}`, 'explore');
    } catch (e) {
      c = e as Error;
    }
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(text, c);
  }
  return c;
}

/** The value an expression gives on `env` (`undefined` when it gives nothing), or the Error it raised. */
async function evaluate(text: string, env: JsonataEnv, interrupt: () => void): Promise<JsonValue | undefined | Error> {
  const c = compile(text);
  if (c instanceof Error) return c;
  try {
    return await c.evaluate({
      states: {
        input: env.input ?? {},
        context: env.context ?? {},
        ...(env.result !== undefined ? { result: env.result } : {}),
        ...(env.errorOutput !== undefined ? { errorOutput: env.errorOutput } : {}),
      },
      variables: env.variables,
      random: seededRandom(0),
      ...(env.now !== undefined ? { now: env.now } : {}),
      interrupt,
    });
  } catch (e) {
    // Being cut short by the budget is not an answer.
    interrupt();
    return e as Error;
  }
}

function rootValue(env: JsonataEnv, ref: FieldRef): JsonValue | undefined {
  const r = ref.root;
  if (typeof r === 'object') return Object.hasOwn(env.variables, r.variable) ? env.variables[r.variable] : undefined;
  return env[r];
}

/** `env` with the field set to `value` (`undefined`: removed). */
function withField(env: JsonataEnv, ref: FieldRef, value: JsonValue | undefined): JsonataEnv {
  const r = ref.root;
  const next = setAt(rootValue(env, ref), ref.steps, value);
  if (typeof r === 'object') {
    const variables = { ...env.variables };
    if (next === undefined) delete variables[r.variable];
    else Object.defineProperty(variables, r.variable, { value: next, enumerable: true, writable: true, configurable: true });
    return { ...env, variables };
  }
  return { ...env, [r]: next };
}

function writable(x: Exploration, s: Source): boolean {
  if (s.kind === 'input') return true;
  if (s.kind === 'task' || s.kind === 'cause') return !x.fixed.has(s.state);
  return s.computed !== undefined && invertible(s.computed);
}

/** A literal node of a value, for the hints a comparison with it gives. */
function literalNode(value: JsonValue): JsonataNode | undefined {
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'number') return { type: 'number', value };
  if (typeof value === 'boolean' || value === null) return { type: 'value', value };
  return undefined;
}

/** The hints an expression gives, and those the wanted value gives the part that computes it (`part = want`). */
function hintsOf(text: string, node: JsonataNode, wants: readonly Want[]): Reads | undefined {
  const parsed = parseJsonata(text);
  if ('error' in parsed) return undefined;
  const reads = readsOf(parsed.ast);
  for (const w of wants) {
    const lit = w.value === undefined || w.defined ? undefined : literalNode(w.value);
    if (lit === undefined) continue;
    const extra = readsOf({ type: 'binary', value: '=', lhs: node, rhs: lit });
    for (const [f, hs] of extra.hints) reads.hints.set(f, [...hs, ...(reads.hints.get(f) ?? [])]);
    reads.literals.unshift(w.value as JsonValue);
  }
  return reads;
}

/** The values wanted, in words. */
function shown(wants: readonly Want[]): string {
  const what = (w: Want) => (w.defined ? (w.expect === undefined || w.expect === 'any' ? 'a value' : `a value of kind ${w.expect}`) : w.value === undefined ? '(nothing)' : JSON.stringify(w.value));
  return wants.map((w) => `${w.steps.length > 0 ? `${w.steps.join('.')} = ` : ''}${what(w)}`).join(', ');
}

/**
 * The writes that make a JSONata computation give what `wants` asks (each place under its value
 * as `Computed.steps` reads it), or why explore found none: the reason names the expression and
 * where it stands, so a user knows what to give.
 */
export async function steerJsonata(x: Exploration, c: Computed, wants: readonly Want[], depth = 0): Promise<Write[] | { reason: string }> {
  const comp = c.params?.jsonata;
  if (c.fn !== 'JSONata' || comp === undefined) return { reason: `${c.fn} is not a JSONata computation` };
  const stops = `${comp.where} computes it with the JSONata expression ${quoted(comp.text)}`;
  if (depth > MAX_DEPTH) return { reason: `${stops}, from values computed by more expressions than explore follows` };
  const reads = hintsOf(comp.text, comp.node, wants);
  if (reads === undefined) return { reason: `${stops}, which does not parse` };
  const env = comp.env();
  const indexes = comp.fields.map((_f, i) => i).filter((i) => {
    const a = c.args[i];
    return a?.kind === 'source' && writable(x, a.source);
  });
  if (indexes.length === 0) return { reason: `${stops}, from fields explore cannot write (${comp.fields.map((f) => f.key).join(', ')})` };
  const keys = indexes.map((i) => comp.fields[i].key);
  const candidates = indexes.map((i) => {
    const ref = comp.fields[i];
    const now = followSteps(rootValue(env, ref) ?? null, ref.steps);
    const last = [...ref.steps].reverse().find((s): s is string => typeof s === 'string');
    return candidatesFor(ref.key, reads, now === undefined ? { found: false } : { found: true, value: now }, last !== undefined ? x.seeds.get(last) : undefined);
  });
  let tries = 0;
  let failedWrites: string | undefined;
  for (const assignment of assignments(keys, candidates)) {
    if (tries >= EVALUATIONS || x.stopped()) break;
    tries++;
    let tried = env;
    for (const [k, v] of assignment) tried = withField(tried, comp.fields[indexes[k]], v);
    const value = await evaluate(comp.text, tried, x.interrupt);
    if (value instanceof Error) continue;
    const gives = (w: Want): boolean => {
      const at = value === undefined ? undefined : followSteps(value, w.steps);
      return w.defined ? at !== undefined && (w.expect === undefined || fits(at, w.expect)) : sameJson(at, w.value);
    };
    if (!wants.every(gives)) continue;
    const writes: Write[] = [];
    let ok = true;
    for (const [k, v] of assignment) {
      const source = (c.args[indexes[k]] as { source: Source }).source;
      if (source.kind !== 'fixed') {
        writes.push({ source, value: v });
        continue;
      }
      const inner = source.computed!;
      const steered = inner.fn === 'JSONata'
        ? await steerJsonata(x, inner, [{ steps: inner.steps, value: v }], depth + 1)
        : invert(inner, setAt(undefined, inner.steps, v));
      if ('reason' in steered) {
        ok = false;
        failedWrites = steered.reason;
        break;
      }
      writes.push(...steered);
    }
    if (ok) return writes;
  }
  return {
    reason: `${stops}, and none of the ${tries} values tried for ${keys.join(', ')} gave ${shown(wants)}`
      + `${failedWrites !== undefined ? ` that explore could write (${failedWrites})` : ''}`,
  };
}
