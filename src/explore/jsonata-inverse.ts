import type { Exploration } from './context';
import { invert, invertible } from './inverse';
import { quoted, type JsonataEnv } from './jsonata-flow';
import { setAt } from './plan';
import { fits, type Expect, type Write } from './reads';
import { assignments, candidatesFor, literalOf, parseJsonata, readsOf, type FieldRef, type JsonataNode, type Reads } from './solve/jsonata-ast';
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

/**
 * The parts of an expression a wanted value says something of, with what each must give:
 * the part itself, and through arithmetic with a literal the operand (`$count(x) - 1 = 2`:
 * `$count(x) = 3`).
 */
function peeled(node: JsonataNode, want: JsonValue): Array<[JsonataNode, JsonValue]> {
  const out: Array<[JsonataNode, JsonValue]> = [[node, want]];
  let cur = node;
  let w = want;
  for (let i = 0; i < 8 && typeof w === 'number' && cur.type === 'binary'; i++) {
    const l = literalOf(cur.rhs);
    const r = literalOf(cur.lhs);
    let next: [JsonataNode, number] | undefined;
    if (typeof l === 'number') {
      if (cur.value === '+') next = [cur.lhs, w - l];
      else if (cur.value === '-') next = [cur.lhs, w + l];
      else if (cur.value === '*' && l !== 0) next = [cur.lhs, w / l];
      else if (cur.value === '/') next = [cur.lhs, w * l];
    } else if (typeof r === 'number') {
      if (cur.value === '+') next = [cur.rhs, w - r];
      else if (cur.value === '-') next = [cur.rhs, r - w];
      else if (cur.value === '*' && r !== 0) next = [cur.rhs, w / r];
    }
    if (!next || !Number.isFinite(next[1])) break;
    [cur, w] = next;
    out.push([cur, w]);
  }
  return out;
}

/** The hints an expression gives, and those the wanted value gives the part that computes it (`part = want`). */
function hintsOf(text: string, node: JsonataNode, wants: readonly Want[]): Reads | undefined {
  const parsed = parseJsonata(text);
  if ('error' in parsed) return undefined;
  const reads = readsOf(parsed.ast);
  for (const w of wants) {
    if (w.value === undefined || w.defined) continue;
    for (const [part, value] of peeled(node, w.value)) {
      const lit = literalNode(value);
      if (lit === undefined) continue;
      const extra = readsOf({ type: 'binary', value: '=', lhs: part, rhs: lit });
      for (const [f, hs] of extra.hints) reads.hints.set(f, [...hs, ...(reads.hints.get(f) ?? [])]);
    }
    reads.literals.unshift(w.value);
  }
  return reads;
}

/** The values wanted, in words. */
function shown(wants: readonly Want[]): string {
  const what = (w: Want) => (w.defined ? (w.expect === undefined || w.expect === 'any' ? 'a value' : `a value of kind ${w.expect}`) : w.value === undefined ? '(nothing)' : JSON.stringify(w.value));
  return wants.map((w) => `${w.steps.length > 0 ? `${w.steps.join('.')} = ` : ''}${what(w)}`).join(', ');
}

/** One computation to steer, and what it must give. */
export interface Steering {
  readonly computed: Computed;
  readonly wants: readonly Want[];
}

/**
 * The writes that make a JSONata computation give what `wants` asks (each place under its value
 * as `Computed.steps` reads it), or why explore found none: the reason names the expression and
 * where it stands, so a user knows what to give.
 */
export async function steerJsonata(x: Exploration, c: Computed, wants: readonly Want[], depth = 0): Promise<Write[] | { reason: string }> {
  return steerTogether(x, [{ computed: c, wants }], depth);
}

/**
 * Steers several computations at once: those that read a field from the same place (two
 * variables both computed from `$states.input.deviceId`) are given one value there, tried
 * on all of them together, so that what one needs does not undo what another does. With
 * `partial`, the writes of the groups that could be steered are answered even when another
 * could not.
 */
