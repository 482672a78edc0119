import {
  ConflictException, CreateActivityCommand, CreateStateMachineAliasCommand, CreateStateMachineCommand, DeleteStateMachineVersionCommand,
  DescribeExecutionCommand, DescribeStateMachineCommand, DescribeStateMachineForExecutionCommand, InvalidArn, InvalidDefinition,
  InvalidExecutionInput, InvalidName, ListExecutionsCommand, ListStateMachinesCommand, MissingRequiredParameter,
  PublishStateMachineVersionCommand, ResourceNotFound, StartExecutionCommand, StartSyncExecutionCommand, StateMachineDoesNotExist,
  StateMachineTypeNotSupported, UpdateStateMachineAliasCommand, UpdateStateMachineCommand, ValidateStateMachineDefinitionCommand,
  TestStateCommand, ValidationException, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, PASS, raw, ROLE, serve, until } from './helpers';

/*
 * Answers of the Step Functions API as AWS recorded them (LocalStack's AWS-validated snapshots of
 * test_sfn_api, test_sfn_api_versioning, test_sfn_api_aliasing, test_sfn_api_activities and
 * test_sfn_api_express, recorded 2023-2025): the exception, its message word for word, and the
 * fields of an answer.
 */

const v2 = asl({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'v2', End: true } } });

/** The exception a call ends with (the test fails if it succeeds). */
async function refusal(sfn: SFNClient, command: object): Promise<Error> {
  // Any command of the client: send's overloads take one command type at a time.
  const outcome = await sfn.send(command as never).then(() => undefined, (e: unknown) => e as Error);
  if (outcome === undefined) throw new Error('the call succeeded; AWS refuses it');
  return outcome;
}

