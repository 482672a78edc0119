import { parseJsonata, type JsonataNode } from './solve/jsonata-ast';

/*
 * Whether a JSONata expression can fail, read from its syntax tree: what verify's graph needs to
 * count a States.QueryEvaluationError only where some input or answer raises one. A field's
 * expression fails the state when it throws, gives nothing (undefined) or gives a function
 * (compileJsonataValue), and a Choice rule's Condition also when it gives anything but a
 * boolean (expectType). Each rule below is JSONata's own, as its documentation states it and as
 * the jsonata library behaves on every kind of JSON value and on undefined (the tests try them):
 *
 * - `=` and `!=` compare any two values, deeply, and give true or false (false when a side is
 *   undefined); `and` and `or` cast both sides to booleans; `in` tests membership in a value
 *   taken as an array: each gives a boolean and throws nothing but what its operands throw
 *   (docs.jsonata.org, "Comparison operators", "Boolean operators").
 * - `&` casts both sides to strings as `$string` does and always gives a string ("Other
 *   operators"); `$string` throws only on a number that is not finite (D3001), and no JSON
 *   value, nor anything this analysis lets through, is one (arithmetic, the only source of
 *   Infinity and NaN, counts as failing).
 * - `<`, `<=`, `>`, `>=` throw on a side that is not a number, a string or undefined (T2010) and
 *   on a number against a string (T2009): safe only when both sides are surely numbers, or both
 *   surely strings; undefined on either side gives undefined.
 * - `+ - * / %` throw on a side that is not a number (T2001, T2002) and may overflow: failing,
 *   but for `+ - *` on two numbers within 2^53 (or nothing, which gives nothing): no such sum,
 *   difference or product leaves JSON's numbers; and for `/` as below.
 * - A path never throws on any JSON: a step into a value that has no such field gives nothing.
 *   A filter throws only what its predicate throws. Sorting (`^( )`) compares items: failing.
 * - `? :` gives one of its branches (undefined without an else), its condition cast to boolean.
 * - Of the functions: `$exists` always gives a boolean and `$count` a number; `$boolean` and
 *   `$not` a boolean, `$string` a string, or undefined for an undefined argument; `$uppercase`,
 *   `$lowercase`, `$trim`, `$length` and `$contains` throw on an argument that is not a string
 *   (T0410), so count as safe only on one that surely is. `$merge` of an array constructor gives
 *   an object when each item is surely an object or nothing (its signature `<a<o>:o>` throws
 *   T0412 on any other item); `$states.input` is surely an object only where verify's input
 *   shapes say every path into the state gives one, and a field of it is there where every
 *   path into the state wrote it. `$type` names any value (nothing for nothing); `$toMillis`
 *   reads only a time the run's clock gave (`$states.context.State.EnteredTime`, the execution's
 *   StartTime: it throws D3110 on other text); `$append` throws on nothing. `$round` throws on
 *   what is not a number (T0410), `$sum`, `$min` and `$max` on an item that is not one (T0412):
 *   safe only on numbers (for `$sum`, within 2^53: see `aggregate`). Any other function counts as
 *   failing.
 * - `/` by a number written out that is at least 1 gives a number no larger than what it divides.
 *   Division by anything else may be by zero.
 * - A workflow variable holds what every Assign reaching the state may give it (verify-data
 *   follows them over the graph), or nothing, or JSONata's function of its name, before the
 *   first; in the branch a `$type($v) = "string"` condition guards, only a string.
 *
 * A name the workflow or the expression itself binds may hide one of JSONata's functions, so a
 * call through it counts as failing. Anything this analysis does not know counts as failing:
 * the error is only ever on the side of UNKNOWN, never of a wrong HOLDS.
 */

/**
 * What a value may be: a JSON kind, a function (or a value holding one), or nothing. Two kinds
 * narrow another: `timestamp`, a string AWS's clock gives (an ISO 8601 time, which `$toMillis`
 * reads), and `bounded`, a number no larger than 2^53 in magnitude (what `$toMillis` and `$count`
 * give), which a sum, difference or product of two of cannot take past JSON's numbers.
 * @internal
 */
export type Kind = 'null' | 'boolean' | 'number' | 'bounded' | 'summed' | 'string' | 'timestamp' | 'array' | 'object' | 'function' | 'undefined';
/** What a node may give, or FAILS when it may throw. @internal */
export type Kinds = ReadonlySet<Kind> | typeof FAILS;
/** @internal */
export const FAILS = 'fails';
/**
 * The kinds each kind narrows (a timestamp is a string, a bounded number a number). `summed` is
 * a sum of numbers within 2^53 that a run adds one at a time (a counter's `$polls + 1`): each
 * addition is an Assign of a state the run entered, and a run's history holds at most 25,000
 * events (AwsLimits.HISTORY_EVENTS), so no such sum comes near JSON's largest number.
 */
