import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';
import { Workflow } from '../../src/testing';
import { MAX_CALL_SECONDS, MAX_RESPONSE_PAYLOAD } from '../../src/workbench/mocks/endpoints';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:hostile';

/** A Lambda endpoint that answers every call with `answer`; it notes when a caller hangs up. */
async function hostile(answer: (res: http.ServerResponse) => void): Promise<{ url: string; hungUp: Promise<void>; close(): Promise<void> }> {
  let hangUp!: () => void;
  const hungUp = new Promise<void>((resolve) => { hangUp = resolve; });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
    res.on('close', () => hangUp());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hungUp,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

async function run(sfn: SFNClient, definition: object) {
  const name = `m-${Math.random().toString(36).slice(2)}`;
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition: asl(definition), roleArn: ROLE }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
  return until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 30_000);
}

/** Writes a byte now and then, without end, until the caller hangs up (the endpoint's own timer; the test waits on the execution). */
function trickle(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('[');
  const timer = setInterval(() => { if (res.destroyed) clearInterval(timer); else res.write('0,'); }, 20);
  res.on('close', () => clearInterval(timer));
}

const CALL = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: FN, End: true } } };

describe('serve --endpoint lambda=<url>: an endpoint that answers as no Lambda would', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => { for (const c of closers.splice(0)) await c(); });
  const start = async (answer: (res: http.ServerResponse) => void, timeScale?: number) => {
    const endpoint = await hostile(answer);
    const env = await serve({ host: '127.0.0.1', endpoints: { lambda: endpoint.url }, ...(timeScale ? { timeScale } : {}) });
    closers.push(() => env.stop(), () => endpoint.close());
    return { ...env, endpoint };
  };

  it('fails the Task with Lambda\'s Function.ResponseSizeTooLarge when the answer runs on without end, reading no more than Lambda lets through', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const { sfn, endpoint } = await start((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const more = (): void => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', more);
      };
      more();
    });
    const d = await run(sfn, CALL);
    expect(d).toMatchObject({ status: 'FAILED', error: 'Function.ResponseSizeTooLarge' });
    expect(JSON.parse(d.cause!)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
    await endpoint.hungUp;
    // What was sent before the hang-up sat in socket buffers, not in the server.
    expect(sent).toBeLessThan(MAX_RESPONSE_PAYLOAD * 4);
  }, 60_000);

  it('fails the Task at once when the answer announces more than Lambda lets through, without waiting for it', async () => {
    const { sfn } = await start((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) });
      res.write('"');
    });
    const d = await run(sfn, CALL);
    expect(d).toMatchObject({ status: 'FAILED', error: 'Function.ResponseSizeTooLarge' });
  }, 60_000);

  it('times a Task out on the execution\'s clock when the endpoint never answers, hangs up on it, and goes on serving', async () => {
    // At --time-scale 100 the 30 s TimeoutSeconds lasts 0.3 s.
    const { sfn, endpoint } = await start(() => undefined, 100);
    const d = await run(sfn, { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: FN, TimeoutSeconds: 30, End: true } } });
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    await endpoint.hungUp;
    expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines).toHaveLength(1);
  }, 60_000);

  it('fails the Task with a Lambda error naming the status when the endpoint redirects, and follows nothing', async () => {
    const { sfn } = await start((res) => { res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end(); });
    const d = await run(sfn, CALL);
    expect(d.status).toBe('FAILED');
    expect(d.error).toMatch(/^Lambda\./);
    expect(d.cause).toContain('Status Code: 302');
  }, 60_000);

  it('fails the Task with Lambda.AWSLambdaException naming the status when the endpoint answers a 500 that is not JSON, not with the parser\'s error', async () => {
    const { sfn, endpoint } = await start((res) => { res.writeHead(500, { 'content-type': 'text/html' }).end('<html>down</html>'); });
    const d = await run(sfn, CALL);
    expect(d).toMatchObject({ status: 'FAILED', error: 'Lambda.AWSLambdaException' });
    expect(d.cause).toContain('Status Code: 500');
    expect(d.cause).toContain(endpoint.url);
    expect(d.cause).not.toContain('$response');
  }, 60_000);

  it('fails the Task with Lambda.AWSLambdaException when an error answer runs past what Lambda answers, reading no more of it', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const { sfn, endpoint } = await start((res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      const more = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', more);
      };
      more();
    });
    const d = await run(sfn, CALL);
    expect(d).toMatchObject({ status: 'FAILED', error: 'Lambda.AWSLambdaException' });
    expect(d.cause).toContain(`more than ${MAX_RESPONSE_PAYLOAD} bytes`);
    await endpoint.hungUp;
  }, 60_000);

  it('fails the Task with Lambda.SdkClientException when a 200 answer is cut off before its Content-Length', async () => {
    const { sfn, endpoint } = await start((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":', () => res.socket?.destroy());
    });
    const d = await run(sfn, CALL);
    // Where the SDK notices the cut (reading the body, or parsing what came) varies; the error does not.
    expect(d).toMatchObject({ status: 'FAILED', error: 'Lambda.SdkClientException' });
    expect(d.cause).toContain(endpoint.url);
  }, 60_000);

  it.each([
    ['a function ARN', { Resource: FN }],
    ['lambda:invoke', { Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: FN } }],
  ])('fails a Task of %s with Lambda.SdkClientException, which a Catch can name, not a RangeError, when the answer is JSON nested 500,000 levels deep', async (_what, task) => {
    const deep = `${'['.repeat(500_000)}${']'.repeat(500_000)}`;
    const { sfn, endpoint } = await start((res) => { res.writeHead(200, { 'content-type': 'application/json' }).end(deep); });
    const d = await run(sfn, {
      StartAt: 'Call',
      States: { Call: { Type: 'Task', ...task, Catch: [{ ErrorEquals: ['Lambda.SdkClientException'], Next: 'Caught' }], End: true }, Caught: { Type: 'Succeed' } },
    });
    expect(d.status).toBe('SUCCEEDED');
    const caught = JSON.parse(d.output!) as { Error: string; Cause: string };
    expect(caught.Error).toBe('Lambda.SdkClientException');
    expect(caught.Cause).toMatch(/^Unable to read the answer of the Lambda endpoint http:\/\/127\.0\.0\.1:\d+\/: the payload is not JSON Step Functions can read: nesting deeper than 1000 levels at \$\[0\]/);
    expect(caught.Cause).toContain(endpoint.url);
  }, 60_000);

  it('gives a 200 answer that is not JSON to the Task as its text, as the function\'s payload', async () => {
    const { sfn } = await start((res) => { res.writeHead(200, { 'content-type': 'application/json' }).end('{not json'); });
    const d = await run(sfn, CALL);
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: JSON.stringify('{not json') });
  }, 60_000);

  it(`fails a Task without TimeoutSeconds with Lambda.ClientExecutionTimeoutException when the endpoint never answers, after ${MAX_CALL_SECONDS} s of the execution's time, and hangs up`, async () => {
    // At --time-scale 1000 the bound lasts under a second.
    const { sfn, endpoint } = await start(() => undefined, 1000);
    const d = await run(sfn, CALL);
    expect(d).toMatchObject({ status: 'FAILED', error: 'Lambda.ClientExecutionTimeoutException' });
    expect(d.cause).toContain(endpoint.url);
    expect(d.stopDate!.getTime() - d.startDate!.getTime()).toBeGreaterThanOrEqual(MAX_CALL_SECONDS * 1000);
    await endpoint.hungUp;
  }, 60_000);

  it('fails a Task without TimeoutSeconds with Lambda.ClientExecutionTimeoutException when the answer trickles on without end', async () => {
    const { sfn, endpoint } = await start(trickle, 1000);
    const d = await run(sfn, CALL);
    expect(d).toMatchObject({ status: 'FAILED', error: 'Lambda.ClientExecutionTimeoutException' });
    await endpoint.hungUp;
  }, 60_000);

  it('retries a call that went unanswered, as a Retry on Lambda.ClientExecutionTimeoutException asks, and takes the answer that comes', async () => {
    let calls = 0;
    const { sfn } = await start((res) => {
      calls += 1;
      if (calls === 2) res.writeHead(200, { 'content-type': 'application/json' }).end('{"second":true}');
    }, 1000);
    const d = await run(sfn, {
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['Lambda.ClientExecutionTimeoutException'], MaxAttempts: 1 }], End: true } },
    });
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"second":true}' });
    expect(calls).toBe(2);
  }, 60_000);
});

