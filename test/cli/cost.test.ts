import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './run-cli';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'cli');
const EXAMPLE = path.join(EXAMPLES, 'order-processing.asl.json');
const INPUT = `@${path.join(EXAMPLES, 'input.json')}`;
const MOCKS = path.join(EXAMPLES, 'mocks.json');
const DECLINED = path.join(EXAMPLES, 'mocks-declined.json');

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-cost-cli-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

describe('stepwright cost', () => {
  it('starts each run at --start-time, as stepwright run does: a Wait\'s Timestamp waits from there', async () => {
    // Fourteen months after the default start, past a Standard execution's year; ten minutes after this one.
    const hold = file('hold.asl.json', { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Timestamp: '2025-03-01T09:10:00Z', Next: 'Done' }, Done: { Type: 'Pass', End: true } } });
    const r = await cli('cost', hold, '--input', '{}', '--input', '{"again":true}', '--start-time', '2025-03-01T09:00:00Z', '--per-month', '1', '--json');
    expect([r.code, r.err]).toEqual([0, '']);
    expect(JSON.parse(r.out).standard).toMatchObject({ stateTransitions: 2 });
    const refused = await cli('cost', hold, '--start-time', '2025-03-01', '--per-month', '1');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("stepwright cost: --start-time must be an RFC 3339 date-time with its zone, as a Wait's Timestamp is written (2025-03-01T09:00:00Z), got '2025-03-01'");
  });

  it('prints Standard and Express side by side with the verdict, the assumptions and the prices', async () => {
    const r = await cli('cost', EXAMPLE, '--input', INPUT, '--mocks', MOCKS, '--per-month', '1000000');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/per execution\s+8 transitions\s+2,000 ms billed at 64 MB/);
    expect(r.out).toMatch(/cost a month\s+\$199\.90\s+\$3\.08/);
    expect(r.out).toContain('Express: eligible.');
    expect(r.out).toContain('Assumptions:');
    expect(r.out).toMatch(/Prices: AWS Step Functions Pricing/);
  });

  it('gives the same estimate as JSON with named fields', async () => {
    const r = await cli('cost', EXAMPLE, '--input', INPUT, '--mocks', MOCKS, '--per-month', '1000000', '--json');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.out);
    expect(e.standard).toMatchObject({ stateTransitions: 8_000_000, usdPerMonth: expect.closeTo(199.9, 6) });
    expect(e.express).toMatchObject({ requests: 1_000_000, gbSeconds: 125_000, eligible: true, reasons: [] });
    expect(e.express.usdPerMonth).toBeCloseTo(1 + 125_000 / 3600 * 0.06, 6);
  });

  it('averages several --input runs, one per path', async () => {
    const both = JSON.parse((await cli('cost', EXAMPLE, '--input', INPUT, '--input', INPUT, '--mocks', MOCKS, '--per-month', '10', '--json')).out);
    expect(both.runs).toBe(2);
    expect(both.standard.stateTransitionsPerExecution).toBe(8);
  });

  it('names what rules Express out: a callback state', async () => {
    const machine = file('callback.asl.json', {
      StartAt: 'Approve',
      States: { Approve: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' }, End: true } },
    });
    const mocks = file('callback-mocks.json', { Approve: { approved: true } });
    const r = await cli('cost', machine, '--mocks', mocks, '--per-month', '100');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Express: not eligible.');
    expect(r.out).toContain("Task 'Approve' waits for a callback (.waitForTaskToken)");
  });

  it.each([
    [['--per-month', '10', '--region', 'mars-north-1'], /unknown region "mars-north-1"/],
    [['--per-month', '-3'], /--per-month must be a whole number of executions, got '-3'/],
    [['--per-month', 'lots'], /--per-month must be a whole number/],
    [[], /--per-month <executions> is required/],
    [['--per-month', '10', '--memory-mb', '0'], /--memory-mb must be a number of MB above 0/],
    [['--per-month', '10', '--memory-mb', '9'.repeat(400)], new RegExp(`--memory-mb must be a number of MB above 0, or 'estimate', got '${'9'.repeat(400)}'`)],
  ])('refuses %p with exit code 2 and a message naming it', async (extra, message) => {
    const r = await cli('cost', EXAMPLE, '--input', INPUT, '--mocks', MOCKS, ...extra);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('refuses a price table with a negative, non-numeric or missing rate, naming the field', async () => {
    const table = (standard: unknown) => file('prices.json', { source: 'mine', retrieved: '2026-01-01', regions: { 'us-east-1': { standard } } });
    const negative = await cli('cost', EXAMPLE, '--mocks', MOCKS, '--per-month', '1', '--prices', table({ usdPer1000Transitions: -1, freeTransitionsPerMonth: 0 }));
    expect(negative.err).toMatch(/regions\.us-east-1\.standard\.usdPer1000Transitions must not be negative, got -1/);
    const text = await cli('cost', EXAMPLE, '--mocks', MOCKS, '--per-month', '1', '--prices', table({ usdPer1000Transitions: 'cheap', freeTransitionsPerMonth: 0 }));
    expect(text.err).toMatch(/usdPer1000Transitions must be a number, got "cheap"/);
    const missing = await cli('cost', EXAMPLE, '--mocks', MOCKS, '--per-month', '1', '--prices', table({ usdPer1000Transitions: 0.03 }));
    expect(missing.err).toMatch(/has no regions\.us-east-1\.standard\.freeTransitionsPerMonth/);
    expect([negative.code, text.code, missing.code]).toEqual([2, 2, 2]);
  });

  it('prices with a table of the user over the built-in one', async () => {
    const prices = file('mine.json', { source: 'negotiated', retrieved: '2026-01-01', regions: { 'us-east-1': { standard: { usdPer1000Transitions: 0.05, freeTransitionsPerMonth: 0 } } } });
    const e = JSON.parse((await cli('cost', EXAMPLE, '--input', INPUT, '--mocks', MOCKS, '--per-month', '1000', '--prices', prices, '--json')).out);
    expect(e.standard.usdPerMonth).toBeCloseTo(8 * 0.05, 10);
    expect(e.prices.source).toMatch(/^negotiated/);
  });

  it('prints the difference of two coverage reports as a Markdown table', async () => {
    const report = (transitions: number) => ({ cost: { rows: [{ file: 'test/orders.test.ts', machine: 'Orders', runs: 1, stateTransitions: transitions, billedDurationMs: 100 }] } });
    const r = await cli('cost', '--diff', file('before.json', report(8)), file('after.json', report(16)));
    expect(r.code).toBe(0);
    expect(r.out).toContain('| test/orders.test.ts | Orders | 8 | 16 | +8 (+100%) |');
    const bad = await cli('cost', '--diff', file('empty.json', {}), file('after2.json', report(1)));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/first report has no cost rows/);
  });
});

