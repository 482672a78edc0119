import * as http from 'node:http';
import { CreateStateMachineCommand, ListExecutionsCommand, ListStateMachinesCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { errorMessage, PASS, ROLE, serve, streams, until, errorTypeOf } from './helpers';
import { sfnModelsExtract } from './sfn-models-extract';
import { serveCommand } from '../../src/cli/serve-command';
import { AllowHostError, client, startServer } from '../../src/server';
import { Door } from '../../src/server/door';

const TARGET = 'AWSStepFunctions.';

/** A raw request to 127.0.0.1:<port> with exactly these headers (Host and Origin too). */
function send(port: number, headers: Record<string, string>, target = 'ListStateMachines', body = '{}'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/',
      setHost: false,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${TARGET}${target}`, ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('serve: the door refuses a foreign Host or Origin', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let port: number;
  let machineArn: string;
  beforeAll(async () => {
    env = await serve();
    port = env.server.port;
    ({ stateMachineArn: machineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'door', definition: PASS, roleArn: ROLE })) as { stateMachineArn: string });
  });
  afterAll(() => env.stop());

  it('answers a DNS-rebinding Host (rebind.evil.example:<port>) with 403 AccessDeniedException naming the Host and the way to allow it', async () => {
    const answer = await send(port, { host: `rebind.evil.example:${port}` });
    expect(answer.status).toBe(403);
    expect(errorTypeOf(answer.headers)).toBe('AccessDeniedException');
    expect(answer.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(answer.body.__type).toBe('com.amazon.coral.service#AccessDeniedException');
    expect(errorMessage(answer.body)).toContain(`Host 'rebind.evil.example:${port}' is not a loopback name`);
    expect(errorMessage(answer.body)).toContain('--allow-host <name>');
  });

  it('starts no execution for a StartExecution from a foreign Host or Origin', async () => {
    const input = JSON.stringify({ stateMachineArn: machineArn, name: 'from-evil' });
    const byHost = await send(port, { host: `rebind.evil.example:${port}` }, 'StartExecution', input);
    const byOrigin = await send(port, { host: `127.0.0.1:${port}`, origin: 'http://evil.example' }, 'StartExecution', input);
    expect([byHost.status, byOrigin.status]).toEqual([403, 403]);
    expect(errorMessage(byOrigin.body)).toContain("Origin 'http://evil.example' is not a loopback origin");
    const { executions } = await env.sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
    expect(executions).toEqual([]);
  });

  it.each([
    ['127.0.0.1 with its port', (p: number) => `127.0.0.1:${p}`],
    ['localhost with its port', (p: number) => `localhost:${p}`],
    ['localhost in capitals', (p: number) => `LOCALHOST:${p}`],
    ['[::1] with its port', (p: number) => `[::1]:${p}`],
    ['[::1] spelled long', (p: number) => `[0:0:0:0:0:0:0:1]:${p}`],
    ['a name under .localhost', (p: number) => `orders.localhost:${p}`],
    ['another 127/8 address', () => '127.0.0.2'],
    ['localhost without a port', () => 'localhost'],
  ])('answers a request whose Host is %s', async (_what, host) => {
    const answer = await send(port, { host: host(port) });
    expect(answer.status).toBe(200);
    expect(answer.body.stateMachines).toEqual(expect.any(Array));
  });

  it.each([
    ['a name that ends in localhost', (p: number) => `evil-localhost:${p}`],
    ['localhost under another name', (p: number) => `localhost.evil.example:${p}`],
    ['127.0.0.1 as a label of another name', (p: number) => `127.0.0.1.nip.io:${p}`],
    ['user info before localhost', (p: number) => `evil.example@localhost:${p}`],
    ['a port out of range', () => 'localhost:99999'],
    ['a fully qualified localhost (a DNS name)', (p: number) => `localhost.:${p}`],
    ['a path after it', (p: number) => `localhost:${p}/x`],
    ['an address of the machine not given as --host', (p: number) => `192.168.1.20:${p}`],
    ['the SDKs\' host prefix before a foreign name', (p: number) => `sync-evil.example:${p}`],
    ['empty', () => ''],
  ])('refuses a request whose Host is %s', async (_what, host) => {
    const answer = await send(port, { host: host(port) });
    expect(answer.status).toBe(403);
    expect(answer.body.__type).toBe('com.amazon.coral.service#AccessDeniedException');
  });

  it.each([
    'http://localhost:3000', 'https://localhost', 'http://127.0.0.1:8080', 'http://[::1]:5173', 'http://app.localhost:3000',
  ])('answers a request with the loopback Origin %s', async (origin) => {
    expect((await send(port, { host: `127.0.0.1:${port}`, origin })).status).toBe(200);
  });

  it.each([
    'http://evil.example', 'null', 'http://localhost.evil.example', 'file://', 'chrome-extension://abcdef', 'http://localhost:3000/path', 'http://evil.example, http://localhost',
  ])('refuses a request with the Origin %s', async (origin) => {
    const answer = await send(port, { host: `localhost:${port}`, origin });
    expect(answer.status).toBe(403);
    expect(errorMessage(answer.body)).toContain('is not a loopback origin');
  });

  it('refuses a request of any method and any operation the same way, the body unread', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: '/', setHost: false, headers: { host: 'rebind.evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer).toBe(403);
    // The server answers on.
    await expect(env.sfn.send(new ListStateMachinesCommand({}))).resolves.toMatchObject({ stateMachines: expect.any(Array) });
  });

  it('keeps @aws-sdk/client-sfn working, on 127.0.0.1 and on localhost, StartExecution included', async () => {
    for (const endpoint of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const sfn = new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn }));
      expect(executionArn).toMatch(/:execution:door:/);
      sfn.destroy();
    }
  });
});

/** A raw request of any method with exactly these headers; the body as text. */
function exchange(port: number, method: string, headers: Record<string, string>, body = ''): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: '/', setHost: false, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * CORS as AWS's JSON 1.0 services answer it (recorded for DynamoDB and Kinesis, dynalite's and
 * kinesalite's suites run against AWS: `Access-Control-Allow-Origin: *` on an answer to a request
 * with an Origin; a preflight 200, empty, echoing the method and headers asked for, max age
 * 172800), for the origins the door lets in: a page of another origin is still refused.
 */
describe('serve: CORS for a page on a loopback origin, as AWS answers it', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let port: number;
  /** The headers @aws-sdk/client-sfn sends, which a browser asks the preflight for. */
  const SDK_HEADERS = 'amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-content-sha256,x-amz-date,x-amz-target,x-amz-user-agent';
  beforeAll(async () => {
    env = await serve();
    port = env.server.port;
  });
  afterAll(() => env.stop());

  it('answers the preflight of a page on a loopback origin with 200, allowing the method and headers it asks for', async () => {
    const answer = await exchange(port, 'OPTIONS', { 'origin': 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': SDK_HEADERS });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': SDK_HEADERS,
      'access-control-max-age': '172800',
      'content-length': '0',
    });
    expect(answer.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses the preflight of a page of another origin with 403 and no CORS header, so its browser sends nothing', async () => {
    const answer = await exchange(port, 'OPTIONS', { 'origin': 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': SDK_HEADERS });
    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('answers an OPTIONS with no Origin as a request no protocol claims, as before', async () => {
    const answer = await exchange(port, 'OPTIONS', {});
    expect(answer.status).toBe(404);
    expect(answer.text).toBe('<UnknownOperationException/>\n');
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('echoes no asked-for header that is not one printable line', async () => {
    const answer = await exchange(port, 'OPTIONS', { 'origin': 'http://127.0.0.1:3000', 'access-control-request-headers': 'x'.repeat(1001) });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-headers']).toBeUndefined();
    expect(answer.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('lets a page read an answer and an error, and gives no CORS header to a request with no Origin', async () => {
    const target = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${TARGET}ListStateMachines` };
    const ok = await exchange(port, 'POST', { ...target, origin: 'http://localhost:5173' }, '{}');
    const refused = await exchange(port, 'POST', { ...target, 'x-amz-target': `${TARGET}DescribeActivity`, 'origin': 'http://localhost:5173' }, '{"activityArn":"arn:aws:states:us-east-1:123456789012:activity:none"}');
    const unclaimed = await exchange(port, 'GET', { origin: 'http://localhost:5173' });
    const sdk = await exchange(port, 'POST', target, '{}');
    expect([ok.status, refused.status, unclaimed.status, sdk.status]).toEqual([200, 400, 404, 200]);
    for (const answer of [ok, refused, unclaimed]) {
      expect(answer.headers['access-control-allow-origin']).toBe('*');
      expect(answer.headers['access-control-expose-headers']).toBe('x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date');
    }
    expect(sdk.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers @aws-sdk/client-sfn sending an Origin with the header that lets its page read the answer', async () => {
    const sfn = client(env.server.endpoint);
    const seen: Array<string | undefined> = [];
    sfn.middlewareStack.add((next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers.origin = 'http://localhost:5173';
      const out = await next(args);
      seen.push((out.response as { headers: Record<string, string> }).headers['access-control-allow-origin']);
      return out;
    }, { step: 'deserialize', priority: 'low' });
    try {
      await sfn.send(new ListStateMachinesCommand({}));
      await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:none' }))).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    } finally {
      sfn.destroy();
    }
    expect(seen).toEqual(['*', '*']);
  });
});

