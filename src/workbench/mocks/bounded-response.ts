import { Transform, type Readable } from 'node:stream';

/** An endpoint's answer past the bound it is read to; reading it stopped there. @internal */
export class ResponseTooLarge extends Error {
  constructor(public readonly bytes: number, public readonly announced: boolean, public readonly status: number) {
    super(`the endpoint answered status ${status} with ${announced ? '' : 'more than '}${bytes} bytes`);
    this.name = 'ResponseTooLarge';
  }
}

/**
 * An endpoint that had not answered whole when the call's deadline came: counted from the
 * request, so an answer that drips a byte at a time (which resets a socket's idle timeout at
 * every byte) ends there too. @internal
 */
export class ResponseDeadline extends Error {
  constructor(public readonly ms: number) {
    super(`the endpoint had not answered whole within ${ms / 1000} s of the request`);
    this.name = 'ResponseDeadline';
  }
}

/** What a request handler of the AWS SDK gives back: the HTTP response, its body a stream. */
interface HandlerOutput {
  readonly response: { statusCode?: number; headers?: Record<string, string | undefined>; body?: unknown };
}

/** The request handler of an AWS SDK client (`@smithy/node-http-handler`'s, or one that wraps it). */
interface RequestHandler {
  readonly metadata?: unknown;
  handle(request: unknown, options?: { abortSignal?: AbortSignal; [k: string]: unknown }): Promise<HandlerOutput>;
  destroy?(): void;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): unknown;
}

/** The bounds of every answer a client reads. @internal */
export interface AnswerBounds {
  /** Bytes of one answer's body, at most; a larger Content-Length is refused before the body is read. */
  readonly maxBytes: number;
  /** Real milliseconds from the request to the end of its answer's body, at most. */
  readonly deadlineMs: number;
}

/**
 * Bounds every answer an AWS SDK client reads, where the answer comes in: the client's own
 * request handler is wrapped, so the body is counted as the socket gives it, before the SDK
 * collects it (the SDK holds a body in buffers outside the JavaScript heap, which a heap limit
 * does not stop), and the whole call, its body to the last byte, has one deadline from the request.
 * Past either the request is torn down and the call fails with {@link ResponseTooLarge} or
 * {@link ResponseDeadline}, which the caller names in the service's words. Call it on a new
 * client, before its first call (the SDK takes the handler when a command is first sent).
 * @internal
 */
export function boundAnswers(client: { readonly config: object }, bounds: AnswerBounds): void {
  const config = client.config as { requestHandler: RequestHandler };
  config.requestHandler = boundedHandler(config.requestHandler, bounds);
}

function boundedHandler(inner: RequestHandler, bounds: AnswerBounds): RequestHandler {
  return {
    metadata: inner.metadata,
    destroy: () => inner.destroy?.(),
    updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs?.() ?? {},
    async handle(request, options = {}) {
      const abort = new AbortController();
      const given = options.abortSignal;
      const passOn = (): void => abort.abort(given?.reason);
      if (given?.aborted) passOn();
      else given?.addEventListener('abort', passOn, { once: true });
      let body: Readable | undefined;
      const late = new ResponseDeadline(bounds.deadlineMs);
      const timer = setTimeout(() => {
        if (body) body.destroy(late);
        else abort.abort(late);
      }, bounds.deadlineMs);
      // The deadline never keeps a process alive by itself.
      timer.unref();
      const done = (): void => {
        clearTimeout(timer);
        given?.removeEventListener('abort', passOn);
      };
      let out: HandlerOutput;
      try {
        out = await inner.handle(request, { ...options, abortSignal: abort.signal });
      } catch (e) {
        done();
        throw abort.signal.reason === late ? late : e;
      }
      const response = out.response;
      const source = response.body as Readable | undefined;
      if (!source || typeof source.pipe !== 'function') {
        done();
        return out;
      }
      const status = response.statusCode ?? 200;
      const announced = Number(response.headers?.['content-length'] ?? response.headers?.['Content-Length']);
      if (announced > bounds.maxBytes) {
        done();
        source.destroy();
        throw new ResponseTooLarge(announced, true, status);
      }
      let seen = 0;
      const bounded = new Transform({
        transform(chunk: Buffer, _encoding, next) {
          seen += chunk.length;
          if (seen <= bounds.maxBytes) {
            next(null, chunk);
            return;
          }
          source.unpipe(bounded);
          source.destroy();
          next(new ResponseTooLarge(bounds.maxBytes, false, status));
        },
      });
      body = bounded;
      source.on('error', (e) => bounded.destroy(e));
      bounded.on('close', () => {
        done();
        // The answer ended early (its bound, the deadline): the socket goes with it.
        if (!source.readableEnded) source.destroy();
      });
      response.body = source.pipe(bounded);
      return out;
    },
  };
}
