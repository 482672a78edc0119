import { fieldOf, literalOf, localNames, parseJsonata, readsOf, type FieldRef, type JsonataNode } from './solve/jsonata-ast';
import { fixed, type ComputedArg, type Source, type Step } from './sources';
import type { JsonObject, JsonValue } from '../asl';
import { followSteps } from '../asl/path';

/*
 * Values followed through JSONata expressions (a state's Output, Assign, Arguments, Items,
 * ItemSelector, a Catch's Output), read with the jsonata library's syntax tree: what an
 * expression builds is traced back, place by place, to the fields it reads — through object
 * and array constructors, `$merge`, `$append`, `$lookup`, `$sift`, conditionals and blocks —
 * and from there, by the caller's roots, to the execution input or a Task's answer. A place
 * an expression computes (`$count(...)`, `$string(...)`, a comparison, a filter) is a
 * `JSONata` computation of the fields it reads: jsonata-inverse.ts brings it to a wanted value
 * by evaluating the expression.
 */

/** Where the fields an expression reads come from, as the state that evaluates it sees them. */
export interface FlowRoots {
  input(steps: readonly Step[]): Source;
  context(steps: readonly Step[]): Source;
  variable(name: string, steps: readonly Step[]): Source;
  result?(steps: readonly Step[]): Source;
  errorOutput?(steps: readonly Step[]): Source;
}

/** The values an expression was evaluated on, for deciding which part built a value and for evaluating it again. */
export interface JsonataEnv {
  readonly input?: JsonValue;
  readonly context?: JsonValue;
  readonly result?: JsonValue;
  readonly errorOutput?: JsonValue;
  readonly variables: Readonly<Record<string, JsonValue>>;
  /** Epoch milliseconds `$now()` gave: the run's virtual start. */
  readonly now?: number;
}

/**
 * What explore knows of a JSONata computation: the expression (its text, as it stands in the
 * definition), the values it was evaluated on, and the fields it reads (each the `field` of one
 * argument of the Computed, in order).
 */
export interface JsonataComputation {
  readonly text: string;
  readonly env: () => JsonataEnv;
  readonly fields: readonly FieldRef[];
  /** The part of the expression that computes the value (for the hints it gives), when one part does. */
  readonly node: JsonataNode;
  /** Where that part's value sits in the expression's (`['pricing']` in `{'pricing': $parse(...)}`). */
  readonly at?: readonly Step[];
  /** Where the expression stands, for reasons: `the Output of state 'Load batch'`. */
  readonly where: string;
}

/** The most characters of an expression quoted in a reason. */
const QUOTED = 120;

/** An expression's text as a reason quotes it. */
export function quoted(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return `'${t.length > QUOTED ? `${t.slice(0, QUOTED - 1)}…` : t}'`;
}

/**
 * The source of the value at `steps` of what a JSONata expression (without its `{% %}`) builds.
 * `env` gives the values it was evaluated on, read only when a decision needs them.
 */
export function jsonataSource(
  text: string, steps: readonly Step[], roots: FlowRoots, env: () => JsonataEnv, where: string, onGuess?: () => void,
): Source {
  const parsed = parseJsonata(text);
  if ('error' in parsed) return fixed(`${where} does not parse (${parsed.error})`);
  return new Flow(text, parsed.ast, roots, env, where, onGuess).follow(parsed.ast, steps, []);
}

