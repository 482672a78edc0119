import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { executionPath, renderMermaid, renderSvg, RenderError } from '../../src/render';
import { Workflow } from '../../src/testing';
import { runReport } from '../../src/workbench/commands/run';

/** A DISTRIBUTED Map, named with characters that must be escaped, whose children fail for `{ "bad": true }`, tolerating one failure. */
const NAME = 'Fan <out> & "go"';
const distributed = {
  StartAt: NAME,
  States: {
    [NAME]: {
      Type: 'Map',
      ItemsPath: '$.items',
      ToleratedFailureCount: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Check',
        States: {
          Check: { Type: 'Choice', Choices: [{ Variable: '$.bad', IsPresent: true, Next: 'Bad' }], Default: 'Good' },
          Bad: { Type: 'Fail', Error: 'Item.Bad' },
          Good: { Type: 'Pass', End: true },
        },
      },
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

const run = async (): Promise<ReturnType<Workflow['run']> extends Promise<infer R> ? R : never> =>
  Workflow.fromDefinition(distributed, { name: 'Orders' }).run({ items: [{ n: 1 }, { bad: true }, { n: 3 }, { n: 4 }] });

describe('render: a Map Run\'s item counts on its Distributed Map state', () => {
  it('a harness run lists its Map Runs with DescribeMapRun\'s item counts and the tolerated threshold', async () => {
    const r = await run();
    expect(r.status).toBe('SUCCEEDED');
    expect(r.mapRuns).toEqual([{
      // A Map without Label: the label in its ARN is one generated for it, a name-based UUID, as on AWS.
      mapRunArn: expect.stringMatching(/:mapRun:Orders\/[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}:/),
      itemCounts: { pending: 0, running: 0, succeeded: 3, failed: 1, timedOut: 0, aborted: 0, total: 4, resultsWritten: 4 },
      toleratedFailureCount: 1,
    }]);
  });

  it('executionPath sums the items per Map state: succeeded, failed, pending, total and the tolerated failures', async () => {
    const p = executionPath(distributed, await run());
    expect(p.mapRunItems[NAME]).toEqual({ total: 4, succeeded: 3, failed: 1, aborted: 0, pending: 0, toleratedFailureCount: 1 });
  });

  it('the SVG shows the counts on the Map state, escaped', async () => {
    const svg = renderSvg(distributed, { run: await run() });
    expect(svg).toContain('items: 3 succeeded, 1 failed, 0 pending of 4 · tolerates 1 failure');
    expect(svg).toContain('Fan &lt;out&gt; &amp;');
    expect(svg).not.toContain('<out>');
  });

  it('the Mermaid text shows the counts on the Map state, escaped', async () => {
    const text = renderMermaid(distributed, { run: await run() });
    expect(text).toContain('items: 3 succeeded, 1 failed, 0 pending of 4 · tolerates 1 failure');
    expect(text).toContain('Fan #lt;out#gt; #amp; #quot;go#quot;');
  });

  it('`stepwright run --json` output carries the Map Runs, and render reads the pending items and a percentage from it', async () => {
    type Report = { mapRuns: { itemCounts: Record<string, number>; toleratedFailurePercentage?: number }[] };
    const report = JSON.parse(JSON.stringify(runReport(await run(), true))) as Report;
    expect(report.mapRuns).toHaveLength(1);
    // A Map Run cut short: two items still pending, as DescribeMapRun would answer mid-run.
    report.mapRuns[0].itemCounts = { total: 4, succeeded: 1, failed: 1, pending: 1, running: 1 };
    report.mapRuns[0].toleratedFailurePercentage = 25;
    const text = renderMermaid(distributed, { run: report as never });
    expect(text).toContain('items: 1 succeeded, 1 failed, 2 pending of 4 · tolerates 1 failure or 25#37;'); // % escaped for Mermaid
  });

  it('draws the states the child executions entered as visited, from the run\'s path: a harness run and `stepwright run --json` alike', async () => {
    // AWS records each child execution in a history of its own, not in the parent's
    // (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html): a run that
    // has both (a harness run, `run --json --history`) names the children's states in its path.
    const r = await run();
    const report = JSON.parse(JSON.stringify(runReport(r, true))) as never;
    for (const given of [r, report]) {
      const p = executionPath(distributed, given);
      expect([p.states.Check, p.states.Good, p.states.Bad, p.states[NAME]]).toEqual([4, 3, 1, 1]);
      expect([p.transitions['Check -> Good'], p.transitions['Check -> Bad']]).toEqual([3, 1]);
    }
    // A history alone (GetExecutionHistory) has no child events: nothing is drawn for them.
    expect(executionPath(distributed, { events: r.history } as never).states.Check).toBeUndefined();
  });

  it('refuses Map Run counts that are negative, fractional or not numbers, naming the field', async () => {
    const r = await run();
    const bad = (itemCounts: unknown): unknown => ({ status: r.status, path: r.path, mapRuns: [{ mapRunArn: r.mapRuns[0].mapRunArn, itemCounts }] });
    expect(() => executionPath(distributed, bad({ total: -1 }) as never)).toThrow(RenderError);
    expect(() => executionPath(distributed, bad({ failed: 1.5 }) as never)).toThrow('mapRuns[0].itemCounts.failed is not a whole number');
    expect(() => executionPath(distributed, bad({ succeeded: '3' }) as never)).toThrow('itemCounts.succeeded');
    expect(() => executionPath(distributed, { path: r.path, mapRuns: {} } as never)).toThrow("the run's 'mapRuns' is not an array");
  });
});
