import { describeSteps, goalId, type Exploration, type RunRecord } from './context';
import { answerShapeAt, modelAllowsPlaced } from './contract-answers';
import { jobAnswerRefusal } from './job-answers';
import { mocksOf, setAt, withCall, type Plan } from './plan';
import type { Proof } from './proofs';
import type { AnswerShape, ShapedValue } from './report-types';
import type { Outcome } from './runner';
import type { Step } from './sources';
import type { JsonValue } from '../asl';

/*
 * The runs behind a proof by the flow of values (flow-proofs.ts). The proof reasons over every
 * value; these runs show it on values explore makes: from a run that entered the way into the
 * Choice, each Task on the way is given its answer as that run had it, then with each of the
 * answer's fields absent, null, or (a list) empty (its top-level fields, and the nested ones the
 * machine names, a few levels down), and each run's end is noted: the state on the
 * way that failed, with its error, or the Choice's branch it took; the first answers that end in
 * each place are kept. A run that takes the branch
 * the proof closes contradicts it: the proof is dropped and the run kept, as one that reaches it.
 */

/** Runs that entered the way a proof looks at (the first that reached the Choice, then others), until one gives witnesses. */
const PARENTS = 2;
/** Answers tried per Task on the way (its fields absent, null, empty), beside the run's own. */
const VARIANTS = 8;
/** Witness runs per proof at most. */
const MAX_RUNS = 16;
/** How deep under an answer's top-level fields its nested fields are varied, and how many of them per Task. */
const NESTED_DEPTH = 3;
const NESTED = 8;
/** Fields of one object looked at: an answer explore made is small, one a user gave may not be. */
const MAX_KEYS = 64;

/** One answer to try: the Task, its call, the value, and how it differs from the run's own. */
interface Variant {
  readonly values: readonly ShapedValue[];
  readonly plan: Plan;
}

/**
 * The proof with its witnesses (`shapes`, each with the run's answers), the proof unchanged when
 * no run entered the way to start from, or undefined when a witness run takes the branch.
 */
export async function witnessFlow(x: Exploration, key: string, proof: Proof): Promise<Proof | undefined> {
  const p = proof.proof;
  if (p.kind !== 'value-flow' || p.way.length === 0) return proof;
  const goal = goalId('choiceRules', key);
  // A run that reached the Choice first (it came along the way: there is no other), then one that entered the way.
  const parents = [...new Set([...x.parentsFor(p.state).slice(0, 1), ...x.parentsFor(p.way[0])])].slice(0, PARENTS);
  for (const parent of parents) {
    if (x.stopped()) return proof;
    await x.restore(parent);
    const shapes: AnswerShape[] = [];
    const seen = new Set<string>();
    for (const variant of variantsOf(x, parent, p.state, p.way).slice(0, MAX_RUNS)) {
      if (x.stopped()) break;
      const rec = await x.runPlan(variant.plan, 'a witness of a proof');
      if (rec.goals.has(goal)) {
        // The proof is wrong on this run: keep the run, which reaches the branch, and drop the proof.
        await x.execute(variant.plan, 'a run that contradicts a proof', () => true);
        return undefined;
      }
      const ends = endOf(x, rec, p.state, p.way);
      if (ends === undefined) continue;
      // One run for each place runs end: the first answers that end there stand for the rest.
      const id = JSON.stringify(ends);
      if (seen.has(id)) continue;
      seen.add(id);
      shapes.push({ values: variant.values, ends, input: variant.plan.input, answers: answersOn(rec, p.way), mocks: mocksOf(rec.calls, x.fixed) });
    }
    if (shapes.length === 0) continue;
    const words = shapes.map((s) => `${describeValues(s.values)}: ${s.ends.kind === 'fails' ? `'${s.ends.state}' fails with ${s.ends.error}` : s.ends.reason}`);
    return {
      reason: `${proof.reason}; as runs show: ${words.join('; ')}`,
      proof: { ...p, shapes },
    };
  }
  return proof;
}

/**
 * The parent's plan, then each Task on the way given its answer with one field absent, null or
 * empty: its top-level fields, then the fields nested under them (the first item of a list; at
 * most {@link NESTED_DEPTH} down) that the states on the way or the Choice name. The fields they
 * name come first, so that the cap keeps the ones that decide.
 */
