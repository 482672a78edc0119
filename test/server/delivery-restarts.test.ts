import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, StartExecutionCommand,
  StartSyncExecutionCommand, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, streams, until } from './helpers';
import { lambdaEndpoint } from './lambda-endpoint';
import { kill9, spawnServer, type Child } from './processes';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { serveCommand } from '../../src/cli/serve-command';
import { client, startServer } from '../../src/server';
import { InvalidDeliveryError, Workflow } from '../../src/testing';

/*
 * serve with at-least-once delivery starts an asynchronous EXPRESS execution over before the run
 * that counts, each lost run cut after a Task invocation the seed chooses, as the harness does:
 * the handlers see every call the lost runs made. Where each seed cuts (RestartCut, 1/2 per call):
 *   seed 1:  restart 0 after Charge
 *   seed 11: restart 0 after Charge, restart 1 after Reserve, restart 2 not cut (the run ends)
 */

const ORDERS = {
  StartAt: 'Reserve',
  States: {
    Reserve: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:reserve', Parameters: { 'execution.$': '$$.Execution.Id' }, ResultPath: null, Next: 'Charge' },
    Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:charge', Parameters: { 'execution.$': '$$.Execution.Id' }, ResultPath: '$.charge', Next: 'Notify' },
    Notify: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:notify', Parameters: { 'execution.$': '$$.Execution.Id' }, ResultPath: null, End: true },
  },
};

/** Handlers that count their calls, and note the execution each call came from. */
function counting() {
  const calls: Array<[string, string]> = [];
  const handler = (state: string) => (input: unknown) => {
    calls.push([state, (input as { execution: string }).execution]);
    return { id: `${state}-${calls.length}` };
  };
  const count = () => {
    const n: Record<string, number> = { Reserve: 0, Charge: 0, Notify: 0 };
    for (const [state] of calls) n[state]++;
    return n;
  };
  return { calls, count, handlers: { Reserve: handler('Reserve'), Charge: handler('Charge'), Notify: handler('Notify') } };
}

async function machine(sfn: SFNClient, name: string, type: 'STANDARD' | 'EXPRESS'): Promise<string> {
  return (await sfn.send(new CreateStateMachineCommand({ name, type, definition: asl(ORDERS), roleArn: ROLE }))).stateMachineArn!;
}

/** The log line that ends an execution run more than once (its last run ended); AWS shows an asynchronous EXPRESS execution's end to nobody. */
const ended = (logs: string[], executionArn: string) =>
  until(async () => logs.find((l) => l.startsWith(`execution ${executionArn}: at-least-once delivery ran it`)), (l) => l !== undefined);

