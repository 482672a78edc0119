import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_FAILED_STARTS, WorkerPool } from '../../src/mcp/pool';

// A worker that cannot load was replaced for ever: each call waited and a core stayed busy
// (seen with more than 1,200 workers started in ten minutes under one waiting call).
describe('the MCP worker pool, when its workers cannot load', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pool-starts-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A worker script that counts its starts in `<root>/starts`, then fails as `body` says. */
  function entry(body: string): string {
    const file = path.join(dir, 'worker.js');
    fs.writeFileSync(file, [
      "const { workerData } = require('node:worker_threads');",
      "require('node:fs').appendFileSync(require('node:path').join(workerData.root, 'starts'), 'x');",
      body,
    ].join('\n'));
    return file;
  }
  const starts = (): number => fs.readFileSync(path.join(dir, 'starts'), 'utf8').length;

  function pool(file: string): WorkerPool {
    return new WorkerPool({ root: dir, workers: 2, timeoutMs: 60_000, memoryMb: 256, log: () => {}, entry: file });
  }

  it('answers the calls waiting, with the error, after a bounded number of workers failed to load', async () => {
    const p = pool(entry("throw new Error('cannot load the tools');"));
    const answers = await Promise.all([p.call('run', {}), p.call('run', {})]);
    for (const answer of answers) {
      expect(answer).toEqual({ ok: false, message: expect.stringContaining(`the server could not start a worker to run the call: ${MAX_FAILED_STARTS} in a row stopped while loading`) });
      expect(answer.ok === false && answer.message).toContain('Error: cannot load the tools; please report it');
    }
    await p.close();
    // Two workers load at once (two calls, --workers 2): the one still loading when the third failed may start too.
    expect(starts()).toBeGreaterThanOrEqual(MAX_FAILED_STARTS);
    expect(starts()).toBeLessThanOrEqual(MAX_FAILED_STARTS + 1);
  });

  it('tries again for the next call, as many times, and answers it too', async () => {
    const p = pool(entry('process.exit(1);'));
    const first = await p.call('run', {});
    expect(first.ok).toBe(false);
    const second = await p.call('run', {});
    expect(second).toEqual({ ok: false, message: expect.stringContaining('(the last one exited)') });
    expect(starts()).toBe(2 * MAX_FAILED_STARTS);
    await p.close();
  });

  it('does not start workers for ever when a warm-up worker fails with no call waiting', async () => {
    const p = pool(entry('process.exit(1);'));
    p.warm();
    await p.idle();
    // The failed warm-up is answered by nothing; a call made now starts its own workers.
    const answer = await p.call('run', {});
    expect(answer.ok).toBe(false);
    expect(starts()).toBeLessThanOrEqual(1 + MAX_FAILED_STARTS);
    await p.close();
  });
});
