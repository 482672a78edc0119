import { gzipSync } from 'node:zlib';
import { zstdNewlines } from './bombs';
import type { JsonValue } from '../../../src/asl/definition-types';
import { StatesError } from '../../../src/asl/states-errors';
import { csvRows } from '../../../src/interpreter/states/csv-rows';
import { jsonLines } from '../../../src/interpreter/states/json-items';
import { PAUSE, SKIPS_PER_PAUSE } from '../../../src/interpreter/states/reader-pause';
import { storedItems } from '../../../src/interpreter/states/stored-items';
import { MemoryObjectStore } from '../../../src/workbench/s3/memory-store';

/*
 * Readers never run long without a pause (where the Map's item stream gives the event loop a
 * turn), count what they skip, and bound what one ItemReader reads in all, across its files.
 */

const bytes = (text: string): Uint8Array => Buffer.from(text);
const items = (values: Iterable<unknown>): { items: unknown[]; pauses: number } => {
  const out: unknown[] = [];
  let pauses = 0;
  for (const v of values) {
    if (v === PAUSE) pauses++;
    else out.push(v);
  }
  return { items: out, pauses };
};
const sync = (values: unknown): Iterable<unknown> => values as Iterable<unknown>;

describe('a JSON Lines reader', () => {
  it('skips blank lines, counting each, and pauses once a chunk has passed over a few thousand', () => {
    const run = bytes('\n'.repeat(SKIPS_PER_PAUSE));
    const read = items(jsonLines([run, run, run, run, run, bytes('{"a":1}\n\r\n  \n{"a":2}'), bytes('\n'.repeat(SKIPS_PER_PAUSE - 10))]));
    expect(read.items).toEqual([{ a: 1 }, { a: 2 }]);
    expect(read.pauses).toBe(5);
  });

  it('names the line a bad one is on after a run of blank lines, read in chunks of any size', () => {
    const text = `{"a":1}\n${'\n'.repeat(10_000)}  {bad\n`;
    for (const size of [1, 3, 7, 64 * 1024]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < text.length; at += size) chunks.push(bytes(text.slice(at, at + size)));
      let error: unknown;
      try {
        items(jsonLines(chunks));
      } catch (e) {
        error = e;
      }
      expect([size, (error as StatesError).cause]).toEqual([size, "Line 10002 of the JSONL object could not be parsed as JSON: '{bad'."]);
    }
  });

  it('reads a character split between two chunks after blank lines', () => {
    const text = Buffer.from('\n\n{"w":"日本"}\n');
    const cut = text.indexOf(0xe6) + 1;
    expect(items(jsonLines([text.subarray(0, cut), text.subarray(cut)])).items).toEqual([{ w: '日本' }]);
  });
});

describe('a CSV reader', () => {
  it('skips blank rows at once, and pauses once it has passed over a few thousand', () => {
    const run = '\r\n'.repeat(SKIPS_PER_PAUSE);
    const read = items(csvRows(['a,b\n', run, run, run, '1,2\n\n\n3,4'], ','));
    expect(read.items).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(read.pauses).toBe(3);
  });
});

describe('an ItemReader of the local S3', () => {
  const store = new MemoryObjectStore();
  store.createBucket('data');
  const LINES = 64 * 1024;
  // 64 KiB of blank lines, and one item, compressed to a few hundred bytes.
  const small = gzipSync(`${'\n'.repeat(LINES)}{"n":1}\n`);
  store.write('data', 'small.jsonl.gz', small);
  store.write('data', 'small.csv.gz', gzipSync(`${'\n'.repeat(LINES)}x,y\n`));
  const files = 1000;
  store.write('data', 'manifest.json', JSON.stringify({
    fileFormat: 'CSV', fileSchema: 'Bucket, Key', files: Array.from({ length: files }, () => ({ key: 'small.csv.gz' })),
  }));
  for (let i = 0; i < 50; i++) store.write('data', `empty/${String(i).padStart(3, '0')}.jsonl`, '');
  store.write('data', 'bomb.jsonl.zst', zstdNewlines(64 * 1024 * 1024));

  it('reads a manifest that lists one small file a thousand times within one bound on what it expands to, not one per file', () => {
    const read = storedItems(store, 'arn:aws:states:::s3:getObject', { Bucket: 'data', Key: 'manifest.json' }, { InputType: 'MANIFEST' }, undefined, 10 * 1024 * 1024);
    let error: unknown;
    let rows = 0;
    try {
      for (const v of sync(read)) if (v !== PAUSE) rows++;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StatesError);
    expect((error as StatesError).error).toBe('States.ItemReaderFailed');
    expect((error as StatesError).cause).toMatch(/^The ItemReader read more than 10485760 bytes in all \(after decompression, across every file it read\)/);
    // 10 MiB of 64 KiB files: about 160 of the 1,000 were read.
    expect(rows).toBeGreaterThan(100);
    expect(rows).toBeLessThan(200);
  });

  it('counts skipped bytes toward the bound: a file of blank lines past it fails the read', () => {
    const read = storedItems(store, 'arn:aws:states:::s3:getObject', { Bucket: 'data', Key: 'bomb.jsonl.zst' }, { InputType: 'JSONL' }, undefined, 32 * 1024 * 1024);
    expect(() => items(sync(read))).toThrow(/read more than 33554432 bytes in all/);
  });

  it('pauses after each file of a LOAD_AND_FLATTEN listing, empty ones too', () => {
    const read = storedItems(store, 'arn:aws:states:::s3:listObjectsV2', { Bucket: 'data', Prefix: 'empty/' }, { InputType: 'JSONL', Transformation: 'LOAD_AND_FLATTEN' } as never);
    expect(items(sync(read))).toEqual({ items: [], pauses: 50 });
  });

  it('reads 64 MiB of blank lines in 8 KB of ZSTD as no item, with a pause at least every 128 KiB', () => {
    const read = items(sync(storedItems(store, 'arn:aws:states:::s3:getObject', { Bucket: 'data', Key: 'bomb.jsonl.zst' }, { InputType: 'JSONL' })));
    expect(read.items).toEqual([]);
    expect(read.pauses).toBeGreaterThanOrEqual(512);
  });

  it('reads the one item after 64 KiB of blank lines in a GZIP file', () => {
    const read = items(sync(storedItems(store, 'arn:aws:states:::s3:getObject', { Bucket: 'data', Key: 'small.jsonl.gz' }, { InputType: 'JSONL' })));
    expect(read.items as JsonValue[]).toEqual([{ n: 1 }]);
    expect(read.pauses).toBeGreaterThanOrEqual(1);
  });
});
