import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMcp, type McpSession } from './client';
import type { ParityReport } from '../../src/workbench/parity';

/*
 * Issue 74, defect 3: MCP's parity read whatever an endpoint sent. The AWS SDK holds an answer's
 * body in buffers outside the JavaScript heap, so --max-memory did not stop it: an endpoint
 * streaming a JSON string took the server from 49 MB to 2,133 MB resident. Here the server runs
 * with a 128 MiB heap, and its resident memory (the kernel's peak, VmHWM) is what is checked.
 */
const LINUX = process.platform === 'linux';

function residentMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
}

/** Starts `server` on 127.0.0.1 at a free port: its endpoint. */
async function listening(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes the MCP server, then the endpoint (dropping what it still sends), and removes `root`. */
async function closeAll(mcp: McpSession | undefined, server: http.Server, root: string): Promise<void> {
  await mcp?.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(root, { recursive: true, force: true });
}

/** MCP's parity of a one-Pass machine on `{}` against `endpoint`. */
const parityOfPass = (mcp: McpSession, endpoint: string) =>
  mcp.call('parity', { definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, inputs: [{}], endpoint });

(LINUX ? describe : describe.skip)('stepwright mcp --max-memory 128: parity against an endpoint whose answer never ends', () => {
  let root: string;
  let mcp: McpSession;
  let server: http.Server;
  let endpoint: string;
  let pumped = 0;
  let hostile = false;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mcp-answer-memory-'));
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        if (!hostile) {
          res.end(JSON.stringify({ status: 'SUCCEEDED', output: '{}' }));
          return;
        }
        // A JSON string without its end, as fast as the client takes it.
        res.write('{"status":"SUCCEEDED","output":"');
        const piece = Buffer.alloc(256 * 1024, 'x');
        const more = (): void => {
          while (!res.destroyed && pumped < 8 * 1024 ** 3) {
            pumped += piece.length;
            if (!res.write(piece)) {
              res.once('drain', more);
              return;
            }
          }
        };
        more();
      });
    });
    endpoint = await listening(server);
    mcp = await startMcp(root, ['--max-memory', '128', '--timeout', '120']);
  }, 60_000);
  afterAll(() => closeAll(mcp, server, root));

  const call = () => parityOfPass(mcp, endpoint);

  it('reads no more than its bound: resident memory stays within 256 MB of what a plain call left, and the visit says why it was not compared', async () => {
    // A plain call first: the worker, the SDK and the parity code are loaded.
    expect((await call()).isError).toBeFalsy();
    const before = residentMb(mcp.pid!, 'VmRSS');
    hostile = true;
    const r = await call();
    const peak = residentMb(mcp.pid!, 'VmHWM');
    expect(r.isError).toBeFalsy();
    const report = r.structuredContent as unknown as ParityReport;
    expect(report.counts.unchecked).toBe(1);
    expect(JSON.stringify(report.rows)).toContain('more than a TestState answer holds (8,388,608 bytes are read at most)');
    expect(peak - before).toBeLessThan(256);
  }, 180_000);
});

describe('stepwright mcp --timeout 10: parity against an endpoint that drips its answer a byte at a time', () => {
  let root: string;
  let mcp: McpSession;
  let server: http.Server;
  let endpoint: string;
  let drip = false;
  let hungUp!: () => void;
  const dripEnded = new Promise<void>((resolve) => { hungUp = resolve; });

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mcp-answer-drip-'));
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        if (!drip) {
          res.end(JSON.stringify({ status: 'SUCCEEDED', output: '{}' }));
          return;
        }
        // Every byte comes well within any idle timeout; the answer never ends.
        res.write('{"status":"SUCCEEDED","output":"');
        const timer = setInterval(() => res.write('x'), 50);
        res.on('close', () => {
          clearInterval(timer);
          hungUp();
        });
      });
    });
    endpoint = await listening(server);
    mcp = await startMcp(root, ['--timeout', '10']);
  }, 60_000);
  afterAll(() => closeAll(mcp, server, root));

  const call = () => parityOfPass(mcp, endpoint);

  it('abandons the TestState call at half the server\'s --timeout, hangs up, and answers the report with that visit unchecked', async () => {
    // A plain call first: the worker, the SDK and the parity code are loaded.
    expect((await call()).isError).toBeFalsy();
    drip = true;
    const r = await call();
    expect(r.isError).toBeFalsy();
    const report = r.structuredContent as unknown as ParityReport;
    expect(report.counts).toMatchObject({ equal: 0, unchecked: 1 });
    expect(JSON.stringify(report.rows)).toContain(`${endpoint}/ had not answered TestState whole within 5 s of the request: the call was abandoned`);
    await dripEnded;
  }, 60_000);
});
