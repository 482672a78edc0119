import type { DomainAnswer, WorkBudget } from './domain';
import {
  coerce, describeDemand, describeOrigin, holds, listed, show, swapOp,
  type Family, type Literal, type Op, type TypeTest,
} from './literals';
import { effectiveOp, solveNumber } from './numbers';
import { applyAt, readTarget, type BindingTarget } from './paths';
import { solveString } from './strings';
import type { NodeInfo, NodeTable, World } from './world';
import type { JsonValue } from '../../asl';

/** The types a node's value may have; `absent` when there is none. */
export type ValueType = 'absent' | 'null' | 'boolean' | 'number' | 'string' | 'object' | 'array';

const PRESENT: readonly ValueType[] = ['null', 'boolean', 'number', 'string', 'object', 'array'];
/** The order types are tried in when the value now does not do: simplest first. */
const PREFERENCE: readonly ValueType[] = ['number', 'string', 'boolean', 'null', 'object', 'array', 'absent'];
const NOUNS: Record<ValueType, string> = {
  absent: 'absent', null: 'null', boolean: 'a boolean', number: 'a number', string: 'a string', object: 'an object', array: 'an array',
};
const FAMILY_TYPE: Record<Family, ValueType> = { numeric: 'number', string: 'string', timestamp: 'string', boolean: 'boolean' };
const TEST_TYPE: Record<TypeTest, ValueType> = { IsNull: 'null', IsNumeric: 'number', IsString: 'string', IsBoolean: 'boolean', IsTimestamp: 'string' };
const FAMILY_TEST: Record<Family, TypeTest> = { numeric: 'IsNumeric', string: 'IsString', timestamp: 'IsTimestamp', boolean: 'IsBoolean' };
const FAMILY_NOUN: Record<Family, string> = { numeric: 'a number', string: 'a string', timestamp: 'a timestamp', boolean: 'a boolean' };

/** How many values one node offers to the search over `…Path` comparisons. */
const VALUES_PER_NODE = 4;
/** How many nodes' values the search over one group of `…Path` comparisons may try. */
const COMPONENT_BUDGET = 200;

/** The type of a value. */
export function typeOf(value: JsonValue | undefined): ValueType {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as ValueType;
}

/** The types in which a literal can hold. */
function allowedTypes(lit: Literal): readonly ValueType[] {
  const atom = lit.atom;
  switch (atom.kind) {
    case 'never': return [];
    case 'present': return lit.positive ? PRESENT : ['absent'];
    case 'type': {
      const type = TEST_TYPE[atom.test];
      if (lit.positive) return [type];
      // A string that is not a timestamp is still a string.
      return atom.test === 'IsTimestamp' ? PRESENT : PRESENT.filter((t) => t !== type);
    }
    case 'matches': return lit.positive ? ['string'] : PRESENT;
    case 'compare':
    case 'comparePath': return lit.positive ? [FAMILY_TYPE[atom.family]] : PRESENT;
  }
}

/** A requirement on the type of a node's value, with what it asks and why, in words. */
interface Demand {
  readonly allowed: readonly ValueType[];
  readonly what: string;
  readonly why: string;
  /** The literals it comes from; a conflict among demands is proved only when none of them is a choice. */
  readonly lits: readonly Literal[];
}

/** A node's answer: values (best first), a proved contradiction, or undecided. */
type NodeAnswer =
  | { readonly kind: 'values'; readonly values: ReadonlyArray<JsonValue | undefined> }
  | { readonly kind: 'conflict'; readonly reason: string; readonly lits: readonly Literal[] }
  | { readonly kind: 'unknown'; readonly reason: string };

/** What one conjunction of literals comes to. */
export type ConjunctionAnswer =
  | { readonly kind: 'sat'; readonly changes: ReadonlyArray<{ readonly node: NodeInfo; readonly value: JsonValue | undefined }>; readonly documents: BindingTarget }
  | { readonly kind: 'conflict'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as JsonValue[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const oa = a as Record<string, JsonValue>;
  const ob = b as Record<string, JsonValue>;
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(ob, k) && deepEqual(oa[k], ob[k]));
}

