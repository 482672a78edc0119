import { DescribeExecutionCommand, DescribeMapRunCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { ROLE, serve, until } from './helpers';
import { refName, service, shapeOf } from './model-oracle';
import { answerJson, javaDouble, javaFloat, javaLong } from '../../src/server/wire-json';

/*
 * Every answer serve gives, walked against the output shape botocore's Step Functions model gives
 * its operation (the committed extract): each member one the shape has, of the shape's type, no
 * member null, every required member there, strings within their enums and lengths, numbers
 * within their bounds. A scenario makes a valid request of each of the model's operations, some
 * several times (a version, an alias, a redriven execution, an activity's task, a Distributed Map's
 * Map Run, TestState at each inspection level), all as raw HTTP, so that the text AWS's clients
 * read is the text checked. Error answers are walked against their error shapes too, with their
 * headers.
 */

const ACCOUNT = 'arn:aws:states:us-east-1:123456789012';

/** What is wrong with `value` as a value of `shapeName`, at `path`; a timestamp's value is pushed to `timestamps`. */
function walk(shapeName: string, value: unknown, path: string, problems: string[], timestamps: number[]): void {
  const shape = shapeOf(shapeName);
  if (value === null) {
    problems.push(`${path}: null (AWS leaves an empty member out)`);
    return;
  }
  switch (shape.t) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${path}: ${JSON.stringify(value)} for a structure`);
        return;
      }
      for (const required of shape.r ?? []) if (!Object.hasOwn(value, required)) problems.push(`${path}.${required}: required, missing`);
      for (const [member, v] of Object.entries(value)) {
        const ref = shape.m?.[member];
        if (ref === undefined) problems.push(`${path}.${member}: not a member of ${shapeName}`);
        else walk(refName(ref), v, `${path}.${member}`, problems, timestamps);
      }
      return;
    }
    case 'list':
      if (!Array.isArray(value)) {
        problems.push(`${path}: ${JSON.stringify(value)} for a list`);
        return;
      }
      value.forEach((item, i) => walk(shape.l!, item, `${path}[${i}]`, problems, timestamps));
      return;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${path}: ${JSON.stringify(value)} for a map`);
        return;
      }
      for (const [key, v] of Object.entries(value)) walk(shape.v!, v, `${path}{${key}}`, problems, timestamps);
      return;
    case 'string': {
      if (typeof value !== 'string') {
        problems.push(`${path}: ${JSON.stringify(value)} for a string`);
        return;
      }
      if (shape.e && !shape.e.includes(value)) problems.push(`${path}: '${value}' is none of ${shapeName}'s values`);
      const length = [...value].length;
      if (shape.n !== undefined && length < shape.n) problems.push(`${path}: ${length} characters, fewer than ${shape.n}`);
      if (shape.x !== undefined && length > shape.x) problems.push(`${path}: ${length} characters, more than ${shape.x}`);
      return;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      if (typeof value !== 'number' || ((shape.t === 'integer' || shape.t === 'long') && !Number.isInteger(value))) {
        problems.push(`${path}: ${JSON.stringify(value)} for a ${shape.t}`);
        return;
      }
      if (shape.n !== undefined && value < shape.n) problems.push(`${path}: ${value} below ${shape.n}`);
      if (shape.x !== undefined && value > shape.x) problems.push(`${path}: ${value} above ${shape.x}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: ${JSON.stringify(value)} for a boolean`);
      return;
    case 'timestamp':
      // Epoch seconds, to the millisecond, as AWS sends a date.
      if (typeof value !== 'number' || Math.round(value * 1000) / 1000 !== value) problems.push(`${path}: ${JSON.stringify(value)} for epoch seconds`);
      else timestamps.push(value);
      return;
    default:
      problems.push(`${path}: a ${shape.t}, which no answer of Step Functions holds`);
  }
}

/** The model's member names that are timestamps, and those that are floats, in any shape. */
function membersOfType(...types: string[]): Set<string> {
  const names = new Set<string>();
  for (const shape of Object.values(service.shapes)) {
    for (const [member, ref] of Object.entries(shape.m ?? {})) if (types.includes(shapeOf(refName(ref)).t)) names.add(member);
  }
  return names;
}

