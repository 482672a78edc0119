import { evaluateCondition } from './conditions';
import { ExploreBudgetExceeded } from './context';
import { exploreGoals, isCallback, successorsOf, type GoalCategory, type StateInfo } from './goals';
import { EXACT_NAMES, neverRaised } from './never-raised';
import type { ExploreProof, GoalRef } from './report-types';
import { errorRuledOut, ruledOutReason } from './request-errors';
import { searchJsonataBranch, solveChoiceBranch } from './solve';
import { parseBindingPath } from './solve/paths';
import { absentInputFields, alwaysFailing, failingOnExit } from './static-inputs';
import type { ChoiceState, Retrier, StateDefinition, StateMachineDefinition } from '../asl';
import { errorMatches } from '../asl/error-rules';
import { childMachines } from '../asl/state-tree';
import { StatesErrors } from '../asl/states-errors';

/** Why a goal cannot be reached: in words, and as a value. */
export interface Proof {
  readonly reason: string;
  readonly proof: ExploreProof;
}

/** The goals no input and no Task outcome can reach, by category and key, each with its proof. */
export type Proofs = Map<GoalCategory, Map<string, Proof>>;

/**
 * What the proofs of single goals found (Choice branches, Catches and Retries that can never be
 * taken, states that always fail), before the goals behind them are closed off: the search adds
 * the branches it proves by answer shapes, and {@link closeProofs} closes them off again.
 */
export interface ProofBase {
  readonly proofs: Proofs;
  /** For each edge `A -> B`, the proofs of the ways it is made that can never be taken, with the goal each is of. */
  readonly deadEdges: Map<string, Array<{ readonly why: string; readonly goal?: GoalRef; readonly proof: ExploreProof }>>;
  /** States that fail on every entry, with the proof. */
  readonly failing: Map<string, Proof>;
}

/** Errors explore throws to take a Catch or Retry, in the order it tries them after the names the rule itself lists. */
const FALLBACK_ERRORS = [StatesErrors.TASK_FAILED, StatesErrors.TIMEOUT, StatesErrors.HEARTBEAT_TIMEOUT, StatesErrors.PERMISSIONS, 'Explore.Error'];

/**
 * An error that rule `index` of a list of Catch or Retry rules takes and no
 * rule before it does, or `undefined` when every error it names is taken
 * before it (or it names only States.Runtime, which nothing takes).
 */
export function errorFor(
  rules: ReadonlyArray<{ readonly ErrorEquals: readonly string[] }>, index: number, state?: StateDefinition,
): string | undefined {
  const own = rules[index].ErrorEquals ?? [];
  const candidates = [...own.filter((e) => e !== StatesErrors.ALL), ...FALLBACK_ERRORS];
  // An error the Task's request rules out (a condition check without a condition), or one no state there raises (a name
  // its integration never gives), is not one it can be made to raise.
  return candidates.find((e) => errorMatches(own, e) && !rules.slice(0, index).some((r) => errorMatches(r.ErrorEquals ?? [], e))
    && (state === undefined || (errorRuledOut(state, e) === undefined && neverRaised('', state, e) === undefined)));
}

/**
 * Why no error a Catch or Retry names can reach it, when the Task's request rules each of them out, or
 * no state there raises it (see {@link neverRaised}); else undefined.
 */
function proofOfRequest(
  state: string, def: StateDefinition, rules: ReadonlyArray<{ readonly ErrorEquals: readonly string[] }>, index: number,
): string | undefined {
  if (errorFor(rules, index) === undefined || errorFor(rules, index, def) !== undefined) return undefined;
  let named = false;
  const why = (rules[index].ErrorEquals ?? []).map((e) => {
    const rule = errorRuledOut(def, e);
    if (rule) return ruledOutReason(state, e, rule);
    const never = neverRaised(state, def, e);
    // The exact-name advice is for a name close to one raised; AWS's own States.IntrinsicFailure is never raised at all.
    named ||= never !== undefined && e !== StatesErrors.INTRINSIC_FAILURE;
    return never;
  }).filter((w) => w !== undefined);
  if (named) why.push(EXACT_NAMES);
  return why.length > 0 ? why.join('; ') : undefined;
}

/** How many times a state runs when each attempt fails with `error`: once, plus the retries of the first retrier that matches. */
export function attemptsFor(def: StateDefinition, error: string): number {
  const retrier: Retrier | undefined = (def.Retry ?? []).find((r) => errorMatches(r.ErrorEquals ?? [], error));
  return retrier ? (retrier.MaxAttempts ?? 3) + 1 : 1;
}

