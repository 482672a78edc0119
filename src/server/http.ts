import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { ApiError } from './errors';
import type { StepFunctionsService } from './service';

/** The largest request body read: a definition may be 1 MB, an input 256 KB; JSON escaping can double them. */
const MAX_BODY = 4 * 1024 * 1024;
const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

/**
 * The AWS JSON 1.0 protocol as the SDKs and the AWS CLI speak it: `POST /`
 * with `X-Amz-Target: AWSStepFunctions.<Operation>` and a JSON body; answers
 * 200 with JSON, or 400 with `__type` and `message` (the service writes dates as
 * epoch seconds). Credentials and signatures are accepted unchecked.
 * @internal
 */
export function createHandler(
  service: StepFunctionsService, log: ((line: string) => void) | undefined, report: (line: string) => void,
): http.RequestListener {
  return (req, res) => {
    const started = process.hrtime.bigint();
    const abort = new AbortController();
    res.on('close', () => { if (!res.writableFinished) abort.abort(); });
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      void answer().then(([status, body, errorType]) => {
        const text = JSON.stringify(body);
        res.writeHead(status, {
          'content-type': CONTENT_TYPE,
          'content-length': Buffer.byteLength(text),
          'x-amzn-requestid': randomUUID(),
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        });
        res.end(text);
        if (log) {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          log(`${req.method} ${operation || req.url} ${status}${errorType ? ` ${errorType}` : ''} ${ms.toFixed(1)}ms`);
        }
      });
    });

    async function answer(): Promise<[number, unknown, string?]> {
      try {
        if (req.method !== 'POST') throw new ApiError('UnknownOperationException', `Send AWS JSON 1.0 requests: POST / with X-Amz-Target: ${TARGET_PREFIX}<Operation>`);
        if (!target.startsWith(TARGET_PREFIX)) throw new ApiError('UnknownOperationException', `Missing or unknown X-Amz-Target header '${target}'; expected ${TARGET_PREFIX}<Operation>`);
        if (tooLarge) throw new ApiError('ValidationException', `The request body exceeds ${MAX_BODY} bytes`);
        const raw = Buffer.concat(chunks).toString('utf8');
        let params: unknown;
        try {
          params = raw.trim() === '' ? {} : JSON.parse(raw);
        } catch {
          throw new ApiError('SerializationException', 'The request body is not valid JSON');
        }
        if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new ApiError('SerializationException', 'The request body must be a JSON object');
        return [200, await service.call(operation, params as Record<string, unknown>, abort.signal)];
      } catch (e) {
        if (e instanceof ApiError) return [e.status, { __type: `com.amazonaws.states#${e.type}`, message: e.message }, e.type];
        report(`internal error in ${operation}: ${(e as Error).stack ?? String(e)}`);
        return [500, { __type: 'com.amazonaws.states#InternalFailure', message: `Internal error: ${(e as Error).message}` }, 'InternalFailure'];
      }
    }
  };
}
