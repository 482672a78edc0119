import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMcp, textOf, type McpSession } from './client';
import { callLine, startRaw, stopRaw, type Message, type RawSession } from './raw';

/*
 * What a client sends or is answered is bounded, and a message past a bound
 * costs that message alone: the session goes on reading and answering. So one
 * server answers every raw line of this file, each test reading only what its
 * own lines caused, and the last test ends it.
 */

const MiB = 1_048_576;
const PASS = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mcp-messages-'));
  fs.writeFileSync(path.join(root, 'pass.asl.json'), JSON.stringify(PASS));
});
afterAll(async () => {
  // A test that failed before the last one leaves the server running.
  await stopRaw();
  fs.rmSync(root, { recursive: true, force: true });
});

/** The one raw session of the file, started (and initialized) by the first test that asks for it. */
let session: RawSession | undefined;
async function server(): Promise<RawSession> {
  if (!session) {
    session = startRaw(root);
    await session.initialize();
  }
  return session;
}

/** What the server wrote from here on: its messages, and its standard error once it has logged a line that matches. */
interface Since {
  /** The messages written since. */
  messages(): Message[];
  /** Resolves once `count` messages without an id (error answers) have been written since. */
  unnumbered(count: number): Promise<Message[]>;
  /** Resolves with the standard error written since, once it matches `pattern`. */
  logged(pattern: RegExp): Promise<string>;
}
function from(mcp: RawSession): Since {
  const messages = mcp.messages.length;
  const stderr = mcp.stderr().length;
  const isUnnumbered = (m: Message): boolean => !('id' in m) && !('method' in m);
  const before = mcp.messages.filter(isUnnumbered).length;
  return {
    messages: () => mcp.messages.slice(messages),
    unnumbered: async (count) => (await mcp.unnumbered(before + count)).slice(before),
    // Standard error comes on a pipe of its own: a line logged before an answer may be read after it.
    logged: (pattern) => new Promise((resolve, reject) => {
      const check = (): boolean => {
        const text = mcp.stderr().slice(stderr);
        if (!pattern.test(text)) return false;
        mcp.child.stderr.off('data', later);
        mcp.child.off('exit', exited);
        resolve(text);
        return true;
      };
      const later = (): void => { setImmediate(check); };
      const exited = (): void => { if (!check()) reject(new Error(`the server exited before it logged ${pattern}; its standard error:\n${mcp.stderr()}`)); };
      if (check()) return;
      mcp.child.stderr.on('data', later);
      mcp.child.once('exit', exited);
    }),
  };
}

describe('stepwright mcp: a request line over 10 MiB', () => {
  it('is answered with an error under its id, wherever the id is, and the session answers the calls after it', async () => {
    const mcp = await server();
    const big = 'x'.repeat(10 * MiB + 10);
    await mcp.send(callLine(7, 'validate', { definition: big }));
    await mcp.send(`{"jsonrpc":"2.0","method":"tools/call","params":{"name":"validate","arguments":{"definition":"${big}"}},"id":"last"}`);
    await mcp.send(callLine(8, 'run', { file: 'pass.asl.json' }));

    for (const id of [7, 'last']) {
      expect((await mcp.answer(id)).error).toEqual({
        code: -32600,
        message: expect.stringMatching(/^the request is 10,485,\d{3} bytes, more than the 10,485,760 bytes \(10 MiB\) a message may be; it was not read\. Give a large definition or template as a file$/),
      });
    }
    expect((await mcp.answer(8)).result).toMatchObject({ structuredContent: { status: 'SUCCEEDED' } });
  }, 120_000);

  it('is answered with a parse error without an id when it holds none, and one that is a notification is not answered', async () => {
    const mcp = await server();
    const here = from(mcp);
    await mcp.send('y'.repeat(11 * MiB));
    await mcp.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 0, message: 'z'.repeat(11 * MiB) } }));
    await mcp.send(callLine(2, 'run', { file: 'pass.asl.json' }));
    expect((await mcp.answer(2)).result).toMatchObject({ structuredContent: { status: 'SUCCEEDED' } });
    const [refused, ...others] = await here.unnumbered(1);
    expect(refused.error).toEqual({ code: -32700, message: expect.stringMatching(/^the message is 11,534,336 bytes, more than the 10,485,760 bytes \(10 MiB\)/) });
    expect(others).toEqual([]);
    const stderr = await here.logged(/a notification of 11,534,\d{3} bytes/);
    expect(stderr).toContain('stepwright mcp: the message is 11,534,336 bytes');
    expect(stderr).toMatch(/stepwright mcp: a notification of 11,534,\d{3} bytes, more than the 10,485,760 bytes \(10 MiB\) a message may be, was skipped unread/);
  }, 120_000);
});

