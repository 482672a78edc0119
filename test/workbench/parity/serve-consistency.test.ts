import type { StateMachineDefinition } from '../../../src/asl/definition-types';
import { Workflow } from '../../../src/testing/workflow';
import { fail } from '../../../src/workbench/mocks/answers';
import { checkParity, parityTable, runsOfRecordings } from '../../../src/workbench/parity';
import { recordingOfExecution } from '../../../src/workbench/parity/runs';
import { serve } from '../../server/helpers';

const M = {
  QueryLanguage: 'JSONata',
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Assign: { n: '{% $count($states.input.items) %}', tag: 'x' }, Output: '{% $states.input %}', Next: 'Loop' },
    Loop: {
      Type: 'Map',
      Items: '{% $states.input.items %}',
      MaxConcurrency: 2,
      ItemSelector: { v: '{% $states.context.Map.Item.Value %}', i: '{% $states.context.Map.Item.Index %}' },
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Dbl', States: { Dbl: { Type: 'Pass', Output: '{% $states.input.v * 2 %}', End: true } } },
      Output: '{% {"doubled": $states.result} %}',
      Assign: { total: '{% $sum($states.result) %}' },
      Next: 'Pick',
    },
    Pick: { Type: 'Choice', Choices: [{ Condition: '{% $total > 5 %}', Next: 'Call', Assign: { big: true } }], Default: 'Call' },
    Call: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'f', Payload: '{% {"t": $total, "n": $n} %}' },
      Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2, JitterStrategy: 'NONE' }],
      Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% {"err": $states.errorOutput} %}', Assign: { failed: true }, Next: 'Bad' }],
      Output: '{% $states.result.Payload %}',
      Next: 'Wait1',
    },
    Wait1: { Type: 'Wait', Seconds: 1, Next: 'Par' },
    Par: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'L', States: { L: { Type: 'Pass', Output: 1, End: true } } },
        { StartAt: 'R', States: { R: { Type: 'Pass', Output: '{% $tag %}', End: true } } },
      ],
      Output: '{% $states.result %}',
      End: true,
    },
    Bad: { Type: 'Fail', Error: '{% "E" & $string($n) %}', Cause: 'bad' },
  },
};
const P = {
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', InputPath: '$.x', Parameters: { 'y.$': '$.y', 'z': 1 }, ResultPath: '$.r', OutputPath: '$.r', Next: 'W' },
    W: { Type: 'Wait', SecondsPath: '$.y', Next: 'T' },
    T: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: 't', Key: { id: { 'S.$': '$.z' } } },
      ResultSelector: { 'item.$': '$.Item' },
      ResultPath: '$.got',
      Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: null, Next: 'F' }],
      Next: 'M',
    },
    M: { Type: 'Map', ItemsPath: '$.list', ItemBatcher: { MaxItemsPerBatch: 2 }, ItemProcessor: { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }, ResultPath: '$.batches', Next: 'S' },
    S: { Type: 'Succeed', OutputPath: '$.batches' },
    F: { Type: 'Fail', ErrorPath: '$.z', CausePath: '$.z' },
  },
};

// Two machines whose runs visit what the Orders machine does not: JSONata (Items, ItemSelector over $states.context,
// Assign on a Map, a Choice and a Catch, Output, a Fail with JSONata Error), a Wait, ItemBatcher, Fail with ErrorPath,
// ResultPath null, and states that fail in their own data flow (an ItemsPath that finds nothing, a SecondsPath that is not a number).
it('finds serve\'s TestState answering every visit of them as the runs did, the visits that failed in their data flow included', async () => {
  const env = await serve();
  try {
    const a = Workflow.fromDefinition(M as unknown as StateMachineDefinition, { name: 'J' });
    const ra = await a.run({ items: [1, 2, 3] }, { mocks: { Call: [fail('Busy', 'b'), { ok: 1 }] } });
    const rb = await a.run({ items: [1] }, { mocks: { Call: fail('Nope', 'n') } });
    const b = Workflow.fromDefinition(JSON.parse(JSON.stringify(P)) as StateMachineDefinition, { name: 'P' });
    const rc = await b.run({ x: { y: 2 }, list: [1, 2, 3] } as never, { mocks: { T: { Item: { id: { S: '1' } } } } });
    const rd = await b.run({ x: { y: 'q' } } as never, { mocks: { T: fail('States.TaskFailed', 'x') } });
    expect([ra.status, rb.status, rc.status, rd.status]).toEqual(['SUCCEEDED', 'FAILED', 'FAILED', 'FAILED']);
    const runs = runsOfRecordings([recordingOfExecution(a.definition, ra as never, 'J'), recordingOfExecution(a.definition, rb as never, 'J'),
      recordingOfExecution(b.definition, rc as never, 'P'), recordingOfExecution(b.definition, rd as never, 'P')]);
    const report = await checkParity({ runs }, { endpoint: env.server.endpoint });
    expect(report.rows.filter((r) => r.verdict !== 'equal')).toEqual([]);
    expect(report.counts.equal).toBe(report.calls);
    // The Map whose ItemsPath found nothing, and the Wait whose SecondsPath was no number, were sent: failures of their own data flow.
    expect(report.rows.filter((r) => r.site.machine === 'P').map((r) => r.site.state).sort()).toEqual(['A', 'A', 'M', 'T', 'W', 'W']);
    expect(parityTable(report)).toMatch(/^24 visits against http:\/\/127\.0\.0\.1:\d+: 24 equal; 24 TestState calls$/m);
  } finally {
    await env.stop();
  }
});
