import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { boundAnswers, ResponseDeadline, ResponseTooLarge } from '../../../src/workbench/mocks/endpoint-clients';
import { EndpointFault, parsedAnswer, sdkEndpoint } from '../../../src/workbench/parity/remote';
import { MAX_ANSWER_BYTES } from '../../../src/workbench/parity/request';
import { record } from '../../../src/workbench/replay/record';

/*
 * Every answer from outside is bounded where it comes in: its bytes (the SDK holds a body outside
 * the JavaScript heap) and its whole, by one deadline that an answer dripping a byte at a time
 * cannot push back, as a socket's idle timeout would be at every byte.
 */

interface Hostile {
  readonly url: string;
  /** Requests seen: their target and body. */
  readonly seen: Array<{ url: string; body: string }>;
  /** Bytes written to answers, and whether each answer's socket was closed by the client. */
  readonly sent: { bytes: number; closed: number };
  /** Settles when the first answer's socket has closed. */
  readonly firstClosed: Promise<void>;
  close(): Promise<void>;
}

async function hostile(answer: (req: http.IncomingMessage, body: string, res: http.ServerResponse, sent: Hostile['sent']) => void): Promise<Hostile> {
  const seen: Hostile['seen'] = [];
  const sent = { bytes: 0, closed: 0 };
  let closed!: () => void;
  const firstClosed = new Promise<void>((resolve) => { closed = resolve; });
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += String(d); });
    req.on('end', () => {
      seen.push({ url: req.url ?? '', body });
      res.on('close', () => {
        sent.closed++;
        closed();
      });
      answer(req, body, res, sent);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    sent,
    firstClosed,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** An answer that never ends, as fast as the client reads: a JSON string without its end. */
const endless = (_req: http.IncomingMessage, _body: string, res: http.ServerResponse, sent: Hostile['sent']): void => {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
  res.write('{"status":"SUCCEEDED","output":"');
  const piece = Buffer.alloc(64 * 1024, 'x');
  const more = (): void => {
    while (!res.destroyed && sent.bytes < 2 ** 32) {
      sent.bytes += piece.length;
      if (!res.write(piece)) {
        res.once('drain', more);
        return;
      }
    }
  };
  more();
};

/** An answer that drips a byte every 50 ms, for ever. */
const drip = (_req: http.IncomingMessage, _body: string, res: http.ServerResponse, sent: Hostile['sent']): void => {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
  res.write('{"status":"SUCCEEDED","output":"');
  const timer = setInterval(() => {
    sent.bytes++;
    res.write('x');
  }, 50);
  res.on('close', () => clearInterval(timer));
};

const wire = { definition: '{"Type":"Pass","End":true}', input: '{}', inspectionLevel: 'INFO' as const };
const faultOf = async (p: Promise<unknown>): Promise<EndpointFault> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof EndpointFault) return e;
    throw e;
  }
  throw new Error('the call did not fail');
};

describe('parity\'s TestState calls', () => {
  it('read an answer that never ends no further than 8 MiB, and fail that call in words naming the bound', async () => {
    const server = await hostile(endless);
    const endpoint = await sdkEndpoint({ endpoint: server.url, region: 'us-east-1' });
    try {
      const fault = await faultOf(endpoint.call(wire));
      expect(fault.kind).toBe('failed');
      expect(fault.message).toBe(`${server.url} answered status 200 with more than 8,388,608 bytes, more than a TestState answer holds (8,388,608 bytes are read at most): no more of it was read`);
      // The client hung up: what the server got out is the bound and what was on the way.
      expect(server.sent.bytes).toBeLessThan(MAX_ANSWER_BYTES + 32 * 1024 * 1024);
    } finally {
      endpoint.close();
      await server.close();
    }
  }, 60_000);

  it('end at one deadline an answer that drips a byte at a time, though every byte comes within any idle timeout', async () => {
    const server = await hostile(drip);
    const endpoint = await sdkEndpoint({ endpoint: server.url, region: 'us-east-1', callTimeoutMs: 1500 });
    try {
      const fault = await faultOf(endpoint.call(wire));
      expect(fault).toMatchObject({
        kind: 'failed',
        message: `${server.url} had not answered TestState whole within 1.5 s of the request: the call was abandoned`,
      });
      // The request was torn down, not left to drip.
      await server.firstClosed;
      expect(server.sent.closed).toBe(1);
    } finally {
      endpoint.close();
      await server.close();
    }
  }, 60_000);

  it('refuse an answer whose Content-Length is past the bound before reading it', async () => {
    const server = await hostile((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(2 ** 31) });
      res.write('{');
    });
    const endpoint = await sdkEndpoint({ endpoint: server.url, region: 'us-east-1' });
    try {
      expect((await faultOf(endpoint.call(wire))).message).toBe(`${server.url} answered status 200 with 2,147,483,648 bytes, more than a TestState answer holds (8,388,608 bytes are read at most): no more of it was read`);
    } finally {
      endpoint.close();
      await server.close();
    }
  });
});

