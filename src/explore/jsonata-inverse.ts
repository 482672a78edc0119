import { isDeepStrictEqual } from 'node:util';
import { describeSteps, type Exploration } from './context';
import { invert, invertible } from './inverse';
import { quoted, type JsonataEnv } from './jsonata-flow';
import { hintsOf, rootValue, type Want } from './jsonata-hints';
import { fieldsOfEach, resultLists } from './map-results';
import { setAt } from './plan';
import { fits, type Write } from './reads';
import type { JsonValue } from '../asl';
import { assignments, candidatesFor, type FieldRef, type JsonataNode, type Reads } from './solve/jsonata-ast';
import type { Computed, Source } from './sources';
import { sameJson } from '../asl/json-value';
import type { CompiledJsonata } from '../asl/jsonata/compile';
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

export type { Want } from './jsonata-hints';

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

/** The values wanted, in words. */
function shown(wants: readonly Want[]): string {
  const what = (w: Want) => (w.defined ? (w.expect === undefined || w.expect === 'any' ? 'a value' : `a value of kind ${w.expect}`) : w.value === undefined ? '(nothing)' : JSON.stringify(w.value));
  // A place under the value is named as a path (`a value at [0]`: a list with a first item), never as `0 = a value`.
  return wants.map((w) => `${what(w)}${w.steps.length > 0 ? ` at ${describeSteps(w.steps)}` : ''}`).join(', ');
}