const NARROWER: Partial<Record<Kind, Kind>> = { timestamp: 'string', bounded: 'number', summed: 'number' };
/** The largest magnitude of a `bounded` number. */
const BOUND = 2 ** 53;

const kinds = (...k: Kind[]): ReadonlySet<Kind> => new Set(k);
const JSON_KINDS: readonly Kind[] = ['null', 'boolean', 'number', 'string', 'array', 'object'];
const ANY_JSON = kinds(...JSON_KINDS);
const JSON_OR_NOTHING = kinds(...JSON_KINDS, 'undefined');
const UNKNOWN = kinds(...JSON_KINDS, 'function', 'undefined');
const BOOLEAN = kinds('boolean');
const NUMBER = kinds('number');
const BOUNDED = kinds('bounded');
const STRING = kinds('string');
const NOTHING = kinds('undefined');
const union = (...all: ReadonlyArray<ReadonlySet<Kind>>): ReadonlySet<Kind> => new Set(all.flatMap((k) => [...k]));
/** Whether `k` holds only kinds of `allowed` (or kinds that narrow one of them). */
const within = (k: ReadonlySet<Kind>, ...allowed: Kind[]): boolean =>
  [...k].every((x) => allowed.includes(x) || (NARROWER[x] !== undefined && allowed.includes(NARROWER[x]!)));
/** The kinds `$type` names by `name` (`"string"` is a timestamp too): what a value it names may be. */
const TYPE_NAMES: Readonly<Record<string, readonly Kind[]>> = {
  null: ['null'],
  boolean: ['boolean'],
  number: ['number', 'bounded', 'summed'],
  string: ['string', 'timestamp'],
  array: ['array'],
  object: ['object'],
  function: ['function'],
};
/** The kinds of a JSON value written in a definition (an Assign's literal). @internal */
export function literalKinds(v: unknown): ReadonlySet<Kind> {
  if (v === null) return kinds('null');
  if (typeof v === 'boolean') return BOOLEAN;
  if (typeof v === 'number') return Math.abs(v) <= BOUND ? BOUNDED : NUMBER;
  if (typeof v === 'string') return STRING;
  return Array.isArray(v) ? kinds('array') : kinds('object');
}
/** Every kind a JSON value may be (what a JSONPath Assign's path gives). @internal */
export const ANY_JSON_KINDS: ReadonlySet<Kind> = new Set<Kind>(['null', 'boolean', 'number', 'string', 'array', 'object']);
/** What a variable no Assign has set yet may read as: nothing, or one of JSONata's functions of its name. @internal */
export const UNASSIGNED: ReadonlySet<Kind> = new Set<Kind>(['undefined', 'function']);
/** Every kind there is: what a value nothing is known of may be. @internal */
export const ANY_KIND: ReadonlySet<Kind> = new Set<Kind>([...ANY_JSON_KINDS, 'function', 'undefined']);
/** `base`, with `extra` of `from`'s kinds when it has them (undefined in, undefined out; a function held). */
const carrying = (base: ReadonlySet<Kind>, from: ReadonlySet<Kind>, ...extra: Kind[]): ReadonlySet<Kind> =>
  union(base, kinds(...extra.filter((x) => from.has(x))));

/** Deeper than this, an expression counts as failing: AWS fails one nested 100 evaluation steps deep (JSONATA_LIMITS.depth). */
const MAX_DEPTH = 30;

/** Where an expression is read: what `$states` holds there, and the names the workflow assigns. @internal */
export interface JsonataSite {
  /** The context's Map item is there (a Map's ItemSelector). */
  readonly mapItem?: boolean;
  /** The context's task token is there (a callback Task's Arguments). */
  readonly taskToken?: boolean;
  /** `$states.result` is there (the Output and Assign of a Task, Map or Parallel). */
  readonly result?: boolean;
  /** `$states.errorOutput` is there (a Catch's Output and Assign). */
  readonly errorOutput?: boolean;
  /** `$states.input` is surely an object there: every path into the state gives one (verify-data's input shapes). */
  readonly inputObject?: boolean;
  /**
   * The fields surely in `$states.input` there (`a`, `a.b`), and those of them surely objects:
   * what every path into the state writes (verify-data's input shapes). A read of one gives a value.
   */
  readonly inputFields?: {
    readonly paths: ReadonlySet<string>;
    readonly objects: ReadonlySet<string>;
    /** What some of those fields surely hold (a `$count` written there is a number): a field absent here holds any JSON. */
    readonly kinds?: ReadonlyMap<string, ReadonlySet<Kind>>;
  };
  /** Every variable name the workflow's Assign fields bind, which may hide a function's name. */
  readonly variables: ReadonlySet<string>;
  /**
   * What each workflow variable may hold there, over every path into the state (verify-data):
   * the kinds each Assign that reaches it gives, and what an unassigned one reads as. A variable
   * absent here may hold anything.
   */
  readonly variableKinds?: ReadonlyMap<string, ReadonlySet<Kind>>;
}

