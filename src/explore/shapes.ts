import { choicePaths } from './choices';
import { evaluateCondition } from './conditions';
import { describeSteps, goalId, type Exploration, type RunRecord } from './context';
import { answerShapeAt, answerType } from './contract-answers';
import type { StateInfo } from './goals';
import { mocksOf, setAt, withCall } from './plan';
import type { Proof } from './proofs';
import type { AnswerShape, ShapedValue } from './report-types';
import { parseBindingPath, solveRules, type Binding, type RuleGoal } from './solve';
import { fieldOf, localNames, parseJsonata, stripDelimiters, type JsonataNode } from './solve/jsonata-ast';
import type { Visit } from './visits';
import type { ChoiceRule, ChoiceState, JsonValue, StateDefinition } from '../asl';
import { jsonataPath, type Source, type Step } from './sources';
import { detailsOf } from '../asl/history-events';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { compilePath } from '../asl/path';
import { shorten } from '../asl/shorten';
import { StatesErrors } from '../asl/states-errors';
import { holdsNull, isEnumMember } from '../contracts';

/*
 * Proofs by answer shapes. A Choice branch explore did not take may be closed by what the
 * states before the Choice do with the values its rules read: when a rule needs a Task's
 * answer field absent, and the Task itself fails whenever that field is absent (its
 * ResultSelector or JSONata Assign reads the field whole), the branch is open only to runs
 * that never get past the Task. The proof splits the values the rules read into shapes —
 * each such field absent, or every one present — and shows where each shape ends: the
 * absent ones at the Task (a run shows it), the present one at another branch (the solver, or
 * the Conditions evaluated, shows it). It holds only when every run into the Choice comes
 * straight from the Task along one way (no other state leads into that way), and the values
 * the rules read are the Task's own fields, copied, not chosen by the run's values.
 */

/** Runs that entered the Choice a proof looks at, one after the other, until one gives it. */
const PARENTS = 3;
/** How far back from the Choice the one way in is followed. */
const MAX_CHAIN = 64;

/** Where a read of the Choice's rules comes from, as the proof sees it. */
export interface Leaf {
  /** The path the rules read, as they spell it. */
  readonly path: string;
  readonly source: Extract<Source, { kind: 'task' | 'input' }>;
  /** The field of the Task that fails the Task whenever the value is absent, and the error; undefined when nothing does. */
  readonly strict?: { readonly field: string; readonly error: string };
}

/**
 * The proof that branch `key` (`Check#1`, `Check#default`) of a Choice is taken by no run, by
 * the shapes of the answers its rules read, or undefined when explore cannot prove it so.
 * The runs it makes to show where the shapes end are not scenarios.
 */
