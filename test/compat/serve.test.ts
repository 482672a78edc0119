/*
 * `startServer({ handlers })` (`stepwright serve --handlers <module>`) as suites written against
 * the previous release use it: a module whose exports answer Task states by name.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from '../server/helpers';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:charge';

let dir: string;
let server: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-compat-serve-'));
  const handlers = path.join(dir, 'handlers.js');
  fs.writeFileSync(handlers, [
    'class Declined extends Error { constructor(message) { super(message); this.name = "Declined"; } }',
    'exports.Charge = () => { throw new Declined("card declined"); };',
    'exports.Notify = () => { throw new Declined("no topic"); };',
    'exports.Quote = (input) => ({ Payload: { quoted: input } });',
    'exports.Price = (input) => ({ priced: input });',
  ].join('\n'));
  server = await serve({ handlers });
});
afterAll(async () => {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

let machines = 0;
/** Creates a machine of one Task state, starts it and returns how it ended. */
async function runTask(state: string, task: object): Promise<DescribeExecutionCommandOutput> {
  const { sfn } = server;
  const definition = asl({ StartAt: state, States: { [state]: { Type: 'Task', End: true, ...task } } });
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: `m${machines++}`, roleArn: ROLE, definition }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"a":1}' }));
  return until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
}

describe('serve --handlers, as the previous release answered Tasks', () => {
  // Changed on purpose, to match AWS and the jest harness: the previous release gave the
  // error's message as the cause of a Lambda Task; Lambda reports its JSON error payload.
  it('fails a Lambda Task whose handler throws with the error\'s name, and Lambda\'s error payload as cause', async () => {
    for (const task of [
      { Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': FN, 'Payload.$': '$' } },
      { Resource: FN },
    ]) {
      const ended = await runTask('Charge', task);
      expect(ended).toMatchObject({ status: 'FAILED', error: 'Declined' });
      expect(JSON.parse(ended.cause!)).toMatchObject({ errorType: 'Declined', errorMessage: 'card declined' });
    }
    expect(server.logs.join('\n')).toContain('card declined');
  });

  it('fails any other Task whose handler throws with the error\'s name and message', async () => {
    const ended = await runTask('Notify', { Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: 't', Message: 'm' } });
    expect(ended).toMatchObject({ status: 'FAILED', error: 'Declined', cause: 'no topic' });
  });

  it('takes what a handler returns as the task result, as given (for lambda:invoke, the whole invoke response)', async () => {
    const quoted = await runTask('Quote', { Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': FN, 'Payload.$': '$' } });
    expect(JSON.parse(quoted.output!)).toEqual({ Payload: { quoted: { FunctionName: FN, Payload: { a: 1 } } } });
    const priced = await runTask('Price', { Resource: FN });
    expect(JSON.parse(priced.output!)).toEqual({ priced: { a: 1 } });
  });
});
