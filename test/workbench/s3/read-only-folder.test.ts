import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StateMachineDefinition } from '../../../src/asl/definition-types';
import { ObjectStoreError } from '../../../src/interpreter/object-store';
import { Workflow } from '../../../src/testing/workflow';
import { FolderObjectStore, OWN_FOLDER } from '../../../src/workbench/s3/folder-store';
import { MemoryObjectStore } from '../../../src/workbench/s3/memory-store';
import { OverlayObjectStore } from '../../../src/workbench/s3/read-only-store';
import { treeHash } from '../../tree-hash';

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof ObjectStoreError ? e.code : `not an ObjectStoreError: ${String(e)}`;
  }
  return 'no error';
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-s3-ro-'));
  fs.mkdirSync(path.join(dir, 'data', 'in'), { recursive: true });
  for (const n of ['a', 'b', 'c', 'd']) fs.writeFileSync(path.join(dir, 'data', 'in', `${n}.txt`), n);
});
afterEach(() => {
  spawnSync('chmod', ['-R', 'u+w', dir]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a folder opened read-only', () => {
  it('refuses a write and a delete with AccessDenied, and a start removes nothing, not even a dead process\'s temporary file', () => {
    const tmp = path.join(dir, OWN_FOLDER, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const hostTag = createHash('md5').update(os.hostname()).digest('hex').slice(0, 8);
    fs.writeFileSync(path.join(tmp, `${dead}-${hostTag}-left`), 'x');
    const before = treeHash(dir);
    const store = new FolderObjectStore(dir, undefined, { readOnly: true });
    expect(codeOf(() => store.write('data', 'x.txt', 'x'))).toBe('AccessDenied');
    expect(codeOf(() => store.delete('data', 'in/a.txt'))).toBe('AccessDenied');
    expect(store.list('data', { maxKeys: 10 }).objects.map((o) => o.key)).toEqual(['in/a.txt', 'in/b.txt', 'in/c.txt', 'in/d.txt']);
    expect(treeHash(dir)).toBe(before);
  });

  it('runs a machine that writes, reads back, deletes and lists as over a folder it may write, and leaves the folder as it was (s3: { dir, readOnly: true })', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Put',
      States: {
        Put: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:putObject', Parameters: { Bucket: 'data', Key: 'in/bb.txt', Body: 'new' }, ResultPath: null, Next: 'Get' },
        Get: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', Parameters: { Bucket: 'data', Key: 'in/bb.txt' }, ResultSelector: { 'body.$': '$.Body' }, ResultPath: '$.got', Next: 'Delete' },
        Delete: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:deleteObject', Parameters: { Bucket: 'data', Key: 'in/c.txt' }, ResultPath: null, Next: 'List' },
        List: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:listObjectsV2', Parameters: { Bucket: 'data', MaxKeys: 2 }, ResultSelector: { 'keys.$': '$.Contents[*].Key', 'more.$': '$.IsTruncated' }, ResultPath: '$.listed', End: true },
      },
    } as unknown as StateMachineDefinition);
    spawnSync('chmod', ['-R', 'a-w', dir]);
    const before = treeHash(dir);
    const readOnly = await wf.run({}, { s3: { dir, readOnly: true } });
    expect(treeHash(dir)).toBe(before);
    spawnSync('chmod', ['-R', 'u+w', dir]);
    const writable = await wf.run({}, { s3: { dir } });
    expect(readOnly.output).toEqual({ got: { body: 'new' }, listed: { keys: ['in/a.txt', 'in/b.txt'], more: true } });
    expect(readOnly.output).toEqual(writable.output);
  });
});

describe('OverlayObjectStore', () => {
  const base = (): MemoryObjectStore => {
    const m = new MemoryObjectStore();
    m.createBucket('data');
    for (const k of ['k1', 'k3', 'k5', 'k7']) m.write('data', k, k);
    return m;
  };

  it('lists what was written over the base, in key order, page by page, without the keys deleted', () => {
    const o = new OverlayObjectStore(base());
    o.write('data', 'k2', 'two');
    o.write('data', 'k5', 'five again');
    o.delete('data', 'k3');
    o.write('data', 'k8', 'eight');
    const keys: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = o.list('data', { maxKeys: 2, ...(after ? { startAfter: after } : {}) });
      keys.push(...page.objects.map((x) => x.key));
      if (!page.truncated) break;
      after = keys[keys.length - 1];
    }
    expect(keys).toEqual(['k1', 'k2', 'k5', 'k7', 'k8']);
    expect(Buffer.from(o.read('data', 'k5', 100)).toString()).toBe('five again');
    expect(codeOf(() => o.head('data', 'k3'))).toBe('NoSuchKey');
    expect(codeOf(() => o.write('nope-bucket', 'x', 'x'))).toBe('NoSuchBucket');
  });

  it('keeps bodies up to its bound: past it an object is described, and reading it fails with InternalError', () => {
    const o = new OverlayObjectStore(base(), () => 0, 10);
    o.write('data', 'small', '12345');
    o.write('data', 'large', '1234567890');
    expect(o.head('data', 'large')).toMatchObject({ size: 10 });
    expect(codeOf(() => o.read('data', 'large', 100))).toBe('InternalError');
    expect(Buffer.from(o.read('data', 'small', 100)).toString()).toBe('12345');
  });
});
