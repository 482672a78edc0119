import { machine, reaching, replays } from './helpers';
import { mocksFromJson } from '../../src/workbench/mocks/json';

/*
 * Only a Map that reads its items with an ItemReader fails with States.ItemReaderFailed, when it
 * cannot read them (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html;
 * the interpreter raises it only there), and no call answers a States. name: a Catch of it on a
 * Map that takes its items from its input (as the old corpus's s3-bucket-nested-distributed-map
 * puts one on its inner Map) is proved never taken, and the state only it leads to unreachable.
 * A Map with an ItemReader has its Catch reached.
 */
const SHIP = {
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { 'FunctionName': 'arn:aws:lambda:us-east-1:123456789012:function:ship', 'Payload.$': '$' },
  End: true,
};

function orders(reader: boolean): object {
  return {
    StartAt: 'Each order',
    States: {
      'Each order': {
        Type: 'Map',
        ...(reader
          ? { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'orders', Key: 'today.json' } } }
          : { ItemsPath: '$.orders' }),
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Ship', States: { Ship: SHIP } },
        Catch: [{ ErrorEquals: ['States.ItemReaderFailed'], Next: 'Reader failed' }],
        Next: 'Done',
      },
      'Reader failed': { Type: 'Pass', End: true },
      'Done': { Type: 'Succeed' },
    },
  };
}

describe('a Catch of States.ItemReaderFailed', () => {
  it('on a Map that takes its items from its input is proved never taken, and its only state unreachable', async () => {
    const wf = machine(orders(false));
    const report = await wf.explore();
    expect(report.catches.unreachable.find((n) => n.catch === 'Each order#0')?.reason)
      .toMatch(/no state inside 'Each order' raises States\.ItemReaderFailed: only a Map that reads its items with an ItemReader fails with it/);
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Reader failed']);
    expect(report.states.notReached).toEqual([]);
    expect(report.search.complete).toBe(true);
    // The proof's witness: each error the Task inside may raise fails the Map some other way, past the Catch.
    for (const error of ['Lambda.ServiceException', 'Lambda.Unknown', 'States.TaskFailed']) {
      const run = await wf.run({ orders: [{ id: 'o-1' }] }, { mocks: mocksFromJson({ Ship: { Throw: { Error: error } } }, 'test') });
      expect({ status: run.status, caught: run.path.includes('Reader failed') }).toEqual({ status: 'FAILED', caught: false });
    }
  });

  it('on a Map with an ItemReader is reached, and the scenario replays', async () => {
    const wf = machine(orders(true));
    const report = await wf.explore();
    await replays(wf, reaching(report, 'states', 'Reader failed'));
    expect(report.catches.unreachable).toEqual([]);
  });
});