/** What a field needs of its expression's value: any JSON value, or a boolean (a Condition). @internal */
export type JsonataNeed = 'value' | 'boolean';

/** The fields of the context object AWS gives every state. */
const CONTEXT_FIELDS = /^(\.(Execution(\.(Id|Input|Name|RoleArn|StartTime|RedriveCount))?|State(\.(EnteredTime|Name|RetryCount))?|StateMachine(\.(Id|Name))?))?$/;
/** The context's Map item, which AWS gives a Map's ItemSelector only. */
const MAP_ITEM = /^\.Map(\.Item(\.(Index|Value))?)?$/;
/** The context's task token, which AWS gives a callback Task's Arguments only. */
const TASK_TOKEN = /^\.Task(\.Token)?$/;

/**
 * Whether a `{% %}` expression surely neither throws nor gives nothing nor a function (and, for
 * a Condition, surely gives a boolean), wherever its data comes from.
 * @internal
 */
export function jsonataCannotFail(expression: string, site: JsonataSite, need: JsonataNeed = 'value'): boolean {
  const gives = jsonataKinds(expression, site);
  if (gives === FAILS) return false;
  return need === 'boolean' ? within(gives, 'boolean') : !gives.has('function') && !gives.has('undefined');
}

/** What a `{% %}` expression may give, or FAILS when it may throw (or is not one). @internal */
export function jsonataKinds(expression: string, site: JsonataSite): Kinds {
  const t = expression.trim();
  if (!t.startsWith('{%') || !t.endsWith('%}')) return FAILS;
  const parsed = parseJsonata(t.slice(2, -2));
  if ('error' in parsed) return FAILS;
  const bound = new Set<string>();
  boundNames(parsed.ast, bound, 0);
  return new Analysis(site, bound).of(parsed.ast, 0);
}

/**
 * What the nodes of a parsed expression give where the expression did not throw, each read where
 * `site` says (a node of `root`, whose bindings hide workflow variables and functions), or
 * undefined when that is not known: what verify-data reads of the values an Output, a template or
 * an Assign writes. A node that may throw gives, where it did not, what it would give anyway: a
 * condition one of its branches, a block or a binding its last value, `$count` a number within
 * 2^53 and `$exists` a boolean, whatever their arguments.
 * @internal
 */
export function givenKinds(root: JsonataNode, site: JsonataSite): (node: JsonataNode | undefined) => ReadonlySet<Kind> | undefined {
  const bound = new Set<string>();
  boundNames(root, bound, 0);
  const analysis = new Analysis(site, bound);
  return (node) => analysis.given(node, 0);
}

/**
 * What a field's expression gives where it did not fail the state: any JSON where the expression
 * may throw (a field that throws fails the state), and never nothing nor a function (AWS fails
 * the state on either: compileJsonataValue). A value that may hold a function inside an object or
 * an array is kept as it is. What an Assign that succeeded set a variable to, and what a field
 * an Output wrote holds.
 * @internal
 */
export function succeededKinds(gives: Kinds): ReadonlySet<Kind> {
  if (gives === FAILS) return ANY_JSON_KINDS;
  const out = new Set(gives);
  out.delete('undefined');
  if (!out.has('object') && !out.has('array')) out.delete('function');
  // An expression that never gives a value always fails: nothing follows it, but say any JSON rather than rest a proof on that.
  return out.size === 0 ? ANY_JSON_KINDS : out;
}

