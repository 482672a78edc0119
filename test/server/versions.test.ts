import {
  ConflictException, CreateStateMachineAliasCommand, CreateStateMachineCommand, DeleteStateMachineAliasCommand, DeleteStateMachineVersionCommand,
  DescribeExecutionCommand, DescribeMapRunCommand, DescribeStateMachineAliasCommand, DescribeStateMachineCommand, ExecutionNotRedrivable,
  GetExecutionHistoryCommand, ListExecutionsCommand, ListMapRunsCommand, ListStateMachineAliasesCommand, ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand, RedriveExecutionCommand, ResourceNotFound, StartExecutionCommand, TestStateCommand,
  UpdateMapRunCommand, UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand, ValidateStateMachineDefinitionCommand, ValidationException, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';

const v1 = asl({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'v1', End: true } } });
const v2 = asl({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'v2', End: true } } });

const done = (sfn: SFNClient, executionArn: string) => until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');

describe('serve: versions and aliases', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let arn: string;
  let version1: string;
  let version2: string;
  beforeAll(async () => {
    env = await serve();
    const created = await env.sfn.send(new CreateStateMachineCommand({ name: 'versioned', definition: v1, roleArn: ROLE, publish: true, versionDescription: 'first' }));
    arn = created.stateMachineArn!;
    version1 = created.stateMachineVersionArn!;
    await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: v2 }));
    version2 = (await env.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, description: 'second' }))).stateMachineVersionArn!;
  });
  afterAll(() => env.stop());

  it('numbers versions name:1, name:2', () => {
    expect(version1).toBe(`${arn}:1`);
    expect(version2).toBe(`${arn}:2`);
  });

  it('publishes the same revision once: publishing again returns the existing version', async () => {
    const again = await env.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }));
    expect(again.stateMachineVersionArn).toBe(version2);
  });

  it('refuses to publish a stale revisionId with ConflictException', async () => {
    await expect(env.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, revisionId: 'stale' }))).rejects.toBeInstanceOf(ConflictException);
  });

  it('describes a version with its own definition and description', async () => {
    expect(await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: version1 }))).toMatchObject({ stateMachineArn: version1, definition: v1, description: 'first' });
  });

  it('lists versions newest first', async () => {
    const { stateMachineVersions } = await env.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
    expect(stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([version2, version1]);
  });

  it('runs the version an execution is started on, and DescribeExecution names it', async () => {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: version1 }));
    expect(await done(env.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '"v1"', stateMachineVersionArn: version1, stateMachineArn: arn });
  });

  it('creates, describes, lists and updates an alias with routingConfiguration', async () => {
    const routing = [{ stateMachineVersionArn: version1, weight: 100 }];
    const { stateMachineAliasArn } = await env.sfn.send(new CreateStateMachineAliasCommand({ name: 'prod', routingConfiguration: routing, description: 'live' }));
    expect(stateMachineAliasArn).toBe(`${arn}:prod`);
    expect(await env.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn }))).toMatchObject({ name: 'prod', description: 'live', routingConfiguration: routing });
    const { stateMachineAliases } = await env.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }));
    expect(stateMachineAliases!.map((a) => a.stateMachineAliasArn)).toContain(stateMachineAliasArn);
    const routeToV2 = [{ stateMachineVersionArn: version2, weight: 100 }];
    const { updateDate } = await env.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn, routingConfiguration: routeToV2 }));
    expect(updateDate).toBeInstanceOf(Date);
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineAliasArn }));
    expect(await done(env.sfn, executionArn!)).toMatchObject({ output: '"v2"', stateMachineAliasArn, stateMachineVersionArn: version2 });
    await env.sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn }));
    await expect(env.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn }))).rejects.toBeInstanceOf(ResourceNotFound);
  });

  it('routes executions of an alias between two versions by weight', async () => {
    const { stateMachineAliasArn } = await env.sfn.send(new CreateStateMachineAliasCommand({
      name: 'canary', routingConfiguration: [{ stateMachineVersionArn: version1, weight: 80 }, { stateMachineVersionArn: version2, weight: 20 }],
    }));
    const start = () => env.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineAliasArn }));
    const arns = await Promise.all(Array.from({ length: 100 }, start));
    const described = await Promise.all(arns.map((a) => until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn: a.executionArn })), (d) => d.status !== 'RUNNING')));
    const onV2 = described.filter((d) => d.stateMachineVersionArn === version2).length;
    // 20% of 100 is 20 (standard deviation 4): 4.5 deviations either side keeps the test from flaking.
    expect(onV2).toBeGreaterThan(2);
    expect(onV2).toBeLessThan(38);
    const listed = await env.sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineAliasArn, maxResults: 1000 }));
    expect(listed.executions).toHaveLength(100);
  });

  it('refuses weights that do not add up to 100 with ValidationException', async () => {
    await expect(env.sfn.send(new CreateStateMachineAliasCommand({
      name: 'bad', routingConfiguration: [{ stateMachineVersionArn: version1, weight: 50 }, { stateMachineVersionArn: version2, weight: 40 }],
    }))).rejects.toBeInstanceOf(ValidationException);
  });

  it('refuses an alias to a version that does not exist with ResourceNotFound', async () => {
    await expect(env.sfn.send(new CreateStateMachineAliasCommand({ name: 'ghost', routingConfiguration: [{ stateMachineVersionArn: `${arn}:99`, weight: 100 }] })))
      .rejects.toBeInstanceOf(ResourceNotFound);
  });

  it('refuses to delete a version an alias uses with ConflictException, and deletes it once the alias is gone', async () => {
    const { stateMachineVersionArn } = await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: asl({ StartAt: 'S', States: { S: { Type: 'Succeed' } } }), publish: true }));
    const { stateMachineAliasArn } = await env.sfn.send(new CreateStateMachineAliasCommand({ name: 'pinned', routingConfiguration: [{ stateMachineVersionArn, weight: 100 }] }));
    await expect(env.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn }))).rejects.toBeInstanceOf(ConflictException);
    await env.sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn }));
    await env.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn }));
    const { stateMachineVersions } = await env.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
    expect(stateMachineVersions!.map((v) => v.stateMachineVersionArn)).not.toContain(stateMachineVersionArn);
  });
});

