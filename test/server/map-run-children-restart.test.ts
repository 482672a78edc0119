import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeMapRunCommand, GetExecutionHistoryCommand, ListExecutionsCommand, ListMapRunsCommand,
  RedriveExecutionCommand, SendTaskFailureCommand, SendTaskSuccessCommand, StopExecutionCommand, type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { ROLE, serve, until } from './helpers';
import { ASKING, ended, mapOver, started } from './map-run-fixture';
import { kill9, refusedServer, spawnServer, type Child } from './processes';
import { frame, type RawRecord } from '../../src/server/journal/format';

/*
 * The child executions of a Map Run survive a restart of `stepwright serve --data-dir` as their
 * parent does: each is an execution of its own on AWS (ListExecutions --map-run-arn,
 * DescribeExecution and GetExecutionHistory on its ARN), so a restart of the local server must
 * not lose them. Serve keeps (and journals) a Map Run's first 1,000 children.
 */

const mapRunsOf = async (sfn: SFNClient, executionArn: string, count = 1): Promise<string[]> =>
  (await until(async () => (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns!, (r) => r.length >= count)).map((r) => r.mapRunArn!);

/** Every child ListExecutions --map-run-arn lists, page by page. */
async function childrenOf(sfn: SFNClient, mapRunArn: string): Promise<Array<Record<string, unknown>>> {
  const all: Array<Record<string, unknown>> = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ mapRunArn, maxResults: 1000, nextToken }));
    all.push(...page.executions!.map((e) => ({ ...e })));
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

/** What a client sees of a parent's Map Runs and their children: DescribeMapRun, the listing, and each child's description and history. */
async function seen(sfn: SFNClient, executionArn: string): Promise<unknown> {
  const out: unknown[] = [];
  for (const mapRunArn of await mapRunsOf(sfn, executionArn)) {
    const { $metadata: _m, ...run } = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    const children = await childrenOf(sfn, mapRunArn);
    const each: unknown[] = [];
    for (const c of children) {
      const { $metadata: _d, ...described } = await sfn.send(new DescribeExecutionCommand({ executionArn: c.executionArn as string }));
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: c.executionArn as string, maxResults: 1000 }));
      each.push({ described, events });
    }
    out.push({ run, children, each });
  }
  return out;
}

/** DescribeMapRun's executionCounts. */
const countsOf = async (sfn: SFNClient, mapRunArn: string): Promise<object> =>
  (await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).executionCounts!;