function proofOfShadow(kind: 'Catch' | 'Retry', rules: ReadonlyArray<{ readonly ErrorEquals: readonly string[] }>, index: number): string {
  const own = rules[index].ErrorEquals ?? [];
  if (own.every((e) => e === StatesErrors.RUNTIME)) return `${kind}[${index}] names only States.Runtime, which no ${kind} takes`;
  const before = rules.slice(0, index).map((r, i) => `${kind}[${i}] (${(r.ErrorEquals ?? []).join(', ')})`);
  return `every error ${kind}[${index}] names (${own.join(', ')}) is taken first by ${before.join(', ')}`;
}

/**
 * What no input and no Task outcome can reach, each with its proof: Choice
 * rules the solver proves cannot come out as needed (a contradiction in the
 * rules themselves, whatever the values), Catch and Retry rules every error
 * of which an earlier rule takes, Retry rules with MaxAttempts 0, and the
 * states, transitions and callback outcomes that only such branches lead to.
 */
export async function proveUnreachable(
  definition: StateMachineDefinition, states: ReadonlyMap<string, StateInfo>, interrupt?: () => void,
): Promise<{ proofs: Proofs; base: ProofBase }> {
  const base = await baseProofs(states, interrupt);
  return { proofs: closeProofs(definition, states, base), base };
}

function emptyProofs(): Proofs {
  return new Map((['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'] as const).map((c) => [c, new Map<string, Proof>()]));
}

/** The proofs of single goals, and the edges they close (see {@link ProofBase}). */
async function baseProofs(states: ReadonlyMap<string, StateInfo>, interrupt?: () => void): Promise<ProofBase> {
  const proofs = emptyProofs();
  const deadEdges: ProofBase['deadEdges'] = new Map();
  const kill = (from: string, to: string, why: string, proof: ExploreProof, goal?: GoalRef): void => {
    const key = `${from} -> ${to}`;
    deadEdges.set(key, [...(deadEdges.get(key) ?? []), { why, proof, ...(goal ? { goal } : {}) }]);
  };
  const absent = absentInputFields(states);
  for (const [name, info] of states) {
    // Each proof is quick, but a machine of thousands of states has thousands: the budget bounds them all.
    interrupt?.();
    const def = info.def;
    if (def.Type === 'Choice') {
      const choices = def.Choices ?? [];
      const branches: Array<number | 'default'> = [...choices.map((_c, i) => i), ...(def.Default !== undefined ? ['default' as const] : [])];
      const absentField = (field: string): string | undefined => {
        const parsed = parseBindingPath(field);
        return 'error' in parsed || parsed.root.kind !== 'input' ? undefined : absent(name, parsed.steps);
      };
      for (const b of branches) {
        const why = await branchProof(def, b, info.language, interrupt, absentField);
        if (why === undefined) continue;
        const proof: ExploreProof = { kind: 'rules', state: name };
        proofs.get('choiceRules')!.set(`${name}#${b}`, { reason: why, proof });
        kill(name, b === 'default' ? def.Default! : choices[b].Next!, `${name}#${b}: ${why}`, proof, { category: 'choiceRules', key: `${name}#${b}` });
      }
    }
    (def.Catch ?? []).forEach((c, i) => {
      if (errorFor(def.Catch!, i, def) !== undefined) return;
      const why = proofOfRequest(name, def, def.Catch!, i) ?? proofOfShadow('Catch', def.Catch!, i);
      const proof: ExploreProof = { kind: 'errors', state: name };
      proofs.get('catches')!.set(`${name}#${i}`, { reason: why, proof });
      kill(name, c.Next, `${name} Catch[${i}]: ${why}`, proof, { category: 'catches', key: `${name}#${i}` });
    });
    (def.Retry ?? []).forEach((r, i) => {
      const proof: ExploreProof = { kind: 'errors', state: name };
      if (r.MaxAttempts === 0) proofs.get('retries')!.set(`${name}#${i}`, { reason: `Retry[${i}] has MaxAttempts 0: it never retries`, proof });
      else if (errorFor(def.Retry!, i, def) === undefined) proofs.get('retries')!.set(`${name}#${i}`, { reason: proofOfRequest(name, def, def.Retry!, i) ?? proofOfShadow('Retry', def.Retry!, i), proof });
    });
  }
  // A state that fails on every entry leads nowhere: not by Next, not by a Catch, not into its branches.
  const base: ProofBase = { proofs, deadEdges, failing: new Map<string, Proof>() };
  for (const [name, why] of alwaysFailing(states)) {
    addFailingProof(base, states, name, { reason: why, proof: { kind: 'fails', state: name, error: StatesErrors.RUNTIME, when: 'entry' } });
  }
  // A state that fails each time it ends well does not take its Next (its Catches still take the call's errors).
  for (const [name, why] of failingOnExit(states)) {
    addExitProof(base, states, name, { reason: why, proof: { kind: 'fails', state: name, error: StatesErrors.RUNTIME, when: 'exit' } });
  }
  return base;
}