describe('serve: the SDKs\' sync- host prefix, only where the SDKs send it', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let port: number;
  beforeAll(async () => {
    env = await serve({ allowHosts: ['stepwright.internal'] });
    port = env.server.port;
  });
  afterAll(async () => { await env.stop(); });

  it.each(['StartSyncExecution', 'TestState'])('answers %s sent to sync-localhost and to sync-<an allowed name>', async (operation) => {
    for (const host of [`sync-localhost:${port}`, `sync-stepwright.internal:${port}`]) {
      const answer = await send(port, { host }, operation);
      expect({ host, status: answer.status, type: answer.body.__type }).toEqual({ host, status: 400, type: expect.not.stringContaining('AccessDenied') });
    }
  });

  it('refuses every other operation sent to a sync- name: sync-example.com is not example.com\'s to allow', async () => {
    for (const host of [`sync-localhost:${port}`, `sync-stepwright.internal:${port}`]) {
      const answer = await send(port, { host }, 'ListStateMachines');
      expect({ host, status: answer.status, type: answer.body.__type }).toEqual({ host, status: 403, type: 'com.amazon.coral.service#AccessDeniedException' });
    }
  });

  it('refuses StartSyncExecution to a sync- name from a request with an Origin (a page, not an SDK)', async () => {
    const answer = await send(port, { host: `sync-stepwright.internal:${port}`, origin: 'http://sync-stepwright.internal' }, 'StartSyncExecution');
    expect(answer.status).toBe(403);
    expect(errorMessage(answer.body)).toContain('is not a loopback name');
  });

  it('refuses an Origin on a sync- name, even beside a loopback Host', async () => {
    const answer = await send(port, { host: `localhost:${port}`, origin: 'http://sync-stepwright.internal:3000' });
    expect(answer.status).toBe(403);
    expect(errorMessage(answer.body)).toContain('is not a loopback origin');
  });

  it('refuses a GET sent to a sync- name, whatever its X-Amz-Target', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'GET',
        path: '/',
        setHost: false,
        headers: { 'host': `sync-localhost:${port}`, 'x-amz-target': `${TARGET}StartSyncExecution` },
      }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('is taken by the Door only for the two operations, and never with an Origin', () => {
    const door = new Door(undefined, ['stepwright.internal']);
    expect(door.refusal('sync-stepwright.internal:8083', undefined, 'StartSyncExecution')).toBeUndefined();
    expect(door.refusal('sync-localhost:8083', undefined, 'TestState')).toBeUndefined();
    expect(door.refusal('sync-stepwright.internal:8083', undefined, 'StartExecution')).toContain('is not a loopback name');
    expect(door.refusal('sync-localhost:8083', undefined)).toContain('is not a loopback name');
    expect(door.refusal('sync-localhost:8083', 'http://localhost:3000', 'StartSyncExecution')).toContain('is not a loopback name');
  });

  it('is taken for exactly the operations botocore\'s model gives the endpoint trait hostPrefix, with that prefix', () => {
    // The committed extract of botocore's stepfunctions-2016-11-23 ("endpoint":{"hostPrefix":"sync-"}).
    const sfn = sfnModelsExtract().services.sfn;
    const prefixes = sfn.hostPrefixes ?? {};
    expect(prefixes).toEqual({ StartSyncExecution: 'sync-', TestState: 'sync-' });
    const door = new Door(undefined);
    const taken = Object.keys(sfn.operations).filter((op) => door.refusal(`${prefixes[op] ?? 'sync-'}localhost:8083`, undefined, op) === undefined);
    expect(taken).toEqual(Object.keys(prefixes).sort());
    // Another prefix than the model's is a name of its own.
    for (const op of Object.keys(prefixes)) expect(door.refusal('async-localhost:8083', undefined, op)).toContain('is not a loopback name');
  });
});

