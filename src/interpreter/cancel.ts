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
  public cancelled = false;
  private listeners: Array<() => void> | undefined;

  constructor(parent?: CancelSignal) {
    parent?.onCancel(() => this.cancel());
  }

  onCancel(listener: () => void): () => void {
    if (this.cancelled) {
      listener();
      return noop;
    }
    (this.listeners ??= []).push(listener);
    return () => {
      const i = this.listeners?.indexOf(listener) ?? -1;
      if (i >= 0) this.listeners!.splice(i, 1);
    };
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
