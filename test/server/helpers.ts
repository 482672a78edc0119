import { PassThrough } from 'node:stream';
import { GetActivityTaskCommand, type GetActivityTaskCommandOutput, type SFNClient } from '@aws-sdk/client-sfn';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server';

export const ROLE = 'arn:aws:iam::123456789012:role/StepFunctionsRole';

/** A server on a free port and a client for it; `stop()` closes both. */
export async function serve(options: ServerOptions = {}): Promise<{ server: RunningServer; sfn: SFNClient; logs: string[]; stop(): Promise<void> }> {
  const logs: string[] = [];
  const server = await startServer({ port: 0, log: (l) => logs.push(l), ...options });
  const sfn = server.client();
  return {
    server,
    sfn,
    logs,
    async stop() {
      sfn.destroy();
      await server.close();
    },
  };
}

/** A definition as the SDK sends it. */
export function asl(definition: object): string {
  return JSON.stringify(definition);
}

export const PASS = asl({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { ok: true }, End: true } } });

/**
 * A loop of a Pass that carries `$.pad` along and counts in `$.i`, and a Choice: 4 events a round.
 * It ends after `rounds` rounds; without them, never (AWS's 25,000-event limit fails it).
 */
export function padLoop(rounds?: number): string {
  return asl({
    StartAt: 'Step',
    States: {
      Step: { Type: 'Pass', Parameters: { 'pad.$': '$.pad', 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'More' },
      More: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThan: rounds === undefined ? 1e9 : rounds - 1, Next: 'Done' }], Default: 'Step' },
      Done: { Type: 'Succeed' },
    },
  });
}

/**
 * How long {@link until} polls by default. A condition that holds at all holds within milliseconds
 * on an idle machine; this leaves room for a machine many times slower (the suite must pass with
 * two CPU-bound processes beside it) and stays under jest's testTimeout (60 s), so a condition
 * never met fails with its last value rather than with jest's timeout.
 */
export const UNTIL_MS = 30_000;

/** Polls until the predicate holds (bounded: fails after `ms`). */
export async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = UNTIL_MS): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Asks `probe` again after each turn of the event loop until `ok` holds, for tests whose real time
 * is faked (test/real-time.ts): the server's work needs turns, not time, to get there, and a
 * condition never met fails after `maxTurns` with its last value.
 */
export async function settled<T>(probe: () => Promise<T>, ok: (v: T) => boolean, maxTurns = 5_000): Promise<T> {
  let v = await probe();
  for (let i = 0; !ok(v); i++) {
    if (i >= maxTurns) throw new Error(`condition not met within ${maxTurns} turns of the event loop; last value: ${JSON.stringify(v)}`);
    await new Promise((resolve) => setImmediate(resolve));
    v = await probe();
  }
  return v;
}

/** What GetActivityTask answers when it hands out a task. */
export type ActivityTask = GetActivityTaskCommandOutput & { taskToken: string };

/**
 * A task of the activity, polled for as a worker polls: GetActivityTask again after each long poll
 * that ends without a task, until one comes (bounded by {@link until}). For tests where the task
 * is known to come: one poll would race the execution that schedules it, and under
 * --time-scale the long poll is short enough for a loaded machine to lose that race.
 */
export async function activityTask(sfn: SFNClient, activityArn: string, workerName?: string): Promise<ActivityTask> {
  const task = await until(() => sfn.send(new GetActivityTaskCommand({ activityArn, workerName })), (t) => t.taskToken !== undefined);
  return task as ActivityTask;
}

/** Standard output and error for `main(args, out, err)`, with what was written to each so far. */
export function streams(): { io: { out: PassThrough; err: PassThrough }; text: { out: string; err: string } } {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: '', err: '' };
  out.on('data', (d: Buffer) => { text.out += String(d); });
  err.on('data', (d: Buffer) => { text.err += String(d); });
  return { io: { out, err }, text };
}

/** What the server answered a raw request: status, headers, and the body parsed as JSON (or its text). */
export interface RawAnswer {
  readonly status: number;
  readonly headers: import('node:http').IncomingHttpHeaders;
  readonly body: any;
  /** The body's text, as sent. */
  readonly text: string;
}

