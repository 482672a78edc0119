import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { adviceLine } from './advice';
import { ApiError, faultMessage, printable, unknownOperation, UnwordedApiError } from './api-errors';
import type { Console } from './console';
import type { Door } from './door';
import { faviconAnswer } from './favicon';
import { localStackAnswer, otherServiceMessage, otherServiceOf, type ServeS3 } from './localstack';
import type { StepFunctionsService } from './service';
import type { JsonValue } from '../asl';
import { ApiErrors, type ApiErrorName } from '../asl/api-errors';
import { BodyEncodingError, BodyNestingError, decodeBody, parseBody, type BodyText } from './validation/body';
import { answerJson } from './wire-json';

/** The largest request body read: a definition may be 1 MB, an input 256 KB; JSON escaping can double them. */
const MAX_BODY = 4 * 1024 * 1024;
const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** The media types AWS's JSON 1.0 services read a body of; an answer is of the request's. */
const JSON_MEDIA_TYPES: ReadonlySet<string> = new Set([CONTENT_TYPE, 'application/json']);

/**
 * AWS's answer to a request no protocol of the service claims (any method but POST, or a body
 * whose Content-Type is not JSON's): 404 with this body and no Content-Type (AWS's answers
 * recorded in dynalite's and kinesalite's suites).
 */
const UNCLAIMED_BODY = '<UnknownOperationException/>\n';

/**
 * CORS as AWS's JSON 1.0 services answer it (recorded for DynamoDB and Kinesis in dynalite's and
 * kinesalite's suites, run against AWS), so that a page in a browser can call serve through
 * `@aws-sdk/client-sfn`: a request with an `Origin` is answered with `Access-Control-Allow-Origin: *`,
 * and its preflight, an `OPTIONS` with an `Origin`, with 200 and no body, allowing the method and
 * headers it asks for, for 172,800 seconds. Only a request the door lets in gets here: a page of a
 * foreign origin is refused 403 with no CORS header, so its browser shows it nothing.
 */
const CORS_ALLOW_ORIGIN = { 'access-control-allow-origin': '*' } as const;
const CORS_MAX_AGE = '172800';
/** The headers of an answer a page may read: the SDKs read the request id and the error's type. */
const CORS_EXPOSE_HEADERS = 'x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date';

/** A preflight's `Access-Control-Request-*` value, echoed when it is one printable line of at most 1,000 characters. */
function echoed(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value.length <= 1000 && /^[\t\x20-\x7e]*$/.test(value) ? value : undefined;
}

/** A Content-Type's media type, lower case, without its parameters (`; charset=utf-8`). */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * A request's URL as a log line shows it: the value of every `token` parameter (the console's
 * live view carries its secret in the URL, as EventSource sends no header) replaced, then
 * {@link printable}.
 */
function loggedUrl(url: string | undefined): string {
  const at = (url ?? '').indexOf('?');
  if (at < 0) return printable(url ?? '');
  const query = url!.slice(at + 1).split('&').map((part) => {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // A malformed escape names no parameter the console reads; printed as sent.
    }
    return decoded.trim().toLowerCase() === 'token' ? `${name}=(redacted)` : part;
  });
  return printable(`${url!.slice(0, at)}?${query.join('&')}`);
}

/** An answer: the HTTP status, the JSON body, and an error's type: its name, and its `x-amzn-errortype` header. */
type Answer = readonly [status: number, body: unknown, error?: { readonly name: ApiErrorName; readonly header: string }];

/** An error's answer: its status, its body as AWS writes it, and its type. */
function errorAnswer(e: ApiError): Answer {
  return [e.status, e.body(), { name: e.type, header: e.errorTypeHeader() }];
}

/** The answer to a request no protocol claims: {@link UNCLAIMED_BODY}, not JSON. */
const UNCLAIMED: Answer = [404, UNCLAIMED_BODY];

/** What LocalStack's health endpoint says of this server. @internal */
export interface HandlerInfo {
  /** stepwright's version. */
  readonly version: string;
  /** Whether state survives a restart (`--data-dir`). */
  readonly persistence: boolean;
  /** Where serve keeps S3 objects, for the answer to a request signed for S3. @default - nowhere */
  readonly s3?: ServeS3;
}

