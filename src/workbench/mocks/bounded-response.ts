import { Transform, type Readable } from 'node:stream';

/** An endpoint's answer past the bound it is read to; reading it stopped there. @internal */
export class ResponseTooLarge extends Error {
  constructor(public readonly bytes: number, public readonly announced: boolean, public readonly status: number) {
    super(`the endpoint answered status ${status} with ${announced ? '' : 'more than '}${bytes} bytes`);
    this.name = 'ResponseTooLarge';
  }
}

/** What the SDK's handler gives a middleware: the HTTP response, its body a stream. @internal */
export interface RawResponse {
  readonly response?: { statusCode?: number; headers?: Record<string, string | undefined>; body?: unknown };
}

/**
 * A middleware (for the SDK's deserialize step, inside the deserializer) that
 * holds what an endpoint answers to `limit` bytes: a larger Content-Length is
 * refused before the body is read, and a body that runs past it is cut off
 * there, so that an endpoint answering gigabytes (or without end) costs the
 * server no more memory than the service itself would send.
 * @internal
 */
export function boundResponse(limit: number) {
  return (next: (args: unknown) => Promise<RawResponse>): (args: unknown) => Promise<RawResponse> => async (args) => {
    const out = await next(args);
    const response = out.response;
    const body = response?.body as Readable | undefined;
    if (!response || !body || typeof body.pipe !== 'function') return out;
    const status = response.statusCode ?? 200;
    const announced = Number(response.headers?.['content-length'] ?? response.headers?.['Content-Length']);
    if (announced > limit) {
      body.destroy();
      throw new ResponseTooLarge(announced, true, status);
    }
    let seen = 0;
    const bounded = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen <= limit) {
          done(null, chunk);
          return;
        }
        body.unpipe(bounded);
        body.destroy();
        done(new ResponseTooLarge(limit, false, status));
      },
    });
    body.on('error', (e) => bounded.destroy(e));
    response.body = body.pipe(bounded);
    return out;
  };
}
