import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ALL_FAMILIES, caseArb, documentArb, jsonPathArb, SAFE_FAMILIES } from './arbitraries';
import { requestArb } from './http-arbitraries';
import { HttpFuzzRun } from './http-property';
import { MCP_FAMILIES, mcpCaseArb } from './mcp-arbitraries';
import { McpFuzzRun } from './mcp-property';
import { checkCase, checkJsonPathAgreement } from './property';
import { JSONATA_LIMITS } from '../../src/asl/jsonata/limits';
import { stopRaw } from '../mcp/raw';

/** The quick budget CI runs; `FUZZ_RUNS` and `FUZZ_SEED` change it (`npx projen fuzz` runs 10^6). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);
/** Requests the HTTP family sends in CI (`FUZZ_HTTP_RUNS`; `npx projen fuzz:http` sends 10^5). */
const HTTP_RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 300);
/** Cases per MCP family in CI (`FUZZ_MCP_RUNS`); the two of lines and answers of megabytes run a quarter as many. */
const MCP_RUNS = Number(process.env.FUZZ_MCP_RUNS ?? 12);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
/**
 * Stopped before jest's timeout, so that a run which found a hang (each shrinking step of one
 * waits HANG_MS) reports its seed and counterexample instead of ending as a bare jest timeout.
 */
const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns, seed: SEED, endOnFailure: false, interruptAfterTimeLimit: 240_000, markInterruptAsFailure: true,
});

/** Paths without filter or script expressions: the subset where jsonpath-plus (with eval off) is the reference. */
const FILTER_FREE = { ...SAFE_FAMILIES, jsonPathScripts: false };

jest.setTimeout(300_000);

describe('fuzzed definitions and inputs', () => {
  it('end in a validation finding, a result or a States.* error, in bounded time, without prototype pollution', async () => {
    await fc.assert(fc.asyncProperty(caseArb(SAFE_FAMILIES), async (c) => { await checkCase(c); }), params(RUNS));
  });

  it('read the same nodes as jsonpath-plus on paths without filters', () => {
    fc.assert(fc.property(jsonPathArb(FILTER_FREE), documentArb(FILTER_FREE), (path, input) => {
      checkJsonPathAgreement(path, input);
    }), params(RUNS));
  });

  /*
   * Runaway JSONata (endless recursion, catastrophic regular expressions, huge
   * ranges) ends at its bound of steps, so a case may spend that bound on each
   * evaluation it makes (and a Retry or a looping Catch makes several): the
   * budget is small. One evaluation records no event while it runs: a case
   * counts as hung only after a step takes 60 µs (a microsecond on an idle
   * machine), so that a loaded one is not taken for a hang.
   */
  it('end in bounded time when their JSONata recurses without end, backtracks or builds huge ranges', async () => {
    const heavyRuns = Math.max(10, Math.round(RUNS / 100));
    const hangMs = JSONATA_LIMITS.steps * 0.06;
    await fc.assert(fc.asyncProperty(caseArb(ALL_FAMILIES), async (c) => { await checkCase(c, hangMs); }), params(heavyRuns));
  });
});

describe('fuzzed requests to a live serve', () => {
  let dir: string;
  let run: HttpFuzzRun | undefined;
  beforeEach(() => { dir = fs.mkdtempSync(join(os.tmpdir(), 'stepwright-fuzz-http-')); });
  afterEach(async () => {
    await run?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('are each answered with 200 or an AWS-shaped 400 (403 AccessDeniedException for a foreign Host or Origin) by a server that never dies, '
    + 'whatever the MockConfigFile becomes, and every execution answered survives kill -9', async () => {
    run = await HttpFuzzRun.start(dir);
    const live = run;
    await fc.assert(fc.asyncProperty(requestArb(), async (r) => { await live.check(r); }), params(HTTP_RUNS));
    const { requests, byAnswer } = live.counts;
    expect(requests).toBeGreaterThanOrEqual(HTTP_RUNS);
    // The generator reaches past the lookups: some requests succeed and some StartExecutions among them.
    expect(byAnswer.get('200') ?? 0).toBeGreaterThan(0);
    // The door family and the hostile-file family were sent, and the door refused some.
    const { byOperation } = live.counts;
    expect([...byOperation.keys()].filter((k) => k.startsWith('door: ')).length).toBeGreaterThan(0);
    expect([...byOperation.keys()].filter((k) => k.startsWith('MockConfigFile: ')).length).toBeGreaterThan(0);
    // The console family was sent, and some of its requests were answered with a page.
    expect([...byOperation.keys()].filter((k) => k.startsWith('console: ')).length).toBeGreaterThan(0);
    expect(byAnswer.get('console 200') ?? 0).toBeGreaterThan(0);
    expect(byAnswer.get('403 AccessDeniedException') ?? 0).toBeGreaterThan(0);
    // The S3 family ran executions over the local S3 folder, and some ItemReaders refused what they read.
    expect([...byOperation.keys()].filter((k) => k.startsWith('S3: ')).length).toBeGreaterThan(0);
    expect([...live.counts.byS3Outcome.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const after = await live.restartAndCheck();
    expect(after.missing).toEqual([]);
    expect(after.checked).toBe(live.counts.executionsAnswered);
  });
});

describe('fuzzed messages to a live stepwright mcp', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(join(os.tmpdir(), 'stepwright-fuzz-mcp-'));
    McpFuzzRun.prepare(dir);
  });
  afterEach(stopRaw);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // A server per family, so that one family's failure is not every later family's.
  it.each(MCP_FAMILIES)('%s: each case is answered as JSON-RPC says, in a line of at most 8 MiB, the session answers a ping after it, and it ends with exit 0', async (family) => {
    const runs = family.startsWith('oversized') ? Math.max(2, Math.round(MCP_RUNS / 4)) : MCP_RUNS;
    const run = await McpFuzzRun.start(dir);
    await fc.assert(fc.asyncProperty(mcpCaseArb(family), async (c) => { await run.check(c); }), params(runs));
    expect(run.counts.byFamily.get(family)).toBeGreaterThanOrEqual(runs);
    expect(await run.stop()).toBe(0);
  });
});
