import { parseJsonata, readsOf, stripDelimiters } from './solve/jsonata-ast';
import {
  END_FAIL_ANY, END_OK, END_TIMEOUT, failEnd, type EdgeLabel, type EdgeStep, type FailingParallel, type GraphFacts,
} from './verify-edges';
import { mapItemBound, type FolderBound } from './verify-items';
import { mayLastAYear } from './verify-year';
import type { StateDefinition, StateMachineDefinition, SubMachine } from '../asl';
import { errorMatches, TERMINAL_ERRORS } from '../asl/error-rules';
import { AwsLimits } from '../asl/limits';
import { DEFAULT_QUERY_LANGUAGE } from '../asl/query-language';
import { forEachState, processorOf, type StateScope } from '../asl/state-tree';
import { StatesErrors } from '../asl/states-errors';

/** @internal */
export { endStatus, isEnd } from './verify-edges';
/** @internal */
export type { EdgeLabel, EdgeStep, FailingParallel, GraphFacts } from './verify-edges';

/*
 * The static half of a HOLDS: the machine's graph, every way a run can move from state to state
 * (Next, each Choice rule and Default, each Catch, into and out of Parallel branches and Map
 * iterations, and every way it can end), less what explore proved no input reaches. A path
 * property that holds on every path of this graph holds on every run, because every run is one
 * of its paths; one that does not is not proved (UNKNOWN), since the path that breaks it may be
 * one no input takes.
 */

/** The graph of a machine for the proofs. @internal */
export class MachineGraph {
  private readonly succ = new Map<string, Set<string>>();
  /** Per edge (`from\nto`), every way a run takes it. */
  private readonly ways = new Map<string, EdgeLabel[]>();
  /** The definition's query language, each state's unless it says otherwise. */
  readonly language: 'JSONPath' | 'JSONata';
  private readonly scopes = new Map<string, StateScope>();
  private readonly defs = new Map<string, StateDefinition>();
  /** What raises each data error a state can raise (`state\nerror`), for the reasons. */
  private readonly why = new Map<string, string>();
  /** Edges (`from\nto`) an error takes out of the state that raised it: to a Catch's Next, or to the run's failure. */
  private readonly failures = new Set<string>();
  /** Edges (`from\nto`) on which a Parallel or Map retries, with the Parallel or Map. */
  private readonly restarts = new Map<string, string>();
  readonly start: string;

  constructor(def: StateMachineDefinition, private readonly facts: GraphFacts) {
    this.start = def.StartAt;
    this.language = def.QueryLanguage ?? DEFAULT_QUERY_LANGUAGE;
    forEachState(def, (name, state, scope) => {
      this.scopes.set(name, scope);
      this.defs.set(name, state);
    });
    for (const [name, state] of this.defs) {
      if (facts.unreachableStates.has(name)) continue;
      this.build(name, state, this.scopes.get(name)!);
      // A run's own TimeoutSeconds, or an EXPRESS run's five minutes, can end it in any state; a
      // STANDARD run's year, in a state that may last that long.
      if (def.TimeoutSeconds !== undefined || facts.express || mayLastAYear(state)) this.edge(name, END_TIMEOUT);
    }
    for (const [name, state] of this.defs) {
      if (!facts.unreachableStates.has(name)) this.raiseAfterInside(name, state);
    }
    for (const [name, maps] of facts.childCuts ?? []) {
      for (const map of maps) if (this.keeps(name) && this.keeps(map)) this.cutChild(name, map);
    }
  }

  /**
   * The history limit ends the child execution of DISTRIBUTED Map `map` while it is in `name`: AWS
   * fails that execution with States.Runtime wherever it is, before any Retry or Catch of its own
   * (Step Functions quotas, "Maximum execution history size"; each child has "its own, separate
   * execution history", state-map-distributed), and the Map sees a failed item. The interpreter's
   * Map then fails with the child's error where it tolerates no failure, which no Catch takes, and
   * with States.ExceedToleratedFailureThreshold past its threshold; which of the two AWS gives where
   * the Map tolerates none is not recorded, so both ways are in the graph (the graph only gains
   * ways: one no run takes costs a proof, never a wrong one). Where the Map tolerates the failure,
   * the run goes on past it (toleratedEdges).
   */
  private cutChild(name: string, map: string): void {
    const levels = [map, ...[...(this.scopes.get(map)?.enclosing ?? [])].reverse()];
    for (const error of [StatesErrors.RUNTIME, StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD]) this.raiseThrough(name, levels, error);
    const key = `${name}\n${StatesErrors.RUNTIME}`;
    if (!this.why.has(key)) this.why.set(key, `the history limit (${AwsLimits.HISTORY_EVENTS.toLocaleString('en-US')} events) can end the child execution of DISTRIBUTED Map '${map}' there, after a loop in it no bound limits`);
  }