describe('stepwright cost, of runs that did not succeed', () => {
  /** Succeeds for { ok: true }, fails with Rejected otherwise. */
  const GATE = {
    StartAt: 'Ok?',
    States: {
      'Ok?': { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Rejected' },
      'Done': { Type: 'Succeed' },
      'Rejected': { Type: 'Fail', Error: 'Rejected', Cause: 'not ok' },
    },
  };

  it('names a run that failed at a Task without a mock, prints no price for it and exits 1', async () => {
    const r = await cli('cost', EXAMPLE, '--input', INPUT, '--per-month', '1000000');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/no run to price: run 1 FAILED with States\.\w+ \(No mock for Task 'ChargeCard'/);
    expect(r.err).toMatch(/--include-failed/);
    expect(r.err).not.toMatch(/\$\d/);
  });

  it("quotes a failed run's cause whole when it fits, its advice to the command line included, and never cuts it mid-word", async () => {
    const r = await cli('cost', EXAMPLE, '--input', INPUT, '--per-month', '1000000');
    expect(r.err).toContain('--unmocked input (stepwright run); or send it to the function running locally (sam local start-lambda): --endpoint lambda=<url> (stepwright run)); left out of the estimate');
    expect(r.err).not.toMatch(/\w…/);
  });

  it('prices it as it ran with --include-failed, and says so in the text', async () => {
    const r = await cli('cost', EXAMPLE, '--input', INPUT, '--per-month', '1000000', '--include-failed');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/from 1 run\(s\), 1 of which did not succeed \(priced as they ran: --include-failed\)/);
    expect(r.out).toMatch(/Priced though they did not succeed:\n {2}- run 1 FAILED with States\.\w+ \(No mock for Task 'ChargeCard'.*priced as it ran/);
    expect(r.out).toMatch(/per execution\s+1 transitions/);
  });

  it('prices it as it ran with --include-failed, and says so in --json', async () => {
    const e = JSON.parse((await cli('cost', EXAMPLE, '--input', INPUT, '--per-month', '1000000', '--include-failed', '--json')).out);
    expect(e).toMatchObject({ runs: 1, failedRuns: 1, failedRunsPriced: true, standard: { stateTransitionsPerExecution: 1 } });
    expect(e.warnings).toEqual([expect.objectContaining({ kind: 'failed-run', run: 0, runs: 1, priced: true, message: expect.stringContaining("No mock for Task 'ChargeCard'") })]);
  });

  it('prices the runs that succeeded, names the one that failed as not priced, and exits 1', async () => {
    const machine = file('gate.asl.json', GATE);
    const r = await cli('cost', machine, '--input', '{"ok":true}', '--input', '{"ok":false}', '--per-month', '1000');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/from 1 run\(s\); 1 run\(s\) that did not succeed are not priced/);
    expect(r.out).toMatch(/Not priced, as they did not succeed:\n {2}- run 2 FAILED with Rejected \(not ok\); left out of the estimate/);
    // Run 1 alone: Ok? and Done.
    expect(r.out).toMatch(/per execution\s+2 transitions/);
    const json = await cli('cost', machine, '--input', '{"ok":true}', '--input', '{"ok":false}', '--per-month', '1000', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ runs: 1, failedRuns: 1, failedRunsPriced: false, warnings: [{ kind: 'failed-run', run: 1, priced: false }] });
  });
});

