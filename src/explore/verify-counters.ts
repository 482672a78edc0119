import { components } from './graph-components';
import { parseJsonata, stripDelimiters } from './solve/jsonata-ast';
import { clockBoundWhy } from './verify-clock-why';
import {
  assignsOf, clockComparison, clockUpdateOf, conditionVariables, eachNode, holds, keyOf, ruleTruth, sharedAtoms, sinceSlot, START_TIME, updateOf,
  type Update, type Value,
} from './verify-forms';
import type { EdgeLabel, EdgeStep, MachineGraph } from './verify-graph';
import { DEFAULT_MAX_ATTEMPTS } from './verify-seconds';
import { loopHeads, plainNodes } from './verify-turns';
import type { StateDefinition } from '../asl';
import { AwsLimits } from '../asl/limits';
import { processorOf } from '../asl/state-tree';

/*
 * Loops bounded by a counter in a variable. A loop that counts its turns in a workflow variable
 * (`Assign: {"n": 0}` before it, `Assign: {"n": "{% $n + 1 %}"}` in it, and a Choice that goes
 * round again only while `{% $n < 3 %}`) has a bound the graph alone does not show. Here the graph
 * is unrolled over the values such counters can hold: a node is a state with a value for each
 * counter, an edge applies the Assign the run applies on it, and a Choice rule's edge (or its
 * Default's) is kept only where the rule can match (or every rule can fail to) with those values.
 * When this unrolled graph has no loop through a state, every run enters that state at most as
 * often as the unrolled graph's paths do, and that count is the bound.
 *
 * It is sound because it only follows what it knows exactly. A variable is a counter only when
 * every Assign of it anywhere in the machine gives it a number literal, or another counter plus
 * or minus a number literal (`$n + 1`, `States.MathAdd($n, 1)`); a condition is read only where
 * it compares counters and number literals (`<`, `<=`, `>`, `>=`, `=`, `!=`, with `and`, `or`,
 * `$not`); anything else may be true or false. A counter not yet assigned, or given a value by an
 * expression it cannot follow, is unknown, and the unrolled graph then keeps every way on.
 *
 * Variables are scoped as AWS scopes them (and the interpreter, asl/variables.ts): a Parallel
 * branch or a Map iteration gets a scope of its own that reads the outer variables, and what it
 * assigns stays in it, gone when the branch or iteration ends; the Parallel's or Map's own Assign
 * (and its Catch's) sets the outer scope's. So a counter assigned inside a branch or iteration is
 * one value per run of that branch or iteration, unset again when a new one starts (the edge's
 * `enter` step, and a Retry of the Parallel or Map) and when the run leaves it; each is followed
 * along the graph as the branch or iteration goes, which is exact since the states of one branch
 * or iteration run one after another. A name assigned both in a scope and in one inside it is
 * not taken as a counter: AWS forbids it ("a variable assigned in an inner scope cannot have the
 * same name as one assigned in an outer scope", workflow-variables, Variable scope), and the
 * reason says so. A DISTRIBUTED Map's iterations are child executions, which read no variable of
 * the machine around them: a read there of a counter assigned outside is unknown.
 *
 * A loop bounded by elapsed time counts on the clock the same way. A variable is a clock variable
 * when every Assign of it anywhere in the machine reads the execution's clock
 * (`$states.context.State.EnteredTime`, `$states.context.Execution.StartTime`, `$now()`, in
 * JSONPath `$$.State.EnteredTime`, `$$.Execution.StartTime`), keeps it (`$t`, or
 * `$type($t) = "string" ? $t : <a clock read>`), or gives it a value that is no time (a number,
 * `false`, `null`, an object: no string, so no input and no written date can put a time in the
 * future there). Its slot holds how many milliseconds the run has at least waited since the time
 * it holds was read: 0 when it is read, plus a Wait's constant `Seconds` on the way out of each
 * Wait of its own scope (in a branch beside it the clock need not have moved), kept as it is kept.
 * A condition `$toMillis(<now>) + a <= $toMillis($t) + b` (or `<`, `>=`, `>`, either way round;
 * `<now>` the Choice's `$states.context.State.EnteredTime` or `$now()`) compares now - $t, at least
 * that wait, with b - a: once the wait is past it, the rule is known to fail (or, for `>=` and
 * `>`, to match). So a loop that goes round while little time has passed, and waits a positive
 * constant in every turn, ends after at most (b - a) / wait + 1 turns; one whose Wait can be 0, or
 * whose time can come from anywhere else (the input, a Task's answer, a date written in the
 * definition), stays a loop. The wait is capped just past the largest b - a the conditions read,
 * beyond which no rule changes, so the unrolled graph stays finite.
 *
 * A Map whose items the definition bounds (an Items array written in it, an ItemReader's
 * ReaderConfig.MaxItems) counts its iterations as a counter too: the first iteration of a run of
 * the Map sets it to 1, each further one adds 1 and is not taken past the bound. So a state inside
 * the Map is counted over every iteration, as the run's path counts it.
 */

