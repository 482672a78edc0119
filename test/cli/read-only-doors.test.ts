import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './run-cli';
import { treeHash } from '../tree-hash';

/*
 * The doors documented as reading (validate, render, explore, cost, coverage) on a folder made
 * read-only: tests may run as root, whom chmod does not stop, so the folder's tree is hashed before
 * and after each command, and where the machine lets a user namespace bind-mount it read-only, the
 * built CLI runs there too, where any write fails.
 */

const MAIN = path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js');
const HOST_TAG = createHash('md5').update(os.hostname()).digest('hex').slice(0, 8);

/** A Distributed Map over the S3 folder's listing that writes its results there, then a Task that writes an object. */
const MACHINE = {
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'data', Prefix: 'in/' } },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Seen', States: { Seen: { Type: 'Pass', End: true } } },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'runs' } },
      ResultPath: null,
      Next: 'Note',
    },
    Note: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:putObject', Parameters: { Bucket: 'results', Key: 'note.txt', Body: 'done' }, End: true },
  },
};

/** A coverage report of the jest reporter's, one shard of one. */
const REPORT = {
  machines: [{
    id: 'abc',
    name: 'Orders',
    runs: 1,
    states: { covered: 1, total: 1, missed: [], hits: { A: 1 } },
    transitions: { covered: 0, total: 0, missed: [], hits: {} },
    choices: { covered: 0, total: 0, missed: [], hits: {} },
    catches: { covered: 0, total: 0, missed: [], hits: {} },
    retries: { covered: 0, total: 0, missed: [], hits: {} },
    files: [{
      file: 'a.test.ts', runs: 1, states: { covered: 1, total: 1 }, transitions: { covered: 0, total: 0 }, choices: { covered: 0, total: 0 }, catches: { covered: 0, total: 0 }, retries: { covered: 0, total: 0 },
    }],
  }],
  cost: { rows: [], machines: [] },
  run: { shard: { index: 1, count: 1 }, tests: { total: 1, failed: 0 }, testFiles: { total: 1, failed: 0 } },
};

/** Each reading door, as its arguments in the project folder. */
const DOORS: ReadonlyArray<readonly [string, (dir: string) => string[]]> = [
  ['validate', (d) => ['validate', path.join(d, 'machine.asl.json')]],
  ['render', (d) => ['render', path.join(d, 'machine.asl.json')]],
  ['render --format html', (d) => ['render', path.join(d, 'machine.asl.json'), '--format', 'html']],
  ['explore --s3-dir', (d) => ['explore', path.join(d, 'machine.asl.json'), '--s3-dir', path.join(d, 's3'), '--json', '--budget-seconds', '5']],
  ['cost --s3-dir', (d) => ['cost', path.join(d, 'machine.asl.json'), '--s3-dir', path.join(d, 's3'), '--per-month', '1', '--json']],
  ['coverage merge', (d) => ['coverage', 'merge', path.join(d, 'coverage.json')]],
];

let project: string;
beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-read-only-'));
  fs.writeFileSync(path.join(project, 'machine.asl.json'), JSON.stringify(MACHINE));
  fs.writeFileSync(path.join(project, 'coverage.json'), JSON.stringify(REPORT));
  const s3 = path.join(project, 's3');
  fs.mkdirSync(path.join(s3, 'data', 'in'), { recursive: true });
  fs.mkdirSync(path.join(s3, 'results'));
  fs.writeFileSync(path.join(s3, 'data', 'in', 'a.json'), '{"n":1}');
  // Named as a temporary file of a dead process of this host was (issue 74, defect 2): a user's file, never to be deleted.
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  fs.writeFileSync(path.join(s3, 'data', 'in', `.stepwright-tmp-${dead}-${HOST_TAG}-x`), '{"n":2}');
  // And one in the store's own place, which a store that may write removes at its start: a reading door does not.
  fs.mkdirSync(path.join(s3, '.stepwright-s3', 'tmp'), { recursive: true });
  fs.writeFileSync(path.join(s3, '.stepwright-s3', 'tmp', `${dead}-${HOST_TAG}-left`), 'x');
  spawnSync('chmod', ['-R', 'a-w', project]);
});
afterAll(() => {
  spawnSync('chmod', ['-R', 'u+w', project]);
  fs.rmSync(project, { recursive: true, force: true });
});

describe('the doors documented as reading, on a folder made read-only (chmod -R a-w)', () => {
  for (const [name, args] of DOORS) {
    it(`${name} answers and changes nothing in the folder (its tree hash)`, async () => {
      const before = treeHash(project);
      const outcome = await cli(...args(project));
      expect({ name, code: outcome.code, err: outcome.err }).toEqual({ name, code: 0, err: '' });
      expect(treeHash(project)).toBe(before);
    }, 120_000);
  }

  it('explore and cost read the user\'s file named like a dead process\'s temporary file as an object, and keep it', async () => {
    const explored = await cli('explore', path.join(project, 'machine.asl.json'), '--s3-dir', path.join(project, 's3'), '--json', '--budget-seconds', '5');
    expect(explored.code).toBe(0);
    const cost = JSON.parse((await cli(...DOORS[4][1](project))).out) as { runs: number };
    expect(cost.runs).toBe(1);
    expect(fs.readdirSync(path.join(project, 's3', 'data', 'in')).length).toBe(2);
  }, 120_000);
});

/** Whether this machine lets a user namespace bind-mount a folder read-only. */
const CAN_MOUNT = fs.existsSync(MAIN) && spawnSync('unshare', ['-rm', 'sh', '-c', 'mount --bind -o ro "$0" "$0"', os.tmpdir()]).status === 0;

(CAN_MOUNT ? describe : describe.skip)('the doors documented as reading, in a read-only bind mount of the folder (unshare -rm)', () => {
  for (const [name, args] of DOORS) {
    it(`${name} answers where any write would fail (EROFS), and changes nothing`, () => {
      const before = treeHash(project);
      const r = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount --bind -o ro "$0" "$0" && exec "$@"', project, process.execPath, MAIN, ...args(project)], { encoding: 'utf8', timeout: 120_000 });
      expect({ name, status: r.status, stderr: r.stderr }).toEqual({ name, status: 0, stderr: '' });
      expect(treeHash(project)).toBe(before);
    }, 130_000);
  }
});