/** The names an expression binds (`$v := …`, a lambda's parameters), wherever it binds them. */
function boundNames(node: unknown, out: Set<string>, depth: number): void {
  if (node === null || typeof node !== 'object' || depth > MAX_DEPTH * 4) return;
  if (Array.isArray(node)) {
    for (const x of node) boundNames(x, out, depth + 1);
    return;
  }
  const n = node as JsonataNode;
  if (n.type === 'bind' && n.lhs?.type === 'variable' && typeof n.lhs.value === 'string') out.add(n.lhs.value);
  if (n.type === 'lambda' && Array.isArray(n.arguments)) for (const a of n.arguments) if (typeof a?.value === 'string') out.add(a.value);
  for (const v of Object.values(n)) if (v !== null && typeof v === 'object') boundNames(v, out, depth + 1);
}

/** The keys a node this analysis reads may carry; any other (a focus `@`, an index `#`, a parent `%`, …) makes it fail. */
const KNOWN_KEYS = new Set([
  'type', 'value', 'position', 'steps', 'lhs', 'rhs', 'expression', 'expressions', 'arguments', 'procedure',
  'condition', 'then', 'else', 'predicate', 'stages', 'keepArray', 'keepSingletonArray', 'consarray', 'group',
]);
/** The keys a node gives a value (the parser leaves some undefined, a call's `name`). */
const keysOf = (n: JsonataNode): string[] => Object.keys(n).filter((k) => n[k] !== undefined);
/** A node with nothing but its type, value and position. */
const bareNode = (n: JsonataNode | undefined, type: string): boolean =>
  n?.type === type && keysOf(n).every((k) => k === 'type' || k === 'value' || k === 'position');

/** A function call's arguments' kinds to what it gives, or FAILS. */
type Rule = (args: ReadonlyArray<ReadonlySet<Kind>>, nodes: readonly JsonataNode[]) => Kinds;

/** One argument, of the kinds `allowed` (any when none is named), to `gives` (with undefined when the argument may be undefined). */
const unary = (gives: ReadonlySet<Kind>, ...allowed: Kind[]): Rule => (a) =>
  a.length === 1 && (allowed.length === 0 || within(a[0], ...allowed, 'undefined')) ? carrying(gives, a[0], 'undefined') : FAILS;

/** The functions whose failures this analysis knows (see the header); a call of any other counts as failing. */
const FUNCTIONS: Readonly<Record<string, Rule>> = {
  exists: (a) => (a.length === 1 ? BOOLEAN : FAILS),
  // An array's length, or 0 or 1.
  count: (a) => (a.length === 1 ? BOUNDED : FAILS),
  // `$type` names any value, a function too, and gives nothing for nothing.
  type: (a) => (a.length === 1 ? carrying(STRING, a[0], 'undefined') : FAILS),
  // `$toMillis` reads an ISO 8601 time (it throws D3110 on another string): the milliseconds, within 2^53.
  toMillis: unary(BOUNDED, 'timestamp'),
  // The run's clock, as an ISO 8601 time (with a picture or a time zone, text of any form).
  now: (a) => (a.length === 0 ? kinds('timestamp') : FAILS),
  // `$append` (signature <xx:a>) throws on nothing: an array, or the one argument when the other is nothing.
  append: (a) => {
    if (a.length !== 2 || a[0].has('function') || a[1].has('function')) return FAILS;
    return union(kinds('array'), a[1].has('undefined') ? a[0] : kinds(), a[0].has('undefined') ? a[1] : kinds());
  },
  boolean: unary(BOOLEAN),
  not: unary(BOOLEAN),
  string: unary(STRING),
  uppercase: unary(STRING, 'string'),
  lowercase: unary(STRING, 'string'),
  trim: unary(STRING, 'string'),
  length: unary(BOUNDED, 'string'),
  // `$round` (signature <n-n?:n>) throws T0410 on what is not a number; rounded, a number keeps its magnitude.
  round: (a) => (a.length === 1 && within(a[0], 'number', 'undefined') ? carrying(within(a[0], 'bounded', 'undefined') ? BOUNDED : NUMBER, a[0], 'undefined') : FAILS),
  contains: (a, n) => (a.length === 2 && within(a[0], 'string', 'undefined') && n[1].type === 'string' ? carrying(BOOLEAN, a[0], 'undefined') : FAILS),
};

/** The functions whose result's kinds do not hang on their argument's: what they give where they did not throw. */
const SURE_RESULTS: Readonly<Record<string, ReadonlySet<Kind>>> = { count: BOUNDED, exists: BOOLEAN };

class Analysis {
  constructor(private readonly site: JsonataSite, private readonly bound: ReadonlySet<string>) {}