describe('serve: names allowed with allowHosts (--allow-host)', () => {
  it('answers a Host and an Origin on an allowed name, and still refuses others', async () => {
    const env = await serve({ allowHosts: ['stepwright.internal', '[fd00::20]'] });
    try {
      const port = env.server.port;
      expect((await send(port, { host: `stepwright.internal:${port}` })).status).toBe(200);
      expect((await send(port, { host: `[fd00:0:0:0:0:0:0:20]:${port}` })).status).toBe(200);
      expect((await send(port, { host: `localhost:${port}`, origin: 'http://stepwright.internal:8080' })).status).toBe(200);
      expect((await send(port, { host: `evil.example:${port}` })).status).toBe(403);
    } finally {
      await env.stop();
    }
  });

  it('answers any Host and Origin with *', async () => {
    const env = await serve({ allowHosts: ['*'] });
    try {
      expect((await send(env.server.port, { host: 'rebind.evil.example', origin: 'http://evil.example' })).status).toBe(200);
    } finally {
      await env.stop();
    }
  });

  it('allows the address given as host, and never a wildcard address', () => {
    expect(new Door('192.168.1.20').refusal('192.168.1.20:8083', undefined)).toBeUndefined();
    expect(new Door('0.0.0.0').refusal('0.0.0.0:8083', undefined)).toContain('is not a loopback name');
    expect(new Door('::').refusal('[::]:8083', undefined)).toContain('is not a loopback name');
  });

  it.each(['evil example', 'http://evil.example', '', 'a..b', '-x.example', 'x'.repeat(254)])('refuses to start with allowHosts %j (AllowHostError)', async (name) => {
    await expect(startServer({ port: 0, allowHosts: [name], log: () => undefined })).rejects.toThrow(AllowHostError);
  });

  it('takes --allow-host on the command line and refuses a malformed one with exit 2 naming it', async () => {
    const { io, text } = streams();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => { stop = resolve; });
    const running = serveCommand(['--port', '0', '--allow-host', 'stepwright.internal'], io, stopped, {});
    try {
      const endpoint = await until(async () => text.out.split('\n')[0], (line) => line.startsWith('http://'));
      const port = Number(new URL(endpoint).port);
      expect((await send(port, { host: `stepwright.internal:${port}` })).status).toBe(200);
      expect((await send(port, { host: `evil.example:${port}` })).status).toBe(403);
      const sfn = client(endpoint);
      await expect(sfn.send(new ListStateMachinesCommand({}))).resolves.toMatchObject({ stateMachines: [] });
      sfn.destroy();
    } finally {
      stop();
    }
    expect(await running).toBe(0);
    const bad = streams();
    await expect(serveCommand(['--port', '0', '--allow-host', 'http://x'], bad.io, Promise.resolve(), {}))
      .rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining("--allow-host 'http://x' is not a host name or IP address") });
  });
});
