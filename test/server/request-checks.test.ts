/*
 * serve checks each Task's request as it is sent, through the workbench's run path as every door
 * does: what Step Functions refuses before it calls the service fails the state with
 * States.Runtime (no Catch of States.ALL takes it), what the service refuses fails the Task with
 * its error; each says so in serve's log, naming serve's own flag. ("If you don't use the plural
 * form, Step Functions returns ... The field Filter is not supported by Step Functions": Step
 * Functions Developer Guide, "Pass parameters to a service API".)
 */
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';
import type { ServerOptions } from '../../src/server';

/** One Task sending `parameters` to `resource`, with a Catch of States.ALL that goes to 'Caught'. */
function machine(resource: string, parameters: Record<string, unknown>): string {
  return asl({
    StartAt: 'Call',
    States: {
      Call: { Type: 'Task', Resource: resource, Parameters: parameters, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }], End: true },
      Caught: { Type: 'Pass', End: true },
    },
  });
}

const MOCKS = {
  StateMachines: { Calls: { TestCases: { Answered: { Call: 'Found' } } } },
  MockedResponses: { Found: { 0: { Return: { Item: {} } } } },
};

/** How an execution of `definition` on a server started with `options` went, and the server (to read its log, then stop). */
interface Ran {
  readonly env: Awaited<ReturnType<typeof serve>>;
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
  readonly types: string[];
  readonly taskCauses: string[];
}

async function started(options: ServerOptions, definition: string): Promise<Ran> {
  const env = await serve({ mockConfig: MOCKS, timeScale: 1000, ...options });
  const sfn: SFNClient = env.sfn;
  const arn = (await sfn.send(new CreateStateMachineCommand({ name: 'Calls', definition, roleArn: ROLE }))).stateMachineArn!;
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#Answered`, name: 'run', input: '{}' }));
  const done = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return {
    env,
    status: done.status!,
    ...(done.error !== undefined ? { error: done.error } : {}),
    ...(done.cause !== undefined ? { cause: done.cause } : {}),
    types: events!.map((e) => e.type!),
    taskCauses: events!.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.cause ?? ''),
  };
}

const MISSPELT = machine('arn:aws:states:::aws-sdk:dynamodb:getItem', { Tablename: 'orders', Key: { id: { S: 'o-1' } } });

describe('serve: requests checked as the Task sends them', () => {
  it('fails a request Step Functions refuses before the call with States.Runtime, past a Catch of States.ALL, and logs it naming --request-checks warn', async () => {
    const r = await started({}, MISSPELT);
    try {
      expect(r.status).toBe('FAILED');
      expect(r.error).toBe('States.Runtime');
      expect(r.cause).toContain('[The field "Tablename" is not supported by Step Functions]');
      expect(r.types).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
      const advice = r.env.logs.filter((l) => l.startsWith('advice: execution '));
      expect(advice.join('\n')).toContain('stepwright serve --request-checks warn lets the run go on');
    } finally {
      await r.env.stop();
    }
  });

  it('with --request-checks warn, lets the request through to the MockConfigFile\'s answer and logs what it would have refused', async () => {
    const r = await started({ requestChecks: 'warn' }, MISSPELT);
    try {
      expect(r.status).toBe('SUCCEEDED');
      expect(r.types).toContain('TaskSucceeded');
      expect(r.env.logs.join('\n')).toContain('the run goes on as asked (stepwright serve --request-checks warn)');
    } finally {
      await r.env.stop();
    }
  });

  it('fails the Task with the service\'s error for a request without a required member, which the Catch takes, naming a request id', async () => {
    const r = await started({}, machine('arn:aws:states:::dynamodb:putItem', { TableName: 'orders' }));
    try {
      expect(r.status).toBe('SUCCEEDED');
      expect(r.types).toEqual(expect.arrayContaining(['TaskFailed', 'PassStateEntered']));
      expect(r.types).not.toContain('TaskSucceeded');
      expect(r.taskCauses).toEqual([expect.stringMatching(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}/)]);
      expect(r.env.logs.join('\n')).toMatch(/advice: execution \S+: Task 'Call' sends dynamodb:putItem a request without 'Item'/);
    } finally {
      await r.env.stop();
    }
  });
});
