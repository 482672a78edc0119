import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * `stepwright mcp` read as raw JSON-RPC lines, below what the SDK's client
 * would send: what no well-behaved client sends must not stop the server.
 */

const CHILD = path.join(__dirname, 'fixtures', 'mcp-child.js');
const REGISTER = path.join(__dirname, '..', 'server', 'fixtures', 'register-ts.js');

describe('stepwright mcp: raw stdio', () => {
  let root: string;
  beforeAll(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mcp-raw-')); });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('answers around a line that is not JSON and an input nested past 1,000 levels, then exits 0 when stdin closes', async () => {
    const child = spawn(process.execPath, ['-r', REGISTER, CHILD, 'mcp', '--root', root], { stdio: ['pipe', 'pipe', 'pipe'] });
    const answers = new Map<number, Record<string, unknown>>();
    let waiting: { id: number; resolve: () => void } | undefined;
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
    child.stdout.on('data', (d: Buffer) => {
      buffer += String(d);
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffer.slice(0, nl)) as { id?: number };
        buffer = buffer.slice(nl + 1);
        if (typeof message.id === 'number') answers.set(message.id, message);
        if (waiting && answers.has(waiting.id)) waiting.resolve();
      }
    });
    const answer = (id: number) => new Promise<Record<string, unknown>>((resolve) => {
      if (answers.has(id)) { resolve(answers.get(id)!); return; }
      waiting = { id, resolve: () => resolve(answers.get(id)!) };
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const send = (line: string) => child.stdin.write(`${line}\n`);

    send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } }));
    await answer(1);
    send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    send('this is not JSON');
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const pass = '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}';
    send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"run","arguments":{"definition":${pass},"input":${deep}}}}`);
    send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'run', arguments: { definition: JSON.parse(pass) } } }));

    expect((await answer(2)).result).toEqual({
      isError: true,
      content: [{ type: 'text', text: expect.stringMatching(/^input: nesting deeper than 1000 levels at \$\.a\.a.*; Step Functions reads JSON at most 1000 levels deep$/) }],
    });
    expect((await answer(3)).result).toMatchObject({ structuredContent: { status: 'SUCCEEDED' } });
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(stderr).toContain('stepwright mcp: ');
  }, 60_000);

  it('answers the calls a client sent before it closed stdin, then exits 0', async () => {
    const child = spawn(process.execPath, ['-r', REGISTER, CHILD, 'mcp', '--root', root], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += String(d); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdin.end([
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '0' } } }),
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'run', arguments: { definition: 'StartAt: P\nStates:\n  P: {Type: Pass, Result: 42, End: true}\n' } } }),
      '',
    ].join('\n'));
    expect(await exited).toBe(0);
    const answers = out.trim().split('\n').map((l) => JSON.parse(l) as { id: number; result: Record<string, unknown> });
    expect(answers.find((a) => a.id === 2)?.result).toMatchObject({ structuredContent: { status: 'SUCCEEDED', output: 42 } });
  }, 60_000);
});