/** The task token a child waits with, once it has scheduled its Task (its latest run's, for one redriven). */
async function tokenOf(sfn: SFNClient, executionArn: string): Promise<string> {
  const latest = (events: HistoryEvent[]): HistoryEvent[] => events.slice(Math.max(0, events.map((e) => e.type).lastIndexOf('ExecutionRedriven')));
  const events = await until(async () => latest((await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!), (e) => e.some((x) => x.type === 'TaskScheduled'));
  return (JSON.parse(events.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!) as { MessageBody: string }).MessageBody;
}

/** The `child` records a journal holds. */
function childRecords(dir: string): Array<{ arn: string }> {
  const out: Array<{ arn: string }> = [];
  for (const line of fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8').split('\n')) {
    const m = /^\{"n":\d+,"c":"[0-9a-f]{8}","r":(.*)\}$/.exec(line);
    const r = m ? JSON.parse(m[1]) as { t: string; arn: string } : undefined;
    if (r?.t === 'child') out.push(r);
  }
  return out;
}

/*
 * The tests of this block share one data directory, and each starts on the server the test before
 * it left running (a restarted one): every kill -9 and restart stays, with one start fewer per
 * test. Each test's state machine has a name of its own; what it checks is its own execution's.
 */
describe('serve --data-dir: a Map Run\'s child executions after kill -9 and a restart', () => {
  let dir: string;
  const children: Child[] = [];
  /** The server the last test left running, if any. */
  let current: Child | undefined;
  const spawned = async (): Promise<Child> => {
    const c = await spawnServer(dir);
    children.push(c);
    current = c;
    return c;
  };
  /** The server running on the directory: the one the test before left, else a new one. */
  const serving = async (): Promise<Child> =>
    (current && current.process.exitCode === null && current.process.signalCode === null ? current : spawned());
  /** What a client sees of `arn` (see seen) after kill -9 and a restart, checked to be what it saw before. */
  const seenAcrossKill9 = async (first: Child, arn: string): Promise<unknown> => {
    const before = await seen(first.sfn, arn);
    await kill9(first);
    const after = await seen((await spawned()).sfn, arn);
    expect(after).toEqual(before);
    return after;
  };
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-map-children-')); });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c !== current) await kill9(c);
    if (current) children.push(current);
  });
  afterAll(async () => {
    for (const c of children.splice(0)) await kill9(c);
    current = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists a finished parent\'s children after kill -9 as before (order, statuses, dates), and describes each and gives its history as before', async () => {
    const first = await serving();
    const arn = await started(first.sfn, 'runs-tolerated', mapOver({ Label: 'Batch', ToleratedFailureCount: 1, MaxConcurrency: 1 }), { items: [{ n: 1 }, { bad: true }, { n: 3 }] });
    expect(await ended(first.sfn, arn)).toBe('SUCCEEDED');
    const after = await seenAcrossKill9(first, arn);
    const [{ children: listed, run }] = after as Array<{ children: Array<{ status: string }>; run: { executionCounts: object } }>;
    expect(listed.map((c) => c.status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
    expect(run.executionCounts).toMatchObject({ succeeded: 2, failed: 1, total: 3 });
  }, 60_000);

  it('keeps a redriven Map Run after kill -9 as before: its children, and counts that agree with them (the earlier success included)', async () => {
    const first = await serving();
    const arn = await started(first.sfn, 'runs-redriven', mapOver({ Label: 'Batch', MaxConcurrency: 1 }), { items: [{ n: 1 }, { bad: true }, { n: 3 }] });
    expect(await ended(first.sfn, arn)).toBe('FAILED');
    await first.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect(await ended(first.sfn, arn)).toBe('FAILED');
    const after = await seenAcrossKill9(first, arn);
    type Seen = { children: Array<{ status: string }>; run: { executionCounts: object; redriveCount: number } };
    const [{ children: listed, run }] = after as Seen[];
    expect(listed.map((c) => c.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(run).toMatchObject({ redriveCount: 1, executionCounts: { succeeded: 1, failed: 1, pending: 1, total: 3 } });
  }, 60_000);

  it('keeps a batched Map Run\'s counts after kill -9: its items in itemCounts, its children in executionCounts', async () => {
    const first = await serving();
    const arn = await started(first.sfn, 'batches', mapOver({ ItemBatcher: { MaxItemsPerBatch: 2 } }), { items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    expect(await ended(first.sfn, arn)).toBe('SUCCEEDED');
    const after = await seenAcrossKill9(first, arn);
    const [{ run }] = after as Array<{ run: { itemCounts: object; executionCounts: object } }>;
    expect(run).toMatchObject({ itemCounts: { total: 3, succeeded: 3 }, executionCounts: { total: 2, succeeded: 2 } });
  }, 60_000);

  it('keeps an EXPRESS child that timed out counted as timedOut, not failed, after kill -9', async () => {
    // A server of its own, whose clock runs 10,000 times the wall clock's: the child's 400 s take 40 ms.
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-map-timeouts-'));
    const fast = { args: ['--time-scale', '10000'] };
    const mine: Child[] = [];
    try {
      const first = await spawnServer(own, fast);
      mine.push(first);
      // A child past the 5 minutes an Express workflow may run times out: MapRunExecutionCounts counts it under timedOut.
      const waits = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'Work', States: { Work: { Type: 'Wait', SecondsPath: '$.s', End: true } } };
      const arn = await started(first.sfn, 'express-timeouts', mapOver({ ToleratedFailureCount: 1, MaxConcurrency: 1 }, waits), { items: [{ s: 400 }, { s: 1 }] });
      expect(await ended(first.sfn, arn)).toBe('SUCCEEDED');
      const before = await seen(first.sfn, arn);
      await kill9(first);
      const second = await spawnServer(own, fast);
      mine.push(second);
      const after = await seen(second.sfn, arn);
      expect(after).toEqual(before);
      const [{ run }] = after as Array<{ run: { itemCounts: object; executionCounts: object } }>;
      const counts = { succeeded: 1, failed: 0, timedOut: 1, total: 2, resultsWritten: 2 };
      expect(run).toMatchObject({ itemCounts: counts, executionCounts: counts });
    } finally {
      for (const c of mine) await kill9(c);
      fs.rmSync(own, { recursive: true, force: true });
    }
  }, 60_000);

  it('keeps a stopped parent\'s children ABORTED after kill -9, as its ABORTED Map Run counts them', async () => {
    const first = await serving();
    const arn = await started(first.sfn, 'asks-stopped-parent', mapOver({ Label: 'Batch', MaxConcurrency: 2 }, ASKING), { items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    const [mapRunArn] = await mapRunsOf(first.sfn, arn);
    await until(async () => (await first.sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!, (e) => e.length === 2);
    await first.sfn.send(new StopExecutionCommand({ executionArn: arn }));
    expect(await ended(first.sfn, arn)).toBe('ABORTED');
    const after = await seenAcrossKill9(first, arn);
    const [{ children: listed, run }] = after as Array<{ children: Array<{ status: string }>; run: object }>;
    expect(listed.map((c) => c.status)).toEqual(['ABORTED', 'ABORTED']);
    expect(run).toMatchObject({ status: 'ABORTED', executionCounts: { aborted: 2, pending: 1, running: 0, failed: 0 } });
  }, 60_000);

  it('keeps a child stopped by StopExecution on its ARN ABORTED after kill -9, counted under DescribeMapRun\'s aborted', async () => {
    const first = await serving();
    const arn = await started(first.sfn, 'asks-stopped-child', mapOver({}, ASKING), { items: [{ n: 1 }, { n: 2 }] });
    const [mapRunArn] = await mapRunsOf(first.sfn, arn);
    const [second, firstChild] = await until(() => childrenOf(first.sfn, mapRunArn), (e) => e.length === 2);
    await tokenOf(first.sfn, firstChild.executionArn as string);
    const token = await tokenOf(first.sfn, second.executionArn as string);
    await first.sfn.send(new StopExecutionCommand({ executionArn: firstChild.executionArn as string, error: 'By.Hand', cause: 'not needed' }));
    await first.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"answered":true}' }));
    expect(await ended(first.sfn, arn)).toBe('SUCCEEDED');
    const before = await seen(first.sfn, arn);
    await kill9(first);

    const restarted = await spawned();
    expect(await seen(restarted.sfn, arn)).toEqual(before);
    expect(await restarted.sfn.send(new DescribeExecutionCommand({ executionArn: firstChild.executionArn as string }))).toMatchObject({ status: 'ABORTED', error: 'By.Hand', cause: 'not needed' });
    expect(await countsOf(restarted.sfn, mapRunArn)).toMatchObject({ aborted: 1, succeeded: 1, failed: 0, total: 2 });
  }, 60_000);

  it('stops again a child stopped by StopExecution while its parent ran, when the parent runs again after kill -9: ABORTED, counted under aborted', async () => {
    const first = await serving();
    const arn = await started(first.sfn, 'asks-stopped-again', mapOver({}, ASKING), { items: [{ n: 1 }, { n: 2 }] });
    const [mapRunArn] = await mapRunsOf(first.sfn, arn);
    const [other, stopped] = await until(() => childrenOf(first.sfn, mapRunArn), (e) => e.length === 2);
    await tokenOf(first.sfn, stopped.executionArn as string);
    const token = await tokenOf(first.sfn, other.executionArn as string);
    await first.sfn.send(new StopExecutionCommand({ executionArn: stopped.executionArn as string, error: 'By.Hand', cause: 'not needed' }));
    await kill9(first);

    const second = await spawned();
    const replayed = await until(() => childrenOf(second.sfn, mapRunArn), (e) => e.length === 2 && e[1].status === 'ABORTED');
    expect(replayed.map((c) => [c.executionArn, c.status])).toEqual([[other.executionArn, 'RUNNING'], [stopped.executionArn, 'ABORTED']]);
    expect(await second.sfn.send(new DescribeExecutionCommand({ executionArn: stopped.executionArn as string }))).toMatchObject({ status: 'ABORTED', error: 'By.Hand', cause: 'not needed' });
    expect(await countsOf(second.sfn, mapRunArn)).toMatchObject({ aborted: 1, running: 1, total: 2 });
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"answered"' }));
    expect(await ended(second.sfn, arn)).toBe('SUCCEEDED');
    expect(JSON.parse((await second.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).output!)).toEqual([{ Error: 'States.Stopped' }, 'answered']);
    expect(await countsOf(second.sfn, mapRunArn)).toMatchObject({ aborted: 1, succeeded: 1, running: 0, total: 2 });
  }, 60_000);

  it('a parent still running at kill -9 runs again with its children listed once each, agreeing with DescribeMapRun, through a second kill -9', async () => {
    const first = await serving();
    const arn = await started(first.sfn, 'asks-running', mapOver({}, ASKING), { items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    const [mapRunArn] = await mapRunsOf(first.sfn, arn);
    const listed = await until(() => childrenOf(first.sfn, mapRunArn), (e) => e.length === 3);
    const tokens = new Map<string, string>();
    for (const c of listed) tokens.set(c.executionArn as string, await tokenOf(first.sfn, c.executionArn as string));
    // One child ends (its closing is journaled) while its parent still runs.
    const done = listed[2].executionArn as string;
    await first.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens.get(done), output: '"one"' }));
    await until(async () => (await first.sfn.send(new DescribeExecutionCommand({ executionArn: done }))).status!, (s) => s === 'SUCCEEDED');
    await kill9(first);

    /** The children listed, each once, and DescribeMapRun's counts of them. */
    const agree = async (sfn: SFNClient, running: number): Promise<Array<Record<string, unknown>>> => {
      const now = await until(() => childrenOf(sfn, mapRunArn), (e) => e.length === 3 && e.filter((c) => c.status === 'RUNNING').length === running);
      expect(new Set(now.map((c) => c.executionArn)).size).toBe(now.length);
      const counts = (await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).executionCounts!;
      const by = (status: string): number => now.filter((c) => c.status === status).length;
      expect(counts).toMatchObject({ running: by('RUNNING'), succeeded: by('SUCCEEDED'), failed: by('FAILED'), aborted: by('ABORTED'), total: now.length });
      return now;
    };
    const second = await spawned();
    const replayed = await agree(second.sfn, 2);
    expect(replayed.map((c) => c.executionArn)).toEqual(listed.map((c) => c.executionArn));
    // The replay runs the children again under the same ARNs, with the same tokens.
    for (const c of listed) if (c.executionArn !== done) await second.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens.get(c.executionArn as string), output: '"later"' }));
    expect(await ended(second.sfn, arn)).toBe('SUCCEEDED');
    await agree(second.sfn, 0);
    const before = await seen(second.sfn, arn);
    await kill9(second);

    const third = await spawned();
    expect(await seen(third.sfn, arn)).toEqual(before);
    await agree(third.sfn, 0);
  }, 90_000);

  it('reads back the children of a Map Run inside a child after kill -9: each child\'s own Map Run lists and counts them as before', async () => {
    const inner = { ...(JSON.parse(mapOver({ Label: 'In', ToleratedFailureCount: 1 })) as { States: { Run: object } }).States.Run };
    const definition = JSON.stringify({
      StartAt: 'Outer',
      States: {
        Outer: {
          Type: 'Map',
          Label: 'Out',
          ItemsPath: '$.groups',
          MaxConcurrency: 1,
          End: true,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Run', States: { Run: inner } },
        },
      },
    });
    const first = await serving();
    const arn = await started(first.sfn, 'nested', definition, { groups: [{ items: [{ n: 1 }, { bad: true }] }, { items: [{ n: 3 }] }] });
    expect(await ended(first.sfn, arn)).toBe('SUCCEEDED');
    const everything = async (sfn: SFNClient): Promise<unknown[]> => {
      const [outer] = await mapRunsOf(sfn, arn);
      const out: unknown[] = [await seen(sfn, arn)];
      for (const c of await childrenOf(sfn, outer)) out.push(await seen(sfn, c.executionArn as string));
      return out;
    };
    const before = await everything(first.sfn);
    // Two outer children, each with a Map Run of its own: 2 and 1 inner children.
    expect((before.slice(1) as Array<Array<{ children: unknown[] }>>).map(([run]) => run.children.length)).toEqual([1, 2]);
    await kill9(first);

    const second = await spawned();
    expect(await everything(second.sfn)).toEqual(before);
  }, 60_000);

  /*
   * AWS: "A redriven parent workflow redrives all the unsuccessful states, including Distributed
   * Map … to redrive all the unsuccessful child workflow executions in the Map Run" (Redriving
   * Map Runs, Developer Guide); RedriveExecution redrives the iterations that "failed or aborted",
   * and MapRunExecutionCounts.failuresNotRedrivable counts FAILED, ABORTED or TIMED_OUT children
   * that cannot be redriven: an ABORTED child is one a redrive runs again.
   */
  it('a redrive after kill -9 of a parent whose Map Run had a child stopped runs the stopped and the failed child again under their ARNs', async () => {
    const first = await serving();
    const arn = await started(first.sfn, 'asks-redriven', mapOver({}, ASKING), { items: [{ n: 1 }, { n: 2 }] });
    const [mapRunArn] = await mapRunsOf(first.sfn, arn);
    const [failing, stopped] = await until(() => childrenOf(first.sfn, mapRunArn), (e) => e.length === 2);
    await tokenOf(first.sfn, stopped.executionArn as string);
    const token = await tokenOf(first.sfn, failing.executionArn as string);
    await first.sfn.send(new StopExecutionCommand({ executionArn: stopped.executionArn as string }));
    await first.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Item.Down' }));
    expect(await ended(first.sfn, arn)).toBe('FAILED');
    expect((await childrenOf(first.sfn, mapRunArn)).map((c) => c.status)).toEqual(['FAILED', 'ABORTED']);
    await kill9(first);

    const second = await spawned();
    await second.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    const rerun = await until(() => childrenOf(second.sfn, mapRunArn), (e) => e.every((c) => c.status === 'RUNNING'));
    expect(rerun.map((c) => [c.executionArn, c.redriveCount])).toEqual([[failing.executionArn, 1], [stopped.executionArn, 1]]);
    for (const c of rerun) await second.sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf(second.sfn, c.executionArn as string), output: '"again"' }));
    expect(await ended(second.sfn, arn)).toBe('SUCCEEDED');
    const run = await second.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(run).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, executionCounts: { succeeded: 2, aborted: 0, failed: 0 } });
    const { events } = await second.sfn.send(new GetExecutionHistoryCommand({ executionArn: stopped.executionArn as string }));
    const history = events!.map((e) => e.type);
    expect(history).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'ExecutionAborted',
      'ExecutionRedriven', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  }, 60_000);

  it('a redrive killed while its rerun child waits runs again after the restart: the child is listed once, with its first run\'s history', async () => {
    const first = await serving();
    const arn = await started(first.sfn, 'asks-redrive-killed', mapOver({}, ASKING), { items: [{ n: 1 }, { n: 2 }] });
    const [mapRunArn] = await mapRunsOf(first.sfn, arn);
    const [failing, passing] = await until(() => childrenOf(first.sfn, mapRunArn), (e) => e.length === 2);
    await first.sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf(first.sfn, passing.executionArn as string), output: '"kept"' }));
    await until(() => childrenOf(first.sfn, mapRunArn), (e) => e[1].status === 'SUCCEEDED');
    await first.sfn.send(new SendTaskFailureCommand({ taskToken: await tokenOf(first.sfn, failing.executionArn as string), error: 'Item.Down' }));
    expect(await ended(first.sfn, arn)).toBe('FAILED');
    await first.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    const token = await until(() => tokenOf(first.sfn, failing.executionArn as string), (t) => t.length > 0);
    const waiting = await until(() => childrenOf(first.sfn, mapRunArn), (e) => e[0].status === 'RUNNING');
    const typesOf = async (sfn: SFNClient, executionArn: string): Promise<string[]> =>
      (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!.map((e) => e.type!);
    const firstRun = await typesOf(first.sfn, failing.executionArn as string);
    expect(firstRun).toContain('ExecutionRedriven');
    await kill9(first);

    const second = await spawned();
    const replayed = await until(() => childrenOf(second.sfn, mapRunArn), (e) => e.length === 2 && e[0].status === 'RUNNING');
    // The replay of the redrive takes none of the time the first one took (serve.md, Durable state): its child's redrive date may come a few ms sooner.
    const withoutDate = (list: Array<Record<string, unknown>>): unknown[] =>
      list.map(({ redriveDate, ...rest }) => ({ ...rest, redriven: redriveDate !== undefined }));
    expect(withoutDate(replayed)).toEqual(withoutDate(waiting));
    expect(await typesOf(second.sfn, failing.executionArn as string)).toEqual(firstRun);
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"again"' }));
    expect(await ended(second.sfn, arn)).toBe('SUCCEEDED');
    expect(JSON.parse((await second.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).output!)).toEqual(['kept', 'again']);
    expect((await childrenOf(second.sfn, mapRunArn)).map((c) => [c.executionArn, c.status, c.redriveCount])).toEqual([
      [failing.executionArn, 'SUCCEEDED', 1], [passing.executionArn, 'SUCCEEDED', 0],
    ]);
  }, 60_000);
});

