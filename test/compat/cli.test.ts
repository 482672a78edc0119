/*
 * `stepwright run` and `stepwright validate` as scripts written against the previous release
 * call them: flags, mocks files, exit codes and the --json result. main() is what the bin runs
 * with process.argv.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/cli';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:work';
const RETRY = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3 }];
const task = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, Retry: RETRY, End: true } } };
const map = { StartAt: 'Each', States: { Each: { Type: 'Map', ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, End: true } } }, End: true } } };

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-compat-cli-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(content: unknown): string {
  const p = path.join(dir, `f${files++}.json`);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => { o += String(d); });
  err.on('data', (d: Buffer) => { e += String(d); });
  const code = await main(args, out, err);
  return { code, out: o, err: e };
}

/** `stepwright run <definition> --input <json> --mocks <file> --json`: the exit code and the parsed result. */
async function run(definition: object, input: unknown, mocks: object): Promise<{ code: number; result: Record<string, unknown> }> {
  const r = await cli('run', file(definition), '--input', JSON.stringify(input), '--mocks', file(mocks), '--json');
  return { code: r.code, result: JSON.parse(r.out) as Record<string, unknown> };
}

describe('stepwright run --mocks, as the previous release read a mocks file', () => {
  it('answers with a value, {"Return": ...} and {"Throw": ...}, exiting 0 on success and 1 on failure', async () => {
    expect(await run(task, {}, { Work: { ok: 1 } })).toEqual({ code: 0, result: expect.objectContaining({ status: 'SUCCEEDED', output: { ok: 1 } }) });
    expect(await run(task, {}, { Work: { Return: { ok: 1 } } })).toMatchObject({ code: 0, result: { output: { ok: 1 } } });
    const thrown = await run({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, End: true } } }, {}, { Work: { Throw: { Error: 'Declined', Cause: 'no' } } });
    expect(thrown).toMatchObject({ code: 1, result: { status: 'FAILED', error: 'Declined', cause: 'no' } });
  });

  it('prints the status, output, execution ARN and path with --json, and since then the start and stop dates', async () => {
    const { result } = await run(task, {}, { [FN]: { byArn: true } });
    // A script reads the fields the previous release printed; the dates (ISO, as DescribeExecution names
    // them) were added so that a run's length can be read, and a script that reads the others is unaffected.
    expect(Object.keys(result).sort()).toEqual(['executionArn', 'output', 'path', 'startDate', 'status', 'stopDate']);
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { byArn: true }, path: ['Work'] });
    const { startDate, stopDate } = result as { startDate: string; stopDate: string };
    expect(new Date(startDate).toISOString()).toBe(startDate);
    expect(Date.parse(stopDate)).toBeGreaterThanOrEqual(Date.parse(startDate));
  });

  it('answers one call per entry of a list of Return and Throw, retries included', async () => {
    expect(await run(task, {}, { Work: [{ Throw: { Error: 'Busy' } }, { Return: { ok: 2 } }] })).toMatchObject({ code: 0, result: { output: { ok: 2 } } });
  });

  it('answers one call per entry of a list of plain values, as stepwright run always read it', async () => {
    expect(await run(map, [1, 2], { Work: [{ n: 1 }, { n: 2 }] })).toMatchObject({ code: 0, result: { output: [{ n: 1 }, { n: 2 }] } });
  });

  it('answers a list mixing Throw and a plain value one call each, the plain value a result', async () => {
    expect(await run(task, {}, { Work: [{ Throw: { Error: 'Busy' } }, { ok: 3 }] })).toMatchObject({ code: 0, result: { output: { ok: 3 } } });
  });

  it('fails an unmocked Task with States.Runtime, naming the state, and exits 1', async () => {
    const r = await run(task, {}, {});
    expect(r).toMatchObject({ code: 1, result: { status: 'FAILED', error: 'States.Runtime' } });
    expect(r.result.cause).toContain("No mock for Task 'Work'");
  });

  it('exits 2 with usage when no command is given, and for an unreadable mocks file', async () => {
    expect((await cli()).code).toBe(2);
    expect((await cli('run', file(task), '--mocks', path.join(dir, 'missing.json'))).code).toBe(2);
  });
});

describe('stepwright validate, as the previous release exited', () => {
  it('exits 0 for a valid definition and 1 for an invalid one, with each finding\'s code in --json', async () => {
    expect((await cli('validate', file(task))).code).toBe(0);
    const invalid = await cli('validate', file({ StartAt: 'Missing', States: { P: { Type: 'Pass', End: true } } }), '--json');
    expect(invalid.code).toBe(1);
    const [report] = JSON.parse(invalid.out) as Array<{ valid: boolean; findings: Array<{ code: string; severity: string; location: string }> }>;
    expect(report.valid).toBe(false);
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'MISSING_TRANSITION_TARGET', severity: 'error', location: '/StartAt' }));
  });
});
