import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { StatesError } from '../../src/asl/states-errors';
import { traceRun } from '../../src/explore/choice-taken';
import { coverageItems } from '../../src/explore/goals';
import { traceExecution } from '../../src/explore/trace';
import { compileStateMachine } from '../../src/interpreter';
import {
  COVERAGE_DIR_ENV, coverageSummary, definitionId, recordExecution, resetCoverage,
} from '../../src/testing/coverage';
import { formatCoverage, mergeCoverageDir } from '../../src/testing/coverage/merge';
import { Workflow } from '../../src/testing/workflow';
import { fail } from '../../src/workbench/mocks/answers';

const definition = {
  StartAt: 'Route',
  States: {
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.n', NumericGreaterThan: 10, Next: 'Charge' },
        { Variable: '$.n', NumericGreaterThan: 5, Next: 'Charge' },
        { Variable: '$.n', NumericEquals: 0, Next: 'Fan' },
      ],
      Default: 'Items',
    },
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 1 }, { ErrorEquals: ['Flaky'], IntervalSeconds: 1 }],
      Catch: [{ ErrorEquals: ['Declined'], Next: 'Refund' }, { ErrorEquals: ['States.ALL'], Next: 'Alert' }],
      Next: 'Done',
    },
    Fan: { Type: 'Parallel', Branches: [{ StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } }], Next: 'Done' },
    Items: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Pack', States: { Pack: { Type: 'Pass', End: true } } }, Next: 'Done' },
    Refund: { Type: 'Pass', Next: 'Done' },
    Alert: { Type: 'Pass', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

async function run(input: Record<string, unknown>, chargeErrors: string[] = []) {
  let attempt = 0;
  const machine = compileStateMachine(definition, {
    taskHandlers: {
      Charge: () => {
        const e = chargeErrors[attempt++];
        if (e) throw new StatesError(e, 'mocked');
        return {};
      },
    },
  });
  return machine.start(input as never).result;
}

describe('coverage items', () => {
  it('lists every state (nested ones too), transition, Choice branch, Catch handler and retrier', () => {
    expect(coverageItems(definition)).toEqual({
      states: ['Route', 'Charge', 'Fan', 'Left', 'Items', 'Pack', 'Refund', 'Alert', 'Done'],
      transitions: ['Route -> Charge', 'Route -> Fan', 'Route -> Items', 'Charge -> Done', 'Charge -> Refund', 'Charge -> Alert', 'Fan -> Done', 'Items -> Done', 'Refund -> Done', 'Alert -> Done'],
      choices: ['Route#0', 'Route#1', 'Route#2', 'Route#default'],
      catches: ['Charge#0', 'Charge#1'],
      retries: ['Charge#0', 'Charge#1'],
    });
  });
});

describe('traceExecution', () => {
  it('tells apart two Choice rules leading to the same state by evaluating them', async () => {
    expect([...(await traceRun(definition, (await run({ n: 11 })).history)).choices.keys()]).toEqual(['Route#0']);
    expect([...(await traceRun(definition, (await run({ n: 6 })).history)).choices.keys()]).toEqual(['Route#1']);
  });

  it('records the Default branch and the states inside a Map', async () => {
    const trace = traceExecution(definition, (await run({ n: 1, items: [1, 2] })).history);
    expect([...trace.choices.keys()]).toEqual(['Route#default']);
    expect(trace.states.get('Pack')).toBe(2);
    expect(trace.transitions.get('Items -> Done')).toBe(1);
  });

  it('records the states inside a Parallel branch', async () => {
    const trace = traceExecution(definition, (await run({ n: 0 })).history);
    expect(trace.states.get('Left')).toBe(1);
    expect([...trace.choices.keys()]).toEqual(['Route#2']);
  });

  it('records the Catch handler that caught the error by its index', async () => {
    expect([...traceExecution(definition, (await run({ n: 11 }, ['Declined'])).history).catches]).toEqual([['Charge#0', 1]]);
    expect([...traceExecution(definition, (await run({ n: 11 }, ['Other'])).history).catches]).toEqual([['Charge#1', 1]]);
  });

  it('counts retries by the retrier that matched the error', async () => {
    const trace = traceExecution(definition, (await run({ n: 11 }, ['Flaky', 'Busy', 'Flaky'])).history);
    expect(Object.fromEntries(trace.retriers)).toEqual({ 'Charge#0': 1, 'Charge#1': 2 });
    expect(trace.retries.get('Charge')).toBe(3);
  });
});

describe('traceExecution of Parallel and Map retries', () => {
  const task = (extra: Record<string, unknown> = {}) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, ...extra });
  const retry = [{ ErrorEquals: ['Busy'], IntervalSeconds: 1 }, { ErrorEquals: ['States.ALL'], IntervalSeconds: 1 }];
  const branch = (inner: Record<string, unknown> = task()) => ({ StartAt: 'Work', States: { Work: inner } });

  /** Runs `states` (starting at the first); the Task named Work throws one error per entry of `errors`, then succeeds. */
  async function trace(states: Record<string, unknown>, errors: string[], input: Record<string, unknown> = {}) {
    const machineDefinition = { StartAt: Object.keys(states)[0], States: states } as unknown as StateMachineDefinition;
    let attempt = 0;
    const machine = compileStateMachine(machineDefinition, {
      taskHandlers: {
        Work: () => {
          const e = errors[attempt++];
          if (e) throw new StatesError(e, 'mocked');
          return {};
        },
      },
    });
    const result = await machine.start(input as never).result;
    expect(result.status).toBe('SUCCEEDED');
    return traceExecution(machineDefinition, result.history);
  }

  it('counts a Parallel re-run after its branch failed as a retry of the Parallel, by the retrier that matched', async () => {
    const t = await trace({ P: { Type: 'Parallel', Retry: retry, Branches: [branch()], End: true } }, ['Other']);
    expect(Object.fromEntries(t.retries)).toEqual({ P: 1 });
    expect(Object.fromEntries(t.retriers)).toEqual({ 'P#1': 1 });
  });

  it('counts a Map re-run after an iteration failed as a retry of the Map, by the retrier that matched', async () => {
    const t = await trace({ M: { Type: 'Map', ItemsPath: '$.items', Retry: retry, ItemProcessor: branch(), End: true } }, ['Busy'], { items: [1, 2] });
    expect(Object.fromEntries(t.retries)).toEqual({ M: 1 });
    expect(Object.fromEntries(t.retriers)).toEqual({ 'M#0': 1 });
    // Both iterations entered Work in the first attempt (AWS starts them together), then both again.
    expect(t.states.get('Work')).toBe(4);
  });

  it('counts a Task retried inside a Parallel branch for the Task, not the Parallel', async () => {
    const t = await trace({ P: { Type: 'Parallel', Retry: retry, Branches: [branch(task({ Retry: retry }))], End: true } }, ['Busy', 'Other']);
    expect(Object.fromEntries(t.retries)).toEqual({ Work: 2 });
    expect(Object.fromEntries(t.retriers)).toEqual({ 'Work#0': 1, 'Work#1': 1 });
  });

  it('counts the Task\'s and then the Parallel\'s retry apart when the Task\'s retries run out', async () => {
    const work = task({ Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 1, MaxAttempts: 1 }] });
    const t = await trace({ P: { Type: 'Parallel', Retry: retry, Branches: [branch(work)], End: true } }, ['Busy', 'Busy']);
    expect(Object.fromEntries(t.retries)).toEqual({ Work: 1, P: 1 });
    expect(Object.fromEntries(t.retriers)).toEqual({ 'Work#0': 1, 'P#0': 1 });
  });

  it('counts a Task retried inside a Map iteration for the Task, not the Map', async () => {
    const t = await trace({ M: { Type: 'Map', ItemsPath: '$.items', Retry: retry, ItemProcessor: branch(task({ Retry: retry })), End: true } }, ['Busy'], { items: [1] });
    expect(Object.fromEntries(t.retries)).toEqual({ Work: 1 });
  });

  it('counts the retry of an outer Parallel once when a nested Parallel without a Retry failed', async () => {
    const inner = { Type: 'Parallel', Branches: [branch()], End: true };
    const t = await trace({ Outer: { Type: 'Parallel', Retry: retry, Branches: [{ StartAt: 'Inner', States: { Inner: inner } }], End: true } }, ['Busy']);
    expect(Object.fromEntries(t.retries)).toEqual({ Outer: 1 });
    expect(Object.fromEntries(t.retriers)).toEqual({ 'Outer#0': 1 });
    expect(t.states.get('Inner')).toBe(2);
  });

  it('matches a Map that tolerates failures by States.ExceedToleratedFailureThreshold', async () => {
    const m = {
      Type: 'Map',
      ItemsPath: '$.items',
      ToleratedFailureCount: 0,
      ItemProcessor: branch(),
      End: true,
      Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 1 }, { ErrorEquals: ['States.ExceedToleratedFailureThreshold'], IntervalSeconds: 1 }],
    };
    const t = await trace({ M: m }, ['Busy'], { items: [1] });
    expect(Object.fromEntries(t.retriers)).toEqual({ 'M#1': 1 });
  });

  it('records which Catch of a Parallel caught its branch\'s error when two lead to the same state', async () => {
    const states = {
      P: {
        Type: 'Parallel',
        Branches: [branch()],
        Next: 'Done',
        Catch: [{ ErrorEquals: ['Busy'], Next: 'Handle' }, { ErrorEquals: ['States.ALL'], Next: 'Handle' }],
      },
      Handle: { Type: 'Pass', Next: 'Done' },
      Done: { Type: 'Succeed' },
    };
    expect(Object.fromEntries((await trace(states, ['Other'])).catches)).toEqual({ 'P#1': 1 });
    expect(Object.fromEntries((await trace(states, ['Busy'])).catches)).toEqual({ 'P#0': 1 });
  });

  it('still records the transitions around a retried Parallel', async () => {
    const t = await trace({ P: { Type: 'Parallel', Retry: retry, Branches: [branch()], Next: 'Done' }, Done: { Type: 'Succeed' } }, ['Other']);
    expect(Object.fromEntries(t.transitions)).toEqual({ '^ -> P': 1, '^ -> Work': 2, 'P -> Done': 1 });
  });
});

