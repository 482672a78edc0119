import { goalId, type Exploration, type RunRecord } from './context';
import { failurePlan } from './failures';
import type { GoalCategory } from './goals';
import { mocksOf } from './plan';
import { errorFor, type Proof, type ProofBase } from './proofs';
import type { AnswerShape, ExploreProof } from './report-types';
import type { StateDefinition } from '../asl';
import { StatesErrors } from '../asl/states-errors';

/*
 * The runs behind the proofs that do not follow values (proofs.ts): Choice rules that
 * contradict themselves, Catch and Retry rules whose errors are taken first or never retried,
 * states that fail on every entry. The proof holds whatever the values; these runs show it on
 * values explore makes, each with its input and its answers in the `--mocks` form, and where it
 * ended: the runs explore made that entered the Choice, one for each branch they took; for a
 * Catch or Retry, a run from one that entered the state with its call failing with each error
 * the rule names (the earlier rule takes it, or none retries it); for a state that always fails,
 * the runs that entered it. A run that ends against the proof (takes the branch, the Catch,
 * goes on from the state) drops the proof: a reason never contradicts a run explore made.
 */

/** Witness runs per proof at most. */
const MAX_SHAPES = 4;
/** Runs that entered a state looked at for its witnesses. */
const PARENTS = 8;

/** The goal a witnessed proof is of (a state that fails on entry is its own). */
interface Witnessed {
  readonly category: GoalCategory;
  readonly key: string;
}

/**
 * The base with each proof of a single goal backed by runs where runs can show it (`shapes` in
 * the proof, the reason saying "as runs show: ..."), and the proofs a run contradicts dropped.
 * Proofs stand unchanged where no run entered the state they are of.
 */
export async function witnessBase(x: Exploration, base: ProofBase): Promise<ProofBase> {
  // By the proof as a value: the words the reason gains, and the proof with its runs; undefined when a run contradicts it.
  const replaced = new Map<ExploreProof, { words: string; proof: ExploreProof } | undefined>();
  const look = async (p: Proof, goal: Witnessed): Promise<void> => {
    if (replaced.has(p.proof) || x.stopped()) return;
    replaced.set(p.proof, await witnessOne(x, goal, p.proof));
  };
  for (const [name, p] of base.failing) await look(p, { category: 'states', key: name });
  for (const category of ['choiceRules', 'catches', 'retries'] as const) {
    for (const [key, p] of base.proofs.get(category) ?? []) await look(p, { category, key });
  }
  // A proof shared by several goals (a state that always fails closes its Catches and Retries too) is witnessed once.
  const swap = (p: Proof): Proof | undefined => {
    if (!replaced.has(p.proof)) return p;
    const w = replaced.get(p.proof);
    return w === undefined ? undefined : { reason: `${p.reason}${w.words}`, proof: w.proof };
  };
  const kept = <K>(m: ReadonlyMap<K, Proof>): Map<K, Proof> => new Map([...m].flatMap(([k, p]) => {
    const q = swap(p);
    return q ? [[k, q] as const] : [];
  }));
  const proofs: ProofBase['proofs'] = new Map([...base.proofs].map(([c, m]) => [c, kept(m)]));
  const failing = kept(base.failing);
  // An edge a dropped proof closed is open again.
  const deadEdges: ProofBase['deadEdges'] = new Map();
  for (const [edge, list] of base.deadEdges) {
    const left = list.flatMap((d) => {
      const q = swap({ reason: d.why, proof: d.proof });
      // The goals behind it keep their words: the runs are the proof's own, named where it is.
      return q ? [{ ...d, proof: q.proof }] : [];
    });
    if (left.length > 0) deadEdges.set(edge, left);
  }
  return { proofs, deadEdges, failing };
}

