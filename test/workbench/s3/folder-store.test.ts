import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ObjectStoreError } from '../../../src/interpreter/object-store';
import { FolderObjectStore, S3FolderError } from '../../../src/workbench/s3/folder-store';
import { CHUNK_BYTES, MemoryObjectStore } from '../../../src/workbench/s3/memory-store';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-s3-'));
  fs.mkdirSync(path.join(dir, 'bucket-a', 'in'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'bucket-a', 'in', 'one.json'), '[1,2]');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof ObjectStoreError ? e.code : `not an ObjectStoreError: ${String(e)}`;
  }
  return 'no error';
};

describe('FolderObjectStore', () => {
  it('reads a key as the file under its bucket folder, with its size and the quoted MD5 ETag of what it wrote', () => {
    const store = new FolderObjectStore(dir);
    expect(new TextDecoder().decode(store.read('bucket-a', 'in/one.json', 100))).toBe('[1,2]');
    expect(store.head('bucket-a', 'in/one.json')).toMatchObject({ key: 'in/one.json', size: 5 });
    store.write('bucket-a', 'in/two.json', '[3]');
    expect(store.head('bucket-a', 'in/two.json')).toMatchObject({ key: 'in/two.json', size: 3, etag: `"${createHash('md5').update('[3]').digest('hex')}"` });
  });

  it('lists a file put in the folder by another process since its last listing, at the next listing\'s first page', () => {
    const store = new FolderObjectStore(dir);
    expect(store.list('bucket-a', { maxKeys: 10 }).objects.map((o) => o.key)).toEqual(['in/one.json']);
    fs.writeFileSync(path.join(dir, 'bucket-a', 'in', 'added.json'), '[]');
    fs.rmSync(path.join(dir, 'bucket-a', 'in', 'one.json'));
    expect(store.list('bucket-a', { maxKeys: 10 }).objects.map((o) => o.key)).toEqual(['in/added.json']);
  });

  it('reads the folder once for the pages of one listing', () => {
    const store = new FolderObjectStore(dir);
    for (const name of ['a', 'b', 'c']) fs.writeFileSync(path.join(dir, 'bucket-a', 'in', `${name}.json`), '[]');
    const first = store.list('bucket-a', { prefix: 'in/', maxKeys: 2 });
    expect(first.objects.map((o) => o.key)).toEqual(['in/a.json', 'in/b.json']);
    // Put in the folder by hand between two pages: the listing goes on with the keys it read.
    fs.writeFileSync(path.join(dir, 'bucket-a', 'in', 'bb.json'), '[]');
    expect(store.list('bucket-a', { prefix: 'in/', startAfter: 'in/b.json', maxKeys: 10 }).objects.map((o) => o.key)).toEqual(['in/c.json', 'in/one.json']);
  });

  it('reads an object a chunk at a time to the size it had when opened, though another process appends to the file meanwhile', () => {
    const store = new FolderObjectStore(dir);
    const file = path.join(dir, 'bucket-a', 'in', 'growing.jsonl');
    fs.writeFileSync(file, Buffer.alloc(3 * CHUNK_BYTES, 'a'));
    let read = 0;
    let appended = 0;
    for (const chunk of store.chunks('bucket-a', 'in/growing.jsonl')) {
      read += chunk.length;
      // A writer that never pauses: every chunk read, the file grows by more.
      if (appended++ < 100) fs.appendFileSync(file, Buffer.alloc(2 * CHUNK_BYTES, 'b'));
    }
    expect(read).toBe(3 * CHUNK_BYTES);
    expect(fs.statSync(file).size).toBeGreaterThan(3 * CHUNK_BYTES);
  });

  it('tags a file it did not write by its size, time and inode, without reading it: the tag holds while the file does and changes with it', () => {
    const store = new FolderObjectStore(dir);
    const file = path.join(dir, 'bucket-a', 'in', 'one.json');
    const before = store.head('bucket-a', 'in/one.json').etag;
    expect(before).toMatch(/^"[0-9a-f]{32}"$/);
    expect(store.list('bucket-a', { maxKeys: 10 }).objects[0].etag).toBe(before);
    expect(new FolderObjectStore(dir).head('bucket-a', 'in/one.json').etag).toBe(before);
    // Unreadable, the file is still described: its body is not what the tag is made of.
    fs.chmodSync(file, 0o000);
    try {
      expect(store.head('bucket-a', 'in/one.json').etag).toBe(before);
    } finally {
      fs.chmodSync(file, 0o644);
    }
    fs.writeFileSync(file, '[1,2,3]');
    expect(store.head('bucket-a', 'in/one.json').etag).not.toBe(before);
  });

  it('answers NoSuchBucket for a bucket with no folder and NoSuchKey for a key with no file', () => {
    const store = new FolderObjectStore(dir);
    expect(codeOf(() => store.head('bucket-b', 'x'))).toBe('NoSuchBucket');
    expect(codeOf(() => store.head('bucket-a', 'in/two.json'))).toBe('NoSuchKey');
    expect(codeOf(() => store.head('bucket-a', 'in'))).toBe('NoSuchKey');
  });

  it('refuses keys S3 refuses and bucket names that are no folder name, before touching the disk', () => {
    const store = new FolderObjectStore(dir);
    for (const key of ['../escape', 'in/../../x', '..', '']) {
      expect([key, codeOf(() => store.write('bucket-a', key, 'x'))]).toEqual([key, 'InvalidArgument']);
    }
    for (const bucket of ['..', '.', 'a/b', '', 'x'.repeat(64), '.stepwright-s3']) {
      expect([bucket, codeOf(() => store.write(bucket, 'k', 'x'))]).toEqual([bucket, 'InvalidBucketName']);
    }
    expect(codeOf(() => store.write('bucket-a', 'k'.repeat(1025), 'x'))).toBe('KeyTooLongError');
    expect(fs.readdirSync(dir)).toEqual(['bucket-a']);
  });

  it('never writes through a symbolic link: not a linked folder on the way, not a link at the key', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-outside-'));
    try {
      fs.symlinkSync(outside, path.join(dir, 'bucket-a', 'linked'));
      const store = new FolderObjectStore(dir);
      expect(codeOf(() => store.write('bucket-a', 'linked/evil.txt', 'x'))).toBe('InvalidArgument');
      const target = path.join(outside, 'target.txt');
      fs.writeFileSync(target, 'keep');
      fs.symlinkSync(target, path.join(dir, 'bucket-a', 'at-key'));
      store.write('bucket-a', 'at-key', 'new');
      expect(fs.readFileSync(target, 'utf8')).toBe('keep');
      expect(fs.lstatSync(path.join(dir, 'bucket-a', 'at-key')).isFile()).toBe(true);
      expect(fs.readdirSync(outside)).toEqual(['target.txt']);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('does not read or list a symbolic link as an object', () => {
    fs.symlinkSync(path.join(dir, 'bucket-a', 'in', 'one.json'), path.join(dir, 'bucket-a', 'link.json'));
    const store = new FolderObjectStore(dir);
    expect(codeOf(() => store.read('bucket-a', 'link.json', 100))).toBe('NoSuchKey');
    expect(store.list('bucket-a', { maxKeys: 10 }).objects.map((o) => o.key)).toEqual(['in/one.json']);
  });

  it('says why a key whose path holds a link, a folder or a pipe is no object', () => {
    fs.symlinkSync(path.join(dir, 'bucket-a', 'in', 'one.json'), path.join(dir, 'bucket-a', 'link.json'));
    const store = new FolderObjectStore(dir);
    const messageOf = (key: string): string => {
      try {
        store.read('bucket-a', key, 100);
      } catch (e) {
        return e instanceof ObjectStoreError ? `${e.code}: ${e.message}` : `not an ObjectStoreError: ${String(e)}`;
      }
      return 'no error';
    };
    expect(messageOf('link.json')).toBe('NoSuchKey: The specified key does not exist: link.json '
      + '(the folder holds a symbolic link there, which the local S3 never follows: put the file itself there)');
    expect(messageOf('in')).toBe('NoSuchKey: The specified key does not exist: in (the folder holds a folder there: its objects are the keys under it)');
    expect(messageOf('absent.json')).toBe('NoSuchKey: The specified key does not exist: absent.json');
  });

  it('lists keys in UTF-8 byte order, by prefix, a page at a time after a key', () => {
    const store = new FolderObjectStore(dir);
    for (const key of ['in/b.txt', 'in/a.txt', 'out/c.txt', 'in/\u00e9.txt', 'in/Z.txt']) store.write('bucket-a', key, key);
    expect(store.list('bucket-a', { prefix: 'in/', maxKeys: 10 }).objects.map((o) => o.key))
      .toEqual(['in/Z.txt', 'in/a.txt', 'in/b.txt', 'in/one.json', 'in/\u00e9.txt']);
    const first = store.list('bucket-a', { prefix: 'in/', maxKeys: 2 });
    expect(first).toMatchObject({ truncated: true });
    const second = store.list('bucket-a', { prefix: 'in/', maxKeys: 2, startAfter: first.objects[1].key });
    expect(second.objects.map((o) => o.key)).toEqual(['in/b.txt', 'in/one.json']);
  });

  it('refuses to read a body whole past the bound it is given', () => {
    const store = new FolderObjectStore(dir);
    expect(codeOf(() => store.read('bucket-a', 'in/one.json', 4))).toBe('EntityTooLarge');
  });

  it('heads, lists and reads a range of an object over 2 GiB without reading it whole', () => {
    const file = path.join(dir, 'bucket-a', 'huge.bin');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 3 * 1024 ** 3);
    const store = new FolderObjectStore(dir);
    expect(store.head('bucket-a', 'huge.bin').size).toBe(3 * 1024 ** 3);
    expect(store.list('bucket-a', { maxKeys: 10 }).objects.find((o) => o.key === 'huge.bin')?.size).toBe(3 * 1024 ** 3);
    expect([...store.readRange('bucket-a', 'huge.bin', 3 * 1024 ** 3 - 4, 3 * 1024 ** 3)]).toEqual([0, 0, 0, 0]);
    expect(codeOf(() => store.read('bucket-a', 'huge.bin', 262_144))).toBe('EntityTooLarge');
  });

  it('keeps a key with a segment over 255 bytes (S3 bounds only the whole key) in its own place, listed and read as any other', () => {
    const store = new FolderObjectStore(dir);
    const key = `out/${'s'.repeat(256)}/result.json`;
    store.write('bucket-a', key, 'x');
    expect(store.head('bucket-a', key)).toMatchObject({ key, size: 1 });
    expect(store.list('bucket-a', { prefix: 'out/', maxKeys: 10 }).objects.map((o) => o.key)).toEqual([key]);
    expect(fs.readdirSync(path.join(dir, 'bucket-a')).sort()).toEqual(['in']);
    store.delete('bucket-a', key);
    expect(codeOf(() => store.head('bucket-a', key))).toBe('NoSuchKey');
    expect(fs.readdirSync(path.join(dir, '.stepwright-s3', 'keys', 'bucket-a'))).toEqual([]);
  });

  it('fails a write the folder refuses with S3\'s error, without its path or a temporary file left behind', () => {
    const store = new FolderObjectStore(dir);
    // The store's own place taken by a file: the write fails as S3 fails, not as the runtime does.
    fs.writeFileSync(path.join(dir, '.stepwright-s3'), 'x');
    let error: unknown;
    try {
      store.write('bucket-a', 'in/inside.json', 'x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ObjectStoreError);
    expect((error as ObjectStoreError).code).toBe('InternalError');
    expect(String((error as Error).message)).not.toContain(dir);
    expect(fs.readdirSync(path.join(dir, 'bucket-a', 'in'))).toEqual(['one.json']);
  });

  it('writes a key whose path is held by another key\'s file beside it, not through it', () => {
    const store = new FolderObjectStore(dir);
    fs.writeFileSync(path.join(dir, 'bucket-a', 'flat'), 'x');
    store.write('bucket-a', 'flat/inside.json', 'y');
    expect(fs.readFileSync(path.join(dir, 'bucket-a', 'flat'), 'utf8')).toBe('x');
    expect(new TextDecoder().decode(store.read('bucket-a', 'flat/inside.json', 10))).toBe('y');
    expect(store.list('bucket-a', { maxKeys: 10 }).objects.map((o) => o.key)).toEqual(['flat', 'flat/inside.json', 'in/one.json']);
  });

  it('removes the folders a deleted key leaves empty, up to its bucket folder, so a later key of a folder\'s name is a file of its own', () => {
    const store = new FolderObjectStore(dir);
    store.write('bucket-a', 'runs/2024/01/result.json', '{}');
    store.write('bucket-a', 'runs/kept.json', '{}');
    store.delete('bucket-a', 'runs/2024/01/result.json');
    expect(fs.readdirSync(path.join(dir, 'bucket-a', 'runs'))).toEqual(['kept.json']);
    store.write('bucket-a', 'runs/2024', 'a key named as the folder was');
    expect(fs.readFileSync(path.join(dir, 'bucket-a', 'runs', '2024'), 'utf8')).toBe('a key named as the folder was');
    expect(fs.existsSync(path.join(dir, '.stepwright-s3', 'keys'))).toBe(false);
    store.delete('bucket-a', 'runs/2024');
    store.delete('bucket-a', 'runs/kept.json');
    store.delete('bucket-a', 'in/one.json');
    // An empty bucket is still a bucket: its folder stays, and the local S3's folder with it.
    expect(fs.readdirSync(path.join(dir, 'bucket-a'))).toEqual([]);
    expect(store.list('bucket-a', { maxKeys: 10 }).objects).toEqual([]);
  });

  it('leaves a folder with a link in it, and never removes a folder through a link', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-s3-outside-'));
    try {
      fs.mkdirSync(path.join(outside, 'empty'));
      const store = new FolderObjectStore(dir);
      store.write('bucket-a', 'linked/x.json', '{}');
      fs.symlinkSync(outside, path.join(dir, 'bucket-a', 'linked', 'elsewhere'));
      store.delete('bucket-a', 'linked/x.json');
      expect(fs.readdirSync(path.join(dir, 'bucket-a', 'linked'))).toEqual(['elsewhere']);
      expect(codeOf(() => store.delete('bucket-a', 'linked/elsewhere/empty/y.json'))).toBe('InvalidArgument');
      expect(fs.readdirSync(outside)).toEqual(['empty']);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('stamps what it writes with the clock it is given, as the memory store does', () => {
    const store = new FolderObjectStore(dir, () => Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(store.write('bucket-a', 'out/stamped.json', '{}').lastModified).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(store.head('bucket-a', 'out/stamped.json').lastModified).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
  });

  it('says plainly when its folder does not exist', () => {
    expect(() => new FolderObjectStore(path.join(dir, 'missing'))).toThrow(S3FolderError);
  });

  it('leaves no temporary file behind and streams a body in chunks', () => {
    const store = new FolderObjectStore(dir);
    const big = 'x'.repeat(200_000);
    store.write('bucket-a', 'big.txt', big);
    expect(fs.readdirSync(path.join(dir, 'bucket-a')).sort()).toEqual(['big.txt', 'in']);
    expect(fs.readdirSync(path.join(dir, '.stepwright-s3', 'tmp'))).toEqual([]);
    const chunks = [...store.chunks('bucket-a', 'big.txt')];
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).toString()).toBe(big);
  });
});

describe('MemoryObjectStore', () => {
  it('holds the same names to the same rules as the folder store', () => {
    const store = new MemoryObjectStore();
    store.createBucket('bucket-a');
    expect(codeOf(() => store.write('bucket-a', '../x', 'x'))).toBe('InvalidArgument');
    expect(codeOf(() => store.head('nope-bucket', 'x'))).toBe('NoSuchBucket');
    expect(codeOf(() => store.head('bucket-a', '__proto__'))).toBe('NoSuchKey');
  });
});
