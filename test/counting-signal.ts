import { CancelSource, type CancelListener } from '../src/interpreter/cancel';

/** A cancel signal that counts the listeners added to it and those not yet removed. */
export function countingSignal(): CancelSource & { added: number; listening: () => number } {
  const source = new CancelSource();
  let added = 0;
  let removed = 0;
  const onCancel = source.onCancel.bind(source);
  const listen = source.listen.bind(source);
  const unlisten = source.unlisten.bind(source);
  // The engine's own listeners (a virtual clock's timers) listen as objects, without onCancel.
  const listeners = new Set<CancelListener>();
  const counted = Object.assign(source, {
    added: 0,
    listening: () => added - removed,
    onCancel(listener: () => void) {
      counted.added = ++added;
      const off = onCancel(listener);
      let done = false;
      return () => { if (!done) { done = true; removed++; } off(); };
    },
    listen(listener: CancelListener) {
      counted.added = ++added;
      const listening = listen(listener);
      if (listening) listeners.add(listener);
      else removed++;
      return listening;
    },
    unlisten(listener: CancelListener) {
      if (listeners.delete(listener)) removed++;
      unlisten(listener);
    },
  });
  return counted;
}
