import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { callLine, startRaw, stopRaw } from './raw';

/*
 * `stepwright mcp` read as raw JSON-RPC lines, below what the SDK's client
 * would send: what no well-behaved client sends must not stop the server.
 */

const CHILD = path.join(__dirname, 'fixtures', 'mcp-child.js');
const REGISTER = path.join(__dirname, '..', 'server', 'fixtures', 'register-ts.js');
const PASS = '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}';

describe('stepwright mcp: raw stdio', () => {
  let root: string;
  beforeAll(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mcp-raw-')); });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  afterEach(stopRaw);

  it('answers around a line that is not JSON and an input nested past 1,000 levels, then exits 0 when stdin closes', async () => {
    const mcp = startRaw(root);
    await mcp.initialize();
    await mcp.send('this is not JSON');
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    await mcp.send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"run","arguments":{"definition":${PASS},"input":${deep}}}}`);
    await mcp.send(callLine(3, 'run', { definition: JSON.parse(PASS) }));

    expect((await mcp.answer(2)).result).toEqual({
      isError: true,
      content: [{ type: 'text', text: expect.stringMatching(/^input: nesting deeper than 1000 levels at \$\.a\.a.*; Step Functions reads JSON at most 1000 levels deep$/) }],
    });
    expect((await mcp.answer(3)).result).toMatchObject({ structuredContent: { status: 'SUCCEEDED' } });
    expect(await mcp.end()).toBe(0);
    expect(mcp.stderr()).toContain('stepwright mcp: ');
  }, 60_000);

  it('says a number JSON text writes beyond a double (1e999) is out of range, not that it is Infinity nested too deep', async () => {
    const mcp = startRaw(root);
    await mcp.initialize();
    await mcp.send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"run","arguments":{"definition":${PASS},"input":{"a":[1,-1e999]}}}}`);
    const text = ((await mcp.answer(2)).result as { content: Array<{ text: string }> }).content[0].text;
    expect(text).toBe('input: a number out of range at $.a[1]: JSON numbers are read as doubles, at most ±1.7976931348623157e+308 (it reads as -Infinity)');
    expect(await mcp.end()).toBe(0);
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
