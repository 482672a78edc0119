import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as sdk from '@aws-sdk/client-sfn';
import {
  CreateActivityCommand, CreateStateMachineAliasCommand, CreateStateMachineCommand, DescribeActivityCommand, DescribeExecutionCommand,
  DescribeStateMachineAliasCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand, InvalidToken, ListStateMachinesCommand,
  ListTagsForResourceCommand, PublishStateMachineVersionCommand, SendTaskSuccessCommand, StartExecutionCommand, TagResourceCommand,
  UntagResourceCommand, ValidationException, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, errorMessage, errorTypeOf, PASS, pour, raw, refusal, ROLE, serve, until } from './helpers';
import { Door } from '../../src/server/door';
import { createHandler } from '../../src/server/http';
import { OPERATIONS } from '../../src/server/operations';
import type { StepFunctionsService } from '../../src/server/service';

/** Names that are properties of every plain object: a lookup in one finds them where a Map finds nothing. */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'valueOf', 'toString', 'hasOwnProperty'];

const TARGET = 'AWSStepFunctions.';

describe('serve: dispatch on the closed set of operations', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve(); });
  afterAll(() => env.stop());

  it('answers exactly the operations @aws-sdk/client-sfn has a command for', () => {
    const commands = Object.keys(sdk).filter((k) => /^[A-Z]\w*Command$/.test(k)).map((k) => k.slice(0, -'Command'.length));
    expect([...OPERATIONS.keys()].sort()).toEqual(commands.sort());
  });

  it.each([...PROTOTYPE_NAMES, '__lookupGetter__', '__defineGetter__', 'isPrototypeOf', 'toLocaleString'])(
    'answers X-Amz-Target AWSStepFunctions.%s with UnknownOperationException, and goes on answering', async (name) => {
      const answer = await raw(env.server.endpoint, { target: `${TARGET}${name}`, body: '{"a":1}' });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
      expect(errorTypeOf(answer.headers)).toBe('UnknownOperationException');
      await expect(env.sfn.send(new ListStateMachinesCommand({}))).resolves.toMatchObject({ stateMachines: expect.any(Array) });
    });

  it.each([
    ['no X-Amz-Target', { body: '{}' }, 400, 'com.amazon.coral.service#UnknownOperationException', 'none'],
    ['a target of another service', { target: 'DynamoDB_20120810.ListTables', body: '{}' }, 400, 'com.amazon.coral.service#UnknownOperationException', 'words'],
    ['a body that is not JSON', { target: `${TARGET}ListStateMachines`, body: '{"maxResults":' }, 400, 'com.amazon.coral.service#SerializationException', 'none'],
    ['a JSON array for a body', { target: `${TARGET}ListStateMachines`, body: '[]' }, 400, 'com.amazon.coral.service#SerializationException', 'words'],
    ['a JSON null for a body', { target: `${TARGET}ListStateMachines`, body: 'null' }, 400, 'com.amazon.coral.service#SerializationException', 'words'],
    // AWS's JSON services read the body before the target (dynalite's and kinesalite's suites,
    // recorded against AWS: a body that is not JSON is SerializationException whatever the target).
    ['an unknown operation with a body that is not JSON', { target: `${TARGET}`, body: '!' }, 400, 'com.amazon.coral.service#SerializationException', 'none'],
    ['no X-Amz-Target with a body that is not JSON', { body: '{"a":' }, 400, 'com.amazon.coral.service#SerializationException', 'none'],
    ['an unknown operation with a JSON array for a body', { target: `${TARGET}Nope`, body: '[]' }, 400, 'com.amazon.coral.service#SerializationException', 'words'],
    ['an unknown operation with an empty body', { target: `${TARGET}Nope`, body: '' }, 400, 'com.amazon.coral.service#UnknownOperationException', 'none'],
    // An empty body is no JSON object: SerializationException once the operation is known (recorded the same).
    ['an empty body', { target: `${TARGET}ListStateMachines`, body: '' }, 400, 'com.amazon.coral.service#SerializationException', 'none'],
    ['a body of white space', { target: `${TARGET}ListActivities`, body: ' \n' }, 400, 'com.amazon.coral.service#SerializationException', 'none'],
    // Read as sent: Smithy's requestCompression trait marks the operations a service takes a compressed body for, and Step Functions' model marks none.
    ['a gzip-compressed body', { target: `${TARGET}ListStateMachines`, body: gzipSync('{}'), headers: { 'content-encoding': 'gzip' } }, 400, 'com.amazon.coral.service#SerializationException', 'none'],
    ['a body over 4 MiB', { target: `${TARGET}ListStateMachines`, body: `{"x":"${'a'.repeat(4 * 1024 * 1024)}"}` }, 400, 'com.amazonaws.swf.service.v2.model#ValidationException', 'words'],
  ])('refuses %s with %s', async (_what, request, status, type, words) => {
    const answer = await raw(env.server.endpoint, request);
    expect(answer.status).toBe(status);
    expect(answer.body.__type).toBe(type);
    // AWS's framework answers a body it cannot read and a target it does not know with the type
    // alone (dynalite's and kinesalite's suites, test/connection.js): serve's explanation is its log's.
    if (words === 'none') expect(answer.body).toEqual({ __type: type });
    else expect(typeof errorMessage(answer.body)).toBe('string');
  });

  it.each([
    ['a body that is not JSON', { target: `${TARGET}ListStateMachines`, body: '{"maxResults":' }, 'advice: ListStateMachines: the request body is not valid JSON'],
    ['an empty body', { target: `${TARGET}ListStateMachines`, body: '' }, 'advice: ListStateMachines: the request body is empty'],
    ['no X-Amz-Target', { body: '{}' }, 'advice: request: the X-Amz-Target header \'\' is missing or not Step Functions\''],
    ['an unknown operation', { target: `${TARGET}Nope`, body: '{}' }, 'advice: Nope: X-Amz-Target names no operation of Step Functions: \'Nope\''],
  ])('answers %s with the type alone, as AWS does, and explains it on serve\'s log', async (_what, request, line) => {
    const before = env.logs.length;
    const answer = await raw(env.server.endpoint, request);
    expect(Object.keys(answer.body)).toEqual(['__type']);
    expect(env.logs.slice(before).filter((l) => l.startsWith('advice:'))).toEqual([expect.stringContaining(line)]);
  });

  // AWS's JSON 1.0 services answer a request no protocol claims (any method but POST, a body whose
  // Content-Type is not JSON's) with 404, this body and no Content-Type (recorded in dynalite's and
  // kinesalite's suites).
  it.each([
    ['a GET', { target: `${TARGET}ListStateMachines`, method: 'GET', body: '' }],
    ['a GET with no target', { method: 'GET', body: '' }],
    ['a PUT with a JSON body', { target: `${TARGET}ListStateMachines`, method: 'PUT', body: '{}' }],
    ['a DELETE', { target: `${TARGET}DeleteActivity`, method: 'DELETE', body: '' }],
    ['a body sent as text/plain', { target: `${TARGET}ListStateMachines`, body: '{}', headers: { 'content-type': 'text/plain' } }],
    ['a body sent as a form, as curl sends one', { target: `${TARGET}ListStateMachines`, body: '{}', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
    ['a body with an empty Content-Type', { target: `${TARGET}ListStateMachines`, body: '{}', headers: { 'content-type': '' } }],
    ['a body sent as JSON 1.1', { target: `${TARGET}ListStateMachines`, body: '{}', headers: { 'content-type': 'application/x-amz-json-1.1' } }],
    ['a body that is not JSON sent as text/plain to no operation', { target: `${TARGET}Nope`, body: '!', headers: { 'content-type': 'text/plain' } }],
    // The model's protocols are ['json'] only: no SDK speaks Smithy's RPC v2 CBOR to Step Functions.
    ['an RPC v2 CBOR request', { method: 'POST', body: Buffer.from([0xa0]), headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' } }],
  ])('answers %s with 404 <UnknownOperationException/> and no Content-Type, as AWS does', async (_what, request) => {
    const answer = await raw(env.server.endpoint, request);
    expect({ status: answer.status, body: answer.body, type: answer.headers['content-type'] }).toEqual({ status: 404, body: '<UnknownOperationException/>\n', type: undefined });
    expect(answer.headers['x-amzn-requestid']).toEqual(expect.any(String));
  });

  it.each([
    ['application/json', 'application/json'],
    ['application/x-amz-json-1.0; charset=utf-8', 'application/x-amz-json-1.0'],
    ['Application/X-Amz-Json-1.0', 'application/x-amz-json-1.0'],
  ])('reads a body sent as %s, and answers as %s', async (sent, answered) => {
    const answer = await raw(env.server.endpoint, { target: `${TARGET}ListActivities`, body: '{"maxResults":1}', headers: { 'content-type': sent } });
    expect({ status: answer.status, type: answer.headers['content-type'], activities: answer.body.activities }).toEqual({ status: 200, type: answered, activities: expect.any(Array) });
  });

  it('reads an empty body whatever its Content-Type, and refuses it as a body that is no JSON object', async () => {
    const answer = await raw(env.server.endpoint, { target: `${TARGET}ListActivities`, body: '', headers: { 'content-type': 'text/plain' } });
    expect({ status: answer.status, type: answer.body.__type }).toEqual({ status: 400, type: 'com.amazon.coral.service#SerializationException' });
  });

  /*
   * A body's arrays and objects nested past the depth AWS's JSON reader reads (Jackson's default of
   * 1,000 levels, MAX_JSON_DEPTH): 2 MB of brackets cost JSON.parse and the reader of repeated
   * members seconds of CPU a request. Refused before either reads it, whatever member holds them.
   */
  it.each([
    ['a member the model does not have', (deep: string) => `{"stateMachineArn":"a","notAMember":${deep}}`],
    ['a string member', (deep: string) => `{"stateMachineArn":"a","input":${deep}}`],
    ['a member sent twice', (deep: string) => `{"stateMachineArn":"a","x":1,"x":${deep}}`],
  ])('refuses arrays and objects nested past 1,000 levels in %s as SerializationException, naming the depth', async (_where, body) => {
    const deep = (levels: number) => `${'[{"k":'.repeat(levels / 2)}1${'}]'.repeat(levels / 2)}`;
    const answer = await raw(env.server.endpoint, { target: `${TARGET}StartExecution`, body: body(deep(1_000_000)) });
    expect({ status: answer.status, type: answer.body.__type, message: answer.body.Message }).toEqual({
      status: 400,
      type: 'com.amazon.coral.service#SerializationException',
      message: 'The request body nests arrays and objects deeper than 1000 levels, the most AWS\'s JSON reader reads: send a body nested less deeply',
    });
    // The body's own object is the first level, and brackets inside a string are not levels: 1,000 levels are read, 1,001 are not.
    const nested = (levels: number) => `{"stateMachineArn":"a","notAMember":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)},"x":"${'[{'.repeat(5000)}"}`;
    const within = await raw(env.server.endpoint, { target: `${TARGET}StartExecution`, body: nested(1000) });
    expect(within.body.__type).toBe('com.amazonaws.swf.service.v2.model#InvalidArn');
    const past = await raw(env.server.endpoint, { target: `${TARGET}StartExecution`, body: nested(1001) });
    expect(past.body.__type).toBe('com.amazon.coral.service#SerializationException');
  });

  const TOO_LARGE = 4 * 1024 * 1024;
  const head = (port: string, more: string) => `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: ${TARGET}ListActivities\r\n${more}`;

  it('refuses a chunked body as soon as it passes 4 MiB and closes its connection, rather than reading a body that never ends', async () => {
    const port = new URL(env.server.endpoint).port;
    const poured = await pour(env.server.endpoint, head(port, 'Transfer-Encoding: chunked'), 64 * TOO_LARGE);
    expect(poured.answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(poured.answer).toContain(`The request body exceeds ${TOO_LARGE} bytes`);
    expect(poured.sent).toBeLessThan(16 * TOO_LARGE);
    expect(poured.closed).toBe(true);
    await expect(env.sfn.send(new ListStateMachinesCommand({}))).resolves.toMatchObject({ stateMachines: expect.any(Array) });
  });

  it('refuses a body whose Content-Length passes 4 MiB before reading it', async () => {
    const port = new URL(env.server.endpoint).port;
    const poured = await pour(env.server.endpoint, head(port, `Content-Length: ${64 * TOO_LARGE}`), 64 * TOO_LARGE);
    expect(poured.answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(poured.answer).toContain(`The request body exceeds ${TOO_LARGE} bytes`);
    expect(poured.sent).toBeLessThan(16 * TOO_LARGE);
    expect(poured.closed).toBe(true);
  });

  it('answers a text/plain body whose Content-Length passes 4 MiB as a request no protocol claims, at once', async () => {
    const port = new URL(env.server.endpoint).port;
    const plain = `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: text/plain\r\nX-Amz-Target: ${TARGET}ListActivities\r\nContent-Length: ${64 * TOO_LARGE}`;
    const poured = await pour(env.server.endpoint, plain, 64 * TOO_LARGE);
    expect(poured.answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(poured.answer).toContain('<UnknownOperationException/>');
    expect(poured.sent).toBeLessThan(16 * TOO_LARGE);
    expect(poured.closed).toBe(true);
  });

  it('refuses a request that gives both Content-Length and Transfer-Encoding (request smuggling) with 400 and closes its connection', async () => {
    const port = new URL(env.server.endpoint).port;
    const poured = await pour(env.server.endpoint, head(port, 'Content-Length: 2\r\nTransfer-Encoding: chunked'), 64 * TOO_LARGE);
    expect(poured.answer).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(poured.sent).toBeLessThan(16 * TOO_LARGE);
    expect(poured.closed).toBe(true);
  });

  it('goes on answering after a client hangs up in the middle of its body', async () => {
    const url = new URL(env.server.endpoint);
    await new Promise<void>((resolve) => {
      const req = http.request({ host: url.hostname, port: url.port, method: 'POST', headers: { 'x-amz-target': `${TARGET}ListStateMachines`, 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"maxResults":', () => { req.destroy(); resolve(); });
    });
    await expect(env.sfn.send(new ListStateMachinesCommand({}))).resolves.toMatchObject({ stateMachines: expect.any(Array) });
  });
});

describe('serve: an operation that fails inside', () => {
  /** A server whose one operation does what `fail` does, with its log lines. */
  async function failing(fail: () => unknown): Promise<{ endpoint: string; logs: string[]; close(): Promise<void> }> {
    const logs: string[] = [];
    const service = { knows: () => true, call: () => fail() } as unknown as StepFunctionsService;
    const server = http.createServer(createHandler(service, new Door(undefined), undefined, (l) => logs.push(l)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { endpoint: `http://127.0.0.1:${port}`, logs, close: () => new Promise((r) => server.close(() => r())) };
  }

  it.each([
    ['throws', () => { throw new TypeError("Cannot read properties of null (reading 'key')"); }, "Cannot read properties of null (reading 'key')"],
    ['rejects', () => Promise.reject(new RangeError('Maximum call stack size exceeded')), 'Maximum call stack size exceeded'],
    ['answers a value JSON cannot write (a BigInt)', () => Promise.resolve({ n: 1n }), 'BigInt'],
    ['answers a cycle', () => { const o: Record<string, unknown> = {}; o.self = o; return Promise.resolve(o); }, 'circular'],
    ['answers nothing', () => Promise.resolve(undefined), 'not a JSON value'],
    ['fails on the file system', () => fs.promises.readFile(path.join(os.tmpdir(), 'stepwright-no-such-dir', 'journal.jsonl')), 'ENOENT in open'],
  ])('that %s is answered as AWS answers a fault: 500 InternalFailure, one log line, and the server answers on', async (_what, fail, words) => {
    const server = await failing(fail);
    try {
      const answer = await raw(server.endpoint, { target: `${TARGET}ListStateMachines` });
      expect(answer.status).toBe(500);
      expect(answer.body.__type).toBe('com.amazon.coral.service#InternalFailure');
      expect(errorMessage(answer.body)).toContain(words);
      expect(errorTypeOf(answer.headers)).toBe('InternalFailure');
      expect(server.logs).toHaveLength(1);
      expect(server.logs[0]).toMatch(/^internal error in ListStateMachines: /);
      // Never a path of the machine in an answer: a file's name is the operator's, in the log.
      expect(JSON.stringify(answer.body)).not.toContain('stepwright-no-such-dir');
      if (words.startsWith('ENOENT')) expect(server.logs[0]).toContain(path.join(os.tmpdir(), 'stepwright-no-such-dir', 'journal.jsonl'));
      const again = await raw(server.endpoint, { target: `${TARGET}ListStateMachines` });
      expect(again.status).toBe(500);
      expect(server.logs).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('is reported to the SDK as a server fault, which it can retry', async () => {
    const server = await failing(() => { throw new Error('boom'); });
    const client = new sdk.SFNClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      const e = await refusal(client.send(new ListStateMachinesCommand({})));
      expect(e.$fault).toBe('server');
      expect(e.$metadata.httpStatusCode).toBe(500);
    } finally {
      client.destroy();
      await server.close();
    }
  });

  it('escapes the control characters of the operation it names in its log line', async () => {
    const server = await failing(() => { throw new Error('boom'); });
    try {
      await raw(server.endpoint, { target: `${TARGET}List\u0085States` });
      const [named] = server.logs[0].split(': ');
      expect(named).toMatch(/^internal error in List(\\u00[0-9a-f]{2})+States$/);
    } finally {
      await server.close();
    }
  });
});

describe('serve: its log lines', () => {
  it('escapes the control characters of a state\'s name and a handler\'s error, so that a client cannot drive the terminal', async () => {
    const resource = 'arn:aws:lambda:us-east-1:123456789012:function:charge';
    // Sets the terminal's title (OSC), then clears the screen and turns the text red (CSI).
    const name = 'Charge\u001b]0;owned\u0007\u001b[2J';
    const env = await serve({ handlers: { [resource]: () => { throw new Error('declined \u001b[31mred\u009b0m'); } } });
    try {
      const definition = asl({ StartAt: name, States: { [name]: { Type: 'Task', Resource: resource, End: true } } });
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'log-lines', definition, roleArn: ROLE }));
      await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      const line = await until(async () => env.logs.find((l) => l.startsWith('handler for Task')), (l) => l !== undefined);
      expect(line).toContain("handler for Task 'Charge\\u001b]0;owned\\u0007\\u001b[2J' threw Error: declined \\u001b[31mred\\u009b0m");
      expect(env.logs.join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    } finally {
      await env.stop();
    }
  });
});

describe('serve: names and keys that are properties of Object.prototype', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let sfn: SFNClient;
  beforeAll(async () => {
    env = await serve();
    sfn = env.sfn;
  });
  afterAll(() => env.stop());

  it.each(PROTOTYPE_NAMES)('keeps a state machine named %s, lists it, and runs an execution of the same name', async (name) => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE }));
    expect(stateMachineArn).toBe(`arn:aws:states:us-east-1:123456789012:stateMachine:${name}`);
    expect((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).name).toBe(name);
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines!.filter((m) => m.name === name)).toHaveLength(1);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: '{"__proto__":{"polluted":true}}' }));
    const done = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(done).toMatchObject({ name, status: 'SUCCEEDED', output: '{"ok":true}' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not answer for a state machine that does not exist under a prototype name', async () => {
    const e = await refusal(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:isPrototypeOf' })));
    expect(e.name).toBe('StateMachineDoesNotExist');
  });

  it('tags a state machine with keys named like prototype properties, lists exactly those and removes them', async () => {
    const { stateMachineArn: resourceArn } = await sfn.send(new CreateStateMachineCommand({ name: 'tagged', definition: PASS, roleArn: ROLE }));
    const tags = PROTOTYPE_NAMES.map((key, i) => ({ key, value: `v${i}` }));
    await sfn.send(new TagResourceCommand({ resourceArn, tags }));
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual(tags);
    await sfn.send(new UntagResourceCommand({ resourceArn, tagKeys: ['__proto__', 'valueOf'] }));
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn }))).tags!.map((t) => t.key)).toEqual(['constructor', 'toString', 'hasOwnProperty']);
  });

  it.each(PROTOTYPE_NAMES)('keeps an alias named %s and starts executions through it', async (name) => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: `aliased-${name}`, definition: PASS, roleArn: ROLE }));
    const { stateMachineVersionArn } = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn }));
    const routingConfiguration = [{ stateMachineVersionArn, weight: 100 }];
    const { stateMachineAliasArn } = await sfn.send(new CreateStateMachineAliasCommand({ name, routingConfiguration }));
    expect(stateMachineAliasArn).toBe(`${stateMachineArn}:${name}`);
    expect((await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn }))).name).toBe(name);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineAliasArn }));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).stateMachineAliasArn).toBe(stateMachineAliasArn);
  });

  it('does not find an alias that was never created under a prototype name', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'no-aliases', definition: PASS, roleArn: ROLE }));
    const e = await refusal(sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}:toString` })));
    expect(e.name).toBe('StateMachineDoesNotExist');
  });

  it.each(PROTOTYPE_NAMES)('keeps an activity named %s', async (name) => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name }));
    expect((await sfn.send(new DescribeActivityCommand({ activityArn }))).name).toBe(name);
  });

  it.each(PROTOTYPE_NAMES)('refuses the task token %s as InvalidToken', async (taskToken) => {
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
  });

  it.each(PROTOTYPE_NAMES)('refuses a MockConfigFile test case named %s that the file does not have', async (testCase) => {
    const mocked = await serve({ mockConfig: { StateMachines: { m: { TestCases: { Happy: {} } } }, MockedResponses: {} } });
    try {
      const { stateMachineArn } = await mocked.sfn.send(new CreateStateMachineCommand({ name: 'm', definition: PASS, roleArn: ROLE }));
      const e = await refusal(mocked.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#${testCase}` })));
      expect(e).toBeInstanceOf(ValidationException);
      expect(e.message).toContain(`no test case '${testCase}'`);
    } finally {
      await mocked.stop();
    }
  });

  it('answers a Task state named like a prototype property only with its own handler', async () => {
    const handlers: Record<string, () => unknown> = Object.create(null) as Record<string, () => unknown>;
    handlers.__proto__ = () => ({ answered: '__proto__' });
    const served = await serve({ handlers: handlers as never });
    try {
      const task = (name: string) => asl({ StartAt: name, States: { [name]: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true } } });
      const run = async (name: string) => {
        const created = new CreateStateMachineCommand({ name: `task-${name.replace(/_/g, 'u')}`, definition: task(name), roleArn: ROLE });
        const { stateMachineArn } = await served.sfn.send(created);
        const { executionArn } = await served.sfn.send(new StartExecutionCommand({ stateMachineArn }));
        return until(() => served.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      };
      expect(await run('__proto__')).toMatchObject({ status: 'SUCCEEDED', output: '{"answered":"__proto__"}' });
      // Object.prototype.constructor is a function: found by a plain lookup, it would have been called as the handler.
      expect(await run('constructor')).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    } finally {
      await served.stop();
    }
  });

  it.each([
    ['a negative offset', { l: 'machines', o: -1 }],
    ['a fractional offset', { l: 'machines', o: 0.5 }],
    ['an offset past the largest safe integer', { l: 'machines', o: 2 ** 60 }],
    ['an offset that is not a number', { l: 'machines', o: '1' }],
    ['no listing', { o: 1 }],
    ['another listing', { l: 'activities', o: 1 }],
  ])('refuses a page token forged with %s as InvalidToken', async (_what, token) => {
    const nextToken = Buffer.from(JSON.stringify(token)).toString('base64');
    await expect(sfn.send(new ListStateMachinesCommand({ nextToken }))).rejects.toBeInstanceOf(InvalidToken);
  });

  it.each([
    ['a character added', (t: string) => `${t}x`],
    ['its padding dropped', (t: string) => t.replace(/=+$/, '')],
    ['a space inside', (t: string) => `${t.slice(0, 4)} ${t.slice(4)}`],
    ['base64url\'s alphabet', (t: string) => `${t.replace(/=+$/, '')}-_`],
  ])('refuses an issued page token with %s as InvalidToken, through the SDK and as raw HTTP', async (_what, spoil) => {
    for (const name of ['paged-a', 'paged-b']) await sfn.send(new CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE })).catch(() => undefined);
    const { nextToken } = await sfn.send(new ListStateMachinesCommand({ maxResults: 1 }));
    expect(nextToken).toBeDefined();
    // The token as issued pages on.
    await expect(sfn.send(new ListStateMachinesCommand({ nextToken }))).resolves.toHaveProperty('stateMachines');
    const e = await sfn.send(new ListStateMachinesCommand({ nextToken: spoil(nextToken!) })).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidToken);
    const answer = await raw(env.server.endpoint, { target: `${TARGET}ListStateMachines`, body: JSON.stringify({ nextToken: spoil(nextToken!) }) });
    expect(answer.body).toEqual({ __type: 'com.amazonaws.swf.service.v2.model#InvalidToken', message: "Invalid Token: 'Invalid token'" });
  });

  it('pages on with the tokens it issued', async () => {
    const first = await sfn.send(new ListStateMachinesCommand({ maxResults: 2 }));
    const second = await sfn.send(new ListStateMachinesCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect(second.stateMachines!.map((m) => m.name)).not.toContain(first.stateMachines![0].name);
  });

  // Found by the HTTP fuzzer: String() of a client's object with a member named toString threw, a 500.
  it.each([
    ['a version ARN that is an object with a toString member', [{ stateMachineVersionArn: { toString: 5 }, weight: 100 }]],
    ['three routes, one an object with a valueOf member', [{ valueOf: 1 }, { toString: 'x' }, { stateMachineVersionArn: { valueOf: 2 }, weight: { toString: 3 } }]],
  ])('refuses a routing configuration with %s as a client error', async (_what, routingConfiguration) => {
    const answer = await raw(env.server.endpoint, { target: `${TARGET}CreateStateMachineAlias`, body: JSON.stringify({ name: 'routed', routingConfiguration }) });
    expect(answer.status).toBe(400);
    // An object where the model has a string is refused while the body is read, before any check.
    expect(answer.body).toEqual({ __type: 'com.amazon.coral.service#SerializationException', Message: 'Start of structure or map found where not expected' });
  });

  it('reads an execution history whose events carry prototype names', async () => {
    // As JSON text: in an object literal, `__proto__:` would set the prototype rather than name a state.
    const definition = '{"StartAt":"constructor","States":{"constructor":{"Type":"Pass","Next":"__proto__"},"__proto__":{"Type":"Succeed"}}}';
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'proto-states', definition, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status === 'SUCCEEDED');
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails!.name)).toEqual(['constructor', '__proto__']);
  });
});

