/*
 * MCP over standard input and output, one JSON-RPC message a line, with
 * every message answered or accounted for. The SDK's StdioServerTransport
 * stops reading for good when a line passes 10 MiB, and drops without an
 * answer any line its schema refuses (a progress token that is an object,
 * a line that is not JSON): the client then waits for ever. Here a line
 * too long is skipped unread and answered with an error under its id; a
 * line the schema refuses is answered with what is wrong; a progress token
 * of the wrong type is ignored; and an answer too large for a client to
 * read is replaced by an error.
 */
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MAX_ANSWER_BYTES } from './answer-bound';
import { OversizedLine } from './oversized-line';
import type { JsonObject, JsonValue } from '../asl';

/** JSON-RPC 2.0's error codes, as the SDK's `ErrorCode` names them. */
const ErrorCode = { ParseError: -32700, InvalidRequest: -32600, InvalidParams: -32602, InternalError: -32603 } as const;

type Types = typeof import('@modelcontextprotocol/sdk/types.js');
let typesModule: Types | undefined;

/**
 * MCP's schemas, loaded with the first message the session's front does not answer itself
 * (front.ts): they are the SDK's zod schemas, most of what `stepwright mcp` would load to start.
 */
function types(): Types {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  return typesModule ??= require('@modelcontextprotocol/sdk/types.js') as Types;
}

/** Longest line read, in bytes: the SDK's own bound, so what its client may send is read. @internal */
export const MAX_REQUEST_BYTES = 10 * 1_048_576;

/**
 * Most requests read and not yet answered: past it, reading stops until one is answered (or
 * cancelled). One 69 KB write of 1,400 tools/list took the server from 115 to 310 MB, every answer
 * made before the output's backpressure paused reading. @internal
 */
export const MAX_PENDING_REQUESTS = 64;

/**
 * Most characters of requests read and not yet answered: past it, reading stops as at
 * {@link MAX_PENDING_REQUESTS}, one request always read. 64 explore calls waiting for a worker,
 * each under an id of 9 MiB, held 907 MB; a request's lines are 10 MiB at most, so a few large
 * ones wait at a time and any number of small ones up to the count. @internal
 */
export const MAX_PENDING_CHARS = 32 * 1_048_576;


const NEWLINE = 0x0a;

function bytes(n: number): string {
  return n.toLocaleString('en-US');
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An id the client can match an answer to: a string or an integer, as MCP's RequestId. */
function readableId(value: JsonValue): string | number | undefined {
  if (!isObject(value)) return undefined;
  const id = value.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)) ? id : undefined;
}

/** A JSON value's kind, as a message names it. */
function kindOf(value: JsonValue | undefined): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return `the number ${value}`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : 'a string';
}

/**
 * Splits a byte stream into lines of at most `max` bytes. A longer line is
 * not kept: its bytes pass through an {@link OversizedLine} and it is handed
 * on as that when its newline comes.
 */
class LineReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private oversized: OversizedLine | undefined;

  constructor(
    private readonly max: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversized: (line: OversizedLine) => void,
  ) {}

  /** Reads the lines of `chunk` until `stop()` holds after one: what is left unread, empty when none. */
  push(chunk: Buffer, stop: () => boolean): Buffer {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const piece = chunk.subarray(start, nl < 0 ? chunk.length : nl);
      if (this.oversized) {
        this.oversized.feed(piece);
      } else if (this.length + piece.length > this.max) {
        const oversized = new OversizedLine();
        for (const c of this.chunks) oversized.feed(c);
        oversized.feed(piece);
        this.oversized = oversized;
        this.chunks = [];
        this.length = 0;
      } else {
        this.chunks.push(piece);
        this.length += piece.length;
      }
      if (nl < 0) return chunk.subarray(chunk.length);
      start = nl + 1;
      if (this.oversized) {
        const done = this.oversized;
        this.oversized = undefined;
        done.end();
        this.onOversized(done);
      } else {
        const line = Buffer.concat(this.chunks, this.length).toString('utf8');
        this.chunks = [];
        this.length = 0;
        this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      }
      if (stop()) break;
    }
    return chunk.subarray(start);
  }

  clear(): void {
    this.chunks = [];
    this.length = 0;
    this.oversized = undefined;
  }
}