/** Nodes the unrolled graph may have before verify gives up on it. */
const MAX_NODES = 20_000;

/** What the counters prove about a state's entries or a path's length. @internal */
export type CounterBound =
  | { readonly bounded: true; readonly count: number; readonly how: string }
  | { readonly bounded: false; readonly why: string };

/**
 * One counter in one scope: a value per run of that (sub-)machine. A Map whose items the
 * definition bounds has a slot too, counting the iterations of its current run (`items` set).
 */
interface Slot {
  readonly name: string;
  /** The pointer of the (sub-)machine that assigns it (`''` for the definition); for a Map's, the one the Map is in. */
  readonly scope: string;
  /** For a Map's slot: the Map, the most iterations one run of it has, and what sets that. */
  readonly items?: { readonly map: string; readonly most: number; readonly how: string; readonly given?: true };
  /**
   * For a Parallel's slot: the Parallel whose branch failed on the way (1) or not (unset), set
   * inside it only. A failed branch's later branches still run, and the Parallel then leaves
   * through the failure, never its normal exit (verify-graph's `failing` and `join` steps).
   */
  readonly failing?: string;
  /** For a clock variable's slot: the milliseconds waited past which no condition changes. */
  readonly since?: { readonly variable: string; readonly cap: number };
  /**
   * For the slot of a state a loop no bound of the definition limits goes back to: how often a
   * run of its branch or iteration has entered it, never past the user's bound (`loopTurns`).
   */
  readonly turns?: { readonly state: string; readonly most: number };
}

/** The slot name of a Map's iterations: a control character no Assign key the counters follow can hold keeps it apart from the variables. */
const itemSlot = (map: string): string => `\u0002items:${map}`;
/** The slot name of a loop's turns at `state`, apart from the variables as a Map's is. */
const turnSlot = (state: string): string => `\u0002turns:${state}`;
/** The slot name of a Parallel's mark that one of its branches failed. */
const failingSlot = (parallel: string): string => `\u0002failing:${parallel}`;

interface Unrolled {
  readonly counters: readonly string[];
  readonly slots: readonly Slot[];
  readonly nodes: readonly Node[];
  readonly start: number;
}

interface Node {
  readonly state: string;
  readonly values: readonly Value[];
  readonly next: number[];
}

const isEnd = (n: string): boolean => n.startsWith('#');

/**
 * The counters of a machine, each with the scopes that assign it: the variables a Choice reads
 * whose every assignment is a number or a counter plus a number, none in a scope inside another
 * that assigns it too.
 */
function countersOf(graph: MachineGraph, language: 'JSONPath' | 'JSONata', nested?: Map<string, readonly [string, string]>): Slot[] {
  const read = conditionVariables(graph);
  if (read.size === 0) return [];
  const forms = new Map<string, Update[]>();
  const scopes = new Map<string, Set<string>>();
  const refused = new Set<string>();
  for (const { assign, jsonata, scope } of assignsOf(graph, language)) {
    if (assign === null || typeof assign !== 'object' || Array.isArray(assign)) return [];
    for (const [key, value] of Object.entries(assign)) {
      const { name, expression } = keyOf(key, jsonata);
      const u = updateOf(value, jsonata, expression);
      if (u === undefined) refused.add(name);
      else forms.set(name, [...(forms.get(name) ?? []), u]);
      let at = scopes.get(name);
      if (!at) scopes.set(name, at = new Set());
      at.add(scope);
    }
  }
  // A name assigned in a scope and in one inside it: the inner scope's value hides the outer one.
  for (const [name, at] of scopes) {
    for (const a of at) {
      const inner = [...at].find((b) => holds(a, b));
      if (inner === undefined) continue;
      refused.add(name);
      if (read.has(name) && !nested?.has(name)) nested?.set(name, [a, inner]);
      break;
    }
  }
  // A counter set from a variable that is not one is not a counter either, until nothing changes.
  const counters = new Set([...forms.keys()].filter((n) => !refused.has(n)));
  for (let changed = true; changed;) {
    changed = false;
    for (const n of [...counters]) {
      if (forms.get(n)!.some((u) => u.kind === 'add' && !counters.has(u.from))) { counters.delete(n); changed = true; }
    }
  }
  // Only those a condition reads, and those they are set from, change which way a run goes.
  const wanted = new Set<string>();
  const want = (n: string): void => {
    if (!counters.has(n) || wanted.has(n)) return;
    wanted.add(n);
    for (const u of forms.get(n)!) if (u.kind === 'add') want(u.from);
  };
  for (const n of read) want(n);
  return [...wanted].sort().flatMap((name) => [...scopes.get(name)!].sort().map((scope) => ({ name, scope })));
}