describe('stepwright mcp: lines that are not MCP requests', () => {
  it('answers a line that is not JSON with a parse error, and one with a readable id but the wrong shape with an invalid-request error under that id', async () => {
    const mcp = await server();
    const here = from(mcp);
    await mcp.send('this is not JSON');
    await mcp.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: [1, 2] }));
    await mcp.send(JSON.stringify({ jsonrpc: '1.0', id: 'old', method: 'tools/list' }));
    await mcp.send(callLine(4, 'run', { file: 'pass.asl.json' }));
    expect((await mcp.answer(3)).error).toEqual({ code: -32600, message: expect.stringMatching(/^params: /) });
    expect((await mcp.answer('old')).error).toEqual({ code: -32600, message: expect.stringMatching(/^jsonrpc: /) });
    expect((await mcp.answer(4)).result).toMatchObject({ structuredContent: { status: 'SUCCEEDED' } });
    expect((await here.unnumbered(1))[0].error).toEqual({ code: -32700, message: expect.stringMatching(/^not JSON: /) });
  }, 60_000);
});

describe('stepwright mcp: a tools/call whose arguments are not an object', () => {
  it('answers it with an invalid-params error naming params.arguments, and answers the next call', async () => {
    const mcp = await server();
    await mcp.send(JSON.stringify({ jsonrpc: '2.0', id: 'bad args', method: 'tools/call', params: { name: 'run', arguments: 'x' } }));
    await mcp.send(callLine(12, 'run', { file: 'pass.asl.json' }));
    expect((await mcp.answer('bad args')).error).toEqual({ code: -32602, message: expect.stringMatching(/^Invalid params: params\.arguments: /) });
    expect((await mcp.answer(12)).result).toMatchObject({ structuredContent: { status: 'SUCCEEDED' } });
  }, 60_000);
});

describe('stepwright mcp: _meta.progressToken', () => {
  it.each([
    ['an object', { a: 1 }],
    ['an array', [1]],
    ['a boolean', true],
    ['null', null],
    ['a fraction', 1.5],
  ])('answers a call whose progress token is %s, ignoring the token (no progress is sent)', async (what, token) => {
    const mcp = await server();
    const here = from(mcp);
    await mcp.send(callLine(`token ${what}`, 'run', { file: 'pass.asl.json' }, { progressToken: token }));
    expect((await mcp.answer(`token ${what}`)).result).toMatchObject({ structuredContent: { status: 'SUCCEEDED' } });
    expect(here.messages().filter((m) => m.method === 'notifications/progress')).toEqual([]);
    expect(await here.logged(/_meta\.progressToken/)).toContain('_meta.progressToken must be a string or an integer; it is ignored, and no progress is sent');
  }, 60_000);

  it('names the request in its log line with no character that drives a terminal (a C1 CSI, a bidi override)', async () => {
    const mcp = await server();
    const here = from(mcp);
    // JSON.stringify leaves U+009B (CSI in one character) and U+202E as they are.
    const id = 'csi \u009b2J rlo \u202e';
    await mcp.send(callLine(id, 'run', { file: 'pass.asl.json' }, { progressToken: { a: 1 } }));
    await mcp.answer(id);
    const logged = await here.logged(/csi .*_meta\.progressToken/);
    expect(logged).toContain('request "csi \\u009b2J rlo \\u202e": _meta.progressToken must be a string or an integer');
    expect(logged).not.toMatch(/[\u009b\u202e]/);
  }, 60_000);

  it('still sends progress for a token that is a string', async () => {
    const mcp = await server();
    const here = from(mcp);
    await mcp.send(callLine(6, 'run', { file: 'pass.asl.json' }, { progressToken: 'p' }));
    await mcp.answer(6);
    expect(here.messages().filter((m) => m.method === 'notifications/progress')).toEqual([
      expect.objectContaining({ params: { progressToken: 'p', progress: 0, message: 'run is running' } }),
    ]);
  }, 60_000);
});