/**
 * The AWS JSON 1.0 protocol as the SDKs and the AWS CLI speak it: `POST /`
 * with `X-Amz-Target: AWSStepFunctions.<Operation>` and a JSON body; answers
 * 200 with JSON, or 400 with `__type` and its words (`message`, or the framework's `Message`:
 * api-errors.ts; the service writes dates as epoch seconds in Java's form, wire-json.ts). Credentials and signatures are accepted unchecked. A request no JSON protocol
 * claims (any method but POST, a body whose Content-Type is not JSON's) is answered 404
 * `<UnknownOperationException/>`, as AWS answers it.
 *
 * A request from a Host or Origin the door refuses (a web page on a foreign name: DNS
 * rebinding) is answered 403 `AccessDeniedException` before its body is read, whatever it asks.
 * A page the door lets in is answered with CORS headers, its preflight with 200, as AWS answers
 * them ({@link CORS_ALLOW_ORIGIN}); an `OPTIONS` with no `Origin` is a request no protocol claims.
 *
 * No request can take the server down: whatever a handler throws, and whatever
 * goes wrong writing its answer, becomes an AWS-shaped 500 (`InternalFailure`)
 * and one line through `report`, and the server goes on answering.
 *
 * Paths under `/console` are the console's (see console/index.ts), when it is on; they pass the
 * same door.
 *
 * A GET of `/favicon.ico`, which a browser sends with any page of serve, is answered with an
 * icon (favicon.ts), not an API error a page would log.
 *
 * A GET of LocalStack's readiness paths (`/_localstack/health`, `/_localstack/init`)
 * is answered as LocalStack answers it; a request signed for another AWS
 * service is refused naming that service and what to use instead, said once
 * per service through `report` too, as the AWS CLI does not show a JSON
 * message to a service that speaks XML.
 * @internal
 */
