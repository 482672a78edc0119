import * as http from 'node:http';

/**
 * How serve's HTTP server bounds slow and many connections. Node's defaults wait 60 s for a
 * request's headers and 300 s for the whole request, check them every 30 s, and take any number of
 * connections: a client that sends a header a minute (slowloris) or opens thousands of sockets holds
 * serve's file descriptors. The bounds apply to receiving a request, never to answering it, so
 * GetActivityTask's long poll (up to 60 s, as on AWS) and a console's open stream are untouched.
 * @internal
 */
export interface HttpLimits {
  /** The most a request's headers take to arrive, from the connection's first byte, in ms. */
  readonly headersTimeoutMs: number;
  /** The most a whole request (headers and body) takes to arrive, in ms; at least headersTimeoutMs. */
  readonly requestTimeoutMs: number;
  /** How long an idle kept-alive connection stays open, in ms. */
  readonly keepAliveTimeoutMs: number;
  /** How often the two timeouts above are checked, in ms. */
  readonly checkEveryMs: number;
  /** Connections open at once; one more is closed as it is accepted. */
  readonly maxConnections: number;
}

/**
 * serve's bounds: 20 s for the headers an SDK sends in one write, 60 s for a body of at most 4 MiB,
 * 60 s of keep-alive (longer than an SDK's idle socket waits), checked every 2 s, and 1,000
 * connections (twenty SDK clients of 50 sockets each, each socket in a long poll).
 * @internal
 */
export const HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 60_000,
  checkEveryMs: 2_000,
  maxConnections: 1_000,
};

/** An HTTP server for `handler` under `limits`. @internal */
export function boundedHttpServer(handler: http.RequestListener, limits: HttpLimits = HTTP_LIMITS): http.Server {
  const server = http.createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.checkEveryMs,
  }, handler);
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  return server;
}
