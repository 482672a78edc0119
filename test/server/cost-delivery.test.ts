import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, RedriveExecutionCommand, StartExecutionCommand,
  StartSyncExecutionCommand, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { usageOf } from '../../src/cost';
import type { HistoryEvent } from '../../src/interpreter/history-recorder';
import { Workflow } from '../../src/testing';

/*
 * serve --cost logs what each execution would cost on AWS when it ends; serve with delivery
 * re-delivers Task invocations, so a handler's idempotency can be tested through the SDK.
 */

const CHARGE = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
      Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 1, IntervalSeconds: 1 }],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

async function runOn(client: SFNClient, name: string, input: string) {
  const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name, definition: asl(CHARGE), roleArn: ROLE }));
  const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input }));
  return until(() => client.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 20_000);
}

describe('serve --cost', () => {
  it('logs one line per execution with its state transitions and its Express request and billed duration', async () => {
    let calls = 0;
    const s = await serve({ cost: true, timeScale: 1000, handlers: { Charge: () => { if (calls++ === 0) throw Object.assign(new Error('try again'), { name: 'Busy' }); return { id: 'ch_1' }; } } });
    try {
      const done = await runOn(s.sfn, 'orders', '{"orderId":"o-1"}');
      expect([done.status, done.error, done.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
      const line = await until(async () => s.logs.find((l) => l.startsWith('cost ')), (l) => l !== undefined, 20_000);
      expect(line).toMatch(new RegExp(`^cost ${done.executionArn!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} SUCCEEDED: STANDARD 3 state transitions \\(2 entered, 1 retries\\) \\$0\\.000075 \\| EXPRESS 1 request, \\d+ ms billed at 64 MB \\$`));
    } finally {
      await s.stop();
    }
  });

  it('bills a redrive one transition of its own besides the states it runs again, in its line and in the whole history', async () => {
    let down = true;
    const s = await serve({ cost: true, handlers: { Charge: () => { if (down) throw Object.assign(new Error('down'), { name: 'Service.Down' }); return { id: 'ch_1' }; } } });
    try {
      const failed = await runOn(s.sfn, 'redriven', '{}');
      expect(failed.status).toBe('FAILED');
      down = false;
      await s.sfn.send(new RedriveExecutionCommand({ executionArn: failed.executionArn }));
      await until(() => s.sfn.send(new DescribeExecutionCommand({ executionArn: failed.executionArn })), (d) => d.status === 'SUCCEEDED', 20_000);
      const lines = await until(async () => s.logs.filter((l) => l.startsWith(`cost ${failed.executionArn!}`)), (l) => l.length === 2, 20_000);
      // The first run: Charge, which failed with an error its Retry does not name. The redrive: itself, Charge again, Done.
      expect(lines[0]).toContain('FAILED: STANDARD 1 state transitions (1 entered, 0 retries)');
      expect(lines[1]).toContain('SUCCEEDED: STANDARD 3 state transitions (2 entered, 0 retries, 1 redrive)');
      const { events } = await s.sfn.send(new GetExecutionHistoryCommand({ executionArn: failed.executionArn, maxResults: 1000 }));
      const history = events!.map((e) => ({ ...e, id: Number(e.id), previousEventId: Number(e.previousEventId) })) as unknown as HistoryEvent[];
      expect(history.filter((e) => e.type === 'ExecutionRedriven')).toHaveLength(1);
      expect(usageOf({ history, startDate: new Date(0), stopDate: new Date(0) }, CHARGE as StateMachineDefinition))
        .toMatchObject({ statesEntered: 3, retries: 0, redrives: 1, stateTransitions: 4 });
    } finally {
      await s.stop();
    }
  });

  it('logs nothing about cost without the option', async () => {
    const s = await serve({ handlers: { Charge: () => ({ id: 'ch_1' }) } });
    try {
      expect((await runOn(s.sfn, 'orders', '{}')).status).toBe('SUCCEEDED');
      expect(s.logs.filter((l) => l.startsWith('cost '))).toEqual([]);
    } finally {
      await s.stop();
    }
  });
});

describe('serve with at-least-once delivery', () => {
  /** Starts an execution of a new machine of `type` and waits for its end, told by its --cost line (an EXPRESS one cannot be described). */
  async function ran(s: Awaited<ReturnType<typeof serve>>, name: string, type: 'STANDARD' | 'EXPRESS', definition: object, input: string): Promise<string> {
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name, type, definition: asl(definition), roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
    return until(async () => s.logs.find((l) => l.startsWith(`cost ${executionArn} `)), (l) => l !== undefined, 20_000) as Promise<string>;
  }

  function charging() {
    const charged: string[] = [];
    const handlers = { Charge: (input: unknown) => { charged.push((input as { Payload: { orderId: string } }).Payload.orderId); return { id: `ch_${charged.length}` }; } };
    return { charged, handlers };
  }

  it('delivers each Task invocation of an asynchronous EXPRESS execution again, so a handler that is not idempotent charges twice', async () => {
    const { charged, handlers } = charging();
    const s = await serve({ cost: true, delivery: { atLeastOnce: { duplicates: 1, restarts: 0 } }, handlers });
    try {
      expect(await ran(s, 'orders', 'EXPRESS', CHARGE, '{"orderId":"o-1"}')).toContain(' SUCCEEDED: ');
      expect(charged).toEqual(['o-1', 'o-1']);
    } finally {
      await s.stop();
    }
  });

  it('delivers each Task invocation of a STANDARD execution once (exactly once on AWS), and of a StartSyncExecution once (at most once)', async () => {
    const { charged, handlers } = charging();
    const s = await serve({ cost: true, delivery: { atLeastOnce: { duplicates: 3, restarts: 2 } }, handlers });
    try {
      expect(await ran(s, 'orders', 'STANDARD', CHARGE, '{"orderId":"standard"}')).toContain(' SUCCEEDED: ');
      expect(charged).toEqual(['standard']);
      const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'orders-sync', type: 'EXPRESS', definition: asl(CHARGE), roleArn: ROLE }));
      const sync = await s.sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"orderId":"sync"}' }));
      expect(sync.status).toBe('SUCCEEDED');
      expect(JSON.parse(sync.output!)).toEqual({ id: 'ch_2' });
      expect(charged).toEqual(['standard', 'sync']);
    } finally {
      await s.stop();
    }
  });

  it('re-delivers the invocations the seed chooses, the same for every execution and as the harness does with that seed', async () => {
    // Twelve calls of one Task, each with its own input, so that a duplicate shows as the same input twice.
    const loop = {
      StartAt: 'Work',
      States: {
        'Work': { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', Parameters: { 'i.$': '$.i' }, Next: 'More?' },
        'More?': { Type: 'Choice', Choices: [{ Variable: '$.i', NumericLessThan: 12, Next: 'Work' }], Default: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    };
    const delivery = { atLeastOnce: { rate: 0.5, seed: 11, restarts: 0 } };
    const calls: number[] = [];
    const work = (input: unknown) => { const i = (input as { i: number }).i; calls.push(i); return { i: i + 1 }; };
    const twice = (seen: number[]) => seen.filter((i, k) => seen.indexOf(i) !== k);
    const s = await serve({ cost: true, delivery, handlers: { Work: work } });
    const chosen: number[][] = [];
    try {
      const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'loop', type: 'EXPRESS', definition: asl(loop), roleArn: ROLE }));
      for (const name of ['first', 'second']) {
        calls.length = 0;
        const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: '{"i":0}' }));
        const line = await until(async () => s.logs.find((l) => l.startsWith(`cost ${executionArn} `)), (l) => l !== undefined, 20_000);
        expect(line).toContain(' SUCCEEDED: ');
        chosen.push(twice(calls));
      }
    } finally {
      await s.stop();
    }
    calls.length = 0;
    const run = await Workflow.fromDefinition(loop as unknown as StateMachineDefinition, { type: 'EXPRESS' }).run({ i: 0 }, { mocks: { Work: work }, delivery });
    expect(run.status).toBe('SUCCEEDED');
    const harness = run.redeliveries.map((r) => r.invocation);
    // Some re-delivered and some not: the seed chose, not the rate alone.
    expect(harness.length).toBeGreaterThan(0);
    expect(harness.length).toBeLessThan(12);
    expect(twice(calls)).toEqual(harness);
    expect(chosen).toEqual([harness, harness]);
  });
});