  /** The most items one run of Map `n` can have, and what sets it (verify-items); undefined when nothing does. */
  itemBound(n: string): { readonly items: number; readonly how: string; readonly given?: true } | undefined {
    return mapItemBound(this.defs.get(n), this.folderOf(n));
  }

  /** The user's bound on a loop's turns (GraphFacts.loopTurns), when one was given. */
  get loopTurns(): number | undefined {
    return this.facts.loopTurns;
  }

  /** What the local S3 folder says of Map `n`'s items, where it answers its ItemReader. */
  folderOf(n: string): FolderBound | undefined {
    return this.facts.folderItems?.get(n);
  }

  /** The Maps around `n` whose items nothing in the definition bounds, outermost first. */
  unboundedMapsAround(n: string): string[] {
    return (this.scopes.get(n)?.enclosing ?? []).filter((o) => this.defs.get(o)?.Type === 'Map' && this.itemBound(o) === undefined);
  }

  /**
   * Ways the graph does not walk but the proofs of a count must: into a Parallel's later branches
   * ({@link laterBranches}), out of a Parallel's last branch through a failure in another
   * ({@link concurrentWays}), from a state whose failure stops a Map into the Map's next
   * iteration ({@link iterationCuts}), and from one whose failure stops a Parallel into its next
   * branch ({@link failedBranchWays}).
   */
  countingWays(): Map<string, Map<string, EdgeLabel[]>> {
    const out = new Map<string, Map<string, EdgeLabel[]>>();
    const add = (from: string, to: string, ways: readonly EdgeLabel[]): void => {
      let mine = out.get(from);
      if (!mine) out.set(from, mine = new Map());
      const known = mine.get(to) ?? [];
      for (const w of ways) if (!known.some((k) => sameLabel(k, w))) known.push(w);
      mine.set(to, known);
    };
    // A path that skips a branch is one where it failed (else the branches are walked in turn): marked `failing`.
    for (const [n] of this.defs) for (const b of this.laterBranches(n)) add(n, b, [[{ kind: 'failing', parallel: n, on: true }, ...this.enter(b)]]);
    const concurrent = this.concurrentWays();
    for (const source of [concurrent, this.iterationCuts(), this.failedBranchWays(concurrent)]) {
      for (const [n, targets] of source) for (const [m, ways] of targets) add(n, m, ways);
    }
    return out;
  }

  /**
   * When a state fails its branch of a Parallel, the later branches, started at once, have entered
   * states all the same (state-parallel). These edges go on from it into the next branch, marked
   * `failing`, so a path holds both before it leaves through the failure ({@link concurrentWays}),
   * never the normal exit (`join`); `concurrent` adds a nested Parallel's failures.
   */
  private failedBranchWays(concurrent: ReadonlyMap<string, ReadonlyMap<string, readonly EdgeLabel[]>>): Map<string, Map<string, EdgeLabel[]>> {
    const out = new Map<string, Map<string, EdgeLabel[]>>();
    for (const [p, def] of this.defs) {
      if (def.Type !== 'Parallel' || (def.Branches?.length ?? 0) < 2 || this.facts.unreachableStates.has(p)) continue;
      const inside = this.inside(p);
      for (const n of inside) {
        const i = this.branchIn(n, p);
        const next = i === undefined ? undefined : def.Branches![i + 1];
        if (next === undefined || !this.keeps(next.StartAt)) continue;
        const fails = [...(this.succ.get(n) ?? [])].some((m) => !inside.has(m) && this.failures.has(`${n}\n${m}`))
          || [...(concurrent.get(n)?.keys() ?? [])].some((m) => !inside.has(m));
        if (!fails) continue;
        let mine = out.get(n);
        if (!mine) out.set(n, mine = new Map());
        mine.set(next.StartAt, [[{ kind: 'failing', parallel: p, on: true }, ...this.enter(next.StartAt)]]);
      }
    }
    return out;
  }