  /** What a node gives where it did not throw (see {@link givenKinds}), or undefined when that is not known. */
  given(node: JsonataNode | undefined, depth: number): ReadonlySet<Kind> | undefined {
    if (node === null || typeof node !== 'object' || depth > MAX_DEPTH) return undefined;
    const strict = this.of(node, depth);
    if (strict !== FAILS) return strict;
    // A node with a filter, a sort or a grouping of its own gives what those give: not read here.
    if (keysOf(node).some((k) => !['type', 'value', 'position', 'condition', 'then', 'else', 'expressions', 'lhs', 'rhs', 'procedure', 'arguments'].includes(k))) {
      return undefined;
    }
    switch (node.type) {
      case 'condition': {
        const then = this.given(node.then, depth + 1);
        const otherwise = node.else === undefined ? NOTHING : this.given(node.else, depth + 1);
        return then && otherwise ? union(then, otherwise) : undefined;
      }
      case 'block': {
        const list = node.expressions;
        return Array.isArray(list) && list.length > 0 ? this.given(list[list.length - 1] as JsonataNode, depth + 1) : undefined;
      }
      case 'bind': return node.lhs?.type === 'variable' ? this.given(node.rhs, depth + 1) : undefined;
      case 'function': {
        const p = node.procedure as JsonataNode | undefined;
        if (!bareNode(p, 'variable') || typeof p!.value !== 'string' || !Array.isArray(node.arguments) || node.arguments.length !== 1) return undefined;
        const name: string = p!.value;
        if (this.bound.has(name) || this.site.variables.has(name) || !Object.prototype.hasOwnProperty.call(SURE_RESULTS, name)) return undefined;
        return SURE_RESULTS[name];
      }
      default: return undefined;
    }
  }

  of(node: JsonataNode | undefined, depth: number): Kinds {
    if (node === null || typeof node !== 'object' || depth > MAX_DEPTH) return FAILS;
    for (const k of keysOf(node)) if (!KNOWN_KEYS.has(k)) return FAILS;
    let gives = this.bare(node, depth);
    if (gives === FAILS) return FAILS;
    // A filter keeps some of the items, maybe none: it throws only what its predicate throws.
    for (const list of [node.predicate, node.stages]) {
      if (list === undefined) continue;
      if (!Array.isArray(list)) return FAILS;
      for (const f of list as JsonataNode[]) {
        if (f?.type !== 'filter' || keysOf(f).some((k) => k !== 'type' && k !== 'expr' && k !== 'position')) return FAILS;
        if (this.of(f.expr, depth + 1) === FAILS) return FAILS;
        gives = union(gives, NOTHING);
      }
    }
    if (node.group !== undefined) {
      if (this.pairs(node.group?.lhs, depth) === FAILS) return FAILS;
      gives = union(JSON_OR_NOTHING, kinds(...[...gives].filter((k) => k === 'function')));
    }
    return gives;
  }

  private bare(node: JsonataNode, depth: number): Kinds {
    switch (node.type) {
      case 'string': return STRING;
      case 'number': return Number.isFinite(node.value) ? literalKinds(node.value) : FAILS;
      case 'value': return node.value === null ? kinds('null') : typeof node.value === 'boolean' ? BOOLEAN : FAILS;
      case 'regex': case 'lambda': return kinds('function');
      case 'name': case 'wildcard': case 'descendant': return JSON_OR_NOTHING;
      case 'variable': return this.variable(node.value);
      case 'path': return this.path(node, depth);
      case 'binary': return this.binary(node, depth);
      case 'unary': return this.unary(node, depth);
      case 'condition': {
        const c = this.of(node.condition, depth + 1);
        const t = this.narrowedBy(node.condition)?.of(node.then, depth + 1) ?? this.of(node.then, depth + 1);
        const e = node.else === undefined ? NOTHING : this.of(node.else, depth + 1);
        return c === FAILS || t === FAILS || e === FAILS ? FAILS : union(t, e);
      }
      case 'block': {
        if (!Array.isArray(node.expressions)) return FAILS;
        let last: Kinds = NOTHING;
        for (const x of node.expressions) if ((last = this.of(x, depth + 1)) === FAILS) return FAILS;
        return last;
      }
      case 'bind': return node.lhs?.type === 'variable' ? this.of(node.rhs, depth + 1) : FAILS;
      case 'function': return this.call(node.procedure, node.arguments, depth);
      case 'apply': {
        // `x ~> $f(a)` is `$f(x, a)`; `x ~> $f` is `$f(x)`.
        const rhs = node.rhs as JsonataNode | undefined;
        if (rhs?.type === 'function' && keysOf(rhs).every((k) => ['type', 'value', 'position', 'procedure', 'arguments'].includes(k))) {
          return this.call(rhs.procedure, [node.lhs, ...(rhs.arguments ?? [])], depth);
        }
        return bareNode(rhs, 'variable') ? this.call(rhs, [node.lhs], depth) : FAILS;
      }
      default: return FAILS;
    }
  }