/**
 * The clock variables of a machine: those a Choice's condition compares with now, every Assign of
 * which reads the clock, keeps it or gives it no time, none in a scope inside another that
 * assigns it too; each with the wait past which no condition changes.
 */
function clocksOf(graph: MachineGraph, language: 'JSONPath' | 'JSONata', nested?: Map<string, readonly [string, string]>): Slot[] {
  const limits = new Map<string, number>();
  const walk = (node: unknown): void => eachNode(node, (n) => {
    const c = clockComparison(n);
    if (c !== undefined) limits.set(c.variable, Math.max(limits.get(c.variable) ?? -Infinity, c.limit));
  });
  for (const [, state] of graph.states()) {
    if (state.Type !== 'Choice') continue;
    for (const r of state.Choices ?? []) {
      if (typeof r.Condition !== 'string') continue;
      const parsed = parseJsonata(stripDelimiters(r.Condition));
      if (!('error' in parsed)) walk(parsed.ast);
    }
  }
  if (limits.size === 0) return [];
  const scopes = new Map<string, Set<string>>();
  const refused = new Set<string>();
  for (const { assign, jsonata, scope } of assignsOf(graph, language)) {
    if (assign === null || typeof assign !== 'object' || Array.isArray(assign)) return [];
    for (const [key, value] of Object.entries(assign)) {
      const { name, expression } = keyOf(key, jsonata);
      if (!limits.has(name)) continue;
      if (clockUpdateOf(name, value, jsonata, expression) === undefined) refused.add(name);
      let at = scopes.get(name);
      if (!at) scopes.set(name, at = new Set());
      at.add(scope);
    }
  }
  for (const [name, at] of scopes) {
    for (const a of at) {
      const inner = [...at].find((b) => holds(a, b));
      if (inner === undefined) continue;
      refused.add(name);
      if (!nested?.has(name)) nested?.set(name, [a, inner]);
      break;
    }
  }
  const slots = [...scopes.keys()].filter((n) => !refused.has(n)).sort().flatMap((variable) => [...scopes.get(variable)!].sort()
    .map((scope) => ({ name: sinceSlot(variable), scope, since: { variable, cap: Math.max(0, limits.get(variable)! + 1) } })));
  // The execution's start: read once, before the first state, at the top level (a child execution
  // of a DISTRIBUTED Map has a start of its own, which the top level's slot is not read for).
  if (limits.has(START_TIME)) slots.push({ name: sinceSlot(START_TIME), scope: '', since: { variable: START_TIME, cap: Math.max(0, limits.get(START_TIME)! + 1) } });
  return slots;
}

/** The slots after a Wait of `state`'s: each clock slot of its scope that holds a wait has waited `Seconds` more. */
function afterWait(graph: MachineGraph, slots: Slots, state: string, values: readonly Value[]): readonly Value[] {
  const def = graph.states().get(state);
  if (def?.Type !== 'Wait') return values;
  const seconds = (def as { Seconds?: unknown }).Seconds;
  if (typeof seconds !== 'number' || !(seconds > 0)) return values;
  const pointer = graph.scopeOf(state)?.pointer ?? '';
  return values.map((v, i) => {
    const since = slots.slots[i].since;
    return since && slots.slots[i].scope === pointer && typeof v === 'number' ? Math.min(since.cap, v + seconds * 1000) : v;
  });
}

/** How the unrolled graph reads counters: a slot per counter and scope, and each scope's chain. */
class Slots {
  private readonly index = new Map<string, number>();
  private readonly chains = new Map<string, readonly string[]>();
  private readonly views = new Map<string, ReadonlyArray<readonly [string, number | undefined]>>();
  readonly names: readonly string[];

  constructor(graph: MachineGraph, readonly slots: readonly Slot[]) {
    slots.forEach((s, i) => this.index.set(`${s.name}\u0001${s.scope}`, i));
    this.names = [...new Set(slots.map((s) => s.name))];
    for (const [state] of graph.states()) {
      const pointer = graph.scopeOf(state)?.pointer ?? '';
      if (this.chains.has(pointer)) continue;
      const chain: string[] = [];
      for (let sc = graph.scopeOf(state); sc; sc = sc.parent) {
        chain.push(sc.pointer);
        // A DISTRIBUTED Map's iterations are child executions: nothing outside is read from them.
        const owner = sc.owner === undefined ? undefined : graph.definitionOf(sc.owner);
        if (owner?.Type === 'Map' && (processorOf(owner) as { ProcessorConfig?: { Mode?: unknown } } | undefined)?.ProcessorConfig?.Mode === 'DISTRIBUTED') {
          chain.push('#outside');
          break;
        }
      }
      this.chains.set(pointer, chain);
    }
  }