/**
 * A state that fails on every entry: added to the base, every way out of it closed (its Next, its
 * Choice branches, its Catches), its Retries and callback outcomes proved with it. Call
 * {@link closeProofs} afterwards for the goals behind it.
 */
export function addFailingProof(base: ProofBase, states: ReadonlyMap<string, StateInfo>, name: string, p: Proof): void {
  const def = states.get(name)?.def;
  if (!def || base.failing.has(name)) return;
  const { proofs, deadEdges } = base;
  base.failing.set(name, p);
  for (const to of successorsOf(def)) {
    const key = `${name} -> ${to}`;
    for (let k = 0; k < countEdges(def, to); k++) deadEdges.set(key, [...(deadEdges.get(key) ?? []), { why: p.reason, proof: p.proof }]);
  }
  (def.Retry ?? []).forEach((_r, i) => { if (!proofs.get('retries')!.has(`${name}#${i}`)) proofs.get('retries')!.set(`${name}#${i}`, p); });
  (def.Catch ?? []).forEach((_c, i) => { if (!proofs.get('catches')!.has(`${name}#${i}`)) proofs.get('catches')!.set(`${name}#${i}`, p); });
  if (isCallback(def)) for (const outcome of ['success', 'failure', 'timeout']) proofs.get('callbacks')!.set(`${name}#${outcome}`, p);
}

/**
 * A state that fails each time it ends well: its Next closed (its Catches still take the call's
 * errors). Call {@link closeProofs} afterwards for the goals behind it.
 */
export function addExitProof(base: ProofBase, states: ReadonlyMap<string, StateInfo>, name: string, p: Proof): void {
  const next = (states.get(name)?.def as { Next?: string } | undefined)?.Next;
  if (next === undefined || base.failing.has(name)) return;
  const key = `${name} -> ${next}`;
  base.deadEdges.set(key, [...(base.deadEdges.get(key) ?? []), { why: p.reason, proof: p.proof }]);
}

/** A copy of a base that can be added to without changing the base. */
export function copyBase(base: ProofBase): ProofBase {
  return {
    proofs: new Map([...base.proofs].map(([c, m]) => [c, new Map(m)])),
    deadEdges: new Map([...base.deadEdges].map(([k, list]) => [k, [...list]])),
    failing: new Map(base.failing),
  };
}

/**
 * A Choice branch proved unreachable during the search (by answer shapes): added to the base, its
 * edge closed. Call {@link closeProofs} afterwards for the goals behind it.
 */
export function addBranchProof(base: ProofBase, states: ReadonlyMap<string, StateInfo>, key: string, proof: Proof): void {
  const hash = key.lastIndexOf('#');
  const name = key.slice(0, hash);
  const def = states.get(name)?.def;
  if (def?.Type !== 'Choice') return;
  const b = key.slice(hash + 1);
  const to = b === 'default' ? def.Default : def.Choices[Number(b)]?.Next;
  if (to === undefined || base.proofs.get('choiceRules')!.has(key)) return;
  base.proofs.get('choiceRules')!.set(key, proof);
  const edge = `${name} -> ${to}`;
  base.deadEdges.set(edge, [...(base.deadEdges.get(edge) ?? []), { why: `${key}: ${proof.reason}`, proof: proof.proof, goal: { category: 'choiceRules', key } }]);
}

/**
 * The proofs of the base and of every goal only unreachable ways lead to: the states not reached
 * along the edges that remain open (a Parallel's branches and a Map's processor start with it),
 * the transitions closed, and the rules and outcomes of states that cannot be reached.
 */
