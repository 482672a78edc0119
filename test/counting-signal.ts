import { CancelSource } from '../src/interpreter/cancel';

/** A cancel signal that counts the listeners added to it and those not yet removed. */
export function countingSignal(): CancelSource & { added: number; listening: () => number } {
  const source = new CancelSource();
  let added = 0;
  let removed = 0;
  const onCancel = source.onCancel.bind(source);
  const counted = Object.assign(source, {
    added: 0,
    listening: () => added - removed,
    onCancel(listener: () => void) {
      counted.added = ++added;
      const off = onCancel(listener);
      let done = false;
      return () => { if (!done) { done = true; removed++; } off(); };
    },
  });
  return counted;
}