  /** The scopes a state at `pointer` reads, innermost first (`#outside` past a child execution's). */
  chain(pointer: string): readonly string[] {
    return this.chains.get(pointer) ?? [pointer];
  }

  /** The value each counter has, read from the scope at `pointer`, as the run reads it (the innermost that assigned it). */
  view(values: readonly Value[], pointer: string): Map<string, Value> {
    let plan = this.views.get(pointer);
    if (!plan) {
      const steps: Array<readonly [string, number | undefined]> = [];
      for (const name of this.names) {
        for (const sc of this.chain(pointer)) {
          if (sc === '#outside') {
            // Assigned outside the child execution: AWS gives it no value there; unknown.
            if (this.slots.some((s) => s.name === name && !this.chain(pointer).includes(s.scope))) steps.push([name, -1]);
            break;
          }
          const i = this.index.get(`${name}\u0001${sc}`);
          if (i !== undefined) steps.push([name, i]);
        }
      }
      this.views.set(pointer, plan = steps);
    }
    const out = new Map<string, Value>();
    for (const [name, i] of plan) {
      if (out.has(name) && out.get(name) !== 'unset') continue;
      out.set(name, i === -1 ? 'unknown' : values[i!]);
    }
    for (const name of this.names) if (!out.has(name)) out.set(name, 'unset');
    return out;
  }

  /** The slot of `name` in the scope at `pointer`. */
  slotOf(name: string, pointer: string): number | undefined {
    return this.index.get(`${name}\u0001${pointer}`);
  }

  /** The slot marking that a branch of Parallel `parallel` failed. */
  failingOf(parallel: string): number | undefined {
    const i = this.slots.findIndex((s) => s.failing === parallel);
    return i < 0 ? undefined : i;
  }

  /** The slot counting the iterations of Map `map`, when its items are bounded. */
  itemsOf(map: string): number | undefined {
    const i = this.slots.findIndex((s) => s.items?.map === map);
    return i < 0 ? undefined : i;
  }
}

/** The slots' values after one way along an edge, or undefined when no run takes it with these values. */
function follow(graph: MachineGraph, slots: Slots, label: EdgeLabel, values: readonly Value[]): Value[] | undefined {
  let at: Value[] = [...values];
  for (const step of label) {
    const next = applyStep(graph, slots, step, at);
    if (next === undefined) return undefined;
    at = next;
  }
  return at;
}

function applyStep(graph: MachineGraph, slots: Slots, step: EdgeStep, values: Value[]): Value[] | undefined {
  if (step.kind === 'rule' || step.kind === 'default') {
    const choice = graph.states().get(step.choice) as Extract<StateDefinition, { Type: 'Choice' }>;
    const at = slots.view(values, graph.scopeOf(step.choice)?.pointer ?? '');
    const rules = choice.Choices ?? [];
    const upTo = step.kind === 'rule' ? step.index : rules.length;
    // Rules are tried in order: every earlier one failed to match, and the taken one matched, with
    // one truth for each condition written in more than one place (it reads the same input and variables).
    const shared = sharedAtoms(rules);
    for (let pick = 0; pick < 2 ** shared.length; pick++) {
      // The i-th shared condition is true where the i-th binary digit of `pick` is 1.
      const fixed = new Map(shared.map((a, i) => [a, Math.floor(pick / 2 ** i) % 2 === 1]));
      let taken = true;
      for (let i = 0; i < upTo && taken; i++) taken = ruleTruth(rules[i], at, fixed).f;
      if (taken && step.kind === 'rule') taken = ruleTruth(rules[step.index], at, fixed).t;
      if (taken) return values;
    }
    return undefined;
  }
  if (step.kind === 'failing') {
    const i = slots.failingOf(step.parallel);
    if (i === undefined) return values;
    const out = [...values];
    out[i] = step.on ? 1 : 'unset';
    return out;
  }
  if (step.kind === 'join') {
    // A Parallel one of whose branches failed leaves through the failure, never by its Next.
    const i = slots.failingOf(step.parallel);
    return i !== undefined && values[i] === 1 ? undefined : values;
  }
  if (step.kind === 'enter') {
    // A new run of the branch or iteration: its variables, and those of every scope inside it, start unset.
    const out = values.map((v, i) => (!slots.slots[i].failing && (slots.slots[i].scope === step.scope || holds(step.scope, slots.slots[i].scope)) ? 'unset' : v));
    const i = step.item ? slots.itemsOf(step.item.map) : undefined;
    if (i === undefined) return out;
    // A Map's iteration: the first of a run of the Map, or one more, never past the items it can have.
    if (step.item!.first) {
      out[i] = 1;
    } else {
      const v = values[i];
      if (typeof v !== 'number') out[i] = 'unknown';
      else if (v >= slots.slots[i].items!.most) return undefined;
      else out[i] = v + 1;
    }
    return out;
  }
  const assign = step.assign;
  if (assign === null || typeof assign !== 'object' || Array.isArray(assign)) return values;
  // Every value of one Assign is computed from the values before it, read from the scope it sets.
  const at = slots.view(values, step.scope);
  const out = [...values];
  for (const [key, value] of Object.entries(assign)) {
    const { name, expression } = keyOf(key, step.jsonata);
    const clock = slots.slotOf(sinceSlot(name), step.scope);
    if (clock !== undefined) {
      const u = clockUpdateOf(name, value, step.jsonata, expression);
      const before = at.get(sinceSlot(name)) ?? 'unknown';
      out[clock] = u === 'read' ? 0 : u === 'clear' ? 'unset' : u === 'keep' ? before
        : u === 'keepOrRead' ? (typeof before === 'number' ? before : before === 'unset' ? 0 : 'unknown') : 'unknown';
      continue;
    }
    const slot = slots.slotOf(name, step.scope);
    if (slot === undefined) continue;
    const u = updateOf(value, step.jsonata, expression);
    if (u === undefined) {out[slot] = 'unknown';} else if (u.kind === 'const') {out[slot] = u.value;} else {
      const from = at.get(u.from);
      out[slot] = typeof from === 'number' ? from + u.delta : 'unknown';
    }
  }
  return out;
}

