import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMcp, textOf, type McpSession } from './client';
import { MAX_WAITING } from '../../src/mcp/pool';

/*
 * A runaway call is bounded, and does not stop the server from answering
 * others. Each server here has its own bounds (tests asking for the same
 * bounds share one, which serves on after each); the waits are for answers,
 * never for time.
 */

/** Burns CPU in JSONata on every pass, and never leaves: hours of work, stopped only by a bound. */
const spin = {
  QueryLanguage: 'JSONata',
  StartAt: 'Spin',
  States: {
    Spin: { Type: 'Pass', Output: '{% $sum([1..300000]) %}', Next: 'Again' },
    Again: { Type: 'Choice', Choices: [{ Condition: '{% $states.input < 0 %}', Next: 'Done' }], Default: 'Spin' },
    Done: { Type: 'Succeed' },
  },
};

/** Forty iterations at once, each building up to 800,000 strings of 100 characters (under AWS's memory bound of 873,782 items a sequence): far more than 64 MiB. */
const hog = {
  QueryLanguage: 'JSONata',
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      Items: '{% [1..40] %}',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Big', States: { Big: { Type: 'Pass', Output: '{% $count([1..800000].$pad("", 100, "x")) %}', End: true } } },
      End: true,
    },
  },
};

const hello = { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'hi', End: true } } };

let root: string;
const sessions: McpSession[] = [];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mcp-bounds-'));
  fs.writeFileSync(path.join(root, 'hello.asl.json'), JSON.stringify(hello));
});

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  fs.rmSync(root, { recursive: true, force: true });
});

async function start(flags: string[]): Promise<McpSession> {
  const session = await startMcp(root, flags);
  sessions.push(session);
  return session;
}

let oneWorkerServer: Promise<McpSession> | undefined;
/** The server with one worker and no time bound to speak of, started by the first test that asks for it. */
function oneWorker(): Promise<McpSession> {
  return oneWorkerServer ??= start(['--timeout', '3600', '--workers', '1']);
}

/**
 * A server with one worker, held by a run that spins until its client cancels it (the
 * controller): every other call waits. Resolves once the run has reported progress.
 */
async function holdingTheWorker(): Promise<{ mcp: McpSession; controller: AbortController; runaway: Promise<unknown> }> {
  const mcp = await oneWorker();
  await mcp.call('validate', { file: 'hello.asl.json' });
  const controller = new AbortController();
  let started!: () => void;
  const running = new Promise<void>((resolve) => { started = resolve; });
  const runaway = mcp.call('run', { definition: spin }, { signal: controller.signal, onprogress: () => started() });
  await running;
  return { mcp, controller, runaway };
}

