import { applyWrites } from './apply-writes';
import { mayGive } from './computable';
import { evaluateCondition } from './conditions';
import { describeSteps, ExploreBudgetExceeded, type Attempt, type Exploration, type RunRecord } from './context';
import { answerShapeAt } from './contract-answers';
import { type StateInfo } from './goals';
import { invert, invertible, invertThroughJsonata } from './inverse';
import { endedStates } from './job-answers';
import { steerAll, steerJudged, type Steering, type Want } from './jsonata-inverse';
import { mergedWrites } from './merge-writes';
import { setAt } from './plan';
import { scopeValue, type Write } from './reads';
import { conditionTexts } from './seeds';
import {
  jsonataFields, parseBindingPath, searchJsonataBranch, solveRules, type Binding, type BindingTarget, type RuleGoal, type SolveResult,
} from './solve';
import type { ChoiceRule, ChoiceState, JsonValue } from '../asl';
import { rulePaths } from './solve/formula';
import { parseJsonata, readsOf, stripDelimiters } from './solve/jsonata-ast';
import { givenKind } from './solve/jsonata-gives';
import { readTarget } from './solve/paths';
import type { Computed, Source, Step } from './sources';
import { variablesAt, type Visit } from './visits';
import { failRulesOf, refusedValues } from '../asl/answer-outcomes';
import { sameJson } from '../asl/json-value';

/*
 * Choice branches into plans: the solver's values for the rules of a Choice
 * visit, followed back to the execution input and the Task answers they come
 * from, and written there.
 */

/** Visits of a Choice a branch is solved at: the first and the last, then the others in order. */
const CHOICE_VISITS = 6;
/** The most characters of a value a computed value must come out as that advice shows. */
const SHOWN_WANTED = 80;
/** Visits read to find them. */
const CHOICE_VISITS_READ = 64;
/** Values that take a JSONata branch a search tries to write before it gives up on them (each may steer an expression). */
const ACCEPTS = 12;

/**
 * The visits of one Choice in a run to solve a branch at: in a loop, each
 * pass can see other variables and input (a counter the machine keeps), and
 * the branch may be open at one pass only, so besides the first and the last
 * the others are tried too, one per distinct input and variables.
 */
