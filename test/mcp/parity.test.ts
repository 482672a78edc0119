import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMcp, textOf, type McpSession } from './client';
import type { ParityCaseFile, ParityReport } from '../../src/workbench/parity';
import { serve } from '../server/helpers';
import { faultProxy, type FaultProxy } from '../workbench/parity/fault-proxy';
import { ORDERS, ORDERS_INPUTS, ORDERS_MOCK_CONFIG } from '../workbench/parity/orders';

/* `stepwright mcp`'s parity tool, driven by the SDK's client, against stepwright serve (behind a proxy that can alter an answer). */
describe('stepwright mcp: parity', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let proxy: FaultProxy;
  let root: string;
  let mcp: McpSession;

  beforeAll(async () => {
    env = await serve();
    proxy = await faultProxy(env.server.endpoint);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mcp-parity-'));
    fs.writeFileSync(path.join(root, 'orders.asl.json'), JSON.stringify(ORDERS));
    fs.writeFileSync(path.join(root, 'MockConfigFile.json'), JSON.stringify(ORDERS_MOCK_CONFIG));
    mcp = await startMcp(root, ['--timeout', '120']);
  }, 60_000);
  afterAll(async () => {
    await mcp?.close();
    await proxy.close();
    await env.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    proxy.seen.length = 0;
    proxy.fault = () => undefined;
  });

  const orders = (extra: Record<string, unknown> = {}) => ({ file: 'orders.asl.json', mocksFile: 'MockConfigFile.json', inputs: ORDERS_INPUTS, endpoint: proxy.endpoint, ...extra });

  it('runs each MockConfigFile test case on each input and finds every visit equal, as stepwright parity does', async () => {
    const r = await mcp.call('parity', orders());
    expect(r.isError).toBeFalsy();
    const answer = r.structuredContent as unknown as ParityReport & { table: string };
    expect(answer).toMatchObject({ counts: { equal: proxy.seen.length, differs: 0, skipped: 0, unchecked: 0 }, calls: proxy.seen.length, rows: [] });
    expect(answer.table).toMatch(/^Orders: \d+ visits, \d+ equal$/m);
    expect(JSON.parse(textOf(r))).toEqual(r.structuredContent);
  });

  it('answers each run made here that failed, in failedRuns and after the table, as stepwright parity prints them', async () => {
    const r = await mcp.call('parity', orders({ testCases: ['Declined'], inputs: [ORDERS_INPUTS[0]] }));
    const answer = r.structuredContent as unknown as { table: string; failedRuns: unknown[] };
    expect(answer.failedRuns).toEqual([{
      machine: 'Orders', run: 'Declined-1', status: 'FAILED', error: 'OrderDeclined', cause: 'the card was declined', failState: 'Declined', unplanned: false,
    }]);
    expect(answer.table).toMatch(/\nlocal run 'Declined-1' of Orders FAILED in its Fail state 'Declined' with OrderDeclined: the card was declined$/);
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
    beforeAll(() => {
      fs.writeFileSync(path.join(root, 'csv.asl.json'), JSON.stringify(csvMachine));
      fs.mkdirSync(path.join(root, 's3', 'orders'), { recursive: true });
      fs.writeFileSync(path.join(root, 's3', 'orders', 'in.csv'), 'id,total\no-1,30\n');
    });

    it('reads them from s3Dir, as the run tool does, and writes nothing there', async () => {
      const r = await mcp.call('parity', { file: 'csv.asl.json', s3Dir: 's3', endpoint: proxy.endpoint });
      expect(r.isError).toBeFalsy();
      const answer = r.structuredContent as unknown as ParityReport & { failedRuns?: unknown };
      expect(answer.failedRuns).toBeUndefined();
      expect(answer.rows.map((x) => x.site.state)).toEqual(['Load']);
      expect(fs.readdirSync(path.join(root, 's3', 'orders'))).toEqual(['in.csv']);
    });

    it('without it, answers the run FAILED as unplanned, its cause naming the local S3 it needs', async () => {
      const r = await mcp.call('parity', { file: 'csv.asl.json', endpoint: proxy.endpoint });
      const [failed] = (r.structuredContent as unknown as { failedRuns: Array<{ error: string; cause: string; unplanned: boolean }> }).failedRuns;
      expect(failed).toMatchObject({ error: 'States.Runtime', unplanned: true });
      expect(failed.cause).toContain("No mock for Task 'Load'");
      expect(failed.cause).toContain("give the run a local S3 folder holding it, a folder per bucket and a file per key: s3Dir: '<folder>' in the tool's arguments");
    });

    it('refuses s3Dir without runs made here, and one outside its folder, naming the field', async () => {
      const lone = await mcp.call('parity', { casesFile: 'csv.asl.json', recorded: true, s3Dir: 's3' });
      expect(lone.isError).toBe(true);
      expect(textOf(lone)).toContain('s3Dir');
      const outside = await mcp.call('parity', { file: 'csv.asl.json', s3Dir: '../', endpoint: proxy.endpoint });
      expect(outside.isError).toBe(true);
      expect(textOf(outside)).toContain('s3Dir');
    });
  });

  it('answers a difference with the field, both sides and its case file, the request AWS answered', async () => {
    let done = false;
    proxy.fault = (q) => {
      if (done || q.stateName !== 'Route') return undefined;
      done = true;
      return { kind: 'alter', change: (a) => { a.nextState = 'Review'; } };
    };
    const r = await mcp.call('parity', orders({ testCases: ['HappyPath'], inputs: [ORDERS_INPUTS[0]] }));
    const answer = r.structuredContent as unknown as ParityReport & { cases: ParityCaseFile[] };
    expect(answer.counts.differs).toBe(1);
    expect(answer.rows).toEqual([{ site: { machine: 'Orders', state: 'Route', visit: 1, attempt: 1, run: 'HappyPath-1' }, verdict: 'differs', differences: [{ field: 'nextState', local: 'Charge', aws: 'Review' }] }]);
    expect(answer.cases).toEqual([expect.objectContaining({ format: 'stepwright-parity-case', request: expect.objectContaining({ stateName: 'Route' }), aws: expect.objectContaining({ nextState: 'Review' }) })]);
    fs.writeFileSync(path.join(root, 'route.case.json'), JSON.stringify(answer.cases[0]));
    const recorded = await mcp.call('parity', { casesFile: 'route.case.json', recorded: true });
    expect((recorded.structuredContent as unknown as ParityReport).rows.map((row) => row.differences)).toEqual([[{ field: 'nextState', local: 'Charge', aws: 'Review' }]]);
  });

  it('calls no endpoint but a loopback one, and AWS only when the server was started with --allow-aws', async () => {
    const away = await mcp.call('parity', orders({ endpoint: 'https://states.example.com' }));
    expect(away.isError).toBe(true);
    expect(textOf(away)).toBe("endpoint: 'https://states.example.com' is refused: parity calls a loopback endpoint only (127.0.0.1, localhost or [::1]), such as stepwright serve's");
    const aws = await mcp.call('parity', orders({ endpoint: undefined }));
    expect(textOf(aws)).toMatch(/^endpoint: give a loopback endpoint \(stepwright serve's\), or recorded: true with casesFile; this server calls AWS's TestState only when started with --allow-aws$/);
    const region = await mcp.call('parity', orders({ endpoint: undefined, region: 'eu-west-1' }));
    expect(region.isError).toBe(true);
    expect(proxy.seen).toEqual([]);
  });

  it('goes to AWS\'s TestState without an endpoint when the server was started with --allow-aws (here it stops at the missing region, before any call)', async () => {
    const saved = { ...process.env };
    // No region and no profile to find one in: the call is refused before anything is sent.
    for (const k of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[k];
    process.env.AWS_CONFIG_FILE = path.join(root, 'no-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(root, 'no-credentials');
    const allowed = await startMcp(root, ['--allow-aws']);
    process.env = saved;
    try {
      const r = await allowed.call('parity', { file: 'orders.asl.json', mocksFile: 'MockConfigFile.json', testCases: ['HappyPath'], inputs: [ORDERS_INPUTS[0]] });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toBe('no AWS region to reach TestState in: give the region (or set AWS_REGION, or a profile that names one), or the endpoint of a local TestState');
    } finally {
      await allowed.close();
    }
  }, 60_000);

  it('takes one source: a definition or file to run, a runs file, or case files', async () => {
    const r = await mcp.call('parity', { file: 'orders.asl.json', casesFile: 'route.case.json', endpoint: proxy.endpoint });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe('file and casesFile: give one of definition or file or runsFile or casesFile, not both');
  });
});
