import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SendTaskSuccessCommand,
  StartExecutionCommand, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, PASS, ROLE, serve, until } from './helpers';
import { kill9, refusedServer, spawnServer, type Child } from './processes';
import { frame, type RawRecord } from '../../src/server/journal/format';

/** A byte with its lowest bit changed: one corrupt byte. */
const flipped = (byte: number): number => (byte % 2 === 0 ? byte + 1 : byte - 1);

const CALLBACK = asl({
  StartAt: 'Approve',
  States: { Approve: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true } },
});
const JOURNAL = 'journal.jsonl';

const status = (sfn: SFNClient, executionArn: string) => sfn.send(new DescribeExecutionCommand({ executionArn }));
const listed = async (sfn: SFNClient, stateMachineArn: string): Promise<string[]> =>
  (await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000 }))).executions!.map((e) => e.executionArn!).sort();

/** The lines of a journal file, each with the byte offset it starts at. */
function lines(file: string): Array<{ text: string; offset: number }> {
  const bytes = fs.readFileSync(file);
  const out: Array<{ text: string; offset: number }> = [];
  let offset = 0;
  while (offset < bytes.length) {
    const end = bytes.indexOf(0x0a, offset);
    out.push({ text: bytes.toString('utf8', offset, end), offset });
    offset = end + 1;
  }
  return out;
}

