/**
 * A cancellation signal for the clock and the engine. AbortController is
 * costly on a hot path (each abort builds a DOMException); this is a flag and
 * a list of listeners.
 */
export interface CancelSignal {
  /** True once cancelled. */
  readonly cancelled: boolean;
  /** Calls `listener` once when cancelled; returns a function that removes it. */
  onCancel(listener: () => void): () => void;
}

/** The owner's side of a {@link CancelSignal}. @internal */
export class CancelSource implements CancelSignal {
  // Declared, not defined, fields (see Call in engine.ts): every execution and every Parallel or Map makes one.
  declare public cancelled: boolean;
  // A Set: a Map of 100,000 waiting iterations adds and removes as many listeners, and
  // removing from an array (indexOf + splice) made that quadratic.
  declare private listeners: Set<() => void> | undefined;

  constructor(parent?: CancelSignal) {
    // Written twice, so V8 knows from the first source that the flag changes (see
    // ExecutionState's constructor): the first cancel, as the first execution ends, would
    // otherwise throw away the engine code it optimized on the flag staying false.
    this.cancelled = true;
    this.cancelled = false;
    this.listeners = undefined;
    parent?.onCancel(() => this.cancel());
  }

  onCancel(listener: () => void): () => void {
    if (this.cancelled) {
      listener();
      return noop;
    }
    // A wrapper, so the same function added twice is two listeners, each removed on its own.
    const entry = () => listener();
    (this.listeners ??= new Set()).add(entry);
    return () => { this.listeners?.delete(entry); };
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const l of listeners) l();
  }
}

const noop = () => undefined;
