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
  CreateStateMachineCommand, DescribeExecutionCommand, RedriveExecutionCommand, StartExecutionCommand, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';
import type { JsonValue } from '../../src/asl/types';
import type { TaskHandler } from '../../src/interpreter/types';

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
    expect(await done(env.sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2, output: '{"early":1,"late":2}' });
  });
});

describe('serve --data-dir: RedriveExecution after a restart', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-redrive-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

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
});
