import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { ObjectStoreError, type ObjectStore } from '../../../src/interpreter/object-store';
import { EndpointObjectStore } from '../../../src/workbench/s3/endpoint-store';
import { FolderObjectStore, OWN_FOLDER } from '../../../src/workbench/s3/folder-store';
import { MemoryObjectStore } from '../../../src/workbench/s3/memory-store';

/*
 * Every key S3 takes round-trips Put → List → Get → Delete through each store, as on S3
 * ("Naming Amazon S3 objects": any UTF-8 text of 1 to 1,024 bytes), and the folder store's own
 * files are never a key: they live under the folder's root in a place no bucket (so no key) maps to.
 */

/** The tag the folder store gives this host in the names of its temporary files. */
const HOST_TAG = createHash('md5').update(os.hostname()).digest('hex').slice(0, 8);

/** The pid of a process of this host that has ended: one for the file, made when first asked for. */
let ended: number | undefined;
const deadPid = (): number => (ended ??= spawnSync(process.execPath, ['-e', '']).pid!);

/** Whether S3 refuses a key for its `..` segments: they lead above the bucket (400 Bad Request). */
function climbs(key: string): boolean {
  let depth = 0;
  for (const s of key.split('/')) {
    if (s === '..') {
      if (--depth < 0) return true;
    } else if (s !== '.') {
      depth++;
    }
  }
  return false;
}

/**
 * Any code point but a surrogate, as fast-check's `unit: 'binary'` draws them. That unit builds a
 * map of all 1,112,064 code points when first used, 1.4 s of CPU for each test file.
 */
const codePoint = fc.nat({ max: 0x10ffff - 0x800 }).map((n) => String.fromCodePoint(n < 0xd800 ? n : n + 0x800));

/** A key S3 takes: segments of any Unicode, dots, empty ones (a leading, doubled or trailing '/'), long ones, and the names a store might keep for itself. */
const segment = fc.oneof(
  fc.constantFrom('', '.', '..', 'a', 'a.b', '.stepwright-tmp-1-0badc0de-x', `.stepwright-tmp-99999999-${HOST_TAG}-x`, OWN_FOLDER, '%41', 'x=', 'CON', ' '),
  fc.string({ unit: codePoint, maxLength: 10 }),
  fc.string({ unit: fc.constantFrom('a', 'B', '.', '\\', '\0', '%', '=', ' ', '+', '\r', '\n', 'é', '\u{1F600}'), maxLength: 6 }),
  fc.string({ unit: 'binary-ascii', minLength: 240, maxLength: 420 }),
);
const legalKey = fc.array(segment, { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join('/'))
  .filter((k) => k !== '' && Buffer.byteLength(k) <= 1024 && !climbs(k));

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString();
const keysOf = (store: ObjectStore, bucket: string): string[] => {
  const out: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = store.list(bucket, { maxKeys: 7, ...(after !== undefined ? { startAfter: after } : {}) });
    out.push(...page.objects.map((o) => o.key));
    if (!page.truncated) return out;
    after = page.objects[page.objects.length - 1].key;
  }
};
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof ObjectStoreError ? e.code : `not an ObjectStoreError: ${String(e)}`;
  }
  return 'no error';
};

/** Puts every key (its body the key itself), lists them, reads each, deletes each: the store ends as it began. */
function roundTrip(store: ObjectStore, bucket: string, keys: readonly string[], already: readonly string[]): void {
  for (const k of keys) expect(store.write(bucket, k, `body:${k}`).key).toBe(k);
  const listed = keysOf(store, bucket);
  expect(listed).toEqual([...new Set([...keys, ...already])].sort(byBytes));
  for (const k of keys) {
    expect(store.head(bucket, k)).toMatchObject({ key: k, size: Buffer.byteLength(`body:${k}`) });
    expect(text(store.read(bucket, k, 1024 * 1024))).toBe(`body:${k}`);
  }
  // A listing by each key's own prefix finds it.
  for (const k of keys) expect(store.list(bucket, { prefix: k, maxKeys: 1000 }).objects.map((o) => o.key)).toContain(k);
  for (const k of keys) store.delete(bucket, k);
  for (const k of keys) if (!already.includes(k)) expect(codeOf(() => store.head(bucket, k))).toBe('NoSuchKey');
  expect(keysOf(store, bucket)).toEqual([...already].sort(byBytes));
}

