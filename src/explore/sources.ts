/*
 * What explore finds a value came from, and the paths it follows to find
 * out: a place in the execution input, a place in one Task call's answer,
 * the Cause of a Task's error, or something fixed (a constant, a computed
 * value, the Context Object). The following itself is Provenance's.
 */
import type { JsonataComputation } from './jsonata-flow';
import type { JsonValue } from '../asl';
import type { Step } from '../asl/path';

export type { Step } from '../asl/path';

/**
 * Where a value a state reads comes from, found by following it back
 * through the states before it: a place in the execution input, a place in
 * the answer of one Task call, or nowhere explore can write.
 */
export type Source =
  | { readonly kind: 'input'; readonly steps: readonly Step[] }
  | { readonly kind: 'task'; readonly state: string; readonly invocation: number; readonly steps: readonly Step[] }
  /**
   * The Cause of the error one Task call failed with (in the error output a Catch hands on), or
   * with `field: 'Error'` its name: a mock may throw any error, and which one decides the Catch.
   */
  | { readonly kind: 'cause'; readonly state: string; readonly invocation: number; readonly field?: 'Error' }
  | {
    readonly kind: 'fixed';
    /**
     * True when nothing under the value can be written either (a constant,
     * a computed value, the Context Object); false when the value is an
     * object a template builds, whose copied fields may still come from
     * somewhere explore can write.
     */
    readonly deep: boolean;
    readonly reason: string;
    /** For a value an intrinsic function computes: the call, with where each argument comes from. */
    readonly computed?: Computed;
  };

/** An intrinsic function call that computes a value, and the steps read under its result. */
export interface Computed {
  /**
   * An intrinsic function (`States.MathAdd`), `JSONPath.filter` / `JSONPath.filterSlots` (over
   * items built elsewhere) / `JSONPath.slice` for a path that selects, or `JSONata` for a place a
   * JSONata expression computes (its `steps` are then from the expression's value, and each
   * argument is the source of one field it reads, as `params.jsonata.fields` lists them).
   */
  readonly fn: string;
  readonly args: readonly ComputedArg[];
  readonly steps: readonly Step[];
  /** What a selecting path selects by: a filter's field and value, a slice's start. */
  readonly params?: {
    readonly value?: JsonValue;
    readonly start?: number;
    /**
     * A filter (`JSONPath.filter`, `JSONPath.filterSlots`): its text, the steps the path reads
     * under each item it selects, and, over items built elsewhere, the paths its conditions read
     * of an item, whose sources are the arguments (slot-major: each item's condition paths, then
     * its `rest` when there is one).
     */
    readonly filter?: string;
    readonly rest?: readonly Step[];
    readonly fields?: ReadonlyArray<readonly Step[]>;
    readonly jsonata?: JsonataComputation;
    /**
     * For a Map's results (`Map.results`): how many iterations the run had, and where the fields of
     * their results come from (the argument at `arg`), for each iteration `index` and field `steps`.
     */
    readonly iterations?: number;
    readonly results?: ReadonlyArray<{ readonly index: number; readonly steps: readonly Step[]; readonly arg: number }>;
    /** For a Map's results: the item each iteration of the run had (before ItemSelector) and the result it gave. */
    readonly outcomes?: ReadonlyArray<{ readonly index: number; readonly item: JsonValue; readonly result: JsonValue }>;
    /** For a Map's results: whether an iteration reads its index, so that its result may change with where its item is. */
    readonly indexed?: boolean;
    /**
     * For a Map's results when an ItemBatcher groups its items: the most items a batch holds
     * (MaxItemsPerBatch), so that a count of results asks for that many items per result.
     */
    readonly perBatch?: number;
  };
}

/** One argument of a computing call: a literal, a value from somewhere, or another call. */
export type ComputedArg =
  | { readonly kind: 'literal'; readonly value: JsonValue }
  | { readonly kind: 'source'; readonly source: Source }
  | { readonly kind: 'call'; readonly computed: Computed };

/**
 * The steps of a JSONata path with an index before each field it reads of an
 * array (JSONata maps the field over the items): the first item, where
 * explore follows or writes what the path reads.
 */
export function throughArrays(base: JsonValue | undefined, steps: readonly Step[]): readonly Step[] {
  let value: JsonValue | undefined = base;
  let out: Step[] | undefined;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (Array.isArray(value) && typeof step === 'string') {
      out ??= steps.slice(0, i);
      out.push(0);
      value = value[0];
    }
    out?.push(step);
    if (value === null || typeof value !== 'object') value = undefined;
    else if (Array.isArray(value)) value = typeof step === 'number' ? value[step] : undefined;
    else value = typeof step === 'string' && Object.prototype.hasOwnProperty.call(value, step) ? value[step] : undefined;
  }
  return out ?? steps;
}

/** A value explore cannot write: why, and whether anything under it can be. */
export function fixed(reason: string, deep = true): Source {
  return { kind: 'fixed', deep, reason };
}

/** A JSONata expression that is a plain path explore can follow: its root and steps. */
export interface JsonataPath {
  readonly root: 'input' | 'result' | 'context' | 'errorOutput' | { readonly variable: string };
  readonly steps: Step[];
}

const JSONATA_STEP = /^(?:\.([A-Za-z_][A-Za-z0-9_]*)|\.`([^`]*)`|\[(\d+)\])/;

/** Reads `$states.input.a[0].b` or `$name.x` as a path; anything else is a computation. */
export function jsonataPath(expression: string): JsonataPath | undefined {
  const text = expression.trim();
  const head = /^\$states\.(input|result|context|errorOutput)\b|^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text);
  if (!head) return undefined;
  if (head[2] === 'states') return undefined;
  const root: JsonataPath['root'] = head[1] !== undefined ? head[1] as 'input' : { variable: head[2] };
  const steps: Step[] = [];
  let rest = text.slice(head[0].length);
  while (rest.length > 0) {
    const m = JSONATA_STEP.exec(rest);
    if (!m) return undefined;
    steps.push(m[1] ?? m[2] ?? Number(m[3]));
    rest = rest.slice(m[0].length);
  }
  return { root, steps };
}
