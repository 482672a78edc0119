import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, GetExecutionHistoryCommand, StartExecutionCommand, type HistoryEvent, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, until } from './helpers';
import { lambdaEndpoint } from './lambda-endpoint';
import { kill9, spawnServer, type Child } from './processes';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:count';
const HANDLERS = path.join(__dirname, 'fixtures', 'counting-handlers.js');

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
}

/** The history once the execution waits in `state` (bounded). */
function waitingIn(sfn: SFNClient, executionArn: string, state: string, count = 1): Promise<HistoryEvent[]> {
  return until(() => history(sfn, executionArn),
    (events) => events.filter((e) => e.type === 'WaitStateEntered' && e.stateEnteredEventDetails?.name === state).length >= count, 20_000);
}

/**
 * The events without their times. Between the journaled moments (the start, an answer, a wait's
 * end) a replay does not take the milliseconds the work took live, so only those moments keep their times.
 */
const untimed = (events: HistoryEvent[]): Array<Omit<HistoryEvent, 'timestamp'>> => events.map(({ timestamp: _, ...rest }) => rest);

describe('serve --data-dir: what a Task was answered before kill -9 is what it shows after a restart', () => {
  let dir: string;
  const children: Child[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-task-results-')); });
  afterEach(async () => {
    for (const c of children.splice(0)) await kill9(c);
    for (const f of cleanups.splice(0)) await f();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const spawn = async (args: string[], env?: Record<string, string>): Promise<Child> => {
    const child = await spawnServer(dir, { args, env });
    children.push(child);
    return child;
  };

  it('does not call the Lambda endpoint again for a call it answered, and shows its answer at the time it came', async () => {
    let n = 0;
    const lambda = await lambdaEndpoint({ count: () => ({ result: { n: ++n } }) });
    cleanups.push(() => lambda.close());
    const args = ['--endpoint', `lambda=${lambda.url}`];
    const first = await spawn(args);
    const definition = asl({ StartAt: 'Count', States: { Count: { Type: 'Task', Resource: FN, Next: 'Hold' }, Hold: { Type: 'Wait', Seconds: 3600, End: true } } });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'counts', definition, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const before = await waitingIn(first.sfn, executionArn!, 'Hold');
    expect(before.find((e) => e.type === 'LambdaFunctionSucceeded')?.lambdaFunctionSucceededEventDetails?.output).toBe('{"n":1}');

    await kill9(first);
    const second = await spawn(args);
    const after = await waitingIn(second.sfn, executionArn!, 'Hold');
    expect(lambda.calls).toHaveLength(1);
    expect(untimed(after)).toEqual(untimed(before));
    const answer = (events: HistoryEvent[]) => events.find((e) => e.type === 'LambdaFunctionSucceeded');
    expect(answer(after)).toEqual(answer(before));
  }, 120_000);

  it('keeps the answers of a running execution through a compaction of the journal', async () => {
    let n = 0;
    const lambda = await lambdaEndpoint({ count: () => ({ result: { n: ++n } }) });
    cleanups.push(() => lambda.close());
    const args = ['--endpoint', `lambda=${lambda.url}`, '--compact-journal-at', '4096'];
    const first = await spawn(args);
    const definition = asl({ StartAt: 'Count', States: { Count: { Type: 'Task', Resource: FN, Next: 'Hold' }, Hold: { Type: 'Wait', Seconds: 3600, End: true } } });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'counts', definition, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const before = await waitingIn(first.sfn, executionArn!, 'Hold');
    // Each state machine is a record of about 300 bytes: twenty of them pass 4 KiB and compact the journal.
    for (let i = 0; i < 20; i++) await first.sfn.send(new CreateStateMachineCommand({ name: `filler-${i}`, definition, roleArn: ROLE }));
    expect(fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8')).toContain('"t":"compacted"');

    await kill9(first);
    const second = await spawn(args);
    const after = await waitingIn(second.sfn, executionArn!, 'Hold');
    expect(lambda.calls).toHaveLength(1);
    expect(untimed(after)).toEqual(untimed(before));
  }, 120_000);

  it('answers each Map iteration with its own journaled answer from the handlers module, and calls no handler again', async () => {
    const calls = path.join(dir, 'calls.txt');
    fs.writeFileSync(calls, '');
    const args = ['--handlers', HANDLERS];
    const env = { STEPWRIGHT_TEST_CALLS: calls };
    const first = await spawn(args, env);
    const definition = asl({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemSelector: { 'item.$': '$$.Map.Item.Value' },
          ItemProcessor: { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: FN, Next: 'Hold' }, Hold: { Type: 'Wait', Seconds: 3600, End: true } } },
          End: true,
        },
      },
    });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'each', definition, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ items: ['a', 'b', 'c'] }) }));
    const before = await waitingIn(first.sfn, executionArn!, 'Hold', 3);
    expect(fs.readFileSync(calls, 'utf8')).toBe('xxx');

    await kill9(first);
    const second = await spawn(args, env);
    const after = await waitingIn(second.sfn, executionArn!, 'Hold', 3);
    expect(fs.readFileSync(calls, 'utf8')).toBe('xxx');
    const answers = (events: HistoryEvent[]) => events.filter((e) => e.type === 'LambdaFunctionSucceeded')
      .map((e) => [e.timestamp, e.lambdaFunctionSucceededEventDetails?.output]).sort();
    expect(answers(after)).toEqual(answers(before));
  }, 120_000);

  it('does not send again a call that TimeoutSeconds abandoned before kill -9', async () => {
    const received: string[] = [];
    const hang = http.createServer((req) => { received.push(req.url ?? ''); });
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => { hang.closeAllConnections(); hang.close(() => resolve()); }));
    // At --time-scale 20 the 10 s TimeoutSeconds lasts half a second.
    const args = ['--endpoint', `lambda=http://127.0.0.1:${(hang.address() as AddressInfo).port}`, '--time-scale', '20'];
    const first = await spawn(args);
    const definition = asl({
      StartAt: 'Count',
      States: {
        Count: { Type: 'Task', Resource: FN, TimeoutSeconds: 10, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Hold' }], End: true },
        Hold: { Type: 'Wait', Seconds: 360000, End: true },
      },
    });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'hangs', definition, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const before = await waitingIn(first.sfn, executionArn!, 'Hold');
    expect(before.map((e) => e.type)).toContain('LambdaFunctionTimedOut');
    expect(received).toHaveLength(1);

    await kill9(first);
    const second = await spawn(args);
    const after = await waitingIn(second.sfn, executionArn!, 'Hold');
    expect(untimed(after)).toEqual(untimed(before));
    expect(received).toHaveLength(1);
  }, 120_000);
});
