import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { boundedHttpServer, HTTP_LIMITS, type HttpLimits } from '../../src/server/http-limits';

// Short bounds, so that the server's own timers end the test; no assertion is on time.
const SHORT: HttpLimits = { headersTimeoutMs: 150, requestTimeoutMs: 150, keepAliveTimeoutMs: 150, checkEveryMs: 20, maxConnections: 3 };

async function listening(handler: http.RequestListener, limits = SHORT): Promise<{ port: number; close(): Promise<void> }> {
  const server = boundedHttpServer(handler, limits);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A raw socket: what it received, and a promise of its close. */
async function connect(port: number): Promise<{ socket: net.Socket; received: () => string; closed: Promise<void> }> {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (d: Buffer) => { received += d.toString('latin1'); });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, received: () => received, closed };
}

describe("serve's HTTP server: slow and many connections", () => {
  it('closes a connection whose headers never end (slowloris) with 408, and one that sends nothing', async () => {
    const server = await listening((_req, res) => res.end('ok'));
    try {
      const slow = await connect(server.port);
      slow.socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n');
      const silent = await connect(server.port);
      await Promise.all([slow.closed, silent.closed]);
      expect(slow.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    } finally {
      await server.close();
    }
  });

  it('answers a request held open past every timeout (a long poll) once it has been received whole', async () => {
    // The answer waits for a slowloris connection to be closed: by then the request has been open longer than
    // the headers and request timeouts, and it is answered all the same.
    let slowClosed!: Promise<void>;
    const server = await listening((_req, res) => { void slowClosed.then(() => res.end('{"taskToken":"t"}')); });
    try {
      const slow = await connect(server.port);
      slow.socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      slowClosed = slow.closed;
      const body = await new Promise<string>((resolve, reject) => {
        const req = http.request({ port: server.port, host: '127.0.0.1', method: 'POST', path: '/', agent: false }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => { text += d.toString(); });
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end('{}');
      });
      expect(body).toBe('{"taskToken":"t"}');
    } finally {
      await server.close();
    }
  });

  it('closes a connection past maxConnections as it is accepted, and serves the ones before it', async () => {
    const server = await listening((_req, res) => res.end('ok'));
    try {
      const held = [await connect(server.port), await connect(server.port), await connect(server.port)];
      const extra = await connect(server.port);
      await extra.closed;
      expect(extra.received()).toBe('');
      held[0].socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      await held[0].closed;
      expect(held[0].received()).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nok$/);
      for (const h of held) h.socket.destroy();
    } finally {
      await server.close();
    }
  });

  it('bounds headers to 20 s, a request to 60 s and connections to 1,000 in serve, leaving its answers unbounded', () => {
    const server = boundedHttpServer(() => undefined);
    expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout, server.maxConnections, server.timeout])
      .toEqual([HTTP_LIMITS.headersTimeoutMs, HTTP_LIMITS.requestTimeoutMs, HTTP_LIMITS.keepAliveTimeoutMs, HTTP_LIMITS.maxConnections, 0]);
    expect(HTTP_LIMITS).toMatchObject({ headersTimeoutMs: 20_000, requestTimeoutMs: 60_000, maxConnections: 1_000 });
  });

});
