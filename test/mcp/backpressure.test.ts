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