describe('stepwright mcp: a message to the client over 8 MiB', () => {
  it('is replaced by an error under the request\'s id when it is an answer (a tool name of 9 MiB, quoted back)', async () => {
    const mcp = await server();
    await mcp.send(callLine(9, 'n'.repeat(9 * MiB), {}));
    await mcp.send(callLine(10, 'run', { file: 'pass.asl.json' }));
    expect((await mcp.answer(9)).error).toEqual({
      code: -32603,
      message: expect.stringMatching(/^the answer is 9,437,\d{3} bytes, more than the 8,388,608 bytes \(8 MiB\) a message to the client may be$/),
    });
    expect((await mcp.answer(10)).result).toMatchObject({ structuredContent: { status: 'SUCCEEDED' } });
  }, 120_000);

  it('is not sent when it is a progress notification echoing a token of 9 MiB, and the call is answered', async () => {
    const mcp = await server();
    const here = from(mcp);
    await mcp.send(callLine(11, 'run', { file: 'pass.asl.json' }, { progressToken: 't'.repeat(9 * MiB) }));
    expect((await mcp.answer(11)).result).toMatchObject({ structuredContent: { status: 'SUCCEEDED' } });
    expect(here.messages().filter((m) => m.method === 'notifications/progress')).toEqual([]);
    expect(await here.logged(/a notification of 9,437,/)).toMatch(/a notification of 9,437,\d{3} bytes, more than the 8,388,608 bytes \(8 MiB\) a message to the client may be, was not sent/);
  }, 120_000);
});

describe('stepwright mcp: the session the lines above were sent on', () => {
  it('ends with exit code 0 when its input ends, having answered every one of them', async () => {
    const mcp = await server();
    expect(await mcp.end()).toBe(0);
  }, 60_000);
});

describe('stepwright mcp: an answer over 8 MiB', () => {
  let mcp: McpSession | undefined;
  afterEach(async () => { await mcp?.close(); mcp = undefined; });

  /** A template of 16 state machines whose definitions are about 0.9 MB each: 14.6 MB in all. */
  function bigTemplate(): string {
    const resources: Record<string, unknown> = {};
    for (let i = 0; i < 16; i++) {
      const definition = { StartAt: 'P', States: { P: { Type: 'Pass', Result: `${i}`.padEnd(900_000, 'x'), End: true } } };
      resources[`Machine${String(i).padStart(2, '0')}`] = {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { DefinitionString: JSON.stringify(definition), RoleArn: 'arn:aws:iam::123456789012:role/r' },
      };
    }
    const file = path.join(root, 'big.template.json');
    fs.writeFileSync(file, JSON.stringify({ Resources: resources }));
    return 'big.template.json';
  }

  it('list_state_machines leaves out the definitions past the bound and says which, and the SDK client reads it and goes on', async () => {
    const file = bigTemplate();
    mcp = await startMcp(root);
    const r = await mcp.call('list_state_machines', { file, definitions: true });
    expect(r.isError).toBeFalsy();
    type Listed = { machines: Array<{ logicalId: string; definition?: unknown }>; truncated: { leftOut: string[]; message: string } };
    const answer = r.structuredContent as Listed;
    expect(answer.machines).toHaveLength(16);
    const kept = answer.machines.filter((m) => m.definition !== undefined).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(16);
    // The first definitions are kept, the ones past the bound left out, and named.
    expect(answer.machines.slice(0, kept).every((m) => m.definition !== undefined)).toBe(true);
    expect(answer.truncated.leftOut).toEqual(answer.machines.slice(kept).map((_m, i) => `machines[${kept + i}].definition`));
    expect(answer.truncated.message).toMatch(/^The answer would be [\d,]+ bytes, more than the 8,388,608 bytes \(8 MiB\) an answer may be: what leftOut lists was left out\. /);
    // The text is the same answer, as JSON.
    expect(JSON.parse(textOf(r))).toEqual(answer);
    expect(Buffer.byteLength(JSON.stringify(r))).toBeLessThanOrEqual(8 * MiB);

    const after = await mcp.call('list_state_machines', { file });
    expect(after.structuredContent).toMatchObject({ machines: expect.arrayContaining([expect.objectContaining({ logicalId: 'Machine15', states: 1 })]) });
    expect((after.structuredContent as Record<string, unknown>).truncated).toBeUndefined();
  }, 180_000);
});
