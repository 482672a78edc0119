import {
  CreateActivityCommand, CreateStateMachineCommand, ListStateMachineAliasesCommand, StartExecutionCommand, StartSyncExecutionCommand,
  TagResourceCommand, TestStateCommand, type SFNClient,
} from '@aws-sdk/client-sfn';
import * as sdk from '@aws-sdk/client-sfn';
import { asl, errorMessage, PASS, raw, refusal, ROLE, serve, until } from './helpers';

const ACCOUNT = 'arn:aws:states:us-east-1:123456789012';

/*
 * AWS's order: the body read, every member validated against the model, the operation's own
 * checks (an ARN's shape, a name's characters), then the lookups. And the answers AWS's
 * recordings give in its own words.
 */
describe('serve: a request checked in AWS\'s order', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let sfn: SFNClient;
  let standard: string;
  beforeAll(async () => {
    env = await serve();
    sfn = env.sfn;
    standard = (await sfn.send(new CreateStateMachineCommand({ name: 'standard', definition: PASS, roleArn: ROLE }))).stateMachineArn!;
  });
  afterAll(() => env.stop());

  it('refuses StartSyncExecution on a STANDARD machine with an 81-character name for the name, before the machine\'s type', async () => {
    const e = await refusal(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: standard, name: 'n'.repeat(81) })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe(`1 validation error detected: Value '${'n'.repeat(81)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80`);
    expect((await refusal(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: standard, name: 'fine' })))).name).toBe('StateMachineTypeNotSupported');
  });

  it('refuses an 81-character name on a state machine that does not exist for the name, before the lookup', async () => {
    const e = await refusal(sfn.send(new StartExecutionCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:missing`, name: 'n'.repeat(81) })));
    expect(e.name).toBe('ValidationException');
    expect((await refusal(sfn.send(new StartExecutionCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:missing`, name: 'n~' })))).name).toBe('InvalidName');
    expect((await refusal(sfn.send(new StartExecutionCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:missing`, name: 'fine' })))).name).toBe('StateMachineDoesNotExist');
  });

  it.each([
    ['CreateStateMachine', () => new CreateStateMachineCommand({ name: '', definition: PASS, roleArn: ROLE })],
    ['CreateActivity', () => new CreateActivityCommand({ name: '' })],
    ['StartExecution', () => new StartExecutionCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:standard`, name: '' })],
  ])('%s refuses an empty name as the model\'s Name shape does (ValidationException), not InvalidName', async (_op, command) => {
    const e = await refusal(sfn.send(command() as never));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe("1 validation error detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });

  it('keeps InvalidName, in AWS\'s recorded words, for a name of forbidden characters the model\'s bounds let through', async () => {
    const e = await refusal(sfn.send(new CreateActivityCommand({ name: 'activity~name' })));
    expect(e.name).toBe('InvalidName');
    expect(e.message).toBe("Invalid Name: 'activity~name'");
  });

  it('lists every missing member of a request in one ValidationException, a structure\'s members in the order AWS lists them', async () => {
    const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.CreateStateMachine', body: '{}' });
    expect(answer.body.message).toBe('3 validation errors detected: '
      + "Value null at 'roleArn' failed to satisfy constraint: Member must not be null; "
      + "Value null at 'name' failed to satisfy constraint: Member must not be null; "
      + "Value at 'definition' failed to satisfy constraint: Member must not be null");
  });

  // Recorded from AWS's Kinesis and DynamoDB (kinesalite's and dynalite's suites, run against AWS):
  // a request with more than ten errors is refused with the first ten, counted as ten.
  it('lists and counts the first ten errors of a request with more, through the SDK and as raw HTTP', async () => {
    const tags = Array.from({ length: 12 }, () => ({ key: '', value: 'v' }));
    const tenth = (i: number) => `Value '' at 'tags.${i}.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1`;
    const expected = `10 validation errors detected: ${Array.from({ length: 10 }, (_, i) => tenth(i + 1)).join('; ')}`;
    const e = await refusal(sfn.send(new TagResourceCommand({ resourceArn: standard, tags })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe(expected);
    const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.TagResource', body: JSON.stringify({ resourceArn: standard, tags }) });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ __type: 'com.amazon.coral.validate#ValidationException', message: expected });
    // Ten exactly are listed as they are.
    const ten = await raw(env.server.endpoint, { target: 'AWSStepFunctions.TagResource', body: JSON.stringify({ resourceArn: standard, tags: tags.slice(0, 10) }) });
    expect(ten.body.message).toBe(expected);
  });

  it('refuses a member of the wrong JSON type while reading the body, before a missing one is validated', async () => {
    const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.CreateStateMachine', body: '{"name":5}' });
    expect(answer.body).toEqual({ __type: 'com.amazon.coral.service#SerializationException', Message: 'NUMBER_VALUE cannot be converted to String' });
  });

  it('refuses a routing configuration given as a string for its type, not its length; a weight given as "10" for its type, not its minimum', async () => {
    const routing = await raw(env.server.endpoint, { target: 'AWSStepFunctions.CreateStateMachineAlias', body: JSON.stringify({ name: 'live', routingConfiguration: 'x' }) });
    expect(errorMessage(routing.body)).toBe('Unexpected field type');
    const weight = await raw(env.server.endpoint, {
      target: 'AWSStepFunctions.CreateStateMachineAlias',
      body: JSON.stringify({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: `${standard}:1`, weight: '10' }] }),
    });
    expect(errorMessage(weight.body)).toBe('STRING_VALUE cannot be converted to Integer');
  });

  // AWS's words, recorded (a user's capture of StartExecution of an input past 262,144 bytes; an emulator's
  // measurement of 262,146 ASCII characters): the bound is a size in bytes of UTF-8, not a length.
  const TOO_BIG = (member: string): string => `1 validation error detected: Value at '${member}' failed to satisfy constraint: `
    + 'Member must have size less than or equal to 262144 bytes in UTF-8 encoding';

  it('refuses input over 262,144 bytes of UTF-8 with ValidationException in AWS\'s words, without repeating it', async () => {
    const e = await refusal(sfn.send(new StartExecutionCommand({ stateMachineArn: standard, input: `"${'x'.repeat(262_143)}"` })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe(TOO_BIG('input'));
  });

  it('counts input, output, variables and a mock\'s result in bytes of UTF-8: 131,074 characters are 262,146 bytes', async () => {
    const big = `"${'é'.repeat(131_072)}"`;
    const fits = `"${'é'.repeat(131_071)}"`;
    expect(Buffer.byteLength(big)).toBe(262_146);
    const e = await refusal(sfn.send(new StartExecutionCommand({ stateMachineArn: standard, input: big })));
    expect({ name: e.name, message: e.message }).toEqual({ name: 'ValidationException', message: TOO_BIG('input') });
    expect((await sfn.send(new StartExecutionCommand({ stateMachineArn: standard, input: fits }))).executionArn).toBeDefined();
    const pass = asl({ Type: 'Pass', End: true });
    for (const [operation, body, member] of [
      ['StartSyncExecution', { stateMachineArn: standard, input: big }, 'input'],
      ['SendTaskSuccess', { taskToken: 'FakeTaskToken', output: big }, 'output'],
      ['TestState', { definition: pass, input: big }, 'input'],
      ['TestState', { definition: pass, variables: `{"v":${big}}` }, 'variables'],
      ['TestState', { definition: asl({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true }), mock: { result: big } }, 'mock.result'],
    ] as const) {
      const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify(body) });
      expect({ status: answer.status, type: answer.body.__type, message: errorMessage(answer.body) })
        .toEqual({ status: 400, type: 'com.amazon.coral.validate#ValidationException', message: TOO_BIG(member) });
    }
  });

  it('refuses a TestState roleArn of "" as the model\'s Arn shape does', async () => {
    const e = await refusal(sfn.send(new TestStateCommand({ definition: asl({ Type: 'Pass', End: true }), roleArn: '' })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe("1 validation error detected: Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });

  // Recorded: test_test_state_machine_scenarios's test_base_state_name_validation_failures (dne, "invalid").
  it.each(['dne', '"invalid"'])('refuses TestState of state %s, which the definition lacks, in AWS\'s words', async (stateName) => {
    const definition = asl({ StartAt: 'State0', States: { State0: { Type: 'Pass', End: true } } });
    const e = await refusal(sfn.send(new TestStateCommand({ definition, stateName, input: '{}' })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe('State not found in definition');
  });

  // TestState answers InvalidDefinition for a definition that is not valid ASL (TestState, Errors, in the
  // API reference): the state is checked before its mock is read against it.
  it.each([
    ['a Parallel whose Branches is a number', { Type: 'Parallel', Branches: 5, End: true }, '[]', /\/Branches \[SCHEMA_VALIDATION_FAILED\]/],
    ['a Map whose ItemReader is a number', { Type: 'Map', ItemReader: 5, ItemProcessor: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, End: true }, '[]', /\/ItemReader \[SCHEMA_VALIDATION_FAILED\]/],
    ['a Map whose ResultWriter is a number', { Type: 'Map', ResultWriter: 5, ItemProcessor: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, End: true }, '[]', /\/ResultWriter \[SCHEMA_VALIDATION_FAILED\]/],
  ])('refuses TestState of %s as InvalidDefinition before it reads the mock against it', async (_what, state, result, where) => {
    const e = await refusal(sfn.send(new TestStateCommand({ definition: asl(state), input: '[1]', mock: { result } })));
    expect(e.name).toBe('InvalidDefinition');
    expect(e.message).toMatch(where);
  });

  it('refuses a nextToken of another listing as AWS does (recorded: ListStateMachineAliases)', async () => {
    const e = await refusal(sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: standard, nextToken: 'Invalid token' })));
    expect(e.name).toBe('InvalidToken');
    expect(e.message).toBe("Invalid Token: 'Invalid token'");
  });
});

/*
 * A request with two faults at once: which one AWS answers. AWS's framework reads the body and
 * checks the model's constraints before the service sees the request (SerializationException,
 * then ValidationException: decided, docs/serve.md "What a request's members are checked for");
 * among the service's own errors, the order is recorded for one pair (a token never issued before its
 * output), and serve's for the others is
 * listed in docs/serve.md ("Two faults in one request") as undecided. Each answer is checked
 * through @aws-sdk/client-sfn and as raw HTTP, so that a change of order is a choice, not an
 * accident.
 */
describe('serve: a request with two faults, answered for one of them', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  const missing = `${ACCOUNT}:stateMachine:missing`;
  const standard = `${ACCOUNT}:stateMachine:standard`;
  const deleting = `${ACCOUNT}:stateMachine:deleting`;
  const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
  beforeAll(async () => {
    env = await serve();
    const { sfn } = env;
    await sfn.send(new CreateStateMachineCommand({ name: 'standard', definition: PASS, roleArn: ROLE }));
    await sfn.send(new StartExecutionCommand({ stateMachineArn: standard, name: 'ended' }));
    await until(() => sfn.send(new sdk.DescribeExecutionCommand({ executionArn: `${ACCOUNT}:execution:standard:ended` })), (d) => d.status !== 'RUNNING');
    const waits = asl({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
    await sfn.send(new CreateStateMachineCommand({ name: 'deleting', definition: waits, roleArn: ROLE }));
    await sfn.send(new StartExecutionCommand({ stateMachineArn: deleting }));
    await sfn.send(new sdk.DeleteStateMachineCommand({ stateMachineArn: deleting }));
  });
  afterAll(() => env.stop());

  it.each<[string, string, Record<string, unknown>, string]>([
    // Decided: the framework's checks come first.
    ['a malformed ARN over 256 characters', 'StartExecution', { stateMachineArn: 'x'.repeat(257) }, 'ValidationException'],
    ['a missing machine and an input over 262,144 bytes', 'StartExecution', { stateMachineArn: missing, input: `"${'x'.repeat(262_144)}"` }, 'ValidationException'],
    ['a missing activity and an 81-character worker name', 'GetActivityTask', { activityArn: `${ACCOUNT}:activity:missing`, workerName: 'w'.repeat(81) }, 'ValidationException'],
    ['an unknown token and an error of 257 characters', 'SendTaskFailure', { taskToken: 'FakeTaskToken', error: 'e'.repeat(257) }, 'ValidationException'],
    ['a missing execution and a cause of 32,769 characters', 'StopExecution', { executionArn: `${ACCOUNT}:execution:missing:e`, cause: 'c'.repeat(32_769) }, 'ValidationException'],
    // Recorded: a token Step Functions never issued is refused before the output is read (SendTaskSuccess of
    // 'NoSuchTaskToken' with the output 'ParameterOutput', TestTaskServiceAwsSdk_test_sfn_send_task_outcome_with_no_such_token).
    ['a token never issued and output that is not JSON', 'SendTaskSuccess', { taskToken: 'FakeTaskToken', output: 'not json' }, 'InvalidToken'],
    // Undecided: serve's order among the service's own errors.
    ['a malformed ARN and a forbidden name', 'StartExecution', { stateMachineArn: 'not-an-arn', name: 'bad~name' }, 'InvalidArn'],
    ['a malformed ARN and input that is not JSON', 'StartExecution', { stateMachineArn: 'not-an-arn', input: 'not json' }, 'InvalidArn'],
    ['a missing machine and a forbidden name', 'StartExecution', { stateMachineArn: missing, name: 'bad~name' }, 'InvalidName'],
    ['a missing machine and input that is not JSON', 'StartExecution', { stateMachineArn: missing, input: 'not json' }, 'StateMachineDoesNotExist'],
    ['a machine being deleted and input that is not JSON', 'StartExecution', { stateMachineArn: deleting, input: 'not json' }, 'StateMachineDeleting'],
    ['a forbidden name and input that is not JSON', 'StartExecution', { stateMachineArn: standard, name: 'bad~name', input: 'not json' }, 'InvalidName'],
    ['the name of an ended execution and input that is not JSON', 'StartExecution', { stateMachineArn: standard, name: 'ended', input: 'not json' }, 'InvalidExecutionInput'],
    ['a STANDARD machine and input that is not JSON', 'StartSyncExecution', { stateMachineArn: standard, input: 'not json' }, 'StateMachineTypeNotSupported'],
    ['a forbidden name and a definition that is not JSON', 'CreateStateMachine', { name: 'bad~name', definition: '{', roleArn: ROLE }, 'InvalidName'],
    ['a role that is no role and a definition that is not JSON', 'CreateStateMachine', { name: 'fresh', definition: '{', roleArn: 'not-a-role' }, 'InvalidArn'],
    ['a taken name and a definition that is not JSON', 'CreateStateMachine', { name: 'standard', definition: '{', roleArn: ROLE }, 'InvalidDefinition'],
    ['a taken name and a logging level with no destination', 'CreateStateMachine', { name: 'standard', definition: PASS, roleArn: ROLE, loggingConfiguration: { level: 'ALL' } }, 'InvalidLoggingConfiguration'],
    ['a taken name and 51 tags', 'CreateStateMachine', { name: 'standard', definition: PASS, roleArn: ROLE, tags }, 'TooManyTags'],
    ['a missing machine and a role that is no role', 'UpdateStateMachine', { stateMachineArn: missing, roleArn: 'not-a-role' }, 'InvalidArn'],
    ['a missing machine and a definition that is not JSON', 'UpdateStateMachine', { stateMachineArn: missing, definition: '{' }, 'StateMachineDoesNotExist'],
    ['a missing machine and a version description without publish', 'UpdateStateMachine', { stateMachineArn: missing, versionDescription: 'v' }, 'StateMachineDoesNotExist'],
    ['a missing resource and 51 tags', 'TagResource', { resourceArn: missing, tags }, 'TooManyTags'],
    ['a missing machine and a nextToken no listing issued', 'ListExecutions', { stateMachineArn: missing, nextToken: 'not-a-token' }, 'StateMachineDoesNotExist'],
    ['a version of a missing machine and weights that do not sum to 100', 'CreateStateMachineAlias',
      { name: 'live', routingConfiguration: [{ stateMachineVersionArn: `${missing}:1`, weight: 50 }] }, 'ValidationException'],
    ['a definition that is not JSON and input that is not JSON', 'TestState', { definition: '{', input: 'not json' }, 'InvalidDefinition'],
  ])('answers %s (%s) with %s, through the SDK and as raw HTTP', async (_faults, operation, request, error) => {
    const Command = (sdk as unknown as Record<string, new (input: unknown) => sdk.StartExecutionCommand>)[`${operation}Command`];
    const e = await refusal(env.sfn.send(new Command(request)));
    expect(e.name).toBe(error);
    const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify(request) });
    expect({ status: answer.status, error: String(answer.body.__type).split('#')[1] }).toEqual({ status: 400, error });
  });
});
