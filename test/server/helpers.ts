import { PassThrough } from 'node:stream';
import type { SFNClient } from '@aws-sdk/client-sfn';
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

/** Polls until the predicate holds (bounded: fails after `ms`). */
export async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
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
