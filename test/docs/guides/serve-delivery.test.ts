import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { client, startServer, type RunningServer } from 'stepwright/server';

const definition = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:charge',
      // The execution's ARN is the same in every run of it: a key for idempotency.
      Parameters: { 'orderId.$': '$.orderId', 'key.$': '$$.Execution.Id' },
      ResultPath: '$.charge',
      Next: 'Notify',
    },
    Notify: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:notify', ResultPath: null, End: true },
  },
};

/** The payment service: one charge per key, however often it is asked. */
const charges = new Map<string, string>();
const asked: string[] = [];
function charge(input: unknown) {
  const { orderId, key } = input as { orderId: string; key: string };
  asked.push(orderId);
  const id = charges.get(key) ?? `ch_${charges.size + 1}`;
  charges.set(key, id);
  return { id };
}

/** The server's log: nothing else shows when an asynchronous EXPRESS execution ends. */
const lines: string[] = [];
let look = (): void => undefined;
function logLine(prefix: string): Promise<string> {
  return new Promise((resolve) => {
    look = () => {
      const line = lines.find((l) => l.startsWith(prefix));
      if (line !== undefined) resolve(line);
    };
    look();
  });
}

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    port: 0,
    handlers: { Charge: charge, Notify: () => ({}) },
    // Every Task invocation delivered twice, and every EXPRESS execution of StartExecution started
    // over once, its lost run cut after the Task seed 2 chooses.
    delivery: { atLeastOnce: { duplicates: 1, restarts: 1, seed: 2 } },
    log: (line) => { lines.push(line); look(); },
  });
});
afterAll(() => server.close());

it('charges an order once, though its EXPRESS execution ran twice and each Task was delivered twice', async () => {
  const sfn = client(server.endpoint);
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
    name: 'checkout',
    type: 'EXPRESS',
    roleArn: 'arn:aws:iam::123456789012:role/sfn',
    definition: JSON.stringify(definition),
  }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ orderId: 'o-1' }) }));

  const last = await logLine(`execution ${executionArn}: at-least-once delivery ran it`);
  expect(last).toMatch(/ran it 2 times; the last run ended SUCCEEDED$/);
  expect(lines).toContain(`execution ${executionArn}: at-least-once delivery lost run 1 of 2 after Task 'Charge'; it starts over`);
  expect(asked).toEqual(['o-1', 'o-1', 'o-1', 'o-1']); // twice in the lost run, twice in the last
  expect(charges.size).toBe(1);
  sfn.destroy();
});