/** The graph unrolled over the counters' values; undefined when the machine has no counter or the unrolled graph is too large. */
function unroll(
  graph: MachineGraph, language: 'JSONPath' | 'JSONata', concurrent: boolean, nested?: Map<string, readonly [string, string]>,
  withTurns = true, withGiven = true,
): Unrolled | undefined | 'too large' {
  const items = itemSlots(graph).filter((s) => withGiven || !s.items?.given);
  const counted = [...countersOf(graph, language, nested), ...clocksOf(graph, language, nested), ...items];
  const bare = counted.length === 0 ? undefined : unrollOver(graph, counted, concurrent);
  const most = graph.loopTurns;
  if (!withTurns || most === undefined || bare === 'too large') return bare;
  // The user's bound on a loop's turns: a slot for each state a loop the definition leaves unbounded goes back to.
  const heads = loopHeads(graph, bare !== undefined ? bare.nodes : plainNodes(graph));
  if (heads.length === 0) return bare;
  const turns = heads.map((state) => ({ name: turnSlot(state), scope: graph.scopeOf(state)?.pointer ?? '', turns: { state, most } }));
  return unrollOver(graph, [...counted, ...turns], concurrent);
}

/** The graph unrolled over the values of `counted` (and the Parallels' failing marks). */
function unrollOver(graph: MachineGraph, counted: readonly Slot[], concurrent: boolean): Unrolled | 'too large' {
  const found = [...counted, ...failingSlots(graph)];
  const slots = new Slots(graph, found);
  const extra = concurrent ? graph.countingWays() : new Map<string, Map<string, EdgeLabel[]>>();
  const nodes: Node[] = [];
  const index = new Map<string, number>();
  const key = (state: string, values: readonly Value[]): string => `${state}\u0000${values.join(',')}`;
  /** A slot of a scope the state is not in holds nothing there: the run left that branch or iteration. */
  const live = (state: string, values: readonly Value[]): readonly Value[] => {
    const pointer = isEnd(state) ? '' : graph.scopeOf(state)?.pointer ?? '';
    const chain = isEnd(state) ? [''] : slots.chain(pointer);
    // A Map's count lives wherever the Map's own (sub-)machine does, a DISTRIBUTED Map's child executions too;
    // a Parallel's failing mark, inside the Parallel only.
    const around = isEnd(state) ? [] : graph.enclosingOf(state);
    return values.map((v, i) => {
      const slot = found[i];
      const kept = slot.failing !== undefined ? around.includes(slot.failing)
        : slot.items ? slot.scope === pointer || holds(slot.scope, pointer) : chain.includes(slot.scope);
      return kept ? v : 'unset';
    });
  };
  const add = (state: string, values0: readonly Value[]): number => {
    const values = live(state, values0);
    const k = key(state, values);
    const known = index.get(k);
    if (known !== undefined) return known;
    index.set(k, nodes.length);
    nodes.push({ state, values, next: [] });
    return nodes.length - 1;
  };
  const turnsAt = new Map<string, number>();
  found.forEach((slot, i) => { if (slot.turns) turnsAt.set(slot.turns.state, i); });
  // The execution started as the run did: no time has passed since, at the first state.
  const initial: Value[] = found.map((slot) => (slot.since?.variable === START_TIME ? 0 : 'unset'));
  if (turnsAt.has(graph.start)) initial[turnsAt.get(graph.start)!] = 1;
  const start = add(graph.start, initial);
  for (let i = 0; i < nodes.length; i++) {
    if (nodes.length > MAX_NODES) return 'too large';
    const { state, values } = nodes[i];
    if (isEnd(state)) continue;
    const targets = new Map<string, readonly EdgeLabel[]>(graph.successors(state).map((m) => [m, graph.waysOf(state, m)]));
    for (const [m, ways] of extra.get(state) ?? []) targets.set(m, [...(targets.get(m) ?? []), ...ways]);
    const next = new Set<number>();
    // A Wait's time has passed on every way out of it, before its Assign reads the clock.
    const out = afterWait(graph, slots, state, values);
    for (const [m, ways] of targets) {
      const turn = turnsAt.get(m);
      for (const way of ways) {
        const after = follow(graph, slots, way, out);
        if (after === undefined) continue;
        if (turn !== undefined) {
          // One more entry of a loop's head in this run of its branch or iteration, never past the bound.
          const v = after[turn];
          if (typeof v === 'number' && v >= found[turn].turns!.most) continue;
          after[turn] = typeof v === 'number' ? v + 1 : 1;
        }
        next.add(add(m, after));
      }
    }
    nodes[i].next.push(...next);
  }
  return { counters: [...new Set(counted.filter((s) => !s.items && !s.since && !s.turns).map((s) => s.name))], slots: found, nodes, start };
}

