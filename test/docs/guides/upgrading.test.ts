import 'stepwright/testing/setup'; // in your app: setupFilesAfterEnv in jest.config.js
import { fail, succeed, Workflow } from 'stepwright/testing';

const wf = Workflow.fromDefinition({
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:charge',
      Retry: [{ ErrorEquals: ['Card.Busy'], IntervalSeconds: 1 }],
      End: true,
    },
  },
});

it('reads a mock list holding a step as one answer per call, its plain values results', async () => {
  // The previous release returned this list itself as the task result.
  const run = await wf.run({}, { mocks: { Charge: [fail('Card.Busy'), { chargeId: 'ch_1' }] } });
  expect(run).toHaveOutput({ chargeId: 'ch_1' });
  expect(run).toHaveRetried('Charge', 1);
});

it('keeps a list of plain values as the result of every call, as before; succeed([...]) says so plainly', async () => {
  expect(await wf.run({}, { mocks: { Charge: [{ n: 1 }, { n: 2 }] } })).toHaveOutput([{ n: 1 }, { n: 2 }]);
  expect(await wf.run({}, { mocks: { Charge: succeed([{ n: 1 }, { n: 2 }]) } })).toHaveOutput([{ n: 1 }, { n: 2 }]);
});