describe('a TestState answer read (parsedAnswer)', () => {
  it('fails a call whose answer has no status, as no answer of TestState is', () => {
    expect(() => parsedAnswer({ output: '{}' })).toThrow(new EndpointFault('failed', 'TestState answered without a status (SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR)'));
    expect(parsedAnswer({ status: 'SUCCEEDED', output: '{"a":1}', nextState: 'Next', inspectionData: { input: '{}' } }))
      .toEqual({ status: 'SUCCEEDED', output: { a: 1 }, nextState: 'Next', inspectionData: { input: {} } });
  });
});

describe('a client whose answers are bounded (boundAnswers)', () => {
  it('fails a call past its byte bound with ResponseTooLarge, and past its deadline with ResponseDeadline, whatever the client', async () => {
    const big = await hostile(endless);
    const slow = await hostile(drip);
    const client = (url: string, maxBytes: number, deadlineMs: number): LambdaClient => {
      const c = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
      boundAnswers(c, { maxBytes, deadlineMs });
      return c;
    };
    const tooLarge = client(big.url, 1024 * 1024, 60_000);
    const late = client(slow.url, 1024 * 1024, 1000);
    try {
      await expect(tooLarge.send(new InvokeCommand({ FunctionName: 'f' }))).rejects.toBeInstanceOf(ResponseTooLarge);
      await expect(late.send(new InvokeCommand({ FunctionName: 'f' }))).rejects.toBeInstanceOf(ResponseDeadline);
    } finally {
      tooLarge.destroy();
      late.destroy();
      await big.close();
      await slow.close();
    }
  }, 60_000);
});

describe('record\'s calls to the Step Functions API', () => {
  it('ask again for a history page past the bound on one answer with fewer events, down to what fits', async () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:execution:m:e';
    const event = (id: number) => ({ id, type: id === 1 ? 'ExecutionStarted' : 'ExecutionSucceeded', timestamp: 1700000000 + id, previousEventId: id - 1 });
    const server = await hostile((req, body, res) => {
      const target = String(req.headers['x-amz-target']);
      const json = (value: unknown): void => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(value));
      };
      if (target.endsWith('.DescribeExecution')) return json({ executionArn: arn, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', name: 'e', status: 'SUCCEEDED', input: '{}', output: '{}', startDate: 1700000000 });
      if (target.endsWith('.DescribeStateMachineForExecution')) return json({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', name: 'm', definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', roleArn: 'arn:aws:iam::123456789012:role/r', updateDate: 1700000000 });
      const asked = (JSON.parse(body) as { maxResults: number }).maxResults;
      // A page of many events is announced as 2 GiB: past the bound, never read.
      if (asked > 10) {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(2 ** 31) });
        res.write('{');
        return undefined;
      }
      return json({ events: [event(1), event(2)] });
    });
    try {
      const rec = await record(arn, { endpoint: server.url, region: 'us-east-1' });
      expect(rec.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'ExecutionSucceeded']);
      const pages = server.seen.filter((s) => s.body.includes('maxResults')).map((s) => (JSON.parse(s.body) as { maxResults: number }).maxResults);
      expect(pages).toEqual([1000, 100, 10]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