/** A slot per Parallel of two branches or more, marking that one of its branches failed on the way. */
function failingSlots(graph: MachineGraph): Slot[] {
  const out: Slot[] = [];
  for (const [name, def] of graph.states()) {
    if (def.Type === 'Parallel' && (def.Branches?.length ?? 0) > 1 && graph.keeps(name)) out.push({ name: failingSlot(name), scope: '', failing: name });
  }
  return out;
}

/** A slot per Map whose items the definition bounds (MachineGraph.itemBound), in the scope the Map is in. */
function itemSlots(graph: MachineGraph): Slot[] {
  const out: Slot[] = [];
  for (const [name, def] of graph.states()) {
    if (def.Type !== 'Map' || !graph.keeps(name)) continue;
    const bound = graph.itemBound(name);
    if (bound) out.push({ name: itemSlot(name), scope: graph.scopeOf(name)?.pointer ?? '', items: { map: name, most: bound.items, how: bound.how, ...(bound.given ? { given: true as const } : {}) } });
  }
  return out;
}

/** The most nodes `counts` accepts on one path of the unrolled graph from its start; undefined when a loop runs through one. */
function mostOnAPath(u: Unrolled, counts: (n: Node) => boolean): number | undefined {
  const comps = components(u.nodes);
  const compOf = new Int32Array(u.nodes.length);
  comps.forEach((c, i) => { for (const n of c) compOf[n] = i; });
  const best = new Float64Array(comps.length);
  // Sinks first: every component a component leads to is done before it.
  for (let i = 0; i < comps.length; i++) {
    const c = comps[i];
    const looped = c.length > 1 || u.nodes[c[0]].next.includes(c[0]);
    const here = c.filter((n) => counts(u.nodes[n])).length;
    if (looped && here > 0) {
      best[i] = Infinity;
      continue;
    }
    let after = 0;
    for (const n of c) for (const m of u.nodes[n].next) if (compOf[m] !== i) after = Math.max(after, best[compOf[m]]);
    best[i] = here + after;
  }
  const got = best[compOf[u.start]];
  return Number.isFinite(got) ? got : undefined;
}

/** What the graph was unrolled over, in words: the counters, and the iterations of the Maps with bounded items. */
function unrolledWords(u: Unrolled): string {
  return [
    ...u.counters.map((c) => `$${c}`),
    ...clockNames(u).map((c) => (c === START_TIME ? 'the time waited since the execution started' : `the time waited since $${c} read the clock`)),
    ...u.slots.filter((s) => s.items).map((s) => `the iterations of Map '${s.items!.map}'`),
    ...u.slots.filter((s) => s.turns).map((s) => `the turns back to '${s.turns!.state}'`),
  ].join(', ');
}

/** The clock variables the graph was unrolled over. */
function clockNames(u: Unrolled): string[] {
  return [...new Set(u.slots.filter((s) => s.since).map((s) => s.since!.variable))];
}

/** The values each counter holds at a state, in words. */
function valuesAt(u: Unrolled, state: string): string {
  const parts: string[] = [];
  u.slots.forEach((slot, i) => {
    if (slot.items || slot.failing || slot.since || slot.turns) return;
    const seen = new Set<Value>();
    for (const n of u.nodes) if (n.state === state) seen.add(n.values[i]);
    const numbers = [...seen].filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
    const other = [...seen].filter((v) => typeof v !== 'number');
    const shown = numbers.length > 6 ? [...numbers.slice(0, 3).map(String), '…', ...numbers.slice(-2).map(String)] : numbers.map(String);
    const where = slot.scope === '' ? '' : ` (in ${scopeWords(slot.scope)})`;
    parts.push(`$${slot.name}${where} ${[...shown, ...other.map((o) => (o === 'unset' ? 'unassigned' : 'unknown'))].join(', ') || 'never'}`);
  });
  return parts.join('; ');
}