/**
 * The server's side of MCP over stdio, as the SDK's Transport: a bounded
 * reader of requests and a bounded writer of answers.
 * @internal
 */
export class BoundedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /**
   * Offered every message that is JSON before it is checked against MCP's schema: true when it
   * was answered (the session's front answers the first messages of a session without the SDK).
   */
  early?: (message: JsonValue) => boolean;
  /** An id whose answer is not written: a request replayed to the SDK that was answered already. */
  silenced?: string;

  /** The sends that wait for the output to drain; while any does, the input is paused. */
  private readonly waiting: Array<() => void> = [];
  private readonly reader: LineReader;
  private started = false;
  /** The listeners on the input, kept to be removed again. */
  private readonly ondata: (chunk: Buffer) => void;
  private readonly onreaderror: (error: Error) => void;
  /** Requests read and not yet answered nor cancelled, by {@link idKey}: the length of each line under the id, oldest first. */
  private readonly unanswered = new Map<string, number[]>();
  private unansweredCount = 0;
  /** The characters of the lines of those requests. */
  private unansweredChars = 0;
  /** Input read from the stream but not yet split into lines: reading stopped at the cap within it. */
  private unread: Buffer | undefined;

  /**
   * `maxPending`: most requests read and not yet answered ({@link MAX_PENDING_REQUESTS});
   * `maxPendingChars`: most characters of their lines ({@link MAX_PENDING_CHARS}).
   */
  constructor(
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
    private readonly maxPending: number = MAX_PENDING_REQUESTS,
    private readonly maxPendingChars: number = MAX_PENDING_CHARS,
  ) {
    this.reader = new LineReader(MAX_REQUEST_BYTES, (line) => this.read(line), (line) => this.refuse(line));
    this.ondata = (chunk) => this.take(chunk);
    this.onreaderror = (error) => this.onerror?.(error);
  }

  /** Reads the input; started once, by the front, and again (doing nothing) by the SDK's server. */
  start(): Promise<void> {
    if (this.started) return Promise.resolve();
    this.started = true;
    this.input.on('data', this.ondata);
    this.input.on('error', this.onreaderror);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.input.off('data', this.ondata);
    this.input.off('error', this.onreaderror);
    if (this.input.listenerCount('data') === 0) this.input.pause();
    this.reader.clear();
    this.unread = undefined;
    this.onclose?.();
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if ('id' in message && !('method' in message)) this.answered(message.id);
    if (this.silenced !== undefined && 'id' in message && message.id === this.silenced && !('method' in message)) {
      this.silenced = undefined;
      return Promise.resolve();
    }
    const line = this.bounded(message);
    if (line === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.output.write(`${line}\n`)) {
        resolve();
        return;
      }
      // A client that does not read its answers: no more requests are read until it has read these.
      this.waiting.push(resolve);
      this.holdInput();
    });
  }

  /**
   * Stops reading requests until the client has read the answers written: each request read makes
   * an answer, and a client sending 100,000 tools/list without reading took the server to 3.6 GB
   * of answers waiting in its memory before it died.
   */
  private holdInput(): void {
    if (this.waiting.length > 1) return;
    this.input.pause();
    this.output.once('drain', () => {
      for (const resolve of this.waiting.splice(0)) resolve();
      this.readOn();
    });
  }

  /** Input as it comes: split into lines until {@link MAX_PENDING_REQUESTS} wait for answers, the rest kept unread. */
  private take(chunk: Buffer): void {
    if (this.unread !== undefined) {
      // Read before the pause took hold: kept behind what waits already.
      this.unread = Buffer.concat([this.unread, chunk]);
      return;
    }
    const rest = this.reader.push(chunk, () => this.full());
    if (rest.length > 0) this.unread = rest;
    if (this.full()) this.input.pause();
  }

  /** Reads on once a request is answered: what was kept unread first, then the input, unless answers still wait for the client. */
  private readOn(): void {
    if (this.full()) return;
    const unread = this.unread;
    if (unread !== undefined) {
      this.unread = undefined;
      this.take(unread);
    }
    if (this.full() || this.unread !== undefined || this.waiting.length > 0) return;
    if (this.started && this.input.listenerCount('data') > 0) this.input.resume();
  }

  private full(): boolean {
    return this.unansweredCount >= this.maxPending || this.unansweredChars >= this.maxPendingChars;
  }

  /** A request read, its line `chars` long: it holds a slot and its characters until answered or cancelled. */
  private asked(id: string | number, chars: number): void {
    const key = idKey(id);
    const lines = this.unanswered.get(key);
    if (lines === undefined) this.unanswered.set(key, [chars]);
    else lines.push(chars);
    this.unansweredCount++;
    this.unansweredChars += chars;
  }

  /** A request answered (a result or an error) or cancelled by the client: its slot is free, and reading goes on. */
  private answered(id: JsonValue | undefined): void {
    if (typeof id !== 'string' && typeof id !== 'number') return;
    const key = idKey(id);
    const lines = this.unanswered.get(key);
    if (lines === undefined) return;
    const chars = lines.shift()!;
    if (lines.length === 0) this.unanswered.delete(key);
    const wasFull = this.full();
    this.unansweredCount--;
    this.unansweredChars -= chars;
    // Not within the answer's own send: a refused line is answered while its chunk is being read.
    if (wasFull) queueMicrotask(() => this.readOn());
  }

  /** The message as one line, or what stands in for it when it would be longer than a client reads. */
  private bounded(message: JSONRPCMessage): string | undefined {
    const line = JSON.stringify(message);
    const size = Buffer.byteLength(line);
    if (size <= MAX_ANSWER_BYTES) return line;
    const bound = `more than the ${bytes(MAX_ANSWER_BYTES)} bytes (8 MiB) a message to the client may be`;
    // A notification (progress, echoing a token of megabytes) too large is not sent; an answer is replaced by an error under its id.
    if (!('id' in message) || 'method' in message) {
      this.onerror?.(new Error(`a ${'id' in message ? 'request' : 'notification'} of ${bytes(size)} bytes, ${bound}, was not sent`));
      return undefined;
    }
    const why = `the answer is ${bytes(size)} bytes, ${bound}`;
    this.onerror?.(new Error(`request ${JSON.stringify(message.id).slice(0, 100)}: ${why}`));
    const error = { jsonrpc: '2.0', id: message.id, error: { code: ErrorCode.InternalError, message: why } };
    const answer = JSON.stringify(error);
    return Buffer.byteLength(answer) <= MAX_ANSWER_BYTES ? answer : JSON.stringify({ jsonrpc: '2.0', error: error.error });
  }

  /** One line as read: a message passed on, or refused with an answer that says why. */
  private read(line: string): void {
    if (line.trim() === '') return;
    let value: JsonValue;
    try {
      value = JSON.parse(line);
    } catch (e) {
      this.answerError(undefined, ErrorCode.ParseError, `not JSON: ${(e as Error).message}`);
      return;
    }
    if (isObject(value) && typeof value.method === 'string') {
      const id = readableId(value);
      if (id !== undefined) this.asked(id, line.length);
      // The SDK's server writes no answer to a request the client cancels (MCP, Cancellation).
      else if (value.method === 'notifications/cancelled' && !('id' in value) && isObject(value.params)) this.answered(value.params.requestId);
    }
    if (this.early?.(value)) return;
    this.deliver(value);
  }

  /** A message read as JSON, checked against MCP's schema and handed to the SDK's server (or refused with an answer). */
  deliver(value: JsonValue): void {
    const message = this.checked(value);
    if (message) this.onmessage?.(message);
  }

  /** The message when MCP's schema takes it (after any progress token of the wrong type is dropped), else undefined once answered. */
  private checked(value: JsonValue): JSONRPCMessage | undefined {
    const parsed = types().JSONRPCMessageSchema.safeParse(value);
    if (parsed.success) return this.callParams(parsed.data);
    const id = readableId(value);
    const withoutToken = this.withoutBadToken(value, id);
    if (withoutToken) return withoutToken;
    if (!isObject(value)) {
      this.answerError(undefined, ErrorCode.InvalidRequest, `a message is a JSON object, got ${kindOf(value)}`);
      return undefined;
    }
    // The client's answers, and notifications, are never answered; they are only logged.
    if ('result' in value || 'error' in value || ('method' in value && !('id' in value))) {
      this.onerror?.(new Error(`a ${'method' in value ? 'notification' : 'response'} MCP's schema refuses was dropped: ${describeIssues(value)}`));
      return undefined;
    }
    this.answerError(id, ErrorCode.InvalidRequest, describeIssues(value));
    return undefined;
  }

  /**
   * A tools/call request whose params CallToolRequest's schema refuses (`arguments` a string) is
   * answered here with JSON-RPC's invalid-params error naming the field, as MCP's tools page says
   * of invalid arguments; the SDK's server would answer it as an internal error, its text the
   * schema's issues as JSON.
   */
  private callParams(message: JSONRPCMessage): JSONRPCMessage | undefined {
    if (!('method' in message) || message.method !== 'tools/call' || !('id' in message)) return message;
    const call = types().CallToolRequestSchema.safeParse(message);
    if (call.success) return message;
    const issues = call.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    this.answerError(message.id, ErrorCode.InvalidParams, `Invalid params: ${issues}`);
    return undefined;
  }

  /**
   * A request whose only fault is a progress token that is not a string or
   * an integer, without it: the token only asks for progress notifications,
   * which cannot name it, so the request is answered and no progress is sent.
   */
  private withoutBadToken(value: JsonValue, id: string | number | undefined): JSONRPCMessage | undefined {
    if (!isObject(value) || !isObject(value.params) || !isObject(value.params._meta) || !Object.hasOwn(value.params._meta, 'progressToken')) return undefined;
    const { progressToken, ...meta } = value.params._meta;
    const again = types().JSONRPCMessageSchema.safeParse({ ...value, params: { ...value.params, _meta: meta } });
    if (!again.success) return undefined;
    this.onerror?.(new Error(`request ${JSON.stringify(id) ?? '(no id)'}: _meta.progressToken must be a string or an integer; it is ignored, and no progress is sent (got ${kindOf(progressToken)})`));
    return again.data;
  }

  /** A line too long to read: answered under its id when one could be read, except a notification or a response. */
  private refuse(line: OversizedLine): void {
    const size = `${bytes(line.bytes)} bytes, more than the ${bytes(MAX_REQUEST_BYTES)} bytes (10 MiB) a message may be`;
    if (line.notification || line.response) {
      this.onerror?.(new Error(`a ${line.notification ? 'notification' : 'response'} of ${size}, was skipped unread`));
      return;
    }
    if (line.id === undefined) {
      this.answerError(undefined, ErrorCode.ParseError, `the message is ${size}; it was not read`);
    } else {
      this.answerError(line.id, ErrorCode.InvalidRequest, `the request is ${size}; it was not read. Give a large definition or template as a file`);
    }
  }

  /** Answers a refused line with an error (under its id, when it has one that can be read), and logs it. */
  private answerError(id: string | number | undefined, code: number, message: string): void {
    this.onerror?.(new Error(id === undefined ? message : `request ${JSON.stringify(id)}: ${message}`));
    // MCP's error answer carries no id when the request's could not be read (JSON-RPC writes null; MCP's schema leaves it out).
    const answer = { jsonrpc: '2.0' as const, ...(id === undefined ? {} : { id }), error: { code, message } };
    this.send(answer as JSONRPCMessage).catch((e: unknown) => this.onerror?.(e as Error));
  }
}

/** A request id as a key: 1 and "1" are two ids. */
function idKey(id: string | number): string {
  return `${typeof id}:${id}`;
}

/** What MCP's request schema finds wrong with a message, as `field: problem` lines. */
function describeIssues(value: JsonObject): string {
  const result = types().JSONRPCRequestSchema.safeParse(value);
  if (result.success) return 'it is not a request, a notification or a response';
  return result.error.issues.slice(0, 3).map((i) => `${i.path.length > 0 ? i.path.join('.') : 'message'}: ${i.message}`).join('; ');
}
