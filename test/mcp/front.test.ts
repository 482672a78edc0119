import { PassThrough } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { CAPABILITIES, SessionFront, TOOL_LISTING, type ServerDescription } from '../../src/mcp/front';
import { toolListing } from '../../src/mcp/listing';
import { BoundedStdioTransport } from '../../src/mcp/stdio-transport';
import * as WRITTEN from '../../src/mcp/tool-listing.json';
import { TOOLS } from '../../src/mcp/tools';

const DESCRIPTION: ServerDescription = { name: 'stepwright', version: '9.9.9', instructions: 'Use the tools.' };

type Message = Record<string, unknown>;

/** A transport on in-memory pipes, and the messages it wrote. */
function pipes(): { transport: BoundedStdioTransport; input: PassThrough; written: Message[]; next: () => Promise<Message> } {
  const input = new PassThrough();
  const output = new PassThrough();
  const written: Message[] = [];
  const waiting: Array<() => void> = [];
  let text = '';
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => {
    text += chunk;
    let end: number;
    while ((end = text.indexOf('\n')) >= 0) {
      written.push(JSON.parse(text.slice(0, end)) as Message);
      text = text.slice(end + 1);
      waiting.splice(0).forEach((w) => w());
    }
  });
  let read = 0;
  const next = async (): Promise<Message> => {
    while (written.length <= read) await new Promise<void>((resolve) => waiting.push(resolve));
    return written[read++]!;
  };
  return { transport: new BoundedStdioTransport(input, output), input, written, next };
}

function send(input: PassThrough, message: Message): void {
  input.write(`${JSON.stringify(message)}\n`);
}

/** The SDK's own server as `stepwright mcp` makes it (server.ts), without its tools. */
function sdkServer(): Server {
  return new Server({ name: DESCRIPTION.name, version: DESCRIPTION.version }, { capabilities: CAPABILITIES, instructions: DESCRIPTION.instructions });
}

function initialize(id: number | string, protocolVersion: string, capabilities: Message = {}): Message {
  return { jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion, capabilities, clientInfo: { name: 'client', version: '1.0.0' } } };
}

describe('stepwright mcp: the written tool listing', () => {
  // The front answers tools/list from the file without loading zod: the file must be what the schemas make.
  it('is what the tools\' zod schemas make (else run `npx projen mcp:listing`)', () => {
    expect(JSON.parse(JSON.stringify(toolListing(TOOLS)))).toEqual(WRITTEN.tools);
  });

  it('names the protocol versions the pinned SDK supports, the latest first', () => {
    expect(WRITTEN.protocolVersions).toEqual(SUPPORTED_PROTOCOL_VERSIONS);
  });
});

describe('stepwright mcp: the session front', () => {
  it.each([
    ['a version the SDK supports', initialize(1, SUPPORTED_PROTOCOL_VERSIONS[1]!)],
    ['a version the SDK does not know (the latest is agreed)', initialize('a', '1999-01-01')],
    ['known client capabilities', initialize(2, SUPPORTED_PROTOCOL_VERSIONS[0]!, { roots: { listChanged: true }, sampling: {}, elicitation: { form: {} } })],
  ])('answers initialize with %s exactly as the SDK\'s server does', async (_name, request) => {
    const front = pipes();
    const connect = jest.fn();
    new SessionFront(front.transport, DESCRIPTION, connect, () => undefined);
    await front.transport.start();
    send(front.input, request);
    const fromFront = await front.next();

    const sdk = pipes();
    await sdkServer().connect(sdk.transport);
    send(sdk.input, request);
    expect(fromFront).toEqual(await sdk.next());
    expect(connect).not.toHaveBeenCalled();
  });

  it('answers tools/list with the written listing without loading the SDK\'s server', async () => {
    const { transport, input, next } = pipes();
    const connect = jest.fn();
    const listed = jest.fn();
    new SessionFront(transport, DESCRIPTION, connect, listed);
    await transport.start();
    send(input, initialize(1, SUPPORTED_PROTOCOL_VERSIONS[0]!));
    send(input, { jsonrpc: '2.0', method: 'notifications/initialized' });
    send(input, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(await next()).toMatchObject({ id: 1 });
    expect(await next()).toEqual({ jsonrpc: '2.0', id: 2, result: { tools: TOOL_LISTING } });
    expect(listed).toHaveBeenCalledTimes(1);
    expect(connect).not.toHaveBeenCalled();
  });

  it('hands a message it does not answer to the SDK, which knows the client and does not answer initialize again', async () => {
    const { transport, input, written, next } = pipes();
    const server = sdkServer();
    new SessionFront(transport, DESCRIPTION, () => { void server.connect(transport); }, () => undefined);
    await transport.start();
    send(input, initialize(1, SUPPORTED_PROTOCOL_VERSIONS[0]!));
    send(input, { jsonrpc: '2.0', method: 'notifications/initialized' });
    send(input, { jsonrpc: '2.0', id: 2, method: 'ping' });
    expect(await next()).toMatchObject({ id: 1, result: { serverInfo: { name: 'stepwright' } } });
    expect(await next()).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    expect(server.getClientVersion()).toEqual({ name: 'client', version: '1.0.0' });
    expect(written.map((m) => m.id)).toEqual([1, 2]);
  });

  it('hands an initialize with a capability it does not read (tasks) to the SDK, which answers it', async () => {
    const { transport, input, next } = pipes();
    const server = sdkServer();
    const connect = jest.fn(() => { void server.connect(transport); });
    new SessionFront(transport, DESCRIPTION, connect, () => undefined);
    await transport.start();
    send(input, initialize(7, SUPPORTED_PROTOCOL_VERSIONS[0]!, { tasks: {} }));
    expect(await next()).toMatchObject({ id: 7, result: { protocolVersion: SUPPORTED_PROTOCOL_VERSIONS[0] } });
    expect(connect).toHaveBeenCalledTimes(1);
  });
});
