import { applyWrites } from './apply-writes';
import { solveBranch } from './choices';
import { REPAIRABLE, type Attempt, type Exploration, type RunRecord } from './context';
import type { StateInfo } from './goals';
import { invert, invertible, itemsFound } from './inverse';
import { steerAll, type Want } from './jsonata-inverse';
import { setAt } from './plan';
import type { Provenance } from './provenance';
import { fits, intrinsicCalls, placeholder, readsOf, scopeValue, selectedOf, type Expect, type Read, type Write } from './reads';
import { parseBindingPath } from './solve';
import { readTarget } from './solve/paths';
import { throughArrays, type Computed, type Source, type Step } from './sources';
import type { Visit } from './visits';
import type { ChoiceState, JsonValue } from '../asl';
import { detailsOf, factsOf } from '../asl/history-events';
import { INTRINSIC_FAILURE, isIntrinsicFailure } from '../asl/intrinsics/functions';
import { fieldResultOf } from '../asl/jsonata/causes';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { followSteps } from '../asl/path';
import { stateField } from '../asl/state-tree';
import { StatesErrors } from '../asl/states-errors';

/** States that failed without ending a run that explore tries to repair, per run. */
const MAX_STRANDED = 8;

/*
 * Repairs: a run that failed because a state read a value that is missing or
 * of the wrong kind (explore made the data up) gets the value written where
 * it comes from; a run that looped gets a way out of its loop.
 */

/**
 * The visit where a failed run failed: the one AWS's cause names ("… the
 * state 'X' (entered at the event id #N)"), else the last one entered that
 * did not exit, the innermost when it is a Parallel or Map.
 */
