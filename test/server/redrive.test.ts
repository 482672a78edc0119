/*
 * RedriveExecution and workflow variables.
 *
 * AWS, "Redriving executions" (Step Functions Developer Guide,
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html,
 * and the RedriveExecution API reference): a redriven execution "continues the
 * failed execution from the unsuccessful step", and "Step Functions preserves
 * the results ... of the successful steps, and doesn't rerun these steps". The
 * variables those steps assigned are part of what they did, so the state the
 * redrive restarts from reads them as they were when the execution failed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListMapRunsCommand, RedriveExecutionCommand, StartExecutionCommand,
  StopExecutionCommand, type HistoryEvent, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, padLoop, raw, ROLE, serve, settled, until, errorTypeOf } from './helpers';
import type { JsonValue } from '../../src/asl/definition-types';
import type { TaskHandler } from '../../src/interpreter/execution-types';
import { fakeRealTime } from '../real-time';

const done = (sfn: SFNClient, executionArn: string) => until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');

/** A task whose service is down until the test repairs it, as an operator would before redriving. */
class Outage {
  private readonly broken = new Set<string>();

  /** A handler that fails while `key` is broken (for the items `when` selects), and answers `reply` otherwise. */
  handler(key: string, reply: (input: JsonValue) => JsonValue, when: (input: JsonValue) => boolean = () => true): TaskHandler {
    this.broken.add(key);
    return (input) => {
      if (this.broken.has(key) && when(input)) throw Object.assign(new Error(`${key} is down`), { name: 'Service.Down' });
      return reply(input);
    };
  }

  repair(key: string): void {
    this.broken.delete(key);
  }
}

const SEND = 'arn:aws:states:::sqs:sendMessage';
const body = (input: JsonValue) => (input as { MessageBody: JsonValue }).MessageBody;

