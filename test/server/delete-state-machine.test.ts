/*
 * DeleteStateMachine while executions run. "This is an asynchronous operation. It sets the state
 * machine's status to DELETING and begins the deletion process. A state machine is deleted only
 * when all its executions are completed. On the next state transition, the state machine's
 * executions are terminated" (DeleteStateMachine, API reference). An execution so terminated fails
 * with States.Runtime, "State machine <name> has been deleted."; one waiting for a task keeps the
 * state machine DELETING until it moves on, or is stopped (AWS's knowledge center, "Why is my Step
 * Functions state machine stuck in the DELETING status?"). Each answer is checked through
 * @aws-sdk/client-sfn and as raw HTTP.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sdk from '@aws-sdk/client-sfn';
import { asl, activityTask, PASS, raw, ROLE, serve, until, errorTypeOf } from './helpers';

/** A state machine whose executions wait for a worker of `activity`, then pass. */
function waiting(activityArn: string): string {
  return asl({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, Next: 'After' }, After: { Type: 'Pass', End: true } } });
}

describe('serve: DeleteStateMachine while its executions run', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let activityArn: string;
  beforeAll(async () => {
    env = await serve();
    ({ activityArn } = await env.sfn.send(new sdk.CreateActivityCommand({ name: 'work' })) as { activityArn: string });
  });
  afterAll(() => env.stop());

  /** A state machine named `name`, published as version 1 with alias `live`, and an execution of it waiting for its worker. */
  async function deletingWithWaiter(name: string): Promise<{ stateMachineArn: string; executionArn: string; taskToken: string }> {
    const { sfn } = env;
    const definition = waiting(activityArn);
    const { stateMachineArn } = await sfn.send(new sdk.CreateStateMachineCommand({ name, definition, roleArn: ROLE, publish: true }));
    await sfn.send(new sdk.CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn!}:1`, weight: 100 }] }));
    const { executionArn } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: stateMachineArn!, name: 'waits' }));
    const { taskToken } = await activityTask(sfn, activityArn);
    await sfn.send(new sdk.DeleteStateMachineCommand({ stateMachineArn: stateMachineArn! }));
    return { stateMachineArn: stateMachineArn!, executionArn: executionArn!, taskToken };
  }

  it('shows DELETING while an execution waits, fails the execution with States.Runtime at its next state, then is gone', async () => {
    const { sfn } = env;
    const { stateMachineArn, executionArn, taskToken } = await deletingWithWaiter('orders');
    expect(await sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn }))).toMatchObject({ status: 'DELETING' });
    const rawDescribed = await raw(env.server.endpoint, { target: 'AWSStepFunctions.DescribeStateMachine', body: JSON.stringify({ stateMachineArn }) });
    expect([rawDescribed.status, rawDescribed.body.status]).toEqual([200, 'DELETING']);
    // A version described is of a state machine being deleted too.
    expect(await sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: `${stateMachineArn}:1` }))).toMatchObject({ status: 'DELETING' });
    // The execution waits in its Task: no transition has come yet.
    expect(await sfn.send(new sdk.DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'RUNNING' });

    await sfn.send(new sdk.SendTaskSuccessCommand({ taskToken, output: '{}' }));
    const ended = await until(() => sfn.send(new sdk.DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(ended).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'State machine orders has been deleted.' });
    // The Task it waited in ends as answered; the transition to the next state is where it fails.
    const { events } = await sfn.send(new sdk.GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionFailed',
    ]);
    expect(events!.at(-1)).toMatchObject({ executionFailedEventDetails: { error: 'States.Runtime', cause: 'State machine orders has been deleted.' } });

    // Its last execution ended: the state machine, its versions and aliases are gone.
    await expect(sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn }))).rejects.toBeInstanceOf(sdk.StateMachineDoesNotExist);
    await expect(sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: `${stateMachineArn}:live` }))).rejects.toBeInstanceOf(sdk.StateMachineDoesNotExist);
    const listed = await sfn.send(new sdk.ListStateMachinesCommand({}));
    expect(listed.stateMachines!.map((m) => m.name)).not.toContain('orders');
    // The name is free again.
    await sfn.send(new sdk.CreateStateMachineCommand({ name: 'orders', definition: PASS, roleArn: ROLE }));
  });

  it('ends the deletion when the waiting executions are stopped, as the knowledge center says to', async () => {
    const { sfn } = env;
    const { stateMachineArn, executionArn } = await deletingWithWaiter('stopped');
    // ListExecutions and StopExecution still answer: they are how a user ends a stuck deletion.
    const { executions } = await sfn.send(new sdk.ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));
    expect(executions!.map((e) => e.executionArn)).toEqual([executionArn]);
    await sfn.send(new sdk.StopExecutionCommand({ executionArn }));
    expect(await sfn.send(new sdk.DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'ABORTED' });
    await expect(sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn }))).rejects.toBeInstanceOf(sdk.StateMachineDoesNotExist);
  });

  describe('refuses what would change or run it while it is DELETING', () => {
    let stateMachineArn: string;
    let failedArn: string;
    beforeAll(async () => {
      const { sfn } = env;
      // An execution that failed before the delete, to redrive.
      const { stateMachineArn: arn } = await sfn.send(new sdk.CreateStateMachineCommand({
        name: 'held',
        roleArn: ROLE,
        publish: true,
        definition: asl({
          StartAt: 'Route',
          States: {
            Route: { Type: 'Choice', Choices: [{ Variable: '$.fail', IsPresent: true, Next: 'F' }], Default: 'Work' },
            F: { Type: 'Fail', Error: 'E' },
            Work: { Type: 'Task', Resource: activityArn, End: true },
          },
        }),
      }));
      stateMachineArn = arn!;
      await sfn.send(new sdk.CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn}:1`, weight: 100 }] }));
      ({ executionArn: failedArn } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn, name: 'failed', input: '{"fail":1}' })) as { executionArn: string });
      await until(() => sfn.send(new sdk.DescribeExecutionCommand({ executionArn: failedArn })), (d) => d.status === 'FAILED');
      await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn, name: 'waits' }));
      await activityTask(sfn, activityArn);
      await sfn.send(new sdk.DeleteStateMachineCommand({ stateMachineArn }));
    });

    const deleting = (arn: () => string) => ({ error: 'StateMachineDeleting', message: () => `State Machine Is Being Deleted: '${arn()}'` });
    const cases: ReadonlyArray<[string, string, () => Record<string, unknown>]> = [
      ['a start', 'StartExecution', () => ({ stateMachineArn })],
      ['a start through its alias', 'StartExecution', () => ({ stateMachineArn: `${stateMachineArn}:live` })],
      ['a start of its version', 'StartExecution', () => ({ stateMachineArn: `${stateMachineArn}:1` })],
      ['an update', 'UpdateStateMachine', () => ({ stateMachineArn, definition: PASS })],
      ['a publish', 'PublishStateMachineVersion', () => ({ stateMachineArn })],
      ['a state machine created again with its name', 'CreateStateMachine', () => ({ name: 'held', definition: PASS, roleArn: ROLE })],
      ['an alias created', 'CreateStateMachineAlias', () => ({ name: 'other', routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn}:1`, weight: 100 }] })],
      ['an alias updated', 'UpdateStateMachineAlias', () => ({ stateMachineAliasArn: `${stateMachineArn}:live`, description: 'd' })],
      ['its aliases listed', 'ListStateMachineAliases', () => ({ stateMachineArn })],
    ];

    it.each(cases)('answers %s (%s) StateMachineDeleting, through the SDK and raw HTTP', async (_what, operation, request) => {
      const expected = deleting(() => stateMachineArn);
      const Command = (sdk as unknown as Record<string, new (input: object) => sdk.ListActivitiesCommand>)[`${operation}Command`];
      await expect(env.sfn.send(new Command(request()))).rejects.toMatchObject({ name: expected.error, message: expected.message() });
      const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify(request()) });
      expect([answer.status, errorTypeOf(answer.headers), answer.body.message]).toEqual([400, expected.error, expected.message()]);
      expect(String(answer.body.__type)).toBe('com.amazonaws.swf.service.v2.model#StateMachineDeleting');
    });

    it('answers a redrive of its failed execution ExecutionNotRedrivable, DescribeExecution saying why', async () => {
      expect(await env.sfn.send(new sdk.DescribeExecutionCommand({ executionArn: failedArn }))).toMatchObject({
        redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'State machine is in DELETING status',
      });
      const message = `Execution '${failedArn}' cannot be redriven: State machine is in DELETING status (DeleteStateMachine was called)`;
      await expect(env.sfn.send(new sdk.RedriveExecutionCommand({ executionArn: failedArn }))).rejects.toMatchObject({ name: 'ExecutionNotRedrivable', message });
      const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.RedriveExecution', body: JSON.stringify({ executionArn: failedArn }) });
      expect([answer.status, errorTypeOf(answer.headers), answer.body.message]).toEqual([400, 'ExecutionNotRedrivable', message]);
    });

    it('answers a second DeleteStateMachine as the first, and still describes and lists it', async () => {
      expect(await env.sfn.send(new sdk.DeleteStateMachineCommand({ stateMachineArn }))).toMatchObject({});
      const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.DeleteStateMachine', body: JSON.stringify({ stateMachineArn }) });
      expect([answer.status, answer.body]).toEqual([200, {}]);
      expect(await env.sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn }))).toMatchObject({ status: 'DELETING', name: 'held' });
    });
  });

  /*
   * A Distributed Map's children are executions of the Map Run's own state machine
   * (`<machine>/<label>`), which DeleteStateMachine refuses to delete: they run on, and the
   * parent, an execution of the deleted machine, fails at its next state as any other does. They
   * once took the parent's failure as their own: the child whose worker answered ended ABORTED,
   * its sibling with it, and the parent FAILED with States.Stopped and no cause.
   */
  it('lets a Distributed Map\'s children run on, and fails the parent at the state after the Map', async () => {
    const { sfn } = env;
    const { activityArn: childWork } = await sfn.send(new sdk.CreateActivityCommand({ name: 'child-work' }));
    const processor = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: childWork, Next: 'Done' }, Done: { Type: 'Pass', End: true } } };
    const definition = asl({ StartAt: 'Fan', States: { Fan: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: processor, Next: 'After' }, After: { Type: 'Pass', End: true } } });
    const { stateMachineArn } = await sfn.send(new sdk.CreateStateMachineCommand({ name: 'fans', definition, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: stateMachineArn!, input: '{"items":[1,2]}' }));
    const tokens = [(await activityTask(sfn, childWork!)).taskToken, (await activityTask(sfn, childWork!)).taskToken];
    const [{ mapRunArn }] = (await sfn.send(new sdk.ListMapRunsCommand({ executionArn: executionArn! }))).mapRuns!;
    await sfn.send(new sdk.DeleteStateMachineCommand({ stateMachineArn: stateMachineArn! }));

    await sfn.send(new sdk.SendTaskSuccessCommand({ taskToken: tokens[0], output: '{"n":1}' }));
    const children = () => sfn.send(new sdk.ListExecutionsCommand({ mapRunArn }));
    const one = await until(children, (l) => l.executions!.some((e) => e.status !== 'RUNNING'));
    expect(one.executions!.map((e) => e.status).sort()).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(await sfn.send(new sdk.DescribeExecutionCommand({ executionArn: executionArn! }))).toMatchObject({ status: 'RUNNING' });
    expect(await sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: stateMachineArn! }))).toMatchObject({ status: 'DELETING' });

    await sfn.send(new sdk.SendTaskSuccessCommand({ taskToken: tokens[1], output: '{"n":2}' }));
    const ended = await until(() => sfn.send(new sdk.DescribeExecutionCommand({ executionArn: executionArn! })), (d) => d.status !== 'RUNNING');
    expect(ended).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'State machine fans has been deleted.' });
    const rawEnded = await raw(env.server.endpoint, { target: 'AWSStepFunctions.DescribeExecution', body: JSON.stringify({ executionArn }) });
    expect([rawEnded.body.status, rawEnded.body.error, rawEnded.body.cause]).toEqual(['FAILED', 'States.Runtime', 'State machine fans has been deleted.']);
    const { events } = await sfn.send(new sdk.GetExecutionHistoryCommand({ executionArn: executionArn! }));
    // The Map ends as its children did; the transition to the next state is where the parent fails.
    expect(events!.map((e) => e.type).slice(-5)).toEqual(['MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionFailed']);
    expect((await children()).executions!.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(await sfn.send(new sdk.DescribeMapRunCommand({ mapRunArn }))).toMatchObject({ status: 'SUCCEEDED', executionCounts: { succeeded: 2, aborted: 0, failed: 0, running: 0, total: 2 } });
    const gone = sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: stateMachineArn! }));
    await expect(gone).rejects.toBeInstanceOf(sdk.StateMachineDoesNotExist);
  });

  it('deletes an EXPRESS state machine at once, its running execution left to run', async () => {
    const { sfn } = env;
    const definition = asl({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
    const { stateMachineArn } = await sfn.send(new sdk.CreateStateMachineCommand({ name: 'quick', type: 'EXPRESS', definition, roleArn: ROLE }));
    await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: stateMachineArn! }));
    await sfn.send(new sdk.DeleteStateMachineCommand({ stateMachineArn: stateMachineArn! }));
    const described = sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: stateMachineArn! }));
    await expect(described).rejects.toBeInstanceOf(sdk.StateMachineDoesNotExist);
  });
});

describe('serve: a deletion under way, across a restart with --data-dir', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-deleting-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is still DELETING after a restart, and ends when the execution run again moves on', async () => {
    const first = await serve({ dataDir: dir });
    let stateMachineArn: string;
    let executionArn: string;
    let activityArn: string;
    let taskToken: string;
    try {
      ({ activityArn } = await first.sfn.send(new sdk.CreateActivityCommand({ name: 'work' })) as { activityArn: string });
      ({ stateMachineArn } = await first.sfn.send(new sdk.CreateStateMachineCommand({ name: 'kept', definition: waiting(activityArn), roleArn: ROLE })) as { stateMachineArn: string });
      ({ executionArn } = await first.sfn.send(new sdk.StartExecutionCommand({ stateMachineArn })) as { executionArn: string });
      // Handed to a worker before the restart: the worker answers after it, with the same token.
      ({ taskToken } = await activityTask(first.sfn, activityArn));
      await first.sfn.send(new sdk.DeleteStateMachineCommand({ stateMachineArn }));
    } finally {
      await first.stop();
    }
    const second = await serve({ dataDir: dir });
    try {
      const { sfn } = second;
      expect(await sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn }))).toMatchObject({ status: 'DELETING' });
      await expect(sfn.send(new sdk.StartExecutionCommand({ stateMachineArn }))).rejects.toBeInstanceOf(sdk.StateMachineDeleting);
      // The run again passes the Task it had entered before the delete, and waits there.
      expect(await sfn.send(new sdk.DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'RUNNING' });
      await sfn.send(new sdk.SendTaskSuccessCommand({ taskToken, output: '{}' }));
      const ended = await until(() => sfn.send(new sdk.DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect(ended).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'State machine kept has been deleted.' });
      const { events } = await sfn.send(new sdk.GetExecutionHistoryCommand({ executionArn }));
      expect(events!.map((e) => e.type)).toEqual([
        'ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionFailed',
      ]);
      await expect(sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn }))).rejects.toBeInstanceOf(sdk.StateMachineDoesNotExist);
    } finally {
      await second.stop();
    }
    // And a third start reads a journal in which it is gone.
    const third = await serve({ dataDir: dir });
    try {
      await expect(third.sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn }))).rejects.toBeInstanceOf(sdk.StateMachineDoesNotExist);
      expect(await third.sfn.send(new sdk.DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'FAILED', cause: 'State machine kept has been deleted.' });
    } finally {
      await third.stop();
    }
  });
});
