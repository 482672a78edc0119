import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the fake Lambda received. */
export interface LambdaCall {
  readonly functionName: string;
  readonly qualifier: string | undefined;
  readonly invocationType: string | undefined;
  readonly payload: unknown;
}

/** What the fake Lambda answers for one function: its result, or an error it throws. */
export type LambdaBehaviour = (event: any) => { result: unknown } | { error: { errorType: string; errorMessage: string } };

/**
 * A small Lambda Invoke API (POST /2015-03-31/functions/<name>/invocations) on
 * 127.0.0.1, as `sam local start-lambda` serves it: each function's behaviour
 * answers (named by its name or its ARN), a function error comes back with X-Amz-Function-Error, an unknown
 * function is ResourceNotFoundException (404).
 */
export async function lambdaEndpoint(
  functions: Record<string, LambdaBehaviour>,
): Promise<{ url: string; calls: LambdaCall[]; close(): Promise<void> }> {
  const calls: LambdaCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
      if (req.method !== 'POST' || !m) {
        res.writeHead(404, { 'x-amzn-ErrorType': 'UnknownOperationException', 'content-type': 'application/json' }).end('{"message":"no such operation"}');
        return;
      }
      const name = decodeURIComponent(m[1]);
      const text = Buffer.concat(chunks).toString('utf8');
      const payload = text === '' ? undefined : JSON.parse(text);
      calls.push({ functionName: name, qualifier: url.searchParams.get('Qualifier') ?? undefined, invocationType: req.headers['x-amz-invocation-type'] as string | undefined, payload });
      // As Lambda does, a function ARN names the function at its end.
      const short = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(name)?.[1] ?? name;
      const fn = Object.hasOwn(functions, short) ? functions[short] : undefined;
      if (!fn) {
        res.writeHead(404, { 'x-amzn-ErrorType': 'ResourceNotFoundException', 'x-amzn-RequestId': 'req-404', 'content-type': 'application/json' })
          .end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
        return;
      }
      const answer = fn(payload);
      const headers = { 'content-type': 'application/json', 'x-amzn-RequestId': `req-${calls.length}`, 'X-Amz-Executed-Version': '$LATEST' };
      if ('error' in answer) {
        res.writeHead(200, { ...headers, 'X-Amz-Function-Error': 'Unhandled' }).end(JSON.stringify({ ...answer.error, trace: [] }));
      } else {
        res.writeHead(200, headers).end(JSON.stringify(answer.result));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** A URL where nothing listens: a port that was free a moment ago. */
export async function deadEndpoint(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