describe('serve: RedriveExecution restores the variables', () => {
  const outage = new Outage();
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    env = await serve({
      handlers: {
        Charge: outage.handler('Charge', (input) => ({ charged: body(input) })),
        AfterReassign: outage.handler('AfterReassign', body),
        UseFallback: outage.handler('UseFallback', body),
        Multiply: outage.handler('Multiply', (input) => {
          const { value, rate } = body(input) as { value: number; rate: number };
          return value * rate;
        }, (input) => (body(input) as { value: number }).value === 3),
        Greet: outage.handler('Greet', body),
        First: outage.handler('First', () => 'first ok'),
        Second: outage.handler('Second', body),
      },
    });
  });
  afterAll(() => env.stop());

  async function failThenRedrive(name: string, definition: object, input: string, repair: string): Promise<string> {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name, definition: asl(definition), roleArn: ROLE }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
    expect(await done(env.sfn, executionArn!)).toMatchObject({ status: 'FAILED', error: 'Service.Down' });
    outage.repair(repair);
    await env.sfn.send(new RedriveExecutionCommand({ executionArn }));
    return executionArn!;
  }

  it('a redriven execution reads a variable assigned before the state that failed', async () => {
    const executionArn = await failThenRedrive('assign-then-fail', {
      StartAt: 'Remember',
      States: {
        Remember: { Type: 'Pass', Assign: { 'orderId.$': '$.id' }, Next: 'Charge' },
        Charge: { Type: 'Task', Resource: SEND, Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$orderId' }, ResultPath: '$.charge', Next: 'Report' },
        Report: { Type: 'Pass', Parameters: { 'order.$': '$orderId', 'charge.$': '$.charge' }, End: true },
      },
    }, '{"id":"o-1"}', 'Charge');
    const d = await done(env.sfn, executionArn);
    expect(d).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(JSON.parse(d.output!)).toEqual({ order: 'o-1', charge: { charged: 'o-1' } });
  });

  it('a redriven execution reads the last value of a variable assigned twice', async () => {
    const executionArn = await failThenRedrive('reassign-then-fail', {
      StartAt: 'One',
      States: {
        One: { Type: 'Pass', Assign: { stage: 'first' }, Next: 'Two' },
        Two: { Type: 'Pass', Assign: { stage: 'second' }, Next: 'AfterReassign' },
        AfterReassign: { Type: 'Task', Resource: SEND, Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$stage' }, End: true },
      },
    }, '{}', 'AfterReassign');
    expect(await done(env.sfn, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '"second"' });
  });

  it('a redriven execution reads a variable assigned by a Catch', async () => {
    const executionArn = await failThenRedrive('catch-assign-then-fail', {
      StartAt: 'Try',
      States: {
        Try: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Missing', States: { Missing: { Type: 'Fail', Error: 'Lookup.Missing' } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Assign: { source: 'fallback' }, Next: 'UseFallback' }],
          End: true,
        },
        UseFallback: { Type: 'Task', Resource: SEND, Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$source' }, End: true },
      },
    }, '{}', 'UseFallback');
    expect(await done(env.sfn, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '"fallback"' });
  });

  it('a Map iteration redriven reads the variables assigned outside the Map', async () => {
    const executionArn = await failThenRedrive('map-reads-outer', {
      StartAt: 'Remember',
      States: {
        Remember: { Type: 'Pass', Assign: { rate: 2 }, Next: 'Scale' },
        Scale: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            StartAt: 'Multiply',
            States: { Multiply: { Type: 'Task', Resource: SEND, Parameters: { QueueUrl: 'q', MessageBody: { 'value.$': '$', 'rate.$': '$rate' } }, End: true } },
          },
          End: true,
        },
      },
    }, '{"items":[1,2,3]}', 'Multiply');
    expect(await done(env.sfn, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '[2,4,6]' });
  });

  it('a Parallel branch redriven reads the outer variables and assigns its own again', async () => {
    const executionArn = await failThenRedrive('parallel-reads-outer', {
      StartAt: 'Remember',
      States: {
        Remember: { Type: 'Pass', Assign: { greeting: 'hi' }, Next: 'Fan' },
        Fan: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Name',
              States: {
                Name: { Type: 'Pass', Assign: { who: 'ann' }, Next: 'Greet' },
                Greet: { Type: 'Task', Resource: SEND, Parameters: { 'QueueUrl': 'q', 'MessageBody.$': "States.Format('{} {}', $greeting, $who)" }, End: true },
              },
            },
            { StartAt: 'Other', States: { Other: { Type: 'Pass', Result: 'other', End: true } } },
          ],
          End: true,
        },
      },
    }, '{}', 'Greet');
    expect(await done(env.sfn, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '["hi ann","other"]' });
  });

  it('a second redrive reads the variables assigned before the first failure and during the first redrive', async () => {
    const definition = asl({
      StartAt: 'Before',
      States: {
        Before: { Type: 'Pass', Assign: { early: 1 }, Next: 'First' },
        First: { Type: 'Task', Resource: SEND, Parameters: { QueueUrl: 'q', MessageBody: 'x' }, ResultPath: null, Next: 'Between' },
        Between: { Type: 'Pass', Assign: { late: 2 }, Next: 'Second' },
        Second: { Type: 'Task', Resource: SEND, Parameters: { QueueUrl: 'q', MessageBody: { 'early.$': '$early', 'late.$': '$late' } }, End: true },
      },
    });
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'two-redrives', definition, roleArn: ROLE }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    expect(await done(env.sfn, executionArn!)).toMatchObject({ status: 'FAILED' });
    outage.repair('First');
    await env.sfn.send(new RedriveExecutionCommand({ executionArn }));
    expect(await done(env.sfn, executionArn!)).toMatchObject({ status: 'FAILED', redriveCount: 1 });
    outage.repair('Second');
    await env.sfn.send(new RedriveExecutionCommand({ executionArn }));
    // Path fields come in AWS's order (Java HashMap buckets: late 4, early 14), not the template's.
    expect(await done(env.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2, output: '{"late":2,"early":1}' });
  });
});

/** Resolves once the call is no longer wanted (its iteration or branch was aborted). */
const whenAborted = (signal: AbortSignal) => new Promise<void>((resolve) => {
  if (signal.aborted) resolve();
  else signal.addEventListener('abort', () => resolve(), { once: true });
});