describe('serve: RedriveExecution', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    let calls = 0;
    env = await serve({ handlers: { Flaky: () => { calls++; if (calls === 1) throw new Error('first call fails'); return { attempt: calls }; } } });
  });
  afterAll(() => env.stop());

  it('continues a failed execution from the failed state: earlier states do not run again, redriveCount counts', async () => {
    const definition = asl({
      StartAt: 'Before',
      States: {
        Before: { Type: 'Pass', Result: { prepared: true }, Next: 'Flaky' },
        Flaky: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'x' }, Next: 'After' },
        After: { Type: 'Pass', End: true },
      },
    });
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'redrive', definition, roleArn: ROLE }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    expect(await done(env.sfn, executionArn!)).toMatchObject({ status: 'FAILED', redriveStatus: 'REDRIVABLE' });
    const { redriveDate } = await env.sfn.send(new RedriveExecutionCommand({ executionArn }));
    expect(redriveDate).toBeInstanceOf(Date);
    expect(await done(env.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"attempt":2}', redriveCount: 1 });
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = events!.map((e) => e.type);
    expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
    expect(types).toContain('ExecutionRedriven');
    expect(events!.filter((e) => e.type === 'PassStateEntered' && e.stateEnteredEventDetails!.name === 'Before')).toHaveLength(1);
    expect(events!.map((e) => e.id)).toEqual(events!.map((_, i) => i + 1));
    const redriven = await env.sfn.send(new ListExecutionsCommand({ stateMachineArn, redriveFilter: 'REDRIVEN' }));
    expect(redriven.executions!.map((e) => e.executionArn)).toEqual([executionArn]);
    expect(redriven.executions![0]).toMatchObject({ redriveCount: 1, redriveDate: expect.any(Date) });
  });

  it('refuses to redrive a SUCCEEDED execution with ExecutionNotRedrivable', async () => {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'ok', definition: v1, roleArn: ROLE }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    await done(env.sfn, executionArn!);
    await expect(env.sfn.send(new RedriveExecutionCommand({ executionArn }))).rejects.toBeInstanceOf(ExecutionNotRedrivable);
  });
});

