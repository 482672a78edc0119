import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskSuccessCommand, StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';
import type { MockConfig } from '../../src/workbench/mocks/mock-config';
import { eachPut, REFUSED_PUT_ANSWER } from '../workbench/each-put';

/*
 * serve runs its executions through the workbench's engine and answers their Tasks with the
 * workbench's dispatcher, as the jest harness, `stepwright run` and MCP do: what it adds (its
 * handlers, journal, workers and real clock) sits on top. Each case here runs through serve and
 * through the harness and finds the same answer.
 */

const EACH_PUT = eachPut();

/** A `.waitForTaskToken` Lambda Task: its TaskSubmitted output is the Invoke answer, before the token's answer comes. */
const CALLBACK = {
  StartAt: 'Approve',
  States: {
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'approve', Payload: { 'token.$': '$$.Task.Token' } },
      End: true,
    },
  },
};

const CONFIG: MockConfig = {
  StateMachines: {
    EachPut: { TestCases: { Refused: { Put: 'NotPutItem' } } },
  },
  MockedResponses: {
    NotPutItem: { 0: { Return: REFUSED_PUT_ANSWER } },
  },
};

describe('serve runs its executions on the workbench\'s run path', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve({ mockConfig: CONFIG, timeScale: 1000 }); });
  afterAll(() => env.stop());

  async function start(name: string, definition: object, input: unknown, testCase?: string): Promise<string> {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name, definition: asl(definition), roleArn: ROLE }));
    const target = testCase === undefined ? stateMachineArn! : `${stateMachineArn!}#${testCase}`;
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: target, input: JSON.stringify(input) }));
    return executionArn!;
  }

  it('fails an execution whose MockConfigFile answers a Distributed Map child what its service never sends, as the harness fails the run', async () => {
    const arn = await start('EachPut', EACH_PUT, [1, 2], 'Refused');
    const served = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn: arn })), (d) => d.status !== 'RUNNING');
    const local = await Workflow.fromDefinition(EACH_PUT, { name: 'EachPut' })
      .run([1, 2], { mockConfig: { config: CONFIG, testCase: 'Refused' } });
    expect(local.error).toBe('States.Runtime');
    expect({ status: served.status, error: served.error }).toEqual({ status: local.status, error: local.error });
    expect(served.cause).toContain("The mock of Task 'Put' (--mock-config test case 'Refused') answers what dynamodb:putItem (PutItem) never returns");
  });

  it('records the Invoke answer as a waiting Lambda callback Task\'s submission, as the harness\'s start() does', async () => {
    const submittedOf = (events: readonly HistoryEvent[]): Record<string, unknown> =>
      JSON.parse(events.find((e) => e.type === 'TaskSubmitted')!.taskSubmittedEventDetails!.output!) as Record<string, unknown>;
    const arn = await start('Callback', CALLBACK, {});
    const history = async (): Promise<HistoryEvent[]> => (await env.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events ?? [];
    const waiting = await until(history, (h) => h.some((e) => e.type === 'TaskSubmitted'));
    const parameters = JSON.parse(waiting.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!) as { Payload: { token: string } };
    await env.sfn.send(new SendTaskSuccessCommand({ taskToken: parameters.Payload.token, output: '{"ok":true}' }));
    const served = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn: arn })), (d) => d.status !== 'RUNNING');

    const execution = Workflow.fromDefinition(CALLBACK as unknown as StateMachineDefinition).start({});
    execution.sendTaskSuccess(await execution.waitForTaskToken('Approve'), { ok: true });
    const local = await execution.result;

    expect([served.status, served.output]).toEqual([local.status, JSON.stringify(local.output)]);
    const [fromServe, fromHarness] = [submittedOf(waiting), submittedOf(local.history as unknown as HistoryEvent[])];
    expect(Object.keys(fromServe)).toEqual(Object.keys(fromHarness));
    expect([fromServe.Payload, fromServe.StatusCode]).toEqual([fromHarness.Payload, fromHarness.StatusCode]);
  });
});