export function failingVisit(x: Exploration, rec: RunRecord): Visit | undefined {
  const visits = x.visitsOf(rec).visits;
  const id = /\(entered at the event id #(\d+)\)/.exec(rec.result.cause ?? '')?.[1];
  if (id !== undefined) {
    const named = visits.find((v) => v.entered.id === Number(id));
    if (named) return named;
  }
  let found: Visit | undefined;
  for (let i = visits.length - 1; i >= 0; i--) {
    const v = visits[i];
    if (v.exited) continue;
    if (!found || !v.events.some((e) => e.type.endsWith('StateAborted'))) found = v;
    if (!v.events.some((e) => e.type.endsWith('StateAborted'))) break;
  }
  while (found && found.children.some((c) => !c.exited)) found = [...found.children].reverse().find((c) => !c.exited);
  return found;
}

/**
 * States that failed in a run without ending it, perhaps for want of a value:
 * the innermost one where a Map iteration stopped, when the Map went on (it
 * tolerated the failure), one that failed on a value inside a Parallel a Catch
 * took on, and one a Catch took on though no call failed (its
 * input, parameters, Output or Assign did). The run's own failing one is not among them.
 */
export function strandedVisits(x: Exploration, rec: RunRecord, failing: Visit | undefined): Visit[] {
  const out: Visit[] = [];
  for (const v of x.visitsOf(rec).visits) {
    const def = x.states.get(v.name)?.def;
    if (v === failing || !def) continue;
    if (!v.exited) {
      if (!v.children.every((c) => c.exited !== undefined)) continue;
      // Inside a Parallel a Catch took on (a Saga's step, a TryCatch): a state there that failed on a value is stranded too.
      const own = v.outcome;
      const onValue = own === undefined || (!own.ok && REPAIRABLE.has(own.error));
      for (let up = v.parent; up; up = up.parent) {
        if (up.exited === undefined) continue;
        if (up.entered.type === 'MapStateEntered' || (onValue && up.caught)) out.push(v);
        break;
      }
      continue;
    }
    const next = v.next?.name;
    // Caught though no call failed: its input, arguments, Output or Assign did (a value explore made up was missing).
    const o = v.outcome;
    const noCallFailed = o === undefined || o.ok || REPAIRABLE.has(o.error);
    // A Catch that leads where its Next does is told by the failure the visit shows before it exited.
    const caught = next !== def.Next || (o !== undefined && !o.ok);
    if (noCallFailed && caught && next !== undefined && (def.Catch ?? []).some((c) => c.Next === next)) out.push(v);
  }
  return out;
}

/** The error a Catch took a visit on with, as its error output (`{Error, Cause}`) shows it in the next state's input. */
function caughtError(x: Exploration, v: Visit): string | undefined {
  const def = x.states.get(v.name)?.def;
  const next = v.next;
  if (!def || !next || x.states.get(v.name)?.language !== 'JSONPath') return undefined;
  const errors = new Set<string>();
  for (const c of def.Catch ?? []) {
    if (c.Next !== next.name || c.ResultPath === null) continue;
    const steps = parseBindingPath(c.ResultPath ?? '$');
    if ('error' in steps || steps.root.kind !== 'input') continue;
    const found = readTarget({ input: next.input }, { kind: 'input' }, steps.steps);
    const error = found !== null && typeof found === 'object' && !Array.isArray(found) ? found.Error : undefined;
    if (typeof error === 'string') errors.add(error);
  }
  return errors.size === 1 ? [...errors][0] : undefined;
}

/** A plan that gives a failed run what the failing state lacked, or the reason it cannot. */
export async function repair(x: Exploration, rec: RunRecord): Promise<Attempt | undefined> {
  const r = rec.result;
  if (r.status !== 'FAILED' || r.error === undefined || !REPAIRABLE.has(r.error)) {
    const failing = r.status === 'FAILED' ? failingVisit(x, rec) : undefined;
    // The run ended on another error that a missing value caused: an iteration that failed on one failed its Map (past its tolerated failures).
    const own = failing?.outcome;
    if (failing && own && !own.ok && REPAIRABLE.has(own.error) && x.states.get(failing.name)?.def.Type !== 'Choice') {
      const attempt = await repairReads(x, rec, failing, x.states.get(failing.name)!, own.error);
      if (!('reason' in attempt)) return attempt;
    }
    // The run did not end on a missing value; a state it passed by may have failed on one (one stopped with it reads all it needs).
    return repairStranded(x, rec, failing);
  }
  const v = failingVisit(x, rec);
  const info = v ? x.states.get(v.name) : undefined;
  if (!v || !info) return undefined;
  let attempt: Attempt;
  // A Choice fails for want of a branch (no rule matched, or one failed on a value), or on what its Output or Assign reads.
  const reads = info.def.Type === 'Choice' && r.error !== StatesErrors.NO_CHOICE_MATCHED ? await repairReads(x, rec, v, info) : undefined;
  if (reads !== undefined && !('reason' in reads)) {
    attempt = reads;
  } else if (info.def.Type === 'Choice') {
    attempt = { reason: 'no branch could be taken' };
    const branches: Array<number | 'default'> = [...info.def.Choices.map((_c, i) => i), ...(info.def.Default !== undefined ? ['default' as const] : [])];
    const why: string[] = [];
    for (const b of branches) {
      const solved = await solveBranch(x, rec, v, b);
      if (!('reason' in solved)) { attempt = solved; break; }
      why.push(`${b === 'default' ? 'Default' : `Choices[${b}]`}: ${solved.reason}`);
    }
    if ('reason' in attempt) attempt = { reason: `it failed with ${r.error}, and no branch could be taken: ${why.join('; ')}` };
  } else {
    attempt = await repairReads(x, rec, v, info);
  }
  if (!('reason' in attempt)) return attempt;
  // What it lacks may come from a state that failed on a value before it without ending the run (an iteration a Map tolerated).
  const earlier = await repairStranded(x, rec, v);
  if (earlier !== undefined) return earlier;
  x.stateTrouble.set(v.name, `fails with ${r.error} (${r.cause ?? 'no cause'}), and explore could not give it what it needs: ${attempt.reason}`);
  return attempt;
}

/** A plan that gives the first stranded state of a run (see strandedVisits) what it lacked, if one can be given it. */
async function repairStranded(x: Exploration, rec: RunRecord, failing: Visit | undefined): Promise<Attempt | undefined> {
  for (const stranded of strandedVisits(x, rec, failing).slice(0, MAX_STRANDED)) {
    const info = x.states.get(stranded.name)!;
    if (info.def.Type !== 'Choice') {
      const attempt = await repairReads(x, rec, stranded, info, stranded.exited ? caughtError(x, stranded) : undefined);
      if (!('reason' in attempt)) return attempt;
      continue;
    }
    for (const b of [...info.def.Choices.map((_c, i) => i), ...(info.def.Default !== undefined ? ['default' as const] : [])]) {
      const solved = await solveBranch(x, rec, stranded, b);
      if (!('reason' in solved)) return solved;
    }
  }
  return undefined;
}

/** What a reason adds when a state reads the execution's ARN in a STANDARD run. */
const EXPRESS_HINT = '$$.Execution.Id is the ARN of a STANDARD execution: if the machine is EXPRESS, give --type EXPRESS';

/** Writes what a visit read that was missing or of the wrong kind; `error` is what it failed with, when known. */
export async function repairReads(x: Exploration, rec: RunRecord, v: Visit, info: StateInfo, error = rec.result.error): Promise<Attempt> {
  const prov = x.provenanceOf(rec);
  const executionInput = x.visitsOf(rec).input;
  const writes: Write[] = [];
  // What each read lacked, written where it comes from, after the computations steered (see heldBy).
  const plain: Array<{ write: Write; expect: Expect }> = [];
  const why: string[] = [];
  const steering = new Map<string, { whole: JsonValue | undefined; writes: Write[] }>();
  const slotsTaken = new Map<string, Map<string, Set<number>>>();
  // Reads of places one JSONata expression computes are steered together: their wants, by computation.
  const jsonata = new Map<string, { computed: Computed; wants: Want[]; field: string }>();
  // A Parallel's or Map's result is what its branches or iterations gave: a read of it is written where they took it from.
  const result = prov.resultOf(v);
  for (const read of readsOf(info)) {
    if ((read.scope === 'result' || read.scope === 'selected') && result === undefined) continue;
    const base = read.scope === 'item' && info.def.Type === 'Map' && info.def.ItemReader !== undefined
      ? x.readerItems(rec, v)?.[0]
      : read.scope === 'result' ? result
        : read.scope === 'selected' ? selectedOf(v, info, executionInput, result, true) : scopeValue(v, info, read.scope, executionInput);
    if (base === undefined && read.scope !== 'raw') continue;
    // A JSONata path maps a field over an array: `Items.id` reads each item's id, the first of them here.
    const steps = info.language === 'JSONata' ? throughArrays(base, read.steps) : read.steps;
    let value: JsonValue | undefined = base;
    for (const s of steps) {
      if (value === null || typeof value !== 'object') { value = undefined; break; }
      value = Array.isArray(value) ? (typeof s === 'number' ? value[s] : undefined) : (typeof s === 'string' && Object.prototype.hasOwnProperty.call(value, s) ? value[s] : undefined);
      if (value === undefined) break;
    }
    if (fits(value, read.expect)) continue;
    // `$$.Map.Item.Index` / `.Value` a Map's ItemSelector reads AWS gives each item: never missing, though the Map's own
    // visit has none. Outside a Map's ItemSelector (its ResultSelector, its Items, any other state) no run has them, and the
    // reason says so.
    const itemContext = info.def.Type === 'Map' && read.field.startsWith('ItemSelector');
    if (itemContext && read.scope === 'context' && read.steps[0] === 'Map' && read.steps[1] === 'Item') continue;
    if (read.scope === 'context' && !(read.steps[0] === 'Execution' && read.steps[1] === 'Input')) {
      // Named as the state writes it: `$states.context.…` in JSONata, `$$.…` in JSONPath.
      const context = info.language === 'JSONata' ? '$states.context' : '$$';
      why.push(`${read.field} reads ${context}.${read.steps.join('.')} from the Context Object, which explore cannot change`);
      // An execution's ARN names its type: an EXPRESS one has one field more (express:…:name:id), which a split may count on.
      if (read.steps.length === 2 && read.steps[0] === 'Execution' && read.steps[1] === 'Id' && x.runner.type === 'STANDARD' && !why.includes(EXPRESS_HINT)) why.push(EXPRESS_HINT);
      continue;
    }
    const source = sourceOfRead(prov, v, steps === read.steps ? read : { ...read, steps });
    const wanted = read.seed ?? seedFor(x, read.expect, steps) ?? placeholder(read.expect, steps);
    if (source.kind === 'fixed' && source.computed?.fn === 'JSONata' && invertible(source.computed)) {
      const key = JSON.stringify([source.computed.params?.jsonata?.where, source.computed.params?.jsonata?.node.position]);
      const entry = jsonata.get(key) ?? { computed: source.computed, wants: [], field: read.field };
      // What the expression gives there need only be of the kind the read takes, not the placeholder.
      entry.wants.push({ steps: source.computed.steps, value: wanted, defined: true, expect: read.expect });
      jsonata.set(key, entry);
      continue;
    }
    if (source.kind === 'fixed' && source.computed && invertible(source.computed)) {
      // Two fields of one computed value (two fields of a Map item that States.StringToJson made) are written together, or the second undoes the first.
      const key = JSON.stringify({ ...source.computed, steps: [] });
      const entry = steering.get(key);
      const whole = setAt(entry?.whole ?? computedWhole(base, steps, source.computed.steps), source.computed.steps, wanted);
      // Filters over one built array (a Parallel's branches) each take items the others did not.
      const group = source.computed.fn === 'JSONPath.filterSlots' ? JSON.stringify(source.computed.args) : undefined;
      const others = new Set<number>();
      for (const [k, taken] of group !== undefined ? slotsTaken.get(group) ?? [] : []) if (k !== key) for (const n of taken) others.add(n);
      const taken = new Set(others);
      const steered = invert(source.computed, whole, taken);
      if (!('reason' in steered)) {
        steering.set(key, { whole, writes: steered });
        if (group !== undefined) {
          const mine = new Set([...taken].filter((n) => !others.has(n)));
          slotsTaken.set(group, new Map([...slotsTaken.get(group) ?? [], [key, mine]]));
        }
        continue;
      }
    }
    if (source.kind === 'fixed') {
      why.push(`${read.field} reads a value that comes from ${source.reason}`);
      continue;
    }
    plain.push({ write: { source, value: wanted }, expect: read.expect });
  }
  for (const entry of steering.values()) writes.push(...entry.writes);
  // A JSONata field that gave nothing, or a value of a kind the field does not take (a Map's `Items` that gave one object, as
  // a filter that keeps one item does): its expression is steered to give a value of that kind (its plain reads alone may not do).
  const failed = failedField(v);
  const siblings: Array<{ computed: Computed; wants: Want[]; field: string }> = [];
  const whole = failed !== undefined ? prov.jsonataField(v, failed.location) : undefined;
  if (failed !== undefined && whole?.kind === 'fixed' && whole.computed?.fn === 'JSONata') {
    const key = JSON.stringify([whole.computed.params?.jsonata?.where, whole.computed.params?.jsonata?.node.position]);
    const entry = jsonata.get(key) ?? { computed: whole.computed, wants: [], field: failed.location };
    const steps = whole.computed.steps;
    entry.wants.push({ steps, value: undefined, defined: true, ...(failed.expect !== undefined ? { expect: failed.expect } : {}) });
    // A list wanted for items holds one at least.
    if (failed.expect === 'array') entry.wants.push({ steps: [...steps, 0], value: undefined, defined: true });
    jsonata.set(key, entry);
    // The fields beside it that read what it reads (`$split($ref, '-')[3]` beside `$number($split($ref, '-')[2])`) are steered
    // with it, each to give something: a value one field needs that another then fails on only moves the failure along.
    const reads = new Set(whole.computed.args.flatMap((a) => (a.kind === 'source' ? [JSON.stringify(a.source)] : [])));
    for (const location of siblingFields(info, failed.location)) {
      const sibling = prov.jsonataField(v, location);
      if (sibling?.kind !== 'fixed' || sibling.computed?.fn !== 'JSONata' || !invertible(sibling.computed)) continue;
      if (!sibling.computed.args.some((a) => a.kind === 'source' && reads.has(JSON.stringify(a.source)))) continue;
      const at = JSON.stringify([sibling.computed.params?.jsonata?.where, sibling.computed.params?.jsonata?.node.position]);
      if (jsonata.has(at)) continue;
      siblings.push({ computed: sibling.computed, wants: [{ steps: sibling.computed.steps, value: undefined, defined: true }], field: location });
    }
  }
  // With the fields beside it first; when no one value serves them all (two filters that each keep other items), the failed
  // field alone, as before: the next run's failure, if any, is then repaired in turn.
  const together = siblings.length > 0 ? await steerAll(x, [...jsonata.values(), ...siblings]) : undefined;
  if (together !== undefined && !('reason' in together)) {
    writes.push(...together);
  } else if (jsonata.size > 0) {
    const steered = await steerAll(x, [...jsonata.values()], true);
    if ('reason' in steered) why.push(`${[...jsonata.values()].map((e) => e.field).join(', ')} read${jsonata.size > 1 ? '' : 's'} a value that ${steered.reason}`);
    else writes.push(...steered);
  }
  writes.push(...plain.filter((p) => !heldBy(p.write, p.expect, writes)).map((p) => p.write));
  // A write under another lands after it, so that both hold: the steered items of
  // `$map($states.result.Items, function($i) { $number($i.size.N) })` keep the numeric string the read of N wrote.
  writes.sort((a, b) => depthOf(a.source) - depthOf(b.source));
  const rp = info.language === 'JSONPath' && error === StatesErrors.RESULT_PATH_MATCH_FAILURE ? info.def.ResultPath : undefined;
  if (typeof rp === 'string' && rp !== '$') {
    const steps = parseBindingPath(rp);
    if (!('error' in steps)) {
      for (let k = 0; k < steps.steps.length; k++) {
        const prefix = steps.steps.slice(0, k);
        const at = readTarget({ input: v.input }, { kind: 'input' }, prefix);
        if (at !== undefined && (at === null || typeof at !== 'object' || Array.isArray(at))) {
          writes.push({ source: prov.rawInput(v, prefix), value: {} });
          break;
        }
      }
    }
  }
  // AWS reports a failed intrinsic as States.Runtime (INTRINSIC_FAILURE), as it reports a path that finds nothing: the cause tells them apart.
  if (error === INTRINSIC_FAILURE && refusedByIntrinsic(x, rec, v)) {
    for (const call of intrinsicCalls(info)) {
      if (call.on !== 'input' && result === undefined) continue;
      const source = prov.expression(v, call.text, call.on);
      if (source.kind === 'fixed' && source.computed) writes.push(...itemsFound(source.computed));
    }
  }
  // A Choice's Condition that gave nothing is given what it lacked, no more: a value it read that is there was what took the
  // run to this rule (a wanted status), and the steered Condition may have changed it instead (a `$status = "PENDING" and
  // $number($total) >= 500` made defined by another status); without one missing, every branch is then tried (repair).
  if (info.def.Type === 'Choice') {
    const missing = writes.filter((w) => heldNow(x, rec, w.source) === undefined);
    writes.length = 0;
    writes.push(...missing);
  }
  if (writes.length === 0) return { reason: why.length > 0 ? why.join('; ') : 'explore found nothing missing that it can write' };
  return applyWrites(x, rec, writes);
}

/** The value a run had where a write goes (its input or a call's answer), undefined where it had none or explore cannot tell. */
function heldNow(x: Exploration, rec: RunRecord, s: Source): JsonValue | undefined {
  if (s.kind === 'input') return followSteps(x.visitsOf(rec).input, s.steps);
  if (s.kind === 'task') {
    const outcome = rec.calls.get(s.state)?.[s.invocation];
    return outcome?.kind === 'return' ? followSteps(outcome.value, s.steps) : undefined;
  }
  return undefined;
}

/** True when a visit failed because an intrinsic function refused its arguments: its last failure's cause, or the run's when the run failed there, says so. */
function refusedByIntrinsic(x: Exploration, rec: RunRecord, v: Visit): boolean {
  for (let i = v.events.length - 1; i >= 0; i--) {
    const f = factsOf(v.events[i]);
    if (f.error !== undefined) return isIntrinsicFailure(f.error, f.cause);
  }
  return failingVisit(x, rec) === v && isIntrinsicFailure(rec.result.error, rec.result.cause);
}

/**
 * Whether a read's write lands at or inside a value a steered computation wrote, which already holds
 * there a value the read takes, of the kind the read would write: the item `$filter($states.input.tickets,
 * function($t) { $t.status = "open" })` was given to keep (`{"status": "open"}`) keeps its status,
 * where the read of `tickets[0].status` alone would write a placeholder text over it, which the
 * function then keeps out. A value of another kind (a `true` where a DynamoDB `S` wants a text) is
 * still written over.
 */
function heldBy(w: Write, expect: Expect, steered: readonly Write[]): boolean {
  const { steps, ...where } = w.source as Source & { steps?: readonly Step[] };
  if (!Array.isArray(steps)) return false;
  const place = JSON.stringify(where);
  return steered.some((s) => {
    const { steps: at, ...there } = s.source as Source & { steps?: readonly Step[] };
    if (!Array.isArray(at) || at.length > steps.length || JSON.stringify(there) !== place || !at.every((st, i) => steps[i] === st)) return false;
    const held = followSteps(s.value ?? null, steps.slice(at.length));
    return fits(held, expect) && kindOf(held) === kindOf(w.value);
  });
}

function kindOf(v: JsonValue | undefined): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** How deep in its value a write lands (Array.prototype.sort is stable: writes as deep keep their order). */
function depthOf(source: Source): number {
  return source.kind === 'input' || source.kind === 'task' ? source.steps.length : 0;
}

/** The kinds a JSONata field that gave a value of another kind names (asl/jsonata/causes.ts, written by compile.ts's expectType), as reads expect them. */
const EXPECTED_KINDS: Readonly<Record<string, Expect>> = { array: 'array', object: 'object', string: 'string', number: 'number', integer: 'integer', boolean: 'boolean' };

/**
 * The field of a visit whose JSONata expression gave nothing, threw (`$number` of a text that is no
 * number, a part `$split` did not give), or gave a value of a kind the field does not take (its
 * EvaluationFailed event's location), with the kind it takes; undefined if none did.
 */
function failedField(v: Visit): { location: string; expect?: Expect } | undefined {
  for (const e of v.events) {
    if (e.type !== 'EvaluationFailed') continue;
    const d = detailsOf(e);
    if (typeof d?.location !== 'string' || typeof d.cause !== 'string') continue;
    const result = fieldResultOf(d.cause);
    if (result === undefined) continue;
    if ('nothing' in result || 'threw' in result) return { location: d.location };
    const kind = result.expected;
    const expect = Object.hasOwn(EXPECTED_KINDS, kind) ? EXPECTED_KINDS[kind] : undefined;
    if (expect !== undefined) return { location: d.location, expect };
  }
  return undefined;
}

/** The most fields beside a failed one that are steered with it. */
const MAX_SIBLINGS = 16;

/**
 * The other JSONata fields of the part of a state a failed field sits in (`Assign/seq`: the other
 * variables of its `Assign`; `Arguments/Payload/id`: the other expressions of its `Arguments`),
 * as locations `prov.jsonataField` reads, in the order they are written.
 */
function siblingFields(info: StateInfo, location: string): string[] {
  const [top] = location.split('/');
  const out: string[] = [];
  const walk = (node: JsonValue | undefined, at: string, depth: number): void => {
    if (out.length >= MAX_SIBLINGS || depth > 8) return;
    if (typeof node === 'string') {
      if (at !== location && isJsonataExpression(node)) out.push(at);
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${at}/${i}`, depth + 1));
    } else if (node !== null && typeof node === 'object') {
      for (const [k, item] of Object.entries(node)) walk(item, `${at}/${k}`, depth + 1);
    }
  };
  walk(stateField(info.def, top), top, 0);
  return out;
}

/** The type-directed seed for a value a read takes: the kind the machine compares its field with, or an intrinsic's argument takes, when it fits the read. */
function seedFor(x: Exploration, expect: Read['expect'], steps: readonly Step[]): JsonValue | undefined {
  const last = [...steps].reverse().find((s) => typeof s === 'string');
  const seed = typeof last === 'string' && x.seeds.has(last) ? x.seeds.get(last) : undefined;
  return seed !== undefined && (expect === 'any' || fits(seed, expect)) ? seed : undefined;
}

/**
 * What a computed value holds now, as far as a read shows it: the read's base
 * sits at `computedSteps` minus the read's own steps under the value (under
 * an item of it when the read starts at a Map item), or the value sits under
 * the base.
 */
function computedWhole(base: JsonValue | undefined, steps: readonly Step[], computedSteps: readonly Step[]): JsonValue | undefined {
  if (computedSteps.length <= steps.length) return followSteps(base ?? null, steps.slice(0, steps.length - computedSteps.length));
  return setAt(undefined, computedSteps.slice(0, computedSteps.length - steps.length), base ?? {});
}

export function sourceOfRead(prov: Provenance, v: Visit, read: Read): Source {
  const scope = read.scope;
  if (scope === 'raw') return prov.rawInput(v, read.steps);
  if (scope === 'item') return prov.mapItem(v, 0, read.steps);
  if (scope === 'merged') return prov.mergedValue(v, read.steps);
  if (scope === 'result') return prov.taskResult(v, read.steps);
  if (scope === 'selected') return prov.selectedResult(v, read.steps);
  if (scope === 'input' || scope === 'context') return prov.scope(v, scope, read.steps);
  return prov.scope(v, scope, read.steps);
}

/**
 * A run that looped until the exploring limit: the plan that takes a way
 * out of the loop at a Choice it kept passing (its second pass, so the loop
 * runs once), or the reason none was found.
 */
export async function exitLoop(x: Exploration, rec: RunRecord): Promise<Attempt> {
  const visits = x.visitsOf(rec);
  const choices = [...visits.byState.entries()]
    .filter(([name, list]) => list.length >= 2 && x.states.get(name)?.def.Type === 'Choice')
    .sort((a, b) => b[1].length - a[1].length || a[1][0].index - b[1][0].index)
    .slice(0, 2);
  const why: string[] = [];
  for (const [name, list] of choices) {
    const def = x.states.get(name)!.def as ChoiceState;
    for (const v of [list[1], list[0]]) {
      const taken = x.visitsOf(rec).visits.find((w) => w.link.kind === 'after' && w.link.visit === v)?.name;
      const branches: Array<number | 'default'> = [...def.Choices.map((_c, i) => i), ...(def.Default !== undefined ? ['default' as const] : [])];
      for (const b of branches) {
        const target = b === 'default' ? def.Default : def.Choices[b].Next;
        if (target === taken) continue;
        const solved = await solveBranch(x, rec, v, b);
        if (!('reason' in solved)) return solved;
        why.push(`${name}#${b}: ${solved.reason}`);
      }
    }
  }
  return { reason: choices.length === 0 ? 'no Choice decides the loop' : why.join('; ') };
}

// ---- goals ----