/** Each `"member":<number>` of `names` in JSON text `text`, outside its strings' escaped JSON, as written. */
function numberTexts(text: string, names: ReadonlySet<string>): Array<{ member: string; literal: string }> {
  const found: Array<{ member: string; literal: string }> = [];
  for (const m of text.matchAll(/(?<!\\)"([A-Za-z]+)":(-?[0-9][0-9.eE+-]*)/g)) if (names.has(m[1])) found.push({ member: m[1], literal: m[2] });
  return found;
}

/** An answer as sent: its status, headers and text, and the text parsed. */
interface Sent { readonly status: number; readonly headers: import('node:http').IncomingHttpHeaders; readonly text: string; readonly body: any }

/** One answer of the scenario. */
interface Answered { readonly operation: string; readonly sent: Sent }

/** Posts `body` to `operation` over node:http, keeping the answer's text as sent. */
function post(endpoint: string, operation: string, body: unknown): Promise<Sent> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- node:http, to read an answer's text as sent
  const http = require('node:http') as typeof import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.request(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${operation}` },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * The members an error shape of botocore's model has besides `message` (the extract keeps no error
 * shapes): TooManyTags and ResourceNotFound name the resource. An optional member may be left out.
 */
const ERROR_MEMBERS: Readonly<Record<string, readonly string[]>> = { TooManyTags: ['resourceName'], ResourceNotFound: ['resourceName'] };

/** An input that holds a member named as a timestamp is, with a number: data, written as sent. */
const INPUT = '{"a":1,"startDate":1700000000.5,"x":{"timestamp":5}}';

const TIMESTAMPS = membersOfType('timestamp');
const FLOATS = membersOfType('float', 'double');

describe('serve: every answer in the model\'s output shape, written as AWS writes it', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  const answers: Answered[] = [];
  const errors: Answered[] = [];

  /** Sends `request` to `operation`; an answer that is not 200 fails the scenario unless `refusal`. */
  async function call(operation: string, request: Record<string, unknown>, refusal = false): Promise<any> {
    const sent = await post(env.server.endpoint, operation, request);
    if ((sent.status === 200) === refusal) throw new Error(`${operation} ${JSON.stringify(request)}: ${sent.status} ${sent.text}`);
    (sent.status === 200 ? answers : errors).push({ operation, sent });
    return sent.body;
  }

  const definition = (states: Record<string, unknown>): string => JSON.stringify({ StartAt: Object.keys(states)[0], States: states });
  const ended = (executionArn: string): Promise<unknown> =>
    until(() => post(env.server.endpoint, 'DescribeExecution', { executionArn }), (a) => a.body.status !== 'RUNNING');

  beforeAll(async () => {
    let flaky = 0;
    env = await serve({
      // Waits and retries run 1,000 times faster; the Wait that holds executions open lasts a year.
      timeScale: 1000,
      handlers: {
        Fails: () => { throw Object.assign(new Error('boom'), { name: 'Boom' }); },
        Ok: () => ({ ok: true }),
        Flaky: () => {
          if (flaky++ === 0) throw Object.assign(new Error('once'), { name: 'Flaky' });
          return { ok: true };
        },
      },
    });
    const wait = definition({ P: { Type: 'Pass', Next: 'W' }, W: { Type: 'Wait', Seconds: 31_536_000, End: true } });
    const pass = definition({ P: { Type: 'Pass', End: true } });

    // State machines, versions, aliases and tags.
    const machine = await call('CreateStateMachine', { name: 'shapes', definition: wait, roleArn: ROLE, publish: true, versionDescription: 'first', tags: [{ key: 'k', value: 'v' }] });
    await call('DescribeStateMachine', { stateMachineArn: machine.stateMachineArn });
    await call('DescribeStateMachine', { stateMachineArn: machine.stateMachineVersionArn });
    await call('DescribeStateMachine', { stateMachineArn: machine.stateMachineArn, includedData: 'METADATA_ONLY' });
    await call('UpdateStateMachine', { stateMachineArn: machine.stateMachineArn, definition: wait.replace('31536000', '31535999'), publish: true, versionDescription: 'second' });
    await call('UpdateStateMachine', { stateMachineArn: machine.stateMachineArn, tracingConfiguration: { enabled: true } });
    const version = await call('PublishStateMachineVersion', { stateMachineArn: machine.stateMachineArn, description: 'third' });
    await call('ListStateMachineVersions', { stateMachineArn: machine.stateMachineArn });
    await call('ListStateMachineVersions', { stateMachineArn: machine.stateMachineArn, maxResults: 1 });
    const alias = await call('CreateStateMachineAlias', {
      name: 'live', description: 'routes', routingConfiguration: [{ stateMachineVersionArn: version.stateMachineVersionArn, weight: 100 }],
    });
    await call('DescribeStateMachineAlias', { stateMachineAliasArn: alias.stateMachineAliasArn });
    await call('UpdateStateMachineAlias', { stateMachineAliasArn: alias.stateMachineAliasArn, description: 'routes on' });
    await call('DescribeStateMachineAlias', { stateMachineAliasArn: alias.stateMachineAliasArn });
    await call('ListStateMachineAliases', { stateMachineArn: machine.stateMachineArn });
    await call('ListStateMachines', {});
    await call('TagResource', { resourceArn: machine.stateMachineArn, tags: [{ key: 'a', value: 'b' }] });
    await call('ListTagsForResource', { resourceArn: machine.stateMachineArn });
    await call('UntagResource', { resourceArn: machine.stateMachineArn, tagKeys: ['a'] });
    await call('ValidateStateMachineDefinition', { definition: wait });
    await call('ValidateStateMachineDefinition', { definition: definition({ P: { Type: 'Pass', Next: 'Lost' } }) });

    // Executions: one stopped, one through an alias, one that fails and is redriven.
    const running = await call('StartExecution', { stateMachineArn: machine.stateMachineArn, name: 'running', input: INPUT });
    const routed = await call('StartExecution', { stateMachineArn: alias.stateMachineAliasArn, input: '{}' });
    await call('DescribeExecution', { executionArn: running.executionArn });
    await call('DescribeExecution', { executionArn: routed.executionArn });
    await call('DescribeStateMachineForExecution', { executionArn: running.executionArn });
    await call('DescribeStateMachineForExecution', { executionArn: routed.executionArn });
    await call('GetExecutionHistory', { executionArn: running.executionArn });
    await call('StopExecution', { executionArn: running.executionArn, error: 'Stopped', cause: 'by the test' });
    await call('StopExecution', { executionArn: routed.executionArn });
    await call('DescribeExecution', { executionArn: running.executionArn });
    await call('GetExecutionHistory', { executionArn: running.executionArn, reverseOrder: true, includeExecutionData: false });
    await call('ListExecutions', { stateMachineArn: machine.stateMachineArn });
    await call('ListExecutions', { stateMachineArn: version.stateMachineVersionArn });
    const failing = await call('CreateStateMachine', {
      name: 'fails', roleArn: ROLE, definition: definition({ Fails: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true } }),
    });
    const failed = await call('StartExecution', { stateMachineArn: failing.stateMachineArn });
    await ended(failed.executionArn);
    await call('DescribeExecution', { executionArn: failed.executionArn });
    await call('GetExecutionHistory', { executionArn: failed.executionArn });
    await call('RedriveExecution', { executionArn: failed.executionArn });
    await until(() => post(env.server.endpoint, 'DescribeExecution', { executionArn: failed.executionArn }), (a) => a.body.redriveCount === 1 && a.body.status !== 'RUNNING');
    await call('DescribeExecution', { executionArn: failed.executionArn });
    await call('GetExecutionHistory', { executionArn: failed.executionArn });
    await call('ListExecutions', { stateMachineArn: failing.stateMachineArn, redriveFilter: 'REDRIVEN' });

    // EXPRESS: StartSyncExecution that succeeds and one that fails.
    const express = await call('CreateStateMachine', { name: 'express', type: 'EXPRESS', definition: pass, roleArn: ROLE, loggingConfiguration: { level: 'OFF' } });
    await call('DescribeStateMachine', { stateMachineArn: express.stateMachineArn });
    await call('StartSyncExecution', { stateMachineArn: express.stateMachineArn, input: '{"b":2}' });
    const expressFails = await call('CreateStateMachine', {
      name: 'express-fails', type: 'EXPRESS', roleArn: ROLE, definition: definition({ Fails: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true } }),
    });
    await call('StartSyncExecution', { stateMachineArn: expressFails.stateMachineArn });

    // Activities and their tasks.
    const activity = await call('CreateActivity', { name: 'work', tags: [{ key: 'k', value: 'v' }] });
    await call('DescribeActivity', { activityArn: activity.activityArn });
    await call('ListActivities', {});
    const worked = await call('CreateStateMachine', {
      name: 'worked', roleArn: ROLE, definition: definition({ A: { Type: 'Task', Resource: activity.activityArn, HeartbeatSeconds: 3600, End: true } }),
    });
    for (let i = 0; i < 3; i++) await call('StartExecution', { stateMachineArn: worked.stateMachineArn, input: `{"i":${i}}` });
    const task = async (): Promise<string> => (await call('GetActivityTask', { activityArn: activity.activityArn, workerName: 'worker' })).taskToken;
    const first = await task();
    await call('SendTaskHeartbeat', { taskToken: first });
    await call('SendTaskSuccess', { taskToken: first, output: '{"done":true}' });
    await call('SendTaskFailure', { taskToken: await task(), error: 'Failed', cause: 'by the worker' });
    await call('SendTaskFailure', { taskToken: await task() });
    const workedExecutions = await until(() => post(env.server.endpoint, 'ListExecutions', { stateMachineArn: worked.stateMachineArn }),
      (a) => a.body.executions.every((e: { status: string }) => e.status !== 'RUNNING'));
    for (const e of workedExecutions.body.executions) await call('GetExecutionHistory', { executionArn: e.executionArn });

    // A Distributed Map's Map Run.
    const mapped = await call('CreateStateMachine', {
      name: 'mapped',
      roleArn: ROLE,
      definition: definition({
        M: {
          Type: 'Map',
          Label: 'each',
          MaxConcurrency: 2,
          ToleratedFailurePercentage: 5,
          End: true,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
        },
      }),
    });
    const mapping = await call('StartExecution', { stateMachineArn: mapped.stateMachineArn, input: '[1,2,3]' });
    await ended(mapping.executionArn);
    const runs = await call('ListMapRuns', { executionArn: mapping.executionArn });
    await call('DescribeMapRun', { mapRunArn: runs.mapRuns[0].mapRunArn });
    await call('UpdateMapRun', { mapRunArn: runs.mapRuns[0].mapRunArn, maxConcurrency: 3, toleratedFailurePercentage: 33.3 });
    await call('DescribeMapRun', { mapRunArn: runs.mapRuns[0].mapRunArn });
    await call('ListExecutions', { mapRunArn: runs.mapRuns[0].mapRunArn });
    await call('GetExecutionHistory', { executionArn: mapping.executionArn });

    // TestState at each inspection level.
    const lambda = 'arn:aws:lambda:us-east-1:123456789012:function:f';
    await call('TestState', { definition: JSON.stringify({ Type: 'Pass', Result: { a: 1 }, End: true }), input: '{}', inspectionLevel: 'TRACE' });
    await call('TestState', { definition: JSON.stringify({ Type: 'Pass', Parameters: { 'a.$': '$.x' }, ResultPath: '$.r', End: true }), input: '{"x":1}', inspectionLevel: 'DEBUG' });
    await call('TestState', { definition: JSON.stringify({ Type: 'Task', Resource: lambda, End: true }), input: '{}', mock: { errorOutput: { error: 'E', cause: 'c' } }, inspectionLevel: 'DEBUG' });
    await call('TestState', {
      definition: JSON.stringify({ Type: 'Task', Resource: lambda, Retry: [{ ErrorEquals: ['States.ALL'] }], End: true }), input: '{}', mock: { errorOutput: { error: 'E', cause: 'c' } },
    });
    await call('TestState', { definition: JSON.stringify({ Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'X' }], Default: 'Y' }), input: '{"a":1}' });
    await call('TestState', {
      definition: JSON.stringify({ Type: 'Map', MaxConcurrency: 2, ToleratedFailurePercentage: 12.5, ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true }),
      input: '[1]',
      mock: { result: '[1]' },
      inspectionLevel: 'DEBUG',
    });

    // A history of every kind of state: Parallel, inline Map, a Task retried, one caught, Choice,
    // Wait, a callback with its heartbeat, JSONata with Assign, Fail; a JSONata failure, a callback
    // timed out, a nested .sync:2 execution, a Distributed Map that fails and is redriven.
    const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
    const callback = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: { 'token.$': '$$.Task.Token' } } };
    const histories = {
      every: definition({
        Par: { Type: 'Parallel', Branches: [{ StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('Ok'), End: true } } }, { StartAt: 'S', States: { S: { Type: 'Succeed' } } }], ResultPath: '$.par', Next: 'Each' },
        Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, ResultPath: '$.each', Next: 'Retried' },
        Retried: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'Flaky', 'Payload.$': '$' }, Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1 }], ResultPath: '$.r', Next: 'Caught' },
        Caught: { Type: 'Task', Resource: fn('Fails'), Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Choose' }], Next: 'Choose' },
        Choose: { Type: 'Choice', Choices: [{ Variable: '$.x', NumericEquals: 1, Next: 'Pause' }], Default: 'Pause' },
        Pause: { Type: 'Wait', Seconds: 1, Next: 'Callback' },
        Callback: { ...callback, HeartbeatSeconds: 31_536_000, ResultPath: '$.callback', Next: 'Assigns' },
        Assigns: { Type: 'Pass', QueryLanguage: 'JSONata', Assign: { v: '{% $states.input.x %}' }, Output: '{% $states.input %}', Next: 'Fails' },
        Fails: { Type: 'Fail', Error: 'Done', Cause: 'at the end' },
      }),
      jsonataFails: JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $notAFunction() %}', End: true } } }),
      timesOut: definition({ Callback: { ...callback, TimeoutSeconds: 1, End: true } }),
      nests: definition({ Child: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: `${ACCOUNT}:stateMachine:express`, Input: {} }, End: true } }),
      mapFails: definition({
        M: { Type: 'Map', Label: 'each', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'I', States: { I: { Type: 'Task', Resource: fn('Fails'), End: true } } }, End: true },
      }),
    };
    const started: Record<string, string> = {};
    for (const [name, text] of Object.entries(histories)) {
      const { stateMachineArn } = await call('CreateStateMachine', { name, definition: text, roleArn: ROLE });
      started[name] = (await call('StartExecution', { stateMachineArn, input: name === 'mapFails' ? '[1,2]' : '{"x":1,"items":[1,2]}' })).executionArn;
    }
    const scheduled = await until(() => post(env.server.endpoint, 'GetExecutionHistory', { executionArn: started.every }),
      (a) => a.body.events.some((e: any) => e.taskScheduledEventDetails?.resourceType === 'sqs'));
    const token = JSON.parse(scheduled.body.events.find((e: any) => e.taskScheduledEventDetails?.resourceType === 'sqs').taskScheduledEventDetails.parameters).MessageBody.token;
    await call('SendTaskHeartbeat', { taskToken: token });
    await call('SendTaskSuccess', { taskToken: token, output: '{"called":"back"}' });
    for (const executionArn of Object.values(started)) {
      await ended(executionArn);
      await call('DescribeExecution', { executionArn });
      await call('DescribeStateMachineForExecution', { executionArn });
      await call('GetExecutionHistory', { executionArn, maxResults: 1000 });
    }
    const failedRun = (await call('ListMapRuns', { executionArn: started.mapFails })).mapRuns[0].mapRunArn;
    await call('DescribeMapRun', { mapRunArn: failedRun });
    for (const child of (await call('ListExecutions', { mapRunArn: failedRun })).executions) {
      await call('DescribeExecution', { executionArn: child.executionArn });
      await call('DescribeStateMachineForExecution', { executionArn: child.executionArn });
      await call('GetExecutionHistory', { executionArn: child.executionArn });
    }
    await call('RedriveExecution', { executionArn: started.mapFails });
    await until(() => post(env.server.endpoint, 'DescribeExecution', { executionArn: started.mapFails }), (a) => a.body.redriveCount === 1 && a.body.status !== 'RUNNING');
    await call('GetExecutionHistory', { executionArn: started.mapFails });
    await call('DescribeMapRun', { mapRunArn: failedRun });

    // Deletes.
    await call('DeleteStateMachineAlias', { stateMachineAliasArn: alias.stateMachineAliasArn });
    await call('DeleteStateMachineVersion', { stateMachineVersionArn: version.stateMachineVersionArn });
    await call('DeleteActivity', { activityArn: activity.activityArn });
    await call('DeleteStateMachine', { stateMachineArn: express.stateMachineArn });

    // Refusals of each kind: the service's, the model's constraints, the framework's.
    await call('DescribeExecution', { executionArn: `${ACCOUNT}:execution:shapes:none` }, true);
    await call('DescribeStateMachine', { stateMachineArn: 'not an arn' }, true);
    await call('StartExecution', {}, true);
    await call('ListStateMachines', { maxResults: 'ten' }, true);
    await call('TagResource', { resourceArn: machine.stateMachineArn, tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }, true);
    await call('SendTaskSuccess', { taskToken: 'FakeTaskToken', output: '{}' }, true);
    await call('CreateStateMachine', { name: 'shapes', definition: pass, roleArn: ROLE }, true);
  });
  afterAll(() => env.stop());

  it('makes a valid request of every operation of the model', () => {
    expect(Object.keys(service.operations).filter((op) => !answers.some((a) => a.operation === op))).toEqual([]);
  });

  it.each(Object.keys(service.operations))('answers %s with its output shape\'s members only, each of its type, none null', (operation) => {
    const [, output] = service.operations[operation];
    const problems: string[] = [];
    for (const { sent } of answers.filter((a) => a.operation === operation)) {
      if (output === null) {
        if (sent.text !== '{}') problems.push(`${sent.text}: an answer of an operation with no output shape`);
      } else {
        walk(output, sent.body, operation, problems, []);
      }
    }
    expect(problems).toEqual([]);
  });

  it('writes every timestamp as Java writes a double: epoch seconds to the millisecond, 1.686509515191E9', () => {
    let walked = 0;
    for (const { operation, sent } of answers) {
      const timestamps: number[] = [];
      const output = service.operations[operation][1];
      if (output !== null) walk(output, sent.body, operation, [], timestamps);
      const written = numberTexts(sent.text, TIMESTAMPS);
      // Each timestamp the walk found is one the text shows, and none other.
      expect(written.map((w) => Number(w.literal))).toEqual(timestamps);
      for (const { member, literal } of written) expect(`${operation} ${member} ${literal}`).toMatch(/ 1\.\d{1,12}E9$/);
      walked += timestamps.length;
    }
    expect(walked).toBeGreaterThan(100);
  });

  it('writes a float member as Java writes a float: 5.0, 33.3, 12.5, 0.0', () => {
    const written = answers.flatMap(({ operation, sent }) => numberTexts(sent.text, FLOATS).map((w) => `${operation} ${w.member} ${w.literal}`));
    expect(written).toEqual([
      'DescribeMapRun toleratedFailurePercentage 5.0',
      'DescribeMapRun toleratedFailurePercentage 33.3',
      'TestState toleratedFailurePercentage 12.5',
      'DescribeMapRun toleratedFailurePercentage 0.0',
      'DescribeMapRun toleratedFailurePercentage 0.0',
    ]);
  });

  it('walks a history of every kind of state, the Map Run\'s and the nested execution\'s', () => {
    const types = new Set(answers.filter((a) => a.operation === 'GetExecutionHistory').flatMap((a) => a.sent.body.events.map((e: { type: string }) => e.type)));
    expect([...types].sort()).toEqual(expect.arrayContaining([
      'ChoiceStateEntered', 'EvaluationFailed', 'ExecutionRedriven', 'FailStateEntered', 'LambdaFunctionFailed', 'LambdaFunctionSucceeded', 'MapIterationSucceeded',
      'MapRunFailed', 'MapRunRedriven', 'MapRunStarted', 'ParallelStateSucceeded', 'TaskFailed', 'TaskSubmitted', 'TaskSucceeded', 'TaskTimedOut', 'WaitStateExited',
    ]));
  });

  it('leaves a number inside a string as sent, whatever the member it is under', () => {
    const described = answers.filter((a) => a.operation === 'DescribeExecution' && a.sent.body.name === 'running');
    expect(described.length).toBeGreaterThan(0);
    for (const { sent } of described) {
      expect(sent.body.input).toBe(INPUT);
      expect(sent.text).toContain(JSON.stringify(INPUT));
    }
  });

  it('reads back through @aws-sdk/client-sfn as the same instants', async () => {
    const listed = answers.find((a) => a.operation === 'ListExecutions')!;
    const first = listed.sent.body.executions[0];
    const viaSdk = await env.sfn.send(new ListExecutionsCommand({ stateMachineArn: first.stateMachineArn }));
    const same = viaSdk.executions!.find((e) => e.executionArn === first.executionArn)!;
    expect(same.startDate!.getTime()).toBe(Math.round(first.startDate * 1000));
    const described = await env.sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(described.startDate!.getTime()).toBe(Math.round(first.startDate * 1000));
    const mapRun = answers.find((a) => a.operation === 'DescribeMapRun' && a.sent.text.includes('"toleratedFailurePercentage":33.3'))!.sent.body;
    // The float's text, 33.3, is the number the SDK reads.
    const run = await env.sfn.send(new DescribeMapRunCommand({ mapRunArn: mapRun.mapRunArn }));
    expect({ percentage: run.toleratedFailurePercentage, start: run.startDate!.getTime() })
      .toEqual({ percentage: 33.3, start: Math.round(mapRun.startDate * 1000) });
  });

  it('answers each refusal with __type, its words under the member AWS writes, its error shape\'s members, and its headers', () => {
    expect(errors.map((e) => e.sent.body.__type.split('#')[1])).toEqual([
      'ExecutionDoesNotExist', 'InvalidArn', 'ValidationException', 'SerializationException', 'TooManyTags', 'InvalidToken', 'StateMachineAlreadyExists',
    ]);
    for (const { sent } of errors) {
      const type = String(sent.body.__type).split('#')[1];
      const framework = String(sent.body.__type).startsWith('com.amazon.coral.service#');
      const words = framework && type === 'SerializationException' ? 'Message' : 'message';
      const allowed = new Set(['__type', words, ...ERROR_MEMBERS[type] ?? []]);
      expect({ type, extra: Object.keys(sent.body).filter((m) => !allowed.has(m)) }).toEqual({ type, extra: [] });
      expect(typeof sent.body[words]).toBe('string');
      // The framework's long form: the name, then its namespace as a URI (error-shapes.test.ts).
      expect(sent.headers['x-amzn-errortype']).toBe(`${type}:http://internal.amazon.com/coral/${String(sent.body.__type).split('#')[0]}/`);
      expect(sent.headers['x-amzn-requestid']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(sent.headers['content-type']).toBe('application/x-amz-json-1.0');
      expect(sent.status).toBe(400);
    }
    for (const { sent } of answers) expect(sent.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('serve: numbers in Java\'s form', () => {
  it.each([
    [1_686_509_515.191, '1.686509515191E9'], [1_796_042_474, '1.796042474E9'], [1_700_000_000.5, '1.7000000005E9'], [1e7, '1.0E7'],
    [9_999_999.5, '9999999.5'], [100, '100.0'], [0.5, '0.5'], [0.001, '0.001'], [0.0001, '1.0E-4'], [0, '0.0'], [-1.5e9, '-1.5E9'],
  ])('writes the double %p as %s, as Double.toString does', (value, text) => {
    expect(javaDouble(value)).toBe(text);
  });

  it.each([
    [5, '5.0'], [33.3, '33.3'], [12.5, '12.5'], [100, '100.0'], [0, '0.0'], [0.1, '0.1'], [1e-4, '1.0E-4'], [99.99999, '99.99999'], [100.0000001, '100.0'],
  ])('writes the float %p as %s, as Float.toString does', (value, text) => {
    expect(javaFloat(value)).toBe(text);
  });

  it.each([
    [2 ** 63, '9223372036854775807'], [1e20, '9223372036854775807'], [-(2 ** 63), '-9223372036854775808'],
    [2 ** 53 + 2, '9007199254740994'], [2 ** 62, '4611686018427387904'], [5, '5'], [-0, '0'],
  ])('writes the long %p as %s, as Long.toString does, never past Long.MAX_VALUE', (value, text) => {
    expect(javaLong(value)).toBe(text);
  });

  it('writes an answer\'s long members in all their digits: UpdateMapRun\'s toleratedFailureCount of Long.MAX_VALUE read back', () => {
    // JSON.parse reads 9223372036854775807 as 2^63, which JavaScript writes as 9223372036854776000: past any 64-bit integer.
    const described = JSON.parse('{"toleratedFailureCount":9223372036854775807,"itemCounts":{"total":18014398509481984,"pending":3}}');
    expect(answerJson(described)).toBe('{"toleratedFailureCount":9223372036854775807,"itemCounts":{"total":18014398509481984,"pending":3}}');
  });
});