  /** A variable: `$states`, one the expression binds, the context item (`$`, `$$`), or a workflow variable or function. */
  private variable(name: unknown): Kinds {
    if (typeof name !== 'string') return FAILS;
    if (this.bound.has(name)) return UNKNOWN;
    if (name === 'states') return kinds('object');
    if (name === '' || name === '$') return JSON_OR_NOTHING;
    // A workflow variable holds JSON once assigned; unassigned, the name may be one of JSONata's functions.
    return this.site.variableKinds?.get(name) ?? UNKNOWN;
  }

  /**
   * Where `condition` is `$type($v) = "kind"` (either way round) on a workflow variable, an
   * analysis of the branch it guards: `$v` there is of that kind.
   */
  private narrowedBy(condition: JsonataNode | undefined): Analysis | undefined {
    if (condition?.type !== 'binary' || condition.value !== '=') return undefined;
    const sides = [[condition.lhs, condition.rhs], [condition.rhs, condition.lhs]] as Array<[JsonataNode | undefined, JsonataNode | undefined]>;
    for (const [call, named] of sides) {
      if (call?.type !== 'function' || !bareNode(call.procedure, 'variable') || call.procedure.value !== 'type') continue;
      const arg = Array.isArray(call.arguments) && call.arguments.length === 1 ? call.arguments[0] as JsonataNode : undefined;
      if (!bareNode(arg, 'variable') || typeof arg!.value !== 'string' || !bareNode(named, 'string') || typeof named!.value !== 'string') continue;
      const v: string = arg!.value;
      if (this.bound.has('type') || this.site.variables.has('type') || this.bound.has(v) || v === 'states' || v === '' || v === '$') continue;
      if (!this.site.variables.has(v)) continue;
      const allowed = TYPE_NAMES[named!.value as string] ?? [];
      const now = this.site.variableKinds?.get(v) ?? UNKNOWN;
      const narrowed = new Set([...now].filter((k) => allowed.includes(k)));
      return new Analysis({ ...this.site, variableKinds: new Map(this.site.variableKinds ?? []).set(v, narrowed) }, this.bound);
    }
    return undefined;
  }

  private call(procedure: JsonataNode | undefined, args: unknown, depth: number): Kinds {
    if (!bareNode(procedure, 'variable') || typeof procedure!.value !== 'string' || !Array.isArray(args)) return FAILS;
    const name: string = procedure!.value;
    const rule = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (this.bound.has(name) || this.site.variables.has(name)) return FAILS;
    if (name === 'merge') return this.merge(args as JsonataNode[], depth);
    if (name === 'filter') return this.filter(args as JsonataNode[], depth);
    if (name === 'sum' || name === 'min' || name === 'max') return this.aggregate(name, args as JsonataNode[], depth);
    if (rule === undefined) return FAILS;
    const given: Array<ReadonlySet<Kind>> = [];
    for (const a of args as JsonataNode[]) {
      const k = this.of(a, depth + 1);
      if (k === FAILS) return FAILS;
      given.push(k);
    }
    return rule(given, args as JsonataNode[]);
  }

  /**
   * `$merge([a, b, …])` of items each surely an object (or nothing, which the array constructor
   * drops) gives an object; its signature `<a<o>:o>` throws T0412 on any other item
   * (docs.jsonata.org, "Object functions").
   */
  private merge(args: readonly JsonataNode[], depth: number): Kinds {
    const list = args.length === 1 ? args[0] : undefined;
    if (list?.type !== 'unary' || list.value !== '[' || !Array.isArray(list.expressions)) return FAILS;
    if (keysOf(list).some((k) => !['type', 'value', 'position', 'expressions', 'consarray'].includes(k))) return FAILS;
    for (const item of list.expressions as JsonataNode[]) {
      const k = this.of(item, depth + 1);
      if (k === FAILS || !within(k, 'object', 'undefined')) return FAILS;
    }
    return kinds('object');
  }

