/*
 * The first messages of a session, answered before the MCP SDK is loaded. A client starts with
 * initialize, the initialized notification and tools/list, and waits for their answers before it
 * can offer stepwright's tools; loading the SDK's server and zod takes most of what
 * `stepwright mcp` would otherwise do before answering them (docs/performance.md has the figures).
 * Neither answer needs them: initialize's is the server's name, version, capabilities and
 * instructions with the protocol version agreed as the SDK agrees it, and tools/list's is the
 * listing the tools' zod schemas make, written ahead into tool-listing.json (a test checks it
 * against the schemas and the SDK's protocol versions).
 *
 * The front answers only a message it can answer exactly as the SDK would: a request whose every
 * field is one the SDK's schema takes, of the kind it takes. Anything else (another method, a
 * field it does not check itself, a client capability it does not know the shape of) is handed to
 * the SDK, which is loaded then and answers that message and every later one. The initialize
 * request the front answered is replayed to it first, its answer not written again, so that the
 * SDK's server knows the client as if it had answered it.
 */
import { randomUUID } from 'node:crypto';
import type { InitializeResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { BoundedStdioTransport } from './stdio-transport';
import * as LISTING from './tool-listing.json';
import type { JsonObject, JsonValue } from '../asl';

/** What the front says of the server, as its initialize answer does. @internal */
export interface ServerDescription {
  readonly name: string;
  readonly version: string;
  readonly instructions: string;
}

/** The capabilities the server declares: its tools. @internal */
export const CAPABILITIES = { tools: {} } as const;

/** The tools as tools/list answers: what the zod schemas make (test/mcp/front.test.ts checks it). @internal */
export const TOOL_LISTING = LISTING.tools;

/** A message, or a part of one: a JSON object. */
function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether an object has no key outside `keys`. */
function onlyKeys(value: JsonObject, keys: readonly string[]): boolean {
  return Object.keys(value).every((k) => keys.includes(k));
}

/** A value the SDK's `AssertObjectSchema` takes: anything but null that is an object. */
function anObject(value: JsonValue): boolean {
  return value !== null && typeof value === 'object';
}

const absentOr = (value: JsonValue | undefined, check: (v: JsonValue) => boolean): boolean => value === undefined || check(value);
const isString = (v: JsonValue): boolean => typeof v === 'string';
const isBoolean = (v: JsonValue): boolean => typeof v === 'boolean';
const objectsOnly = (v: JsonValue): boolean => isObject(v) && Object.values(v).every(anObject);

/** A JSON-RPC request of this method with nothing the SDK's request schema refuses around its params. */
function requestOf(message: JsonObject, method: string): boolean {
  const id = message.id;
  return onlyKeys(message, ['jsonrpc', 'id', 'method', 'params']) && message.jsonrpc === '2.0' && message.method === method
    && (typeof id === 'string' || Number.isSafeInteger(id));
}

/**
 * The client capabilities the SDK's ClientCapabilitiesSchema takes, of those the front reads:
 * `tasks`, and any shape beyond the ones below, go to the SDK. Keys it does not define it drops,
 * as the schema does.
 */
function knownCapabilities(value: JsonValue | undefined): boolean {
  if (!isObject(value) || value.tasks !== undefined) return false;
  const { roots, sampling, elicitation, experimental, extensions } = value;
  return absentOr(roots, (r) => isObject(r) && absentOr(r.listChanged, isBoolean))
    && absentOr(sampling, (s) => isObject(s) && absentOr(s.context, anObject) && absentOr(s.tools, anObject))
    && absentOr(elicitation, (e) => isObject(e) && absentOr(e.url, anObject)
      && absentOr(e.form, (f) => isObject(f) && absentOr(f.applyDefaults, isBoolean)))
    && absentOr(experimental, objectsOnly) && absentOr(extensions, objectsOnly);
}

/** An initialize request the SDK takes (InitializeRequestSchema), without `_meta` or the client's icons. */
function isInitialize(message: JsonObject): boolean {
  if (!requestOf(message, 'initialize')) return false;
  const params = message.params;
  if (!isObject(params) || !onlyKeys(params, ['protocolVersion', 'capabilities', 'clientInfo'])) return false;
  const client = params.clientInfo;
  return typeof params.protocolVersion === 'string' && knownCapabilities(params.capabilities)
    && isObject(client) && typeof client.name === 'string' && typeof client.version === 'string' && client.icons === undefined
    && absentOr(client.title, isString) && absentOr(client.websiteUrl, isString) && absentOr(client.description, isString);
}

/** The initialized notification, without params beyond an empty object's. */
function isInitialized(message: JsonObject): boolean {
  return onlyKeys(message, ['jsonrpc', 'method', 'params']) && message.jsonrpc === '2.0' && message.method === 'notifications/initialized'
    && absentOr(message.params, (p) => isObject(p) && p._meta === undefined);
}

/** A tools/list request (ListToolsRequestSchema), with a cursor or none, without `_meta`. */
function isToolsList(message: JsonObject): boolean {
  return requestOf(message, 'tools/list') && absentOr(message.params, (p) => isObject(p) && p._meta === undefined && absentOr(p.cursor, isString));
}

/**
 * Answers the first messages of a session on `transport` until one it does not answer, or
 * `handOver` is called; then `connect` loads the SDK's server and connects it to the transport,
 * and the front replays the initialize request it answered. @internal
 */
export class SessionFront {
  private initialize: JsonObject | undefined;
  private initialized: JsonObject | undefined;
  private handedOver = false;

  constructor(
    private readonly transport: BoundedStdioTransport,
    private readonly server: ServerDescription,
    private readonly connect: () => void,
    private readonly onToolsListed: () => void,
  ) {
    transport.early = (message) => this.take(message);
  }

  /** Answers a message the front can answer as the SDK would; else hands the session over (false: the SDK takes it). */
  private take(message: JsonValue): boolean {
    if (this.handedOver) return false;
    if (isObject(message) && isInitialize(message)) {
      this.initialize = message;
      const params = message.params;
      const asked = isObject(params) && typeof params.protocolVersion === 'string' ? params.protocolVersion : '';
      // The SDK's rule: the client's version when the SDK supports it, else the latest it does.
      const protocolVersion = LISTING.protocolVersions.includes(asked) ? asked : LISTING.protocolVersions[0];
      this.answer(message.id as string | number, {
        protocolVersion,
        capabilities: CAPABILITIES,
        serverInfo: { name: this.server.name, version: this.server.version },
        instructions: this.server.instructions,
      });
      return true;
    }
    if (isObject(message) && isInitialized(message)) {
      this.initialized = message;
      return true;
    }
    if (isObject(message) && isToolsList(message)) {
      this.answer(message.id as string | number, { tools: TOOL_LISTING });
      this.onToolsListed();
      return true;
    }
    this.handOver();
    return false;
  }

  /** Loads the SDK's server and gives it the session (once). */
  handOver(): void {
    if (this.handedOver) return;
    this.handedOver = true;
    this.transport.early = undefined;
    this.connect();
    if (this.initialize !== undefined) {
      // Under an id no client can have sent: its answer, given already, is not written again.
      const id = `stepwright-replayed-initialize-${randomUUID()}`;
      this.transport.silenced = id;
      this.transport.deliver({ ...this.initialize, id });
    }
    if (this.initialized !== undefined) this.transport.deliver(this.initialized);
  }

  private answer(id: string | number, result: InitializeResult | { readonly tools: typeof TOOL_LISTING }): void {
    // As the SDK's Protocol writes an answer: result, then jsonrpc and id.
    this.transport.send({ result, jsonrpc: '2.0', id } as JSONRPCMessage).catch((e: unknown) => this.transport.onerror?.(e as Error));
  }
}