/** JSONata's truth of a value (`$boolean`). */
function truthy(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.some((x) => truthy(x));
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return typeof v === 'string' ? v !== '' : typeof v === 'number' ? v !== 0 : v;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** One sync reading of an expression's syntax tree, with its roots and the values it ran on. */
class Flow {
  private readonly local: Set<string>;
  /** What each name a block binds (`$r := …`) stands for: the first binding of the name. */
  private readonly bound = new Map<string, JsonataNode>();
  private cachedEnv: JsonataEnv | undefined;

  constructor(
    private readonly text: string,
    private readonly ast: JsonataNode,
    private readonly roots: FlowRoots,
    private readonly envOf: () => JsonataEnv,
    private readonly where: string,
    /**
     * Told when the place followed is one the run's values chose (the branch of a conditional,
     * the part of a `$merge` that held the field, an item of a list): another run may take it from elsewhere.
     */
    private readonly guess: () => void = () => undefined,
  ) {
    this.local = localNames(ast);
    const collect = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) { node.forEach(collect); return; }
      const n = node as JsonataNode;
      if (n.type === 'bind' && n.lhs?.type === 'variable' && !this.bound.has(n.lhs.value)) this.bound.set(n.lhs.value, n.rhs);
      for (const key of Object.keys(n)) if (typeof n[key] === 'object') collect(n[key]);
    };
    collect(ast);
  }

  /** A read of a name a block binds (`$r.undo`), as what it is bound to and the plain steps read under it; else undefined. */
  private local$(node: JsonataNode): { bound: JsonataNode; steps: Step[] } | undefined {
    const steps = node.type === 'variable' ? [node] : node.type === 'path' && Array.isArray(node.steps) ? node.steps as JsonataNode[] : undefined;
    const first = steps?.[0];
    // A filter on the name (`$fields[Type = "X"]`) selects from what it is bound to: a computation, not a plain read.
    if (!steps || first?.type !== 'variable' || first.stages || first.predicate || !this.bound.has(first.value)) return undefined;
    const out: Step[] = [];
    for (const st of steps.slice(1)) {
      if (st.type !== 'name' || typeof st.value !== 'string' || st.stages) return undefined;
      out.push(st.value);
    }
    return { bound: this.bound.get(first.value)!, steps: out };
  }

  private get env(): JsonataEnv {
    return (this.cachedEnv ??= this.envOf());
  }

  /** The source of the value at `steps` under `node`, which sits at `at` in the expression's value. */
  follow(node: JsonataNode, steps: readonly Step[], at: readonly Step[], depth = 0): Source {
    if (depth > 64) return this.computed(node, steps, at);
    const read = fieldOf(node, this.local);
    if (read && 'ref' in read && read.whole) return this.root(read.ref, steps);
    const local = this.local$(node);
    if (local) return this.follow(local.bound, [...local.steps, ...steps], at, depth + 1);
    switch (node.type) {
      case 'unary':
        if (node.value === '{') return this.object(node, steps, at);
        if (node.value === '[') return this.array(node.expressions ?? [], steps, at, node);
        break;
      case 'block':
        // A block gives its last expression's value; the bindings before it are read where they are used.
        if (Array.isArray(node.expressions) && node.expressions.length > 0) {
          return this.follow(node.expressions[node.expressions.length - 1], steps, at, depth + 1);
        }
        break;
      case 'condition': {
        const c = this.peek(node.condition);
        if (c.known) {
          const branch = truthy(c.value) ? node.then : node.else;
          if (branch === undefined) return this.computed(node, steps, at);
          this.guess();
          const s = this.follow(branch, steps, at);
          // A branch that gives a constant: the other branch, or the condition, may still give what is wanted.
          return s.kind === 'fixed' && !s.computed && s.deep ? this.computed(node, steps, at) : s;
        }
        break;
      }
      case 'function':
        if (node.procedure?.type === 'variable' && !this.local.has(node.procedure.value)) {
          const s = this.call(node.procedure.value as string, node.arguments ?? [], steps, at);
          if (s !== undefined) return s;
        }
        break;
      default:
        break;
    }
    if (steps.length === 0 && literalOf(node) !== undefined) return fixed(`${this.where} writes a constant there`);
    return this.computed(node, steps, at);
  }

  private root(ref: FieldRef, steps: readonly Step[]): Source {
    const all = [...ref.steps, ...steps];
    const r = ref.root;
    if (typeof r === 'object') return this.roots.variable(r.variable, all);
    if (r === 'input') return this.roots.input(all);
    if (r === 'context') return this.roots.context(all);
    const at = r === 'result' ? this.roots.result : this.roots.errorOutput;
    return at ? at(all) : fixed(`${this.where} reads $states.${r}, which is not there`);
  }

  private object(node: JsonataNode, steps: readonly Step[], at: readonly Step[]): Source {
    const pairs = (node.lhs ?? []) as JsonataNode[][];
    if (!pairs.every((p) => p[0]?.type === 'string')) return this.computed(node, steps, at);
    if (steps.length === 0) return fixed(`${this.where} builds it`, false);
    const key = steps[0];
    const pair = typeof key === 'string' ? pairs.find((p) => p[0].value === key) : undefined;
    if (!pair) return fixed(`${this.where} writes no field '${String(key)}'`);
    return this.follow(pair[1], steps.slice(1), [...at, key]);
  }

  /**
   * An array built of parts, each an item or (an array) its items in turn: `[a, b]`, whose
   * parts that are arrays are spread (but for a nested constructor, kept as one item), and
   * `$append(a, b)` (`append`), whose parts are always spread.
   */
  private array(parts: readonly JsonataNode[], steps: readonly Step[], at: readonly Step[], whole: JsonataNode, append = false): Source {
    if (steps.length === 0) {
      // The whole array: its items are written where they come from. `$append` spreads its parts, so how many items it
      // holds is a computation of what they hold (`$append($pages, [$states.result.Payload.items])`: fewer items in an
      // answer, fewer in all), searched through the fields they read; a constructor's items are one per part.
      // A range (`[1..$states.input.n]`) holds as many items as its bounds say: a computation of the fields they read.
      const range = parts.some((part) => part.type === 'binary' && part.value === '..');
      const c = append || range ? this.computed(whole, steps, at) : undefined;
      return c?.kind === 'fixed' && c.computed ? { ...c, deep: false, reason: `${this.where} builds it` } : fixed(`${this.where} builds it`, false);
    }
    const index = steps[0];
    if (typeof index !== 'number') return this.computed(whole, steps, at);
    // Which part holds an index depends on how long the parts were in this run.
    this.guess();
    let offset = 0;
    let lastStart = 0;
    // The parts after the last that gave something, which gave nothing: each holds one item once given a value.
    let empty: JsonataNode[] = [];
    for (const part of parts) {
      const p = this.peek(part);
      if (!p.known) return this.computed(whole, steps, at);
      const spread = Array.isArray(p.value) && (append || !(part.type === 'unary' && part.value === '['));
      const length = p.value === undefined ? 0 : spread ? (p.value as JsonValue[]).length : 1;
      if (index < offset + length) {
        return spread ? this.follow(part, [index - offset, ...steps.slice(1)], at) : this.follow(part, steps.slice(1), [...at, index]);
      }
      empty = p.value === undefined ? [...empty, part] : [];
      lastStart = offset;
      offset += length;
    }
    // Past the end: the next of the parts at the end that gave nothing (`[$r.velocity, $r.geo]` with neither in the
    // answer: item 0 is velocity), else the last part, which could hold more.
    const next = empty[index - offset];
    if (next !== undefined) return this.follow(next, steps.slice(1), [...at, index]);
    const last = parts[parts.length - 1];
    return last === undefined ? fixed(`${this.where} builds an empty array`) : this.follow(last, [index - lastStart, ...steps.slice(1)], at);
  }

  private call(name: string, args: readonly JsonataNode[], steps: readonly Step[], at: readonly Step[]): Source | undefined {
    switch (name) {
      case 'merge': {
        const list = args[0];
        if (args.length !== 1 || list === undefined) return undefined;
        if (steps.length === 0) return fixed(`${this.where} builds it`, false);
        const key = steps[0];
        if (typeof key !== 'string') return undefined;
        if (list.type !== 'unary' || list.value !== '[' || !Array.isArray(list.expressions)) return this.mergeOf(list, key, steps, at);
        const parts = list.expressions as JsonataNode[];
        // The last part that has the field gives it; when none has it, the last that could.
        let open: JsonataNode | undefined;
        for (let i = parts.length - 1; i >= 0; i--) {
          const part = parts[i];
          if (part.type === 'unary' && part.value === '{') {
            // A later part that could have the field overrides this one: written there, the value wins.
            if ((part.lhs as JsonataNode[][]).some((p) => p[0]?.type === 'string' && p[0].value === key)) {
              if (open) this.guess();
              return this.follow(open ?? part, steps, at);
            }
            continue;
          }
          const p = this.peek(part);
          if (p.known && isObject(p.value) && Object.hasOwn(p.value, key)) {
            if (open) this.guess();
            return this.follow(part, steps, at);
          }
          if (!p.known || p.value === undefined || isObject(p.value)) open ??= part;
        }
        if (open) {
          this.guess();
          // The last part that could hold the field, of those whose value explore can write.
          const candidates = parts.filter((part) => !(part.type === 'unary' && part.value === '{'));
          for (let i = candidates.length - 1; i >= 0; i--) {
            const s = this.follow(candidates[i], steps, at);
            if (s.kind !== 'fixed' || s.computed) return s;
          }
          return this.follow(open, steps, at);
        }
        return fixed(`${this.where} merges no part with a field '${key}'`);
      }
      case 'append':
        return args.length === 2 ? this.array(args, steps, at, { type: 'function', procedure: { type: 'variable', value: 'append' }, arguments: args }, true) : undefined;
      case 'lookup': {
        const key = literalOf(args[1]);
        return args.length === 2 && typeof key === 'string' ? this.follow(args[0], [key, ...steps], at) : undefined;
      }
      case 'sift': case 'filter':
        // What a filter keeps comes from what it filters.
        if (steps.length === 0 || args.length < 1) return undefined;
        this.guess();
        return this.follow(args[0], steps, at);
      case 'string': case 'number': case 'exists': case 'count': case 'contains': case 'substring': case 'keys': case 'each':
      default:
        return undefined;
    }
  }

  /**
   * `$merge(list)` of a list the expression does not build item by item (`$merge($states.result)`,
   * a Parallel's results): the last item that holds the field gives it; when none does, the last
   * one whose value explore can write there.
   */
  private mergeOf(list: JsonataNode, key: string, steps: readonly Step[], at: readonly Step[]): Source | undefined {
    const p = this.peek(list);
    if (!p.known || !Array.isArray(p.value)) return undefined;
    const items = p.value;
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (!isObject(item) || !Object.hasOwn(item, key)) continue;
      if (i < items.length - 1) this.guess();
      return this.follow(list, [i, ...steps], at);
    }
    this.guess();
    for (let i = items.length - 1; i >= 0; i--) {
      const s = this.follow(list, [i, ...steps], at);
      if (s.kind !== 'fixed' || s.computed) return s;
    }
    return fixed(`${this.where} merges no item with a field '${key}'`);
  }

  /** A place the expression computes: a computation of the fields it reads, or a constant when it reads none. */
  private computed(node: JsonataNode, steps: readonly Step[], at: readonly Step[]): Source {
    // A part that reads names a block binds reads what they are bound to: the fields of the whole expression.
    const reads = this.bound.size > 0 && JSON.stringify(node).includes('"type":"variable"') ? readsOf(this.ast) : readsOf(node);
    const refs = reads.fields.map((f) => reads.refs.get(f)!).filter((r) => !(typeof r.root === 'object' && this.local.has(r.root.variable)));
    const reason = `${this.where} computes it with the JSONata expression ${quoted(this.text)}`;
    if (refs.length === 0) return fixed(reads.opaque ? `${reason}, which reads $states as a whole or looks fields up by name` : reason);
    const args: ComputedArg[] = refs.map((ref) => ({ kind: 'source', source: this.root(ref, []) }));
    const computation: JsonataComputation = { text: this.text, env: () => this.env, fields: refs, node, at, where: this.where };
    return { kind: 'fixed', deep: true, reason, computed: { fn: 'JSONata', args, steps: [...at, ...steps], params: { jsonata: computation } } };
  }

  /**
   * The value a part of the expression had, when it is one explore reads without evaluating:
   * a field, a literal, a constructor, `$merge`, `$append`, `$exists`, `$count`, `$not`, a
   * comparison or a conditional of such. `known: false` for the rest.
   */
  private peek(node: JsonataNode | undefined, depth = 0): { known: true; value: JsonValue | undefined } | { known: false } {
    const unknown = { known: false } as const;
    if (!node || depth > 32) return unknown;
    const lit = literalOf(node);
    if (lit !== undefined) return { known: true, value: lit };
    const local = this.local$(node);
    if (local) {
      const b = this.peek(local.bound, depth + 1);
      return b.known && b.value !== undefined ? { known: true, value: followSteps(b.value, local.steps) } : b;
    }
    const read = fieldOf(node, this.local);
    if (read && 'ref' in read) {
      if (!read.whole) return unknown;
      const r = read.ref.root;
      const env = this.env;
      const base = typeof r === 'object' ? (Object.hasOwn(env.variables, r.variable) ? env.variables[r.variable] : undefined) : env[r];
      return { known: true, value: base === undefined ? undefined : followSteps(base, read.ref.steps) };
    }
    const sub = (n: JsonataNode | undefined) => this.peek(n, depth + 1);
    if (node.type === 'unary' && node.value === '{') {
      const out: JsonObject = {};
      for (const [k, v] of (node.lhs ?? []) as JsonataNode[][]) {
        const value = sub(v);
        if (k?.type !== 'string' || !value.known) return unknown;
        if (value.value !== undefined) out[k.value] = value.value;
      }
      return { known: true, value: out };
    }
    if (node.type === 'unary' && node.value === '[') {
      const out: JsonValue[] = [];
      for (const e of (node.expressions ?? []) as JsonataNode[]) {
        const value = sub(e);
        if (!value.known) return unknown;
        if (Array.isArray(value.value)) out.push(...value.value);
        else if (value.value !== undefined) out.push(value.value);
      }
      return { known: true, value: out };
    }
    if (node.type === 'condition') {
      const c = sub(node.condition);
      if (!c.known) return unknown;
      return truthy(c.value) ? sub(node.then) : node.else === undefined ? { known: true, value: undefined } : sub(node.else);
    }
    if (node.type === 'binary') {
      const a = sub(node.lhs);
      const b = sub(node.rhs);
      if (!a.known || !b.known) return unknown;
      return compare(node.value, a.value, b.value);
    }
    if (node.type === 'function' && node.procedure?.type === 'variable' && !this.local.has(node.procedure.value)) {
      const args = (node.arguments ?? []) as JsonataNode[];
      const values = args.map((a) => sub(a));
      if (values.some((v) => !v.known)) return unknown;
      const v = values.map((x) => (x as { value: JsonValue | undefined }).value);
      switch (node.procedure.value) {
        case 'exists': return { known: true, value: v[0] !== undefined };
        case 'not': return { known: true, value: !truthy(v[0]) };
        case 'boolean': return { known: true, value: truthy(v[0]) };
        case 'count': return { known: true, value: v[0] === undefined ? 0 : Array.isArray(v[0]) ? v[0].length : 1 };
        case 'merge': {
          const list = Array.isArray(v[0]) ? v[0] : v[0] === undefined ? [] : [v[0]];
          if (!list.every(isObject)) return unknown;
          return { known: true, value: Object.assign({}, ...list) as JsonObject };
        }
        case 'append': {
          const part = (x: JsonValue | undefined): JsonValue[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
          return { known: true, value: [...part(v[0]), ...part(v[1])] };
        }
        case 'lookup': return isObject(v[0]) && typeof v[1] === 'string' ? { known: true, value: v[0][v[1]] } : unknown;
        default: return unknown;
      }
    }
    return unknown;
  }
}

/** A comparison or `and`/`or` of two known values, as JSONata computes it; unknown for anything else. */
function compare(op: string, a: JsonValue | undefined, b: JsonValue | undefined): { known: true; value: JsonValue | undefined } | { known: false } {
  const value = (x: JsonValue | undefined) => ({ known: true as const, value: x });
  switch (op) {
    case 'and': return value(truthy(a) && truthy(b));
    case 'or': return value(truthy(a) || truthy(b));
    case '=': case '!=': {
      if (a === undefined || b === undefined) return value(false);
      const same = JSON.stringify(a) === JSON.stringify(b);
      return value(op === '=' ? same : !same);
    }
    case '<': case '<=': case '>': case '>=': {
      if (a === undefined || b === undefined) return value(undefined);
      if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) return { known: false };
      const r = op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
      return value(r);
    }
    case 'in': {
      if (a === undefined) return value(false);
      const list = Array.isArray(b) ? b : b === undefined ? [] : [b];
      return value(list.some((x) => JSON.stringify(x) === JSON.stringify(a)));
    }
    default: return { known: false };
  }
}