describe('recordExecution', () => {
  let dir: string;
  beforeEach(() => {
    resetCoverage();
    dir = mkdtempSync(join(tmpdir(), 'stepwright-cov-'));
  });
  afterEach(() => {
    delete process.env[COVERAGE_DIR_ENV];
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds up the executions of one definition in memory, named by the state machine', async () => {
    await recordExecution(definition, await run({ n: 11 }), { name: 'Orders' });
    await recordExecution(definition, await run({ n: 1, items: [] }));
    const [summary] = coverageSummary();
    expect(summary).toMatchObject({ id: definitionId(definition), name: 'Orders', runs: 2 });
    expect(summary.states.missed).toEqual(['Fan', 'Left', 'Pack', 'Refund', 'Alert']);
    expect(summary.choices).toMatchObject({ covered: 2, total: 4, missed: ['Route#1', 'Route#2'] });
  });

  it('gives the same id to the same definition whatever its key order', () => {
    const reordered = JSON.parse(JSON.stringify({ States: definition.States, StartAt: definition.StartAt })) as StateMachineDefinition;
    expect(definitionId(reordered)).toBe(definitionId(definition));
    expect(definitionId(definition)).toMatch(/^[0-9a-f]{12}$/);
  });

  it('writes nothing to disk unless the coverage directory is set', async () => {
    await recordExecution(definition, await run({ n: 11 }));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('appends one line per execution to its process file, with the definition only once', async () => {
    process.env[COVERAGE_DIR_ENV] = dir;
    await recordExecution(definition, await run({ n: 11 }));
    await recordExecution(definition, await run({ n: 6 }));
    const files = readdirSync(dir);
    expect(files).toEqual([`${process.pid}-${process.env.JEST_WORKER_ID ?? '0'}.jsonl`]);
    const lines = readFileSync(join(dir, files[0]), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].definition).toEqual(definition);
    expect(lines[1].definition).toBeUndefined();
  });
});

describe('coverage of a DISTRIBUTED Map\'s children', () => {
  // AWS keeps each child execution's history apart from the parent's: the parent shows only
  // MapRunStarted and MapRunSucceeded, so the run's own history says nothing of Check, Put or Skip.
  const distributed = {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Check',
          States: {
            Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 1, Next: 'Put' }], Default: 'Skip' },
            Put: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'put', 'Payload.$': '$' }, Retry: [{ ErrorEquals: ['Busy'] }], End: true },
            Skip: { Type: 'Pass', End: true },
          },
        },
        End: true,
      },
    },
  } as unknown as StateMachineDefinition;

  beforeEach(() => resetCoverage());

  it('counts the states, transitions, Choice branches and retries inside the children as the run\'s', async () => {
    const result = await Workflow.fromDefinition(distributed).run([1, 2, 3], { mocks: { Put: [fail('Busy'), {}, {}] } });
    expect(result.path).toEqual(['Each', 'Check', 'Skip', 'Check', 'Put', 'Check', 'Put']);
    const [summary] = coverageSummary();
    expect(summary.states).toMatchObject({ covered: 4, total: 4, missed: [], hits: { Each: 1, Check: 3, Put: 2, Skip: 1 } });
    expect(summary.transitions.missed).toEqual([]);
    expect(summary.transitions.hits).toMatchObject({ 'Check -> Put': 2, 'Check -> Skip': 1 });
    expect(summary.choices).toMatchObject({ covered: 2, total: 2 });
    expect(summary.retries).toMatchObject({ covered: 1, total: 1, hits: { 'Put#0': 1 } });
  });

  it('keeps the children\'s events out of the run\'s history, as AWS does', async () => {
    const result = await Workflow.fromDefinition(distributed).run([1], { mocks: { Put: {} } });
    expect(result.history.map((e) => e.type)).not.toContain('ChoiceStateEntered');
  });

  it('names a state no child reached as never exercised', async () => {
    await Workflow.fromDefinition(distributed).run([1], { mocks: { Put: {} } });
    expect(coverageSummary()[0].states.missed).toEqual(['Put']);
  });
});

