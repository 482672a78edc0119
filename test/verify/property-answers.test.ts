import { Worker } from 'node:worker_threads';
import { PredicateStoppedError } from '../../src/explore/properties';
import { answered, answerTo } from '../../src/workbench/commands/property-host';
import { SIGNAL } from '../../src/workbench/commands/property-protocol';

/*
 * verify calls a property module's function in a worker thread and waits on a shared count for
 * its answer. The thread posts the answer, counts it, then wakes verify; a wake can land after
 * verify has already seen the count move and read that answer, while it waits on the next call.
 * Taken as an answer, that wake read nothing, and every later call read the answer of the call
 * before it (a predicate answered for another property: seen once in bench:verify-outside).
 */

describe('waiting for a property thread\'s answer', () => {
  it('takes no wake for an answer: it returns only once the count has moved', async () => {
    const signal = new Int32Array(new SharedArrayBuffer(8 * Int32Array.BYTES_PER_ELEMENT));
    // Wakes the waiter without counting, until a wake has reached it (notify says how many it
    // woke) and then another one: so the waiter waited again after a wake that brought nothing.
    // Only then does it mark that, count an answer and wake it. A waiter that took the first wake
    // for an answer returns with the count unmoved.
    const worker = new Worker(`
      const { workerData } = require('node:worker_threads');
      const signal = new Int32Array(workerData);
      while (Atomics.notify(signal, ${SIGNAL.answers}) < 1) {}
      while (Atomics.notify(signal, ${SIGNAL.answers}) < 1) {}
      Atomics.store(signal, 7, 1);
      Atomics.add(signal, ${SIGNAL.answers}, 1);
      Atomics.notify(signal, ${SIGNAL.answers});
    `, { eval: true, workerData: signal.buffer });
    try {
      const got = answered({ worker, signal }, 0, 600_000);
      expect(got).toBe('answered');
      // The wakes without an answer happened, and the answer was counted before the wait ended.
      expect(Atomics.load(signal, 7)).toBe(1);
      expect(Atomics.load(signal, SIGNAL.answers)).toBe(1);
    } finally {
      await worker.terminate();
    }
  });

  it('returns at once when the count moved before it waits', async () => {
    const signal = new Int32Array(new SharedArrayBuffer(8 * Int32Array.BYTES_PER_ELEMENT));
    Atomics.store(signal, SIGNAL.answers, 3);
    const worker = new Worker('', { eval: true });
    try {
      expect(answered({ worker, signal }, 2, 600_000)).toBe('answered');
    } finally {
      await worker.terminate();
    }
  });
});

describe('reading a property thread\'s answer', () => {
  it('takes the answer to the call it made', () => {
    expect(answerTo(4, { callId: 4, answer: { value: false } }, 'p')).toEqual({ value: false });
  });

  it('refuses the property, never taking it for a verdict, when the answer is another call\'s', () => {
    expect(() => answerTo(5, { callId: 4, answer: { value: false } }, 'newCard')).toThrow(PredicateStoppedError);
    expect(() => answerTo(5, { callId: 4, answer: { value: false } }, 'newCard')).toThrow(/property 'newCard'.*call 5 read the answer to call 4/);
  });

  it('refuses the property when there is no answer to read', () => {
    expect(() => answerTo(5, undefined, 'newCard')).toThrow(/call 5 read no answer/);
  });
});
