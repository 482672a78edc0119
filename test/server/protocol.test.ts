import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListStateMachinesCommand, SFNServiceException,
  StartExecutionCommand, SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, settled, streams, until } from './helpers';
import { main } from '../../src/cli/cli';
import { serveCommand } from '../../src/cli/serve-command';
import { fakeRealTime } from '../real-time';

describe('serve: protocol', () => {
  it('accepts any credentials', async () => {
    const env = await serve();
    try {
      const other = new SFNClient({ endpoint: env.server.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIAANYTHING', secretAccessKey: 'whatever', sessionToken: 't' } });
      await expect(other.send(new ListStateMachinesCommand({}))).resolves.toMatchObject({ stateMachines: [] });
      other.destroy();
    } finally {
      await env.stop();
    }
  });

  it('answers errors as AWS does: HTTP 400 with the exception name, which the SDK maps to its typed error', async () => {
    const env = await serve();
    try {
      const e = await env.sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:x' })).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SFNServiceException);
      expect((e as SFNServiceException).name).toBe('ExecutionDoesNotExist');
      expect((e as SFNServiceException).$metadata.httpStatusCode).toBe(400);
      expect((e as SFNServiceException).$fault).toBe('client');
    } finally {
      await env.stop();
    }
  });

  it('uses the region and account it is given in ARNs', async () => {
    const env = await serve({ region: 'eu-west-1', account: '999988887777' });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'm', definition: asl({ StartAt: 'S', States: { S: { Type: 'Succeed' } } }), roleArn: ROLE }));
      expect(stateMachineArn).toBe('arn:aws:states:eu-west-1:999988887777:stateMachine:m');
    } finally {
      await env.stop();
    }
  });

  it('logs one line per request with --verbose', async () => {
    const env = await serve({ verbose: true });
    try {
      await env.sfn.send(new ListStateMachinesCommand({}));
      await env.sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:x' })).catch(() => undefined);
      expect(env.logs).toHaveLength(2);
      expect(env.logs[0]).toMatch(/^POST ListStateMachines 200 [\d.]+ms$/);
      expect(env.logs[1]).toMatch(/^POST DescribeExecution 400 ExecutionDoesNotExist [\d.]+ms$/);
    } finally {
      await env.stop();
    }
  });

  it('logs nothing per request without --verbose', async () => {
    const env = await serve();
    try {
      await env.sfn.send(new ListStateMachinesCommand({}));
      expect(env.logs).toEqual([]);
    } finally {
      await env.stop();
    }
  });
});