export function choiceVisits(list: readonly Visit[]): Visit[] {
  if (list.length <= 2) return [...list];
  const order = [list[0], list[list.length - 1], ...list.slice(1, Math.min(list.length - 1, CHOICE_VISITS_READ))];
  const seen = new Set<string>();
  const out: Visit[] = [];
  for (const v of order) {
    const key = JSON.stringify([v.input, variablesAt(v)]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
    if (out.length === CHOICE_VISITS) break;
  }
  return out;
}

/**
 * The values a Choice visit sees: its input as its rules read it, the Context Object (the execution input, the time it
 * started, the state's name and the time it was entered, as AWS gives them: ISO 8601 with milliseconds), its variables.
 */
export function worldAt(x: Exploration, rec: RunRecord, v: Visit, info: StateInfo): BindingTarget {
  const executionInput = x.visitsOf(rec).input;
  const input = info.language === 'JSONata' ? v.input : scopeValue(v, info, 'input', executionInput);
  const context = {
    Execution: { Input: executionInput, StartTime: rec.result.startDate.toISOString() },
    State: { Name: v.name, EnteredTime: v.entered.timestamp.toISOString() },
  };
  return { input, context, variables: variablesAt(v) };
}

/** The time a Choice visit's Conditions read from `$now()` and `$millis()`: when the state was entered, on the run's clock. */
function evaluatedAt(v: Visit): number {
  return v.entered.timestamp.getTime();
}

/**
 * The places explore can write that a computed value is made from (what a
 * JSONata expression or an intrinsic function reads, followed back), for a
 * search that changes them and runs again when the computation cannot be
 * inverted.
 */
export function leversOf(s: Source, out: Source[] = [], depth = 0): Source[] {
  if (depth > 16) return out;
  if (s.kind !== 'fixed') {
    if (!out.some((o) => sameJson(o, s))) out.push(s);
    return out;
  }
  const walk = (c: Computed): void => {
    for (const a of c.args) {
      if (a.kind === 'source') leversOf(a.source, out, depth + 1);
      else if (a.kind === 'call') walk(a.computed);
    }
  };
  if (s.computed) walk(s.computed);
  return out;
}

function safeRulePaths(rule: ChoiceRule): string[] {
  try {
    return rulePaths(rule);
  } catch {
    return [];
  }
}

/** The paths the rules of a Choice up to a branch read, as the solver spells them. */
export function choicePaths(def: ChoiceState, last: number, language: 'JSONPath' | 'JSONata'): string[] {
  const out: string[] = [];
  for (const rule of (def.Choices ?? []).slice(0, last)) {
    const paths = language === 'JSONata'
      ? (typeof rule.Condition === 'string' ? jsonataFields(rule.Condition.replace(/^\s*\{%([^]*)%\}\s*$/, '$1')) ?? [] : [])
      : safeRulePaths(rule);
    for (const p of paths) if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** Values that take branch `branch` of a Choice visit, written where they come from. */
export async function solveBranch(
  x: Exploration, rec: RunRecord, v: Visit, branch: number | 'default',
): Promise<Attempt & { kind?: SolveResult['kind']; levers?: Source[]; hints?: JsonValue[] }> {
  const solved = await solveBranchValues(x, rec, v, branch);
  if (!('reason' in solved)) return solved;
  // The rules read values computed from others: those others are where a search can still change the outcome.
  const info = x.states.get(v.name);
  if (!info || info.def.Type !== 'Choice') return solved;
  const prov = x.provenanceOf(rec);
  const levers: Source[] = [];
  for (const path of choicePaths(info.def, branch === 'default' ? info.def.Choices.length : branch + 1, info.language)) {
    const parsed = parseBindingPath(path);
    if ('error' in parsed) continue;
    const source = prov.scope(v, parsed.root.kind === 'variable' ? { variable: parsed.root.name } : parsed.root.kind, parsed.steps);
    if (source.kind === 'fixed' && source.computed) leversOf(source, levers);
  }
  if (levers.length === 0) return solved;
  // What the rules want of the computed values is a good guess at what the values they are computed from should be.
  const hints: JsonValue[] = [];
  await solveBranchValues(x, rec, v, branch, (bindings) => {
    for (const b of bindings) if (!('absent' in b) && (b.value === null || typeof b.value !== 'object')) hints.push(b.value);
  });
  return { ...solved, levers, hints };
}

/**
 * What a user can give for explore to take a branch it could not: the
 * execution input fields (`input`) and the Task answers (`mocks`) the rules up
 * to the branch read, in words, e.g. `--input $.order.total, --mocks for
 * 'Charge' .status`; where a rule reads a value computed from them, the value
 * it must come out as (`so that $.h is "abc"`); empty when the rules read
 * nothing a user gives.
 */
export async function whatToGive(x: Exploration, rec: RunRecord, v: Visit, branch: number | 'default'): Promise<string> {
  const info = x.states.get(v.name);
  if (!info || info.def.Type !== 'Choice') return '';
  const prov = x.provenanceOf(rec);
  const inputs: string[] = [];
  const mocks: string[] = [];
  const computed: string[] = [];
  const add = (list: string[], text: string): void => { if (!list.includes(text)) list.push(text); };
  // What the rules want of each value they read, every value free: for a computed one, what it must come out as.
  const wanted = new Map<string, JsonValue | undefined>();
  await solveBranchValues(x, rec, v, branch, (bindings) => {
    for (const b of bindings) wanted.set(b.path, 'absent' in b ? undefined : b.value);
  });
  for (const path of choicePaths(info.def, branch === 'default' ? info.def.Choices.length : branch + 1, info.language)) {
    const parsed = parseBindingPath(path);
    if ('error' in parsed) continue;
    const source = prov.scope(v, parsed.root.kind === 'variable' ? { variable: parsed.root.name } : parsed.root.kind, parsed.steps);
    const levers = source.kind === 'fixed' ? leversOf(source) : [source];
    for (const s of levers) {
      if (s.kind === 'input') add(inputs, `$${describeSteps(s.steps).replace('(the whole value)', '')}`);
      else if (s.kind === 'task' && !x.fixed.has(s.state)) add(mocks, `'${s.state}' ${describeSteps(s.steps)}`);
      else if (s.kind === 'cause') add(mocks, `'${s.state}' (the ${s.field === 'Error' ? 'name' : 'Cause'} of its error)`);
    }
    // A value the computation can never give (a count of -1) is not one to tell a user to make it give.
    if (source.kind === 'fixed' && levers.length > 0 && wanted.has(path) && (source.computed === undefined || mayGive(source.computed, wanted.get(path)))) {
      const value = wanted.get(path);
      const shown = value === undefined ? 'absent' : JSON.stringify(value);
      add(computed, `${path} is ${shown.length > SHOWN_WANTED ? `${shown.slice(0, SHOWN_WANTED)}…` : shown}`);
    }
  }
  const give = [...(inputs.length > 0 ? [`--input with ${inputs.join(', ')}`] : []), ...(mocks.length > 0 ? [`--mocks for ${mocks.join(', ')}`] : [])].join(', or ');
  return give !== '' && computed.length > 0 ? `${give}, so that ${computed.join(' and ')} (computed from them)` : give;
}

/**
 * Values that take branch `branch` of a Choice visit; with `free`, also at
 * paths explore cannot write (their values then only hint at what to look
 * for); else written where they come from.
 */
async function solveBranchValues(
  x: Exploration, rec: RunRecord, v: Visit, branch: number | 'default', free?: (bindings: readonly Binding[]) => void,
): Promise<Attempt & { kind?: SolveResult['kind'] }> {
  const info = x.states.get(v.name);
  if (!info || info.def.Type !== 'Choice') return { reason: `'${v.name}' is not a Choice state` };
  const def = info.def;
  const prov = x.provenanceOf(rec);
  const world = worldAt(x, rec, v, info);
  const sourceOf = (path: string): Source => {
    const parsed = parseBindingPath(path);
    if ('error' in parsed) return { kind: 'fixed', deep: true, reason: parsed.error };
    const root = parsed.root.kind === 'variable' ? { variable: parsed.root.name } : parsed.root.kind;
    return prov.scope(v, root, parsed.steps);
  };
  const current = (path: string): { found: true; value: JsonValue } | { found: false } => {
    const parsed = parseBindingPath(path);
    if ('error' in parsed) return { found: false };
    const value = readTarget(world, parsed.root, parsed.steps);
    return value === undefined ? { found: false } : { found: true, value };
  };
  // A value an intrinsic function computes is free for the solver when explore can steer the function.
  const isFixed = (path: string): boolean => {
    if (free) return false;
    const s = sourceOf(path);
    return s.kind === 'fixed' && s.deep && !(s.computed && invertible(s.computed));
  };
  const choices = def.Choices ?? [];
  const last = branch === 'default' ? choices.length : branch + 1;
  const goals: RuleGoal[] = choices.slice(0, last).map((rule, i) => ({ rule, want: i === branch, where: `Choices[${i}]` }));
  // A rule that reads a field of a Task's answer its service judges (an HTTP status outside 2xx fails the Task) needs a value the Task lets through.
  if (info.language === 'JSONPath') {
    for (const path of choicePaths(def, last, 'JSONPath')) goals.push(...letThrough(x, path, sourceOf(path)).filter((g) => !goals.some((h) => sameJson(h.rule, g.rule))));
  }
  // A value that cannot be absent (a Task's whole answer, the execution input) gets a goal saying so when an answer removes it.
  // JSONata: values that bring the Conditions round are taken once they can be written where they come from.
  let written: Attempt | undefined;
  let accepts = 0;
  const accept = async (bindings: readonly Binding[]): Promise<true | string> => {
    if (free) return true;
    const stuck = bindings.find((b) => 'absent' in b && cannotBeAbsent(sourceOf(b.path)));
    if (stuck) return `${stuck.path} is always there`;
    if (++accepts > ACCEPTS) return 'explore stopped trying values that cannot be written';
    const attempt = await bindingWrites(x, rec, world, bindings, sourceOf);
    if ('reason' in attempt) return attempt.reason;
    written = attempt;
    return true;
  };
  const kindOf = (path: string): JsonValue | undefined => {
    const parsed = parseBindingPath(path);
    const name = 'error' in parsed ? undefined : [...parsed.steps].reverse().find((s): s is string => typeof s === 'string');
    const seeded = name === undefined ? undefined : x.seeds.get(name);
    return seeded ?? computedKind(sourceOf(path));
  };
  const describeFixed = (path: string): string | undefined => {
    const s = sourceOf(path);
    return s.kind === 'fixed' ? s.reason : undefined;
  };
  // Conditions that read a computed value and, beside it, a field it is computed from: values of the two found
  // apart undo each other, so the computations are searched with the Conditions judging first.
  if (info.language === 'JSONata' && !free && coupled(conditionPaths(def, branch), sourceOf)) {
    const through = await throughComputations(x, rec, v, branch, world, sourceOf);
    if (through !== undefined && !('reason' in through)) return through;
  }
  for (let round = 0; round < 3; round++) {
    let result: SolveResult;
    try {
      result = info.language === 'JSONata'
        ? await searchJsonataBranch(def, branch, {
          current,
          isFixed,
          kindOf,
          accept,
          describeFixed,
          valuesFor: (path) => contractValues(x, sourceOf(path)),
          texts: conditionTexts(x.states),
          stopped: () => x.stopped(),
          now: evaluatedAt(v),
          evaluate: (i, bindings) => evaluateCondition(def.Choices[i].Condition, i, bindings, world, evaluatedAt(v), x.interrupt),
        })
        : solveRules(goals, { current, isFixed });
    } catch (e) {
      if (e instanceof ExploreBudgetExceeded) throw e;
      return { reason: `the solver refused the rules: ${(e as Error).message}` };
    }
    if (result.kind !== 'sat') {
      // Values the Conditions would take may be ones what computes them cannot give: search what it is computed from, the Conditions judging.
      const through = info.language === 'JSONata' && !free && result.kind === 'unknown' ? await throughComputations(x, rec, v, branch, world, sourceOf) : undefined;
      if (through !== undefined && !('reason' in through)) return through;
      return { reason: result.reason, kind: result.kind };
    }
    const stuck = result.bindings.filter((b) => 'absent' in b && cannotBeAbsent(sourceOf(b.path)));
    if (stuck.length > 0 && info.language === 'JSONPath') {
      for (const b of stuck) goals.push({ rule: { Variable: b.path, IsPresent: true }, want: true, where: `${b.path} is always present` });
      continue;
    }
    if (free) {
      free(result.bindings);
      return { reason: 'solved with every path free' };
    }
    const found = info.language === 'JSONata' && written !== undefined ? written : await bindingWrites(x, rec, world, result.bindings, sourceOf);
    // Values found for a computed field and, beside it, for the fields it is computed from may undo each other once
    // written: the computations searched with the Conditions judging are the other way, tried when the first is not.
    if (info.language === 'JSONata' && !('reason' in found) && result.bindings.some((b) => isComputed(sourceOf(b.path)))) {
      const through = await throughComputations(x, rec, v, branch, world, sourceOf);
      if (through !== undefined && !('reason' in through) && !('otherwise' in found)) return { ...found, otherwise: { plan: through.plan, writes: through.writes } };
    }
    return found;
  }
  return { reason: 'the values found remove what is always there' };
}

/**
 * Goals that keep a JSONPath rule's field at a value its Task lets through, when the field is one
 * of the Task's answer that its service judges (asl/integrations.ts: an HTTP status outside
 * [200, 299] fails an `http:invoke` or `apigateway:invoke` Task, a job's terminal status fails a
 * `.sync` one): a value the Task turns into its failure never reaches the Choice.
 */
function letThrough(x: Exploration, path: string, source: Source): RuleGoal[] {
  if (source.kind !== 'task') return [];
  const def = x.states.get(source.state)?.def;
  const resource = def?.Type === 'Task' ? def.Resource : undefined;
  if (typeof resource !== 'string') return [];
  const at = source.steps.join('.');
  const out: RuleGoal[] = [];
  for (const rule of failRulesOf(resource)) {
    if (!rule.at.includes(at)) continue;
    const t = rule.test;
    const where = `'${source.state}' lets through only an answer whose .${at} is not ${refusedValues(t)}`;
    const v = { Variable: path };
    // The status a number (the contract's type: explore's answers are made to fit it), the states a text.
    let allowed: ChoiceRule | undefined;
    if ('outside' in t) {allowed = { And: [{ ...v, IsNumeric: true }, { ...v, NumericGreaterThanEquals: t.outside[0] }, { ...v, NumericLessThanEquals: t.outside[1] }] };} else if ('above' in t) {allowed = { And: [{ ...v, IsNumeric: true }, { ...v, NumericLessThanEquals: t.above }] };} else if ('oneOf' in t) {
      // A job's state is one its describe call lists that ends it without failing the Task: the one a job that succeeded
      // ends in first, so that explore picks a state no AWS page decides only where the rules want another.
      const ended = endedStates(resource, at);
      allowed = ended !== undefined && ended.states.length > 0
        ? { Or: ended.states.map((s) => ({ ...v, StringEquals: s })) }
        : { And: [{ ...v, IsString: true }, { Not: { Or: t.oneOf.map((s) => ({ ...v, StringEquals: s })) } }] };
    }
    if (allowed !== undefined) out.push({ rule: { Or: [{ ...v, IsPresent: false }, allowed] }, want: true, where });
  }
  return out;
}

/**
 * A JSONata branch taken by searching the fields its Conditions' values are computed from
 * (JSONata expressions of states before it), each try evaluating those expressions and then
 * the Conditions on what they give.
 */
async function throughComputations(
  x: Exploration, rec: RunRecord, v: Visit, branch: number | 'default', world: BindingTarget, sourceOf: (path: string) => Source,
): Promise<Attempt | undefined> {
  const info = x.states.get(v.name);
  if (!info || info.def.Type !== 'Choice') return undefined;
  const def = info.def;
  const last = branch === 'default' ? def.Choices.length : branch + 1;
  const paths: string[] = [];
  const computed: Computed[] = [];
  // The fields the Conditions read straight from where a computation's fields come from: given the same values as it.
  const direct: Array<{ path: string; key: string }> = [];
  // Parts of an expression that reads nothing explore can write on its own (`$sum($states.result.score)` where no result
  // had a score yet): evaluated beside a part of the same expression that can be steered, which may change what they read.
  const beside: Array<{ path: string; computed: Computed }> = [];
  for (const path of choicePaths(def, last, 'JSONata')) {
    const s = sourceOf(path);
    if (s.kind === 'fixed' && s.computed?.fn === 'JSONata' && invertible(s.computed)) {
      paths.push(path);
      computed.push(s.computed);
    } else if (s.kind === 'fixed' && s.computed?.fn === 'JSONata') {
      beside.push({ path, computed: s.computed });
    } else if (s.kind === 'input' || s.kind === 'task') {
      direct.push({ path, key: JSON.stringify(s) });
    }
  }
  if (computed.length === 0) return undefined;
  const wheres = new Set(computed.map((c) => c.params?.jsonata?.where));
  for (const b of beside) {
    if (!wheres.has(b.computed.params?.jsonata?.where)) continue;
    paths.push(b.path);
    computed.push(b.computed);
  }
  const start = evaluatedAt(v);
  // What the Conditions compare each computed value with (a count's list of that many, a literal): values the
  // judge is likely to accept, taken back through each computation to the fields it reads.
  const compared = conditionHints(def, last);
  const likely = paths.map((path) => compared.get(path) ?? []);
  const steered = await steerJudged(x, computed, async (values, levers) => {
    const bindings: Binding[] = paths.map((path, i) => (values[i] === undefined ? { path, absent: true } : { path, value: values[i]! }));
    for (const d of direct) {
      const lever = levers.find((l) => JSON.stringify(l.source) === d.key);
      if (lever) bindings.push(lever.value === undefined ? { path: d.path, absent: true } : { path: d.path, value: lever.value });
    }
    for (let i = 0; i < last; i++) {
      const got = await evaluateCondition(def.Choices[i].Condition, i, bindings, world, start, x.interrupt);
      if (got !== (i === branch)) return false;
    }
    return true;
  }, likely, conditionLiterals(def, last));
  return 'reason' in steered ? steered : applyWrites(x, rec, steered);
}

/** Every literal of the JSONata Conditions before `last`. */
function conditionLiterals(def: ChoiceState, last: number): JsonValue[] {
  return (def.Choices ?? []).slice(0, last).flatMap((rule) => {
    const parsed = typeof rule.Condition === 'string' ? parseJsonata(stripDelimiters(rule.Condition)) : undefined;
    return parsed === undefined || 'error' in parsed ? [] : readsOf(parsed.ast).literals;
  });
}

/** The values the JSONata Conditions before `last` compare each field they read with, by field (as {@link choicePaths} spells them). */
function conditionHints(def: ChoiceState, last: number): Map<string, JsonValue[]> {
  const out = new Map<string, JsonValue[]>();
  for (const rule of (def.Choices ?? []).slice(0, last)) {
    if (typeof rule.Condition !== 'string') continue;
    const parsed = parseJsonata(stripDelimiters(rule.Condition));
    if ('error' in parsed) continue;
    for (const [field, hints] of readsOf(parsed.ast).hints) out.set(field, [...(out.get(field) ?? []), ...hints]);
  }
  return out;
}

/** Where the solver's values go: straight to their source, or through the function that computes them. */
export async function bindingWrites(
  x: Exploration, rec: RunRecord, world: BindingTarget, bindings: readonly Binding[], sourceOf: (path: string) => Source,
): Promise<Attempt> {
  const writes: Write[] = [];
  // The values under one computed node are gathered, then the function is steered once for all of them.
  const computed = new Map<string, { computed: Computed; whole: JsonValue | undefined; wants: Want[]; reason: string }>();
  for (const b of builtParts(world, bindings, sourceOf)) {
    const source = sourceOf(b.path);
    const value = 'absent' in b ? undefined : b.value;
    if (source.kind !== 'fixed') {
      writes.push({ source, value });
      continue;
    }
    const parsed = parseBindingPath(b.path);
    if (!source.computed || 'error' in parsed) {
      return { reason: `it needs ${b.path} to be ${value === undefined ? 'absent' : JSON.stringify(value)}, and that value comes from ${source.reason}` };
    }
    const node = parsed.steps.slice(0, parsed.steps.length - source.computed.steps.length);
    // Two parts of one JSONata expression (two entries of an object it builds) are two computations, of the fields each reads.
    const key = JSON.stringify([parsed.root, node, source.computed.params?.jsonata?.node.position, source.computed.params?.jsonata?.where]);
    const entry = computed.get(key) ?? { computed: source.computed, whole: readTarget(world, parsed.root, node), wants: [], reason: source.reason };
    entry.whole = setAt(entry.whole, source.computed.steps, value);
    entry.wants.push({ steps: source.computed.steps, value });
    computed.set(key, entry);
  }
  const jsonata: Steering[] = [];
  // An index wanted of a Map's item ($$.Map.Item.Index): the item moves there, and what is written of it follows it.
  const moves: Array<{ items: Source; from: number; to: number }> = [];
  for (const entry of computed.values()) {
    if (entry.computed.fn === 'JSONata') {
      jsonata.push({ computed: entry.computed, wants: entry.wants });
      continue;
    }
    const steered = invert(entry.computed, entry.whole);
    const through = 'reason' in steered ? invertThroughJsonata(entry.computed, entry.whole) : undefined;
    if (through) {
      writes.push(...through.writes);
      jsonata.push(...through.steer);
      continue;
    }
    if ('reason' in steered) return { reason: `it needs a value that comes from ${entry.reason} (${steered.reason})` };
    const items = entry.computed.args[0];
    if (entry.computed.fn === 'Map.index' && items?.kind === 'source' && typeof entry.whole === 'number') {
      moves.push({ items: items.source, from: entry.computed.params?.start ?? 0, to: entry.whole });
    }
    writes.push(...steered);
  }
  // JSONata computations that read the same field are steered together.
  const steered = jsonata.length > 0 ? await steerAll(x, jsonata) : [];
  if ('reason' in steered) return { reason: `it needs a value that ${steered.reason}` };
  writes.push(...steered);
  // An index a JSONata expression reads (`$states.context.Map.Item.Index + 1`) moves the item the same way, to
  // the index the list written for it ends at.
  for (const part of jsonata) {
    for (const arg of part.computed.args) {
      const index = arg.kind === 'source' && arg.source.kind === 'fixed' ? arg.source.computed : undefined;
      const items = index?.fn === 'Map.index' ? index.args[0] : undefined;
      if (index === undefined || items?.kind !== 'source') continue;
      const list = steered.find((w) => Array.isArray(w.value) && JSON.stringify(w.source) === JSON.stringify(items.source))?.value;
      if (Array.isArray(list)) moves.push({ items: items.source, from: index.params?.start ?? 0, to: list.length - 1 });
    }
  }
  // Two computations of one field (its length, its first item) each want the whole field: written as one, both hold.
  const together = mergedWrites(writes);
  return applyWrites(x, rec, moves.length > 0 ? moved(together, moves) : together);
}

/** How deep {@link builtParts} takes a value built of values built in turn. */
const BUILT_DEPTH = 4;

/**
 * The bindings with a value wanted of a list or object an expression builds (`'signals': [$r.velocity, $r.geo]`,
 * which nothing writes whole) as bindings of the parts it is built of: each item or field wanted, written where
 * that part comes from (an item past those built now, in a part that gave nothing). The items past those wanted
 * keep what they hold (`true in $signals` wants `[true]`: the first item true).
 */
function builtParts(world: BindingTarget, bindings: readonly Binding[], sourceOf: (path: string) => Source, depth = 0): Binding[] {
  const out: Binding[] = [];
  for (const b of bindings) {
    const source = sourceOf(b.path);
    const value = 'absent' in b ? undefined : b.value;
    const parsed = parseBindingPath(b.path);
    if (source.kind !== 'fixed' || source.deep || source.computed || value === null || typeof value !== 'object' || depth >= BUILT_DEPTH || 'error' in parsed) {
      out.push(b);
      continue;
    }
    const now = readTarget(world, parsed.root, parsed.steps);
    const parts: Array<[Step, JsonValue]> = Array.isArray(value) ? value.map((v, i): [Step, JsonValue] => [i, v]) : Object.entries(value);
    const fits = Array.isArray(value) ? Array.isArray(now) : now !== null && typeof now === 'object' && !Array.isArray(now);
    if (!fits || parts.length === 0) {
      out.push(b);
      continue;
    }
    out.push(...builtParts(world, parts.map(([step, v]) => ({ path: `${b.path}${stepText(step)}`, value: v })), sourceOf, depth + 1));
  }
  return out;
}

/** A step of a binding's path as it is written after the path before it: `[0]`, `.name`, `['a b']`. */
function stepText(step: Step): string {
  if (typeof step === 'number') return `[${step}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(step) ? `.${step}` : `['${step.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/**
 * The writes with those under a Map's item at `from` moved to the item at `to`, after the write of
 * the whole list that puts a copy of it there: the iteration that reads them has that index.
 */
function moved(writes: readonly Write[], moves: ReadonlyArray<{ items: Source; from: number; to: number }>): Write[] {
  const under = (s: Source, items: Source): readonly Step[] | undefined => {
    if (s.kind !== items.kind || s.kind === 'fixed' || s.kind === 'cause' || items.kind === 'fixed' || items.kind === 'cause') return undefined;
    if (s.kind === 'task' && items.kind === 'task' && (s.state !== items.state || s.invocation !== items.invocation)) return undefined;
    const base = items.steps;
    return s.steps.length > base.length && base.every((b, i) => s.steps[i] === b) ? s.steps.slice(base.length) : undefined;
  };
  const lists: Write[] = [];
  const rest: Write[] = [];
  for (const w of writes) {
    const move = moves.find((m) => under(w.source, m.items)?.[0] === m.from);
    if (move && (w.source.kind === 'input' || w.source.kind === 'task')) {
      const steps = [...move.items.kind === 'input' || move.items.kind === 'task' ? move.items.steps : [], move.to, ...under(w.source, move.items)!.slice(1)];
      rest.push({ ...w, source: { ...w.source, steps } });
    } else if (moves.some((m) => JSON.stringify(m.items) === JSON.stringify(w.source))) {
      lists.push(w);
    } else {
      rest.push(w);
    }
  }
  return [...lists, ...rest];
}

/** The values a Task's contract allows where a value comes from (an enum's), for the search to try. */
function contractValues(x: Exploration, s: Source): JsonValue[] {
  if (s.kind !== 'task') return [];
  const def = x.states.get(s.state)?.def;
  if (def?.Type !== 'Task' || typeof def.Resource !== 'string') return [];
  const shape = answerShapeAt(def.Resource, s.steps);
  if (shape !== undefined && 'enum' in shape && shape.enum !== undefined) return [...shape.enum];
  // A `.sync` job's state: those that end it without failing the Task, the one AWS's pages decide first.
  return [...endedStates(def.Resource, s.steps.join('.'))?.states ?? []];
}

// ---- repairs and loops ----

/** The paths the Conditions up to a branch read. */
function conditionPaths(def: ChoiceState, branch: number | 'default'): string[] {
  return choicePaths(def, branch === 'default' ? def.Choices.length : branch + 1, 'JSONata');
}

/** True when a path is computed from a place another path read beside it comes from. */
function coupled(list: readonly string[], sourceOf: (path: string) => Source): boolean {
  const sources = list.map(sourceOf);
  const direct = new Set(sources.filter((s) => s.kind === 'input' || s.kind === 'task').map((s) => JSON.stringify(s)));
  if (direct.size === 0) return false;
  return sources.some((s) => isComputed(s) && leversOf(s).some((l) => direct.has(JSON.stringify(l))));
}

/** True for a value a JSONata expression computes from others explore can write. */
function isComputed(s: Source): boolean {
  return s.kind === 'fixed' && s.computed?.fn === 'JSONata' && invertible(s.computed);
}

/** True for a value no answer can remove: a Task's whole answer, or the execution input itself. */
function cannotBeAbsent(s: Source): boolean {
  return (s.kind === 'task' || s.kind === 'input') && s.steps.length === 0;
}

/**
 * A value of the kind a JSONata expression gives a place it computes (a list of texts for
 * `$map(tags, $lowercase)`, an item of it for one of its indexes), read from the functions it
 * applies; undefined for any other source, or when the expression does not say.
 */
function computedKind(s: Source): JsonValue | undefined {
  const c = s.kind === 'fixed' ? s.computed : undefined;
  const j = c?.fn === 'JSONata' ? c.params?.jsonata : undefined;
  if (!c || !j) return undefined;
  const at = j.at ?? [];
  if (!at.every((st, i) => c.steps[i] === st)) return undefined;
  const rest = c.steps.slice(at.length);
  const kind = givenKind(j.node);
  if (rest.length === 0) return kind;
  return rest.length === 1 && typeof rest[0] === 'number' && Array.isArray(kind) ? kind[0] : undefined;
}