/** What one proof's witnesses add to it (none where runs cannot show it), or undefined when a run contradicts it. */
async function witnessOne(x: Exploration, goal: Witnessed, proof: ExploreProof): Promise<{ words: string; proof: ExploreProof } | undefined> {
  const none = { words: '', proof };
  if (proof.kind !== 'rules' && proof.kind !== 'errors' && proof.kind !== 'fails') return none;
  const state = proof.state;
  const def = x.states.get(state)?.def;
  if (!def) return none;
  let shapes: AnswerShape[] | undefined = [];
  if (proof.kind === 'fails') shapes = failsOnEntry(x, state, proof);
  else if (proof.kind === 'rules') shapes = otherBranches(x, state, goal.key);
  else if (goal.category === 'catches' || goal.category === 'retries') shapes = await errorsTaken(x, state, def, goal.category, goal.key);
  if (shapes === undefined) return undefined;
  if (shapes.length === 0) return none;
  const words = shapes.map((s) => {
    if (s.values.length === 0) return `a run explore made: ${s.ends.kind === 'fails' ? `'${s.ends.state}' fails with ${s.ends.error}` : s.ends.reason}`;
    const what = s.values.map((v) => `'${v.task}' fails with ${v.error}`).join(' and ');
    return `${what}: ${s.ends.kind === 'fails' ? `nothing takes it, the execution fails with ${s.ends.error}` : s.ends.reason}`;
  });
  return { words: `; as runs show: ${words.join('; ')}`, proof: { ...proof, shapes } };
}

/** The witness of a run as it ended: its input and answers. */
function shapeOf(x: Exploration, rec: RunRecord, ends: AnswerShape['ends'], values: AnswerShape['values'] = []): AnswerShape {
  return { values, ends, input: rec.plan.input, mocks: mocksOf(rec.calls, x.fixed) };
}

/** The runs that entered a state proved to fail on each entry, each failing there; undefined when one went on. */
function failsOnEntry(x: Exploration, state: string, proof: Extract<ExploreProof, { kind: 'fails' }>): AnswerShape[] | undefined {
  if (proof.when !== 'entry') return [];
  const shapes: AnswerShape[] = [];
  const seen = new Set<string>();
  for (const rec of x.parentsFor(state).slice(0, PARENTS)) {
    if (rec.goals.has(goalId('states', state))) return undefined;
    const path = rec.result.path;
    const last = path[path.length - 1];
    // A run cut short, or one whose branches ended it elsewhere first, shows nothing of the state.
    if (rec.capped || rec.result.status !== 'FAILED' || last !== state) continue;
    const error = rec.result.error ?? 'an error';
    if (seen.has(error) || shapes.length >= MAX_SHAPES) continue;
    seen.add(error);
    shapes.push(shapeOf(x, rec, { kind: 'fails', state, error }));
  }
  return shapes;
}

/** The runs explore made that entered a Choice, one for each branch they took; undefined when one took the branch proved closed. */
function otherBranches(x: Exploration, state: string, key: string): AnswerShape[] | undefined {
  const def = x.states.get(state)?.def;
  if (def?.Type !== 'Choice') return [];
  const prefix = goalId('choiceRules', `${state}#`);
  if (x.coveredBy.has(goalId('choiceRules', key))) return undefined;
  const shapes: AnswerShape[] = [];
  const seen = new Set<string>();
  for (const rec of x.parentsFor(state).slice(0, PARENTS)) {
    if (rec.capped) continue;
    const taken = [...rec.goals].filter((g) => g.startsWith(prefix)).map((g) => g.slice(goalId('choiceRules', '').length));
    // A Choice entered more than once (in a loop, in a Map's iterations) is not one witness.
    if (taken.length !== 1 || seen.has(taken[0]) || shapes.length >= MAX_SHAPES) continue;
    seen.add(taken[0]);
    const b = taken[0].slice(taken[0].lastIndexOf('#') + 1);
    const next = b === 'default' ? def.Default : def.Choices[Number(b)]?.Next;
    if (next === undefined) continue;
    shapes.push(shapeOf(x, rec, { kind: 'other', state, reason: `'${state}' takes ${taken[0]}`, takes: taken[0], next }));
  }
  return shapes;
}