describe('serve: time', () => {
  // Real time is jest's fake here (test/real-time.ts): it passes only when the test advances it, so
  // a Wait is seen to end exactly when its real time has passed, however loaded the machine.
  beforeEach(fakeRealTime);
  afterEach(() => jest.useRealTimers());

  /** Starts a one-Wait machine and resolves once the execution has entered the Wait. */
  async function waiting(env: Awaited<ReturnType<typeof serve>>, seconds: number): Promise<string> {
    const definition = asl({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: seconds, End: true } } });
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'w', roleArn: ROLE, definition }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    await settled(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'WaitStateEntered'));
    return executionArn!;
  }

  it('runs a Wait on the real clock by default: a 1 s Wait ends when a second of real time has passed, not before, and the history shows a second', async () => {
    const env = await serve();
    try {
      const executionArn = await waiting(env, 1);
      await jest.advanceTimersByTimeAsync(999);
      expect((await env.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
      await jest.advanceTimersByTimeAsync(1);
      const d = await settled(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
      expect(d).toMatchObject({ status: 'SUCCEEDED' });
      expect(d.stopDate!.getTime() - d.startDate!.getTime()).toBe(1_000);
    } finally {
      await env.stop();
    }
  });

  it('runs a one-hour Wait in a 10,000th of an hour of real time with --time-scale 10000, and the history shows an hour', async () => {
    const env = await serve({ timeScale: 10_000 });
    try {
      const executionArn = await waiting(env, 3600);
      // 360 ms of real time: not a millisecond less (the Wait really waits).
      await jest.advanceTimersByTimeAsync(359);
      expect((await env.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
      await jest.advanceTimersByTimeAsync(1);
      const d = await settled(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
      expect(d).toMatchObject({ status: 'SUCCEEDED' });
      const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      const at = (type: string) => events!.find((e) => e.type === type)!.timestamp!.getTime();
      expect(at('WaitStateExited') - at('WaitStateEntered')).toBe(3_600_000);
    } finally {
      await env.stop();
    }
  });
});

describe('stepwright serve (command line)', () => {
  it('prints the endpoint URL, serves, and stops cleanly when told to', async () => {
    const { io, text } = streams();
    let stop!: () => void;
    const stopped = new Promise<void>((r) => { stop = r; });
    const running = serveCommand(['--port', '0'], io, stopped);
    const endpoint = await until(async () => text.out.trim(), (t) => t.length > 0);
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sfn = new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await expect(sfn.send(new ListStateMachinesCommand({}))).resolves.toBeDefined();
    sfn.destroy();
    stop();
    expect(await running).toBe(0);
  });

  it('prints its options with --help', async () => {
    const { io, text } = streams();
    expect(await main(['serve', '--help'], io.out, io.err)).toBe(0);
    for (const flag of ['--port', '--host', '--region', '--account', '--mock-config', '--handlers', '--data-dir', '--compact-journal-at', '--repair', '--time-scale', '--verbose']) {
      expect(text.out).toContain(flag);
    }
  });

  it('refuses --repair without a --data-dir to repair (exit 2)', async () => {
    const { io, text } = streams();
    expect(await main(['serve', '--port', '0', '--repair'], io.out, io.err)).toBe(2);
    expect(text.err).toContain('--repair repairs the journal of a data directory; give it with --data-dir <dir>');
  });

  it('refuses a time scale that is not a positive number (exit 2)', async () => {
    const { io, text } = streams();
    expect(await main(['serve', '--time-scale', '0'], io.out, io.err)).toBe(2);
    expect(text.err).toContain('--time-scale must be a positive number');
  });

  it('refuses a journal compaction size that is not a positive whole number of bytes (exit 2)', async () => {
    const { io, text } = streams();
    expect(await main(['serve', '--compact-journal-at', '64MB'], io.out, io.err)).toBe(2);
    expect(text.err).toContain("--compact-journal-at must be an integer from 1 to 9007199254740991, got '64MB'");
  });

  it('refuses a malformed MockConfigFile before serving, naming the fault (exit 2)', async () => {
    const { io, text } = streams();
    expect(await main(['serve', '--port', '0', '--mock-config', `${__dirname}/fixtures/does-not-exist.json`], io.out, io.err)).toBe(2);
    expect(text.err).toContain('does-not-exist.json');
  });

  it('refuses a handlers module that is a pipe or a device without reading it, and names what one throws, null too (exit 2)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-handlers-'));
    const fifo = path.join(dir, 'handlers.js');
    spawnSync('mkfifo', [fifo]);
    // A writer waiting for a reader: a serve that opened the pipe would read this module and go on, not hang the test.
    const writer = spawn('sh', ['-c', `printf 'exports.Charge = 1;' > '${fifo}'`], { stdio: 'ignore' });
    try {
      const piped = streams();
      expect(await main(['serve', '--port', '0', '--handlers', fifo], piped.io.out, piped.io.err)).toBe(2);
      expect(piped.text.err).toContain('is not a regular file (a pipe, socket or device)');
      fs.symlinkSync('/dev/zero', path.join(dir, 'zero.js'));
      const zero = streams();
      expect(await main(['serve', '--port', '0', '--handlers', path.join(dir, 'zero.js')], zero.io.out, zero.io.err)).toBe(2);
      expect(zero.text.err).toContain('is not a regular file (a pipe, socket or device)');
      // Through the built CLI: jest's module loader reads the code of what a module throws itself.
      fs.writeFileSync(path.join(dir, 'null.js'), 'throw null;\n');
      const builtMain = path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js');
      // The bound only keeps a server that started from holding the suite.
      const thrown = spawnSync(process.execPath, [builtMain, 'serve', '--port', '0', '--handlers', path.join(dir, 'null.js')], { encoding: 'utf8', timeout: 120_000 });
      expect(thrown.status).toBe(2);
      expect(thrown.stderr).toContain('null.js: null');
    } finally {
      writer.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a handlers module whose exports are not functions (exit 2)', async () => {
    const { io, text } = streams();
    expect(await main(['serve', '--port', '0', '--handlers', `${__dirname}/fixtures/bad-handlers.js`], io.out, io.err)).toBe(2);
    expect(text.err).toContain("exports 'Charge' as string");
  });
});