export async function proveByShapes(x: Exploration, key: string): Promise<Proof | undefined> {
  const hash = key.lastIndexOf('#');
  const name = key.slice(0, hash);
  const info = x.states.get(name);
  if (info?.def.Type !== 'Choice') return undefined;
  const def = info.def;
  const b = key.slice(hash + 1);
  const branch: number | 'default' = b === 'default' ? 'default' : Number(b);
  const last = branch === 'default' ? def.Choices.length : branch + 1;
  const paths = choicePaths(def, last, info.language);
  if (paths.length === 0) return undefined;
  for (const parent of x.parentsFor(name).slice(0, PARENTS)) {
    if (x.stopped()) return undefined;
    await x.restore(parent);
    const v = x.visitsOf(parent).byState.get(name)?.[0];
    if (!v) continue;
    const leaves = leavesOf(x, parent, v, paths);
    if (!leaves) continue;
    const strict = leaves.filter((l) => l.strict !== undefined);
    // A field the Task's contract types that nothing reads whole may be absent: the rules decide where that shape ends.
    const optional = leaves.filter((l) => l.strict === undefined && l.source.kind === 'task' && taskType(x, l.source) !== undefined);
    if ((strict.length === 0 && optional.length === 0) || optional.length > MAX_OPTIONAL) continue;
    // With every field that fails its Task when absent present, and each optional one absent or present, the rules must not take the branch.
    const cases = await ruleCases(x, parent, v, info, branch, leaves, optional);
    if (cases === undefined) continue;
    const shapes: AnswerShape[] = [];
    let shown = true;
    for (const leaf of strict) {
      const absent = await absentCase(x, parent, leaf);
      if (absent === undefined) { shown = false; break; }
      shapes.push({ values: [shaped(x, leaf, 'absent')], ends: absent.ends, input: absent.rec.plan.input, mocks: mocksOf(absent.rec.calls, x.fixed) });
    }
    if (!shown) continue;
    for (const c of cases) {
      const shape = await caseShape(x, parent, name, key, strict, optional, c);
      if (shape === undefined) { shown = false; break; }
      shapes.push(shape);
    }
    if (!shown) continue;
    const words = shapes.map((s) => {
      const what = s.values.map((val) => `${val.task !== undefined ? `'${val.task}' answers ${val.field}` : `the input's ${val.field}`} ${val.shape}`).join(' and ');
      return s.ends.kind === 'fails'
        ? `${what}: '${s.ends.state}' fails with ${s.ends.error}, as a run shows`
        : `${what}: ${s.ends.reason}`;
    });
    return {
      reason: `every shape of what its rules read ends elsewhere: ${words.join('; ')}`,
      proof: { kind: 'answer-shapes', state: name, shapes },
    };
  }
  return undefined;
}

/** Optional fields (see proveByShapes) a proof splits into absent and present at most: each doubles the cases. */
const MAX_OPTIONAL = 3;

/** One case of the rules: the optional leaves absent in it (the others present), and why the rules do not take the branch then. */
interface RuleCase {
  readonly absent: ReadonlySet<Leaf>;
  readonly reason: string;
}

/**
 * The case's shape as the proof names it, with the run that shows it: the parent itself when its
 * answers are of that shape (where it went is its witness), else a run with the parent's answers
 * and the case's optional fields left out, which must not take the branch (undefined when it
 * does: the proof would contradict a run). A case that wants a field present the parent lacked
 * is named without a run.
 */
async function caseShape(
  x: Exploration, parent: RunRecord, name: string, key: string, strict: readonly Leaf[], optional: readonly Leaf[], c: RuleCase,
): Promise<AnswerShape | undefined> {
  const values = [...strict.map((l) => shaped(x, l, 'present')), ...optional.map((l) => shaped(x, l, c.absent.has(l) ? 'absent' : 'present'))];
  const has = (l: Leaf): boolean => {
    const s = l.source as Extract<Source, { kind: 'task' }>;
    const answer = parent.calls.get(s.state)?.[s.invocation];
    return answer?.kind === 'return' && valueAt(answer.value, s.steps) !== undefined;
  };
  const lacks = optional.filter((l) => has(l) && c.absent.has(l));
  if (optional.some((l) => !has(l) && !c.absent.has(l))) return { values, ends: { kind: 'other', state: name, reason: c.reason } };
  let rec = parent;
  if (lacks.length > 0) {
    let plan = parent.plan;
    for (const l of lacks) {
      const s = l.source as Extract<Source, { kind: 'task' }>;
      const answer = plan.calls.get(s.state)?.get(s.invocation) ?? parent.calls.get(s.state)?.[s.invocation];
      if (answer?.kind !== 'return') return undefined;
      plan = withCall(plan, s.state, s.invocation, { kind: 'return', value: setAt(answer.value, s.steps, undefined) ?? {} });
    }
    rec = await x.runPlan(plan, 'a shape of an answer', undefined, false);
  }
  const hash = key.lastIndexOf('#');
  const def = x.states.get(name)!.def as ChoiceState;
  const taken = [...rec.goals].find((g) => g.startsWith(goalId('choiceRules', `${name}#`)))?.slice(goalId('choiceRules', '').length);
  if (taken === key) return undefined;
  const took = taken?.slice(hash + 1);
  const next = took === undefined ? undefined : took === 'default' ? def.Default : def.Choices[Number(took)]?.Next;
  return {
    values,
    ends: { kind: 'other', state: name, reason: c.reason, ...(taken !== undefined ? { takes: taken } : {}), ...(next !== undefined ? { next } : {}) },
    ...(taken !== undefined && next !== undefined ? { input: rec.plan.input, mocks: mocksOf(rec.calls, x.fixed) } : {}),
  };
}

/** The value at `steps` of `value`, or undefined where there is none. */
function valueAt(value: JsonValue | undefined, steps: readonly Step[]): JsonValue | undefined {
  let at = value;
  for (const step of steps) {
    if (at === null || typeof at !== 'object') return undefined;
    at = Array.isArray(at) ? (typeof step === 'number' ? at[step] : undefined) : (typeof step === 'string' ? at[step] : undefined);
  }
  return at;
}

/** A leaf as the proof names it. */
function shaped(x: Exploration, leaf: Leaf, shape: 'absent' | 'present'): ShapedValue {
  const s = leaf.source;
  const field = describeSteps(s.steps);
  if (s.kind === 'input') return { field, shape };
  const type = shape === 'present' ? taskType(x, s) : undefined;
  return { task: s.state, field, shape, ...(type !== undefined ? { type } : {}) };
}

/**
 * Where each path the rules read comes from, when every one is the input or a Task's answer
 * copied straight to the Choice by the one way into it; undefined otherwise.
 */
export function leavesOf(x: Exploration, rec: RunRecord, v: Visit, paths: readonly string[]): Leaf[] | undefined {
  const prov = x.provenanceOf(rec);
  const leaves: Leaf[] = [];
  for (const path of paths) {
    const parsed = parseBindingPath(path);
    if ('error' in parsed) return undefined;
    const root = parsed.root.kind === 'variable' ? { variable: parsed.root.name } : parsed.root.kind;
    const source = prov.scope(v, root, parsed.steps);
    if (!prov.exact) return undefined;
    if (source.kind === 'input') {
      leaves.push({ path, source });
      continue;
    }
    if (source.kind !== 'task' || x.fixed.has(source.state)) return undefined;
    const task = x.states.get(source.state);
    if (!task || task.def.Type !== 'Task' || !oneWayFrom(x, source.state, v.name)) return undefined;
    // The value the Choice saw is the answer's field itself: a copy, as the way back says.
    const answer = rec.calls.get(source.state)?.[source.invocation];
    if (answer?.kind !== 'return') return undefined;
    const strict = strictRead(task, [...x.runner.resultPrefix(task.def.Resource as string).map((s) => s as Step), ...source.steps]);
    leaves.push({ path, source, ...(strict ? { strict } : {}) });
  }
  return leaves;
}

/**
 * The field of a Task that reads the value at `steps` of its result whole, so that the Task
 * fails whenever the value is absent: a path of its ResultSelector (States.Runtime, which
 * nothing takes), a JSONPath Assign's path when it has no ResultSelector, or a JSONata Output or
 * Assign whose expression is the plain path (States.QueryEvaluationError).
 */
export function strictRead(info: StateInfo, steps: readonly Step[]): { field: string; error: string } | undefined {
  const under = (read: readonly Step[]): boolean => read.length >= steps.length && steps.every((s, i) => read[i] === s);
  const found = wholeReads(info).find((r) => under(r.steps));
  return found === undefined ? undefined : { field: found.field, error: found.error };
}

/** A read of a Task's result whole, by a field of the state (see {@link wholeReads}). */
export interface WholeRead {
  /** The field that reads it (`Assign.receipt`, `ResultSelector.item.$`). */
  readonly field: string;
  /** The path as written there. */
  readonly text: string;
  /** Where it reads under the result. */
  readonly steps: readonly Step[];
  /** The error the state fails with when the value is not there. */
  readonly error: string;
}

/**
 * The reads of a Task's result that fail the Task whenever the value read is absent, in the
 * order {@link strictRead} looks at them: the plain paths of its ResultSelector (or of a JSONPath
 * Assign without one), the plain `$states.result` paths of a JSONata Output or Assign.
 */
export function wholeReads(info: StateInfo): WholeRead[] {
  const def = info.def as StateDefinition & { ResultSelector?: JsonValue; Output?: JsonValue; Assign?: JsonValue };
  const found: WholeRead[] = [];
  const walk = (tpl: JsonValue | undefined, field: string, check: (value: JsonValue, at: string, key: string) => void, depth = 0): void => {
    if (tpl === null || typeof tpl !== 'object' || depth > MAX_CHAIN) return;
    const entries: Array<[string, JsonValue]> = Array.isArray(tpl) ? tpl.map((t, i) => [`[${i}]`, t]) : Object.entries(tpl);
    for (const [key, value] of entries) {
      const at = key.startsWith('[') ? `${field}${key}` : `${field}.${key}`;
      check(value, at, key);
      if (typeof value === 'object') walk(value, at, check, depth + 1);
    }
  };
  if (info.language === 'JSONPath') {
    const jsonPath = (value: JsonValue, at: string, key: string): void => {
      if (!key.endsWith('.$') || typeof value !== 'string' || !value.startsWith('$') || value.startsWith('$$')) return;
      try {
        const p = compilePath(value);
        if (p.root.kind === 'input' && p.definite && p.steps) found.push({ field: at, text: value, steps: p.steps, error: StatesErrors.RUNTIME });
      } catch {
        // A path that does not compile is refused when the definition loads.
      }
    };
    walk(def.ResultSelector, 'ResultSelector', jsonPath);
    if (def.ResultSelector === undefined) walk(def.Assign, 'Assign', jsonPath);
    return found;
  }
  const jsonata = (value: JsonValue, at: string): void => {
    if (typeof value !== 'string' || !isJsonataExpression(value)) return;
    const p = jsonataPath(value.trim().slice(2, -2));
    if (p?.root === 'result') found.push({ field: at, text: value, steps: p.steps, error: StatesErrors.QUERY_EVALUATION_ERROR });
  };
  for (const field of ['Output', 'Assign'] as const) {
    const tpl = def[field];
    if (typeof tpl === 'string') jsonata(tpl, field);
    else walk(tpl, field, jsonata);
  }
  return found;
}

/** The states that lead into each state (by Next, a Choice rule or Default, or a Catch), with how. */
const predecessors = new WeakMap<ReadonlyMap<string, StateInfo>, Map<string, Array<{ from: string; catch: boolean }>>>();

export function predecessorsOf(states: ReadonlyMap<string, StateInfo>): Map<string, Array<{ from: string; catch: boolean }>> {
  let index = predecessors.get(states);
  if (index) return index;
  index = new Map();
  const add = (to: string | undefined, from: string, isCatch: boolean): void => {
    if (to === undefined) return;
    let list = index!.get(to);
    if (!list) index!.set(to, list = []);
    if (!list.some((e) => e.from === from && e.catch === isCatch)) list.push({ from, catch: isCatch });
  };
  for (const [name, info] of states) {
    const def = info.def;
    add(def.Next, name, false);
    if (def.Type === 'Choice') {
      for (const r of def.Choices ?? []) add(r.Next, name, false);
      add(def.Default, name, false);
    }
    for (const c of def.Catch ?? []) add(c.Next, name, true);
  }
  predecessors.set(states, index);
  return index;
}

/**
 * True when every run that enters `to` came straight from `from` by its Next: going back from
 * `to`, each state on the way has one state before it, by a Next or a Choice's branch (not a
 * Catch), until `from`.
 */
export function oneWayFrom(x: Exploration, from: string, to: string): boolean {
  const index = predecessorsOf(x.states);
  let cur = to;
  for (let i = 0; i < MAX_CHAIN; i++) {
    const info = x.states.get(cur);
    if (!info || info.scopeStart === cur) return false;
    const ways = index.get(cur) ?? [];
    if (ways.length !== 1 || ways[0].catch) return false;
    const prev = ways[0].from;
    if (prev === from) return x.states.get(from)?.def.Next === cur;
    if (prev === to) return false;
    cur = prev;
  }
  return false;
}

/**
 * Why the rules do not take the branch in each case of the leaves (every strict leaf present, each
 * optional one absent or present; a present field is null only where its type lets it be:
 * mayBeNull), whatever the fields hold and whatever the other leaves hold, or undefined when
 * explore cannot show it for some case: JSONPath rules are solved in each case; JSONata Conditions
 * are evaluated once per value that stands for a type, when they read those fields only as far
 * as their type tells (`$exists`, `= null`, `$type`), and nothing else that can change.
 */
async function ruleCases(
  x: Exploration, rec: RunRecord, v: Visit, info: StateInfo, branch: number | 'default', leaves: readonly Leaf[], optional: readonly Leaf[],
): Promise<RuleCase[] | undefined> {
  const def = info.def as ChoiceState;
  const last = branch === 'default' ? def.Choices.length : branch + 1;
  const there = leaves.filter((l) => l.strict);
  const out: RuleCase[] = [];
  // Every way of choosing which optional leaves are absent: 2^n cases, each the binary digits of its number.
  for (let k = 0; k < 2 ** optional.length; k++) {
    const absent = new Set(optional.filter((_l, i) => Math.floor(k / 2 ** i) % 2 === 1));
    const present = [...there, ...optional.filter((l) => !absent.has(l))];
    const reason = info.language === 'JSONPath'
      ? solvedCase(x, def, branch, last, present, absent)
      : await evaluatedCase(x, rec, v, def, branch, last, present, absent);
    if (reason === undefined) return undefined;
    const named = [...present.map((l) => `${l.path} there${mayBeNull(x, l) ? '' : ' (never null)'}`), ...[...absent].map((l) => `${l.path} absent`)].join(', ');
    out.push({ absent, reason: reason.startsWith('with ') ? reason : `with ${named}, ${reason}` });
  }
  return out;
}

/** The solver's reason why the JSONPath rules do not take the branch with the `present` leaves there (not null where mayBeNull says so) and the `absent` ones absent; undefined when it cannot prove it. */
function solvedCase(
  x: Exploration, def: ChoiceState, branch: number | 'default', last: number, present: readonly Leaf[], absent: ReadonlySet<Leaf>,
): string | undefined {
  const goals: RuleGoal[] = def.Choices.slice(0, last).map((rule, i) => ({ rule, want: i === branch, where: `Choices[${i}]` }));
  for (const leaf of present) {
    if (leaf.source.kind !== 'task') continue;
    const field = describeSteps(leaf.source.steps);
    const where = leaf.strict ? `'${leaf.source.state}' goes on only with ${field} there` : `the case of ${field} there`;
    goals.push({ rule: { Variable: leaf.path, IsPresent: true }, want: true, where });
    if (!mayBeNull(x, leaf)) goals.push({ rule: { Variable: leaf.path, IsNull: true }, want: false, where: `'${leaf.source.state}' answers ${field} never null` });
    const kind = kindRule(x, leaf);
    if (kind !== undefined) goals.push({ rule: kind.rule, want: true, where: `'${leaf.source.state}' answers ${field} ${kind.words}` });
  }
  for (const leaf of absent) {
    goals.push({ rule: { Variable: leaf.path, IsPresent: true }, want: false, where: `the case of ${describeSteps((leaf.source as Extract<Source, { kind: 'task' }>).steps)} absent` });
  }
  let result;
  try {
    result = solveRules(goals, { current: () => ({ found: false }) });
  } catch {
    return undefined;
  }
  return result.kind === 'unsat' ? result.reason : undefined;
}

/** Enum values a rule on a field's enum names at most. */
const MAX_ENUM = 64;

/**
 * A JSONPath rule every value the Task's contract lets the field hold (when it is there) meets,
 * with words for it: one of its enum's values, else a text, number or boolean by its type (a
 * timestamp or blob is text in JSON); undefined for a structure, list, map or JSON text, or where
 * no model types the field.
 */
function kindRule(x: Exploration, leaf: Leaf): { rule: ChoiceRule; words: string } | undefined {
  const s = leaf.source;
  if (s.kind !== 'task') return undefined;
  const def = x.states.get(s.state)?.def;
  if (def?.Type !== 'Task' || typeof def.Resource !== 'string') return undefined;
  const shape = answerShapeAt(def.Resource, s.steps);
  if (shape === undefined) return undefined;
  const Variable = leaf.path;
  if (isEnumMember(shape) && shape.enum.length <= MAX_ENUM) {
    return { rule: { Or: shape.enum.map((e) => ({ Variable, StringEquals: e })) }, words: `one of ${shape.enum.join(', ')}` };
  }
  switch (shape.type) {
    case 'string': case 'timestamp': case 'blob': return { rule: { Variable, IsString: true }, words: 'as text' };
    case 'integer': case 'number': return { rule: { Variable, IsNumeric: true }, words: 'as a number' };
    case 'boolean': return { rule: { Variable, IsBoolean: true }, words: 'as a boolean' };
    default: return undefined;
  }
}

/** Cases of the values a JSONata proof evaluates the Conditions on at most. */
const MAX_VALUE_CASES = 16;

/**
 * Why the JSONata Conditions do not take the branch with the `present` leaves there and the
 * `absent` ones absent: what a Condition that reads them only by their type reads of a field that
 * is there comes out alike for every value of its type, and for null where the field may hold null
 * (mayBeNull), so one value of each stands for them all, each combination evaluated; the other
 * Conditions before the branch are taken as false, the one outcome that lets a run go on to it.
 * Undefined when it cannot show it.
 */
async function evaluatedCase(
  x: Exploration, rec: RunRecord, v: Visit, def: ChoiceState, branch: number | 'default', last: number,
  present: readonly Leaf[], absent: ReadonlySet<Leaf>,
): Promise<string | undefined> {
  // A Condition that reads the varied leaves only as far as their type tells (present, null, its type), and nothing else
  // that varies, is evaluated; any other may come out either way: one before the branch is passed over as if false (were it
  // true or failing, the branch would not be taken either), and the branch's own must be of the first kind.
  const varied = [...present, ...absent];
  const typed = new Set<string>();
  for (const leaf of varied) if (leaf.source.kind === 'task' && taskType(x, leaf.source) !== undefined) typed.add(leaf.path);
  const fields = varied.map((l) => l.path);
  const decides: boolean[] = [];
  for (let i = 0; i < last; i++) {
    const condition = def.Choices[i].Condition;
    decides.push(typeof condition !== 'string' || typeOnly(stripDelimiters(condition), fields, typed));
  }
  if (branch !== 'default' && !decides[branch]) return undefined;
  if (!decides.some(Boolean)) return undefined;
  const options = present.map((leaf) => {
    const typedOne = typedValue(x, leaf.source as Extract<Source, { kind: 'task' }>);
    return mayBeNull(x, leaf) ? [typedOne, null] : [typedOne];
  });
  const count = options.reduce((n, o) => n * o.length, 1);
  if (count > MAX_VALUE_CASES) return undefined;
  const start = rec.result.startDate.getTime();
  let why: string | undefined;
  for (let k = 0; k < count; k++) {
    let rest = k;
    const bindings: Binding[] = [...absent].map((leaf) => ({ path: leaf.path, absent: true as const }));
    present.forEach((leaf, j) => {
      const o = options[j];
      bindings.push({ path: leaf.path, value: o[rest % o.length] });
      rest = Math.floor(rest / o.length);
    });
    let decided: string | undefined;
    for (let i = 0; i < last && decided === undefined; i++) {
      if (!decides[i]) continue;
      const condition = def.Choices[i].Condition;
      const got = await evaluateCondition(condition, i, bindings, { input: v.input, context: {}, variables: {} }, start, x.interrupt);
      if (got instanceof Error) decided = `Choices[${i}] fails the state (${shorten(got.message, 200)})`;
      else if (got !== (i === branch)) decided = `Choices[${i}] (${shorten(String(condition), 120)}) is ${got}`;
    }
    if (decided === undefined) return undefined;
    why ??= decided;
  }
  return why;
}

/**
 * Whether the field a leaf reads may hold null when it is there: unless the Task's contract types
 * it (a DynamoDB `Item` is a map, absent when there is no item, never null: holdsNull); a field no
 * model describes (a Lambda function's payload) may.
 */
function mayBeNull(x: Exploration, leaf: Leaf): boolean {
  const s = leaf.source;
  if (s.kind !== 'task') return true;
  const def = x.states.get(s.state)?.def;
  if (def?.Type !== 'Task' || typeof def.Resource !== 'string') return true;
  const shape = answerShapeAt(def.Resource, s.steps);
  return shape === undefined || holdsNull(shape);
}

/** The type the service's contract gives a field of a Task's answer, when it has one. */
function taskType(x: Exploration, s: Extract<Source, { kind: 'task' }>): string | undefined {
  const def = x.states.get(s.state)?.def;
  return def?.Type === 'Task' && typeof def.Resource === 'string' ? answerType(def.Resource, s.steps) : undefined;
}

/**
 * A value that stands for every value the field can hold when it is there: one of the type the
 * service's contract gives it (a DynamoDB `Item` is a map, never null), so that what the
 * Conditions read of its type comes out the same for all of them; undefined without a contract.
 */
function typedValue(x: Exploration, s: Extract<Source, { kind: 'task' }>): JsonValue {
  switch (taskType(x, s)) {
    case 'structure': case 'map': return {};
    case 'list': return [];
    case 'string': case 'timestamp': case 'blob': return 'x';
    case 'integer': case 'number': return 1;
    case 'boolean': return true;
    // Without a type, only $exists is read, which any value answers alike.
    default: return {};
  }
}

/**
 * True when a Condition reads each of the fields whole, only as far as their type tells
 * (`$exists(f)`, `f = null`, `f != null`, `$type(f)`), and reads no other field. A field without
 * a contract type is read through `$exists` only (see typedValue): the caller passes the fields
 * with types in `typed`.
 */
function typeOnly(text: string, fields: readonly string[], typed: ReadonlySet<string>): boolean {
  const parsed = parseJsonata(text);
  if ('error' in parsed) return false;
  const local = localNames(parsed.ast);
  let ok = true;
  const isNull = (n: JsonataNode | undefined): boolean => n?.type === 'value' && n.value === null;
  const visit = (node: unknown, parent: JsonataNode | undefined): void => {
    if (!ok || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) { for (const n of node) visit(n, parent); return; }
    const n = node as JsonataNode;
    const read = fieldOf(n, local);
    if (read) {
      const key = 'ref' in read && read.whole ? read.ref.key : undefined;
      const own = key !== undefined && fields.includes(key);
      const call = parent?.type === 'function' && parent.arguments?.length === 1 && parent.arguments[0] === n ? parent.procedure?.value : undefined;
      const byType = call === 'type' || (parent?.type === 'binary' && (parent.value === '=' || parent.value === '!=')
        && ((parent.lhs === n && isNull(parent.rhs)) || (parent.rhs === n && isNull(parent.lhs))));
      if (!own || !(call === 'exists' || (byType && typed.has(key!)))) ok = false;
      return;
    }
    for (const k of Object.keys(n)) if (k !== 'procedure' && typeof n[k] === 'object') visit(n[k], n);
  };
  visit(parsed.ast, undefined);
  return ok;
}

/**
 * Where a run with the leaf's value absent (the rest of the parent's answers and input as they
 * were) ends, when it ends as the strict read says: at the Task, with its error. The run is
 * made, without repairs, and not kept as a scenario.
 */
async function absentCase(x: Exploration, parent: RunRecord, leaf: Leaf): Promise<{ ends: AnswerShape['ends']; rec: RunRecord } | undefined> {
  const s = leaf.source;
  if (s.kind !== 'task' || !leaf.strict) return undefined;
  const answer = parent.calls.get(s.state)?.[s.invocation];
  if (answer?.kind !== 'return') return undefined;
  const plan = withCall(parent.plan, s.state, s.invocation, { kind: 'return', value: setAt(answer.value, s.steps, undefined) ?? null });
  const rec = await x.runPlan(plan, 'a shape of an answer', undefined, false);
  const visit = x.visitsOf(rec).visits.find((w) => w.name === s.state && w.calls.includes(s.invocation));
  if (!visit) return undefined;
  // It must not go on by its Next: it failed after its call, on the value it read.
  if (visit.exited !== undefined && visit.next?.name === x.states.get(s.state)!.def.Next) return undefined;
  const evaluation = visit.events.find((e) => e.type === 'EvaluationFailed');
  const error = evaluation !== undefined ? (detailsOf(evaluation)?.error as string | undefined) : visit.exited === undefined && rec.result.status === 'FAILED' ? rec.result.error : undefined;
  if (error !== leaf.strict.error) return undefined;
  return { ends: { kind: 'fails', state: s.state, error }, rec };
}