describe('serve answers as AWS recorded', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let count = 0;
  const fresh = async (extra: Record<string, unknown> = {}) => {
    count++;
    return env.sfn.send(new CreateStateMachineCommand({ name: `rec-${count}`, definition: PASS, roleArn: ROLE, ...extra }));
  };
  const done = (executionArn: string) => until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  beforeAll(async () => { env = await serve(); });
  afterAll(() => env.stop());

  describe('revisions', () => {
    it('shows no revisionId for a machine, or a version published at creation, until an update changes something', async () => {
      const { stateMachineArn, stateMachineVersionArn } = await fresh({ publish: true, versionDescription: 'first' });
      expect(await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).not.toHaveProperty('revisionId');
      const version = await env.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: stateMachineVersionArn }));
      expect(version).not.toHaveProperty('revisionId');
      expect(version.description).toBe('first');
    });

    it('answers an update that changes nothing but publishes with the version and date only', async () => {
      const { stateMachineArn, stateMachineVersionArn } = await fresh({ publish: true });
      const out = await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: PASS, publish: true }));
      expect(out.stateMachineVersionArn).toBe(stateMachineVersionArn);
      expect(out.updateDate).toBeInstanceOf(Date);
      expect(out).not.toHaveProperty('revisionId');
    });

    it('refuses to publish a stale revision in AWS words, naming both revisions', async () => {
      const { stateMachineArn } = await fresh();
      const first = await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: v2 }));
      const second = await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: PASS }));
      const e = await refusal(env.sfn, new PublishStateMachineVersionCommand({ stateMachineArn, revisionId: first.revisionId }));
      expect(e).toBeInstanceOf(ConflictException);
      expect(e.message).toBe(`Failed to publish the State Machine version for revision ${first.revisionId}. The current State Machine revision is ${second.revisionId}.`);
    });

    it('answers UpdateStateMachine on a version ARN as a state machine that does not exist', async () => {
      const { stateMachineVersionArn } = await fresh({ publish: true });
      const e = await refusal(env.sfn, new UpdateStateMachineCommand({ stateMachineArn: stateMachineVersionArn, definition: v2 }));
      expect(e).toBeInstanceOf(StateMachineDoesNotExist);
      expect(e.message).toBe(`State Machine Does Not Exist: '${stateMachineVersionArn}'`);
    });

    it('refuses a versionDescription without publish: true', async () => {
      count++;
      const e = await refusal(env.sfn, new CreateStateMachineCommand({ name: `rec-${count}`, definition: PASS, roleArn: ROLE, versionDescription: 'd' }));
      expect(e).toBeInstanceOf(ValidationException);
      expect(e.message).toBe('Version description can only be set when publish is true');
    });

    it('words an update that changes nothing as AWS does', async () => {
      const { stateMachineArn } = await fresh();
      const e = await refusal(env.sfn, new UpdateStateMachineCommand({ stateMachineArn }));
      expect(e).toBeInstanceOf(MissingRequiredParameter);
      expect(e.message).toBe('Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
    });
  });

  describe('executions', () => {
    it('lists every execution with its redriveCount, 0 when never redriven', async () => {
      const { stateMachineArn } = await fresh();
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      await done(executionArn!);
      const { executions } = await env.sfn.send(new ListExecutionsCommand({ stateMachineArn }));
      expect(executions![0].redriveCount).toBe(0);
      expect(executions![0]).not.toHaveProperty('redriveDate');
    });

    it('describes the state machine of an execution started on a version by the machine\'s own ARN', async () => {
      const { stateMachineArn, stateMachineVersionArn } = await fresh({ publish: true });
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineVersionArn }));
      const d = await env.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
      expect(d.stateMachineArn).toBe(stateMachineArn);
      expect(d).not.toHaveProperty('revisionId');
    });

    it('refuses a statusFilter outside the enum, listing the values AWS lists', async () => {
      const { stateMachineArn } = await fresh();
      const e = await refusal(env.sfn, new ListExecutionsCommand({ stateMachineArn, statusFilter: 'succeeded' as never }));
      expect(e).toBeInstanceOf(ValidationException);
      expect(e.message).toBe("1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]");
    });

    it.each([
      ['a bare word', 'not some json', "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"],
      ['single-quoted', "{'not': 'json'", "Unexpected character (''' (code 39)): was expecting double-quote to start field name"],
      ['empty', '', 'Invalid execution input.'],
    ])('refuses input that is %s quoting its JSON parser without the location (test_invalid_start_execution_input)', async (_what, input, reason) => {
      const { stateMachineArn } = await fresh();
      const e = await refusal(env.sfn, new StartExecutionCommand({ stateMachineArn, input }));
      expect(e).toBeInstanceOf(InvalidExecutionInput);
      expect(e.message).toBe(`Invalid State Machine Execution Input: '${reason}'`);
    });

    it('answers StartSyncExecution on a STANDARD machine and ListExecutions on an EXPRESS one in AWS words', async () => {
      const standard = await fresh();
      const express = await fresh({ type: 'EXPRESS' });
      for (const e of [
        await refusal(env.sfn, new StartSyncExecutionCommand({ stateMachineArn: standard.stateMachineArn })),
        await refusal(env.sfn, new ListExecutionsCommand({ stateMachineArn: express.stateMachineArn })),
      ]) {
        expect(e).toBeInstanceOf(StateMachineTypeNotSupported);
        expect(e.message).toBe('This operation is not supported by this type of state machine');
      }
    });

    it('answers StartSyncExecution with the members AWS recorded (test_start_sync_execution), and no redriveCount, which its output has not', async () => {
      const express = await fresh({ type: 'EXPRESS' });
      const answer = await raw(env.server.endpoint, {
        target: 'AWSStepFunctions.StartSyncExecution', body: JSON.stringify({ stateMachineArn: express.stateMachineArn, input: '{}' }),
      });
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body as object).sort()).toEqual([
        'billingDetails', 'executionArn', 'input', 'inputDetails', 'name', 'output', 'outputDetails', 'startDate', 'stateMachineArn', 'status', 'stopDate',
      ]);
    });

    it('answers DescribeExecution of an EXPRESS execution as a resource type not valid there', async () => {
      const express = await fresh({ type: 'EXPRESS' });
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: express.stateMachineArn }));
      const e = await refusal(env.sfn, new DescribeExecutionCommand({ executionArn }));
      expect(e).toBeInstanceOf(InvalidArn);
      expect(e.message).toBe("Invalid Arn: 'Resource type not valid in this context: express'");
    });
  });

  describe('definitions', () => {
    it('refuses an EXPRESS machine\'s .waitForTaskToken task in AWS words, at its Resource (test_illegal_callbacks)', async () => {
      const definition = asl({ StartAt: 'Publish', States: { Publish: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish.waitForTaskToken', Parameters: { 'Token.$': '$$.Task.Token' }, End: true } } });
      const e = await refusal(env.sfn, new CreateStateMachineCommand({ name: 'express-token', definition, roleArn: ROLE, type: 'EXPRESS' }));
      expect(e).toBeInstanceOf(InvalidDefinition);
      expect(e.message).toBe("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration  at /States/Publish/Resource'");
    });

    it('refuses a definition without States, naming the required field at / (test_create_delete_invalid_sm)', async () => {
      const definition = asl({ Comment: 'BASE_INVALID_DER', StartAt: 'State_1' });
      const e = await refusal(env.sfn, new CreateStateMachineCommand({ name: 'no-states', definition, roleArn: ROLE }));
      expect(e).toBeInstanceOf(InvalidDefinition);
      expect(e.message).toBe("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'");
      const { stateMachineArn } = await fresh();
      const update = await refusal(env.sfn, new UpdateStateMachineCommand({ stateMachineArn, definition }));
      expect(update.message).toBe(e.message);
    });

    it.each([
      ['an empty object', '{}', [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location: '/', message: 'These fields are required: [States, StartAt]' }]],
      ['a blank string', ' ', [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Definition must be a valid JSON object' }]],
      ['not JSON', 'not a definition', [{
        severity: 'ERROR',
        code: 'INVALID_JSON_DESCRIPTION',
        location: '[Source: (String)"not a definition"; line: 1, column: 4]',
        message: "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, column: 4]",
      }]],
      ['a JSONPath state in a JSONata machine', asl({ StartAt: 'Pass', States: { Pass: { Type: 'Pass', End: true, QueryLanguage: 'JSONPath' } }, QueryLanguage: 'JSONata' }),
        [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location: '/States/Pass', message: "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine" }]],
    ])('validates %s as AWS does (test_sfn_api_validation)', async (_what, definition, diagnostics) => {
      const out = await env.sfn.send(new ValidateStateMachineDefinitionCommand({ definition }));
      expect({ result: out.result, diagnostics: out.diagnostics, truncated: out.truncated }).toEqual({ result: 'FAIL', diagnostics, truncated: false });
    });
  });

  describe('TestState', () => {
    const task = asl({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true });
    const parallel = asl({ Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }], End: true });
    const test = (extra: Record<string, unknown>) => new TestStateCommand({ definition: task, roleArn: ROLE, input: '{}', ...extra } as never);

    it.each([
      ['a mock for a Pass state', { definition: asl({ Type: 'Pass', End: true }), mock: { result: '{}' } }, 'ValidationException', "State type 'Pass' is not supported when a mock is specified"],
      ['a mock with both a result and an errorOutput', { mock: { result: '{}', errorOutput: { error: 'E', cause: 'C' } } }, 'ValidationException', 'A test mock should have only one of the following fields: [result, errorOutput].'],
      ['revealSecrets with a mock', { mock: { result: '{}' }, revealSecrets: true }, 'ValidationException', 'TestState does not support RevealSecrets when a mock is specified.'],
      // LocalStack's AWS-validated TestState analyser asks for the role only when no mock is given.
      ['a Task without a role or a mock', { roleArn: undefined }, 'ValidationException', 'RoleArn must be specified when testing a Task state'],
      ['a Parallel without a mock', { definition: parallel }, 'InvalidDefinition', 'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]'],
      ['a Parallel whose mock is not an array', { definition: parallel, mock: { result: '{}' } }, 'ValidationException', 'Mocked result must be an array.'],
      ['a Parallel mock of the wrong length', { definition: parallel, mock: { result: '[1]' } }, 'ValidationException', 'Mocked result must contain the same number of items as number of Parallel branches.'],
    ])('refuses %s as AWS does', async (_what, extra, type, message) => {
      const e = await refusal(env.sfn, test(extra));
      expect(e.name).toBe(type);
      expect(e.message).toBe(message);
    });

    // "When you specify a mock, specifying the role becomes optional" (Testing state machines with TestState API, AWS Step Functions Developer Guide).
    it('tests a Task without a role when a mock is given', async () => {
      const r = await env.sfn.send(new TestStateCommand({ definition: task, input: '{}', mock: { result: '{"StatusCode":200}' } }));
      expect(r).toMatchObject({ status: 'SUCCEEDED', output: '{"StatusCode":200}' });
    });

    it('takes mapIterationFailureCount from stateConfiguration: over ToleratedFailureCount the Map fails', async () => {
      const map = asl({ Type: 'Map', ToleratedFailureCount: 1, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true });
      const r = await env.sfn.send(new TestStateCommand({ definition: map, roleArn: ROLE, input: '[1,2,3]', mock: { result: '[1,2,3]' }, stateConfiguration: { mapIterationFailureCount: 2 } }));
      expect(r).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' });
    });

    // TestStateConfiguration (AWS Step Functions API Reference): mapItemReaderData is what the ItemReader reads, errorCausedByState where a mocked error comes from.
    it('reads stateConfiguration.mapItemReaderData for a Map with an ItemReader and returns afterItemsPointer as JSON text', async () => {
      const map = asl({
        Type: 'Map',
        End: true,
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON', ItemsPointer: '/xs' }, Parameters: { Bucket: 'b', Key: 'k' } },
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      });
      const r = await env.sfn.send(new TestStateCommand({
        definition: map, roleArn: ROLE, input: '{}', mock: { result: '[1,4]' }, inspectionLevel: 'DEBUG', stateConfiguration: { mapItemReaderData: '{"xs":[1,2]}' },
      }));
      expect(r).toMatchObject({ status: 'SUCCEEDED', output: '[1,4]', inspectionData: { afterItemsPointer: '[1,2]' } });
    });

    it('refuses an errorCausedByState that names no state of the Map, rather than ignoring it', async () => {
      const map = asl({ Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true });
      const e = await refusal(env.sfn, new TestStateCommand({
        definition: map, roleArn: ROLE, input: '[1]', mock: { errorOutput: { error: 'E', cause: 'C' } }, stateConfiguration: { errorCausedByState: 'Nope' },
      }));
      expect(e.name).toBe('ValidationException');
      expect(e.message).toBe("errorCausedByState 'Nope' does not match any state in the Map state.");
    });

    it('refuses a Task\'s mocked result that does not conform under STRICT, in AWS\'s words (recorded)', async () => {
      const e = await refusal(env.sfn, test({
        definition: asl({ Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [] }, End: true }), mock: { result: '{"Entries":"one"}' },
      }));
      expect(e.name).toBe('ValidationException');
      expect(e.message).toBe("Mock result schema validation error: Field 'Entries' must be an array");
    });
  });

  describe('names, ARNs and pages', () => {
    it('answers what is not an ARN as an invalid ARN prefix', async () => {
      const e = await refusal(env.sfn, new DescribeStateMachineCommand({ stateMachineArn: 'not_a_valid_arn' }));
      expect(e).toBeInstanceOf(InvalidArn);
      expect(e.message).toBe("Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'");
    });

    it('names only the name when it refuses one', async () => {
      const e = await refusal(env.sfn, new CreateActivityCommand({ name: 'TestActivity InvalidName$' }));
      expect(e).toBeInstanceOf(InvalidName);
      expect(e.message).toBe("Invalid Name: 'TestActivity InvalidName$'");
    });

    it('quotes a number it refuses, as AWS does', async () => {
      const e = await refusal(env.sfn, new ListStateMachinesCommand({ maxResults: 1001 }));
      expect(e.message).toBe("1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000");
    });

    it('refuses a nextToken longer than the operation takes: 1,024 characters, 3,096 for ListExecutions', async () => {
      const { stateMachineArn } = await fresh();
      const long = await refusal(env.sfn, new ListStateMachinesCommand({ nextToken: 'x'.repeat(1025) }));
      expect(long).toBeInstanceOf(ValidationException);
      expect(long.message).toMatch(/at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 1024$/);
      const executions = await refusal(env.sfn, new ListExecutionsCommand({ stateMachineArn, nextToken: 'x'.repeat(3097) }));
      expect(executions.message).toMatch(/Member must have length less than or equal to 3096$/);
    });
  });

  describe('aliases', () => {
    let machine: string;
    let version1: string;
    let version2: string;
    beforeAll(async () => {
      const created = await fresh({ publish: true });
      machine = created.stateMachineArn!;
      version1 = created.stateMachineVersionArn!;
      await env.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machine, definition: v2 }));
      version2 = (await env.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: machine }))).stateMachineVersionArn!;
    });
    const alias = (name: string, routingConfiguration: Array<{ stateMachineVersionArn: string; weight: number }>) =>
      new CreateStateMachineAliasCommand({ name, routingConfiguration });

    it.each(['123', '!INVALID', 'ALIAS@', 'INVALID ALIAS'])('refuses the alias name %j with a ValidationException naming the pattern', async (name) => {
      const e = await refusal(env.sfn, alias(name, [{ stateMachineVersionArn: version1, weight: 100 }]));
      expect(e).toBeInstanceOf(ValidationException);
      expect(e.message).toBe(`1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$`);
    });

    it('refuses an alias name of 81 characters by its length', async () => {
      const e = await refusal(env.sfn, alias('A'.repeat(81), [{ stateMachineVersionArn: version1, weight: 100 }]));
      expect(e.message).toBe(`1 validation error detected: Value '${'A'.repeat(81)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80`);
    });

    it('refuses routes that name the state machine, not a version, listing what it received', async () => {
      const e = await refusal(env.sfn, alias('r1', [{ stateMachineVersionArn: machine, weight: 100 }]));
      expect(e.message).toBe(`Routing configuration must contain state machine version ARNs. Received: [${machine}]`);
    });

    it('refuses two routes to one version', async () => {
      const e = await refusal(env.sfn, alias('r2', [{ stateMachineVersionArn: version1, weight: 50 }, { stateMachineVersionArn: version1, weight: 50 }]));
      expect(e.message).toBe(`Routing configuration must contain distinct state machine version ARNs. Received: [${version1}, ${version1}]`);
    });

    it('refuses weights that do not add up to 100, listing them', async () => {
      const e = await refusal(env.sfn, alias('r3', [{ stateMachineVersionArn: version1, weight: 70 }, { stateMachineVersionArn: version2, weight: 29 }]));
      expect(e.message).toBe('Sum of routing configuration weights must equal 100. Received: [70, 29]');
    });

    it('refuses a weight over 100, naming the route by its position', async () => {
      const e = await refusal(env.sfn, alias('r4', [{ stateMachineVersionArn: version1, weight: 101 }]));
      expect(e.message).toBe("1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100");
    });

    it('refuses three routes, showing them as AWS prints its request items', async () => {
      const routes = [
        { stateMachineVersionArn: version1, weight: 50 },
        { stateMachineVersionArn: version2, weight: 30 },
        { stateMachineVersionArn: version2, weight: 20 },
      ];
      const e = await refusal(env.sfn, alias('r5', routes));
      expect(e.message).toBe(`1 validation error detected: Value '[RoutingConfigurationListItem(stateMachineVersionArn=${version1}, weight=50), `
        + `RoutingConfigurationListItem(stateMachineVersionArn=${version2}, weight=30), RoutingConfigurationListItem(stateMachineVersionArn=${version2}, weight=20)]' `
        + "at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2");
    });

    it('refuses to re-create an alias with another configuration, and to delete a version an alias uses, in AWS words', async () => {
      await env.sfn.send(alias('live', [{ stateMachineVersionArn: version1, weight: 100 }]));
      const again = await refusal(env.sfn, alias('live', [{ stateMachineVersionArn: version2, weight: 100 }]));
      expect(again).toBeInstanceOf(ConflictException);
      expect(again.message).toBe('Failed to create alias because an alias with the same name and a different routing configuration already exists.');
      const del = await refusal(env.sfn, new DeleteStateMachineVersionCommand({ stateMachineVersionArn: version1 }));
      expect(del).toBeInstanceOf(ConflictException);
      expect(del.message).toBe('Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [live]');
    });

    it('answers an update of an alias that does not exist as AWS does', async () => {
      const e = await refusal(env.sfn, new UpdateStateMachineAliasCommand({ stateMachineAliasArn: `${machine}:gone`, description: 'x' }));
      expect(e).toBeInstanceOf(ResourceNotFound);
      expect(e.message).toBe('Request references a resource that does not exist.');
    });
  });
});
