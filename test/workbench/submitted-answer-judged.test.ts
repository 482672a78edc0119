import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { CATALOGUE, type CatalogueFailRule, type CatalogueRow } from '../../src/asl/integrations';
import { StatesErrors } from '../../src/asl/states-errors';
import type { TaskHandler } from '../../src/interpreter/execution-types';
import { Workflow } from '../../src/testing/workflow';
import { delay, succeed, type Mock } from '../../src/workbench/mocks/answers';
import { asl, ROLE, serve, until } from '../server/helpers';

/*
 * What a `.waitForTaskToken` or `.sync` Task's call answered (its TaskSubmitted output, a mock's `submitted`)
 * is an answer like any other: one AWS turns into the Task's failure fails the Task, whichever way the mock
 * gives it. A `lambda:invoke.waitForTaskToken` invoke answered with a FunctionError fails the Task with the
 * payload's errorType (connect-lambda.html: "If an exception is raised within the Lambda function, the Task
 * will fail"); an `ecs:runTask.sync` or `.waitForTaskToken` RunTask answered with Failures fails it with
 * AmazonECS.Unknown (connect-ecs.html: "Run a Job or Task Token: If a non-empty Failures field is
 * encountered, the task is failed with an AmazonECS.Unknown error"). The call failed, so no token was handed
 * out and no worker's answer is waited for. `stepwright run` and MCP's run tool take a --mocks table, which
 * has no form for what a call submitted: the harness and serve's --handlers are the doors that can give one.
 */

interface Rule {
  readonly name: string;
  readonly resource: string;
  readonly rule: CatalogueFailRule;
  readonly row: CatalogueRow;
}

/** Every catalogue rule that judges a callback's or a job's call, with each such pattern. */
const RULES: Rule[] = [...CATALOGUE.values()].flatMap((row) => ('fails' in row.outcome ? row.outcome.fails : []).flatMap((rule, i) =>
  rule.patterns.filter((p) => p === 'waitForTaskToken').map((p) => ({ name: `${row.resource}.${p} rule ${i}`, resource: `arn:aws:states:::${row.resource}.${p}`, rule, row }))));

function errorOf({ rule, row }: Rule): string {
  const spec = rule.error;
  if ('taskFailed' in spec) return StatesErrors.TASK_FAILED;
  if ('name' in spec) return spec.name;
  if ('from' in spec) return (rule.failing as { Payload: { errorType: string } }).Payload.errorType;
  return `${row.errorPrefix}${spec.infix}${String((rule.failing as Record<string, unknown>)[spec.status])}`;
}

const single = (resource: string): StateMachineDefinition => ({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: resource, End: true } } } as StateMachineDefinition);
const options = { requestChecks: 'warn', mockValidation: 'NONE' } as const;
const WORKER = { approved: true };

describe('a callback whose call submitted an answer AWS fails fails the Task, however the harness\'s mock gives it', () => {
  it('holds every .waitForTaskToken rule of the catalogue (the table is not empty)', () => {
    expect(RULES.map((r) => r.name)).toEqual(expect.arrayContaining(['lambda:invoke.waitForTaskToken rule 0', 'ecs:runTask.waitForTaskToken rule 0',
      'events:putEvents.waitForTaskToken rule 0', 'events:putEvents.waitForTaskToken rule 1', 'apigateway:invoke.waitForTaskToken rule 0']));
  });

  const ways: Array<[string, (submitted: JsonValue) => Mock, boolean]> = [
    ['a step', (submitted) => succeed(WORKER, { submitted }), false],
    ['a step of a sequence', (submitted) => [succeed(WORKER, { submitted })], false],
    ['a function returning a step', (submitted) => () => succeed(WORKER, { submitted }), false],
    ['a delay\'s answer', (submitted) => delay(30, succeed(WORKER, { submitted })), false],
    // An async function answers after the call returned: its TaskSubmitted is recorded, and the Task fails as its answer comes.
    ['an async function returning a step', (submitted) => async () => succeed(WORKER, { submitted }), true],
  ];

  it.each(RULES.flatMap((r) => ways.map(([way, mock, late]) => [r.name, way, r, mock, late] as const)))('%s, given as %s', async (_name, _way, r, mock, late) => {
    const run = await Workflow.fromDefinition(single(r.resource)).run({}, { ...options, mocks: { Call: mock(r.rule.failing as JsonValue) } });
    expect({ status: run.status, error: run.error }).toEqual({ status: 'FAILED', error: errorOf(r) });
    expect(run.history.some((e) => e.type === 'TaskSubmitted')).toBe(late);
  });

  it('lets a call whose submitted answer the rule lets through wait for the worker\'s answer', async () => {
    for (const r of RULES) {
      const mock = (): Mock => succeed(WORKER, { submitted: r.rule.succeeding as JsonValue });
      const run = await Workflow.fromDefinition(single(r.resource)).run({}, { ...options, mocks: { Call: mock } });
      expect([r.name, run.status, run.output]).toEqual([r.name, 'SUCCEEDED', WORKER]);
    }
  });
});