describe('serve: a definition nested deeper than a parser\'s stack', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeEach(async () => { env = await serve(); });
  afterEach(() => env.stop());

  it('refuses intrinsic calls nested 20,000 deep as InvalidDefinition, not an internal error, and answers on', async () => {
    const nested = `${'States.Array('.repeat(20_000)}1${')'.repeat(20_000)}`;
    const definition = asl({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'x.$': nested }, End: true } } });
    const refused = await refusal(env.sfn.send(new CreateStateMachineCommand({ name: 'deep', definition, roleArn: ROLE })));
    expect(refused.name).toBe('InvalidDefinition');
    // In AWS's words for a field that is not a valid intrinsic call, naming it, located at its Parameters as AWS does.
    expect(refused.message).toContain("The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call at /States/P/Parameters'");
    expect(env.logs.filter((l) => l.startsWith('internal error'))).toEqual([]);
    expect((await env.sfn.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
  });
});

describe('serve: a number out of range (1e999), which JSON.parse reads as Infinity', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let stateMachineArn: string;
  beforeAll(async () => {
    env = await serve();
    ({ stateMachineArn } = await env.sfn.send(new sdk.CreateStateMachineCommand({ name: 'ranges', definition: PASS, roleArn: ROLE })) as { stateMachineArn: string });
  });
  afterAll(() => env.stop());

  it('refuses StartExecution of an input holding one as a number out of range, never "the number Infinity"', async () => {
    const e = await env.sfn.send(new sdk.StartExecutionCommand({ stateMachineArn, input: '{"amount":1e999}' })).then(() => new Error('started'), (x: unknown) => x as Error);
    expect(e).toBeInstanceOf(sdk.InvalidExecutionInput);
    expect(e.message).toBe("Invalid State Machine Execution Input: 'a number out of range at $.amount: JSON numbers are read as doubles, "
      + `at most ±${Number.MAX_VALUE} (it reads as Infinity)'`);
    expect(e.message).not.toContain('the number Infinity');
  });

  it('refuses TestState of such an input in the same words', async () => {
    const e = await env.sfn.send(new sdk.TestStateCommand({ definition: asl({ Type: 'Pass', End: true }), roleArn: ROLE, input: '[-1e999]' })).then(() => new Error('tested'), (x: unknown) => x as Error);
    expect(e.message).toContain('a number out of range at $[0]: JSON numbers are read as doubles');
    expect(e.message).toContain('(it reads as -Infinity)');
  });

  it('reads an integer member given a number out of range as Java\'s largest int, not the null JSON would print', async () => {
    const answer = await raw(env.server.endpoint, { target: `${TARGET}ListExecutions`, body: `{"stateMachineArn":"${stateMachineArn}","maxResults":1e999}` });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      __type: 'com.amazon.coral.validate#ValidationException',
      message: "1 validation error detected: Value '2147483647' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    });
  });
});
