import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { ObjectStore } from '../../../src/interpreter/object-store';
import { FolderObjectStore } from '../../../src/workbench/s3/folder-store';
import { MemoryObjectStore } from '../../../src/workbench/s3/memory-store';
import { OverlayObjectStore } from '../../../src/workbench/s3/read-only-store';
import { answerS3Task } from '../../../src/workbench/s3/s3-tasks';

/*
 * A listing reads the keys it answers with, not the bucket: a page of ListObjectsV2 with a
 * Delimiter asks the store once per common prefix, so a store that filtered and sorted every key of
 * the bucket at each call made one page of 1,000 prefixes cost 1,000 sorts of the bucket (41 s for
 * 5,000 keys in memory).
 */

const LIST = 'arn:aws:states:::aws-sdk:s3:listObjectsV2';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-listing-'));
  fs.mkdirSync(path.join(dir, 'bucket-a'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** S3's order: the keys' UTF-8 bytes. */
const s3Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

const STORES: ReadonlyArray<[string, () => ObjectStore]> = [
  ['the memory store', () => {
    const store = new MemoryObjectStore(() => 0);
    store.createBucket('bucket-a');
    return store;
  }],
  ['the folder store', () => new FolderObjectStore(dir, () => 0)],
  ['the read-only folder with writes kept over it', () => new OverlayObjectStore(new FolderObjectStore(dir, () => 0, { readOnly: true }), () => 0)],
];

/**
 * The string comparisons a call makes: keys with a surrogate pair (emoji) are compared by their
 * UTF-8 bytes (Buffer.compare), the others with `startsWith` and `<`; both are counted.
 */
function countComparisons(call: () => void): number {
  const compare = jest.spyOn(Buffer, 'compare');
  const startsWith = jest.spyOn(String.prototype, 'startsWith');
  try {
    call();
    return compare.mock.calls.length + startsWith.mock.calls.length;
  } finally {
    compare.mockRestore();
    startsWith.mockRestore();
  }
}

describe.each(STORES)('%s', (_name, make) => {
  it('lists the keys under a prefix after StartAfter, MaxKeys at a time, in the order of their UTF-8 bytes', () => {
    // Letters, '/', a character past the surrogates (U+E000..U+FFFF) and a pair: the orders of UTF-16 and UTF-8 part there.
    const char = fc.constantFrom('a', 'b', '/', '\uE000', '\uFFFF', '😀', 'é');
    const key = fc.array(char, { minLength: 1, maxLength: 5 }).map((cs) => cs.join(''));
    fc.assert(fc.property(
      fc.uniqueArray(key, { minLength: 0, maxLength: 12 }),
      fc.array(char, { maxLength: 2 }).map((cs) => cs.join('')),
      fc.option(key, { nil: undefined }),
      fc.integer({ min: 0, max: 5 }),
      (keys, prefix, startAfter, maxKeys) => {
        fs.rmSync(path.join(dir, '.stepwright-s3'), { recursive: true, force: true });
        fs.rmSync(path.join(dir, 'bucket-a'), { recursive: true, force: true });
        fs.mkdirSync(path.join(dir, 'bucket-a'));
        const store = make();
        for (const k of keys) store.write('bucket-a', k, k);
        // One written and deleted: a listing never shows it.
        store.write('bucket-a', 'gone', 'x');
        store.delete('bucket-a', 'gone');
        const expected = keys.filter((k) => k.startsWith(prefix) && (startAfter === undefined || s3Order(k, startAfter) > 0)).sort(s3Order);
        const page = store.list('bucket-a', { prefix, startAfter, maxKeys });
        expect(page.objects.map((o) => o.key)).toEqual(expected.slice(0, maxKeys));
        expect(page.truncated).toBe(expected.length > maxKeys);
      },
    ), { numRuns: 60 });
  });
});

describe.each([
  ['the memory store', false],
  ['a store with writes kept over another (a read-only folder\'s)', true],
])('%s', (_name, overlay) => {
  it('lists a page of 200 common prefixes under a prefix with at most 200 comparisons a prefix, not a sort of the bucket per prefix', () => {
    const base = new MemoryObjectStore(() => 0);
    base.createBucket('bucket-a');
    const listed = overlay ? new OverlayObjectStore(base, () => 0) : base;
    for (let i = 0; i < 2000; i++) base.write('bucket-a', `out/${i}`, '{}');
    // Half the keys listed are the base's, half the overlay's: both are read in order.
    for (let i = 0; i < 400; i++) (i % 2 === 0 ? base : listed).write('bucket-a', `in/📁${String(i).padStart(4, '0')}/x.json`, '{}');
    let page: any;
    const comparisons = countComparisons(() => {
      page = answerS3Task(listed, LIST, { Bucket: 'bucket-a', Prefix: 'in/', Delimiter: '/', MaxKeys: 200 });
    });
    expect(page.CommonPrefixes).toHaveLength(200);
    expect(page.CommonPrefixes[199]).toEqual({ Prefix: 'in/📁0199/' });
    expect(page.IsTruncated).toBe(true);
    expect(comparisons).toBeLessThan(200 * 200);
  });
});