describe('stepwright cost, of hostile reports and price tables', () => {
  const machine = () => file('pass.asl.json', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const ONE_PASS = { stateTransitions: 1, statesEntered: 1, retries: 0, childExecutionsStarted: 0 };
  const usage = (extra: Record<string, unknown> = {}) => ({
    ...ONE_PASS, durationMs: 0, billedDurationMs: 100, largestPayloadBytes: 2, parallelOrMapSteps: 0, childExecutions: [], status: 'SUCCEEDED', ...extra,
  });
  /** A report of the Pass machine (its definition id read from a real report) with the given usage entries. */
  async function report(name: string, usages: unknown[]): Promise<string> {
    const id = await passId();
    return file(name, { machines: [], cost: { rows: [], machines: [{ id, name: 'Pass', usages }] } });
  }
  async function passId(): Promise<string> {
    const { definitionId } = await import('../../src/testing/coverage');
    return definitionId({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } as never);
  }

  it('estimates from a 62 KB report of 300 usages of a million runs each, by weight, without running out of memory', async () => {
    const usages = Array.from({ length: 300 }, (_, i) => ({ usage: usage({ durationMs: i, billedDurationMs: 100 }), runs: 1_000_000 }));
    const reportFile = await report('million.json', usages);
    expect(fs.statSync(reportFile).size).toBeGreaterThan(60_000);
    const r = await cli('cost', machine(), '--coverage', reportFile, '--per-month', '1000000', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.out);
    expect(e.runs).toBe(300_000_000);
    expect(e.standard.stateTransitionsPerExecution).toBe(1);
    expect(Number.isFinite(e.standard.usdPerMonth) && Number.isFinite(e.express.usdPerMonth)).toBe(true);
  });

  it('reads a usage without childExecutions as one without DISTRIBUTED Map children', async () => {
    const { childExecutions: _, ...without } = usage();
    const r = await cli('cost', machine(), '--coverage', await report('no-children.json', [{ usage: without, runs: 2 }]), '--per-month', '10', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ runs: 2, standard: { stateTransitionsPerExecution: 1 } });
  });

  it.each([
    ['a __proto__ usage', '{"__proto__": {"stateTransitions": 1}}', /cost\.machines\[0\]\.usages\[0\]\.usage\.statesEntered must be a whole number from 0 to 9,007,199,254,740,991, got undefined/],
    ['a negative duration', usage({ durationMs: -1_000_000 }), /usage\.durationMs must be a number of milliseconds from 0 to .*, got -1000000/],
    ['a count past 2^53', usage({ statesEntered: 1e300, stateTransitions: 1e300 }), /usage\.statesEntered must be a whole number .*, got 1e\+300/],
    ['an infinite payload', '{"stateTransitions":1,"statesEntered":1,"retries":0,"childExecutionsStarted":0,"durationMs":0,"billedDurationMs":100,"largestPayloadBytes":1e999,"parallelOrMapSteps":1}',
      /usage\.largestPayloadBytes must be a whole number .*, got Infinity/],
    ['negative transitions, which printed $-1,041,665.67', usage({ stateTransitions: -1_000_000_000_000 }), /usage\.stateTransitions must be a whole number .*, got -1000000000000/],
    ['transitions that do not add up', usage({ stateTransitions: 5 }), /usage\.stateTransitions is 5, but statesEntered \+ retries \+ redrives \+ childExecutionsStarted is 1/],
    ['a child group of an unknown type', usage({ childExecutions: [{ mapState: 'M', type: 'BOTH', executions: 1, stateTransitions: 1, billedDurationMs: 100 }] }),
      /usage\.childExecutions\[0\]\.type must be "STANDARD" or "EXPRESS", got "BOTH"/],
    ['an unknown status', usage({ status: 'valueOf' }), /usage\.status must be one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, got "valueOf"/],
  ])('refuses a report with %s with exit 2, naming the field and the value', async (_, bad, message) => {
    const entry = typeof bad === 'string' ? `{"usage": ${bad}, "runs": 1}` : JSON.stringify({ usage: bad, runs: 1 });
    const id = await passId();
    const reportFile = file('bad.json', `{"cost": {"rows": [], "machines": [{"id": ${JSON.stringify(id)}, "usages": [${entry}]}]}}`);
    const r = await cli('cost', machine(), '--coverage', reportFile, '--per-month', '1000000');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/internal error|TypeError/);
  });

  it.each([
    [{ runs: 0 }, /usages\[0\]\.runs must be a whole number from 1/],
    [{ runs: 1e16 }, /usages\[0\]\.runs must be a whole number from 1 to 9,007,199,254,740,991, got 10000000000000000/],
  ])('refuses a usage entry of %p runs', async (entry, message) => {
    const r = await cli('cost', machine(), '--coverage', await report('runs.json', [{ usage: usage(), ...entry }]), '--per-month', '1');
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(message)]);
  });

  it('refuses a price rate whose products would overflow, naming it, and never prints $∞ or $NaN', async () => {
    const prices = file('huge.json', { source: 'mine', retrieved: '2026-01-01', regions: { 'us-east-1': { standard: { usdPer1000Transitions: 1e300, freeTransitionsPerMonth: 0 } } } });
    const r = await cli('cost', machine(), '--prices', prices, '--per-month', '9007199254740991', '--json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/regions\.us-east-1\.standard\.usdPer1000Transitions must be at most 1,000,000 \(US dollars\), got 1e\+300/);
    expect(r.out).toBe('');
  });

  it('prices the largest volume and prices it accepts with finite, non-negative figures', async () => {
    const most = { usdPer1000Transitions: 1_000_000, freeTransitionsPerMonth: 0 };
    const express = { usdPerMillionRequests: 1_000_000, duration: [{ usdPerGbHour: 1_000_000 }] };
    const prices = file('most.json', { source: 'mine', retrieved: '2026-01-01', regions: { 'us-east-1': { standard: most, express } } });
    const heavy = usage({ durationMs: 9_007_199_254_740_991, billedDurationMs: 9_007_199_254_740_991 });
    const reportFile = await report('heavy.json', [{ usage: heavy, runs: 9_007_199_254_740_991 }]);
    const r = await cli('cost', machine(), '--coverage', reportFile, '--prices', prices, '--per-month', '9007199254740991', '--memory-mb', '1000000');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/∞|NaN|Infinity|\$-/);
  });
});

