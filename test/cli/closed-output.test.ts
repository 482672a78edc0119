import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// `stepwright … | head -1`: the reader closes the pipe early. The built command line (what `npx
// stepwright` runs) must end quietly, with no `write EPIPE` stack trace. Each case spawns it with a
// stdout pipe whose reading end is closed before the command writes anything.
const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'lib', 'cli', 'main.js');
const EX = 'examples/cli';
const RUN = ['run', `${EX}/order-processing.asl.json`, '--input', `@${EX}/input.json`];

interface Closed {
  readonly code: number | null;
  readonly err: string;
}

/** Runs `stepwright <args>` with its stdout closed at once; `stdin` is written and left open (mcp reads it). */
function withStdoutClosed(args: readonly string[], stdin?: string): Promise<Closed> {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk; });
  if (stdin === undefined) child.stdin.end();
  else child.stdin.write(stdin);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code, err });
    });
  });
}

const MCP_INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'closed-output', version: '1.0.0' } },
})}\n`;

describe('every command, its output closed early (| head -1)', () => {
  beforeAll(() => {
    if (!fs.existsSync(MAIN)) throw new Error('lib/ is not built: run `npm install`, which builds it');
  });

  it.each<[string, string[], number]>([
    ['stepwright --help', ['--help'], 0],
    ['run, SUCCEEDED', [...RUN, '--mocks', `${EX}/mocks.json`], 0],
    ['run, FAILED: its own exit code', [...RUN, '--mocks', `${EX}/mocks-declined.json`], 1],
    ['run --json --history', [...RUN, '--mocks', `${EX}/mocks.json`, '--json', '--history'], 0],
    ['validate', ['validate', `${EX}/order-processing.asl.json`], 0],
    ['render', ['render', `${EX}/order-processing.asl.json`], 0],
    ['cost', ['cost', `${EX}/order-processing.asl.json`, '--input', `@${EX}/input.json`, '--mocks', `${EX}/mocks.json`, '--per-month', '1000000'], 0],
    ['explore', ['explore', `${EX}/order-processing.asl.json`], 0],
    ['record --help', ['record', '--help'], 0],
    ['replay --help', ['replay', '--help'], 0],
    ['diff --help', ['diff', '--help'], 0],
  ])('%s exits quietly', async (_name, args, code) => {
    expect(await withStdoutClosed(args)).toEqual({ code, err: '' });
  });

  it('serve, which prints its endpoint and would serve on, exits with nothing on stderr but its own notice', async () => {
    const closed = await withStdoutClosed(['serve', '--port', '0']);
    expect(closed.code).toBe(0);
    expect(closed.err).not.toMatch(/EPIPE|internal error|^\s+at /m);
    expect(closed.err).toMatch(/^StartSyncExecution and TestState: /);
  });

  it('mcp exits quietly when the client stops reading its answers', async () => {
    expect(await withStdoutClosed(['mcp', '--root', EX], MCP_INITIALIZE)).toEqual({ code: 0, err: '' });
  });
});