  /**
   * A Map runs its iterations side by side: when one fails and the failure stops the Map, the
   * others have entered their states all the same (the interpreter's path holds every
   * iteration's). The graph walks the iterations one after another and leaves from the state that
   * failed; these edges go on from such a state to the Map's next iteration, so a path may hold
   * several iterations that each end in the failure, and the item bound still counts them.
   */
  iterationCuts(): Map<string, Map<string, EdgeLabel[]>> {
    const out = new Map<string, Map<string, EdgeLabel[]>>();
    for (const [mapName, def] of this.defs) {
      if (def.Type !== 'Map' || this.facts.unreachableStates.has(mapName)) continue;
      const processor = processorOf(def) as SubMachine | undefined;
      if (!processor || !this.defs.has(processor.StartAt)) continue;
      const inside = new Set([...this.scopes].filter(([, sc]) => sc.enclosing.includes(mapName)).map(([n]) => n));
      for (const n of inside) {
        if (![...(this.succ.get(n) ?? [])].some((m) => !inside.has(m) && this.failures.has(`${n}\n${m}`))) continue;
        let mine = out.get(n);
        if (!mine) out.set(n, mine = new Map());
        mine.set(processor.StartAt, [this.enter(processor.StartAt, { map: mapName, first: false })]);
      }
    }
    return out;
  }

  private edge(from: string, to: string, label: EdgeLabel = []): void {
    if (!to.startsWith('#')) {
      if (this.facts.unreachableStates.has(to) || this.facts.unreachableTransitions.has(`${from} -> ${to}`)) return;
    }
    let s = this.succ.get(from);
    if (!s) this.succ.set(from, s = new Set());
    s.add(to);
    const key = `${from}\n${to}`;
    const known = this.ways.get(key);
    if (!known) this.ways.set(key, [label]);
    else if (!known.some((k) => sameLabel(k, label))) known.push(label);
  }

  /** An `Assign` as a step, when there is one. */
  private assignStep(name: string, state: StateDefinition, assign: unknown): EdgeStep[] {
    if (assign === undefined) return [];
    return [{ kind: 'assign', assign, jsonata: (state.QueryLanguage ?? this.language) === 'JSONata', scope: this.scopes.get(name)?.pointer ?? '' }];
  }

  /** The step that starts a new run of the (sub-)machine whose first state is `start` (for a Map's, which iteration). */
  private enter(start: string, item?: { map: string; first: boolean }): EdgeStep[] {
    return [{ kind: 'enter', scope: this.scopes.get(start)?.pointer ?? '', ...(item ? { item } : {}) }];
  }

  /**
   * A Parallel's or Map's own ResultSelector, ResultPath, OutputPath (or JSONata Output) and a
   * Map's ResultWriter apply to what its branches or iterations returned, so the errors they raise
   * come after the states inside ran: AWS's history of such a run holds those states, then the
   * owner's failure (test/verify/own-errors-after-branches.test.ts). {@link build} raises them
   * from the owner, as its InputPath's or Parameters' are; this raises them again from each state
   * that ends its last branch or an iteration, so that a path through the Catch holds the states
   * inside. Which of its own errors come before and which after is not told apart: the graph only
   * gains ways, and a way no run takes costs a proof, never a wrong one.
   */
  private raiseAfterInside(name: string, state: StateDefinition): void {
    if (state.Type !== 'Parallel' && state.Type !== 'Map') return;
    const errors = new Set<string | undefined>();
    for (const e of this.facts.dataErrors?.get(name) ?? []) if (e.own) errors.add(e.error);
    for (const e of this.facts.failedAt.get(name) ?? []) errors.add(e);
    if (state.Type === 'Map' && state.ResultWriter !== undefined) errors.add(undefined);
    if (errors.size === 0) return;
    const levels = [name, ...[...(this.scopes.get(name)?.enclosing ?? [])].reverse()];
    for (const end of this.endsInside(name)) for (const error of errors) this.raiseThrough(end, levels, error);
  }

  /**
   * The states whose normal exit is the normal exit of Parallel or Map `owner`: those that end its
   * last branch, or any iteration of a Map (the Map itself too, for a run of no items); a Parallel
   * or Map that ends one stands for the states that end it in turn.
   */
  private endsInside(owner: string): string[] {
    const def = this.defs.get(owner);
    const last = def?.Type === 'Parallel' ? (def.Branches?.length ?? 0) - 1 : undefined;
    const out: string[] = def?.Type === 'Map' ? [owner] : [];
    for (const [n, scope] of this.scopes) {
      if (scope.owner !== owner || (last !== undefined && scope.branch !== last) || this.facts.unreachableStates.has(n)) continue;
      const state = this.defs.get(n)!;
      if (state.Type === 'Fail' || state.Type === 'Choice' || typeof (state as { Next?: unknown }).Next === 'string') continue;
      if (state.Type === 'Parallel' || state.Type === 'Map') out.push(...this.endsInside(n));
      else out.push(n);
    }
    return out;
  }