function variantsOf(x: Exploration, parent: RunRecord, choice: string, way: readonly string[]): Variant[] {
  const out: Variant[] = [{ values: [], plan: parent.plan }];
  const named = namesIn(x, [...way, choice]);
  for (const task of way) {
    const def = x.states.get(task)?.def;
    if (def?.Type !== 'Task' || typeof def.Resource !== 'string' || x.fixed.has(task)) continue;
    const calls = parent.calls.get(task) ?? [];
    const invocation = calls.length - 1;
    const answer = calls[invocation];
    if (answer?.kind !== 'return' || answer.value === null || typeof answer.value !== 'object' || Array.isArray(answer.value)) continue;
    const value = answer.value;
    const resource = def.Resource;
    const mine: Array<Variant & { named: boolean }> = [];
    const give = (steps: readonly Step[], shaped: ShapedValue['shape'], to: JsonValue | undefined): void => {
      const outcome: Outcome = { kind: 'return', value: setAt(value, steps, to) ?? {} };
      // A `.sync` job's answer with no state where the Task reads it, or one the service does not list, is no answer AWS gives
      // (it answers once the job ended, in a state it lists).
      if (jobAnswerRefusal(task, resource, outcome.value) !== undefined) return;
      // Nor one the service's model refuses that the answer it came from did not hold (a text outside an enum, a word in a timestamp).
      if (!modelAllowsPlaced(resource, value, outcome.value)) return;
      mine.push({
        values: [{ task, field: describeSteps(steps), shape: shaped }],
        plan: withCall(parent.plan, task, invocation, outcome),
        named: steps.every((s) => typeof s === 'number' || named.has(s)),
      });
    };
    let nested = 0;
    const vary = (steps: readonly Step[], at: JsonValue | undefined): void => {
      const type = answerShapeAt(resource, steps)?.type;
      if (at !== undefined) give(steps, 'absent', undefined);
      give(steps, 'null', null);
      if (type === 'list' || Array.isArray(at)) give(steps, 'empty', []);
    };
    const walk = (steps: readonly Step[], at: JsonValue | undefined): void => {
      if (steps.length >= NESTED_DEPTH || at === null || typeof at !== 'object') return;
      if (Array.isArray(at)) {
        if (at.length > 0) walk([...steps, 0], at[0]);
        return;
      }
      const shape = answerShapeAt(resource, steps);
      const keys = [...new Set([...(shape?.type === 'structure' ? shape.fields : []), ...Object.keys(at)])].slice(0, MAX_KEYS);
      for (const key of keys) {
        const child = [...steps, key];
        // Below the top level only the fields the machine names, and no more than NESTED of them.
        if (steps.length > 0) {
          if (!named.has(key) || nested >= NESTED) continue;
          nested++;
        }
        vary(child, Object.prototype.hasOwnProperty.call(at, key) ? at[key] : undefined);
      }
      for (const key of Object.keys(at).slice(0, MAX_KEYS)) walk([...steps, key], at[key]);
    };
    walk([], value);
    // The fields the machine names first, then the rest, within VARIANTS.
    const ordered = [...mine.filter((v) => v.named), ...mine.filter((v) => !v.named)];
    out.push(...ordered.slice(0, VARIANTS).map(({ values, plan }) => ({ values, plan })));
  }
  return out;
}

/** The words the definitions of some states hold (field names their paths and expressions read among them). */
function namesIn(x: Exploration, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    const def = x.states.get(name)?.def;
    if (def) for (const m of JSON.stringify(def).matchAll(/[A-Za-z_][A-Za-z0-9_-]*/g)) out.add(m[0]);
  }
  return out;
}

/** Where a run that entered the way ended: a state on it failed, or the Choice took a branch; undefined when it left the way otherwise. */
function endOf(x: Exploration, rec: RunRecord, choice: string, way: readonly string[]): AnswerShape['ends'] | undefined {
  const taken = [...rec.goals].find((g) => g.startsWith(goalId('choiceRules', `${choice}#`)))?.slice(goalId('choiceRules', '').length);
  if (taken !== undefined) {
    const def = x.states.get(choice)?.def;
    const b = taken.slice(taken.lastIndexOf('#') + 1);
    const next = def?.Type !== 'Choice' ? undefined : b === 'default' ? def.Default : def.Choices[Number(b)]?.Next;
    return { kind: 'other', state: choice, reason: `'${choice}' takes ${taken}`, takes: taken, ...(next !== undefined ? { next } : {}) };
  }
  const path = rec.result.path;
  const last = path[path.length - 1];
  if (rec.result.status === 'FAILED' && last !== undefined && (way.includes(last) || last === choice) && x.states.has(last)) {
    return { kind: 'fails', state: last, error: rec.result.error ?? 'an error' };
  }
  return undefined;
}

/** The answers the run's Tasks on the way gave, by Task (the last call of each). */
function answersOn(rec: RunRecord, way: readonly string[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const task of way) {
    const calls = rec.calls.get(task);
    const last = calls?.[calls.length - 1];
    if (last?.kind === 'return') out[task] = last.value;
  }
  return out;
}

function describeValues(values: readonly ShapedValue[]): string {
  if (values.length === 0) return 'the answers of a run explore made';
  return values.map((v) => `${v.task !== undefined ? `'${v.task}' answers ${v.field}` : `the input's ${v.field}`} ${v.shape}`).join(' and ');
}
