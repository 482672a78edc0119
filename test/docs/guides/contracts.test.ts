import 'stepwright/testing/setup'; // in your app: setupFilesAfterEnv in jest.config.js
import { fail, Workflow } from 'stepwright/testing';

const wf = Workflow.fromDefinition({
  StartAt: 'GetOrder',
  States: {
    GetOrder: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: 'orders', Key: { id: { 'S.$': '$.orderId' } } },
      Retry: [{ ErrorEquals: ['DynamoDB.ProvisionedThroughputExceededException'], MaxAttempts: 2 }],
      ResultSelector: { 'status.$': '$.Item.status.S' },
      End: true,
    },
  },
});

it('fails a mock DynamoDB would never send, naming the state, the field and the answer it expects', async () => {
  const run = await wf.run({ orderId: 'o-1' }, { mocks: { GetOrder: { id: 'o-1', status: 'PAID' } } });

  expect(run).toFail('States.Runtime');
  expect(run.cause).toContain("The mock of Task 'GetOrder' answers what dynamodb:getItem (GetItem) never returns");
  expect(run.cause).toContain("$.id: the field 'id' is not defined");
  expect(run.cause).toContain('{"Item":{"id":{"S":"o-1"},"status":{"S":"PAID"}}}');
});

it('passes with the answer GetItem gives', async () => {
  const run = await wf.run({ orderId: 'o-1' }, { mocks: { GetOrder: { Item: { id: { S: 'o-1' }, status: { S: 'PAID' } } } } });

  expect(run).toHaveOutput({ status: 'PAID' });
});

it('refuses an error the integration never raises, and retries the one it does', async () => {
  const wrong = await wf.run({ orderId: 'o-1' }, { mocks: { GetOrder: fail('DynamoDB.NotFound') } });
  expect(wrong.cause).toContain("did you mean 'DynamoDB.ResourceNotFoundException'");

  const throttled = fail('DynamoDB.ProvisionedThroughputExceededException');
  const run = await wf.run({ orderId: 'o-1' }, { mocks: { GetOrder: [throttled, { Item: { status: { S: 'PAID' } } }] } });
  expect(run).toHaveRetried('GetOrder', 1);
});

it('keeps the previous release\'s behaviour with one option', async () => {
  const run = await wf.run({ orderId: 'o-1' }, { mocks: { GetOrder: { Item: { status: { S: 'PAID' } }, Extra: 1 } }, mockValidation: 'NONE' });

  expect(run).toSucceed();
});
