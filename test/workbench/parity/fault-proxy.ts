import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A TestState request as the proxy sees it (the JSON body the SDK sent). */
export interface SeenRequest {
  readonly stateName?: string;
  readonly mock?: { result?: string; errorOutput?: { error?: string } };
  readonly [member: string]: unknown;
}

/**
 * What the proxy does with one TestState call: pass serve's answer on, change it, answer a
 * throttle in its place, or answer with a JSON string that never ends (as fast as the caller
 * reads, until it hangs up).
 */
export type Fault =
  | { readonly kind: 'alter'; readonly change: (answer: Record<string, any>) => void }
  | { readonly kind: 'throttle' }
  | { readonly kind: 'endless' }
  | { readonly kind: 'refuse'; readonly type: string; readonly message: string };

/** A proxy on 127.0.0.1 in front of serve that injects faults into chosen TestState answers. */
export interface FaultProxy {
  readonly endpoint: string;
  /** TestState calls the proxy received, in order. */
  readonly seen: SeenRequest[];
  /** Bytes written to endless answers, and those answers' sockets the caller closed. */
  readonly endless: { bytes: number; closed: number };
  /** Decides each TestState call's fault (undefined: pass it on); set by each test. */
  fault: (request: SeenRequest, nth: number) => Fault | undefined;
  close(): Promise<void>;
}

/** Starts the proxy in front of `target` (serve's endpoint). */
export async function faultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const proxy: FaultProxy = {
    endpoint: '',
    seen: [],
    endless: { bytes: 0, closed: 0 },
    fault: () => undefined,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '');
      let fault: Fault | undefined;
      if (operation.endsWith('.TestState')) {
        const seen = JSON.parse(body.toString('utf8')) as SeenRequest;
        proxy.seen.push(seen);
        fault = proxy.fault(seen, proxy.seen.length);
      }
      if (fault?.kind === 'endless') {
        endless(res, proxy.endless);
        return;
      }
      if (fault?.kind === 'throttle' || fault?.kind === 'refuse') {
        const [type, message] = fault.kind === 'throttle' ? ['ThrottlingException', 'Rate exceeded'] : [fault.type, fault.message];
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type });
        res.end(JSON.stringify({ __type: type, message }));
        return;
      }
      const forward = http.request({
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, 'host': upstream.host, 'content-length': String(body.length) },
      }, (up) => {
        const answer: Buffer[] = [];
        up.on('data', (c: Buffer) => answer.push(c));
        up.on('end', () => {
          let text = Buffer.concat(answer).toString('utf8');
          if (fault?.kind === 'alter' && up.statusCode === 200) {
            const parsed = JSON.parse(text) as Record<string, any>;
            fault.change(parsed);
            text = JSON.stringify(parsed);
          }
          const headers = { ...up.headers, 'content-length': String(Buffer.byteLength(text)) };
          res.writeHead(up.statusCode ?? 500, headers);
          res.end(text);
        });
      });
      forward.on('error', () => { res.writeHead(502); res.end(); });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (proxy as { endpoint: string }).endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

function endless(res: http.ServerResponse, tally: FaultProxy['endless']): void {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
  res.write('{"status":"SUCCEEDED","output":"');
  res.on('close', () => { tally.closed++; });
  const piece = Buffer.alloc(64 * 1024, 'x');
  const more = (): void => {
    while (!res.destroyed && tally.bytes < 2 ** 32) {
      tally.bytes += piece.length;
      if (!res.write(piece)) {
        res.once('drain', more);
        return;
      }
    }
  };
  more();
}
