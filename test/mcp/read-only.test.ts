import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMcp, textOf, type McpSession } from './client';
import { treeHash } from '../tree-hash';

/*
 * docs/mcp.md: "every tool but run is read-only". Each of them is called on a root made read-only
 * (chmod -R a-w; tests may run as root, whom it does not stop, so the root's tree is hashed before
 * and after), explore and verify with the S3 folder a Distributed Map lists and writes its results to.
 */
describe('stepwright mcp: every tool but run leaves its root as it was', () => {
  const HOST_TAG = createHash('md5').update(os.hostname()).digest('hex').slice(0, 8);
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
  let root: string;
  let mcp: McpSession;
  let listener: http.Server;
  let endpoint: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mcp-read-only-'));
    fs.writeFileSync(path.join(root, 'machine.asl.json'), JSON.stringify(MACHINE));
    fs.mkdirSync(path.join(root, 's3', 'data', 'in'), { recursive: true });
    fs.mkdirSync(path.join(root, 's3', 'results'));
    fs.writeFileSync(path.join(root, 's3', 'data', 'in', 'a.json'), '{}');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    fs.writeFileSync(path.join(root, 's3', 'data', 'in', `.stepwright-tmp-${dead}-${HOST_TAG}-x`), '{}');
    fs.mkdirSync(path.join(root, 's3', '.stepwright-s3', 'tmp'), { recursive: true });
    fs.writeFileSync(path.join(root, 's3', '.stepwright-s3', 'tmp', `${dead}-${HOST_TAG}-left`), 'x');
    // parity's endpoint: answers every TestState call alike.
    listener = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ status: 'SUCCEEDED', output: '{}' }));
      });
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    spawnSync('chmod', ['-R', 'a-w', root]);
    mcp = await startMcp(root, ['--timeout', '120']);
  }, 60_000);
  afterAll(async () => {
    await mcp?.close();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    spawnSync('chmod', ['-R', 'u+w', root]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  const CALLS: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
    ['validate', { file: 'machine.asl.json' }],
    ['test_state', { definition: { Type: 'Pass', End: true }, input: '{"a":1}' }],
    ['render', { file: 'machine.asl.json' }],
    ['check_iam', { file: 'machine.asl.json' }],
    ['list_state_machines', { file: 'machine.asl.json' }],
    ['explore', { file: 'machine.asl.json', s3Dir: 's3', budgetSeconds: 5 }],
    ['verify', { file: 'machine.asl.json', s3Dir: 's3', budgetSeconds: 5, properties: { notesOnce: { atMost: ['Note', 1] } } }],
  ];
  for (const [tool, args] of CALLS) {
    it(`${tool} answers and changes nothing under the root (its tree hash)`, async () => {
      const before = treeHash(root);
      const r = await mcp.call(tool, args);
      expect({ tool, isError: r.isError ?? false, text: r.isError ? textOf(r) : '' }).toEqual({ tool, isError: false, text: '' });
      expect(treeHash(root)).toBe(before);
    }, 120_000);
  }

  it('parity answers and changes nothing under the root (its tree hash)', async () => {
    const before = treeHash(root);
    const r = await mcp.call('parity', { file: 'machine.asl.json', inputs: [{}], endpoint, mocks: { Note: {} } });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ against: `${endpoint}/`, counts: { skipped: 1 } });
    expect(treeHash(root)).toBe(before);
  }, 120_000);
});
