import type { VariableReader } from './path';
import type { JsonValue } from './types';

/**
 * The workflow variables of one scope. A Parallel branch or a Map iteration
 * gets a child scope: it reads the outer variables, and what it assigns stays
 * inside it.
 * @internal
 */
export class VariableStore implements VariableReader {
  private readonly own = new Map<string, JsonValue>();
  private flat: Record<string, JsonValue> | undefined;

  constructor(private readonly parent?: VariableStore, initial?: Record<string, JsonValue>) {
    if (initial) for (const [k, v] of Object.entries(initial)) this.own.set(k, v);
  }

  get(name: string): JsonValue | undefined {
    const v = this.own.get(name);
    if (v !== undefined || this.own.has(name)) return v;
    return this.parent?.get(name);
  }

  has(name: string): boolean {
    return this.own.has(name) || (this.parent?.has(name) ?? false);
  }

  /** Assigns all values at once, as one state's `Assign` does. */
  assign(values: Record<string, JsonValue>): void {
    for (const k in values) this.own.set(k, values[k]);
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
    for (const [k, v] of this.own) out[k] = v;
    this.flat = out;
    return out;
  }
}
