import type { VariableReader } from './path';
import type { JsonValue } from './types';

/**
 * The workflow variables of one scope. A Parallel branch or a Map iteration
 * gets a child scope: it reads the outer variables, and what it assigns stays
 * inside it.
 * @internal
 */
export class VariableStore implements VariableReader {
  /** Created on the first assignment: most scopes (a Map iteration, a run without Assign) never assign. */
  private own: Map<string, JsonValue> | undefined;
  private flat: Record<string, JsonValue> | undefined;

  constructor(private readonly parent?: VariableStore, initial?: Record<string, JsonValue>) {
    this.own = undefined;
    this.flat = undefined;
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

  /** Assigns all values at once, as one state's `Assign` does. */
  assign(values: Record<string, JsonValue>): void {
    const own = this.own ??= new Map<string, JsonValue>();
    for (const k in values) own.set(k, values[k]);
    this.flat = undefined;
  }

  /** A child scope that reads this one and keeps its own assignments. */
  child(): VariableStore {
    return new VariableStore(this);
  }

  /** Every visible variable, innermost first; cached until the next assignment. */
  all(): Readonly<Record<string, JsonValue>> {
    if (this.flat && !this.parent) return this.flat;
    const out: Record<string, JsonValue> = this.parent ? { ...this.parent.all() } : {};
    if (this.own) for (const [k, v] of this.own) out[k] = v;
    this.flat = out;
    return out;
  }
}