describe('serve with at-least-once delivery: EXPRESS executions started over', () => {
  it('starts an asynchronous EXPRESS execution over once by default, its lost run cut where the harness cuts it for the seed', async () => {
    const { calls, count, handlers } = counting();
    const delivery = { atLeastOnce: { rate: 0, seed: 1 } };
    const s = await serve({ delivery, handlers });
    try {
      const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn: await machine(s.sfn, 'orders', 'EXPRESS'), input: '{}' }));
      expect(await ended(s.logs, executionArn!)).toBe(`execution ${executionArn}: at-least-once delivery ran it 2 times; the last run ended SUCCEEDED`);
      expect(s.logs).toContain(`execution ${executionArn}: at-least-once delivery lost run 1 of 2 after Task 'Charge'; it starts over`);
      // The lost run reserved and charged; the run that counts did all three.
      expect(calls.map(([state]) => state)).toEqual(['Reserve', 'Charge', 'Reserve', 'Charge', 'Notify']);
      // Every run is the same execution: the ARN StartExecution answered is $$.Execution.Id in each.
      expect(new Set(calls.map(([, execution]) => execution))).toEqual(new Set([executionArn]));
    } finally {
      await s.stop();
    }
    const harness = counting();
    const run = await Workflow.fromDefinition(ORDERS as unknown as StateMachineDefinition, { type: 'EXPRESS' }).run({}, { mocks: harness.handlers, delivery });
    expect(run.restarts.map((r) => r.status)).toEqual(['ABORTED']);
    expect(harness.count()).toEqual(count());
  });

  it('starts it over as many times as restarts says, each lost run cut from the seed, the same for every execution', async () => {
    const { calls, handlers } = counting();
    const s = await serve({ delivery: { atLeastOnce: { rate: 0, restarts: 3, seed: 11 } }, handlers });
    try {
      const stateMachineArn = await machine(s.sfn, 'orders', 'EXPRESS');
      const sequences: string[][] = [];
      for (const name of ['first', 'second']) {
        calls.length = 0;
        const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: '{}' }));
        await ended(s.logs, executionArn!);
        expect(s.logs.filter((l) => l.startsWith(`execution ${executionArn}:`))).toEqual([
          `execution ${executionArn}: at-least-once delivery lost run 1 of 4 after Task 'Charge'; it starts over`,
          `execution ${executionArn}: at-least-once delivery lost run 2 of 4 after Task 'Reserve'; it starts over`,
          `execution ${executionArn}: at-least-once delivery lost run 3 of 4 when it ended SUCCEEDED; it starts over`,
          `execution ${executionArn}: at-least-once delivery ran it 4 times; the last run ended SUCCEEDED`,
        ]);
        sequences.push(calls.map(([state]) => state));
      }
      const expected = ['Reserve', 'Charge', 'Reserve', 'Reserve', 'Charge', 'Notify', 'Reserve', 'Charge', 'Notify'];
      expect(sequences).toEqual([expected, expected]);
    } finally {
      await s.stop();
    }
  });

  it('answers the client with the run that counts, and delivers each Task of every run again with duplicates', async () => {
    const { count, handlers } = counting();
    const s = await serve({ delivery: { atLeastOnce: { seed: 1 } }, handlers, cost: true });
    try {
      const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn: await machine(s.sfn, 'orders', 'EXPRESS'), input: '{"orderId":"o-1"}' }));
      await ended(s.logs, executionArn!);
      // Every invocation delivered twice: the lost run's two Tasks and the last run's three.
      expect(count()).toEqual({ Reserve: 4, Charge: 4, Notify: 2 });
      // The cost line is the last run's, once: the lost runs do not end the execution.
      expect(s.logs.filter((l) => l.startsWith(`cost ${executionArn} `))).toHaveLength(1);
      expect(s.logs.find((l) => l.startsWith(`cost ${executionArn} `))).toMatch(/ SUCCEEDED: STANDARD 3 state transitions \(3 entered, 0 retries\)/);
      // AWS keeps no EXPRESS execution to describe: the lost runs are not there to find either.
      await expect(s.sfn.send(new DescribeExecutionCommand({ executionArn }))).rejects.toThrow('Resource type not valid in this context: express');
    } finally {
      await s.stop();
    }
  });

  it('never starts over a STANDARD execution (exactly once) or a StartSyncExecution (at most once on AWS)', async () => {
    const { calls, count, handlers } = counting();
    const s = await serve({ delivery: { atLeastOnce: { rate: 0, restarts: 3, seed: 11 } }, handlers });
    try {
      const express = await machine(s.sfn, 'orders-express', 'EXPRESS');
      const sync = await s.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: express, input: '{}' }));
      expect(sync.status).toBe('SUCCEEDED');
      expect(JSON.parse(sync.output!)).toEqual({ charge: { id: 'Charge-2' } });
      expect(count()).toEqual({ Reserve: 1, Charge: 1, Notify: 1 });
      calls.length = 0;
      const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn: await machine(s.sfn, 'orders', 'STANDARD'), input: '{}' }));
      const done = await until(() => s.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect(done.status).toBe('SUCCEEDED');
      expect(count()).toEqual({ Reserve: 1, Charge: 1, Notify: 1 });
      expect(s.logs.filter((l) => l.includes('at-least-once delivery'))).toEqual([]);
    } finally {
      await s.stop();
    }
  });

  it('answers each run from the first response of a MockConfigFile sequence again, as a new run', async () => {
    const definition = { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'charge' }, End: true } } };
    const s = await serve({
      delivery: { atLeastOnce: { rate: 0, seed: 2 } },
      // One response: a second invocation of Charge in one run has none, and fails the run.
      mockConfig: {
        StateMachines: { once: { TestCases: { Happy: { Charge: 'Once' } } } },
        MockedResponses: { Once: { 0: { Return: { StatusCode: 200, Payload: { charged: true } } } } },
      },
    });
    try {
      const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'once', type: 'EXPRESS', definition: asl(definition), roleArn: ROLE }));
      const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Happy`, input: '{}' }));
      expect(await ended(s.logs, executionArn!)).toBe(`execution ${executionArn}: at-least-once delivery ran it 2 times; the last run ended SUCCEEDED`);
      expect(s.logs).toContain(`execution ${executionArn}: at-least-once delivery lost run 1 of 2 after Task 'Charge'; it starts over`);
    } finally {
      await s.stop();
    }
  });

  it.each([
    [{ atLeastOnce: { restarts: 11 } }, /restarts must be a whole number from 0 to 10, got 11/],
    [{ atLeastOnce: { restarts: -1 } }, /restarts must be a whole number from 0 to 10, got -1/],
    [{ atLeastOnce: { restarts: 1.5 } }, /restarts must be a whole number from 0 to 10, got 1.5/],
  ])('refuses the delivery %p, naming the option', async (delivery, message) => {
    await expect(startServer({ port: 0, delivery })).rejects.toThrow(InvalidDeliveryError);
    await expect(startServer({ port: 0, delivery })).rejects.toThrow(message);
  });

  it('runs an asynchronous EXPRESS execution once with restarts: 0', async () => {
    const { count, handlers } = counting();
    const s = await serve({ delivery: { atLeastOnce: { rate: 0, restarts: 0 } }, handlers, cost: true });
    try {
      const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn: await machine(s.sfn, 'orders', 'EXPRESS'), input: '{}' }));
      await until(async () => s.logs.find((l) => l.startsWith(`cost ${executionArn} `)), (l) => l !== undefined);
      expect(count()).toEqual({ Reserve: 1, Charge: 1, Notify: 1 });
      expect(s.logs.filter((l) => l.includes('at-least-once delivery'))).toEqual([]);
    } finally {
      await s.stop();
    }
  });
});

describe('stepwright serve --at-least-once --delivery-restarts', () => {
  const invoke = (fn: string) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': fn, 'Payload.$': '$' }, ResultPath: null });
  const ORDERS_LAMBDA = asl({
    StartAt: 'Reserve',
    States: { Reserve: { ...invoke('reserve'), Next: 'Charge' }, Charge: { ...invoke('charge'), Next: 'Notify' }, Notify: { ...invoke('notify'), End: true } },
  });

  it('starts an EXPRESS execution over that many times, its Tasks sent to a Lambda endpoint each time, every invocation twice', async () => {
    const ok = () => ({ result: {} });
    const lambda = await lambdaEndpoint({ reserve: ok, charge: ok, notify: ok });
    const { io, text } = streams();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => { stop = resolve; });
    const running = serveCommand(['--port', '0', '--endpoint', `lambda=${lambda.url}`, '--at-least-once', '1', '--delivery-restarts', '2', '--delivery-seed', '11'], io, stopped, {});
    try {
      const endpoint = await until(async () => text.out.split('\n')[0], (line) => line.startsWith('http://'));
      const sfn = client(endpoint);
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'orders', type: 'EXPRESS', definition: ORDERS_LAMBDA, roleArn: ROLE }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"orderId":"o-1"}' }));
      sfn.destroy();
      await until(async () => text.err, (err) => err.includes(`execution ${executionArn}: at-least-once delivery ran it 3 times; the last run ended SUCCEEDED`));
      // Seed 11: the first lost run is cut after Charge, the second after Reserve; each delivery made twice.
      expect(text.err).toContain(`execution ${executionArn}: at-least-once delivery lost run 1 of 3 after Task 'Charge'; it starts over`);
      expect(text.err).toContain(`execution ${executionArn}: at-least-once delivery lost run 2 of 3 after Task 'Reserve'; it starts over`);
      expect(lambda.calls.map((c) => c.functionName)).toEqual([
        'reserve', 'reserve', 'charge', 'charge',
        'reserve', 'reserve',
        'reserve', 'reserve', 'charge', 'charge', 'notify', 'notify',
      ]);
      expect(lambda.calls.every((c) => (c.payload as { orderId?: string }).orderId === 'o-1')).toBe(true);
    } finally {
      stop();
      await lambda.close();
    }
    expect(await running).toBe(0);
  });

  it.each([
    [['--delivery-restarts', '1'], '--delivery-restarts is part of --at-least-once delivery; give --at-least-once <n> too'],
    [['--at-least-once', '1', '--delivery-restarts', '11'], "--delivery-restarts must be an integer from 0 to 10, got '11'"],
    [['--at-least-once', '1', '--delivery-restarts', 'twice'], "--delivery-restarts must be an integer from 0 to 10, got 'twice'"],
  ])('refuses %p, naming the flag', async (args, message) => {
    const { io, text } = streams();
    await expect(serveCommand(['--port', '0', ...args], io, Promise.resolve(), {})).rejects.toThrow(message);
    expect(text.out).toBe('');
  });
});

describe('serve --data-dir with --at-least-once: kill -9 and restart', () => {
  let dir: string;
  const children: Child[] = [];
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-delivery-data-')); });
  afterEach(async () => {
    for (const c of children.splice(0)) await kill9(c);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('journals no run of an EXPRESS execution started over, and runs it no more after a restart; a STANDARD execution stays one', async () => {
    const data = path.join(dir, 'data');
    const callsFile = path.join(dir, 'calls.txt');
    const handlersFile = path.join(dir, 'handlers.js');
    // Each call is one line, written before the handler answers, so none is lost to kill -9.
    fs.writeFileSync(handlersFile, ['Reserve', 'Charge', 'Notify'].map((state) =>
      `exports.${state} = (input) => { require('node:fs').appendFileSync(process.env.CALLS_FILE, '${state} ' + input.execution + '\\n'); return {}; };`).join('\n'));
    const calls = () => (fs.existsSync(callsFile) ? fs.readFileSync(callsFile, 'utf8').trim().split('\n') : []);
    const args = ['--handlers', handlersFile, '--at-least-once', '1', '--delivery-restarts', '2', '--delivery-seed', '11'];
    const env = { CALLS_FILE: callsFile };
    const STANDARD = asl({
      StartAt: 'Charge',
      States: {
        Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:charge', Parameters: { 'execution.$': '$$.Execution.Id' }, ResultPath: null, Next: 'Nap' },
        Nap: { Type: 'Wait', Seconds: 3600, End: true },
      },
    });

    const first = await spawnServer(data, { args, env });
    children.push(first);
    const express = (await first.sfn.send(new CreateStateMachineCommand({ name: 'orders', type: 'EXPRESS', definition: asl(ORDERS), roleArn: ROLE }))).stateMachineArn!;
    const standard = (await first.sfn.send(new CreateStateMachineCommand({ name: 'waits', definition: STANDARD, roleArn: ROLE }))).stateMachineArn!;
    const { executionArn: expressRun } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: express, input: '{}' }));
    const { executionArn: standardRun } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: standard, input: '{}' }));
    await until(async () => first.stderr.join(''), (err) => err.includes(`execution ${expressRun}: at-least-once delivery ran it 3 times; the last run ended SUCCEEDED`));
    await until(async () => calls(), (lines) => lines.includes(`Charge ${standardRun}`));
    const expressCalls = calls().filter((l) => l.endsWith(` ${expressRun}`));
    // Seed 11, each invocation twice: lost after Charge, lost after Reserve, then the run that counts.
    expect(expressCalls.map((l) => l.split(' ')[0])).toEqual(['Reserve', 'Reserve', 'Charge', 'Charge', 'Reserve', 'Reserve', 'Reserve', 'Reserve', 'Charge', 'Charge', 'Notify', 'Notify']);
    await kill9(first);
    // No EXPRESS execution is journaled, its lost runs no more than it.
    const journaled = fs.readdirSync(data).map((f) => fs.readFileSync(path.join(data, f)).toString('latin1')).join('');
    expect(journaled).toContain(standardRun);
    expect(journaled).not.toContain(':express:');

    const second = await spawnServer(data, { args, env });
    children.push(second);
    // The STANDARD execution, running when killed, runs again from its start, once, up to its Wait: its one
    // delivery of Charge (exactly once: never duplicated) is answered from the journal, not called again.
    const history = await until(() => second.sfn.send(new GetExecutionHistoryCommand({ executionArn: standardRun })),
      (h) => h.events!.some((e) => e.type === 'WaitStateEntered'));
    expect(history.events!.filter((e) => e.type === 'LambdaFunctionSucceeded')).toHaveLength(1);
    expect(calls().filter((l) => l === `Charge ${standardRun}`)).toHaveLength(1);
    const listed = await second.sfn.send(new ListExecutionsCommand({ stateMachineArn: standard }));
    expect(listed.executions!.map((e) => [e.executionArn, e.status])).toEqual([[standardRun, 'RUNNING']]);
    expect(calls().filter((l) => l.endsWith(` ${expressRun}`))).toEqual(expressCalls);
  }, 60_000);
});