/** One computation to steer, and what it must give. */
export interface Steering {
  readonly computed: Computed;
  readonly wants: readonly Want[];
  /**
   * Values at the computation's place (`Computed.steps`) a judge is likely to accept (those the
   * Conditions judging compare it with): hints for the fields it reads, not values it must give.
   */
  readonly likely?: readonly JsonValue[];
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

/**
 * What steering found for the same expressions, wants and values before, per exploration: the
 * same question asked again (by each repair round, by each value a Choice search tries) costs
 * its evaluations once.
 */
const answered = new WeakMap<Exploration, Map<string, Write[] | { reason: string }>>();
const ANSWERS_KEPT = 2_000;

async function steerTogether(x: Exploration, parts: readonly Steering[], depth: number): Promise<Write[] | { reason: string }> {
  let memo = answered.get(x);
  if (!memo) answered.set(x, memo = new Map());
  const key = JSON.stringify(parts.map((p) => {
    const c = p.computed.params?.jsonata;
    return [c?.where, c?.text, p.wants, c?.env(), p.computed.args];
  }));
  const known = memo.get(key);
  if (known !== undefined) return known;
  const found = await steerAnew(x, parts, depth);
  // A search the budget cut short is not an answer to keep.
  if (!x.stopped()) {
    if (memo.size >= ANSWERS_KEPT) memo.clear();
    memo.set(key, found);
  }
  return found;
}

/**
 * What a search over the fields of computations checks: the values they give at their places
 * (each `Computed.steps`), for a caller that asks more of them together than one value each
 * (a Choice's Conditions, evaluated on them).
 */
export type Judge = (
  values: ReadonlyArray<JsonValue | undefined>, levers: ReadonlyArray<{ readonly source: Source; readonly value: JsonValue | undefined }>,
) => Promise<boolean>;

/**
 * The writes that make computations give values `judge` accepts, trying values of the fields
 * they read (as {@link steerJsonata} does for wanted values), or why explore found none.
 */
export async function steerJudged(
  x: Exploration, computed: readonly Computed[], judge: Judge, likely: ReadonlyArray<readonly JsonValue[]> = [], judged: readonly JsonValue[] = [],
): Promise<Write[] | { reason: string }> {
  return steerAnew(x, computed.map((c, i) => ({ computed: c, wants: [], likely: likely[i] ?? [] })), 0, judge, judged);
}

/**
 * `judged`: the literals of the Conditions `judge` evaluates (`total / papers >= 85`), which a list of a Map's results is
 * made to meet (its size, a field of its results).
 */
async function steerAnew(
  x: Exploration, parts: readonly Steering[], depth: number, judge?: Judge, judged: readonly JsonValue[] = [],
): Promise<Write[] | { reason: string }> {
  const comps = parts.map((p) => p.computed.params?.jsonata);
  const first = comps[0];
  if (parts.some((p, i) => p.computed.fn !== 'JSONata' || comps[i] === undefined) || first === undefined) return { reason: 'not a JSONata computation' };
  const stops = comps.map((c) => `${c!.where} computes it with the JSONata expression ${quoted(c!.text)}`).join('; and ');
  if (depth > MAX_DEPTH) return { reason: `${stops}, from values computed by more expressions than explore follows` };
  const envs = comps.map((c) => c!.env());
  const reads = parts.map((p, i) => {
    const likely = (p.likely ?? []).map((value): Want => ({ steps: p.computed.steps, value }));
    return hintsOf(comps[i]!.text, comps[i]!.node, p.wants, envs[i], likely, comps[i]!.at);
  });
  if (reads.some((r) => r === undefined)) return { reason: `${stops}, which does not parse` };
  const levers = new Map<string, Lever>();
  parts.forEach((p, i) => comps[i]!.fields.forEach((ref, k) => {
    const a = p.computed.args[k];
    if (a?.kind !== 'source' || !writable(x, a.source)) return;
    const key = JSON.stringify(a.source);
    const lever = levers.get(key) ?? { source: a.source, refs: [] };
    lever.refs.push({ part: i, ref });
    levers.set(key, lever);
  }));
  // A Map's results given whole are the results every part of the same expression reads a field of (`$count($states.result)`
  // beside `$sum($states.result.stars)`): a list tried for one is tried for all of them.
  for (const lever of levers.values()) {
    const whole = lever.refs.find((r) => r.ref.steps.length === 0);
    if (lever.source.kind !== 'fixed' || lever.source.computed?.fn !== 'Map.results' || whole === undefined) continue;
    const where = comps[whole.part]!.where;
    parts.forEach((_, i) => {
      const under = comps[i]!.fields.some((f) => JSON.stringify(f.root) === JSON.stringify(whole.ref.root));
      const added = lever.refs.some((r) => r.part === i);
      if (i !== whole.part && comps[i]!.where === where && under && !added) lever.refs.push({ part: i, ref: whole.ref });
    });
  }
  const list = [...levers.values()];
  if (list.length === 0) return { reason: `${stops}, from fields explore cannot write (${comps.flatMap((c) => c!.fields.map((f) => f.key)).join(', ')})` };
  const names = list.map((l) => l.refs[0].ref.key);
  const numbers = [...judged, ...parts.flatMap((p) => p.likely ?? []), ...reads.flatMap((r) => r!.literals)];
  const candidates = list.map((l) => {
    // The hints each computation gives the field, tried in turn.
    const { part, ref } = l.refs[0];
    const byPart = l.refs.map((r) => reads[r.part]!.hints.get(r.ref.key) ?? []);
    // Computations that each want something of one string (a prefix, what follows a separator) are tried on the strings joined.
    const joined: JsonValue[] = [];
    for (let i = 0; i < byPart.length; i++) {
      for (let j = 0; j < byPart.length; j++) {
        if (i === j) continue;
        for (const a of byPart[i].slice(0, 3)) for (const b of byPart[j].slice(0, 3)) if (typeof a === 'string' && typeof b === 'string') joined.push(a + b);
      }
    }
    const all: Reads = {
      ...reads[part]!, hints: new Map([[ref.key, [...byPart.flat(), ...joined]]]), literals: l.refs.flatMap((r) => reads[r.part]!.literals),
    };
    const now = followSteps(rootValue(envs[part], ref) ?? null, ref.steps);
    const last = [...ref.steps].reverse().find((st): st is string => typeof st === 'string');
    const kind = last !== undefined ? x.seeds.get(last) : undefined;
    const tried = candidatesFor(ref.key, all, now === undefined ? { found: false } : { found: true, value: now }, kind);
    // A text another field needs as it is, which one wanted defined splits into too few parts (`9000-9000-9000`, which
    // `$split($ref, '-')[3]` finds no fourth part in): the text with its last part again, once and more, first.
    const longer = typeof now === 'string' && l.refs.every((r) => parts[r.part].wants.every((w) => w.defined))
      ? l.refs.flatMap((r) => splitSeparators(comps[r.part]!.node)).flatMap((sep) => lengthened(now, sep)) : [];
    // A text whose other parts something else needs as they are (a pattern a Condition before matches it with): the part
    // a hint changes put into that text, its other parts kept (`AAA-0000-0000-EU` for `EU-EU-EU-EU`), first.
    const kept = typeof now === 'string'
      ? l.refs.flatMap((r) => splitSeparators(comps[r.part]!.node)).flatMap((sep) => spliced(now, tried, sep)) : [];
    const ahead = [...longer, ...kept];
    if (ahead.length > 0) tried.unshift(...ahead.filter((v, i) => ahead.indexOf(v) === i && !tried.includes(v)));
    // A Map's results as a whole: lists of results its iterations gave (each for an item explore knows), in the numbers and
    // with the values the expressions and the Conditions name, before the values any field is tried with.
    const whole = ref.steps.length === 0 && l.source.kind === 'fixed' ? l.source.computed : undefined;
    const lists = whole ? resultLists(whole, numbers, now, fieldsOfEach(l.refs.flatMap((r) => [...reads[r.part]!.refs.values()]), ref)) : [];
    return lists.length > 0 ? [...lists.filter((r) => now === undefined || !sameJson(r, now)), ...tried] : tried;
  });
  let tries = 0;
  let failedWrites: string | undefined;
  for (const assignment of assignments(names, candidates)) {
    if (tries >= EVALUATIONS || x.stopped()) break;
    tries++;
    let ok = true;
    const given: Array<JsonValue | undefined> = [];
    for (let i = 0; i < parts.length && ok; i++) {
      let tried = envs[i];
      for (const [k, v] of assignment) for (const r of list[k].refs) if (r.part === i) tried = withField(tried, r.ref, v);
      const value = await evaluate(comps[i]!.text, tried, x.interrupt);
      if (value instanceof Error) { ok = false; break; }
      ok = parts[i].wants.every((w) => gives(value, w));
      given.push(value === undefined ? undefined : followSteps(value, parts[i].computed.steps));
    }
    if (ok && judge) ok = await judge(given, assignment.map(([k, v]) => ({ source: list[k].source, value: v })));
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
    reason: `${stops}, and none of the ${tries} values tried for ${names.join(', ')} gave ${judge ? 'values that take it' : parts.map((p) => shown(p.wants)).join('; ')}`
      + `${failedWrites !== undefined ? ` that explore could write (${failedWrites})` : ''}`,
  };
}

/** How many parts a text is lengthened by, at most, for a `$split` that needs more. */
const MORE_PARTS = 3;

/** `text` with its last part at `sep` repeated once, twice, ... */
function lengthened(text: string, sep: string): string[] {
  const last = text.slice(text.lastIndexOf(sep) < 0 ? 0 : text.lastIndexOf(sep) + sep.length);
  return Array.from({ length: MORE_PARTS }, (_, k) => text + `${sep}${last}`.repeat(k + 1));
}

/** How many of the hints a text's parts are taken from, and the most parts a text so spliced has. */
const SPLICED_HINTS = 4;
const MAX_SPLICED_PARTS = 12;

/**
 * `text` with one part at `sep` taken from a hint split at the same separator, for each part the
 * hint has otherwise: what `$split(text, sep)[k]` reads changes, the parts other expressions read
 * stay as they are.
 */
function spliced(text: string, hints: ReadonlyArray<JsonValue | undefined>, sep: string): string[] {
  const mine = text.split(sep);
  if (mine.length < 2 || mine.length > MAX_SPLICED_PARTS) return [];
  const out: string[] = [];
  for (const hint of hints.filter((h): h is string => typeof h === 'string' && h.includes(sep)).slice(0, SPLICED_HINTS)) {
    const theirs = hint.split(sep);
    for (let k = 0; k < Math.min(mine.length, theirs.length); k++) {
      if (theirs[k] === mine[k]) continue;
      out.push([...mine.slice(0, k), theirs[k], ...mine.slice(k + 1)].join(sep));
    }
  }
  return out;
}

/** The literal separators the `$split` calls of an expression split at (`'-'` of `$split($ref, '-')[3]`). */
function splitSeparators(node: JsonataNode): string[] {
  const out = new Set<string>();
  const walk = (n: unknown, depth: number): void => {
    if (n === null || typeof n !== 'object' || depth > 64 || out.size >= 4) return;
    if (Array.isArray(n)) { for (const item of n) walk(item, depth + 1); return; }
    const at = n as JsonataNode;
    const sep = (at.arguments as JsonataNode[] | undefined)?.[1];
    if (at.type === 'function' && at.procedure?.value === 'split' && sep?.type === 'string' && sep.value !== '') out.add(sep.value as string);
    for (const v of Object.values(at)) walk(v, depth + 1);
  };
  walk(node, 0);
  return [...out];
}

/** A value as JSON holds it: what JSONata marks on its sequences left out. */
function plain(v: JsonValue): JsonValue {
  return JSON.parse(JSON.stringify(v)) as JsonValue;
}

/** Whether a computed value gives what is wanted at a place under it. */
function gives(value: JsonValue | undefined, w: Want): boolean {
  const at = value === undefined ? undefined : followSteps(value, w.steps);
  if (w.defined) return at !== undefined && (w.expect === undefined || fits(at, w.expect));
  // JSONata gives a sequence of one value as that value: `$keys({"a": 1})` is "a", which reads as ["a"] reads.
  const one = (v: JsonValue | undefined) => (Array.isArray(v) && v.length === 1 ? v[0] : v);
  // An object an expression builds has its keys in the order it writes them (`{"vendor": …, "price": …}`), a value wanted
  // in the order it was put together: JSON objects are the same whatever the order of their keys.
  const same = (a: JsonValue | undefined, b: JsonValue | undefined) =>
    sameJson(a, b) || (a !== undefined && b !== undefined && isDeepStrictEqual(plain(a), plain(b)));
  return same(at, w.value) || same(one(at), one(w.value));
}