describe('the folder store keeps every key S3 takes', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-s3-keys-'));
    fs.mkdirSync(path.join(dir, 'bucket-a', 'in'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'bucket-a', 'in', 'one.json'), '[1,2]');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips any legal key, alone or beside others, Put → List → Get → Delete, and leaves the user\'s files as they were', () => {
    const store = new FolderObjectStore(dir);
    fc.assert(fc.property(fc.uniqueArray(legalKey, { minLength: 1, maxLength: 5 }), (keys) => {
      roundTrip(store, 'bucket-a', keys, ['in/one.json']);
      expect(fs.readFileSync(path.join(dir, 'bucket-a', 'in', 'one.json'), 'utf8')).toBe('[1,2]');
    }), { numRuns: 100 });
    expect(fs.readdirSync(path.join(dir, OWN_FOLDER, 'tmp'))).toEqual([]);
  }, 120_000);

  it('lists, reads and keeps a key named like a temporary file of a dead process of this host (issue 74, defect 1)', () => {
    const dead = deadPid();
    const key = `out/.stepwright-tmp-${dead}-${HOST_TAG}-k3y`;
    const store = new FolderObjectStore(dir);
    store.write('bucket-a', key, 'kept');
    store.write('bucket-a', 'out/other.json', '{}');
    expect(store.list('bucket-a', { prefix: 'out/', maxKeys: 10 })).toMatchObject({ objects: [{ key }, { key: 'out/other.json' }] });
    expect(text(new FolderObjectStore(dir).read('bucket-a', key, 100))).toBe('kept');
    expect(keysOf(new FolderObjectStore(dir), 'bucket-a')).toEqual(['in/one.json', key, 'out/other.json']);
  });

  it('never deletes a file of the user\'s at a listing or a start: one named like the old temporary files is a key', () => {
    const dead = deadPid();
    const name = `.stepwright-tmp-${dead}-${HOST_TAG}-old`;
    fs.writeFileSync(path.join(dir, 'bucket-a', 'in', name), 'user data');
    const store = new FolderObjectStore(dir);
    expect(keysOf(store, 'bucket-a')).toEqual([`in/${name}`, 'in/one.json']);
    expect(keysOf(new FolderObjectStore(dir), 'bucket-a')).toEqual([`in/${name}`, 'in/one.json']);
    expect(fs.readFileSync(path.join(dir, 'bucket-a', 'in', name), 'utf8')).toBe('user data');
  });

  it('writes its temporary files in its own place, where no key maps, and removes at start only those a dead process of this host left', () => {
    const store = new FolderObjectStore(dir);
    const writing = store.openWrite('bucket-a', 'in/big.bin');
    writing.append('part');
    const tmp = path.join(dir, OWN_FOLDER, 'tmp');
    const [mine] = fs.readdirSync(tmp);
    expect(mine).toMatch(new RegExp(`^${process.pid}-${HOST_TAG}-[0-9a-z]+$`));
    // A listing meanwhile lists the keys, and neither lists nor touches a file being written.
    expect(keysOf(store, 'bucket-a')).toEqual(['in/one.json']);
    const dead = deadPid();
    const deadName = mine.replace(`${process.pid}-`, `${dead}-`);
    const otherHost = deadName.replace(`-${HOST_TAG}-`, '-00000000-');
    fs.writeFileSync(path.join(tmp, deadName), Buffer.alloc(1024));
    fs.writeFileSync(path.join(tmp, otherHost), 'x');
    expect(keysOf(store, 'bucket-a')).toEqual(['in/one.json']);
    expect(fs.readdirSync(tmp).sort()).toEqual([deadName, mine, otherHost].sort());
    // A store that starts cleans up what a dead process of this host left, and nothing else.
    void new FolderObjectStore(dir);
    expect(fs.readdirSync(tmp).sort()).toEqual([mine, otherHost].sort());
    writing.close();
    expect(keysOf(store, 'bucket-a')).toEqual(['in/big.bin', 'in/one.json']);
    expect(fs.readdirSync(tmp)).toEqual([otherHost]);
  });

  it('keeps a key whose path another key holds (a beside a/b, a/ beside a) and one that is no path of files in its own place, and no bucket is named like it', () => {
    const store = new FolderObjectStore(dir);
    for (const k of ['a', 'a/b', 'a/', '//x', 'a/../b', 'nul\0', 'x'.repeat(300)]) store.write('bucket-a', k, k);
    expect(fs.readFileSync(path.join(dir, 'bucket-a', 'a'), 'utf8')).toBe('a');
    expect(fs.readdirSync(path.join(dir, OWN_FOLDER, 'keys'))).toEqual(['bucket-a']);
    expect(codeOf(() => store.head(OWN_FOLDER, 'x'))).toBe('InvalidBucketName');
    expect(codeOf(() => store.list(OWN_FOLDER, { maxKeys: 1 }))).toBe('InvalidBucketName');
    // Written again once its path is free, a key moves to its path of files: one copy of it, listed once.
    store.delete('bucket-a', 'a');
    store.write('bucket-a', 'a/b', 'again');
    expect(fs.readFileSync(path.join(dir, 'bucket-a', 'a', 'b'), 'utf8')).toBe('again');
    expect(keysOf(store, 'bucket-a').filter((k) => k === 'a/b')).toEqual(['a/b']);
    expect(text(store.read('bucket-a', 'a/b', 100))).toBe('again');
  });

  it('refuses only the keys S3 refuses: empty, over 1,024 bytes, no UTF-8 text, or \'..\' leading above the bucket', () => {
    const store = new FolderObjectStore(dir);
    expect(codeOf(() => store.write('bucket-a', '', 'x'))).toBe('InvalidArgument');
    expect(codeOf(() => store.write('bucket-a', 'k'.repeat(1025), 'x'))).toBe('KeyTooLongError');
    expect(codeOf(() => store.write('bucket-a', `${'é'.repeat(512)}k`, 'x'))).toBe('KeyTooLongError');
    expect(codeOf(() => store.write('bucket-a', 'lone\uD800', 'x'))).toBe('InvalidArgument');
    for (const k of ['..', '../x', 'a/../../x', './..', '/../../x']) expect([k, codeOf(() => store.write('bucket-a', k, 'x'))]).toEqual([k, 'InvalidArgument']);
    expect(store.write('bucket-a', 'k'.repeat(1024), 'x').key).toHaveLength(1024);
    expect(fs.readdirSync(path.join(dir, 'bucket-a')).sort()).toEqual(['in', 'k'.repeat(1024)].filter((n) => n.length <= 255).sort());
  });
});