/**
 * The error's name in an answer's `x-amzn-errortype` header, read as the SDKs read it: before the
 * colon of AWS's long form (`InvalidArn:http://internal.amazon.com/coral/…/`); undefined without one.
 */
export function errorTypeOf(headers: import('node:http').IncomingHttpHeaders): string | undefined {
  const header = headers['x-amzn-errortype'];
  return typeof header === 'string' ? header.split(':')[0] : undefined;
}

/**
 * Sends what the SDK will not: any method, X-Amz-Target and body, over node:http
 * to 127.0.0.1. `target` is the whole header (omitted when undefined).
 */
export function raw(
  endpoint: string, options: { target?: string; body?: string | Buffer; method?: string; headers?: Record<string, string> },
): Promise<RawAnswer> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- node:http, only for the tests that speak raw HTTP
  const http = require('node:http') as typeof import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.request(endpoint, {
      method: options.method ?? 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        ...(options.target !== undefined ? { 'x-amz-target': options.target } : {}),
        ...options.headers,
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try { body = JSON.parse(text); } catch { /* not JSON: the text itself */ }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    req.on('error', reject);
    req.end(options.body ?? '{}');
  });
}

/**
 * The message of an error answered as raw HTTP, read under the member AWS writes it as: `Message`
 * for the framework's SerializationException and AccessDeniedException, `message` for the others;
 * undefined when it is written under the other.
 */
export function errorMessage(body: { readonly __type?: unknown; readonly message?: unknown; readonly Message?: unknown }): unknown {
  const capitalised = /^com\.amazon\.coral\.service#(?:SerializationException|AccessDeniedException)$/.test(String(body.__type));
  if (capitalised) return Object.hasOwn(body, 'message') ? undefined : body.Message;
  return Object.hasOwn(body, 'Message') ? undefined : body.message;
}

/** The error a call ends in; fails the test when the call succeeds instead. */
export async function refusal(call: Promise<unknown>): Promise<Error & { $fault?: string; $metadata: { httpStatusCode?: number } }> {
  type Refusal = Error & { $fault?: string; $metadata: { httpStatusCode?: number } };
  const outcome = await call.then(() => undefined, (e: unknown) => e as Refusal);
  if (!outcome) throw new Error('the call succeeded; a refusal was expected');
  return outcome;
}

/** What {@link pour} saw: the server's answer (empty when none came), the body bytes sent, whether the server closed the connection. */
export interface Poured {
  readonly answer: string;
  readonly sent: number;
  readonly closed: boolean;
}

/**
 * Sends a request whose body does not end (chunked, or longer than the Content-Length given in
 * `head`) a 64 KiB piece at a time, waiting on the socket's back-pressure, until the server
 * answers or `limit` bytes of body are out; then waits for the server to close the connection
 * when its answer said `Connection: close`.
 * @param head the request line and headers, without the blank line that ends them
 */
export async function pour(endpoint: string, head: string, limit: number): Promise<Poured> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- node:net, only for the tests that speak raw HTTP
  const net = require('node:net') as typeof import('node:net');
  const url = new URL(endpoint);
  const chunked = /^transfer-encoding: *chunked$/im.test(head);
  const socket = net.connect(Number(url.port), url.hostname);
  let answer = '';
  let closed = false;
  let failed = false;
  const closing = new Promise<void>((resolve) => socket.once('close', () => { closed = true; resolve(); }));
  socket.on('data', (d: Buffer) => { answer += d.toString('latin1'); });
  socket.on('error', () => { failed = true; });
  socket.on('end', () => { closed = true; });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(`${head}\r\n\r\n`);
  const piece = Buffer.alloc(64 * 1024, 0x20);
  const framed = chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece;
  let sent = 0;
  while (sent < limit && answer === '' && !closed && !failed) {
    sent += piece.length;
    if (!socket.write(framed)) {
      await new Promise<void>((resolve) => {
        const done = (): void => { socket.off('drain', done); socket.off('close', done); resolve(); };
        socket.once('drain', done);
        socket.once('close', done);
      });
    }
  }
  if (/^connection: close\r$/im.test(answer.split('\r\n\r\n')[0] + '\r')) await closing;
  const wasClosed = closed;
  socket.destroy();
  return { answer, sent, closed: wasClosed };
}
