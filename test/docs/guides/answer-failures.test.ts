import 'stepwright/testing/setup'; // in your app: setupFilesAfterEnv in jest.config.js
import { rawResult, Workflow } from 'stepwright/testing';

const announce = Workflow.fromDefinition({
  StartAt: 'Announce',
  States: {
    Announce: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: { Entries: [{ Source: 'shop', DetailType: 'OrderPlaced', Detail: {} }] },
      Catch: [{ ErrorEquals: ['EventBridge.FailedEntry'], Next: 'Refund' }],
      End: true,
    },
    Refund: { Type: 'Pass', End: true },
  },
});

it('refunds when EventBridge drops the event', async () => {
  const run = await announce.run({}, {
    mocks: { Announce: { Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'retry' }], FailedEntryCount: 1 } },
  });
  expect(run).toHavePath(['Announce', 'Refund']);
});

it('fails a Lambda Task on its function error', async () => {
  const charge = Workflow.fromDefinition({
    StartAt: 'Charge',
    States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'charge', Payload: {} }, End: true } },
  });
  const run = await charge.run({}, {
    mocks: { Charge: rawResult({ StatusCode: 200, FunctionError: 'Unhandled', Payload: { errorType: 'CardDeclined', errorMessage: 'expired' } }) },
  });
  expect(run).toFail('CardDeclined');
});