  /** Where a state's normal exit leads, each with the steps a run takes on the way: its Next, or the end of its (sub-)machine. */
  private exits(name: string, state: StateDefinition, scope: StateScope): Array<{ to: string; label: EdgeLabel }> {
    if (state.Type === 'Choice') {
      const out: Array<{ to: string; label: EdgeLabel }> = [];
      (state.Choices ?? []).forEach((r, index) => {
        if (typeof r.Next === 'string') out.push({ to: r.Next, label: [{ kind: 'rule', choice: name, index }, ...this.assignStep(name, state, r.Assign)] });
      });
      // Only the matched rule's Assign applies; the Choice's own goes with its Default.
      if (typeof state.Default === 'string') out.push({ to: state.Default, label: [{ kind: 'default', choice: name }, ...this.assignStep(name, state, state.Assign)] });
      return out;
    }
    if (state.Type === 'Fail') return [];
    const own = this.assignStep(name, state, state.Assign);
    if (typeof (state as { Next?: unknown }).Next === 'string') return [{ to: (state as { Next: string }).Next, label: own }];
    return this.scopeEnd(scope).map((e) => ({ to: e.to, label: [...own, ...e.label] }));
  }

  /** Where the end of a (sub-)machine leads: the run's end, the next branch, the next iteration, the owner's exit. */
  private scopeEnd(scope: StateScope): Array<{ to: string; label: EdgeLabel }> {
    if (scope.owner === undefined) return [{ to: END_OK, label: [] }];
    const owner = this.defs.get(scope.owner)!;
    const ownerScope = this.scopes.get(scope.owner)!;
    const after = this.exits(scope.owner, owner, ownerScope);
    if (owner.Type === 'Parallel') {
      const branches = owner.Branches ?? [];
      const next = branches[(scope.branch ?? 0) + 1];
      if (next) return [{ to: next.StartAt, label: this.enter(next.StartAt) }];
      // The Parallel's normal exit, once its last branch ends: taken only when no branch failed.
      return branches.length < 2 ? after : after.map((e) => ({ to: e.to, label: [{ kind: 'join', parallel: scope.owner! }, ...e.label] }));
    }
    // A Map's iteration is followed by another, or by the Map's exit.
    const processor = processorOf(owner as Extract<StateDefinition, { Type: 'Map' }>) as SubMachine | undefined;
    return processor ? [{ to: processor.StartAt, label: this.enter(processor.StartAt, { map: scope.owner, first: false }) }, ...after] : after;
  }

  /**
   * Where an error raised in `name` leads: its own Catches (for a Task, Parallel or Map), then
   * those of each Parallel or Map holding it, and the run's failure past the first level that
   * surely catches it. `error` is the error's name when known.
   */
  private raise(name: string, state: StateDefinition, error: string | undefined, catchesOwn: boolean): void {
    const levels: string[] = catchesOwn ? [name] : [];
    levels.push(...[...(this.scopes.get(name)?.enclosing ?? [])].reverse());
    void state;
    this.raiseThrough(name, levels, error);
  }

