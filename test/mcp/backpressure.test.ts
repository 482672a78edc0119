import { PassThrough, Writable } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { BoundedStdioTransport } from '../../src/mcp/stdio-transport';

// A client that sends requests and never reads the answers: before, the server read on and kept
// every answer in its memory (100,000 tools/list: 3.6 GB after 34,000, then it died). Now it stops
// reading requests while answers wait for the client, and reads on once the client has read them.

/** An output a client reads only when told to: each write waits until `read()`. */
function slowClient(): { output: Writable; read: () => void } {
  const pending: Array<() => void> = [];
  const output = new Writable({ highWaterMark: 64, write(_chunk, _enc, done) { pending.push(done); } });
  return { output, read: () => { for (const done of pending.splice(0)) done(); } };
}

const answer = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: { text: 'x'.repeat(100) } });

describe('the MCP transport under a client that does not read', () => {
  it('stops reading requests while answers wait, and reads on once the client has read them', async () => {
    const input = new PassThrough();
    const client = slowClient();
    const transport = new BoundedStdioTransport(input, client.output);
    await transport.start();
    expect(input.isPaused()).toBe(false);
    const sent = [transport.send(answer(1)), transport.send(answer(2)), transport.send(answer(3))];
    expect(input.isPaused()).toBe(true);
    let settled = 0;
    sent.forEach((p) => { void p.then(() => settled++); });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(settled).toBe(0);
    const drained = new Promise<void>((resolve) => client.output.once('drain', () => setImmediate(resolve)));
    client.read();
    // The first write's callback lets the next buffered writes through: read until all are done.
    while (client.output.writableLength > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      client.read();
    }
    await drained;
    await Promise.all(sent);
    expect(input.isPaused()).toBe(false);
    await transport.close();
  });
});

describe('the MCP transport under a client that sends many requests at once', () => {
  const request = (id: number): string => `${JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' })}\n`;
  const settle = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

  /** A transport capped at `cap` unanswered requests (and `chars` of them), an output that reads all, and the requests handed on. */
  type Capped = { input: PassThrough; transport: BoundedStdioTransport; read: Array<string | number> };
  async function capped(cap: number, chars?: number): Promise<Capped> {
    const input = new PassThrough();
    const output = new Writable({ write(_chunk, _enc, done) { done(); } });
    const transport = new BoundedStdioTransport(input, output, cap, chars);
    const read: Array<string | number> = [];
    transport.onmessage = (message) => { if ('method' in message && 'id' in message) read.push(message.id); };
    await transport.start();
    return { input, transport, read };
  }

  it('reads no more than the cap of unanswered requests from one write, and reads one more per answer', async () => {
    const { input, transport, read } = await capped(2);
    input.write([1, 2, 3, 4, 5].map(request).join(''));
    await settle();
    expect(read).toEqual([1, 2]);
    expect(input.isPaused()).toBe(true);
    await transport.send(answer(1));
    await settle();
    expect(read).toEqual([1, 2, 3]);
    // An error answers a request as a result does.
    await transport.send({ jsonrpc: '2.0', id: 2, error: { code: -32603, message: 'failed' } });
    await transport.send(answer(3));
    await settle();
    expect(read).toEqual([1, 2, 3, 4, 5]);
    expect(input.isPaused()).toBe(true);
    await transport.send(answer(4));
    await settle();
    expect(input.isPaused()).toBe(false);
    await transport.close();
  });

  it('reads no more once the unanswered requests hold the cap of characters, one always read, and reads on as they are answered', async () => {
    // Ids of 9 MiB (or definitions inline) under the count: 64 explore calls waiting for a worker held 907 MB.
    const large = (id: string): string => `${JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' })}\n`;
    const [a, b, c] = ['a'.repeat(600), 'b'.repeat(600), 'c'.repeat(600)];
    const { input, transport, read } = await capped(64, 1000);
    input.write(large(a) + large(b) + large(c) + request(4));
    await settle();
    expect(read.map((id) => String(id)[0])).toEqual(['a', 'b']);
    expect(input.isPaused()).toBe(true);
    await transport.send({ jsonrpc: '2.0', id: a, result: {} });
    await settle();
    expect(read.map((id) => String(id)[0])).toEqual(['a', 'b', 'c']);
    await transport.send({ jsonrpc: '2.0', id: b, result: {} });
    await transport.send({ jsonrpc: '2.0', id: c, result: {} });
    await settle();
    expect(read.map((id) => String(id)[0])).toEqual(['a', 'b', 'c', '4']);
    await transport.close();
  });

  it('frees the slot of a request the client cancels, which the server never answers', async () => {
    const { input, transport, read } = await capped(2);
    const cancel = `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } })}\n`;
    input.write(request(1) + cancel + request(2) + request(3) + request(4));
    await settle();
    expect(read).toEqual([1, 2, 3]);
    await transport.close();
  });

  it('frees the slot of a request refused as not MCP, answered with an error under its id', async () => {
    const { input, transport, read } = await capped(1);
    input.write(`${JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: 'not an object' })}\n${request(8)}`);
    await settle();
    expect(read).toEqual([8]);
    await transport.close();
  });
});