describe('serve: ValidateStateMachineDefinition and TestState', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve(); });
  afterAll(() => env.stop());

  it('reports OK with no diagnostics for a valid definition', async () => {
    expect(await env.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: v1 }))).toMatchObject({ result: 'OK', diagnostics: [] });
  });

  it('reports FAIL with each diagnostic: severity, code, message and location', async () => {
    const out = await env.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: asl({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } }) }));
    expect(out.result).toBe('FAIL');
    expect(out.diagnostics).toContainEqual(expect.objectContaining({ severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', location: '/States/A/Next' }));
  });

  it('tests one state with TestState and returns its output and next state', async () => {
    const definition = asl({ Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, Next: 'Done' });
    const out = await env.sfn.send(new TestStateCommand({ definition, roleArn: ROLE, input: '{"a":1,"b":2}' }));
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"sum":3}', nextState: 'Done' });
  });

  it('returns inspectionData as JSON strings with inspectionLevel DEBUG', async () => {
    const definition = asl({ Type: 'Pass', InputPath: '$.in', ResultPath: '$.out', Next: 'Done' });
    const out = await env.sfn.send(new TestStateCommand({ definition, roleArn: ROLE, input: '{"in":{"x":1}}', inspectionLevel: 'DEBUG' }));
    expect(out.inspectionData).toMatchObject({ input: '{"in":{"x":1}}', afterInputPath: '{"x":1}' });
  });

  it('tests a Task state with a mocked result', async () => {
    const definition = asl({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true });
    const out = await env.sfn.send(new TestStateCommand({ definition, roleArn: ROLE, input: '{}', mock: { result: '{"StatusCode":200,"Payload":{"r":1}}' } }));
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"StatusCode":200,"Payload":{"r":1}}' });
  });

  it('fails a Task with a mocked errorOutput that gives no cause with the error alone, as MockErrorOutput allows', async () => {
    const definition = asl({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true });
    const out = await env.sfn.send(new TestStateCommand({ definition, roleArn: ROLE, input: '{}', mock: { errorOutput: { error: 'Lambda.TooManyRequestsException' } } }));
    expect(out).toMatchObject({ status: 'FAILED', error: 'Lambda.TooManyRequestsException' });
    expect(out.cause).toBeUndefined();
  });
});

describe('serve: Map runs', () => {
  it('lists and describes the Map Run of a DISTRIBUTED Map', async () => {
    const env = await serve();
    try {
      const definition = asl({
        StartAt: 'Fan',
        States: {
          Fan: {
            Type: 'Map',
            ItemsPath: '$.items',
            MaxConcurrency: 5,
            ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      });
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'fan', definition, roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'f1', input: '{"items":[1,2,3]}' }));
      await done(env.sfn, executionArn!);
      const { mapRuns } = await env.sfn.send(new ListMapRunsCommand({ executionArn }));
      expect(mapRuns).toHaveLength(1);
      // The ARN the history records: the Map has no Label, so a generated one (a name-based UUID), then the Map Run's id.
      expect(mapRuns![0].mapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:fan\/[0-9a-f-]{36}:[0-9a-f-]{36}$/);
      const run = await env.sfn.send(new DescribeMapRunCommand({ mapRunArn: mapRuns![0].mapRunArn }));
      expect(run).toMatchObject({ executionArn, status: 'SUCCEEDED', maxConcurrency: 5, itemCounts: { total: 3, succeeded: 3 } });
      await env.sfn.send(new UpdateMapRunCommand({ mapRunArn: run.mapRunArn, maxConcurrency: 2 }));
      expect(await env.sfn.send(new DescribeMapRunCommand({ mapRunArn: run.mapRunArn }))).toMatchObject({ maxConcurrency: 2 });
      const listing = await env.sfn.send(new ListExecutionsCommand({ mapRunArn: run.mapRunArn }));
      expect(listing.executions).toHaveLength(3);
      await expect(env.sfn.send(new DescribeMapRunCommand({ mapRunArn: 'arn:aws:states:us-east-1:123456789012:mapRun:fan/Fan:nope' }))).rejects.toBeInstanceOf(ResourceNotFound);
    } finally {
      await env.stop();
    }
  });
});