describe('the jest harness, run option endpoints.lambda: the same hostile answers', () => {
  const CALL_ONE = { StartAt: 'Call', States: { Call: { Type: 'Task' as const, Resource: FN, End: true } } };

  it('fails the Task with Function.ResponseSizeTooLarge when the answer runs on without end, and hangs up', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const endpoint = await hostile((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const more = (): void => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', more);
      };
      more();
    });
    try {
      const result = await Workflow.fromDefinition(CALL_ONE).run({}, { endpoints: { lambda: endpoint.url } });
      expect(result).toMatchObject({ status: 'FAILED', error: 'Function.ResponseSizeTooLarge' });
      await endpoint.hungUp;
      expect(sent).toBeLessThan(MAX_RESPONSE_PAYLOAD * 4);
    } finally {
      await endpoint.close();
    }
  }, 60_000);

  it('fails the Task with Lambda.ClientExecutionTimeoutException when the answer trickles on without end, as serve does, and hangs up', async () => {
    // The clock's hold on an unsettled call lasts holdTimeoutMs of real time; then time goes on to the call's own
    // deadline (MAX_CALL_SECONDS), which names the error, whichever real timer fires first.
    const endpoint = await hostile(trickle);
    try {
      const result = await Workflow.fromDefinition(CALL_ONE).run({}, { endpoints: { lambda: endpoint.url } });
      expect(result).toMatchObject({ status: 'FAILED', error: 'Lambda.ClientExecutionTimeoutException' });
      expect(result.cause).toContain(`did not answer within ${MAX_CALL_SECONDS} seconds`);
      await endpoint.hungUp;
    } finally {
      await endpoint.close();
    }
  }, 60_000);
});
