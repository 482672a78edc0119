import {
  CreateStateMachineCommand, DeleteStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand, InvalidArn, InvalidDefinition,
  InvalidName, ListStateMachinesCommand, ListTagsForResourceCommand, StateMachineAlreadyExists, StateMachineDoesNotExist, TagResourceCommand,
  StartExecutionCommand, UntagResourceCommand, UpdateStateMachineCommand, ValidateStateMachineDefinitionCommand, ValidationException,
  ResourceNotFound, InvalidToken,
} from '@aws-sdk/client-sfn';
import { asl, PASS, raw, refusal, ROLE, serve, until } from './helpers';

describe('serve: state machines', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve(); });
  afterAll(() => env.stop());

  it('creates a state machine with an AWS-format ARN and a creationDate the SDK reads as a Date: the server\'s wall-clock time', async () => {
    const own = await serve();
    // Real time stands at `now` until the test moves it (test/real-time.ts); a server's clock never runs backwards, so ahead of it.
    const now = Date.now() + 86_400_000;
    jest.useFakeTimers({ now, doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const out = await own.sfn.send(new CreateStateMachineCommand({ name: 'create-1', definition: PASS, roleArn: ROLE }));
      expect(out.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:create-1');
      expect(out.creationDate).toBeInstanceOf(Date);
      expect(out.creationDate!.getTime()).toBe(now);
    } finally {
      jest.useRealTimers();
      await own.stop();
    }
  });

  it('answers a second identical CreateStateMachine with the same machine (idempotent)', async () => {
    const a = await env.sfn.send(new CreateStateMachineCommand({ name: 'idem', definition: PASS, roleArn: ROLE }));
    const b = await env.sfn.send(new CreateStateMachineCommand({ name: 'idem', definition: PASS, roleArn: ROLE }));
    expect(b.stateMachineArn).toBe(a.stateMachineArn);
    expect(b.creationDate).toEqual(a.creationDate);
  });

  it('refuses the same name with another definition with StateMachineAlreadyExists', async () => {
    await env.sfn.send(new CreateStateMachineCommand({ name: 'taken', definition: PASS, roleArn: ROLE }));
    const other = asl({ StartAt: 'Q', States: { Q: { Type: 'Succeed' } } });
    await expect(env.sfn.send(new CreateStateMachineCommand({ name: 'taken', definition: other, roleArn: ROLE }))).rejects.toBeInstanceOf(StateMachineAlreadyExists);
  });

  it('refuses the same name and definition with another publish or versionDescription with StateMachineAlreadyExists, and ignores another role and tags', async () => {
    // CreateStateMachine (API reference): its idempotency check "is also based on the publish and versionDescription
    // parameters. If a following request has a different roleArn or tags, Step Functions will ignore these differences".
    const first = await env.sfn.send(new CreateStateMachineCommand({
      name: 'idem-publish', definition: PASS, roleArn: ROLE, publish: true, versionDescription: 'v1',
    }));
    const again = await env.sfn.send(new CreateStateMachineCommand({
      name: 'idem-publish', definition: PASS, roleArn: `${ROLE}-other`, publish: true, versionDescription: 'v1', tags: [{ key: 'k', value: 'v' }],
    }));
    expect({ arn: again.stateMachineArn, version: again.stateMachineVersionArn })
      .toEqual({ arn: first.stateMachineArn, version: first.stateMachineVersionArn });
    for (const other of [{ publish: false }, { publish: true, versionDescription: 'v2' }, { publish: true }]) {
      const e = await refusal(env.sfn.send(new CreateStateMachineCommand({ name: 'idem-publish', definition: PASS, roleArn: ROLE, ...other })));
      expect({ other, name: e.name, message: e.message }).toEqual({ other, name: 'StateMachineAlreadyExists', message: `State Machine Already Exists: '${first.stateMachineArn}'` });
    }
    const unpublished = await env.sfn.send(new CreateStateMachineCommand({ name: 'idem-unpublished', definition: PASS, roleArn: ROLE }));
    const e = await refusal(env.sfn.send(new CreateStateMachineCommand({ name: 'idem-unpublished', definition: PASS, roleArn: ROLE, publish: true })));
    expect({ name: e.name, message: e.message }).toEqual({ name: 'StateMachineAlreadyExists', message: `State Machine Already Exists: '${unpublished.stateMachineArn}'` });
  });

  it('refuses an invalid definition with InvalidDefinition carrying the validator message', async () => {
    const bad = asl({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } });
    const e = await env.sfn.send(new CreateStateMachineCommand({ name: 'bad', definition: bad, roleArn: ROLE })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidDefinition);
    expect((e as Error).message).toContain('MISSING_TRANSITION_TARGET');
    expect((e as Error).message).toContain('/States/A/Next');
  });

  // AWS: "SCHEMA_VALIDATION_FAILED: The value for the field 'outputPath.$' must be a valid JSONPath or a valid
  // intrinsic function call at /States/TestTask/Parameters" (CreateStateMachine, serverless-step-functions#399).
  it('locates an invalid intrinsic at the state\'s Parameters, in CreateStateMachine and ValidateStateMachineDefinition, as AWS does', async () => {
    const bad = asl({ StartAt: 'X', States: { X: { Type: 'Pass', Parameters: { 'parsed.$': 'States.StringToJson($.a, $.b)' }, End: true } } });
    const e = await env.sfn.send(new CreateStateMachineCommand({ name: 'bad-intrinsic', definition: bad, roleArn: ROLE })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidDefinition);
    expect((e as Error).message).toBe("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call at /States/X/Parameters'");
    const { result, diagnostics } = await env.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: bad }));
    expect(result).toBe('FAIL');
    expect(diagnostics).toEqual([{
      severity: 'ERROR',
      code: 'SCHEMA_VALIDATION_FAILED',
      location: '/States/X/Parameters',
      message: "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call",
    }]);
  });

  // Step Functions implements JSONata 2.0.6, which has no `??` (2.1.0): the machine is refused at create, as the run refuses it.
  it('refuses a JSONata ?? at CreateStateMachine and ValidateStateMachineDefinition with INVALID_JSONATA_EXPRESSION', async () => {
    const def = asl({ QueryLanguage: 'JSONata', StartAt: 'X', States: { X: { Type: 'Pass', Output: '{% $states.input.a ?? 1 %}', End: true } } });
    const e = await env.sfn.send(new CreateStateMachineCommand({ name: 'coalesce', definition: def, roleArn: ROLE })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidDefinition);
    expect((e as Error).message).toBe("Invalid State Machine Definition: 'INVALID_JSONATA_EXPRESSION: The symbol \"?\" cannot be used as a unary operator at /States/X/Output'");
    const { result, diagnostics } = await env.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: def }));
    expect({ result, codes: diagnostics?.map((d) => d.code) }).toEqual({ result: 'FAIL', codes: ['INVALID_JSONATA_EXPRESSION'] });
  });

  it('refuses an Express machine with a .waitForTaskToken task (InvalidDefinition)', async () => {
    const def = asl({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'MessageBody.$': '$$.Task.Token', 'QueueUrl': 'q' }, End: true } } });
    await expect(env.sfn.send(new CreateStateMachineCommand({ name: 'express-cb', definition: def, roleArn: ROLE, type: 'EXPRESS' }))).rejects.toBeInstanceOf(InvalidDefinition);
  });

  it('refuses an Express machine with an activity (InvalidDefinition)', async () => {
    const def = asl({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:work', End: true } } });
    await expect(env.sfn.send(new CreateStateMachineCommand({ name: 'express-act', definition: def, roleArn: ROLE, type: 'EXPRESS' }))).rejects.toBeInstanceOf(InvalidDefinition);
  });

  it('refuses a name with a space with InvalidName', async () => {
    await expect(env.sfn.send(new CreateStateMachineCommand({ name: 'has space', definition: PASS, roleArn: ROLE }))).rejects.toBeInstanceOf(InvalidName);
  });

  it('refuses a role that is not an IAM role ARN with InvalidArn, in AWS\'s words, through the SDK and raw HTTP', async () => {
    await expect(env.sfn.send(new CreateStateMachineCommand({ name: 'norole', definition: PASS, roleArn: 'role' }))).rejects.toBeInstanceOf(InvalidArn);
    // AWS's answer to the placeholder of AWS's own notebook, left in (aws/amazon-sagemaker-examples issue 2432):
    // "An error occurred (InvalidArn) when calling the CreateStateMachine operation: Invalid Role Arn: '<execution-role-arn>'".
    const e = await refusal(env.sfn.send(new CreateStateMachineCommand({ name: 'MyWorkflow_Simple', definition: PASS, roleArn: '<execution-role-arn>' })));
    expect(e).toBeInstanceOf(InvalidArn);
    expect(e.message).toBe("Invalid Role Arn: '<execution-role-arn>'");
    const policy = 'arn:aws:iam::aws:policy/AWSBatchFullAccess';
    for (const [operation, body] of [
      ['CreateStateMachine', { name: 'norole', definition: PASS, roleArn: policy }],
      ['UpdateStateMachine', { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:none', roleArn: policy }],
      ['TestState', { definition: asl({ Type: 'Pass', End: true }), roleArn: policy }],
    ] as const) {
      const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify(body) });
      expect({ status: answer.status, body: answer.body }).toEqual({
        status: 400, body: { __type: 'com.amazonaws.swf.service.v2.model#InvalidArn', message: `Invalid Role Arn: '${policy}'` },
      });
    }
  });

  it('refuses a request without a required field with ValidationException', async () => {
    await expect(env.sfn.send(new CreateStateMachineCommand({ name: 'x', roleArn: ROLE } as never))).rejects.toBeInstanceOf(ValidationException);
  });

  it('describes a state machine with its definition, type, status and role, and no revisionId before an update, as AWS', async () => {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'desc', definition: PASS, roleArn: ROLE, type: 'EXPRESS' }));
    const d = await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(d).toMatchObject({ stateMachineArn, name: 'desc', status: 'ACTIVE', definition: PASS, roleArn: ROLE, type: 'EXPRESS', tracingConfiguration: { enabled: false } });
    expect(d.loggingConfiguration).toEqual({ level: 'OFF', includeExecutionData: false });
    expect(d).not.toHaveProperty('revisionId');
    expect(d.creationDate).toBeInstanceOf(Date);
  });

  it('describes a state machine or a version with includedData METADATA_ONLY with the definition {}, as the API reference says', async () => {
    // "If called with includedData = METADATA_ONLY, the returned definition will be {}" (DescribeStateMachine, API reference).
    const { stateMachineArn, stateMachineVersionArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'metadata-only', definition: PASS, roleArn: ROLE, publish: true }));
    for (const arn of [stateMachineArn!, stateMachineVersionArn!]) {
      const all = await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn, includedData: 'ALL_DATA' }));
      expect(all.definition).toBe(PASS);
      const { $metadata: _a, ...whole } = all;
      const { $metadata: _m, ...metadata } = await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn, includedData: 'METADATA_ONLY' }));
      expect(metadata).toEqual({ ...whole, definition: '{}' });
    }
  });

  it('answers DescribeStateMachine on an unknown machine with StateMachineDoesNotExist', async () => {
    await expect(env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:nope' })))
      .rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('answers an ARN of the wrong kind with InvalidArn', async () => {
    await expect(env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:activity:x' }))).rejects.toBeInstanceOf(InvalidArn);
  });

  it('lists state machines a page at a time with nextToken', async () => {
    const { server } = env;
    const local = await serve();
    try {
      for (let i = 0; i < 5; i++) await local.sfn.send(new CreateStateMachineCommand({ name: `m${i}`, definition: PASS, roleArn: ROLE }));
      const first = await local.sfn.send(new ListStateMachinesCommand({ maxResults: 2 }));
      expect(first.stateMachines!.map((m) => m.name)).toEqual(['m0', 'm1']);
      const second = await local.sfn.send(new ListStateMachinesCommand({ maxResults: 2, nextToken: first.nextToken }));
      const third = await local.sfn.send(new ListStateMachinesCommand({ maxResults: 2, nextToken: second.nextToken }));
      expect([...second.stateMachines!, ...third.stateMachines!].map((m) => m.name)).toEqual(['m2', 'm3', 'm4']);
      expect(third.nextToken).toBeUndefined();
      expect(third.stateMachines![0]).toMatchObject({ type: 'STANDARD', stateMachineArn: expect.stringContaining(':stateMachine:m4') });
    } finally {
      await local.stop();
    }
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a nextToken that does not belong to the listing with InvalidToken', async () => {
    await expect(env.sfn.send(new ListStateMachinesCommand({ nextToken: 'garbage' }))).rejects.toBeInstanceOf(InvalidToken);
  });

  it('updates the definition and gives a new revisionId', async () => {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'upd', definition: PASS, roleArn: ROLE }));
    const before = await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    const next = asl({ StartAt: 'S', States: { S: { Type: 'Succeed' } } });
    const out = await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: next }));
    expect(out.updateDate).toBeInstanceOf(Date);
    expect(before.revisionId).toBeUndefined();
    expect(out.revisionId).toMatch(/^[0-9a-f-]{36}$/);
    const after = await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(after.definition).toBe(next);
    expect(after.revisionId).toBe(out.revisionId);
  });

  it('parses a definition once in CreateStateMachine and once in UpdateStateMachine: the check, the compiler and the revision that runs share it', async () => {
    const definition = asl({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'created', End: true } } });
    const next = asl({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'updated', End: true } } });
    const parse = jest.spyOn(JSON, 'parse');
    let stateMachineArn: string | undefined;
    try {
      ({ stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'parsed-once', definition, roleArn: ROLE })));
      await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: next }));
      expect(parse.mock.calls.filter(([text]) => text === definition)).toHaveLength(1);
      expect(parse.mock.calls.filter(([text]) => text === next)).toHaveLength(1);
    } finally {
      parse.mockRestore();
    }
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '"updated"' });
  });

  it('refuses an update with an invalid definition with InvalidDefinition', async () => {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'upd-bad', definition: PASS, roleArn: ROLE }));
    await expect(env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: '{"StartAt":"X","States":{}}' }))).rejects.toBeInstanceOf(InvalidDefinition);
  });

  it('deletes a state machine: it is then unknown', async () => {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'del', definition: PASS, roleArn: ROLE }));
    await env.sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    await expect(env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('tags, lists and untags a state machine', async () => {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'tagged', definition: PASS, roleArn: ROLE, tags: [{ key: 'team', value: 'a' }] }));
    await env.sfn.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: [{ key: 'env', value: 'dev' }] }));
    await env.sfn.send(new UntagResourceCommand({ resourceArn: stateMachineArn, tagKeys: ['team'] }));
    const { tags } = await env.sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }));
    expect(tags).toEqual([{ key: 'env', value: 'dev' }]);
  });

  it('answers tags of an unknown resource with ResourceNotFound', async () => {
    await expect(env.sfn.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:none' }))).rejects.toBeInstanceOf(ResourceNotFound);
  });
});