describe('an ecs:runTask.sync Task whose RunTask answered with Failures fails with AmazonECS.Unknown', () => {
  const FAILURES = { Failures: [{ Arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/c1', Reason: 'RESOURCE:MEMORY' }], Tasks: [] };
  const ENDED = { LastStatus: 'STOPPED', StopCode: 'EssentialContainerExited', Containers: [{ ExitCode: 0, Name: 'app' }] };
  const wf = Workflow.fromDefinition(single('arn:aws:states:::ecs:runTask.sync'));

  it.each([
    ['a step', succeed(ENDED, { submitted: FAILURES })],
    ['a function returning a step', () => succeed(ENDED, { submitted: FAILURES })],
  ] as Array<[string, Mock]>)('given as %s, before any TaskSubmitted, the RunTask answer as cause', async (_way, mock) => {
    const run = await wf.run({}, { ...options, mocks: { Call: mock } });
    expect({ status: run.status, error: run.error, cause: run.cause }).toEqual({ status: 'FAILED', error: 'AmazonECS.Unknown', cause: JSON.stringify(FAILURES) });
    expect(run.history.map((e) => e.type)).not.toContain('TaskSubmitted');
  });

  it('a RunTask answer with no failures is submitted, and the task that ended is the result', async () => {
    const run = await wf.run({}, { ...options, mocks: { Call: succeed(ENDED, { submitted: { Failures: [], Tasks: [{ LastStatus: 'PROVISIONING' }] } }) } });
    expect({ status: run.status, output: run.output }).toEqual({ status: 'SUCCEEDED', output: ENDED });
    expect(run.history.map((e) => e.type)).toContain('TaskSubmitted');
  });
});

describe('serve, an ecs:runTask.sync --handlers handler that records a RunTask answer with Failures, through @aws-sdk/client-sfn', () => {
  it('fails the execution with AmazonECS.Unknown, the RunTask answer as cause, before any TaskSubmitted', async () => {
    const failures = { Failures: [{ Reason: 'RESOURCE:MEMORY' }], Tasks: [] };
    const handler: TaskHandler = (_input, request) => {
      request.recordSubmission(failures);
      return { LastStatus: 'STOPPED', StopCode: 'EssentialContainerExited', Containers: [{ ExitCode: 0 }] };
    };
    const env = await serve({ ...options, handlers: { Call: handler } });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'Recorded', definition: asl(single('arn:aws:states:::ecs:runTask.sync')), roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
      const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect({ status: done.status, error: done.error, cause: done.cause }).toEqual({ status: 'FAILED', error: 'AmazonECS.Unknown', cause: JSON.stringify(failures) });
      const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events!.map((e) => e.type)).not.toContain('TaskSubmitted');
    } finally {
      await env.stop();
    }
  });
});

describe('serve, a --handlers handler returning a step whose submitted answer AWS fails, through @aws-sdk/client-sfn', () => {
  it.each(RULES.map((r) => [r.name, r] as const))('%s fails the execution with the rule\'s error, never waiting for a token', async (_name, r) => {
    const handler: TaskHandler = () => succeed(WORKER, { submitted: r.rule.failing as JsonValue }) as never;
    const env = await serve({ ...options, handlers: { Call: handler } });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'Submitted', definition: asl(single(r.resource)), roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
      const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect({ status: done.status, error: done.error }).toEqual({ status: 'FAILED', error: errorOf(r) });
      const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events!.map((e) => e.type)).not.toContain('TaskSubmitted');
    } finally {
      await env.stop();
    }
  });
});