  /**
   * `$sum`, `$min` and `$max` of numbers: of an array constructor whose items are each surely a
   * number or nothing (the constructor drops nothing), or of one such value. Their signature
   * `<a<n>:n>` throws T0412 on an item that is not a number, so anything else counts as failing.
   * `$min` and `$max` give one of the items, or nothing for none; `$sum` gives 0 for none, and a
   * sum only of numbers within 2^53 (bounded or summed), which cannot leave JSON's numbers where a
   * sum of larger ones can (docs.jsonata.org, "Aggregation functions").
   */
  private aggregate(name: 'sum' | 'min' | 'max', args: readonly JsonataNode[], depth: number): Kinds {
    if (args.length !== 1) return FAILS;
    const allowed: Kind[] = name === 'sum' ? ['bounded', 'summed', 'undefined'] : ['number', 'undefined'];
    const list = args[0];
    let items: Array<ReadonlySet<Kind>>;
    const constructed = list?.type === 'unary' && list.value === '[' && Array.isArray(list.expressions);
    if (constructed) {
      if (!keysOf(list).every((k) => ['type', 'value', 'position', 'expressions', 'consarray'].includes(k))) return FAILS;
      items = [];
      for (const item of list.expressions as JsonataNode[]) {
        const k = this.of(item, depth + 1);
        if (k === FAILS) return FAILS;
        items.push(k);
      }
    } else {
      const k = this.of(list, depth + 1);
      if (k === FAILS) return FAILS;
      items = [k];
    }
    if (!items.every((k) => within(k, ...allowed))) return FAILS;
    const nothing = items.every((k) => k.has('undefined'));
    // `$sum` of an array with no item is 0, of nothing nothing.
    if (name === 'sum') return nothing && !constructed ? union(NUMBER, NOTHING) : NUMBER;
    const gives = items.every((k) => within(k, 'bounded', 'undefined')) ? BOUNDED : NUMBER;
    return nothing ? union(gives, NOTHING) : gives;
  }

  /**
   * `$filter(array, function($v, $i, $a) { … })` with the function written there: it calls the
   * function on each item and keeps those for which it gives a truthy value (any value, cast as
   * `$boolean` casts it), so it throws only what the function's body throws; it gives nothing for
   * nothing, or the items kept: none (nothing), one (the item itself) or more (an array)
   * (docs.jsonata.org, "Higher order functions"). A function given any other way may be anything.
   */
  private filter(args: readonly JsonataNode[], depth: number): Kinds {
    const [list, fn] = args;
    if (args.length !== 2 || fn?.type !== 'lambda' || !Array.isArray(fn.arguments) || fn.arguments.length > 3) return FAILS;
    if (keysOf(fn).some((k) => !['type', 'value', 'position', 'arguments', 'body'].includes(k))) return FAILS;
    const items = this.of(list, depth + 1);
    if (items === FAILS || this.of(fn.body as JsonataNode, depth + 1) === FAILS) return FAILS;
    return carrying(JSON_OR_NOTHING, items, 'function');
  }

  private path(node: JsonataNode, depth: number): Kinds {
    const steps = node.steps;
    if (!Array.isArray(steps) || steps.length === 0) return FAILS;
    const states = this.statesRead(steps);
    if (states !== undefined) return states;
    let gives: ReadonlySet<Kind> = JSON_OR_NOTHING;
    for (const step of steps as JsonataNode[]) {
      // Sorting compares the items, which may be of kinds that do not compare.
      if (step?.type === 'sort') return FAILS;
      const k = this.of(step, depth + 1);
      if (k === FAILS) return FAILS;
      gives = carrying(gives, k, 'function');
    }
    return gives;
  }

  /** A plain read under `$states` (`$states.input`, `$states.context.Execution.Input`): what AWS surely gives there, or undefined for another path. */
  private statesRead(steps: readonly JsonataNode[]): Kinds | undefined {
    if (!bareNode(steps[0], 'variable') || steps[0].value !== 'states' || this.bound.has('states')) return undefined;
    if (!steps.slice(1).every((s) => bareNode(s, 'name') && typeof s.value === 'string')) return undefined;
    const [root, ...rest] = steps.slice(1).map((s) => s.value as string);
    const surely = (): boolean => {
      if (root === 'input') return rest.length === 0;
      if (root === 'result') return rest.length === 0 && this.site.result === true;
      if (root === 'errorOutput') return rest.length === 0 && this.site.errorOutput === true;
      if (root !== 'context') return false;
      const field = rest.map((r) => `.${r}`).join('');
      return CONTEXT_FIELDS.test(field) || (this.site.mapItem === true && MAP_ITEM.test(field))
        || (this.site.taskToken === true && TASK_TOKEN.test(field));
    };
    // The times AWS's clock gives: the execution's start and the state's entry, ISO 8601 strings.
    if (root === 'context' && /^(Execution\.StartTime|State\.EnteredTime)$/.test(rest.join('.'))) return kinds('timestamp');
    if (root === 'input' && rest.length > 0) {
      // A field every path into the state writes is there; keys with a '.' or '[' are not told apart from paths.
      const fields = this.site.inputFields;
      const field = rest.join('.');
      if (fields === undefined || rest.some((r) => /[.[\]]/.test(r)) || !fields.paths.has(field)) return JSON_OR_NOTHING;
      return fields.objects.has(field) ? kinds('object') : fields.kinds?.get(field) ?? ANY_JSON;
    }
    // Every error output AWS gives names its error (its Cause may be absent).
    if (root === 'errorOutput' && this.site.errorOutput === true && rest.length === 1 && rest[0] === 'Error') return STRING;
    if (!surely()) return JSON_OR_NOTHING;
    // The error output AWS gives a Catch is an object ({"Error", "Cause"}).
    return (root === 'input' && this.site.inputObject === true) || (root === 'errorOutput' && rest.length === 0) ? kinds('object') : ANY_JSON;
  }