describe('stepwright mcp: bounds', () => {
  it('answers other calls while a runaway run holds a worker, then goes on serving once it is stopped', async () => {
    // No time bound to speak of: the runaway holds its worker until the client cancels it,
    // after the other calls have been answered, so nothing here waits on the clock.
    const mcp = await start(['--timeout', '3600', '--workers', '2']);
    // Two calls at once start both workers, so the calls below find one loaded.
    await Promise.all([mcp.call('validate', { file: 'hello.asl.json' }), mcp.call('validate', { file: 'hello.asl.json' })]);
    let settled = false;
    const controller = new AbortController();
    let started!: () => void;
    const running = new Promise<void>((resolve) => { started = resolve; });
    const runaway = mcp.call('run', { definition: spin }, { signal: controller.signal, onprogress: () => started() })
      .finally(() => { settled = true; });
    await running;

    const valid = await mcp.call('validate', { definition: hello });
    const tools = await mcp.client.listTools();
    const ran = await mcp.call('run', { file: 'hello.asl.json' });
    expect(valid.structuredContent).toMatchObject({ valid: true });
    expect(tools.tools).toHaveLength(9);
    expect(ran.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: 'hi' });
    expect(settled).toBe(false);

    controller.abort();
    await expect(runaway).rejects.toThrow();
    // A fresh worker takes the stopped one's place.
    const after = await Promise.all([mcp.call('run', { file: 'hello.asl.json' }), mcp.call('run', { file: 'hello.asl.json' })]);
    expect(after.map((r) => r.structuredContent?.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  }, 120_000);

  it('stops a runaway run at --timeout and answers it as a tool error', async () => {
    // The runaway never finishes, so the bound always stops it, however short: this asserts only
    // the stop and its answer (no other call shares so short a bound; serving on after a stopped
    // worker is the test above's).
    const mcp = await start(['--timeout', '1', '--workers', '1']);
    const stopped = await mcp.call('run', { definition: spin });
    expect(stopped.isError).toBe(true);
    expect(textOf(stopped)).toMatch(/^the call did not finish within 1 s \(the server's --timeout\) and was stopped: .*limits\.maxTransitions/);
  }, 120_000);

  it('stops a call past --max-memory, answers it as a tool error, and goes on serving', async () => {
    const mcp = await start(['--max-memory', '64', '--workers', '1']);
    const r = await mcp.call('run', { definition: hog });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^the call ran out of memory \(more than 64 MiB, the server's --max-memory\) and was stopped/);
    const after = await mcp.call('run', { file: 'hello.asl.json' });
    expect(after.structuredContent).toMatchObject({ status: 'SUCCEEDED' });
  }, 120_000);

  it('stops a running call the client cancels, so the call queued behind it is answered', async () => {
    // One worker and no time bound to speak of: only the cancellation can free the worker.
    const { mcp, controller, runaway } = await holdingTheWorker();
    const queued = mcp.call('run', { file: 'hello.asl.json' });
    controller.abort();
    await expect(runaway).rejects.toThrow();
    expect((await queued).structuredContent).toMatchObject({ status: 'SUCCEEDED' });
  }, 120_000);
});

describe('stepwright mcp: calls waiting for a worker', () => {
  it(`answers a call beyond ${MAX_WAITING} waiting ones at once as busy, and the waiting ones in turn`, async () => {
    // One worker held by a call that runs until it is cancelled: every other call waits.
    const { mcp, controller, runaway } = await holdingTheWorker();
    const waiting = Array.from({ length: MAX_WAITING }, () => mcp.call('run', { file: 'hello.asl.json' }));
    const refused = await mcp.call('run', { file: 'hello.asl.json' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toBe(`the server is busy: ${MAX_WAITING} calls already wait for a worker (1 run at once, the server's --workers); `
      + 'send this call again once an earlier one has been answered');
    controller.abort();
    await expect(runaway).rejects.toThrow();
    const answered = await Promise.all(waiting);
    expect(answered.map((r) => r.structuredContent?.status)).toEqual(Array.from({ length: MAX_WAITING }, () => 'SUCCEEDED'));
  }, 120_000);
});

describe('stepwright mcp: progress', () => {
  it('tells a client that asks for progress when a worker starts its call, before its answer', async () => {
    const mcp = await oneWorker();
    const from = mcp.received().length;
    // The SDK's client drops a progress notification that comes in the same read as the call's
    // answer (it settles the answer first), which a loaded machine makes likely: what the server
    // sent, in its order, is what is checked.
    const r = await mcp.call('run', { file: 'hello.asl.json' }, { onprogress: () => undefined });
    expect(r.structuredContent).toMatchObject({ status: 'SUCCEEDED' });
    type Sent = { id?: number; method?: string; params?: { progressToken?: unknown; progress?: number; message?: string } };
    const sent = mcp.received().slice(from) as Sent[];
    const answer = sent.findIndex((m) => m.method === undefined && m.id !== undefined);
    const progress = sent.filter((m) => m.method === 'notifications/progress');
    expect(progress.map((m) => m.params)).toEqual([{ progressToken: sent[answer].id, progress: 0, message: 'run is running' }]);
    expect(sent.indexOf(progress[0])).toBeLessThan(answer);
  }, 60_000);
});

describe('stepwright mcp: the command line', () => {
  it.each([
    [['--timeout', '0'], "--timeout must be a number from 0.001 to 86400, got '0'"],
    [['--workers', '1.5'], "--workers must be an integer from 1 to 64, got '1.5'"],
    [['--max-memory', '8'], "--max-memory must be an integer from 64 to 65536, got '8'"],
    [['--root', '/nonexistent/stepwright'], '--root /nonexistent/stepwright: not a folder'],
    [['extra'], "'mcp' takes no positional arguments, got extra"],
  ])('refuses %j with exit code 2 before it serves', async (flags, message) => {
    const { main } = await import('../../src/cli/cli');
    const err: string[] = [];
    const sink = { write: (s: string) => { err.push(s); return true; } } as unknown as NodeJS.WritableStream;
    const code = await main(['mcp', ...flags], sink, sink);
    expect(code).toBe(2);
    expect(err.join('')).toContain(message);
  });
});