/**
 * Runs from one that entered the state, each with its call failing with one error the Catch or
 * Retry names (States.ALL: the errors explore throws), every attempt: where the run went on
 * (the Catch that took it) or failed. Undefined when one is taken by the rule proved closed.
 */
async function errorsTaken(
  x: Exploration, state: string, def: StateDefinition, category: 'catches' | 'retries', key: string,
): Promise<AnswerShape[] | undefined> {
  const rules = (category === 'catches' ? def.Catch : def.Retry) ?? [];
  const index = Number(key.slice(key.lastIndexOf('#') + 1));
  const rule = rules[index];
  if (rule === undefined) return [];
  // States.ALL: the first error explore throws. An error the request rules out is one explore does not make the Task
  // raise (States.Runtime, none it can): no run shows those.
  const own = rule.ErrorEquals ?? [];
  const named = own.includes(StatesErrors.ALL) ? [errorFor([{ ErrorEquals: [StatesErrors.ALL] }], 0, def)] : own;
  const errors = named.filter((e): e is string => e !== undefined && e !== StatesErrors.RUNTIME && errorFor([{ ErrorEquals: [e] }], 0, def) === e);
  if (errors.length === 0) return [];
  const parent = x.parentsFor(state).find((r) => !r.capped);
  if (!parent) return [];
  await x.restore(parent);
  const v = x.visitsOf(parent).byState.get(state)?.[0];
  if (!v) return [];
  const shapes: AnswerShape[] = [];
  for (const error of errors.slice(0, MAX_SHAPES)) {
    if (x.stopped()) break;
    const attempt = failurePlan(x, parent, v, error, 'exhaust');
    if ('reason' in attempt) continue;
    const rec = await x.runPlan(attempt.plan, 'a witness of a proof');
    if (rec.goals.has(goalId(category, key))) {
      await x.execute(attempt.plan, 'a run that contradicts a proof', () => true);
      return undefined;
    }
    const ends = endAt(x, rec, state, def, error);
    // The Task whose calls fail: the state itself, or the one inside it (a Parallel's, a Map's) that lets the error out.
    const task = [...attempt.plan.calls].find(([s, m]) => parent.plan.calls.get(s) !== m)?.[0] ?? state;
    if (ends) shapes.push(shapeOf(x, rec, ends, [{ task, field: '', shape: 'error', error }]));
  }
  return shapes;
}

/** Where a run whose state failed with `error` went: the Catch that took it, or the execution failed there. */
function endAt(x: Exploration, rec: RunRecord, state: string, def: StateDefinition, error: string): AnswerShape['ends'] | undefined {
  const caught = [...rec.goals].find((g) => g.startsWith(goalId('catches', `${state}#`)))?.slice(goalId('catches', '').length);
  const retried = [...rec.goals].filter((g) => g.startsWith(goalId('retries', `${state}#`))).map((g) => g.slice(goalId('retries', '').length));
  const retries = retried.length > 0 ? `${retried.map((k) => `Retry[${k.slice(k.lastIndexOf('#') + 1)}]`).join(', ')} retries it, then ` : '';
  if (caught !== undefined) {
    const next = def.Catch?.[Number(caught.slice(caught.lastIndexOf('#') + 1))]?.Next;
    if (next === undefined) return undefined;
    return { kind: 'other', state, reason: `${retries}Catch[${caught.slice(caught.lastIndexOf('#') + 1)}] takes it (-> ${next})`, takes: caught, next };
  }
  const path = rec.result.path;
  if (rec.result.status === 'FAILED' && path[path.length - 1] === state && x.states.has(state)) {
    return { kind: 'fails', state, error: rec.result.error ?? error };
  }
  return undefined;
}
