import {
  CreateActivityCommand, CreateStateMachineAliasCommand, CreateStateMachineCommand, DescribeActivityCommand, DescribeExecutionCommand,
  DescribeStateMachineCommand, GetActivityTaskCommand, GetExecutionHistoryCommand, InvalidLoggingConfiguration, ListExecutionsCommand,
  ListStateMachinesCommand, ListTagsForResourceCommand, PublishStateMachineVersionCommand, RedriveExecutionCommand, SendTaskFailureCommand,
  SendTaskSuccessCommand, StartExecutionCommand, StopExecutionCommand, TagResourceCommand, TestStateCommand, TooManyTags,
  UpdateMapRunCommand, UpdateStateMachineCommand, ValidateStateMachineDefinitionCommand, ValidationException,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, errorMessage, PASS, raw, refusal, ROLE, serve, until } from './helpers';

const ACCOUNT = 'arn:aws:states:us-east-1:123456789012';
const CALLBACK = asl({
  StartAt: 'Wait',
  States: { Wait: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true } },
});

/** A definition of exactly `length` characters: a Pass state, padded with a Comment. */
function definitionOf(length: number): string {
  const bare = asl({ Comment: '', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  return asl({ Comment: 'x'.repeat(length - bare.length), StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
}

describe('serve: the bounds AWS puts on request members', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let sfn: SFNClient;
  let pass: string;
  beforeAll(async () => {
    env = await serve();
    sfn = env.sfn;
    pass = (await sfn.send(new CreateStateMachineCommand({ name: 'pass', definition: PASS, roleArn: ROLE }))).stateMachineArn!;
  });
  afterAll(() => env.stop());

  describe('definition', () => {
    it('accepts a definition of 1,048,576 characters', async () => {
      const definition = definitionOf(1_048_576);
      expect(definition).toHaveLength(1_048_576);
      await expect(sfn.send(new CreateStateMachineCommand({ name: 'largest', definition, roleArn: ROLE }))).resolves.toHaveProperty('stateMachineArn');
    });

    it.each([
      ['CreateStateMachine', (definition: string) => new CreateStateMachineCommand({ name: 'too-large', definition, roleArn: ROLE })],
      ['UpdateStateMachine', (definition: string) => new UpdateStateMachineCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:pass`, definition })],
      ['ValidateStateMachineDefinition', (definition: string) => new ValidateStateMachineDefinitionCommand({ definition })],
      ['TestState', (definition: string) => new TestStateCommand({ definition, roleArn: ROLE })],
    ])('%s refuses a definition of 1,048,577 characters with ValidationException, without repeating it', async (_op, command) => {
      const e = await refusal(sfn.send(command(definitionOf(1_048_577)) as never));
      expect(e).toBeInstanceOf(ValidationException);
      expect(e.message).toBe("1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to 1048576");
    });
  });

  describe('StartExecution', () => {
    it('accepts a traceHeader of 256 ASCII characters', async () => {
      await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: pass, traceHeader: 'R'.repeat(256) }))).resolves.toHaveProperty('executionArn');
    });

    it('refuses a traceHeader of 257 characters with ValidationException', async () => {
      const traceHeader = 'R'.repeat(257);
      const e = await refusal(sfn.send(new StartExecutionCommand({ stateMachineArn: pass, traceHeader })));
      expect(e).toBeInstanceOf(ValidationException);
      expect(e.message).toBe(`1 validation error detected: Value '${traceHeader}' at 'traceHeader' failed to satisfy constraint: Member must have length less than or equal to 256`);
    });

    it('refuses a traceHeader that is not ASCII with ValidationException naming the pattern', async () => {
      const e = await refusal(sfn.send(new StartExecutionCommand({ stateMachineArn: pass, traceHeader: 'Root=é' })));
      expect(e).toBeInstanceOf(ValidationException);
      expect(e.message).toBe("1 validation error detected: Value 'Root=é' at 'traceHeader' failed to satisfy constraint: Member must satisfy regular expression pattern: \\p{ASCII}*");
    });

    // Found by the HTTP fuzzer: the interpreter refused it as the run started, a 500, and left an execution that never ran.
    it('refuses input nested deeper than 1,000 levels with InvalidExecutionInput, and keeps no execution of it', async () => {
      const input = `${'['.repeat(1001)}${']'.repeat(1001)}`;
      const e = await refusal(sfn.send(new StartExecutionCommand({ stateMachineArn: pass, name: 'too-deep', input })));
      expect(e.name).toBe('InvalidExecutionInput');
      expect(e.message).toMatch(/^Invalid State Machine Execution Input: 'nesting deeper than 1000 levels at \$\[0\]/);
      await expect(sfn.send(new DescribeExecutionCommand({ executionArn: `${ACCOUNT}:execution:pass:too-deep` }))).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
      const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: pass }));
      expect(executions!.map((x) => x.name)).not.toContain('too-deep');
      await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: pass, input: `${'['.repeat(1000)}${']'.repeat(1000)}` }))).resolves.toHaveProperty('executionArn');
    });

    it('refuses TestState input nested deeper than 1,000 levels with InvalidExecutionInput', async () => {
      const e = await refusal(sfn.send(new TestStateCommand({ definition: asl({ Type: 'Pass', End: true }), roleArn: ROLE, input: `${'['.repeat(1001)}${']'.repeat(1001)}` })));
      expect(e.name).toBe('InvalidExecutionInput');
    });

    it('refuses a stateMachineArn longer than 256 characters with ValidationException', async () => {
      const stateMachineArn = `${ACCOUNT}:stateMachine:${'m'.repeat(256)}`;
      const e = await refusal(sfn.send(new StartExecutionCommand({ stateMachineArn })));
      expect(e).toBeInstanceOf(ValidationException);
      expect(e.message).toMatch(/at 'stateMachineArn' failed to satisfy constraint: Member must have length less than or equal to 256$/);
    });
  });

  describe('tags', () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));

    it('keeps 50 tags given at creation', async () => {
      const { stateMachineArn: resourceArn } = await sfn.send(new CreateStateMachineCommand({ name: 'fifty', definition: PASS, roleArn: ROLE, tags: tags(50) }));
      expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toHaveLength(50);
    });

    it.each([
      ['CreateStateMachine', () => new CreateStateMachineCommand({ name: 'fifty-one', definition: PASS, roleArn: ROLE, tags: tags(51) }), `${ACCOUNT}:stateMachine:fifty-one`],
      ['CreateActivity', () => new CreateActivityCommand({ name: 'fifty-one', tags: tags(51) }), `${ACCOUNT}:activity:fifty-one`],
    ])('%s refuses 51 tags with TooManyTags naming the resource, and creates nothing', async (_op, command, arn) => {
      const e = await refusal(sfn.send(command() as never));
      expect(e).toBeInstanceOf(TooManyTags);
      expect((e as TooManyTags).resourceName).toBe(arn);
      expect(e.message).toContain('at most 50');
      await expect(sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }))).rejects.toMatchObject({ name: 'ResourceNotFound' });
    });

    it('refuses a TagResource that would take a resource past 50 tags, and keeps the tags it had', async () => {
      const { stateMachineArn: resourceArn } = await sfn.send(new CreateStateMachineCommand({ name: 'forty-nine', definition: PASS, roleArn: ROLE, tags: tags(49) }));
      // Replacing a value does not add a tag; a 50th does; a 51st is refused.
      await sfn.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'k0', value: 'new' }, { key: 'k49', value: 'v49' }] }));
      const e = await refusal(sfn.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'k50', value: 'v50' }] })));
      expect(e).toBeInstanceOf(TooManyTags);
      expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toHaveLength(50);
    });

    // AWS's JSON reader refuses a member of the wrong JSON type before anything is validated.
    it.each([
      ['a tag that is not a structure', ['k'], 'Unexpected value type in payload'],
      ['a key that is a number', [{ key: 5, value: 'v' }], 'NUMBER_VALUE cannot be converted to String'],
      ['tags that are not a list', { key: 'k' }, 'Start of structure or map found where not expected'],
    ])('refuses %s with SerializationException, in the words of AWS\'s reader', async (_what, given, words) => {
      const e = await refusal(sfn.send(new TagResourceCommand({ resourceArn: pass, tags: given as never })));
      expect(e.name).toBe('SerializationException');
      expect(e.message).toBe(words);
    });

    it.each([
      ['a tag without a key', [{ value: 'v' }], "Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not be null"],
      ['an empty key', [{ key: '', value: 'v' }], "Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1"],
      ['a key of 129 characters', [{ key: 'k'.repeat(129) }], `Value '${'k'.repeat(129)}' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`],
      ['a value of 257 characters', [{ key: 'k', value: 'v'.repeat(257) }], `Value '${'v'.repeat(257)}' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`],
    ])('refuses %s with ValidationException naming its place in the list', async (_what, given, words) => {
      const e = await refusal(sfn.send(new TagResourceCommand({ resourceArn: pass, tags: given as never })));
      expect(e).toBeInstanceOf(ValidationException);
      expect(e.message).toBe(`1 validation error detected: ${words}`);
    });

    // The SDK leaves nulls out of a list, so these go as raw JSON.
    it.each([
      ['TagResource', { tags: [null] }, "Value null at 'tags.1.member' failed to satisfy constraint: Member must not be null"],
      ['TagResource', { tags: [{ key: 'a', value: 'b' }, null] }, "Value null at 'tags.2.member' failed to satisfy constraint: Member must not be null"],
      ['TagResource', {}, "Value null at 'tags' failed to satisfy constraint: Member must not be null"],
      ['UntagResource', { tagKeys: [null] }, "Value null at 'tagKeys.1.member' failed to satisfy constraint: Member must not be null"],
      ['UntagResource', {}, "Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"],
    ])('%s refuses %j with ValidationException', async (operation, members, words) => {
      const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify({ resourceArn: pass, ...members }) });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ __type: 'com.amazon.coral.validate#ValidationException', message: `1 validation error detected: ${words}` });
    });

    it('refuses UntagResource tagKeys that are a string, not a list, with SerializationException', async () => {
      const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.UntagResource', body: JSON.stringify({ resourceArn: pass, tagKeys: 'k0' }) });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ __type: 'com.amazon.coral.service#SerializationException', Message: 'Unexpected field type' });
    });
  });

  describe('listings', () => {
    it.each([
      [-1, 'Member must have value greater than or equal to 0'],
      [1001, 'Member must have value less than or equal to 1000'],
    ])('refuses maxResults %j with ValidationException', async (maxResults, words) => {
      const e = await refusal(sfn.send(new ListStateMachinesCommand({ maxResults })));
      expect(e).toBeInstanceOf(ValidationException);
      expect(e.message).toBe(`1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: ${words}`);
    });

    it.each([
      ['10', 'STRING_VALUE cannot be converted to Integer'],
      [true, 'TRUE_VALUE cannot be converted to Integer'],
    ])('refuses maxResults %j, not a number, with SerializationException', async (maxResults, words) => {
      const e = await refusal(sfn.send(new ListStateMachinesCommand({ maxResults: maxResults as never })));
      expect(e.name).toBe('SerializationException');
      expect(e.message).toBe(words);
    });

    // AWS's reader truncates a number into an integer member (request.ts, INT_RANGE): 1.5 is 1.
    it.each(['1.5', '1.0', '1e0', '1.999'])('reads maxResults %s as 1, through the SDK and as raw HTTP', async (sent) => {
      await sfn.send(new CreateStateMachineCommand({ name: 'second', definition: PASS, roleArn: ROLE })).catch(() => undefined);
      const page = await sfn.send(new ListStateMachinesCommand({ maxResults: Number(sent) }));
      expect(page.stateMachines).toHaveLength(1);
      expect(page.nextToken).toBeDefined();
      const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.ListStateMachines', body: `{"maxResults":${sent}}` });
      expect(answer.status).toBe(200);
      expect(answer.body.stateMachines).toHaveLength(1);
    });

    it.each([
      ['1000.5', 200, undefined],
      ['1001.5', 400, "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"],
      ['-1.5', 400, "1 validation error detected: Value '-1' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0"],
      ['2147483648', 400, "1 validation error detected: Value '2147483647' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"],
      ['-1e400', 400, "1 validation error detected: Value '-2147483648' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0"],
    ])('checks the bounds of maxResults %s on what the reader makes of it', async (sent, status, message) => {
      const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.ListStateMachines', body: `{"maxResults":${sent}}` });
      expect({ status: answer.status, message: errorMessage(answer.body) }).toEqual({ status, message });
    });

    // The number texts of the brief's sweep: an exponent, a negative zero, a whole number past
    // 2^64, through the SDK (which writes 1e21 as 1e+21, 1e20 as 100000000000000000000, -0 as 0)
    // and as raw HTTP. Read as AWS's reader reads them (request.ts): truncated, held to Java's int.
    it.each([
      ['1e2', 200, undefined],
      ['-0', 200, undefined],
      ['-0.0', 200, undefined],
      ['1e21', 400, "1 validation error detected: Value '2147483647' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"],
      ['100000000000000000000', 400, "1 validation error detected: Value '2147483647' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"],
      ['-1e21', 400, "1 validation error detected: Value '-2147483648' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0"],
    ])('reads maxResults written %s as AWS\'s reader does, through the SDK and as raw HTTP', async (sent, status, message) => {
      const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.ListStateMachines', body: `{"maxResults":${sent}}` });
      expect({ status: answer.status, message: errorMessage(answer.body) }).toEqual({ status, message });
      const viaSdk = await sfn.send(new ListStateMachinesCommand({ maxResults: Number(sent) })).then(() => undefined, (e: Error) => e.message);
      expect(viaSdk).toBe(message);
    });

    // A number where the model has a string is named by its JSON token: an integer's (NUMBER_VALUE,
    // -0 and 10^20 included) or a float's (DECIMAL_VALUE: a point or an exponent); a string where
    // it has a number, by the number's Java type. Each refused before any member is validated.
    it.each([
      ['CreateActivity', '{"name":1e21}', 'DECIMAL_VALUE cannot be converted to String'],
      ['CreateActivity', '{"name":100000000000000000000}', 'NUMBER_VALUE cannot be converted to String'],
      ['CreateActivity', '{"name":-0}', 'NUMBER_VALUE cannot be converted to String'],
      ['CreateActivity', '{"name":-0.0}', 'DECIMAL_VALUE cannot be converted to String'],
      ['UpdateMapRun', '{"mapRunArn":"arn:aws:states:us-east-1:123456789012:mapRun:m/l:x","toleratedFailurePercentage":"5"}', 'STRING_VALUE cannot be converted to Float'],
      ['UpdateMapRun', '{"mapRunArn":"arn:aws:states:us-east-1:123456789012:mapRun:m/l:x","toleratedFailureCount":"5"}', 'STRING_VALUE cannot be converted to Long'],
    ])('refuses %s %s with SerializationException', async (operation, body, message) => {
      const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body });
      expect({ status: answer.status, type: answer.body.__type, message: errorMessage(answer.body) })
        .toEqual({ status: 400, type: 'com.amazon.coral.service#SerializationException', message });
    });

    it('refuses a redriveFilter outside its enumeration', async () => {
      const e = await refusal(sfn.send(new ListExecutionsCommand({ stateMachineArn: pass, redriveFilter: 'SOMETIMES' as never })));
      expect(e.message).toBe("1 validation error detected: Value 'SOMETIMES' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]");
    });

    it('refuses a reverseOrder that is not a boolean', async () => {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: pass }));
      // Observed for DynamoDB's boolean members: '23' (dynalite's suite), 'HELLOWTF' (its reader's notes).
      for (const reverseOrder of ['23', 'HELLOWTF']) {
        const e = await refusal(sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: reverseOrder as never })));
        expect(e.name).toBe('SerializationException');
        expect(e.message).toBe('Unexpected token received from parser');
      }
    });

    it('takes the words AWS\'s reader takes for a boolean reverseOrder, in any case', async () => {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: pass }));
      await until(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, (s) => s !== 'RUNNING');
      const first = async (reverseOrder: unknown) => {
        const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: reverseOrder as never }));
        return events![0].type;
      };
      for (const word of ['true', 'TRUE', 'yes', '1']) expect(await first(word)).toBe('ExecutionSucceeded');
      for (const word of ['false', 'False', 'no', '0']) expect(await first(word)).toBe('ExecutionStarted');
    });
  });

  describe('task tokens, errors and causes', () => {
    it('refuses a SendTaskFailure error of 257 characters with ValidationException, not a fault', async () => {
      const callback = (await sfn.send(new CreateStateMachineCommand({ name: 'callback', definition: CALLBACK, roleArn: ROLE }))).stateMachineArn!;
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: callback }));
      const { events } = await until(() => sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'TaskScheduled'));
      const taskToken = JSON.parse(events!.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!).MessageBody.token as string;
      const e = await refusal(sfn.send(new SendTaskFailureCommand({ taskToken, error: 'E'.repeat(257) })));
      expect(e).toBeInstanceOf(ValidationException);
      expect(e.message).toBe("1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256");
      const cause = await refusal(sfn.send(new SendTaskFailureCommand({ taskToken, cause: 'C'.repeat(32_769) })));
      expect(cause.message).toBe("1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768");
      // The task still waits: the refused answers did not reach it.
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '"done"' }));
      expect(await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED' });
    });

    it('refuses output nested deeper than the interpreter takes with InvalidOutput, not a fault', async () => {
      const callback = (await sfn.send(new CreateStateMachineCommand({ name: 'deep', definition: CALLBACK, roleArn: ROLE }))).stateMachineArn!;
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: callback }));
      const { events } = await until(() => sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'TaskScheduled'));
      const taskToken = JSON.parse(events!.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!).MessageBody.token as string;
      const e = await refusal(sfn.send(new SendTaskSuccessCommand({ taskToken, output: `${'['.repeat(2000)}${']'.repeat(2000)}` })));
      expect(e.name).toBe('InvalidOutput');
      expect(e.$metadata.httpStatusCode).toBe(400);
    });

    it('refuses a task token of 2,049 characters with ValidationException', async () => {
      const e = await refusal(sfn.send(new SendTaskSuccessCommand({ taskToken: 't'.repeat(2049), output: '{}' })));
      expect(e.message).toMatch(/at 'taskToken' failed to satisfy constraint: Member must have length less than or equal to 2048$/);
    });

    it('refuses a StopExecution cause of 32,769 characters with ValidationException', async () => {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: pass }));
      const e = await refusal(sfn.send(new StopExecutionCommand({ executionArn, cause: 'c'.repeat(32_769) })));
      expect(e).toBeInstanceOf(ValidationException);
    });

    it('refuses a worker name of 81 characters and a RedriveExecution clientToken of 65', async () => {
      const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'work' }));
      expect(await refusal(sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'w'.repeat(81) })))).toBeInstanceOf(ValidationException);
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: pass }));
      const e = await refusal(sfn.send(new RedriveExecutionCommand({ executionArn, clientToken: 'c'.repeat(65) })));
      expect(e.message).toMatch(/at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 64$/);
    });
  });

  describe('configurations', () => {
    it.each(['ALL', 'ERROR', 'FATAL'])('refuses logging level %s without a destination with InvalidLoggingConfiguration, in AWS\'s words', async (level) => {
      const e = await refusal(sfn.send(new CreateStateMachineCommand({ name: 'logged', definition: PASS, roleArn: ROLE, loggingConfiguration: { level: level as never } })));
      expect(e).toBeInstanceOf(InvalidLoggingConfiguration);
      expect(e.message).toBe('Invalid Logging Configuration: Must specify exactly one Log Destination.');
    });

    it("refuses a log group's ARN without the ':*' qualifier the model asks for, with InvalidLoggingConfiguration in AWS's words", async () => {
      const group = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/orders';
      const logging = (logGroupArn: string) => ({ level: 'ALL' as const, includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] });
      const e = await refusal(sfn.send(new CreateStateMachineCommand({ name: 'unqualified', definition: PASS, roleArn: ROLE, loggingConfiguration: logging(group) })));
      expect(e).toBeInstanceOf(InvalidLoggingConfiguration);
      expect(e.message).toBe("Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.");
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'qualified', definition: PASS, roleArn: ROLE, loggingConfiguration: logging(`${group}:*`) }));
      const update = await refusal(sfn.send(new UpdateStateMachineCommand({ stateMachineArn, loggingConfiguration: logging(group) })));
      expect(update).toBeInstanceOf(InvalidLoggingConfiguration);
      expect((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).loggingConfiguration?.destinations).toEqual([{ cloudWatchLogsLogGroup: { logGroupArn: `${group}:*` } }]);
    });

    it('refuses a logging level outside its enumeration with ValidationException', async () => {
      const e = await refusal(sfn.send(new CreateStateMachineCommand({ name: 'logged', definition: PASS, roleArn: ROLE, loggingConfiguration: { level: 'LOUD' as never } })));
      expect(e.message).toBe("1 validation error detected: Value 'LOUD' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]");
    });

    it('takes a null configuration as no configuration, as the JSON protocol does', async () => {
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'nulls', definition: PASS, roleArn: ROLE }));
      const answer = await raw(env.server.endpoint, {
        target: 'AWSStepFunctions.UpdateStateMachine',
        body: JSON.stringify({ stateMachineArn, definition: asl({ StartAt: 'S', States: { S: { Type: 'Succeed' } } }), loggingConfiguration: null, tracingConfiguration: null }),
      });
      expect(answer.status).toBe(200);
      expect((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).loggingConfiguration).toEqual({ level: 'OFF', includeExecutionData: false });
    });

    it('refuses a customer managed key without its id, and shows an activity created without a key as AWS-owned', async () => {
      const e = await refusal(sfn.send(new CreateActivityCommand({ name: 'keyed', encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY' } })));
      expect(e.name).toBe('InvalidEncryptionConfiguration');
      const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'plain' }));
      expect((await sfn.send(new DescribeActivityCommand({ activityArn }))).encryptionConfiguration).toEqual({ type: 'AWS_OWNED_KEY' });
    });
  });

  describe('other members', () => {
    it('refuses a ValidateStateMachineDefinition maxResults over 100 and a severity outside its enumeration', async () => {
      expect((await refusal(sfn.send(new ValidateStateMachineDefinitionCommand({ definition: PASS, maxResults: 101 })))).message)
        .toMatch(/at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100$/);
      expect((await refusal(sfn.send(new ValidateStateMachineDefinitionCommand({ definition: PASS, severity: 'INFO' as never })))).message)
        .toMatch(/Member must satisfy enum value set: \[ERROR, WARNING\]$/);
    });

    it('refuses a version description of 257 characters without repeating it', async () => {
      const e = await refusal(sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: pass, description: 'd'.repeat(257) })));
      expect(e.message).toBe("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 256");
    });

    it('refuses an alias description of 257 characters', async () => {
      const { stateMachineVersionArn } = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: pass }));
      const e = await refusal(sfn.send(new CreateStateMachineAliasCommand({ name: 'live', description: 'd'.repeat(257), routingConfiguration: [{ stateMachineVersionArn, weight: 100 }] })));
      expect(e).toBeInstanceOf(ValidationException);
    });

    it('refuses an UpdateMapRun toleratedFailurePercentage over 100 before looking the Map Run up, the float shown as Java shows it', async () => {
      const e = await refusal(sfn.send(new UpdateMapRunCommand({ mapRunArn: `${ACCOUNT}:mapRun:m/Map:x`, toleratedFailurePercentage: 101 })));
      expect(e.message).toBe("1 validation error detected: Value '101.0' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value less than or equal to 100");
    });

    // AWS reads the member as a Java Float: a number past its range is Infinity, and the bounds are
    // checked on the Float read, not on the decimal sent.
    it.each([
      [1e39, 'Infinity', 'less than or equal to 100'], [-1e39, '-Infinity', 'greater than or equal to 0'], [3.4028235e38, '3.4028235E38', 'less than or equal to 100'],
    ])('shows a toleratedFailurePercentage of %s as Java shows the Float it reads, %s', async (sent, shown, bound) => {
      const e = await refusal(sfn.send(new UpdateMapRunCommand({ mapRunArn: `${ACCOUNT}:mapRun:m/Map:x`, toleratedFailurePercentage: sent })));
      expect(e.message).toBe(`1 validation error detected: Value '${shown}' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value ${bound}`);
    });

    it.each([100.0000001, -1e-50])('takes a toleratedFailurePercentage of %s, which reads as a Float within 0 to 100, and looks the Map Run up', async (sent) => {
      const e = await refusal(sfn.send(new UpdateMapRunCommand({ mapRunArn: `${ACCOUNT}:mapRun:m/Map:x`, toleratedFailurePercentage: sent })));
      expect(e.name).toBe('ResourceNotFound');
    });

    it('refuses a TestState inspectionLevel outside its enumeration', async () => {
      const e = await refusal(sfn.send(new TestStateCommand({ definition: asl({ Type: 'Pass', End: true }), roleArn: ROLE, inspectionLevel: 'ALL' as never })));
      expect(e.message).toMatch(/at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: \[INFO, DEBUG, TRACE\]$/);
    });

    it.each(['null', '5', '[]', '"Pass"'])('refuses a TestState definition that is the JSON %s with InvalidDefinition', async (definition) => {
      const e = await refusal(sfn.send(new TestStateCommand({ definition, roleArn: ROLE })));
      expect(e.name).toBe('InvalidDefinition');
    });

    // "InvalidDefinition: The provided Amazon States Language definition is not valid" (TestState, API reference).
    it('refuses a TestState Task whose Catch is not valid ASL with InvalidDefinition, rather than failing to read it', async () => {
      const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, Catch: [{ ErrorEquals: 5, Next: 'Handle' }], End: true };
      const e = await refusal(sfn.send(new TestStateCommand({ definition: asl(task), roleArn: ROLE, mock: { errorOutput: { error: 'Boom', cause: 'down' } } })));
      expect(e.name).toBe('InvalidDefinition');
      expect(e.message).toMatch(/^Invalid State Machine Definition: '[\s\S]*\/Catch\/0\/ErrorEquals/);
    });

    it('refuses a TestState state whose Next is a number with InvalidDefinition, rather than answering it as nextState', async () => {
      const e = await refusal(sfn.send(new TestStateCommand({ definition: asl({ Type: 'Pass', Next: 5 }), roleArn: ROLE })));
      expect(e.name).toBe('InvalidDefinition');
      expect(e.message).toMatch(/^Invalid State Machine Definition: '[\s\S]*\/Next/);
    });

    it('refuses a TestState Map whose ItemProcessor names a state it lacks with InvalidDefinition, though the mock stands for it', async () => {
      const map = { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'Nope' } } }, End: true };
      const e = await refusal(sfn.send(new TestStateCommand({ definition: asl(map), input: '[1]', roleArn: ROLE, mock: { result: '[1]' } })));
      expect(e.name).toBe('InvalidDefinition');
      expect(e.message).toMatch(/^Invalid State Machine Definition: '[\s\S]*\/ItemProcessor\/States\/P\/Next/);
    });

    it('refuses a TestState Choice whose Choices is no array with InvalidDefinition, rather than failing to read it', async () => {
      const e = await refusal(sfn.send(new TestStateCommand({ definition: asl({ Type: 'Choice', Choices: 5 }), roleArn: ROLE })));
      expect(e.name).toBe('InvalidDefinition');
      expect(e.message).toMatch(/^Invalid State Machine Definition: '[\s\S]*\/Choices/);
    });
  });
});
