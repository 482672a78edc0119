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

/**
 * An object told of a cancellation by a method, not a closure: a virtual clock's timer listens
 * to its group's signal this way, with no function made for the listener or its removal. @internal
 */
export interface CancelListener {
  onCancelled(): void;
}

/** A listener as a source keeps it: the wrapper of a function, or an object. */
type Listener = (() => void) | CancelListener;

/** The owner's side of a {@link CancelSignal}. @internal */
export class CancelSource implements CancelSignal {
  // Declared, not defined, fields (see Call in engine.ts): every execution and every Parallel or Map makes one.
  declare public cancelled: boolean;
  // One listener is kept as is; two or more in a Set (a Map of 100,000 waiting iterations adds
  // and removes as many listeners, and removing from an array, indexOf + splice, made that
  // quadratic). Most sources never have more than one, and a Set costs some 150 bytes.
  declare private listeners: Listener | Set<Listener> | undefined;

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
    this.add(entry);
    return () => { this.remove(entry); };
  }

  /**
   * Tells `listener` when cancelled, as onCancel does; true when it listens, false when the
   * source was already cancelled (and the listener told at once). Remove it with {@link unlisten}.
   */
  listen(listener: CancelListener): boolean {
    if (this.cancelled) {
      listener.onCancelled();
      return false;
    }
    this.add(listener);
    return true;
  }

  /** Stops telling `listener`. */
  unlisten(listener: CancelListener): void {
    this.remove(listener);
  }

  private add(listener: Listener): void {
    const listeners = this.listeners;
    if (listeners === undefined) this.listeners = listener;
    else if (listeners instanceof Set) listeners.add(listener);
    else this.listeners = new Set([listeners, listener]);
  }

  private remove(listener: Listener): void {
    const listeners = this.listeners;
    if (listeners === listener) this.listeners = undefined;
    else if (listeners instanceof Set) listeners.delete(listener);
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners === undefined) return;
    if (listeners instanceof Set) for (const l of listeners) tell(l);
    else tell(listeners);
  }
}

function tell(listener: Listener): void {
  if (typeof listener === 'function') listener();
  else listener.onCancelled();
}

const noop = () => undefined;
