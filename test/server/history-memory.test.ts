import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { asl, padLoop, ROLE, until } from './helpers';
import { kill9, spawnServer, type Child } from './processes';

/** A loop AWS fails at its 25,000-event history limit: a Pass that counts, carrying the input along, and a Choice that never ends it. */
const LOOP = padLoop();
/** A legal input of about 250 KiB (AWS's limit is 256 KiB). */
const PAD = 'x'.repeat(250 * 1024);
const INPUT = JSON.stringify({ pad: PAD, i: 0 });
/** A heap a server holding 25,000 rendered events of 250 KiB (6 GB) cannot have. */
const SMALL_HEAP = ['--max-old-space-size=512'];

describe('serve: an execution with 25,000 events of 250 KiB payloads, in a server with a 512 MB heap', () => {
  let dir: string;
  const children: Child[] = [];
  const track = (child: Child): Child => { children.push(child); return child; };
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-history-memory-')); });
  afterEach(async () => {
    for (const c of children.splice(0)) await kill9(c);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function runLoop(sfn: SFNClient): Promise<string> {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'loop', definition: LOOP, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: INPUT }));
    return executionArn!;
  }

  const closed = (sfn: SFNClient, executionArn: string) =>
    until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 60_000);
  const lastEvent = async (sfn: SFNClient, executionArn: string) =>
    (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1, reverseOrder: true }))).events![0];

  it('fails it with States.Runtime at the history limit, answers GetExecutionHistory, and reads it back after kill -9 and a restart', async () => {
    const first = track(await spawnServer(dir, { node: SMALL_HEAP }));
    const executionArn = await runLoop(first.sfn);
    expect(await closed(first.sfn, executionArn)).toMatchObject({
      status: 'FAILED', error: 'States.Runtime', cause: 'The execution reached the maximum number of history events (25000).',
    });
    expect(await lastEvent(first.sfn, executionArn)).toMatchObject({ id: 25_000, type: 'ExecutionFailed' });
    const page = await first.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    // 8 MiB of payloads end a page early, with a nextToken for the rest, as AWS may answer fewer than maxResults.
    expect(page.events!.length).toBeGreaterThan(1);
    expect(page.events!.length).toBeLessThan(100);
    expect(JSON.parse(page.events![0].executionStartedEventDetails!.input!)).toEqual({ pad: PAD, i: 0 });
    const next = await first.sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken: page.nextToken }));
    expect(next.events![0].id).toBe(page.events!.length + 1);
    // The journal holds the 250 KiB once, not once per event.
    expect(fs.statSync(path.join(dir, 'journal.jsonl')).size).toBeLessThan(8 * 1024 * 1024);
    await kill9(first);

    const second = track(await spawnServer(dir, { node: SMALL_HEAP }));
    expect(await closed(second.sfn, executionArn)).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(await lastEvent(second.sfn, executionArn)).toMatchObject({ id: 25_000, type: 'ExecutionFailed' });
    const restored = await second.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3 }));
    expect(restored.events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited']);
    expect(JSON.parse(restored.events![2].stateExitedEventDetails!.output!)).toEqual({ pad: PAD, i: 1 });
  }, 120_000);

  it('in memory only, answers GetExecutionHistory with maxResults 1 on it', async () => {
    const server = track(await spawnServer(undefined, { node: SMALL_HEAP }));
    const executionArn = await runLoop(server.sfn);
    expect(await closed(server.sfn, executionArn)).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    const first = await server.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1 }));
    expect(first.events!.map((e) => [e.id, e.type])).toEqual([[1, 'ExecutionStarted']]);
    expect(await lastEvent(server.sfn, executionArn)).toMatchObject({ id: 25_000, type: 'ExecutionFailed' });
  }, 120_000);
});

/**
 * A loop whose every Pass makes a new string of about 200 KiB (the last one and an 'x'): its
 * history holds each of them, 1.3 GB by the 25,000-event limit, which no 256 MB heap can hold.
 */
const GROWING = asl({
  StartAt: 'Step',
  States: {
    Step: { Type: 'Pass', Parameters: { 'pad.$': "States.Format('{}x', $.pad)", 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'More' },
    More: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThan: 1e9, Next: 'Done' }], Default: 'Step' },
    Done: { Type: 'Succeed' },
  },
});
const TINY_HEAP = ['--max-old-space-size=256'];

describe('serve: an execution whose every state makes a new 200 KiB value, in a server with a 256 MB heap', () => {
  let dir: string;
  const children: Child[] = [];
  const track = (child: Child): Child => { children.push(child); return child; };
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-history-budget-')); });
  afterEach(async () => {
    for (const c of children.splice(0)) await kill9(c);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ends it with States.Runtime once its history holds an eighth of the heap, goes on answering, and reads it back after kill -9 and a restart', async () => {
    const first = track(await spawnServer(dir, { node: TINY_HEAP }));
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'growing', definition: GROWING, roleArn: ROLE }));
    const input = JSON.stringify({ pad: 'x'.repeat(200 * 1024), i: 0 });
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
    const failed = await until(() => first.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 60_000);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    // node's heap limit is its old space (--max-old-space-size) and its young space.
    expect(failed.cause).toMatch(/more than stepwright serve keeps for one execution \(\d+ MiB, an eighth of its \d+ MiB heap\)/);
    const last = (await first.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1, reverseOrder: true }))).events![0];
    expect(last.type).toBe('ExecutionFailed');
    // Ended long before the history limit: what it holds is bounded, not its count of events.
    expect(last.id).toBeLessThan(2_000);
    await kill9(first);

    const second = track(await spawnServer(dir, { node: TINY_HEAP }));
    expect(await second.sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: failed.cause });
    const again = (await second.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1, reverseOrder: true }))).events![0];
    expect(again).toMatchObject({ id: last.id, type: 'ExecutionFailed' });
    const firstExit = await second.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3 }));
    expect(JSON.parse(firstExit.events![2].stateExitedEventDetails!.output!)).toEqual({ pad: `${'x'.repeat(200 * 1024)}x`, i: 1 });
  }, 120_000);
});
