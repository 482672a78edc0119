import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { handlers } from './handlers';
import { OrderStack } from '../lib/order-stack';
import { cost, Workflow, type WorkflowRun } from 'stepwright/testing';

// What the order workflow would cost on AWS, path by path, and whether it may be an Express
// workflow. The table in docs/cost.md is this test's: it fails when the two differ, and
// STEPWRIGHT_UPDATE_DOCS=1 writes the table again.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const wf = Workflow.fromStack(new OrderStack(app, 'OrderWorkflow'));

const smallOrder = { orderId: 'o-1', card: 'tok_visa', address: { country: 'DE' }, items: [{ sku: 'book', qty: 2 }, { sku: 'lamp', qty: 1 }] };
const largeOrder = { ...smallOrder, orderId: 'o-2', items: [{ sku: 'desk', qty: 2 }] };

async function approved(): Promise<WorkflowRun> {
  const execution = wf.start(largeOrder, { mocks: handlers });
  execution.sendTaskSuccess(await execution.waitForTaskToken('Wait for approval'), { approvedBy: 'alice' });
  return execution.result;
}

const PATHS: Array<[string, () => Promise<WorkflowRun>]> = [
  ['2 items, shipped', () => wf.run(smallOrder, { mocks: handlers })],
  ['card declined, stock released', () => wf.run({ ...smallOrder, card: 'tok_chargeDeclined' }, { mocks: handlers })],
  ['address not served, refunded and released', () => wf.run({ ...smallOrder, address: { country: 'AQ' } }, { mocks: handlers })],
  ['out of stock', () => wf.run({ ...smallOrder, items: [{ sku: 'lamp', qty: 11 }] }, { mocks: handlers })],
  ['above the threshold, approved, shipped', approved],
];

const DOC = path.join(__dirname, '..', '..', '..', 'docs', 'cost.md');
const BEGIN = '<!-- order-workflow cost: begin -->';
const END = '<!-- order-workflow cost: end -->';

describe('what the order workflow costs', () => {
  let runs: Array<{ name: string; run: WorkflowRun }>;
  beforeAll(async () => {
    runs = [];
    for (const [name, go] of PATHS) runs.push({ name, run: await go() });
  });

  it('counts the transitions of the happy path: every state entered, the Map iterations included', () => {
    const happy = runs[0].run;
    expect(happy).toSucceed();
    expect(happy.cost().standard.stateTransitions).toBe(happy.path.length);
    expect(happy).toCostAtMost({ stateTransitions: 20 });
  });

  // Three paths end in a Fail state on purpose (a declined card, an address not served, no stock):
  // AWS bills them as any other, so the estimate prices them as they ran.
  const priced = { perMonth: 1_000_000, includeFailed: true };

  it('is not eligible for Express: the approval waits for a callback', () => {
    const estimate = cost(wf, runs.map((r) => r.run), priced);
    expect(estimate.express.eligible).toBe(false);
    expect(estimate.express.reasons.map((r) => r.state)).toEqual(['Wait for approval']);
  });

  it('names the failure paths it prices on purpose', () => {
    const estimate = cost(wf, runs.map((r) => r.run), priced);
    expect(estimate).toMatchObject({ runs: 5, failedRuns: 3, failedRunsPriced: true });
    expect(estimate.warnings.map((w) => w.run)).toEqual([1, 2, 3]);
  });

  it('matches the table in docs/cost.md', () => {
    const estimate = cost(wf, runs.map((r) => r.run), priced);
    // Cents for a month, three significant digits for one run.
    const usd = (n: number) => `$${n >= 1 ? n.toFixed(2) : n.toPrecision(3)}`;
    const rows = runs.map(({ name, run }) => {
      const c = run.cost();
      return `| ${name} | ${run.status} | ${c.standard.stateTransitions} | ${c.usage.retries} | ${usd(c.standard.usd)} | ${c.express!.billedDurationMs.toLocaleString('en-US')} ms | ${usd(c.express!.usd)} |`;
    });
    const table = [
      BEGIN,
      '| Path | Status | Transitions | of them retries | Standard | Express billed | Express |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `At 1,000,000 executions a month, these paths equally often: Standard ${usd(estimate.standard.usdPerMonth)}, `
        + `Express ${usd(estimate.express.usdPerMonth)}, but Express is **not eligible**: ${estimate.express.reasons.map((r) => r.message).join('; ')}.`,
      END,
    ].join('\n');
    const doc = fs.readFileSync(DOC, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start).toBeGreaterThanOrEqual(0);
    const current = doc.slice(start, end + END.length);
    if (process.env.STEPWRIGHT_UPDATE_DOCS === '1' && current !== table) fs.writeFileSync(DOC, doc.replace(current, table));
    else expect(current).toBe(table);
  });
});
