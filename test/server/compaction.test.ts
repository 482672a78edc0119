import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateActivityCommand, CreateStateMachineAliasCommand, CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand,
  GetExecutionHistoryCommand, ListActivitiesCommand, ListExecutionsCommand, ListStateMachineAliasesCommand, ListStateMachinesCommand,
  ListStateMachineVersionsCommand, ListTagsForResourceCommand, PublishStateMachineVersionCommand, RedriveExecutionCommand, SendTaskHeartbeatCommand,
  SendTaskSuccessCommand, StartExecutionCommand, TagResourceCommand, UpdateStateMachineCommand, type HistoryEvent, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, PASS, ROLE, serve, until } from './helpers';

const CALLBACK = asl({
  StartAt: 'Approve',
  States: {
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      HeartbeatSeconds: 3600,
      Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
      End: true,
    },
  },
});
const FLAKY = asl({
  StartAt: 'Flaky',
  States: { Flaky: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'x' }, End: true } },
});
const FAILS = asl({ StartAt: 'No', States: { No: { Type: 'Fail', Error: 'Nope', Cause: 'always' } } });

const JOURNAL = 'journal.jsonl';

/** Everything a client can read back, minus the per-request metadata. */
async function view(sfn: SFNClient): Promise<unknown> {
  const strip = <T extends { $metadata?: unknown }>(r: T): Omit<T, '$metadata'> => {
    const { $metadata: _, ...rest } = r;
    return rest;
  };
  const machines = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines!;
  const out: Record<string, unknown> = { machines, activities: strip(await sfn.send(new ListActivitiesCommand({}))) };
  for (const m of machines) {
    const arn = m.stateMachineArn!;
    const executions = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }))).executions!;
    const runs: Record<string, unknown> = {};
    for (const e of executions) {
      runs[e.executionArn!] = {
        describe: strip(await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))),
        history: strip(await sfn.send(new GetExecutionHistoryCommand({ executionArn: e.executionArn }))),
      };
    }
    out[arn] = {
      describe: strip(await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))),
      versions: strip(await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }))),
      aliases: strip(await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }))),
      tags: strip(await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }))),
      executions,
      runs,
    };
  }
  return out;
}

const tokenOf = async (sfn: SFNClient, executionArn: string): Promise<string> => {
  const { events } = await until(() => sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => h.events!.some((e) => e.type === 'TaskScheduled'));
  return JSON.parse(events!.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!).MessageBody.token;
};

const finished = (sfn: SFNClient, executionArn: string) =>
  until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');