describe('the memory store keeps every key S3 takes', () => {
  it('round-trips any legal key, Put → List → Get → Delete', () => {
    const store = new MemoryObjectStore();
    store.createBucket('bucket-a');
    fc.assert(fc.property(fc.uniqueArray(legalKey, { minLength: 1, maxLength: 5 }), (keys) => roundTrip(store, 'bucket-a', keys, [])), { numRuns: 100 });
  });
});

describe('the endpoint store (--endpoint s3=) keeps every key S3 takes', () => {
  let worker: Worker;
  let store: EndpointObjectStore;
  beforeAll(async () => {
    worker = new Worker(path.join(__dirname, 's3-compatible-server.mjs'), { workerData: { buckets: { 'bucket-a': { 'in/one.json': '[1,2]' } } } });
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port: number }) => resolve(m.port));
      worker.once('error', reject);
    });
    store = new EndpointObjectStore(new URL(`http://127.0.0.1:${port}`), 'us-east-1');
  });
  afterAll(async () => {
    store.close();
    await worker.terminate();
  });

  it('round-trips any legal key through a local S3 server, Put → List → Get → Delete', () => {
    fc.assert(fc.property(fc.uniqueArray(legalKey, { minLength: 1, maxLength: 3 }), (keys) => roundTrip(store, 'bucket-a', keys, ['in/one.json'])), { numRuns: 40 });
  }, 120_000);

  it('refuses the keys S3 refuses before anything is sent', () => {
    for (const k of ['', '../x', 'lone\uDC00', 'k'.repeat(1025)]) expect(codeOf(() => store.write('bucket-a', k, 'x'))).not.toBe('no error');
  });
});