/** A branch or iteration's scope, in words: `/States/P/Branches/1` is branch 2 of 'P'. */
function scopeWords(pointer: string): string {
  const m = /\/States\/((?:[^/]|~[01])+)\/(?:Branches\/(\d+)|ItemProcessor|Iterator)$/.exec(pointer);
  if (!m) return pointer;
  const owner = m[1].replace(/~1/g, '/').replace(/~0/g, '~');
  return m[2] !== undefined ? `branch ${Number(m[2]) + 1} of '${owner}'` : `each iteration of '${owner}'`;
}

function counterWords(u: Unrolled): string {
  const parts: string[] = [];
  if (u.counters.length > 0) {
    const names = u.counters.map((c) => `$${c}`).join(', ');
    parts.push(`the counter${u.counters.length === 1 ? '' : 's'} ${names} (every Assign of ${u.counters.length === 1 ? 'it' : 'them'} gives a number or adds a number, and a Choice compares ${u.counters.length === 1 ? 'it' : 'them'} with numbers)`);
  }
  const clocks = clockNames(u).filter((c) => c !== START_TIME);
  if (clockNames(u).includes(START_TIME)) {
    parts.push('the clock (a Choice goes round only while little time has passed since the execution started, $states.context.Execution.StartTime, and a Wait of constant seconds in the loop moves the clock on)');
  }
  if (clocks.length > 0) {
    const names = clocks.map((c) => `$${c}`).join(', ');
    parts.push(`the clock (${names}: every Assign of ${clocks.length === 1 ? 'it' : 'them'} reads the execution's clock, keeps ${clocks.length === 1 ? 'it' : 'them'} or gives no time; `
      + 'a Choice goes round only while little time has passed since, and a Wait of constant seconds in the loop moves the clock on)');
  }
  const maps = u.slots.filter((s) => s.items).map((s) => `Map '${s.items!.map}' runs at most ${s.items!.most} iteration${s.items!.most === 1 ? '' : 's'} a run of it (${s.items!.how})`);
  if (maps.length > 0) parts.push(`the items of its Maps (${maps.join('; ')})`);
  const heads = u.slots.filter((s) => s.turns).map((s) => `'${s.turns!.state}'`);
  if (heads.length > 0) parts.push(`${turnsWords(u.slots.find((s) => s.turns)!.turns!.most)} (a run goes back to ${heads.join(', ')} at most that many times)`);
  return parts.join(' and ');
}

/**
 * The user's bound on a loop's turns, in words: a verdict resting on it says so, as it holds for
 * the runs within it only. @internal
 */
export function turnsWords(most: number): string {
  return `the bound given on a loop's turns (loopTurns, --max-loop-turns: ${most} per run of its branch or iteration)`;
}

/** Why a name a Choice reads was not taken as a counter: AWS's rule on a name assigned in a scope and one inside it. */
function nestedWords(nested: ReadonlyMap<string, readonly [string, string]>): string {
  if (nested.size === 0) return '';
  const each = [...nested].map(([name, [outer, inner]]) => `$${name} is assigned both in ${outer === '' ? 'the top level of the machine' : scopeWords(outer)} and in ${scopeWords(inner)}`);
  return `; ${each.join(', ')}, which AWS's variables page forbids ("a variable assigned in an inner scope cannot have the same name as one assigned in an outer scope", https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html#variable-scope), so verify takes no such name as a counter: rename the inner one`;
}

/**
 * The most times a path of the graph enters `state`, with the loops through it bounded by the
 * machine's counters; not bounded when no counter bounds them.
 * @internal
 */
export function entriesBound(graph: MachineGraph, language: 'JSONPath' | 'JSONata', state: string): CounterBound {
  const nested = new Map<string, readonly [string, string]>();
  // With the ways branches and iterations side by side add: the run's path counts every one.
  const u = unroll(graph, language, true, nested);
  if (u === undefined) return { bounded: false, why: `no variable the machine counts in bounds it${nestedWords(nested)}${clockBoundWhy(graph, language, state)}` };
  if (u === 'too large') return { bounded: false, why: `unrolled over its counters' values, the graph has more than ${MAX_NODES} nodes` };
  const most = mostOnAPath(u, (n) => n.state === state);
  if (most === undefined) return { bounded: false, why: `no counter bounds it: unrolled over the values of ${unrolledWords(u)}, a loop still runs through it${nestedWords(nested)}${clockBoundWhy(graph, language, state)}` };
  return {
    bounded: true,
    count: most,
    how: `its loops are bounded by ${counterWords(u)}: unrolled over their values (at '${state}': ${valuesAt(u, state)}), no path of the graph enters '${state}' more than ${most} time${most === 1 ? '' : 's'}`,
  };
}