  /** An error raised in `name` meets the Catches of `levels`, innermost first; past the last, the run fails. */
  private raiseThrough(name: string, levels: readonly string[], error: string | undefined): void {
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i];
      this.retryEdge(name, level, error);
      const levelDef = this.defs.get(level)!;
      if (level !== name) this.toleratedEdges(name, level, levelDef);
      const catchers = levelDef.Catch ?? [];
      let caughtForSure = false;
      for (const c of catchers) {
        // States.TaskFailed takes every error but States.Timeout, as States.ALL takes every one (errorMatches).
        const matches = error === undefined || (!TERMINAL_ERRORS.has(error) && errorMatches(c.ErrorEquals, error));
        if (matches) {
          this.failEdge(name, c.Next, this.assignStep(level, levelDef, c.Assign));
          // A Catch whose own ResultPath (or JSONata Output) can fail raises that error where it caught.
          for (const e of this.facts.dataErrors?.get(level) ?? []) if (!e.own) this.raiseThrough(name, levels.slice(i + 1), e.error);
        }
        if (error !== undefined ? matches : c.ErrorEquals.includes(StatesErrors.ALL)) caughtForSure = true;
      }
      // An error of unknown name may be States.Runtime only where a run was seen to fail so.
      if (caughtForSure && !(error !== undefined && TERMINAL_ERRORS.has(error))) return;
    }
    this.failEdge(name, error === undefined ? END_FAIL_ANY : failEnd(error));
  }

  /** An edge an error takes, out of the state that raised it. */
  private failEdge(from: string, to: string, label: EdgeLabel = []): void {
    this.edge(from, to, label);
    this.failures.add(`${from}\n${to}`);
  }

  /**
   * A Map that tolerates failed items (ToleratedFailureCount or ToleratedFailurePercentage, or
   * their Path forms) goes on past an iteration that failed: to the next iteration, or out of
   * the Map as if the iteration had ended (AWS: the Map fails only when more items fail than it
   * tolerates). The Map's Catch still takes the error when too many do.
   */
  private toleratedEdges(name: string, level: string, def: StateDefinition): void {
    if (def.Type !== 'Map') return;
    const tolerated = (v: unknown): boolean => v !== undefined && v !== 0;
    const fields = [def.ToleratedFailureCount, def.ToleratedFailurePercentage, def.ToleratedFailureCountPath, def.ToleratedFailurePercentagePath];
    if (!fields.some(tolerated)) return;
    const processor = processorOf(def) as SubMachine | undefined;
    if (processor) this.edge(name, processor.StartAt, this.enter(processor.StartAt, { map: level, first: false }));
    for (const e of this.exits(level, def, this.scopes.get(level)!)) this.edge(name, e.to, e.label);
  }

  /**
   * A Parallel or Map that retries an error raised in it runs its branches or iterations again
   * from their start: the states inside are entered again, though the Parallel or Map is not (the
   * path a run of the interpreter takes, as AWS's history of a retried Parallel shows). Its Retry
   * is tried before its Catch, at each level the error reaches. A Task's own Retry enters no state
   * again, so it adds no edge.
   */
  private retryEdge(name: string, level: string, error: string | undefined): void {
    const owner = this.defs.get(level);
    if (owner?.Type !== 'Parallel' && owner?.Type !== 'Map') return;
    const retriers = (owner as { Retry?: ReadonlyArray<{ ErrorEquals: readonly string[]; MaxAttempts?: number }> }).Retry ?? [];
    const retried = retriers.some((r) => (r.MaxAttempts ?? 3) > 0 && (error === undefined
      ? !r.ErrorEquals.every((e) => TERMINAL_ERRORS.has(e))
      : !TERMINAL_ERRORS.has(error) && errorMatches(r.ErrorEquals, error)));
    if (!retried) return;
    const start = owner.Type === 'Parallel' ? owner.Branches?.[0]?.StartAt : (processorOf(owner) as SubMachine | undefined)?.StartAt;
    if (start === undefined) return;
    const fresh: EdgeLabel = owner.Type === 'Parallel' ? [{ kind: 'failing', parallel: level, on: false }] : [];
    this.edge(name, start, [...fresh, ...this.enter(start, owner.Type === 'Map' ? { map: level, first: true } : undefined)]);
    this.restarts.set(`${name}\n${start}`, level);
  }

  private build(name: string, state: StateDefinition, scope: StateScope): void {
    // A Parallel leaves only through its branches; a Map may have no items and leave at once.
    const first = state.Type === 'Parallel' ? state.Branches?.[0] : undefined;
    if (first) this.edge(name, first.StartAt, this.enter(first.StartAt));
    else for (const e of this.exits(name, state, scope)) this.edge(name, e.to, e.label);
    if (state.Type === 'Map') {
      const processor = processorOf(state);
      if (processor) this.edge(name, processor.StartAt, this.enter(processor.StartAt, { map: name, first: true }));
    }
    // A Task can raise any error; a Map one of its ItemReader or ResultWriter before or after its
    // iterations. A Parallel's own errors, and a Map's otherwise, are data errors (States.Runtime):
    // they count where a run was seen to end with one (failedAt), like every state's.
    if (state.Type === 'Task' || (state.Type === 'Map' && (state.ItemReader !== undefined || state.ResultWriter !== undefined))) {
      this.raise(name, state, undefined, true);
    }
    if (state.Type === 'Fail') {
      const error = typeof state.Error === 'string' && !state.Error.startsWith('{%') ? state.Error : undefined;
      this.raise(name, state, error, false);
    }
    if (state.Type === 'Choice' && state.Default === undefined) this.raise(name, state, StatesErrors.NO_CHOICE_MATCHED, false);
    const catches = state.Type === 'Task' || state.Type === 'Parallel' || state.Type === 'Map';
    for (const e of this.facts.dataErrors?.get(name) ?? []) {
      this.raise(name, state, e.error, e.own && catches);
      this.why.set(`${name}\n${e.error}`, e.where);
    }
    for (const error of this.facts.failedAt.get(name) ?? []) {
      this.raise(name, state, error, state.Type === 'Task' || state.Type === 'Parallel' || state.Type === 'Map');
    }
  }

  /** A path from `from` to a node `goal` accepts, avoiding `avoid`, as the states on it (with the `extra` ways too); undefined when there is none. */
  pathTo(
    from: readonly string[], goal: (n: string) => boolean, avoid: ReadonlySet<string> = new Set(),
    extra?: ReadonlyMap<string, ReadonlyMap<string, unknown>>,
  ): string[] | undefined {
    const parent = new Map<string, string | null>();
    const queue: string[] = [];
    for (const f of from) {
      if (avoid.has(f) || parent.has(f)) continue;
      parent.set(f, null);
      queue.push(f);
    }
    for (let i = 0; i < queue.length; i++) {
      const n = queue[i];
      if (goal(n)) {
        const out: string[] = [];
        for (let at: string | null = n; at !== null; at = parent.get(at) ?? null) out.push(at);
        return out.reverse();
      }
      for (const m of [...(this.succ.get(n) ?? []), ...this.laterBranches(n), ...(extra?.get(n)?.keys() ?? [])]) {
        if (avoid.has(m) || parent.has(m)) continue;
        parent.set(m, n);
        queue.push(m);
      }
    }
    return undefined;
  }

  /**
   * For the longest path: the branches of a Parallel run side by side, so when one fails the
   * others' states are still entered before the Parallel's Catch (or the run's failure) takes the
   * error, and a run's path holds every branch and then the way out of the failure. The graph
   * walks the branches one after another and leaves from the state that failed; these edges add,
   * per Parallel, from the end of its last branch, every way out an error inside it takes, so
   * that a path through all of its branches and out through the failure is in the graph too. The
   * longest path takes them only after a branch of that Parallel failed: a path whose branches
   * all ended normally has no failure to leave by.
   */
  failureAfterBranches(): Map<string, Map<string, string[]>> {
    const out = new Map<string, Map<string, string[]>>();
    for (const [p, edges] of this.concurrentWaysByParallel()) {
      out.set(p, new Map([...edges].map(([n, ways]) => [n, [...ways.keys()]])));
    }
    return out;
  }

  /** The edges of {@link failureAfterBranches}, each with the ways a run takes it (those of the failures it stands for). */
  concurrentWays(): Map<string, Map<string, EdgeLabel[]>> {
    const out = new Map<string, Map<string, EdgeLabel[]>>();
    for (const edges of this.concurrentWaysByParallel().values()) {
      for (const [n, ways] of edges) {
        const mine = out.get(n) ?? new Map<string, EdgeLabel[]>();
        for (const [m, w] of ways) mine.set(m, [...(mine.get(m) ?? []), ...w]);
        out.set(n, mine);
      }
    }
    return out;
  }

  /** {@link concurrentWays} per Parallel of two branches or more: from the end of its last branch, the ways out of a failure inside it. */
  private concurrentWaysByParallel(): Map<string, Map<string, Map<string, EdgeLabel[]>>> {
    const out = new Map<string, Map<string, Map<string, EdgeLabel[]>>>();
    for (const [p, def] of this.defs) {
      if (def.Type !== 'Parallel' || (def.Branches?.length ?? 0) < 2) continue;
      const inside = this.inside(p);
      const normal = new Set(this.exits(p, def, this.scopes.get(p)!).map((e) => e.to));
      const failures = new Map<string, EdgeLabel[]>();
      for (const n of inside) {
        for (const m of this.succ.get(n) ?? []) {
          // A Catch may lead where the normal exit does: the edge is a failure all the same.
          if (inside.has(m) || (normal.has(m) && !this.failures.has(`${n}\n${m}`))) continue;
          const ways = failures.get(m) ?? [];
          for (const w of this.waysOf(n, m)) if (!ways.some((k) => sameLabel(k, w))) ways.push(w);
          failures.set(m, ways);
        }
      }
      if (failures.size === 0) continue;
      const edges = new Map<string, Map<string, EdgeLabel[]>>();
      for (const n of inside) {
        if (![...(this.succ.get(n) ?? [])].some((m) => normal.has(m))) continue;
        edges.set(n, new Map([...failures].map(([m, ways]) => [m, [...ways]])));
      }
      out.set(p, edges);
    }
    return out;
  }

  /** The states inside Parallel or Map `owner`, at any depth. */
  private inside(owner: string): Set<string> {
    return new Set([...this.scopes].filter(([, sc]) => sc.enclosing.includes(owner)).map(([n]) => n));
  }

  /**
   * For the longest path: each Parallel of two branches or more, with the first state of each of
   * its branches, the states inside it, and where an error raised inside it leads out of it (a
   * Catch's Next, the run's failure). AWS starts every branch at once and, when one fails, stops
   * the others ("If any branch fails ... the entire Parallel state fails and all of its branches
   * are stopped", state-parallel): the states the others entered by then count. So a path that
   * fails in one branch may go on into the next branch, and leaves the Parallel only by a way an
   * error takes, never by its normal exit.
   */
  failingParallels(): Map<string, FailingParallel> {
    const out = new Map<string, FailingParallel>();
    for (const [p, def] of this.defs) {
      if (def.Type !== 'Parallel' || (def.Branches?.length ?? 0) < 2 || this.facts.unreachableStates.has(p)) continue;
      const inside = this.inside(p);
      const failures = new Set<string>();
      for (const n of inside) for (const m of this.succ.get(n) ?? []) if (!inside.has(m) && this.isFailure(n, m)) failures.add(m);
      out.set(p, { starts: def.Branches!.map((b) => b.StartAt), inside, failures });
    }
    return out;
  }

  successors(n: string): readonly string[] {
    return [...(this.succ.get(n) ?? [])];
  }

  /** Every way a run takes the edge from `from` to `to` (none when there is no such edge). */
  waysOf(from: string, to: string): readonly EdgeLabel[] {
    return this.ways.get(`${from}\n${to}`) ?? [];
  }

  /** The scope each state sits in. */
  scopeOf(n: string): StateScope | undefined {
    return this.scopes.get(n);
  }

  /** Every state of the machine, with its definition. */
  states(): ReadonlyMap<string, StateDefinition> {
    return this.defs;
  }

  reachable(): Set<string> {
    const seen = new Set<string>([this.start]);
    const queue = [this.start];
    for (let i = 0; i < queue.length; i++) {
      for (const m of [...(this.succ.get(queue[i]) ?? []), ...this.laterBranches(queue[i])]) if (!seen.has(m)) { seen.add(m); queue.push(m); }
    }
    return seen;
  }

  /**
   * For a Parallel of two branches or more, the first states of its branches but the first: AWS
   * starts every branch at once ("executes each branch ... as concurrently as possible"), so a
   * later branch's states are entered even when an earlier branch cannot end (it always fails).
   * The graph walks the branches one after another; these are the ways into the others.
   */
  laterBranches(n: string): string[] {
    const def = this.defs.get(n);
    if (def?.Type !== 'Parallel' || (def.Branches?.length ?? 0) < 2 || this.facts.unreachableStates.has(n)) return [];
    return def.Branches!.slice(1).map((b) => b.StartAt).filter((s) => this.defs.has(s) && !this.facts.unreachableStates.has(s));
  }

  /**
   * Whether the branches or iterations of `owner` run side by side: a Parallel of two branches or
   * more, and a Map unless its MaxConcurrency is 1 (AWS, state-map-inline: with 1, one iteration
   * per item in the items' order, the next starting once the last has ended).
   */
  concurrent(owner: string): boolean {
    const def = this.defs.get(owner);
    if (def?.Type === 'Parallel') return (def.Branches?.length ?? 0) > 1;
    if (def?.Type === 'Map') return !(def.MaxConcurrency === 1 && def.MaxConcurrencyPath === undefined);
    return false;
  }

  /** The Parallel and Map states around `n`, outermost first (none for an end of the run). */
  enclosingOf(n: string): readonly string[] {
    return this.scopes.get(n)?.enclosing ?? [];
  }

  /** The index of the branch of Parallel `owner` that holds `n`; undefined when none does. */
  branchIn(n: string, owner: string): number | undefined {
    for (let sc = this.scopes.get(n); sc; sc = sc.parent) if (sc.owner === owner) return sc.branch;
    return undefined;
  }

  /** Whether the edge from `from` to `to` is an error's way out of `from` (a Catch, or the run's failure). */
  isFailure(from: string, to: string): boolean {
    return this.failures.has(`${from}\n${to}`);
  }

  /** The Parallel or Map whose Retry the edge from `from` to `to` is, when it is one. */
  restartOf(from: string, to: string): string | undefined {
    return this.restarts.get(`${from}\n${to}`);
  }

  /** Where a Parallel's or Map's normal exit leads (its Next, or the end of the machine around it). */
  normalExits(owner: string): ReadonlySet<string> {
    const def = this.defs.get(owner);
    if (!def) return new Set();
    return new Set(this.exits(owner, def, this.scopes.get(owner)!).map((e) => e.to));
  }

  /** Whether `n` ends its (sub-)machine when it ends normally: no Next (a Succeed, or `End`). */
  endsItsMachine(n: string): boolean {
    const def = this.defs.get(n);
    if (!def || def.Type === 'Fail' || def.Type === 'Choice') return false;
    return typeof (def as { Next?: unknown }).Next !== 'string';
  }

  /** The DISTRIBUTED Maps whose child execution the history limit can end in `n` (GraphFacts.childCuts). */
  childCutsIn(n: string): readonly string[] {
    return this.facts.childCuts?.get(n) ?? [];
  }

  /** Whether `n` is a state the graph keeps (not proved unreachable). */
  keeps(n: string): boolean {
    return this.defs.has(n) && !this.facts.unreachableStates.has(n);
  }

  definitionOf(n: string): StateDefinition | undefined {
    return this.defs.get(n);
  }

  /** When a path ends failing with a data error of its last state, what raises it, in words; '' otherwise. */
  dataErrorNote(path: readonly string[]): string {
    const end = path[path.length - 1];
    if (end === undefined || !end.startsWith(failEnd(''))) return '';
    const error = end.slice(failEnd('').length);
    for (let i = path.length - 2; i >= 0; i--) {
      // The state itself, or a Parallel or Map holding it whose Catch can fail where it catches.
      for (const at of [path[i], ...[...(this.scopes.get(path[i])?.enclosing ?? [])].reverse()]) {
        const where = this.why.get(`${at}\n${error}`);
        if (where !== undefined) return ` ('${at}' can fail with ${error}: ${where}, on an input or answer the search did not try${whatToGive(where)})`;
      }
    }
    return '';
  }
}