// Each test sends heartbeats, each fsynced, until the journal is compacted. Its compactJournalAt is a
// few KB above the journal its setup writes (1 to 13 KB), and above what compaction leaves: a
// heartbeat record is about 113 bytes, so tens of heartbeats get there, not hundreds.
describe('serve --data-dir: journal compaction', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-compact-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Sends heartbeats for `token` until the journal shrinks (a compaction), bounded; returns the largest size seen and the size after. */
  async function heartbeatUntilCompacted(sfn: SFNClient, token: string): Promise<{ before: number; after: number }> {
    let before = fs.statSync(path.join(dir, JOURNAL)).size;
    for (let i = 0; i < 3_000; i++) {
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
      const size = fs.statSync(path.join(dir, JOURNAL)).size;
      if (size < before) return { before, after: size };
      before = size;
    }
    throw new Error(`the journal was not compacted after 3,000 heartbeats (${before} bytes)`);
  }

  it('leaves one journal, smaller than before, from which a restart restores machines, versions, aliases, tags, activities and executions (redriven ones too)', async () => {
    let flakyCalls = 0;
    const first = await serve({
      dataDir: dir,
      compactJournalAt: 16_000,
      handlers: { Flaky: () => { if (++flakyCalls === 1) throw new Error('first call fails'); return 'ok'; } },
    });
    const { stateMachineArn: pass } = await first.sfn.send(new CreateStateMachineCommand({
      name: 'pass', definition: PASS, roleArn: ROLE, publish: true, tags: [{ key: 'team', value: 'orders' }],
    }));
    await first.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: pass, definition: asl({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 2, End: true } } }) }));
    const { stateMachineVersionArn } = await first.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: pass }));
    await first.sfn.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn, weight: 100 }] }));
    await first.sfn.send(new TagResourceCommand({ resourceArn: pass, tags: [{ key: 'stage', value: 'test' }] }));
    await first.sfn.send(new CreateActivityCommand({ name: 'work', tags: [{ key: 'k', value: 'v' }] }));
    const { stateMachineArn: fails } = await first.sfn.send(new CreateStateMachineCommand({ name: 'fails', definition: FAILS, roleArn: ROLE }));
    const { stateMachineArn: callback } = await first.sfn.send(new CreateStateMachineCommand({ name: 'callback', definition: CALLBACK, roleArn: ROLE }));
    for (let i = 0; i < 3; i++) await finished(first.sfn, (await first.sfn.send(new StartExecutionCommand({ stateMachineArn: pass, input: `{"i":${i}}` }))).executionArn!);
    await finished(first.sfn, (await first.sfn.send(new StartExecutionCommand({ stateMachineArn: fails }))).executionArn!);
    const { stateMachineArn: flaky } = await first.sfn.send(new CreateStateMachineCommand({ name: 'flaky', definition: FLAKY, roleArn: ROLE }));
    const redriven = (await first.sfn.send(new StartExecutionCommand({ stateMachineArn: flaky }))).executionArn!;
    expect(await finished(first.sfn, redriven)).toMatchObject({ status: 'FAILED' });
    await first.sfn.send(new RedriveExecutionCommand({ executionArn: redriven }));
    expect(await finished(first.sfn, redriven)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    const answered = (await first.sfn.send(new StartExecutionCommand({ stateMachineArn: callback, name: 'answered' }))).executionArn!;
    await first.sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf(first.sfn, answered), output: '{"approved":true}' }));
    await finished(first.sfn, answered);
    const waiting = (await first.sfn.send(new StartExecutionCommand({ stateMachineArn: callback, name: 'waiting' }))).executionArn!;

    const token = await tokenOf(first.sfn, waiting);
    const { before, after } = await heartbeatUntilCompacted(first.sfn, token);
    expect(after).toBeLessThan(before);
    expect(fs.readdirSync(dir).sort()).toEqual([JOURNAL, 'stepwright.lock']);
    // Answered after the compaction: its closing follows the compacted records.
    await first.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":"late"}' }));
    expect(await finished(first.sfn, waiting)).toMatchObject({ status: 'SUCCEEDED' });
    const expected = await view(first.sfn);
    await first.stop();

    const second = await serve({ dataDir: dir });
    try {
      expect(await view(second.sfn)).toEqual(expected);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('keeps, through a compaction and a restart, the outputs of the Map items that succeeded: a redrive then reruns only the failed item', async () => {
    const calls: string[] = [];
    let down = true;
    const first: Awaited<ReturnType<typeof serve>> = await serve({
      dataDir: dir,
      compactJournalAt: 8_000,
      handlers: {
        Item: async (input, request) => {
          const item = String((input as { MessageBody: string }).MessageBody);
          calls.push(item);
          if (down && item === 'b') {
            // The failure comes late, once the history shows the other two items succeeded.
            const executionArn = (request.context as { Execution: { Id: string } }).Execution.Id;
            await until(() => first.sfn.send(new GetExecutionHistoryCommand({ executionArn })),
              (h) => h.events!.filter((e) => e.type === 'MapIterationSucceeded').length === 2);
            throw Object.assign(new Error('b is down'), { name: 'Service.Down' });
          }
          return item;
        },
      },
    });
    const map = asl({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Item',
            States: { Item: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$' }, End: true } },
          },
          End: true,
        },
      },
    });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'each', definition: map, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '["a","b","c"]' }));
    expect(await finished(first.sfn, executionArn!)).toMatchObject({ status: 'FAILED' });
    const { stateMachineArn: callback } = await first.sfn.send(new CreateStateMachineCommand({ name: 'callback', definition: CALLBACK, roleArn: ROLE }));
    const waiting = (await first.sfn.send(new StartExecutionCommand({ stateMachineArn: callback }))).executionArn!;
    await heartbeatUntilCompacted(first.sfn, await tokenOf(first.sfn, waiting));
    await first.stop();

    down = false;
    calls.length = 0;
    const second = await serve({
      dataDir: dir,
      handlers: {
        Item: (input) => {
          const item = (input as { MessageBody: string }).MessageBody;
          calls.push(item);
          return item;
        },
      },
    });
    try {
      await second.sfn.send(new RedriveExecutionCommand({ executionArn }));
      expect(await finished(second.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '["a","b","c"]' });
      expect(calls).toEqual(['b']);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('keeps, through a compaction and a restart, the history of the run before a redrive that is still waiting', async () => {
    let calls = 0;
    const first = await serve({
      dataDir: dir,
      compactJournalAt: 6_000,
      handlers: { Flaky: () => { if (++calls === 1) throw Object.assign(new Error('first call fails'), { name: 'Service.Down' }); return 'ok'; } },
    });
    const definition = asl({
      StartAt: 'Flaky',
      States: {
        Flaky: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'x' }, Next: 'Approve' },
        Approve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          HeartbeatSeconds: 3600,
          Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'redriven-waits', definition, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    expect(await finished(first.sfn, executionArn!)).toMatchObject({ status: 'FAILED', error: 'Service.Down' });
    await first.sfn.send(new RedriveExecutionCommand({ executionArn }));
    let token: string;
    let before: HistoryEvent[];
    try {
      const approve = (h: HistoryEvent[]) => h.find((e) => e.type === 'TaskScheduled' && e.taskScheduledEventDetails!.parameters!.includes('token'));
      const history = () => first.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
      const { events } = await until(history, (h) => approve(h.events!) !== undefined);
      token = JSON.parse(approve(events!)!.taskScheduledEventDetails!.parameters!).MessageBody.token;
      await heartbeatUntilCompacted(first.sfn, token);
      before = (await first.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
    } finally {
      await first.stop();
    }

    // The redriven run replays from its redrive point, so its task is answered again.
    const second = await serve({ dataDir: dir, handlers: { Flaky: () => 'ok' } });
    try {
      await second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"approved"' }));
      expect(await finished(second.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '"approved"', redriveCount: 1 });
      const after = (await second.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
      // The failed run is read back from the journal as it was (the redriven run replays, on a clock that goes on).
      const failedRun = before.findIndex((e) => e.type === 'ExecutionRedriven');
      expect(after.slice(0, failedRun)).toEqual(before.slice(0, failedRun));
      expect(after.map((e) => e.type).slice(failedRun - 1)).toEqual([
        'ExecutionFailed', 'ExecutionRedriven', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited',
        'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
      ]);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('an execution waiting for a callback when the journal is compacted resumes after a restart and takes its answer', async () => {
    const first = await serve({ dataDir: dir, compactJournalAt: 6_000 });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'callback', definition: CALLBACK, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"order":"o-1"}' }));
    const token = await tokenOf(first.sfn, executionArn!);
    await heartbeatUntilCompacted(first.sfn, token);
    await first.stop();

    const second = await serve({ dataDir: dir });
    try {
      await second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
      expect(await finished(second.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('keeps the answer of a callback whose Task has ended while its execution waits at the next one: a restart replays it', async () => {
    const twice = (name: string, next?: string) => ({
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
      ResultPath: `$.${name}`,
      ...(next ? { Next: next } : { End: true }),
    });
    const definition = asl({ StartAt: 'First', States: { First: twice('first', 'Second'), Second: twice('second') } });
    const first = await serve({ dataDir: dir, compactJournalAt: 6_000 });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'twice', definition, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const firstToken = await tokenOf(first.sfn, executionArn!);
    await first.sfn.send(new SendTaskSuccessCommand({ taskToken: firstToken, output: '"a"' }));
    const { events } = await until(() => first.sfn.send(new GetExecutionHistoryCommand({ executionArn })),
      (h) => h.events!.filter((e) => e.type === 'TaskScheduled').length === 2);
    const secondToken = JSON.parse(events!.filter((e) => e.type === 'TaskScheduled')[1].taskScheduledEventDetails!.parameters!).MessageBody.token as string;
    // The router has forgotten the first token's execution (its Task ended): the record names it.
    await heartbeatUntilCompacted(first.sfn, secondToken);
    await first.stop();

    const second = await serve({ dataDir: dir });
    try {
      await until(() => second.sfn.send(new SendTaskSuccessCommand({ taskToken: secondToken, output: '"b"' })).then(() => true, () => false), (sent) => sent);
      expect(await finished(second.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"first":"a","second":"b"}' });
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('keeps an answer sent while the journal is compacted (the compaction takes in the records being written)', async () => {
    const first = await serve({ dataDir: dir, compactJournalAt: 6_000 });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'callback', definition: CALLBACK, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    const token = await tokenOf(first.sfn, executionArn!);
    // Heartbeats up to just under the size, then the answer together with more heartbeats: they share the write that compacts.
    while (fs.statSync(path.join(dir, JOURNAL)).size < 5_500) await first.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await Promise.all([
      first.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"yes"' })),
      ...Array.from({ length: 10 }, () => first.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })).catch(() => undefined)),
    ]);
    expect(await finished(first.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '"yes"' });
    expect(fs.statSync(path.join(dir, JOURNAL)).size).toBeLessThan(5_500);
    await first.stop();

    const second = await serve({ dataDir: dir });
    try {
      expect(await finished(second.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '"yes"' });
    } finally {
      await second.stop();
    }
  }, 60_000);
});
