import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './run-cli';
import type { ParityReport } from '../../src/workbench/parity';
import { serve } from '../server/helpers';
import { faultProxy, type Fault, type FaultProxy, type SeenRequest } from '../workbench/parity/fault-proxy';
import { ORDERS, ORDERS_INPUTS, ORDERS_MOCK_CONFIG } from '../workbench/parity/orders';

describe('stepwright parity against stepwright serve', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let proxy: FaultProxy;
  let dir: string;
  let machine: string;
  let mocks: string;

  beforeAll(async () => {
    env = await serve();
    proxy = await faultProxy(env.server.endpoint);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-parity-'));
    machine = path.join(dir, 'orders.asl.json');
    mocks = path.join(dir, 'MockConfigFile.json');
    fs.writeFileSync(machine, JSON.stringify(ORDERS));
    fs.writeFileSync(mocks, JSON.stringify(ORDERS_MOCK_CONFIG));
  });
  afterAll(async () => {
    await proxy.close();
    await env.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    proxy.seen.length = 0;
    proxy.fault = () => undefined;
  });

  const inputs = ORDERS_INPUTS.flatMap((i) => ['--input', JSON.stringify(i)]);
  /** The command over the proxy, its report parsed. */
  async function parity(...extra: string[]): Promise<{ code: number; report: ParityReport; err: string }> {
    const r = await cli('parity', machine, '--mocks', mocks, ...inputs, '--endpoint', proxy.endpoint, '--json', ...extra);
    return { code: r.code, report: JSON.parse(r.out) as ParityReport, err: r.err };
  }
  /** Injects `fault` into the first TestState answer for `state` that `when` accepts. */
  function once(state: string, fault: Fault, when: (r: SeenRequest) => boolean = () => true): void {
    let done = false;
    proxy.fault = (r) => {
      if (done || r.stateName !== state || !when(r)) return undefined;
      done = true;
      return fault;
    };
  }
  const others = (report: ParityReport) => report.rows.filter((r) => r.verdict !== 'differs');

  it('sends every visit of each MockConfigFile test case and input, and finds serve answers each as the local run did', async () => {
    const { code, report } = await parity();
    expect(code).toBe(0);
    expect(report.counts).toEqual({ equal: proxy.seen.length, differs: 0, skipped: 0, unchecked: 0 });
    expect(report.calls).toBe(proxy.seen.length);
    const states = new Set(report.rows.map((r) => r.site.state));
    expect([...states].sort()).toEqual(['Both', 'Charge', 'Declined', 'Done', 'Items', 'Left', 'Notify', 'Prepare', 'Price', 'Review', 'Right', 'Route']);
    // The retried attempt of Charge is sent with its error and the retrier's count; the caught one with its error.
    const charge = proxy.seen.filter((r) => r.stateName === 'Charge');
    expect(charge.map((r) => r.mock?.errorOutput?.error ?? 'result')).toEqual(['result', 'result', 'Busy', 'result', 'Busy', 'result', 'Declined', 'Declined']);
    expect(proxy.seen.every((r) => r.inspectionLevel === 'DEBUG' && typeof r.definition === 'string' && JSON.parse(r.definition).StartAt === 'Prepare')).toBe(true);
  });

  it('reports an answer altered in one inspection field as that field, with both sides, and nothing else', async () => {
    once('Prepare', { kind: 'alter', change: (a) => { a.inspectionData.afterParameters = JSON.stringify({ order: 'changed' }); } });
    const { code, report } = await parity();
    expect(code).toBe(1);
    expect(report.counts.differs).toBe(1);
    const row = report.rows.find((r) => r.verdict === 'differs')!;
    expect(row.site).toMatchObject({ state: 'Prepare', visit: 1, attempt: 1 });
    expect(row.differences).toEqual([{ field: 'inspectionData.afterParameters', local: { order: ORDERS_INPUTS[0].order, source: 'web' }, aws: { order: 'changed' } }]);
    expect(others(report).every((r) => r.verdict === 'equal')).toBe(true);
  });

  it('reports an altered output as the output', async () => {
    once('Items', { kind: 'alter', change: (a) => { a.output = JSON.stringify({ altered: true }); } });
    const { code, report } = await parity();
    expect(code).toBe(1);
    const diffs = report.rows.filter((r) => r.verdict === 'differs');
    expect(diffs.map((r) => [r.site.state, r.differences!.map((d) => d.field)])).toEqual([['Items', ['output']]]);
    expect(diffs[0].differences![0].aws).toEqual({ altered: true });
  });

  it('reports a changed next state as the next state', async () => {
    once('Route', { kind: 'alter', change: (a) => { a.nextState = 'Review'; } }, (r) => JSON.parse(String(r.input)).order.total === 5);
    const { code, report } = await parity();
    expect(code).toBe(1);
    const diffs = report.rows.filter((r) => r.verdict === 'differs');
    expect(diffs.map((r) => r.differences)).toEqual([[{ field: 'nextState', local: 'Charge', aws: 'Review' }]]);
  });

  it('reports a renamed error as the error', async () => {
    once('Charge', { kind: 'alter', change: (a) => { a.error = 'Declined.Renamed'; } }, (r) => r.mock?.errorOutput?.error === 'Declined');
    const { code, report } = await parity();
    expect(code).toBe(1);
    const diffs = report.rows.filter((r) => r.verdict === 'differs');
    expect(diffs.map((r) => [r.site.state, r.differences])).toEqual([['Charge', [{ field: 'error', local: 'Declined', aws: 'Declined.Renamed' }]]]);
  });

  it('prints a table per state machine naming the state, the first difference and both sides', async () => {
    once('Route', { kind: 'alter', change: (a) => { a.nextState = 'Review'; } }, (r) => JSON.parse(String(r.input)).order.total === 5);
    const r = await cli('parity', machine, '--mocks', mocks, ...inputs, '--endpoint', proxy.endpoint);
    expect(r.code).toBe(1);
    const route = r.out.split('\n').findIndex((l) => /^\s+Route\s+6\s+5 equal, 1 differs$/.test(l));
    expect(route).toBeGreaterThan(0);
    expect(r.out.split('\n').slice(route + 1, route + 4).map((l) => l.trim())).toEqual([
      'visit 1 (HappyPath-1): nextState differs',
      'stepwright: "Charge"',
      'AWS:        "Review"',
    ]);
    expect(r.out).toMatch(/^\s+Prepare\s+6\s+equal$/m);
  });

  it('writes each difference as a case file that --cases reads back: the recorded answer still differs, serve agrees with stepwright', async () => {
    const cases = path.join(dir, 'cases');
    once('Charge', { kind: 'alter', change: (a) => { a.error = 'Declined.Renamed'; } }, (r) => r.mock?.errorOutput?.error === 'Declined');
    const { code, report } = await parity('--write-cases', cases);
    expect(code).toBe(1);
    const written = report.rows.filter((r) => r.caseFile !== undefined).map((r) => r.caseFile!);
    expect(written).toHaveLength(1);
    expect(fs.readdirSync(cases)).toEqual([path.basename(written[0])]);
    const file = JSON.parse(fs.readFileSync(written[0], 'utf8'));
    expect(file).toMatchObject({
      format: 'stepwright-parity-case',
      version: 1,
      against: proxy.endpoint,
      request: { stateName: 'Charge', mock: { errorOutput: { error: 'Declined', cause: 'no funds' } }, definition: ORDERS },
      aws: { status: 'CAUGHT_ERROR', error: 'Declined.Renamed', nextState: 'Declined' },
      local: { status: 'CAUGHT_ERROR', error: 'Declined', nextState: 'Declined' },
    });
    const recorded = await cli('parity', '--cases', cases, '--recorded', '--json');
    expect(recorded.code).toBe(1);
    expect((JSON.parse(recorded.out) as ParityReport).rows.map((r) => r.differences)).toEqual([[{ field: 'error', local: 'Declined', aws: 'Declined.Renamed' }]]);
    const again = await cli('parity', '--cases', written[0], '--endpoint', env.server.endpoint, '--json');
    expect(again.code).toBe(0);
    expect((JSON.parse(again.out) as ParityReport).counts).toEqual({ equal: 1, differs: 0, skipped: 0, unchecked: 0 });
  });

  it('reports a refusal where stepwright answered as a refusal, naming AWS\'s exception and message', async () => {
    once('Notify', { kind: 'refuse', type: 'ValidationException', message: 'Mock result schema validation error: Field \'MessageId\' must be a string' });
    const { code, report } = await parity();
    expect(code).toBe(1);
    const diffs = report.rows.filter((r) => r.verdict === 'differs');
    expect(diffs.map((r) => [r.site.state, r.differences])).toEqual([['Notify', [{
      field: 'refused', aws: { type: 'ValidationException', message: 'Mock result schema validation error: Field \'MessageId\' must be a string' },
    }]]]);
  });

  it('reads an answer that never ends no further than 8 MiB, reports that visit unchecked saying why, and checks the rest', async () => {
    proxy.endless.bytes = 0;
    once('Notify', { kind: 'endless' });
    const { code, report } = await parity();
    expect(code).toBe(0);
    expect(report.counts).toEqual({ equal: proxy.seen.length - 1, differs: 0, skipped: 0, unchecked: 1 });
    const unchecked = report.rows.filter((r) => r.verdict === 'unchecked');
    expect(unchecked.map((r) => r.site.state)).toEqual(['Notify']);
    expect(JSON.stringify(unchecked)).toContain(`${proxy.endpoint} answered status 200 with more than 8,388,608 bytes, more than a TestState answer holds`);
    // The command hung up: what went out is the bound and what was on the way, not the 4 GiB offered.
    expect(proxy.endless.bytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('sends --field-validation as each mocked result\'s mock.fieldValidationMode, and no mode without it', async () => {
    const withMode = await cli('parity', machine, '--mocks', mocks, '--test-case', 'HappyPath', '--input', JSON.stringify(ORDERS_INPUTS[0]),
      '--endpoint', proxy.endpoint, '--field-validation', 'present', '--json');
    expect(withMode.code).toBe(0);
    expect(proxy.seen.filter((r) => r.stateName === 'Notify').map((r) => r.mock)).toEqual([{ result: '{"MessageId":"m-1"}', fieldValidationMode: 'PRESENT' }]);
    proxy.seen.length = 0;
    expect((await cli('parity', machine, '--mocks', mocks, '--test-case', 'HappyPath', '--input', JSON.stringify(ORDERS_INPUTS[0]), '--endpoint', proxy.endpoint)).code).toBe(0);
    expect(proxy.seen.filter((r) => r.stateName === 'Notify').map((r) => r.mock)).toEqual([{ result: '{"MessageId":"m-1"}' }]);
  });

  it('runs the machine with --mock-validation as stepwright run does: a mock STRICT refuses goes through under NONE', async () => {
    const loose = path.join(dir, 'loose-mocks.json');
    fs.writeFileSync(loose, JSON.stringify({
      StateMachines: { Orders: { TestCases: { Loose: { Charge: 'Charged', Notify: 'Published' } } } },
      MockedResponses: { Charged: { 0: { Return: { StatusCode: 'two hundred', Payload: { chargeId: 'ch_1' } } } }, Published: { 0: { Return: { MessageId: 'm-1' } } } },
    }));
    const input = ['--input', JSON.stringify(ORDERS_INPUTS[0])];
    await cli('parity', machine, '--mocks', loose, ...input, '--endpoint', proxy.endpoint);
    expect(proxy.seen.map((r) => r.stateName)).not.toContain('Items');
    proxy.seen.length = 0;
    const r = await cli('parity', machine, '--mocks', loose, ...input, '--mock-validation', 'NONE', '--field-validation', 'NONE', '--endpoint', proxy.endpoint);
    expect(r.code).toBe(0);
    expect(proxy.seen.map((q) => q.stateName)).toContain('Items');
  });

  it('names a run that ended in its Fail state after the table, and exits 0: it failed as it was written to', async () => {
    const r = await cli('parity', machine, '--mocks', mocks, '--test-case', 'Declined', '--input', JSON.stringify(ORDERS_INPUTS[0]), '--endpoint', proxy.endpoint);
    expect(r.code).toBe(0);
    expect(r.out).toContain("local run 'Declined-1' of Orders FAILED in its Fail state 'Declined' with OrderDeclined: the card was declined\n");
    expect(r.out).not.toContain('never visited');
    const json = await parity('--test-case', 'Declined');
    expect(json.code).toBe(0);
    expect((json.report as unknown as { failedRuns: unknown[] }).failedRuns).toEqual(['Declined-1', 'Declined-2'].map((run) => ({
      machine: 'Orders', run, status: 'FAILED', error: 'OrderDeclined', cause: 'the card was declined', failState: 'Declined', unplanned: false,
    })));
  });

  describe('a Distributed Map reading its items from S3', () => {
    const csvMachine = {
      StartAt: 'Load',
      States: {
        Load: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: 'orders', Key: 'in.csv' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Row', States: { Row: { Type: 'Pass', End: true } } },
          Next: 'Done',
        },
        Done: { Type: 'Pass', End: true },
      },
    };
    let file: string;
    let s3: string;
    beforeAll(() => {
      file = path.join(dir, 'csv.asl.json');
      fs.writeFileSync(file, JSON.stringify(csvMachine));
      s3 = path.join(dir, 's3');
      fs.mkdirSync(path.join(s3, 'orders'), { recursive: true });
      fs.writeFileSync(path.join(s3, 'orders', 'in.csv'), 'id,total\no-1,30\no-2,12\n');
    });

    it('reads them from --s3-dir, as stepwright run does, runs to the end and checks every visit', async () => {
      const r = await cli('parity', file, '--s3-dir', s3, '--endpoint', proxy.endpoint, '--json');
      expect(r.code).toBe(0);
      const report = JSON.parse(r.out) as ParityReport & { failedRuns?: unknown };
      expect(report.failedRuns).toBeUndefined();
      expect([...new Set(report.rows.map((x) => x.site.state))]).toEqual(expect.arrayContaining(['Load', 'Done']));
      expect(report.counts.differs).toBe(0);
      // A check writes nothing into the folder.
      expect(fs.readdirSync(path.join(s3, 'orders'))).toEqual(['in.csv']);
    });

    it('without it, says the local run FAILED, with its error and cause and what that means for the check, and exits 1', async () => {
      const r = await cli('parity', file, '--endpoint', proxy.endpoint);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^local run 'run-1' of \S+csv\.asl\.json FAILED with States\.Runtime: No mock for Task 'Load' \(arn:aws:states:::s3:getObject\)/m);
      expect(r.out).toContain('give the run a local S3 folder holding it, a folder per bucket and a file per key: --s3-dir <folder>');
      expect(r.out).toContain('it failed on something neither the machine nor its mocks say, so the states after the failure were never visited and never checked');
      expect(r.out).not.toMatch(/^\s+Done\s/m);
    });

    it('refuses --s3-dir without a definition to run, and a folder that does not exist, with exit code 2', async () => {
      expect(await cli('parity', '--cases', dir, '--recorded', '--s3-dir', s3)).toMatchObject({ code: 2, err: expect.stringContaining('--s3-dir goes with a definition to run') });
      expect(await cli('parity', file, '--s3-dir', path.join(dir, 'nowhere'), '--endpoint', proxy.endpoint)).toMatchObject({ code: 2, err: expect.stringContaining('--s3-dir: ') });
    });
  });

  it('stops at an access denial with exit code 2, sending nothing more, and prints what it checked', async () => {
    proxy.fault = () => ({ kind: 'refuse', type: 'AccessDeniedException', message: 'User is not authorized to perform: states:TestState' });
    const r = await cli('parity', machine, '--mocks', mocks, ...inputs, '--endpoint', proxy.endpoint, '--concurrency', '1');
    expect(r.code).toBe(2);
    expect(proxy.seen).toHaveLength(1);
    expect(r.err).toContain('stepwright parity: stopped before the end: AccessDeniedException: User is not authorized to perform: states:TestState');
    expect(r.out).toMatch(/^\d+ visits against http:\/\/127\.0\.0\.1:\d+: \d+ unchecked; 1 TestState call$/m);
  });

  it('refuses what it cannot do with exit code 2 and a message naming the option', async () => {
    expect(await cli('parity')).toMatchObject({ code: 2, err: expect.stringContaining("'parity' needs something to check") });
    expect(await cli('parity', '--cases', dir, '--recorded', '--endpoint', proxy.endpoint)).toMatchObject({ code: 2, err: expect.stringContaining('--recorded calls nothing') });
    expect(await cli('parity', machine, '--concurrency', '11', '--endpoint', proxy.endpoint)).toMatchObject({ code: 2, err: expect.stringContaining("--concurrency must be a whole number from 1 to 10, got '11'") });
    expect(await cli('parity', machine, '--mocks', mocks, '--test-case', 'Nope', '--endpoint', proxy.endpoint))
      .toMatchObject({ code: 2, err: expect.stringContaining("state machine 'Orders' has no test case 'Nope'; it has HappyPath, BusyThenCharged, Declined") });
    expect(proxy.seen).toEqual([]);
  });
});