/** Fields and variables one note names at most. */
const READS_NAMED = 4;

/**
 * What to give to settle a path that fails on a JSONata expression no run made fail: the values
 * it reads (`$states.input.pages`, `$flagged`), through the input or the Task answers that give
 * them; '' when the note names no expression, or one that reads nothing it can name.
 */
function whatToGive(where: string): string {
  const m = /\{%[^]*%\}/.exec(where);
  if (!m) return '';
  const parsed = parseJsonata(stripDelimiters(m[0]));
  if ('error' in parsed) return '';
  const reads = readsOf(parsed.ast);
  if (reads.opaque || reads.fields.length === 0) return '';
  const named = reads.fields.slice(0, READS_NAMED);
  const more = reads.fields.length > READS_NAMED ? ', …' : '';
  return `; to settle it, give --input or --mocks under which what it reads (${named.join(', ')}${more}) makes it fail on this path, and verify checks that run`;
}

function sameLabel(a: EdgeLabel, b: EdgeLabel): boolean {
  return a.length === b.length && a.every((s, i) => {
    const t = b[i];
    if (s.kind !== t.kind) return false;
    if (s.kind === 'assign') return s.assign === (t as typeof s).assign && s.scope === (t as typeof s).scope;
    if (s.kind === 'enter') {
      const u = t as typeof s;
      return s.scope === u.scope && s.item?.map === u.item?.map && s.item?.first === u.item?.first;
    }
    if (s.kind === 'rule') return s.choice === (t as typeof s).choice && s.index === (t as typeof s).index;
    if (s.kind === 'failing') return s.parallel === (t as typeof s).parallel && s.on === (t as typeof s).on;
    if (s.kind === 'join') return s.parallel === (t as typeof s).parallel;
    return s.choice === (t as typeof s).choice;
  });
}
