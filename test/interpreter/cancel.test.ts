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
});
