import type { JsonValue } from '../../src/asl';
import { ItemStream } from '../../src/interpreter/states/item-stream';

/** An asynchronous reader of `total` items (as Parquet's is) that counts the reads asked of it before the last one answered. */
function countingReader(total: number): { items: AsyncIterator<JsonValue>; mostAtOnce: () => number } {
  let read = 0;
  let open = 0;
  let most = 0;
  return {
    items: {
      next: async () => {
        open++;
        most = Math.max(most, open);
        await Promise.resolve();
        open--;
        return read < total ? { done: false, value: read++ } : { done: true, value: undefined };
      },
    },
    mostAtOnce: () => most,
  };
}

describe('ItemStream', () => {
  it('reads one window at a time when many iterations ask for items at once, and gives each the item it asked for', async () => {
    const reader = countingReader(5_000);
    const stream = new ItemStream(reader.items, undefined, undefined, undefined);
    // As a Map Run's workers do when they all reach the end of what is read.
    const asked = await Promise.all(Array.from({ length: 200 }, (_, k) => stream.ready(k * 20)));
    expect(asked.every((ok) => ok)).toBe(true);
    expect(reader.mostAtOnce()).toBe(1);
    expect(stream.input(3_980)).toBe(3_980);
    expect(await stream.ready(5_000)).toBe(false);
    expect(stream.count).toBe(5_000);
  });

  it('fails every iteration waiting for a read that fails', async () => {
    const items: AsyncIterator<JsonValue> = { next: () => Promise.reject(new Error('torn page')) };
    const stream = new ItemStream(items, undefined, undefined, undefined);
    const asked = await Promise.allSettled([stream.ready(0), stream.ready(1), stream.ready(2)]);
    expect(asked.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(asked.map((a) => (a as PromiseRejectedResult).reason.error)).toEqual(['States.ItemReaderFailed', 'States.ItemReaderFailed', 'States.ItemReaderFailed']);
  });
});