/** Resolves after the event loop has gone round once (every promise callback queued before has run). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A task per item that counts its calls by item. A broken item fails only once the run has gone
 * quiet (see {@link Items.quiet}), as a service timing out would, so the other iterations have
 * succeeded by then rather than being aborted by its failure; a slow item answers only once its
 * iteration is aborted, so it is still running whenever a failure comes. Both are orders of events,
 * not durations: they hold however slow the machine.
 */
class Items {
  readonly calls = new Map<string, number>();
  readonly broken = new Set<string>();
  readonly slowItems: Set<string>;
  private callCount = 0;
  constructor(slow: Iterable<string> = []) {
    this.slowItems = new Set(slow);
  }

  readonly handler: TaskHandler = async (input, request) => {
    const item = String(body(input));
    this.calls.set(item, (this.calls.get(item) ?? 0) + 1);
    this.callCount++;
    const down = this.broken.has(item);
    if (down) {
      await this.quiet();
      throw Object.assign(new Error(`item ${item} is down`), { name: 'Service.Down' });
    }
    if (this.slowItems.has(item)) await whenAborted(request.signal);
    return `done ${item}`;
  };

  /**
   * Resolves once the event loop has gone round three times with no new call. An item that answers
   * does so at once, and the interpreter takes an answer to the iteration's success, and starts the
   * next iteration, in promise callbacks (serve's clock makes no timer for a deadline already
   * passed): a turn of the event loop runs them all, so by then every item that answers has
   * succeeded and every item that can start has started.
   */
  private async quiet(): Promise<void> {
    let seen = this.callCount;
    for (let still = 0; still < 3;) {
      await turn();
      if (this.callCount === seen) still++;
      else [seen, still] = [this.callCount, 0];
    }
  }

  /** Calls per item, in item order. */
  count(...items: string[]): number[] {
    return items.map((i) => this.calls.get(i) ?? 0);
  }
}