/** Orders nodes parents first, then by their steps (indexes as numbers), so every run visits them alike. */
function compareNodes(a: NodeInfo, b: NodeInfo): number {
  if (a.depth !== b.depth) return a.depth - b.depth;
  const ra = JSON.stringify(a.root);
  const rb = JSON.stringify(b.root);
  if (ra !== rb) return ra < rb ? -1 : 1;
  for (let i = 0; i < a.steps.length; i++) {
    const x = a.steps[i];
    const y = b.steps[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
    return (x as string) < (y as string) ? -1 : 1;
  }
  return 0;
}

/** Per node: its literals and what its children need of it. */
interface NodeWork {
  readonly info: NodeInfo;
  readonly own: Literal[];
  /** `…Path` literals of other nodes that read this one. */
  readonly readBy: Literal[];
  /** Why the node must exist, when it must. */
  mustExist: { readonly what: string; readonly why: string; readonly lits: readonly Literal[] } | undefined;
  /** The container each kind of child step needs, with the child that needs it. */
  readonly holds: Map<'object' | 'array', Demand>;
  /** The decided value. */
  decided: boolean;
  value: JsonValue | undefined;
}

/**
 * Solves one conjunction of literals: finds values for the nodes they read
 * (changing only what must change), proves them contradictory, or says why
 * it cannot decide.
 */
export class Conjunction {
  private readonly work = new Map<string, NodeWork>();
  private readonly order: NodeWork[];
  /** Literals made by putting a value chosen in a search into a `…Path` comparison: conflicts that involve them prove nothing. */
  private readonly chosen = new WeakSet<Literal>();
  private documents: BindingTarget;

  constructor(lits: readonly Literal[], private readonly table: NodeTable, private readonly world: World, private readonly budget: WorkBudget) {
    budget.spend(lits.length);
    const touch = (key: string): NodeWork => {
      let w = this.work.get(key);
      if (w === undefined) {
        w = { info: table.get(key), own: [], readBy: [], mustExist: undefined, holds: new Map(), decided: false, value: undefined };
        this.work.set(key, w);
        const parent = w.info.parent;
        if (parent !== undefined) touch(parent);
      }
      return w;
    };
    const assumed = new Set<string>();
    const addLit = (lit: Literal): void => {
      touch(lit.node).own.push(lit);
      if (lit.atom.kind === 'comparePath' && lit.atom.other !== lit.node) touch(lit.atom.other).readBy.push(lit);
      const reads = lit.atom.kind === 'comparePath' ? [lit.node, lit.atom.other] : [lit.node];
      // Through a negative index the node is the one it is only for one array length: nothing about it proves anything.
      if (reads.some((key) => table.get(key).viaNegative)) this.chosen.add(lit);
      if (lit.atom.kind === 'present' && !lit.positive) return;
      for (const key of reads) {
        for (let k: string | undefined = key; k !== undefined; k = table.get(k).parent) {
          for (const a of table.assumptions.get(k) ?? []) {
            if (assumed.has(a.last)) continue;
            assumed.add(a.last);
            const origin = { where: lit.origin.where, rule: a.why, want: true };
            const keep: Literal = { node: a.last, atom: { kind: 'present' }, positive: true, origin };
            const stop: Literal = { node: a.beyond, atom: { kind: 'present' }, positive: false, origin };
            this.chosen.add(keep);
            this.chosen.add(stop);
            addLit(keep);
            addLit(stop);
          }
        }
      }
    };
    for (const lit of lits) addLit(lit);
    for (const copy of this.carriedAlongComparisons(lits)) addLit(copy);
    this.order = [...this.work.values()].sort((a, b) => compareNodes(a.info, b.info));
    for (const w of this.order) this.world.valueAt(w.info.root, w.info.steps);
    this.documents = this.world.documents();
  }

  /**
   * What a true `…Path` comparison carries from one side to the other. Two
   * nodes a true NumericEqualsPath, StringEqualsPath or BooleanEqualsPath
   * joins hold one and the same value, so every other literal on either holds
   * for both. An order (`a < b`, and timestamps' equality, where equal
   * instants may be written differently) carries bounds: a lower bound of the
   * lower side is one of the higher side, an upper bound of the higher side
   * one of the lower. Carried literals let a contradiction between the two
   * sides be proved like one on a single node.
   */
  private carriedAlongComparisons(lits: readonly Literal[]): Literal[] {
    const links = lits.filter((l) => l.positive && l.atom.kind === 'comparePath' && l.atom.other !== l.node);
    if (links.length === 0) return [];
    const carried: Literal[] = [];
    const seen = new Set<string>();
    let frontier = lits.filter((l) => l.atom.kind !== 'comparePath');
    const carry = (lit: Literal, to: string, link: Literal, atom: Literal['atom'], out: Literal[]): void => {
      const key = JSON.stringify([to, atom, lit.positive && atom === lit.atom, lit.origin]);
      if (seen.has(key)) return;
      seen.add(key);
      const copy: Literal = {
        node: to,
        atom,
        positive: atom === lit.atom ? lit.positive : true,
        origin: { ...lit.origin, rule: `${lit.origin.rule}, carried to ${this.table.get(to).text} by ${link.origin.where} (${link.origin.rule})` },
      };
      if (this.chosen.has(lit) || this.chosen.has(link)) this.chosen.add(copy);
      out.push(copy);
    };
    // Each round carries one step further along chains of comparisons.
    for (let round = 0; round < links.length && frontier.length > 0; round++) {
      const next: Literal[] = [];
      for (const link of links) {
        const atom = link.atom as { family: Family; op: Op; other: string };
        const a = link.node;
        const b = atom.other;
        for (const lit of frontier) {
          if (lit.node !== a && lit.node !== b) continue;
          const to = lit.node === a ? b : a;
          if (atom.op === 'Equals' && atom.family !== 'timestamp') {
            carry(lit, to, link, lit.atom, next);
            continue;
          }
          if (lit.atom.kind !== 'compare' || lit.atom.family !== atom.family || atom.family === 'boolean') continue;
          // Both sides are of the family (the link is true), so a negative literal is a bound too.
          const eff = effectiveOp(lit.atom.op, lit.positive);
          const isLower = eff === 'GreaterThan' || eff === 'GreaterThanEquals' || eff === 'Equals';
          const isUpper = eff === 'LessThan' || eff === 'LessThanEquals' || eff === 'Equals';
          // Seen from lit's node: is the other side at least (or at most) this one?
          const op = lit.node === a ? atom.op : swapOp(atom.op);
          const otherIsHigher = op === 'LessThan' || op === 'LessThanEquals' || op === 'Equals';
          const otherIsLower = op === 'GreaterThan' || op === 'GreaterThanEquals' || op === 'Equals';
          const strictLink = op === 'LessThan' || op === 'GreaterThan';
          if (isLower && otherIsHigher) {
            const strict = strictLink || eff === 'GreaterThan';
            carry(lit, to, link, { kind: 'compare', family: atom.family, op: strict ? 'GreaterThan' : 'GreaterThanEquals', operand: lit.atom.operand }, next);
          }
          if (isUpper && otherIsLower) {
            const strict = strictLink || eff === 'LessThan';
            carry(lit, to, link, { kind: 'compare', family: atom.family, op: strict ? 'LessThan' : 'LessThanEquals', operand: lit.atom.operand }, next);
          }
        }
      }
      carried.push(...next);
      frontier = next;
    }
    return carried;
  }

  /** Solves the conjunction. */
  solve(): ConjunctionAnswer {
    const structural = this.checkStructure();
    if (structural) return structural;
    // Containers first, parents before children: what they hold is decided by what their children need.
    for (const w of this.order) {
      if (w.holds.size === 0 || w.info.fixed) continue;
      const [kind] = [...w.holds.keys()];
      const now = this.valueNow(w);
      const fits = kind === 'object' ? typeOf(now) === 'object' : typeOf(now) === 'array';
      this.decide(w, fits ? now : kind === 'object' ? {} : []);
    }
    const changes: Array<{ node: NodeInfo; value: JsonValue | undefined }> = [];
    for (const w of this.order) {
      if (w.decided) continue;
      if (w.info.fixed) {
        w.decided = true;
        w.value = this.valueNow(w);
        continue;
      }
      const group = this.pathGroup(w);
      const answer = group.length > 1 ? this.solveGroup(group) : this.solveAlone(w);
      if (answer) return answer;
      for (const member of group) {
        const before = this.valueNow(member);
        if (!deepEqual(before, member.value)) {
          changes.push({ node: member.info, value: member.value });
          this.documents = applyAt(this.documents, member.info.root, member.info.steps, member.value);
        }
      }
    }
    return { kind: 'sat', changes, documents: this.documents };
  }

  private valueNow(w: NodeWork): JsonValue | undefined {
    return readTarget(this.documents, w.info.root, w.info.steps);
  }

  private decide(w: NodeWork, value: JsonValue | undefined): void {
    w.decided = true;
    w.value = value;
    this.documents = applyAt(this.documents, w.info.root, w.info.steps, value);
  }

  /**
   * What the nodes' nesting proves: a node that must be absent but holds one
   * that must exist, one read as an object and as an array, an array that
   * must hold an index but not an earlier one, a value the engine cannot
   * change that the rules need otherwise, and types no value has.
   */
  private checkStructure(): ConjunctionAnswer | undefined {
    for (let i = this.order.length - 1; i >= 0; i--) {
      const w = this.order[i];
      const needing = w.own.find((l) => !(l.atom.kind === 'present' && !l.positive)) ?? w.readBy[0];
      if (needing && !w.mustExist) w.mustExist = { what: describeDemand(needing), why: describeOrigin(needing.origin), lits: [needing] };
      const now = w.info.fixed ? this.valueNow(w) : undefined;
      if (w.info.fixed && now !== undefined && !w.mustExist) {
        w.mustExist = { what: 'present', why: `${w.info.text} is there now and cannot be changed`, lits: [] };
      }
      const parent = w.info.parent === undefined ? undefined : this.work.get(w.info.parent);
      if (!w.mustExist || !parent) continue;
      const step = w.info.steps[w.info.steps.length - 1];
      const kind = typeof step === 'number' ? 'array' : 'object';
      if (!parent.holds.has(kind)) {
        parent.holds.set(kind, {
          allowed: [kind],
          what: `${NOUNS[kind]} holding ${w.info.text}`,
          why: `${w.info.text} must be ${w.mustExist.what}: ${w.mustExist.why}`,
          lits: w.mustExist.lits,
        });
      }
      parent.mustExist ??= { what: NOUNS[kind], why: `it holds ${w.info.text}, which must exist (${w.mustExist.why})`, lits: w.mustExist.lits };
    }
    for (const w of this.order) {
      const demands = this.demands(w, w.own.concat(w.readBy));
      const conflict = typeConflict(w.info.text, demands);
      if (conflict) return this.conflict(conflict.reason, conflict.lits);
      if (w.holds.get('array')) {
        const arrayConflict = this.arrayOrder(w);
        if (arrayConflict) return arrayConflict;
      }
      if (w.info.fixed) {
        const now = this.valueNow(w);
        for (const lit of w.own) {
          const other = lit.atom.kind === 'comparePath' ? this.fixedValue(lit.atom.other) : undefined;
          if (lit.atom.kind === 'comparePath' && other === FREE) continue;
          if (!holds(lit, now, other as JsonValue | undefined)) {
            const reason = `${w.info.text} is ${now === undefined ? 'absent' : show(now)} and explore cannot steer it (it is computed in a way explore cannot invert, or comes from neither the execution input nor a Task result), but must be ${describeDemand(lit)} (${describeOrigin(lit.origin)})`;
            return this.conflict(reason, [lit]);
          }
        }
      }
    }
    return undefined;
  }

  private fixedValue(key: string): JsonValue | undefined | typeof FREE {
    const w = this.work.get(key)!;
    return w.info.fixed ? this.valueNow(w) : FREE;
  }

  /** An array can hold index i only with every index before it. */
  private arrayOrder(w: NodeWork): ConjunctionAnswer | undefined {
    const indexOf = (n: NodeWork): number => n.info.steps[n.info.steps.length - 1] as number;
    let highestNeeded: NodeWork | undefined;
    let lowestBarred: { w: NodeWork; lit: Literal } | undefined;
    for (const child of this.order) {
      if (child.info.parent !== w.info.key) continue;
      const step = child.info.steps[child.info.steps.length - 1];
      if (typeof step !== 'number' || step < 0) continue;
      if (child.mustExist && (!highestNeeded || step > indexOf(highestNeeded))) highestNeeded = child;
      const barring = child.own.find((l) => l.atom.kind === 'present' && !l.positive);
      if (barring && (!lowestBarred || step < indexOf(lowestBarred.w))) lowestBarred = { w: child, lit: barring };
    }
    if (!highestNeeded || !lowestBarred || indexOf(highestNeeded) < indexOf(lowestBarred.w)) return undefined;
    return this.conflict(
      `an array holding ${highestNeeded.info.text} (which must be ${highestNeeded.mustExist!.what}: ${highestNeeded.mustExist!.why}) also holds ${lowestBarred.w.info.text}, which must be absent (${describeOrigin(lowestBarred.lit.origin)})`,
      [...highestNeeded.mustExist!.lits, lowestBarred.lit],
    );
  }

  private conflict(reason: string, lits: readonly Literal[]): ConjunctionAnswer {
    return lits.some((l) => this.chosen.has(l)) ? { kind: 'unknown', reason } : { kind: 'conflict', reason };
  }

  /** The type demands of a node: its literals, its children, and that the input and the Context Object exist. */
  private demands(w: NodeWork, lits: readonly Literal[]): Demand[] {
    const out: Demand[] = [];
    if (w.info.steps.length === 0 && w.info.root.kind !== 'variable') {
      out.push({ allowed: PRESENT, what: 'present', why: `the ${w.info.root.kind === 'input' ? 'state input' : 'Context Object'} always exists`, lits: [] });
    }
    for (const lit of lits) {
      const otherText = lit.atom.kind === 'comparePath' ? this.table.get(lit.atom.other).text : undefined;
      const onThis = lit.node === w.info.key;
      out.push({
        allowed: allowedTypes(lit),
        what: onThis ? describeDemand(lit, otherText) : `read by ${lit.origin.rule}`,
        why: describeOrigin(lit.origin),
        lits: [lit],
      });
    }
    for (const demand of w.holds.values()) out.push(demand);
    return out;
  }

  /** The nodes joined to `w` by `…Path` comparisons that are still to be decided, in visiting order. */
  private pathGroup(w: NodeWork): NodeWork[] {
    const members = new Set<NodeWork>([w]);
    const queue = [w];
    while (queue.length > 0) {
      const next = queue.pop()!;
      const neighbours = [
        ...next.own.filter((l) => l.atom.kind === 'comparePath').map((l) => (l.atom as { other: string }).other),
        ...next.readBy.map((l) => l.node),
      ];
      for (const key of neighbours) {
        const n = this.work.get(key)!;
        if (n.decided || n.info.fixed || members.has(n)) continue;
        members.add(n);
        queue.push(n);
      }
    }
    return this.order.filter((n) => members.has(n));
  }

  /**
   * The literals on `w` with every `…Path` comparison made concrete where the
   * other side is decided; one whose other side is not decided yet keeps
   * only what it says about `w`'s type.
   */
  private effectiveLits(w: NodeWork): Literal[] {
    const out: Literal[] = [];
    let original: Literal;
    const add = (lit: Literal, chosen: boolean): void => {
      out.push(lit);
      if (chosen || this.chosen.has(original)) this.chosen.add(lit);
    };
    for (const lit of w.own.concat(w.readBy)) {
      original = lit;
      if (lit.atom.kind !== 'comparePath') {
        add(lit, false);
        continue;
      }
      const atom = lit.atom;
      if (lit.node === atom.other) {
        // x op x: true for a value of the family when op allows equality, false otherwise.
        const reflexive = atom.op === 'Equals' || atom.op === 'LessThanEquals' || atom.op === 'GreaterThanEquals';
        if (reflexive) add({ ...lit, atom: { kind: 'type', test: FAMILY_TEST[atom.family] } }, false);
        else if (lit.positive) add({ ...lit, atom: { kind: 'never', why: `${atom.op === 'LessThan' ? 'less' : 'greater'} than itself` } }, false);
        else add({ ...lit, atom: { kind: 'present' }, positive: true }, false);
        continue;
      }
      const otherKey = lit.node === w.info.key ? atom.other : lit.node;
      const other = this.work.get(otherKey)!;
      if (!other.decided && !other.info.fixed) {
        // Not decided yet: what the literal needs of this side's type, no more.
        const test: TypeTest = FAMILY_TEST[atom.family];
        add({ ...lit, node: w.info.key, atom: lit.positive ? { kind: 'type', test } : { kind: 'present' }, positive: true }, false);
        continue;
      }
      const value = other.decided ? other.value : this.valueNow(other);
      // Containers and values the engine cannot change are forced; any other decided value was a choice.
      const chosen = !other.info.fixed && other.holds.size === 0;
      const operand = value === undefined ? undefined : coerce(atom.family, value);
      if (value === undefined) {
        add({ ...lit, node: w.info.key, atom: { kind: 'never', why: `compared with ${other.info.text}, which is absent (a States.Runtime error)` } }, chosen);
      } else if (operand === undefined) {
        // The other side is not of the family: the comparison is false.
        if (lit.positive) add({ ...lit, node: w.info.key, atom: { kind: 'never', why: `compared with ${other.info.text}, which is ${show(value)}, not ${FAMILY_NOUN[atom.family]}` } }, chosen);
        else add({ ...lit, node: w.info.key, atom: { kind: 'present' }, positive: true }, chosen);
      } else {
        const op = lit.node === w.info.key ? atom.op : swapOp(atom.op);
        add({ ...lit, node: w.info.key, atom: { kind: 'compare', family: atom.family, op, operand: value } }, chosen);
      }
    }
    return out;
  }

  private solveAlone(w: NodeWork): ConjunctionAnswer | undefined {
    const answer = this.solveNode(w, this.effectiveLits(w), 1);
    if (answer.kind === 'values') {
      w.decided = true;
      w.value = answer.values[0];
      return undefined;
    }
    return answer.kind === 'conflict' ? this.conflict(answer.reason, answer.lits) : answer;
  }

  /** Searches values for nodes joined by `…Path` comparisons, in order, each against those before it. */
  private solveGroup(group: readonly NodeWork[]): ConjunctionAnswer | undefined {
    let budget = COMPONENT_BUDGET;
    let proved: { reason: string; lits: readonly Literal[] } | undefined;
    let undecided: string | undefined;
    const assign = (i: number): boolean => {
      if (i === group.length) return true;
      if (budget-- <= 0) return false;
      const w = group[i];
      const lits = this.effectiveLits(w);
      const answer = this.solveNode(w, lits, VALUES_PER_NODE);
      if (answer.kind === 'conflict') {
        if (!answer.lits.some((l) => this.chosen.has(l))) proved ??= answer;
        else undecided ??= answer.reason;
        return false;
      }
      if (answer.kind === 'unknown') {
        undecided ??= answer.reason;
        return false;
      }
      for (const value of answer.values) {
        w.decided = true;
        w.value = value;
        if (assign(i + 1)) return true;
        if (proved) break;
      }
      w.decided = false;
      w.value = undefined;
      return false;
    };
    if (assign(0)) return undefined;
    for (const w of group) w.decided = false;
    if (proved) return { kind: 'conflict', reason: proved.reason };
    const names = group.map((w) => w.info.text).join(', ');
    return {
      kind: 'unknown',
      reason: `found no values of ${names} that satisfy their …Path comparisons together${undecided ? ` (last: ${undecided})` : ''}${budget <= 0 ? `; gave up after ${COMPONENT_BUDGET} tries` : ''}`,
    };
  }

  /** Values for one node, best first: the value it has now when that does. */
  private solveNode(w: NodeWork, lits: readonly Literal[], want: number): NodeAnswer {
    const demands = this.demands(w, lits.filter((l) => l.node === w.info.key));
    const conflict = typeConflict(w.info.text, demands);
    if (conflict) return { kind: 'conflict', ...conflict };
    const allowed = PRESENT.concat(['absent']).filter((t) => demands.every((d) => d.allowed.includes(t)));
    const now = this.valueNow(w);
    const onThis = lits.filter((l) => l.node === w.info.key && l.atom.kind !== 'comparePath');
    const fits = (v: JsonValue | undefined): boolean => allowed.includes(typeOf(v)) && onThis.every((l) => holds(l, v));
    const values: Array<JsonValue | undefined> = [];
    if (fits(now)) values.push(now);
    // The type it has now, then the types its rules compare (a string for a pattern that must not match), then the simplest.
    const mentioned = onThis.flatMap((l): ValueType[] => {
      if (l.atom.kind === 'compare') return [FAMILY_TYPE[l.atom.family]];
      if (l.atom.kind === 'matches') return ['string'];
      return l.atom.kind === 'type' && l.positive ? [TEST_TYPE[l.atom.test]] : [];
    });
    const types = [...new Set<ValueType>([typeOf(now), ...mentioned, ...PREFERENCE])].filter((t) => allowed.includes(t));
    const failures: Array<{ type: ValueType; answer: DomainAnswer<unknown> }> = [];
    for (const type of types) {
      if (values.length >= want) break;
      const answer = this.valuesOfType(type, onThis, now, want);
      if (answer.kind !== 'values') {
        failures.push({ type, answer });
        continue;
      }
      let added = false;
      for (const v of answer.values) {
        if (!fits(v as JsonValue | undefined)) continue;
        added = true;
        if (values.length < want && !values.some((x) => deepEqual(x, v as JsonValue | undefined))) values.push(v as JsonValue | undefined);
      }
      // A value the domain offered that the literals refuse would be a slip of the domain: never count it as proof.
      if (!added) failures.push({ type, answer: { kind: 'unknown', reason: `no ${NOUNS[type]} offered for it passed its rules` } });
    }
    if (values.length > 0) return { kind: 'values', values };
    const unknown = failures.find((f) => f.answer.kind === 'unknown');
    if (unknown) return { kind: 'unknown', reason: `${w.info.text}: ${(unknown.answer as { reason: string }).reason}` };
    const parts: string[] = [];
    const involved: Literal[] = [];
    for (const { type, answer } of failures) {
      if (answer.kind !== 'conflict') continue;
      const words = answer.lits.map((lit, i) => `${answer.words[i]} (${describeOrigin(lit.origin)})`);
      parts.push(`${NOUNS[type]} that is ${listed(words, ' and ')}`);
      involved.push(...answer.lits);
    }
    if (types.length === 1) return { kind: 'conflict', reason: `${w.info.text} cannot be ${parts[0]}`, lits: involved };
    // Several types were possible and each failed; name what ruled out the others too.
    for (const t of PRESENT.concat(['absent'])) {
      if (types.includes(t)) continue;
      const d = demands.find((x) => !x.allowed.includes(t));
      if (d) involved.push(...d.lits);
    }
    return { kind: 'conflict', reason: `${w.info.text} fits no value: it cannot be ${parts.join(', nor ')}; and ${describeTypeDemands(demands)}`, lits: involved };
  }

  private valuesOfType(type: ValueType, lits: readonly Literal[], now: JsonValue | undefined, want: number): DomainAnswer<JsonValue | undefined> {
    switch (type) {
      case 'absent': return { kind: 'values', values: [undefined] };
      case 'null': return { kind: 'values', values: [null] };
      case 'boolean': {
        const values = [typeof now === 'boolean' ? now : true, true, false].filter((v) => lits.every((l) => holds(l, v)));
        if (values.length > 0) return { kind: 'values', values };
        const blocking = lits.filter((l) => l.atom.kind === 'compare' && l.atom.family === 'boolean');
        return { kind: 'conflict', lits: blocking, words: blocking.map((l) => `${l.positive ? '=' : '≠'} ${show((l.atom as { operand: unknown }).operand)}`) };
      }
      case 'number': return solveNumber(lits.filter((l) => l.atom.kind === 'compare' && l.atom.family === 'numeric'), now, want);
      case 'string': return solveString(lits, now, want, this.budget);
      case 'object': return { kind: 'values', values: [typeOf(now) === 'object' ? now : {}] };
      case 'array': return { kind: 'values', values: [Array.isArray(now) ? now : []] };
    }
  }
}

const FREE = Symbol('free');

/** Two demands no type satisfies together, or all of them when no pair shows it. */
function typeConflict(text: string, demands: readonly Demand[]): { reason: string; lits: Literal[] } | undefined {
  const all = PRESENT.concat(['absent']);
  if (all.some((t) => demands.every((d) => d.allowed.includes(t)))) return undefined;
  for (let i = 0; i < demands.length; i++) {
    for (let j = i + 1; j < demands.length; j++) {
      const a = demands[i];
      const b = demands[j];
      if (!a.allowed.some((t) => b.allowed.includes(t))) {
        return { reason: `${text} must be ${a.what} (${a.why}) and ${b.what} (${b.why})`, lits: [...a.lits, ...b.lits] };
      }
    }
  }
  return { reason: `${text} fits no type: ${describeTypeDemands(demands)}`, lits: demands.flatMap((d) => d.lits) };
}

function describeTypeDemands(demands: readonly Demand[]): string {
  return listed(demands.map((d) => `it must be ${d.what} (${d.why})`), '; ');
}
