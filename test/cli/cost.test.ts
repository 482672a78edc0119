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