const ITEM_TASK = { Type: 'Task', Resource: SEND, Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$' }, End: true };

const mapMachine = (fields: Record<string, unknown> = {}) => asl({
  StartAt: 'Each',
  States: { Each: { Type: 'Map', ItemProcessor: { StartAt: 'Work', States: { Work: ITEM_TASK } }, End: true, ...fields } },
});

async function historyOf(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
    events.push(...page.events!);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

/** Runs `fn` against a server of its own, whose tasks `handlers` answers. */
async function withServer(handlers: Record<string, TaskHandler>, fn: (sfn: SFNClient) => Promise<void>): Promise<void> {
  const env = await serve({ handlers });
  try {
    await fn(env.sfn);
  } finally {
    await env.stop();
  }
}

/** Starts an execution and waits until it has ended. */
async function runToEnd(sfn: SFNClient, definition: string, input: string) {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'fan-out', definition, roleArn: ROLE }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
  return { executionArn: executionArn!, described: await done(sfn, executionArn!) };
}

async function redrive(sfn: SFNClient, executionArn: string) {
  await sfn.send(new RedriveExecutionCommand({ executionArn }));
  return done(sfn, executionArn);
}

describe('serve: RedriveExecution of a failed inline Map or Parallel reruns only the iterations and branches that did not succeed', () => {
  it('a redriven Map runs only the item that failed and succeeds with all four outputs in item order', () => {
    const items = new Items();
    items.broken.add('2');
    return withServer({ Work: items.handler }, async (sfn) => {
      const { executionArn, described } = await runToEnd(sfn, mapMachine(), '["1","2","3","4"]');
      expect(described).toMatchObject({ status: 'FAILED', error: 'Service.Down' });
      expect(items.count('1', '2', '3', '4')).toEqual([1, 1, 1, 1]);
      items.broken.clear();
      const redriven = await redrive(sfn, executionArn);
      expect(items.count('1', '2', '3', '4')).toEqual([1, 2, 1, 1]);
      expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
      expect(JSON.parse(redriven.output!)).toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
    });
  });

  it('a redriven Parallel runs only the branch that failed and succeeds with all three outputs in branch order', () => {
    const items = new Items();
    items.broken.add('b1');
    const branch = (i: number) => ({ StartAt: `B${i}`, States: { [`B${i}`]: { ...ITEM_TASK, Parameters: { QueueUrl: 'q', MessageBody: `b${i}` } } } });
    const definition = asl({ StartAt: 'All', States: { All: { Type: 'Parallel', Branches: [branch(0), branch(1), branch(2)], End: true } } });
    return withServer({ B0: items.handler, B1: items.handler, B2: items.handler }, async (sfn) => {
      const { executionArn, described } = await runToEnd(sfn, definition, '{}');
      expect(described).toMatchObject({ status: 'FAILED', error: 'Service.Down' });
      items.broken.clear();
      const redriven = await redrive(sfn, executionArn);
      expect(items.count('b0', 'b1', 'b2')).toEqual([1, 2, 1]);
      expect(redriven).toMatchObject({ status: 'SUCCEEDED', output: '["done b0","done b1","done b2"]' });
    });
  });

  it('a redriven Map reruns the iteration aborted by another\'s failure, and the one never started, but not the one that succeeded', () => {
    // MaxConcurrency 2: item a succeeds at once and c takes its place; b fails while c is still
    // running, so c is aborted and d never starts.
    const items = new Items(['c']);
    items.broken.add('b');
    return withServer({ Work: items.handler }, async (sfn) => {
      const { executionArn, described } = await runToEnd(sfn, mapMachine({ MaxConcurrency: 2 }), '["a","b","c","d"]');
      expect(described).toMatchObject({ status: 'FAILED', error: 'Service.Down' });
      const aborted = (await historyOf(sfn, executionArn)).filter((e) => e.type === 'MapIterationAborted');
      expect(aborted.map((e) => e.mapIterationAbortedEventDetails?.index)).toEqual([2]);
      expect(items.count('a', 'b', 'c', 'd')).toEqual([1, 1, 1, 0]);
      items.broken.clear();
      items.slowItems.clear();
      const redriven = await redrive(sfn, executionArn);
      expect(items.count('a', 'b', 'c', 'd')).toEqual([1, 2, 2, 1]);
      expect(redriven).toMatchObject({ status: 'SUCCEEDED', output: '["done a","done b","done c","done d"]' });
    });
  });

  it('a Map stopped by StopExecution reruns, once redriven, only the items that had not succeeded', () => {
    const items = new Items(['b']);
    return withServer({ Work: items.handler }, async (sfn) => {
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'stopped-map', definition: mapMachine(), roleArn: ROLE }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '["a","b"]' }));
      await until(() => historyOf(sfn, executionArn!), (events) => events.some((e) => e.type === 'MapIterationSucceeded'));
      await sfn.send(new StopExecutionCommand({ executionArn }));
      expect(await done(sfn, executionArn!)).toMatchObject({ status: 'ABORTED' });
      items.slowItems.clear();
      const redriven = await redrive(sfn, executionArn!);
      expect(items.count('a', 'b')).toEqual([1, 2]);
      expect(redriven).toMatchObject({ status: 'SUCCEEDED', output: '["done a","done b"]' });
    });
  });

  it('a Map that exceeded ToleratedFailureCount reruns every item that failed, the tolerated one too', () => {
    const items = new Items();
    items.broken.add('1');
    items.broken.add('3');
    return withServer({ Work: items.handler }, async (sfn) => {
      const { executionArn, described } = await runToEnd(sfn, mapMachine({ ToleratedFailureCount: 1 }), '["0","1","2","3"]');
      expect(described).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
      items.broken.clear();
      const redriven = await redrive(sfn, executionArn);
      expect(items.count('0', '1', '2', '3')).toEqual([1, 2, 1, 2]);
      expect(redriven).toMatchObject({ status: 'SUCCEEDED', output: '["done 0","done 1","done 2","done 3"]' });
    });
  });

  it('a Map that exceeded ToleratedFailurePercentage reruns every item that failed', () => {
    const items = new Items();
    for (const i of ['0', '2', '3']) items.broken.add(i);
    return withServer({ Work: items.handler }, async (sfn) => {
      const { executionArn, described } = await runToEnd(sfn, mapMachine({ ToleratedFailurePercentage: 50 }), '["0","1","2","3"]');
      expect(described).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
      items.broken.clear();
      const redriven = await redrive(sfn, executionArn);
      expect(items.count('0', '1', '2', '3')).toEqual([2, 1, 2, 2]);
      expect(redriven).toMatchObject({ status: 'SUCCEEDED', output: '["done 0","done 1","done 2","done 3"]' });
    });
  });

  it('a second redrive keeps the items that succeeded in the first run and in the first redrive', () => {
    const items = new Items();
    items.broken.add('1');
    items.broken.add('2');
    return withServer({ Work: items.handler }, async (sfn) => {
      const { executionArn } = await runToEnd(sfn, mapMachine(), '["0","1","2"]');
      items.broken.delete('1');
      expect(await redrive(sfn, executionArn)).toMatchObject({ status: 'FAILED', redriveCount: 1 });
      items.broken.clear();
      const redriven = await redrive(sfn, executionArn);
      expect(items.count('0', '1', '2')).toEqual([1, 2, 3]);
      expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2, output: '["done 0","done 1","done 2"]' });
    });
  });

  it('the redriven run records MapIterationStarted again only for the item that reruns', () => {
    // The developer guide says a redrive "reschedules and redrives only the iterations and
    // branches that failed or aborted" and is silent on the events. Our choice: the redriven
    // run enters the Map again (MapStateEntered, MapStateStarted with the length of every
    // item), then records MapIteration* events only for the iterations that run again; the
    // kept ones have their events in the run before ExecutionRedriven.
    const items = new Items();
    items.broken.add('2');
    return withServer({ Work: items.handler }, async (sfn) => {
      const { executionArn } = await runToEnd(sfn, mapMachine(), '["1","2","3","4"]');
      items.broken.clear();
      await redrive(sfn, executionArn);
      const events = await historyOf(sfn, executionArn);
      const redrivenAt = events.findIndex((e) => e.type === 'ExecutionRedriven');
      const started = (from: number, to: number) => events.slice(from, to).filter((e) => e.type === 'MapIterationStarted').map((e) => e.mapIterationStartedEventDetails?.index);
      expect(started(0, redrivenAt)).toEqual([0, 1, 2, 3]);
      expect(started(redrivenAt, events.length)).toEqual([1]);
      expect(events.slice(redrivenAt).find((e) => e.type === 'MapStateStarted')?.mapStateStartedEventDetails).toEqual({ length: 4 });
      expect(events.slice(redrivenAt).filter((e) => e.type === 'MapIterationSucceeded').map((e) => e.mapIterationSucceededEventDetails?.index)).toEqual([1]);
    });
  });
});