/**
 * The most states a path of the graph enters, with every loop bounded by the machine's counters
 * (and a Parallel's failure after its branches counted as the graph counts it); not bounded when
 * a loop no counter bounds remains.
 * @internal
 */
export function lengthBound(graph: MachineGraph, language: 'JSONPath' | 'JSONata'): CounterBound {
  const nested = new Map<string, readonly [string, string]>();
  const u = unroll(graph, language, true, nested);
  if (u === undefined) return { bounded: false, why: `no variable the machine counts in bounds its loops${nestedWords(nested)}${clockBoundWhy(graph, language)}` };
  if (u === 'too large') return { bounded: false, why: `unrolled over its counters' values, the graph has more than ${MAX_NODES} nodes` };
  const most = mostOnAPath(u, (n) => !isEnd(n.state));
  if (most === undefined) return { bounded: false, why: `unrolled over the values of ${unrolledWords(u)}, a loop still remains${nestedWords(nested)}${clockBoundWhy(graph, language)}` };
  return { bounded: true, count: most, how: `its loops are bounded by ${counterWords(u)}: unrolled over their values, the graph's longest path enters ${most} states` };
}

/** History events one entry of a state may write at most, its Retry's attempts counted (each attempt a few events). */
const EVENTS_PER_ENTRY = 6;
const EVENTS_PER_ATTEMPT = 5;

/**
 * Whether every run within the bounds the graph is unrolled over (the user's on a loop's turns
 * among them) writes fewer history events than AWS's limit: its longest path, each state taken
 * at the most events an entry of any state may write (its attempts, every retrier's MaxAttempts).
 */
function withinHistory(graph: MachineGraph, language: 'JSONPath' | 'JSONata'): boolean {
  const length = lengthBound(graph, language);
  if (!length.bounded) return false;
  let most = EVENTS_PER_ENTRY;
  for (const [, def] of graph.states()) {
    const retry = (def as { Retry?: ReadonlyArray<{ MaxAttempts?: unknown }> }).Retry ?? [];
    const attempts = retry.reduce((n, r) => n + (typeof r.MaxAttempts === 'number' ? r.MaxAttempts : DEFAULT_MAX_ATTEMPTS), 0);
    most = Math.max(most, EVENTS_PER_ENTRY + EVENTS_PER_ATTEMPT * attempts);
  }
  return length.count * most < AwsLimits.HISTORY_EVENTS;
}

/**
 * The states on a loop a run may go round with no bound the counters prove, loops that only start
 * a turn `setApart` bounds otherwise (a Map's next item, a Parallel's or Map's Retry) left out:
 * the graph unrolled over its counters' values, and the states of every loop that remains in it
 * (`loops`: each loop's, one set per strongly connected part of the unrolled graph).
 * Without counters, or when the unrolled graph is too large, every loop of the graph is kept.
 * @internal
 */
export function loopingStates(
  graph: MachineGraph, language: 'JSONPath' | 'JSONata', setApart: (from: string, to: string) => boolean,
): { readonly states: ReadonlySet<string>; readonly why: string; readonly loops: ReadonlyArray<ReadonlySet<string>> } {
  const nested = new Map<string, readonly [string, string]>();
  let u = unroll(graph, language, false, nested);
  let past = '';
  if (u !== undefined && u !== 'too large' && u.slots.some((s) => s.turns || s.items?.given) && !withinHistory(graph, language)) {
    // Within the user's bounds a run can still reach the history limit: they cut nothing there.
    u = unroll(graph, language, false, nested, false, false);
    past = '; within the bounds given on loops and Maps a run can still reach the history limit';
  }
  let nodes: ReadonlyArray<{ readonly state: string; readonly next: readonly number[] }>;
  let why: string;
  if (u === undefined || u === 'too large') {
    nodes = plainNodes(graph);
    why = u === undefined ? `no variable the machine counts in bounds it${nestedWords(nested)}${clockBoundWhy(graph, language)}` : `unrolled over its counters' values, the graph has more than ${MAX_NODES} nodes`;
  } else {
    nodes = u.nodes;
    why = `unrolled over the values of ${unrolledWords(u)}, it still runs${nestedWords(nested)}${clockBoundWhy(graph, language)}`;
  }
  why += past;
  const kept = nodes.map((n) => ({ next: n.next.filter((m) => !setApart(n.state, nodes[m].state)) }));
  const states = new Set<string>();
  const loops: Array<Set<string>> = [];
  for (const c of components(kept)) {
    if (c.length > 1 || kept[c[0]].next.includes(c[0])) {
      const loop = new Set(c.map((n) => nodes[n].state).filter((n) => !isEnd(n)));
      for (const n of loop) states.add(n);
      loops.push(loop);
    }
  }
  return { states, why, loops };
}