export async function steerAll(x: Exploration, parts: readonly Steering[], partial = false): Promise<Write[] | { reason: string }> {
  const groups: Steering[][] = [];
  const keysOf = (p: Steering) => new Set(p.computed.args.map((a) => (a.kind === 'source' ? JSON.stringify(a.source) : '')));
  for (const part of parts) {
    const mine = keysOf(part);
    const joined = groups.filter((g) => g.some((q) => [...keysOf(q)].some((k) => k !== '' && mine.has(k))));
    const merged = [...joined.flat(), part];
    for (const g of joined) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  const writes: Write[] = [];
  let failed: { reason: string } | undefined;
  for (const group of groups) {
    const steered = await steerTogether(x, group, 0);
    if (!('reason' in steered)) writes.push(...steered);
    else if (!partial) return steered;
    else failed ??= steered;
  }
  return writes.length === 0 && failed ? failed : writes;
}

/** A place explore can write that computations read, the fields that read it in each, and the values tried there. */
interface Lever {
  readonly source: Source;
  readonly refs: Array<{ readonly part: number; readonly ref: FieldRef }>;
}

async function steerTogether(x: Exploration, parts: readonly Steering[], depth: number): Promise<Write[] | { reason: string }> {
  const comps = parts.map((p) => p.computed.params?.jsonata);
  const first = comps[0];
  if (parts.some((p, i) => p.computed.fn !== 'JSONata' || comps[i] === undefined) || first === undefined) return { reason: 'not a JSONata computation' };
  const stops = comps.map((c) => `${c!.where} computes it with the JSONata expression ${quoted(c!.text)}`).join('; and ');
  if (depth > MAX_DEPTH) return { reason: `${stops}, from values computed by more expressions than explore follows` };
  const reads = parts.map((p, i) => hintsOf(comps[i]!.text, comps[i]!.node, p.wants));
  if (reads.some((r) => r === undefined)) return { reason: `${stops}, which does not parse` };
  const envs = comps.map((c) => c!.env());
  const levers = new Map<string, Lever>();
  parts.forEach((p, i) => comps[i]!.fields.forEach((ref, k) => {
    const a = p.computed.args[k];
    if (a?.kind !== 'source' || !writable(x, a.source)) return;
    const key = JSON.stringify(a.source);
    const lever = levers.get(key) ?? { source: a.source, refs: [] };
    lever.refs.push({ part: i, ref });
    levers.set(key, lever);
  }));
  const list = [...levers.values()];
  if (list.length === 0) return { reason: `${stops}, from fields explore cannot write (${comps.flatMap((c) => c!.fields.map((f) => f.key)).join(', ')})` };
  const names = list.map((l) => l.refs[0].ref.key);
  const candidates = list.map((l) => {
    // The hints each computation gives the field, tried in turn.
    const { part, ref } = l.refs[0];
    const all: Reads = { ...reads[part]!, hints: new Map([[ref.key, l.refs.flatMap((r) => reads[r.part]!.hints.get(r.ref.key) ?? [])]]), literals: l.refs.flatMap((r) => reads[r.part]!.literals) };
    const now = followSteps(rootValue(envs[part], ref) ?? null, ref.steps);
    const last = [...ref.steps].reverse().find((st): st is string => typeof st === 'string');
    return candidatesFor(ref.key, all, now === undefined ? { found: false } : { found: true, value: now }, last !== undefined ? x.seeds.get(last) : undefined);
  });
  let tries = 0;
  let failedWrites: string | undefined;
  for (const assignment of assignments(names, candidates)) {
    if (tries >= EVALUATIONS || x.stopped()) break;
    tries++;
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      let tried = envs[i];
      for (const [k, v] of assignment) for (const r of list[k].refs) if (r.part === i) tried = withField(tried, r.ref, v);
      const value = await evaluate(comps[i]!.text, tried, x.interrupt);
      ok = !(value instanceof Error) && parts[i].wants.every((w) => gives(value, w));
    }
    if (!ok) continue;
    const writes: Write[] = [];
    for (const [k, v] of assignment) {
      const source = list[k].source;
      if (source.kind !== 'fixed') {
        writes.push({ source, value: v });
        continue;
      }
      const inner = source.computed!;
      const steered = inner.fn === 'JSONata'
        ? await steerTogether(x, [{ computed: inner, wants: [{ steps: inner.steps, value: v }] }], depth + 1)
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
    reason: `${stops}, and none of the ${tries} values tried for ${names.join(', ')} gave ${parts.map((p) => shown(p.wants)).join('; ')}`
      + `${failedWrites !== undefined ? ` that explore could write (${failedWrites})` : ''}`,
  };
}

/** Whether a computed value gives what is wanted at a place under it. */
function gives(value: JsonValue | undefined, w: Want): boolean {
  const at = value === undefined ? undefined : followSteps(value, w.steps);
  return w.defined ? at !== undefined && (w.expect === undefined || fits(at, w.expect)) : sameJson(at, w.value);
}