describe('mergeCoverageDir and formatCoverage', () => {
  let dir: string;
  beforeEach(() => {
    resetCoverage();
    dir = mkdtempSync(join(tmpdir(), 'stepwright-cov-'));
    process.env[COVERAGE_DIR_ENV] = dir;
  });
  afterEach(() => {
    delete process.env[COVERAGE_DIR_ENV];
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds up the files of several processes and skips broken lines', async () => {
    await recordExecution(definition, await run({ n: 11 }, ['Declined']), { name: 'Orders' });
    const fs = await import('fs');
    // A second worker's file, and a line cut short by a killed worker.
    fs.copyFileSync(join(dir, readdirSync(dir)[0]), join(dir, 'other-worker.jsonl'));
    fs.appendFileSync(join(dir, 'other-worker.jsonl'), '{"id":"trunc');
    const [merged] = mergeCoverageDir(dir);
    expect(merged.runs).toBe(2);
    expect(merged.catches.hits).toEqual({ 'Charge#0': 2, 'Charge#1': 0 });
  });

  it('returns nothing for a directory that does not exist', () => {
    expect(mergeCoverageDir(join(dir, 'missing'))).toEqual([]);
  });

  it('prints a table per state machine and what was never exercised', async () => {
    await recordExecution(definition, await run({ n: 11 }, ['Flaky', 'Declined']), { name: 'Orders' });
    await recordExecution(definition, await run({ n: 0 }), { name: 'Orders' });
    expect(formatCoverage(mergeCoverageDir(dir))).toMatchInlineSnapshot(`
"stepwright coverage
State machine | Runs |  States | Transitions | Choices | Catches | Retries
--------------|------|---------|-------------|---------|---------|--------
Orders        |    2 | 6/9 66% |    5/10 50% | 2/4 50% | 1/2 50% | 1/2 50%

Never exercised:
  Orders
    states: Items, Pack, Alert
    transitions: Route -> Items, Charge -> Done, Charge -> Alert, Items -> Done, Alert -> Done
    choices: Route#1, Route#default
    catches: Charge#1
    retries: Charge#0"
`);
  });

  it('names two machines of the same name from two stacks by stack and construct path', async () => {
    const app = new App();
    const stacks = [['EuOrders', 'eu'], ['UsOrders', 'us']].map(([stackId, region]) => {
      const stack = new Stack(app, stackId);
      new sfn.StateMachine(stack, 'Orders', {
        definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Start', { result: sfn.Result.fromObject({ region }) })),
      });
      return stack;
    });
    for (const stack of stacks) await Workflow.fromStack(stack).run({});
    const merged = mergeCoverageDir(dir);
    expect(merged.map((m) => [m.name, m.path])).toEqual([['OrdersA9B65338', 'EuOrders/Orders'], ['OrdersA9B65338', 'UsOrders/Orders']]);
    const rows = formatCoverage(merged).split('\n').filter((l) => l.startsWith('OrdersA9B65338'));
    expect(rows.map((r) => r.split(' | ')[0].trim())).toEqual(['OrdersA9B65338 (EuOrders/Orders)', 'OrdersA9B65338 (UsOrders/Orders)']);
  });

  it('lists two machines of one name without a path by id, whichever worker\'s file holds which', async () => {
    // Two definitions a suite builds in two test files, each named StateMachine (no stack, no path).
    await recordExecution(definition, await run({ n: 11 }), { name: 'StateMachine' });
    const other: StateMachineDefinition = { StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } };
    await recordExecution(other, await Workflow.fromDefinition(other).run({}), { name: 'StateMachine' });
    const own = join(dir, readdirSync(dir)[0]);
    const lines = readFileSync(own, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const byId = new Map<string, string[]>();
    for (const line of lines) {
      const id = (JSON.parse(line) as { id: string }).id;
      byId.set(id, [...(byId.get(id) ?? []), line]);
    }
    const [one, two] = [...byId.values()];
    expect([one, two].every((l) => l !== undefined)).toBe(true);
    rmSync(own);
    const orders: string[][] = [];
    for (const [first, second] of [[one, two], [two, one]]) {
      writeFileSync(join(dir, 'a-worker.jsonl'), `${first.join('\n')}\n`);
      writeFileSync(join(dir, 'b-worker.jsonl'), `${second.join('\n')}\n`);
      orders.push(mergeCoverageDir(dir).map((m) => `${m.name} ${m.id}`));
    }
    expect(orders[0]).toHaveLength(2);
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[0]).toEqual([...orders[0]].sort());
  });

  it('keeps the plain name for a machine whose name no other row shares', async () => {
    await recordExecution(definition, await run({ n: 11 }), { name: 'Orders', path: 'Shop/Orders' });
    expect(formatCoverage(mergeCoverageDir(dir)).split('\n')[3]).toMatch(/^Orders +\| +1 \|/);
  });

  it('names the jest test file each execution ran in, and gives each file\'s share of each machine, relative to the root', async () => {
    await recordExecution(definition, await run({ n: 11 }, ['Declined']), { name: 'Orders' });
    const own = join(dir, readdirSync(dir)[0]);
    const record = JSON.parse(readFileSync(own, 'utf8').split('\n')[0]);
    expect(record.file).toBe(__filename);
    // Another test file, run by another worker, that took the Default through the Map.
    const other = { id: record.id, name: 'Orders', file: join(__dirname, 'other.test.ts'), hits: { states: { Route: 1, Items: 1, Pack: 2, Done: 1 } } };
    writeFileSync(join(dir, 'other-worker.jsonl'), `${JSON.stringify(other)}\n`);
    const [merged] = mergeCoverageDir(dir, undefined, { rootDir: join(__dirname, '..', '..') });
    expect(merged.files).toEqual([
      expect.objectContaining({ file: 'test/testing/coverage.test.ts', runs: 1, states: { covered: 4, total: 9 } }),
      expect.objectContaining({ file: 'test/testing/other.test.ts', runs: 1, states: { covered: 4, total: 9 }, catches: { covered: 0, total: 2 } }),
    ]);
    expect(merged.states.covered).toBe(6);
    const table = formatCoverage([merged], { byFile: true }).split('\n');
    expect(table.slice(3, 6)).toEqual([
      'Orders                          |    2 | 6/9 66% |    3/10 30% | 1/4 25% | 1/2 50% |  0/2 0%',
      '  test/testing/coverage.test.ts |    1 | 4/9 44% |    3/10 30% | 1/4 25% | 1/2 50% |  0/2 0%',
      '  test/testing/other.test.ts    |    1 | 4/9 44% |     0/10 0% |  0/4 0% |  0/2 0% |  0/2 0%',
    ]);
    // Without byFile, and for a machine only one file ran, the table has the machine's row alone.
    expect(formatCoverage([merged]).split('\n')[4]).toBe('');
    expect(formatCoverage([{ ...merged, files: merged.files!.slice(0, 1) }], { byFile: true }).split('\n')[4]).toBe('');
  });

  it('says when no execution was recorded', () => {
    expect(formatCoverage([])).toBe('stepwright coverage: no executions recorded');
  });
});
