import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveApiCaseFiles } from './serve-api-cases';
import type { ParityReport } from '../../../src/workbench/parity';
import { cli } from '../../cli/run-cli';
import { serve } from '../../server/helpers';
import { describeWithShared } from '../../shared-data';

// The TestState answers AWS gave (../shared/serve-api: LocalStack's AWS-validated snapshots of
// test_test_state_scenarios.py), written as parity case files and checked through the command.
describeWithShared('serve-api', 'stepwright parity on the TestState answers recorded on AWS', () => {
  let dir: string;
  let names: string[];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-parity-recorded-'));
    const cases = serveApiCaseFiles();
    names = cases.map((c) => c.name);
    for (const c of cases) fs.writeFileSync(path.join(dir, `${c.name.replace(/[^A-Za-z0-9_-]/g, '_')}.json`), JSON.stringify(c.file, null, 2));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads every recorded TestState test as a case', () => {
    expect(names.length).toBeGreaterThanOrEqual(17);
  });

  it('answers each as AWS recorded it (--recorded: stepwright\'s TestState against the recorded answer)', async () => {
    const r = await cli('parity', '--cases', dir, '--recorded', '--json');
    const report = JSON.parse(r.out) as ParityReport;
    expect(report.rows.filter((row) => row.verdict !== 'equal')).toEqual([]);
    expect(report.counts).toEqual({ equal: names.length, differs: 0, skipped: 0, unchecked: 0 });
    expect(r.code).toBe(0);
  });

  it('finds serve\'s TestState equal to stepwright\'s on each of them (--endpoint serve)', async () => {
    const env = await serve();
    try {
      const r = await cli('parity', '--cases', dir, '--endpoint', env.server.endpoint, '--json');
      const report = JSON.parse(r.out) as ParityReport;
      expect(report.rows.filter((row) => row.verdict !== 'equal')).toEqual([]);
      expect(report).toMatchObject({ counts: { equal: names.length, differs: 0, skipped: 0, unchecked: 0 }, calls: names.length });
      expect(r.code).toBe(0);
    } finally {
      await env.stop();
    }
  });
});