describe('stepwright cost --diff, of hostile reports', () => {
  const rows = (...r: Array<Record<string, unknown>>) => ({ cost: { rows: r.map((x) => ({ file: 't.test.ts', machine: 'M', billedDurationMs: 100, ...x })) } });

  it('prints a change that rounds to nothing as 0, never -0', async () => {
    const r = await cli('cost', '--diff', file('d1.json', rows({ runs: 1000, stateTransitions: 3001 })), file('d2.json', rows({ runs: 1, stateTransitions: 3 })));
    expect(r.code).toBe(0);
    expect(r.out).toContain('| t.test.ts | M | 3 | 3 | 0 |');
    expect(r.out).not.toMatch(/-0\b/);
  });

  it('prints a fall with one sign, as -2 (-50%)', async () => {
    const r = await cli('cost', '--diff', file('f1.json', rows({ runs: 1, stateTransitions: 4 })), file('f2.json', rows({ runs: 1, stateTransitions: 2 })));
    expect(r.out).toContain('| t.test.ts | M | 4 | 2 | -2 (-50%) |');
  });

  it('says which figures come from runs that failed', async () => {
    const r = await cli('cost', '--diff', file('g1.json', rows({ runs: 2, stateTransitions: 4, failedRuns: 1 })), file('g2.json', rows({ runs: 2, stateTransitions: 4 })));
    expect(r.out).toContain('| t.test.ts | M | 2 (1 failed) | 2 | 0 |');
  });

  it.each([
    ['a negative count, which printed +-200%', { runs: 1, stateTransitions: -1 }, /first report's cost\.rows\[0\]\.stateTransitions must be a whole number from 0 .*, got -1/],
    ['an infinite count, which printed NaN%', '{"cost":{"rows":[{"file":"t","machine":"M","runs":1,"stateTransitions":1e999}]}}', /stateTransitions must be a whole number .*, got Infinity/],
    ['a file name that is not text', { file: { __proto__: 1 }, runs: 1, stateTransitions: 1 }, /cost\.rows\[0\]\.file must be text/],
    ['more failed runs than runs', { runs: 1, stateTransitions: 1, failedRuns: 2 }, /cost\.rows\[0\]\.failedRuns is 2, more than its 1 runs/],
  ])('refuses a report with %s, with exit 2 naming the field', async (_, row, message) => {
    const before = typeof row === 'string' ? file('h1.json', row) : file('h1.json', rows(row));
    const r = await cli('cost', '--diff', before, file('h2.json', rows({ runs: 1, stateTransitions: 1 })));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });
});

describe('stepwright run --cost', () => {
  it('prints the cost of the run under its result', async () => {
    const r = await cli('run', EXAMPLE, '--input', INPUT, '--mocks', MOCKS, '--cost');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Cost: {3}STANDARD 8 state transitions \(7 states entered, 1 retries\) \$0\.0002\n/);
    expect(r.out).toMatch(/EXPRESS 1 request, 2000 ms billed at 64 MB/);
  });

  it('puts the cost in --json, and only when asked', async () => {
    const withCost = JSON.parse((await cli('run', EXAMPLE, '--input', INPUT, '--mocks', DECLINED, '--cost', '--json')).out);
    expect(withCost.cost.standard).toMatchObject({ stateTransitions: expect.any(Number), statesEntered: expect.any(Number) });
    expect(withCost.cost.express).toMatchObject({ requests: 1, billedMemoryMb: 64 });
    const without = JSON.parse((await cli('run', EXAMPLE, '--input', INPUT, '--mocks', DECLINED, '--json')).out);
    expect(without.cost).toBeUndefined();
  });
});
