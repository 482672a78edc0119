import { CreateStateMachineCommand, SFNClient, StartSyncExecutionCommand, TestStateCommand } from '@aws-sdk/client-sfn';
import { client, startServer, type RunningServer } from 'stepwright/server';

const definition = {
  StartAt: 'Charge',
  States: { Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:charge', ResultPath: '$.payment', End: true } },
};

let server: RunningServer;
beforeAll(async () => {
  // Port 0 picks a free port. Handlers answer Task states, by state name or resource ARN.
  server = await startServer({ port: 0, handlers: { Charge: () => ({ chargeId: 'ch_1' }) } });
});
afterAll(() => server.close());

it('runs an execution that @aws-sdk/client-sfn starts', async () => {
  const sfn = client(server.endpoint); // any credentials; StartSyncExecution's host prefix turned off
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
    name: 'orders',
    type: 'EXPRESS',
    roleArn: 'arn:aws:iam::123456789012:role/sfn',
    definition: JSON.stringify(definition),
  }));
  const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify({ orderId: 'o-1' }) }));

  expect(result.status).toBe('SUCCEEDED');
  expect(JSON.parse(result.output!)).toEqual({ orderId: 'o-1', payment: { chargeId: 'ch_1' } });
  sfn.destroy();
});

it('answers TestState and StartSyncExecution from a plain SFNClient with disableHostPrefix: true', async () => {
  const sfn = new SFNClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    disableHostPrefix: true, // else the SDK sends these two operations to sync-127.0.0.1
  });
  const tested = await sfn.send(new TestStateCommand({
    definition: JSON.stringify({ Type: 'Pass', Result: { ok: true }, End: true }),
    roleArn: 'arn:aws:iam::123456789012:role/sfn',
    input: '{}',
  }));
  expect(tested.status).toBe('SUCCEEDED');
  expect(JSON.parse(tested.output!)).toEqual({ ok: true });

  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
    name: 'orders-plain', type: 'EXPRESS', roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: JSON.stringify(definition),
  }));
  const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{}' }));
  expect(result.status).toBe('SUCCEEDED');
  sfn.destroy();
});