describe('serve --data-dir: RedriveExecution after a restart', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-redrive-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the outputs of the Map items that succeeded before the restart: only the failed item reruns', async () => {
    const before = new Items();
    before.broken.add('2');
    const first = await serve({ dataDir: dir, handlers: { Work: before.handler } });
    let executionArn: string;
    try {
      ({ executionArn } = await runToEnd(first.sfn, mapMachine(), '["1","2","3","4"]'));
    } finally {
      await first.stop();
    }
    const after = new Items();
    const second = await serve({ dataDir: dir, handlers: { Work: after.handler } });
    try {
      const redriven = await redrive(second.sfn, executionArn);
      expect(after.count('1', '2', '3', '4')).toEqual([0, 1, 0, 0]);
      expect(redriven).toMatchObject({ status: 'SUCCEEDED', output: '["done 1","done 2","done 3","done 4"]' });
    } finally {
      await second.stop();
    }
  });

  it('keeps the kept outputs through a second restart after a redrive that failed again', async () => {
    const flaky = new Items();
    flaky.broken.add('1');
    flaky.broken.add('2');
    const first = await serve({ dataDir: dir, handlers: { Work: flaky.handler } });
    let executionArn: string;
    try {
      ({ executionArn } = await runToEnd(first.sfn, mapMachine(), '["0","1","2"]'));
      flaky.broken.delete('1');
      expect(await redrive(first.sfn, executionArn)).toMatchObject({ status: 'FAILED', redriveCount: 1 });
    } finally {
      await first.stop();
    }
    const fixed = new Items();
    const second = await serve({ dataDir: dir, handlers: { Work: fixed.handler } });
    try {
      const redriven = await redrive(second.sfn, executionArn);
      expect(fixed.count('0', '1', '2')).toEqual([0, 0, 1]);
      expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2, output: '["done 0","done 1","done 2"]' });
      // The redrive before the restart is in the history read back; the one after it is the second.
      const { events } = await second.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
      const redrives = events!.filter((e) => e.type === 'ExecutionRedriven');
      expect(redrives.map((e) => e.executionRedrivenEventDetails!.redriveCount)).toEqual([1, 2]);
      expect(events!.map((e) => e.id)).toEqual(events!.map((_, i) => i + 1));
    } finally {
      await second.stop();
    }
  });

  it('restores the variables of an execution that failed before the restart', async () => {
    const definition = asl({
      StartAt: 'Remember',
      States: {
        Remember: { Type: 'Pass', Assign: { 'orderId.$': '$.id' }, Next: 'Charge' },
        Charge: { Type: 'Task', Resource: SEND, Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$orderId' }, End: true },
      },
    });
    const outage = new Outage();
    const first = await serve({ dataDir: dir, handlers: { Charge: outage.handler('Charge', body) } });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'durable-redrive', definition, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"id":"o-7"}' }));
    expect(await done(first.sfn, executionArn!)).toMatchObject({ status: 'FAILED' });
    await first.stop();

    const second = await serve({ dataDir: dir, handlers: { Charge: (input) => body(input) } });
    try {
      await second.sfn.send(new RedriveExecutionCommand({ executionArn }));
      expect(await done(second.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '"o-7"' });
    } finally {
      await second.stop();
    }
  });

  it('redrives a Distributed Map after a restart as the Map Run it failed in: MapRunRedriven names the ARN of MapRunStarted', async () => {
    // AWS redrives a failed Map Run as the same Map Run (DescribeMapRun's redriveCount): a restart must not start another.
    const distributed = mapMachine({ ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Work', States: { Work: ITEM_TASK } } });
    const before = new Items();
    before.broken.add('2');
    const first = await serve({ dataDir: dir, handlers: { Work: before.handler } });
    let executionArn: string;
    try {
      ({ executionArn } = await runToEnd(first.sfn, distributed, '["1","2","3"]'));
    } finally {
      await first.stop();
    }
    const second = await serve({ dataDir: dir, handlers: { Work: new Items().handler } });
    try {
      expect(await redrive(second.sfn, executionArn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
      const events = await historyOf(second.sfn, executionArn);
      const started = events.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails!.mapRunArn;
      expect(events.find((e) => e.type === 'MapRunRedriven')?.mapRunRedrivenEventDetails).toEqual({ mapRunArn: started, redriveCount: 1 });
      const { mapRuns } = await second.sfn.send(new ListMapRunsCommand({ executionArn }));
      expect(mapRuns!.map((m) => m.mapRunArn)).toEqual([started]);
    } finally {
      await second.stop();
    }
  });
});

/**
 * RedriveExecution "restarts unsuccessful executions of Standard workflows that didn't complete
 * successfully in the last 14 days" (API reference); past them DescribeExecution's
 * `redriveStatusReason` is "Execution redrivable period exceeded" and `redriveStatus`
 * NOT_REDRIVABLE, as RedriveExecution then answers ExecutionNotRedrivable. Real time is faked
 * (test/real-time.ts): the days pass when the test says.
 */
describe('serve: RedriveExecution within 14 days of an execution\'s close, and not after', () => {
  const DAY = 86_400_000;
  afterEach(() => jest.useRealTimers());

  it('refuses a redrive 14 days and a minute after the execution failed, through the SDK and raw HTTP, and allows it a minute before', async () => {
    const env = await serve();
    fakeRealTime();
    try {
      const { sfn } = env;
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
        name: 'fails', roleArn: ROLE, definition: asl({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Broke', Cause: 'c' } } }),
      }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn! }));
      const failed = await settled(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status === 'FAILED');
      expect(failed).toMatchObject({ redriveStatus: 'REDRIVABLE' });
      const closed = failed.stopDate!.getTime();

      jest.setSystemTime(closed + 14 * DAY - 60_000);
      expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ redriveStatus: 'REDRIVABLE' });
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).redriveStatusReason).toBeUndefined();

      jest.setSystemTime(closed + 14 * DAY + 60_000);
      expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
        redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded',
      });
      const message = `Execution '${executionArn}' cannot be redriven: Execution redrivable period exceeded (an execution may be redriven for 14 days after it closes)`;
      await expect(sfn.send(new RedriveExecutionCommand({ executionArn }))).rejects.toMatchObject({ name: 'ExecutionNotRedrivable', message });
      const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.RedriveExecution', body: JSON.stringify({ executionArn }) });
      expect([answer.status, errorTypeOf(answer.headers), answer.body.message]).toEqual([400, 'ExecutionNotRedrivable', message]);
      expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'FAILED', redriveCount: 0 });
    } finally {
      jest.useRealTimers();
      await env.stop();
    }
  });
});