export function createHandler(
  service: StepFunctionsService, door: Door, log: ((line: string) => void) | undefined, report: (line: string) => void,
  info: HandlerInfo = { version: '0.0.0', persistence: false }, consoleApp?: Pick<Console, 'handle'>,
): http.RequestListener {
  const reported = new Set<string>();
  return (req, res) => {
    const started = process.hrtime.bigint();
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    const origin = req.headers.origin;
    const refusal = door.refusal(req.headers.host, typeof origin === 'string' ? origin : undefined, req.method === 'POST' ? operation : undefined);
    // An answer to a page (a request with an Origin the door lets in) may be read by it; a refusal may not.
    const cors = refusal === undefined && typeof origin === 'string' ? { ...CORS_ALLOW_ORIGIN, 'access-control-expose-headers': CORS_EXPOSE_HEADERS } : {};
    if (refusal !== undefined) {
      // Its body is not read: nothing of a refused request reaches the service.
      res.shouldKeepAlive = false;
      if (consoleApp !== undefined && /^\/console(\/|$|\?)/.test(req.url ?? '')) {
        // A browser shows the refusal of a console page as a page, not as a file to download.
        res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(refusal) });
        res.end(refusal);
        req.on('error', () => undefined);
        req.resume();
        return;
      }
      send(errorAnswer(new ApiError(ApiErrors.AccessDeniedException, refusal)));
      req.on('error', () => undefined);
      req.resume();
      return;
    }
    // The console answers once it has read the request (a live view: once the page leaves): the line
    // is written then, with the status it sent.
    if (consoleApp?.handle(req, res)) {
      if (log) res.once('close', logDone);
      return;
    }
    if (req.method === 'OPTIONS' && typeof origin === 'string') {
      req.resume();
      const method = echoed(req.headers['access-control-request-method']);
      const headers = echoed(req.headers['access-control-request-headers']);
      res.writeHead(200, {
        'content-length': 0,
        'x-amzn-requestid': randomUUID(),
        ...CORS_ALLOW_ORIGIN,
        ...(method !== undefined ? { 'access-control-allow-methods': method } : {}),
        ...(headers !== undefined ? { 'access-control-allow-headers': headers } : {}),
        'access-control-max-age': CORS_MAX_AGE,
      }).end();
      log?.(`OPTIONS ${loggedUrl(req.url)} 200`);
      return;
    }
    const icon = faviconAnswer(req.method, req.url);
    if (icon) {
      req.resume();
      res.writeHead(200, icon.headers).end(icon.body);
      log?.(`${req.method} ${loggedUrl(req.url)} 200`);
      return;
    }
    const local = localStackAnswer(req.method, req.url, info.version, info.persistence);
    if (local) {
      req.resume();
      res.writeHead(local.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(local.body) });
      res.end(req.method === 'HEAD' ? undefined : local.body);
      log?.(`${req.method} ${loggedUrl(req.url)} ${local.status}`);
      return;
    }
    const abort = new AbortController();
    res.on('close', () => { if (!res.writableFinished) abort.abort(); });
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let answered = false;
    const finish = (): void => {
      if (answered) return;
      answered = true;
      void answer().then(send, (e: unknown) => send(internal(e))).catch((e: unknown) => {
        report(`could not answer ${printable(operation)}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        res.destroy();
      });
    };
    /**
     * A body past the limit is answered at once and its connection closed once the answer is out:
     * read to its end, a body that never ends (chunked) would hold the connection and the CPU that
     * reads it until Node's request timeout, five minutes later.
     */
    const refuseTooLarge = (): void => {
      tooLarge = true;
      chunks.length = 0;
      res.shouldKeepAlive = false;
      finish();
    };
    // A client that hangs up mid-body: there is no one to answer, and the error must not go unheard.
    req.on('error', () => abort.abort());
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY) refuseTooLarge();
      else chunks.push(chunk);
    });
    req.on('end', finish);
    // A body its Content-Length says is too large is refused before a byte of it is read.
    if (Number(req.headers['content-length']) > MAX_BODY) refuseTooLarge();

    async function answer(): Promise<Answer> {
      try {
        if (!target.startsWith(TARGET_PREFIX)) refuseOtherService();
        if (req.method !== 'POST' || ((size > 0 || tooLarge) && !JSON_MEDIA_TYPES.has(mediaType(req.headers['content-type'])))) return UNCLAIMED;
        if (tooLarge) throw new ApiError(ApiErrors.ValidationException, `The request body exceeds ${MAX_BODY} bytes`);
        // AWS's JSON services read the body before the target: a body that is not a JSON object is
        // SerializationException whatever the target names, and an empty body is one once the
        // operation is known (AWS's answers recorded in dynalite's and kinesalite's suites). A body
        // its reader cannot read, an empty one and a target it does not know are answered with the
        // type alone, as recorded there (UnwordedApiError): serve's log explains them.
        let raw: string;
        try {
          const read = decodeBody(Buffer.concat(chunks));
          raw = read.text;
          if (read.byteOrderMark || read.encoding !== 'UTF-8') adviseOnEncoding(read);
        } catch (e) {
          if (!(e instanceof BodyEncodingError)) throw e;
          throw new UnwordedApiError(ApiErrors.SerializationException, `the request body is not ${e.encoding === 'UTF-8' ? '' : 'valid '}${e.encoding}: ${e.message}; send its JSON in UTF-8`);
        }
        const empty = raw.trim() === '';
        // What JSON.parse reads is a JSON value.
        let params: JsonValue = {};
        if (!empty) {
          try {
            params = parseBody(raw);
          } catch (e) {
            if (e instanceof BodyNestingError) throw new ApiError(ApiErrors.SerializationException, e.message);
            throw new UnwordedApiError(ApiErrors.SerializationException, 'the request body is not valid JSON: send a JSON object');
          }
        }
        if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new ApiError(ApiErrors.SerializationException, 'The request body must be a JSON object');
        if (!target.startsWith(TARGET_PREFIX)) {
          throw new UnwordedApiError(ApiErrors.UnknownOperationException, `the X-Amz-Target header '${printable(target)}' is missing or not Step Functions'; send ${TARGET_PREFIX}<Operation>`);
        }
        if (!service.knows(operation)) throw unknownOperation(operation);
        if (empty) throw new UnwordedApiError(ApiErrors.SerializationException, 'the request body is empty: send a JSON object, {} for a request with no members');
        return [200, await service.call(operation, params, abort.signal)];
      } catch (e) {
        // AWS answers these with their type alone: the explanation is serve's log's.
        if (e instanceof UnwordedApiError) service.options.log(adviceLine(printable(operation) || 'request', { state: '', message: e.message }));
        if (e instanceof ApiError) return errorAnswer(e);
        return internal(e);
      }
    }

    /**
     * A body in UTF-16 or UTF-32, or that began with a byte order mark, read as Jackson's byte
     * reader reads it: AWS's answer is not recorded, and no SDK sends one.
     */
    function adviseOnEncoding(read: BodyText): void {
      const what = read.encoding === 'UTF-8' ? 'begins with a UTF-8 byte order mark (bytes EF BB BF)'
        : `is ${read.encoding}${read.byteOrderMark ? ' with a byte order mark' : ''}`;
      const message = `the request body ${what}; serve reads it as the JSON reader AWS's services use reads it,`
        + ' but AWS\'s answer is not recorded and may be SerializationException: send the body as UTF-8 without a byte order mark';
      service.options.log(adviceLine(printable(operation) || 'request', { state: '', message }));
    }

    /** A request signed for another service (IAM, Lambda, S3 …): refused, naming it and what serve offers instead. */
    function refuseOtherService(): void {
      const other = otherServiceOf(typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined, target);
      if (other === undefined) return;
      const message = otherServiceMessage(other, req.method, req.url, info.s3);
      if (!reported.has(other) && reported.size < 100) {
        reported.add(other);
        report(message.replace(/[^\x20-\x7e]/g, '?'));
      }
      throw new ApiError(ApiErrors.UnknownOperationException, message);
    }

    /** A 500 as AWS shapes it, and a log line with the stack: the request failed, the server did not. */
    function internal(e: unknown): Answer {
      report(`internal error in ${printable(operation) || '(no operation)'}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      const message = faultMessage(e);
      return errorAnswer(new ApiError(ApiErrors.InternalFailure, `Internal error: ${message}`));
    }

    function send(reply: Answer): void {
      if (reply === UNCLAIMED) {
        if (res.destroyed || res.headersSent) return;
        res.writeHead(404, { 'content-length': Buffer.byteLength(UNCLAIMED_BODY), 'x-amzn-requestid': randomUUID(), ...cors });
        res.end(UNCLAIMED_BODY);
        if (log) log(`${req.method} ${operation ? printable(operation) : loggedUrl(req.url)} 404 UnknownOperationException ${elapsed()}`);
        return;
      }
      let [status, body, errorType] = reply;
      let text: string | undefined;
      try {
        // An answer's timestamps and floats as AWS writes them (wire-json.ts); an error's body has neither.
        text = status === 200 ? answerJson(body) : JSON.stringify(body);
      } catch (e) {
        // An answer that cannot be written as JSON (a cycle, a BigInt) is the server's fault, not the client's.
        [status, body, errorType] = internal(e);
        text = JSON.stringify(body);
      }
      if (text === undefined) {
        [status, body, errorType] = internal(new Error(`the answer of ${operation} is not a JSON value`));
        text = JSON.stringify(body);
      }
      if (res.destroyed || res.headersSent) return;
      res.writeHead(status, {
        'content-type': mediaType(req.headers['content-type']) === 'application/json' ? 'application/json' : CONTENT_TYPE,
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': randomUUID(),
        ...(errorType ? { 'x-amzn-errortype': errorType.header } : {}),
        ...cors,
      });
      res.end(text);
      if (log) log(`${req.method} ${operation ? printable(operation) : loggedUrl(req.url)} ${status}${errorType ? ` ${errorType.name}` : ''} ${elapsed()}`);
    }

    function elapsed(): string {
      return `${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)}ms`;
    }

    /** The console's line: its status as sent, or that the client left before an answer. */
    function logDone(): void {
      const status = res.headersSent ? String(res.statusCode) : 'unanswered';
      log!(`${req.method} ${loggedUrl(req.url)} ${status}${res.writableFinished ? '' : ' (connection closed)'} ${elapsed()}`);
    }
  };
}
