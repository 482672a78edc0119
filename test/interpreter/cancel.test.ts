import { CancelSource } from '../../src/interpreter/cancel';

describe('CancelSource', () => {
  it('calls each listener once on cancel, in the order added, and none that was removed', () => {
    const source = new CancelSource();
    const calls: string[] = [];
    source.onCancel(() => calls.push('a'));
    const offB = source.onCancel(() => calls.push('b'));
    source.onCancel(() => calls.push('c'));
    offB();
    source.cancel();
    source.cancel();
    expect(calls).toEqual(['a', 'c']);
  });

  it('keeps a function added twice as two listeners, each removed on its own', () => {
    const source = new CancelSource();
    let calls = 0;
    const listener = () => { calls++; };
    const off = source.onCancel(listener);
    source.onCancel(listener);
    off();
    source.cancel();
    expect(calls).toBe(1);
  });

  it('cancels a child when its parent is cancelled', () => {
    const parent = new CancelSource();
    const child = new CancelSource(parent);
    parent.cancel();
    expect(child.cancelled).toBe(true);
  });

  it('tells an object listener in its place among the functions, and not once it has stopped listening', () => {
    const source = new CancelSource();
    const calls: string[] = [];
    source.onCancel(() => calls.push('a'));
    const b = { onCancelled: () => calls.push('b') };
    const gone = { onCancelled: () => calls.push('gone') };
    expect(source.listen(b)).toBe(true);
    source.listen(gone);
    source.onCancel(() => calls.push('c'));
    source.unlisten(gone);
    source.cancel();
    source.cancel();
    expect(calls).toEqual(['a', 'b', 'c']);
  });

  it('tells an object listener at once when the source is already cancelled, and does not keep it', () => {
    const source = new CancelSource();
    source.cancel();
    let told = 0;
    expect(source.listen({ onCancelled: () => { told++; } })).toBe(false);
    expect(told).toBe(1);
  });

  it('tells a single listener, and a listener added after the only one was removed', () => {
    const source = new CancelSource();
    const calls: string[] = [];
    const off = source.onCancel(() => calls.push('first'));
    off();
    source.onCancel(() => calls.push('second'));
    source.cancel();
    expect(calls).toEqual(['second']);
  });
});