  private binary(node: JsonataNode, depth: number): Kinds {
    const l = this.of(node.lhs, depth + 1);
    const r = this.of(node.rhs, depth + 1);
    if (l === FAILS || r === FAILS) return FAILS;
    switch (node.value) {
      case '=': case '!=': case 'in': case 'and': case 'or':
        return BOOLEAN;
      case '&':
        return STRING;
      case '<': case '<=': case '>': case '>=': {
        const both = (kind: Kind): boolean => within(l, kind, 'undefined') && within(r, kind, 'undefined');
        const comparable = both('number') || both('string');
        return comparable ? carrying(carrying(BOOLEAN, l, 'undefined'), r, 'undefined') : FAILS;
      }
      case '+': case '-': {
        // A sum of numbers within 2^53, one added at a time (a side within 2^53), neither throws (T2001, T2002) nor
        // overflows (D1001): see `summed`. Nothing on a side gives nothing.
        const ok = within(l, 'bounded', 'summed', 'undefined') && within(r, 'bounded', 'summed', 'undefined') && !(l.has('summed') && r.has('summed'));
        return ok ? carrying(carrying(kinds('summed'), l, 'undefined'), r, 'undefined') : FAILS;
      }
      case '*':
        // Two numbers within 2^53: a product within 2^106.
        return within(l, 'bounded', 'undefined') && within(r, 'bounded', 'undefined') ? carrying(carrying(NUMBER, l, 'undefined'), r, 'undefined') : FAILS;
      case '/': {
        // By a number written out, at least 1: no larger than what it divides, and never by zero (D1001).
        const by = node.rhs as JsonataNode | undefined;
        const literal = bareNode(by, 'number') && typeof by!.value === 'number' && Number.isFinite(by!.value) && by!.value >= 1;
        if (!literal || !within(l, 'number', 'undefined')) return FAILS;
        return carrying(within(l, 'bounded', 'undefined') ? BOUNDED : NUMBER, l, 'undefined');
      }
      default:
        // Division by anything else, remainder (by zero: not finite) and ranges.
        return FAILS;
    }
  }

  private unary(node: JsonataNode, depth: number): Kinds {
    if (node.value === '-') {
      // A negated bounded or summed number is one still.
      const k = this.of(node.expression, depth + 1);
      return k !== FAILS && within(k, 'number', 'undefined') ? k : FAILS;
    }
    if (node.value === '[') {
      if (!Array.isArray(node.expressions)) return FAILS;
      let gives = kinds('array');
      for (const x of node.expressions as JsonataNode[]) {
        const k = this.of(x, depth + 1);
        if (k === FAILS) return FAILS;
        gives = carrying(gives, k, 'function');
      }
      return gives;
    }
    if (node.value === '{') {
      const held = this.pairs(node.lhs, depth);
      return held === FAILS ? FAILS : carrying(kinds('object'), held, 'function');
    }
    return FAILS;
  }

  /** An object constructor's pairs: each key a distinct string literal (two equal keys throw D1009), each value safe; what the values may give. */
  private pairs(pairs: unknown, depth: number): Kinds {
    if (!Array.isArray(pairs)) return FAILS;
    const keys = new Set<string>();
    let held: ReadonlySet<Kind> = kinds();
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2) return FAILS;
      const [key, value] = pair as JsonataNode[];
      if (!bareNode(key, 'string') || typeof key.value !== 'string' || keys.has(key.value)) return FAILS;
      keys.add(key.value);
      const k = this.of(value, depth + 1);
      if (k === FAILS) return FAILS;
      held = union(held, k);
    }
    return held;
  }
}
