import type { JsonValue } from './definition-types';
import { setField } from './json-value';
import type { VariableReader } from './path';

/**
 * The workflow variables of one scope. A Parallel branch or a Map iteration
 * gets a child scope: it reads the outer variables, and what it assigns stays
 * inside it.
 * @internal
 */
export class VariableStore implements VariableReader {
  /** Created on the first assignment: most scopes (a Map iteration, a run without Assign) never assign. */
  // Declared, not defined, fields (see Call in interpreter/engine.ts): a Map iteration or a
  // Parallel branch makes one each.
  declare private readonly parent: VariableStore | undefined;
  declare private own: Map<string, JsonValue> | undefined;
  declare private flat: Record<string, JsonValue> | undefined;
  /** The parent's variables `flat` was built over: while the parent gives the same object, `flat` holds. */
  declare private flatBase: Readonly<Record<string, JsonValue>> | undefined;
  declare private ownSizes: Map<string, number> | undefined;
  declare private ownBytes: number;

  constructor(parent?: VariableStore, initial?: Record<string, JsonValue>) {
    this.parent = parent;
    this.own = undefined;
    this.flat = undefined;
    this.flatBase = undefined;
    this.ownSizes = undefined;
    this.ownBytes = 0;
    if (initial) this.assign(initial);
  }

  get(name: string): JsonValue | undefined {
    const own = this.own;
    if (own !== undefined) {
      const v = own.get(name);
      if (v !== undefined || own.has(name)) return v;
    }
    return this.parent?.get(name);
  }

  has(name: string): boolean {
    return (this.own?.has(name) ?? false) || (this.parent?.has(name) ?? false);
  }

  /**
   * Assigns all values at once, as one state's `Assign` does. `sizes` (bytes
   * of each value's JSON, when the caller measured them) are kept for
   * {@link storedBytes}.
   */
  assign(values: Record<string, JsonValue>, sizes?: ReadonlyMap<string, number>): void {
    const own = this.own ??= new Map<string, JsonValue>();
    for (const k in values) {
      own.set(k, values[k]);
      if (sizes !== undefined) {
        const bytes = this.ownSizes ??= new Map<string, number>();
        this.ownBytes += (sizes.get(k) ?? 0) - (bytes.get(k) ?? 0);
        bytes.set(k, sizes.get(k) ?? 0);
      }
    }
    this.flat = undefined;
  }

  /** Bytes of the measured variables this scope and the scopes around it hold. */
  storedBytes(): number {
    return this.ownBytes + (this.parent?.storedBytes() ?? 0);
  }

  /** Bytes this scope holds for `name`, if it was measured. */
  ownSize(name: string): number {
    return this.ownSizes?.get(name) ?? 0;
  }

  /** A child scope that reads this one and keeps its own assignments. */
  child(): VariableStore {
    return new VariableStore(this);
  }

  /**
   * Every visible variable, innermost first; cached until the next assignment here or in a scope
   * around (each scope's answer is a new object after its assignment, so a child's cache holds while
   * its parent answers the same one). A JSONata state asks once per evaluation: a Map iteration's
   * scope no longer copies the outer variables each time.
   */
  all(): Readonly<Record<string, JsonValue>> {
    const base = this.parent?.all();
    if (this.flat !== undefined && base === this.flatBase) return this.flat;
    const out: Record<string, JsonValue> = base !== undefined ? { ...base } : {};
    if (this.own) for (const [k, v] of this.own) setField(out, k, v);
    this.flat = out;
    this.flatBase = base;
    return out;
  }
}