describe('serve --data-dir: a journal that is damaged, shared or from an earlier version', () => {
  let dir: string;
  const children: Child[] = [];
  const track = (child: Child): Child => { children.push(child); return child; };
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-journal-restart-')); });
  afterEach(async () => {
    for (const c of children.splice(0)) await kill9(c);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The data directory a server killed with kill -9 leaves (made once for the file, by a real
   * server and a real kill -9): a journal of 21 records, a state machine and 20 executions waiting
   * for a callback, and the dead server's lock.
   */
  let killedWithTwenty: Promise<{ stateMachineArn: string; executions: string[]; files: string }> | undefined;
  afterAll(async () => {
    if (killedWithTwenty) fs.rmSync((await killedWithTwenty).files, { recursive: true, force: true });
  });
  /** That directory's files copied into this test's directory. */
  async function twentyWaiting(): Promise<{ stateMachineArn: string; executions: string[] }> {
    killedWithTwenty ??= (async () => {
      const files = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-journal-twenty-'));
      const first = track(await spawnServer(files));
      const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'waits', definition: CALLBACK, roleArn: ROLE }));
      const executions: string[] = [];
      for (let i = 0; i < 20; i++) executions.push((await first.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn!, name: `run-${i}` }))).executionArn!);
      await kill9(first);
      return { stateMachineArn: stateMachineArn!, executions, files };
    })();
    const { files, ...made } = await killedWithTwenty;
    fs.cpSync(files, dir, { recursive: true });
    return made;
  }

  it('refuses to start on a journal with one byte changed in record 5 of 21, naming the file, line and byte offset, and changes nothing', async () => {
    await twentyWaiting();
    const file = path.join(dir, JOURNAL);
    const record5 = lines(file)[5];
    const bytes = fs.readFileSync(file);
    bytes[record5.offset + 60] = flipped(bytes[record5.offset + 60]);
    fs.writeFileSync(file, bytes);

    const refused = await refusedServer(dir);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`the journal ${file} is damaged at line 6 (byte offset ${record5.offset}): its checksum does not match`);
    expect(refused.stderr).toContain('start with --repair');
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  }, 60_000);

  it('with --repair, keeps the damaged journal as a backup, drops only the damaged record and serves the other 19 executions', async () => {
    const { stateMachineArn, executions } = await twentyWaiting();
    const file = path.join(dir, JOURNAL);
    const record5 = lines(file)[5];
    const bytes = fs.readFileSync(file);
    bytes[record5.offset + 60] = flipped(bytes[record5.offset + 60]);
    fs.writeFileSync(file, bytes);

    const repaired = track(await spawnServer(dir, { args: ['--repair'] }));
    // Record 5 is the fourth StartExecution (record 1 is the state machine).
    expect(await listed(repaired.sfn, stateMachineArn)).toEqual(executions.filter((_, i) => i !== 3).sort());
    const log = repaired.stderr.join('');
    expect(log).toContain(`--repair dropped line 6 (byte offset ${record5.offset}): its checksum does not match`);
    const backup = /the journal as it was is kept as (\S+)/.exec(log)![1];
    expect(fs.readFileSync(backup).equals(bytes)).toBe(true);
    await kill9(repaired);

    // Repaired for good: the next start needs no --repair.
    const next = track(await spawnServer(dir));
    expect(await listed(next.sfn, stateMachineArn)).toHaveLength(19);
  }, 60_000);

  it('refuses a record that parses but lacks a field, naming its line and offset instead of failing on undefined', async () => {
    await twentyWaiting();
    const file = path.join(dir, JOURNAL);
    const all = lines(file);
    const record = JSON.parse(all[3].text).r as Record<string, unknown>;
    delete record.machine;
    fs.writeFileSync(file, [...all.slice(0, 3).map((l) => `${l.text}\n`), frame(record as RawRecord).toString(), ...all.slice(4).map((l) => `${l.text}\n`)].join(''));

    const refused = await refusedServer(dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`is damaged at line 4 (byte offset ${all[3].offset}): the 'start' record has no field 'machine'`);
    expect(refused.stderr).not.toContain('Cannot read properties');
  }, 60_000);

  it('refuses a record that refers to a state machine no earlier record creates', async () => {
    await twentyWaiting();
    const file = path.join(dir, JOURNAL);
    const all = lines(file);
    const record = JSON.parse(all[4].text).r as Record<string, unknown>;
    record.machine = 'arn:aws:states:us-east-1:123456789012:stateMachine:nowhere';
    fs.writeFileSync(file, [...all.slice(0, 4).map((l) => `${l.text}\n`), frame(record as RawRecord).toString(), ...all.slice(5).map((l) => `${l.text}\n`)].join(''));

    const refused = await refusedServer(dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`is damaged at line 5 (byte offset ${all[4].offset}): the 'start' record cannot be applied: it refers to the state machine `
      + '\'arn:aws:states:us-east-1:123456789012:stateMachine:nowhere\', which no earlier record creates');
  }, 60_000);

  it('with --repair, runs an execution again whose closing names history records that are gone, as one the server was killed in', async () => {
    const first = await serve({ dataDir: dir });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'pass', definition: PASS, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"n":1}' }));
    await until(() => status(first.sfn, executionArn!), (d) => d.status === 'SUCCEEDED');
    await first.stop();
    const file = path.join(dir, JOURNAL);
    const all = lines(file);
    const history = all.findIndex((l) => l.text.includes('"r":{"t":"history"'));
    fs.writeFileSync(file, all.filter((_, i) => i !== history).map((l) => `${l.text}\n`).join(''));

    const refused = await refusedServer(dir);
    expect(refused.stderr).toContain(`is damaged at line ${history + 1} (byte offset ${all[history].offset}): the 'closed' record of '${executionArn}' cannot be read: `
      + 'its history is in 1 history records with id');
    const repaired = await serve({ dataDir: dir, repair: true });
    try {
      expect(repaired.logs.join('\n')).toContain(`--repair dropped line ${history + 1} (byte offset ${all[history].offset}): the 'closed' record of '${executionArn}' cannot be read`);
      expect(await until(() => status(repaired.sfn, executionArn!), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}' });
      const { events } = await repaired.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    } finally {
      await repaired.stop();
    }
  }, 60_000);

  it('gives the data directory back when it cannot listen, so that a server on another port can have it', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as net.AddressInfo).port;
      await expect(serve({ dataDir: dir, port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(fs.readdirSync(dir)).toEqual([JOURNAL]);
      const next = await serve({ dataDir: dir });
      await next.stop();
    } finally {
      busy.close();
    }
  });

  it('refuses a second server on the same --data-dir, naming the directory and the first server\'s pid; the first loses nothing', async () => {
    const first = track(await spawnServer(dir));
    const refused = await refusedServer(dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`the data directory ${dir} is in use by another stepwright serve (pid ${first.process.pid}`);

    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'many', definition: PASS, roleArn: ROLE }));
    const answered = await Promise.all(Array.from({ length: 40 }, (_, i) => first.sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${i}` }))));
    await kill9(first);
    const second = track(await spawnServer(dir));
    expect(await listed(second.sfn, stateMachineArn!)).toEqual(answered.map((a) => a.executionArn!).sort());
    expect(second.stderr.join('')).toContain(`took over the lock of pid ${first.process.pid} (no process has that pid); it did not stop cleanly`);
  }, 60_000);

  it('serves a data directory written before format 2: converts its journal, keeps the original, and resumes its waiting execution', async () => {
    const fixture = path.join(__dirname, 'fixtures', 'format-1');
    fs.copyFileSync(path.join(fixture, JOURNAL), path.join(dir, JOURNAL));
    const expected = JSON.parse(fs.readFileSync(path.join(fixture, 'expected.json'), 'utf8')) as Record<string, { describe: object; history: object }>;
    const server = track(await spawnServer(dir));
    expect(server.stderr.join('')).toContain(`converted 10 records from format 1 to format 2 (each record framed with its length and a checksum); the original is kept as ${path.join(dir, JOURNAL)}.format-1.bak`);
    expect(fs.readFileSync(path.join(dir, `${JOURNAL}.format-1.bak`)).equals(fs.readFileSync(path.join(fixture, JOURNAL)))).toBe(true);
    const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
    for (const [executionArn, { describe, history }] of Object.entries(expected)) {
      const { $metadata: _d, ...described } = await status(server.sfn, executionArn);
      const { $metadata: _h, ...events } = await server.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(plain(described)).toEqual(describe);
      // A closed execution's history is read back as it was; a waiting one runs again from its start, on a clock that goes on.
      if (executionArn.endsWith(':waiting')) {
        const types = (h: unknown): unknown => (h as { events: Array<{ type: string }> }).events.map((e) => e.type);
        expect(types(plain(events))).toEqual(types(history));
      } else {
        expect(plain(events)).toEqual(history);
      }
    }
    const waiting = Object.keys(expected).find((arn) => arn.endsWith(':waiting'))!;
    const scheduled = (expected[waiting].history as { events: Array<{ type: string; taskScheduledEventDetails?: { parameters: string } }> }).events.find((e) => e.type === 'TaskScheduled')!;
    const token = JSON.parse(scheduled.taskScheduledEventDetails!.parameters).MessageBody.token as string;
    await server.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"approved"' }));
    expect(await until(() => status(server.sfn, waiting), (d) => d.status !== 'RUNNING')).toMatchObject({ status: 'SUCCEEDED', output: '"approved"' });
  }, 60_000);
});