/**
 * RedriveExecution's other conditions (API reference): "The workflow execution has not exceeded
 * the maximum open time of one year" and "The execution event history count is less than 24,999
 * ... to accommodate the ExecutionRedriven history event and at least one other history event".
 * Past them DescribeExecution's `redriveStatusReason` is "Execution has exceeded the max execution
 * time" or "Execution history event limit exceeded" (DescribeExecution, API reference) and
 * RedriveExecution answers ExecutionNotRedrivable.
 */
describe('serve: RedriveExecution within a year of the start and under 24,999 events, and not past them', () => {
  const DAY = 86_400_000;
  afterEach(() => jest.useRealTimers());

  async function refused(env: Awaited<ReturnType<typeof serve>>, executionArn: string, reason: string, rule: string): Promise<void> {
    expect(await env.sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: reason });
    const message = `Execution '${executionArn}' cannot be redriven: ${reason} (${rule})`;
    await expect(env.sfn.send(new RedriveExecutionCommand({ executionArn }))).rejects.toMatchObject({ name: 'ExecutionNotRedrivable', message });
    const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.RedriveExecution', body: JSON.stringify({ executionArn }) });
    expect([answer.status, errorTypeOf(answer.headers), answer.body.message]).toEqual([400, 'ExecutionNotRedrivable', message]);
    expect(await env.sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'FAILED', redriveCount: 0 });
  }

  it('refuses a redrive a year and a minute after the start, though the execution closed 5 days before, and allows it a minute before the year', async () => {
    const env = await serve();
    fakeRealTime();
    try {
      const { sfn } = env;
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
        name: 'long', roleArn: ROLE, definition: asl({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 360 * 86_400, Next: 'F' }, F: { Type: 'Fail', Error: 'Broke' } } }),
      }));
      const { executionArn, startDate } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn! }));
      await jest.advanceTimersByTimeAsync(360 * DAY + 1_000);
      const failed = await settled(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status === 'FAILED');
      expect(failed).toMatchObject({ redriveStatus: 'REDRIVABLE' });
      const started = startDate!.getTime();

      jest.setSystemTime(started + 365 * DAY - 60_000);
      expect(await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn! }))).toMatchObject({ redriveStatus: 'REDRIVABLE' });
      jest.setSystemTime(started + 365 * DAY + 60_000);
      expect(Date.now() - failed.stopDate!.getTime()).toBeLessThan(14 * DAY);
      await refused(env, executionArn!, 'Execution has exceeded the max execution time', 'an execution may be redriven within a year of its start');
    } finally {
      jest.useRealTimers();
      await env.stop();
    }
  });

  it('refuses a redrive of an execution the 25,000-event limit failed', async () => {
    const env = await serve();
    try {
      const { sfn } = env;
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'loops', roleArn: ROLE, definition: padLoop() }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn!, input: '{"pad":"x","i":0}' }));
      const failed = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect(failed).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      await refused(env, executionArn!, 'Execution history event limit exceeded', 'a redrive needs a history of fewer than 24999 events, to add ExecutionRedriven and one more');
    } finally {
      await env.stop();
    }
  });
});
