import { Property } from '../../src/explore/properties';
import type { VerifyReport } from '../../src/explore/verify';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { ORDER } from './verify-setup';

/*
 * A counterexample is minimized: of the runs that break the property, the one with the fewest
 * Task calls, then its input shrunk while it still breaks it; the report says so.
 */

stopExploreClock();

// Review is entered when the total is above 1,000; Charge is retried when throttled.
const wf = Workflow.fromDefinition(ORDER);
const INPUT = { total: 5, customer: { name: 'Ada Lovelace', tags: ['vip', 'early', 'eu'] }, note: 'please ship it before the weekend' };

/** Checks a job until it is done, waiting a minute between checks. */
const POLLING = Workflow.fromDefinition({
  StartAt: 'Check',
  States: {
    'Check': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'check', 'Payload.$': '$' }, ResultSelector: { 'status.$': '$.Payload.status' }, Next: 'Ready?' },
    'Ready?': { Type: 'Choice', Choices: [{ Variable: '$.status', StringEquals: 'DONE', Next: 'Done' }], Default: 'Wait' },
    'Wait': { Type: 'Wait', Seconds: 60, Next: 'Check' },
    'Done': { Type: 'Succeed' },
  },
});

describe('counterexample minimization', () => {
  let report: VerifyReport;
  beforeAll(async () => {
    report = await wf.verify({ neverReview: Property.never('Review'), neverThrottled: (run) => run.attempts('Charge').length < 2 }, { input: INPUT });
  });

  it('drops every field of the input the violation does not need', () => {
    const c = report.properties.neverReview.counterexample!;
    expect(Object.keys(c.input as object)).toEqual(['total']);
    expect((c.input as { total: number }).total).toBeGreaterThan(1000);
    expect(c.minimized.inputCharacters).toBe(JSON.stringify(c.input).length);
    // The run it shrank may be one the search made from the given input (its tags array resized), not the given input itself.
    expect(c.minimized.shrunkFromCharacters).toBeGreaterThan(c.minimized.inputCharacters);
  });

  it('keeps the run with the fewest Task calls of those that break the property', async () => {
    const polled = await POLLING.verify({
      checksOnce: (run) => run.attempts('Check').length < 2,
      checksAtMostTwice: (run) => run.attempts('Check').length < 3,
    });
    // Runs that checked three times were made, and they break checksOnce too...
    expect(polled.properties.checksAtMostTwice.counterexample!.minimized.taskCalls).toBe(3);
    // ...but its counterexample is one that checked twice.
    const c = polled.properties.checksOnce.counterexample!;
    expect(c.minimized.violatingRuns).toBeGreaterThan(polled.properties.checksAtMostTwice.counterexample!.minimized.violatingRuns);
    expect(c.minimized.taskCalls).toBe(2);
    expect(c.path.filter((s) => s === 'Check')).toHaveLength(2);
  });

  it('states the minimization in the reason', () => {
    const { shrunkFromCharacters } = report.properties.neverReview.counterexample!.minimized;
    expect(report.properties.neverReview.reason)
      .toMatch(new RegExp(`minimized: the fewest Task calls \\(1 Task call\\) of the \\d+ runs? that broke it, its input shrunk from ${shrunkFromCharacters} to 14 characters\\)$`));
  });

  it('keeps the Task calls a violation needs: a retry is two calls', async () => {
    const c = report.properties.neverThrottled.counterexample!;
    expect(c.minimized.taskCalls).toBe(2);
    expect(c.input).toEqual({});
    const run = await wf.run(c.input, { mocks: mocksFromJson(c.mocks, 'neverThrottled') });
    expect(run.attempts('Charge')).toHaveLength(2);
  });

  it('reproduces the minimized counterexample from its input and mocks', async () => {
    const c = report.properties.neverReview.counterexample!;
    const run = await wf.run(c.input, { mocks: mocksFromJson(c.mocks, 'neverReview') });
    expect(run.path).toEqual(c.path);
    expect(run.path).toContain('Review');
  });
});