export function closeProofs(definition: StateMachineDefinition, states: ReadonlyMap<string, StateInfo>, base: ProofBase): Proofs {
  const proofs = emptyProofs();
  for (const [c, m] of base.proofs) for (const [k, p] of m) proofs.get(c)!.set(k, p);
  const goals = exploreGoals(definition);
  const { deadEdges, failing } = base;
  const reached = new Set<string>();
  const edgeLive = new Set<string>();
  const queue: string[] = [definition.StartAt];
  reached.add(definition.StartAt);
  while (queue.length > 0) {
    const name = queue.shift()!;
    const info = states.get(name);
    if (!info) continue;
    const targets = successorsOf(info.def);
    for (const to of targets) {
      const key = `${name} -> ${to}`;
      const dead = deadEdges.get(key);
      // An edge stays live when any branch, Catch or Next that makes it stays live.
      if (dead && dead.length >= countEdges(info.def, to)) continue;
      edgeLive.add(key);
      if (!reached.has(to)) { reached.add(to); queue.push(to); }
    }
    if (failing.has(name)) continue;
    for (const start of childStarts(info.def)) if (!reached.has(start)) { reached.add(start); queue.push(start); }
  }
  const stateRef = (name: string): GoalRef => ({ category: 'states', key: name });
  const before = new Map<string, string[]>();
  for (const [name, info] of states) {
    for (const to of successorsOf(info.def)) {
      let list = before.get(to);
      if (!list) before.set(to, list = []);
      list.push(name);
    }
  }
  for (const name of goals.states) {
    // A state is reached by a run that enters it without failing there: one that fails on every entry is not.
    if (reached.has(name) && failing.has(name)) proofs.get('states')!.set(name, failing.get(name)!);
    if (reached.has(name)) continue;
    proofs.get('states')!.set(name, stateProof(name, states, deadEdges, reached, before));
  }
  for (const key of goals.transitions) {
    if (edgeLive.has(key)) continue;
    const from = key.slice(0, key.indexOf(' -> '));
    if (!reached.has(from)) {
      proofs.get('transitions')!.set(key, { reason: `state '${from}' is unreachable`, proof: { kind: 'follows', from: [stateRef(from)] } });
      continue;
    }
    const dead = deadEdges.get(key) ?? [];
    const goalsFrom = dead.flatMap((d) => (d.goal ? [d.goal] : []));
    proofs.get('transitions')!.set(key, {
      reason: dead.map((d) => d.why).join('; '),
      proof: goalsFrom.length === dead.length && dead.length > 0 ? { kind: 'follows', from: goalsFrom } : dead[0]?.proof ?? { kind: 'follows', from: [] },
    });
  }
  for (const category of ['choiceRules', 'catches', 'retries', 'callbacks'] as const) {
    for (const key of goals[category]) {
      const state = key.slice(0, key.lastIndexOf('#'));
      if (!reached.has(state) && !proofs.get(category)!.has(key)) {
        proofs.get(category)!.set(key, { reason: `state '${state}' is unreachable`, proof: { kind: 'follows', from: [stateRef(state)] } });
      }
    }
  }
  return proofs;
}

/** How many branches, Catches and Nexts of a state lead to `to`. */
function countEdges(def: StateDefinition, to: string): number {
  let n = def.Next === to ? 1 : 0;
  if (def.Type === 'Choice') {
    n += (def.Choices ?? []).filter((r) => r.Next === to).length;
    if (def.Default === to) n++;
  }
  n += (def.Catch ?? []).filter((c) => c.Next === to).length;
  return n;
}

function childStarts(def: StateDefinition): string[] {
  return childMachines(def).map((m) => m.StartAt);
}

function stateProof(
  name: string, states: ReadonlyMap<string, StateInfo>, deadEdges: ProofBase['deadEdges'], reached: Set<string>, before: ReadonlyMap<string, readonly string[]>,
): Proof {
  const info = states.get(name);
  if (info?.container !== undefined && !reached.has(info.container)) {
    return {
      reason: `the ${states.get(info.container)?.def.Type ?? 'state'} '${info.container}' that holds it is unreachable`,
      proof: { kind: 'follows', from: [{ category: 'states', key: info.container }] },
    };
  }
  const reasons: string[] = [];
  const from: GoalRef[] = [];
  for (const [key, dead] of deadEdges) {
    if (!key.endsWith(` -> ${name}`)) continue;
    for (const d of dead) {
      reasons.push(d.why);
      from.push(d.goal ?? { category: 'states', key: key.slice(0, key.indexOf(' -> ')) });
    }
  }
  // The states before it that cannot be reached close the rest of the ways in.
  for (const other of before.get(name) ?? []) if (!reached.has(other)) from.push({ category: 'states', key: other });
  return reasons.length > 0
    ? { reason: `every way into it is closed: ${reasons.join('; ')}`, proof: { kind: 'follows', from } }
    : { reason: 'only unreachable states lead to it', proof: { kind: 'follows', from } };
}

/**
 * The proof that a Choice branch cannot be taken, or `undefined`. `absent`: for a field of the
 * input a JSONata Condition reads, the proof that it is absent on every way into the Choice.
 */
async function branchProof(
  state: ChoiceState, branch: number | 'default', language: 'JSONPath' | 'JSONata', interrupt?: () => void,
  absent?: (field: string) => string | undefined,
): Promise<string | undefined> {
  try {
    const free = { current: () => ({ found: false }) as const };
    const result = language === 'JSONata'
      // Without fields to change, the search evaluates each Condition once, on empty values: enough for one that reads
      // nothing, or only fields absent on every way in (which the empty values leave absent).
      ? await searchJsonataBranch(state, branch, {
        ...free,
        ...(absent ? { isFixed: (f: string) => absent(f) !== undefined, describeFixed: absent } : {}),
        evaluate: (i, bindings) => evaluateCondition(state.Choices[i].Condition, i, bindings, {}, 0, interrupt),
      })
      : solveChoiceBranch(state, branch, free);
    return result.kind === 'unsat' ? result.reason : undefined;
  } catch (e) {
    if (e instanceof ExploreBudgetExceeded) throw e;
    return undefined;
  }
}
