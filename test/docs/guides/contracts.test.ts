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

it('refuses a mock AWS refuses too, naming the field, the model version and the way out', async () => {
  const run = await wf.run({ orderId: 'o-1' }, { mocks: { GetOrder: { Item: { status: { S: 7 } } } } });

  expect(run).toFail('States.Runtime');
  expect(run.cause).toContain("answers what dynamodb:getItem (GetItem) never returns, and AWS's TestState refuses it too");
  expect(run.cause).toContain('$.Item.status.S: expected string, got integer 7');
});

it('runs a mock AWS would accept, and tells what it noticed in run.advice', async () => {
  const run = await wf.run({ orderId: 'o-1' }, { mocks: { GetOrder: { id: 'o-1', status: 'PAID' } } });

  // AWS's TestState accepts fields its model does not define; the next step then fails as it would on AWS.
  expect(run).toFail('States.Runtime');
  expect(run.cause).toContain("The JSONPath '$.Item.status.S' specified for the field 'status.$' could not be found");
  expect(run.advice[0].message).toContain("$.id: the field 'id' is not defined");
  expect(run.advice[0].message).toContain('{"Item":{"id":{"S":"o-1"},"status":{"S":"PAID"}}}');
});

it('passes with the answer GetItem gives', async () => {
  const run = await wf.run({ orderId: 'o-1' }, { mocks: { GetOrder: { Item: { id: { S: 'o-1' }, status: { S: 'PAID' } } } } });

  expect(run).toHaveOutput({ status: 'PAID' });
  expect(run.advice).toEqual([]);
});

it('tells an error the integration never raises, and retries the one it does', async () => {
  const wrong = await wf.run({ orderId: 'o-1' }, { mocks: { GetOrder: fail('DynamoDB.NotFound') } });
  expect(wrong.advice[0].message).toContain("did you mean 'DynamoDB.ResourceNotFoundException'");

  const throttled = fail('DynamoDB.ProvisionedThroughputExceededException');
  const run = await wf.run({ orderId: 'o-1' }, { mocks: { GetOrder: [throttled, { Item: { status: { S: 'PAID' } } }] } });
  expect(run).toHaveRetried('GetOrder', 1);
});

it('fails the run on advice when asked to', async () => {
  const run = await wf.run({ orderId: 'o-1' }, { mocks: { GetOrder: { Item: { status: { S: 'PAID' } }, Extra: 1 } }, mockAdvice: 'fail' });

  expect(run).toFail('States.Runtime');
});