describe('serve --data-dir: the journal keeps a Map Run\'s first 1,000 children', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-map-children-bound-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps a running parent\'s ended and stopped children through a compaction: after a restart each is listed once, the stopped one ABORTED', async () => {
    const first = await serve({ dataDir: dir, compactJournalAt: 4096 });
    let arn: string;
    let mapRunArn: string;
    let listed: Array<Record<string, unknown>>;
    const tokens = new Map<string, string>();
    try {
      arn = await started(first.sfn, 'asks', mapOver({}, ASKING), { items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
      [mapRunArn] = await mapRunsOf(first.sfn, arn);
      listed = await until(() => childrenOf(first.sfn, mapRunArn), (e) => e.length === 3);
      for (const c of listed) tokens.set(c.executionArn as string, await tokenOf(first.sfn, c.executionArn as string));
      await first.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens.get(listed[0].executionArn as string), output: '"one"' }));
      await first.sfn.send(new StopExecutionCommand({ executionArn: listed[1].executionArn as string, error: 'By.Hand' }));
      await until(() => childrenOf(first.sfn, mapRunArn), (e) => e[0].status === 'SUCCEEDED');
      // More state machines, past the compaction size: the journal is compacted while the parent runs.
      for (let i = 0; i < 4; i++) await first.sfn.send(new CreateStateMachineCommand({ name: `filler-${i}`, definition: mapOver({ Comment: 'x'.repeat(2000) }), roleArn: ROLE }));
    } finally {
      await first.stop();
    }
    const journal = fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8');
    expect(journal).toContain('"r":{"t":"compacted"');
    expect(journal).toContain(`"r":{"t":"stop","arn":"${listed[1].executionArn as string}"`);
    const second = await serve({ dataDir: dir });
    try {
      const now = await until(() => childrenOf(second.sfn, mapRunArn), (e) => e.length === 3 && e[1].status === 'ABORTED' && e[0].status === 'SUCCEEDED');
      expect(now.map((c) => [c.executionArn, c.status])).toEqual([
        [listed[0].executionArn, 'SUCCEEDED'], [listed[1].executionArn, 'ABORTED'], [listed[2].executionArn, 'RUNNING'],
      ]);
      expect(await countsOf(second.sfn, mapRunArn)).toMatchObject({ succeeded: 1, aborted: 1, running: 1, total: 3 });
      await second.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens.get(listed[2].executionArn as string), output: '"three"' }));
      expect(await ended(second.sfn, arn)).toBe('SUCCEEDED');
      expect(JSON.parse((await second.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).output!)).toEqual(['three', { Error: 'States.Stopped' }, 'one']);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('refuses a child\'s closing whose history records are gone, naming it; with --repair drops that child alone and serves the others', async () => {
    const first = await serve({ dataDir: dir });
    let arn: string;
    let mapRunArn: string;
    let before: Array<Record<string, unknown>>;
    try {
      arn = await started(first.sfn, 'runs', mapOver({ MaxConcurrency: 1 }), { items: [{ n: 1 }, { n: 2 }] });
      expect(await ended(first.sfn, arn)).toBe('SUCCEEDED');
      [mapRunArn] = await mapRunsOf(first.sfn, arn);
      before = await childrenOf(first.sfn, mapRunArn);
    } finally {
      await first.stop();
    }
    // The first history records are those of the child that ended first (the oldest, listed last).
    const file = path.join(dir, 'journal.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const history = lines.findIndex((l) => l.includes('"r":{"t":"history"'));
    fs.writeFileSync(file, lines.filter((_, i) => i !== history).join('\n'));

    const refused = await refusedServer(dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`the 'child' record of '${before[1].executionArn as string}' cannot be read: its history is in 1 history records with id`);
    const repaired = await serve({ dataDir: dir, repair: true });
    try {
      expect(repaired.logs.join('\n')).toContain(`the 'child' record of '${before[1].executionArn as string}' cannot be read`);
      expect((await childrenOf(repaired.sfn, mapRunArn)).map((c) => c.executionArn)).toEqual([before[0].executionArn]);
      expect(await countsOf(repaired.sfn, mapRunArn)).toMatchObject({ succeeded: 2, total: 2 });
      expect((await repaired.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('SUCCEEDED');
    } finally {
      await repaired.stop();
    }
  }, 60_000);

  it('refuses a closing whose Map Run counts are not counts, naming its line; with --repair runs that execution again', async () => {
    const first = await serve({ dataDir: dir });
    let arn: string;
    try {
      arn = await started(first.sfn, 'runs', mapOver(), { items: [{ n: 1 }] });
      expect(await ended(first.sfn, arn)).toBe('SUCCEEDED');
    } finally {
      await first.stop();
    }
    const file = path.join(dir, 'journal.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"r":{"t":"closed"'));
    const closed = (JSON.parse(lines[at]) as { r: RawRecord }).r;
    lines[at] = frame({ ...closed, mapRuns: [{ arn: 'x', total: -1 }] }).toString().trimEnd();
    fs.writeFileSync(file, lines.join('\n'));

    const refused = await refusedServer(dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`is damaged at line ${at + 1}`);
    expect(refused.stderr).toContain(`the 'closed' record of '${arn}' cannot be read: its field 'mapRuns' holds an entry (0) that is not a Map Run's counts`);
    const repaired = await serve({ dataDir: dir, repair: true });
    try {
      expect(await ended(repaired.sfn, arn)).toBe('SUCCEEDED');
      const [mapRunArn] = await mapRunsOf(repaired.sfn, arn);
      expect(await countsOf(repaired.sfn, mapRunArn)).toMatchObject({ succeeded: 1, total: 1 });
    } finally {
      await repaired.stop();
    }
  }, 60_000);

  it('journals the closings of a Map Run\'s first 1,000 children of 1,005, keeps them through a compaction, and lists them after a restart', async () => {
    const first = await serve({ dataDir: dir });
    let arn: string;
    let mapRunArn: string;
    try {
      arn = await started(first.sfn, 'many', mapOver(), { items: Array.from({ length: 1005 }, (_, n) => ({ n })) });
      expect(await ended(first.sfn, arn)).toBe('SUCCEEDED');
      [mapRunArn] = await mapRunsOf(first.sfn, arn);
    } finally {
      await first.stop();
    }
    expect(childRecords(dir)).toHaveLength(1000);
    // A compaction on the next write rewrites every closed execution from memory, its children with it.
    const second = await serve({ dataDir: dir, compactJournalAt: 1024 });
    try {
      await second.sfn.send(new CreateStateMachineCommand({ name: 'another', definition: mapOver(), roleArn: ROLE }));
    } finally {
      await second.stop();
    }
    const compacted = childRecords(dir);
    expect(compacted).toHaveLength(1000);
    expect(new Set(compacted.map((r) => r.arn)).size).toBe(1000);
    const third = await serve({ dataDir: dir });
    try {
      expect(await childrenOf(third.sfn, mapRunArn)).toHaveLength(1000);
      expect((await third.sfn.send(new DescribeMapRunCommand({ mapRunArn }))).itemCounts).toMatchObject({ total: 1005, succeeded: 1005 });
    } finally {
      await third.stop();
    }
  }, 120_000);
});
