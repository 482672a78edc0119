import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { COVERAGE_DIR_ENV, PARITY_RUNS_ENV, resetCoverage } from '../../src/testing/coverage';
import { StepwrightCoverageReporter, type CoverageReporterOptions } from '../../src/testing/reporter';
import { Workflow } from '../../src/testing/workflow';
import { fail } from '../../src/workbench/mocks/answers';
import type { ParityReport } from '../../src/workbench/parity';
import { cli } from '../cli/run-cli';
import { serve } from '../server/helpers';
import { faultProxy, type FaultProxy } from '../workbench/parity/fault-proxy';
import { ORDERS, ORDERS_INPUTS } from '../workbench/parity/orders';

const repoRoot = join(__dirname, '..', '..');
// A nested jest run: seconds alone, tens of seconds on a loaded 2-core machine (see reporter.test.ts).
const NESTED_JEST_MS = 180_000;

describe("the reporter's parity option", () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let proxy: FaultProxy;
  let root: string;
  const saved: Record<string, string | undefined> = {};
  let out: string[];
  let write: jest.SpyInstance;

  beforeAll(async () => {
    env = await serve();
    proxy = await faultProxy(env.server.endpoint);
  });
  afterAll(async () => {
    await proxy.close();
    await env.stop();
  });
  beforeEach(() => {
    for (const k of [COVERAGE_DIR_ENV, PARITY_RUNS_ENV]) saved[k] = process.env[k];
    delete process.env[COVERAGE_DIR_ENV];
    delete process.env[PARITY_RUNS_ENV];
    resetCoverage();
    root = mkdtempSync(join(tmpdir(), 'stepwright-reporter-parity-'));
    proxy.seen.length = 0;
    proxy.fault = () => undefined;
    out = [];
    write = jest.spyOn(process.stdout, 'write').mockImplementation((text) => { out.push(String(text)); return true; });
  });
  afterEach(() => {
    write.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(root, { recursive: true, force: true });
  });

  /** A jest run in miniature: the reporter made, the Orders machine run by the harness twice, the run completed. */
  async function jestRun(parity: CoverageReporterOptions['parity']): Promise<StepwrightCoverageReporter> {
    const reporter = new StepwrightCoverageReporter({ rootDir: root }, { print: true, html: false, parity });
    reporter.onRunStart();
    const wf = Workflow.fromDefinition(ORDERS as unknown as StateMachineDefinition, { name: 'Orders' });
    for (const input of ORDERS_INPUTS) {
      await wf.run(input, { mocks: { Charge: [fail('Busy', 'try again'), { chargeId: 'ch_1' }], Notify: { MessageId: 'm-1' } } });
    }
    await reporter.onRunComplete();
    return reporter;
  }

  it('sends every visit the tests\' runs made to TestState at the end of the run and passes it when all are equal', async () => {
    const reporter = await jestRun({ endpoint: proxy.endpoint });
    expect(reporter.getLastError()).toBeUndefined();
    const printed = out.join('');
    expect(printed).toMatch(new RegExp(`^${proxy.seen.length} visits against ${proxy.endpoint.replace(/[.]/g, '\\.')}: ${proxy.seen.length} equal; ${proxy.seen.length} TestState calls$`, 'm'));
    expect(new Set(proxy.seen.map((r) => r.stateName))).toEqual(new Set(['Prepare', 'Route', 'Review', 'Charge', 'Items', 'Price', 'Both', 'Left', 'Right', 'Notify', 'Done']));
    expect(existsSync(reporter.coverageDir)).toBe(false);
  });

  it('fails the run through getLastError when a visit differs, and writes its case file', async () => {
    let done = false;
    proxy.fault = (r) => {
      if (done || r.stateName !== 'Charge' || r.mock?.errorOutput === undefined) return undefined;
      done = true;
      return { kind: 'alter', change: (a) => { a.status = 'FAILED'; } };
    };
    const reporter = await jestRun({ endpoint: proxy.endpoint, writeCases: 'parity-cases' });
    expect(reporter.getLastError()?.message).toBe(`stepwright parity: 1 state visit answered otherwise by ${proxy.endpoint}`);
    expect(readdirSync(join(root, 'parity-cases'))).toEqual(['Orders.Charge.1-1.json']);
    expect(out.join('')).toMatch(/visit 1 \([^)]+\): status differs\n +stepwright: "RETRIABLE"\n +AWS: +"FAILED"/);
  });

  it('writes the runs to runsFile, which stepwright parity --runs checks the same way; check: false sends nothing', async () => {
    await jestRun({ runsFile: 'reports/runs.jsonl', check: false });
    expect(proxy.seen).toEqual([]);
    const file = join(root, 'reports', 'runs.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l)).map((r) => [r.format, r.stateMachine.name, r.execution.status])).toEqual([
      ['stepwright-recording', 'Orders', 'SUCCEEDED'], ['stepwright-recording', 'Orders', 'SUCCEEDED'],
    ]);
    const r = await cli('parity', '--runs', file, '--endpoint', proxy.endpoint, '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as ParityReport).counts).toEqual({ equal: proxy.seen.length, differs: 0, skipped: 0, unchecked: 0 });
  });

  it('writes no runsFile through a symbolic link: the run fails saying why, the file linked to unchanged', async () => {
    writeFileSync(join(root, 'precious.txt'), 'keep me\n');
    symlinkSync('precious.txt', join(root, 'runs.jsonl'));
    const reporter = await jestRun({ runsFile: 'runs.jsonl', check: false });
    expect(reporter.getLastError()?.message).toBe(`stepwright parity: ${join(root, 'runs.jsonl')} (parity.runsFile) is a symbolic link; `
      + 'the stepwright reporter does not write through links: name the file itself');
    expect(readFileSync(join(root, 'precious.txt'), 'utf8')).toBe('keep me\n');
    expect(proxy.seen).toEqual([]);
  });

  it('checks the runs of a real jest run with two workers, each worker\'s runs kept', async () => {
    const fixture = join(__dirname, 'fixtures', 'coverage-project');
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', join(fixture, 'jest.config.js'), '--coverage=false', '--maxWorkers=2', '--ci',
    ], { cwd: fixture, env: { ...process.env, [COVERAGE_DIR_ENV]: join(root, 'coverage'), STEPWRIGHT_TEST_PARITY: JSON.stringify({ endpoint: proxy.endpoint }) } });
    // Both test files' runs: the express route retried Charge once (two attempts), the bulk route ran its Map.
    expect(proxy.seen.map((r) => r.stateName).sort()).toEqual(['Charge', 'Charge', 'Done', 'Done', 'Items', 'Pack', 'Pack', 'Route', 'Route']);
    expect(stdout).toMatch(/^9 visits against http:\/\/127\.0\.0\.1:\d+: 9 equal; 9 TestState calls$/m);
  }, NESTED_JEST_MS);
});
