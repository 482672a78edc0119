import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand, StartSyncExecutionCommand, TestStateCommand,
} from '@aws-sdk/client-sfn';
import { FAILING_RUNS, type FailingDoor, type FailingRun } from './aws-fails-runs';
import { answerJudge } from '../../src/asl/answer-outcomes';
import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { CATALOGUE, type CatalogueFailRule, type CatalogueRow } from '../../src/asl/integrations';
import { AwsLimits } from '../../src/asl/limits';
import { StatesErrors } from '../../src/asl/states-errors';
import { Property } from '../../src/explore';
import type { TaskHandler } from '../../src/interpreter/execution-types';
import { Workflow } from '../../src/testing/workflow';
import { rawResult, succeed } from '../../src/workbench/mocks/answers';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import type { MockConfig } from '../../src/workbench/mocks/mock-config';
import { record, replay } from '../../src/workbench/replay';
import { testState } from '../../src/workbench/test-state';
import { cli } from '../cli/run-cli';
import { startMcp } from '../mcp/client';
import { asl, ROLE, serve, until } from '../server/helpers';

/*
 * Never green where AWS fails, at every entry an answer takes: each rule of the integration
 * catalogue (src/asl/integrations.ts, one per answer AWS turns into a Task's failure, with its
 * source) has its failing answer given to a Task through each way a test or an application gives
 * one, and the Task fails with the rule's error and cause, which a Catch then holds. The ways:
 * the jest harness's mocks (a value, succeed(), rawResult(), a function, an async function), the
 * `--mocks` JSON of the CLI and MCP, a MockConfigFile's Return, serve's --handlers and serve's
 * MockConfigFile, explore's and verify's mocks; TestState, whose behaviour on such a mock AWS does not document, answers with it
 * and says so. Every rule's Task is one branch of one Parallel, so one run covers the catalogue.
 */

const LAMBDA_INVOKE = 'lambda:invoke';

interface RuleCase {
  /** The state name of the rule's Task. */
  readonly name: string;
  readonly resource: string;
  readonly row: CatalogueRow;
  readonly rule: CatalogueFailRule;
  readonly answer: JsonValue;
}

function resourceOf(row: CatalogueRow, pattern: string): string {
  return `arn:aws:states:::${row.resource}${pattern === 'request' ? '' : `.${pattern}`}`;
}

/** Every rule of the catalogue with each pattern whose answer it judges. */
const CASES: RuleCase[] = [...CATALOGUE.values()].flatMap((row) => ('fails' in row.outcome ? row.outcome.fails : []).flatMap((rule, i) =>
  rule.patterns.map((pattern) => ({
    name: `${row.resource} ${pattern} ${i}`,
    resource: resourceOf(row, pattern),
    row,
    rule,
    answer: rule.failing as JsonValue,
  }))));
/** The rules that judge a Task's own answer; a callback's judge its call's answer, what it submitted. */
const ANSWERED = CASES.filter((c) => !c.resource.endsWith('.waitForTaskToken'));
const CALLBACKS = CASES.filter((c) => c.resource.endsWith('.waitForTaskToken'));

/** The error a rule gives its failing example, read from the rule (not from the judge). */
function expectedError({ rule, row }: RuleCase): string {
  const spec = rule.error;
  if ('taskFailed' in spec) return StatesErrors.TASK_FAILED;
  if ('name' in spec) return spec.name;
  if ('from' in spec) return (rule.failing as { Payload: { errorType: string } }).Payload.errorType;
  return `${row.errorPrefix}${spec.infix}${String((rule.failing as Record<string, unknown>)[spec.status])}`;
}

function expectedCause({ rule }: RuleCase): string {
  if (rule.cause === 'answer') return JSON.stringify(rule.failing);
  const field = (rule.failing as Record<string, unknown>)[rule.cause.field];
  return typeof field === 'string' ? field : JSON.stringify(field);
}

/** One branch per rule: its Task, caught whatever the error, the error output the branch's result. */
function machine(cases: readonly RuleCase[]): StateMachineDefinition {
  return {
    StartAt: 'Every rule',
    States: {
      'Every rule': {
        Type: 'Parallel',
        End: true,
        Branches: cases.map((c) => ({
          StartAt: c.name,
          States: {
            [c.name]: { Type: 'Task', Resource: c.resource, Catch: [{ ErrorEquals: ['States.ALL'], Next: `${c.name} caught` }], End: true },
            [`${c.name} caught`]: { Type: 'Pass', End: true },
          },
        })),
      },
    },
  } as StateMachineDefinition;
}

const EXPECTED = ANSWERED.map((c) => ({ Error: expectedError(c), Cause: expectedCause(c) }));
const isLambda = (c: RuleCase): boolean => c.row.resource === LAMBDA_INVOKE;
const byName = <T>(cases: readonly RuleCase[], mock: (c: RuleCase) => T): Record<string, T> =>
  Object.fromEntries(cases.map((c) => [c.name, mock(c)]));

/** A MockConfigFile whose one test case answers every rule's Task with its failing answer. */
function mockConfig(machineName: string): MockConfig {
  return {
    StateMachines: { [machineName]: { TestCases: { Failing: byName(ANSWERED, (c) => `${c.name} answer`) } } },
    MockedResponses: Object.fromEntries(ANSWERED.map((c) => [`${c.name} answer`, { 0: { Return: c.answer } }])),
  } as MockConfig;
}

it('holds a failing answer for every rule, and the rule fails it (the table below is not empty nor stale)', () => {
  expect(ANSWERED.length).toBeGreaterThanOrEqual(38);
  expect(CALLBACKS.length).toBeGreaterThanOrEqual(4);
  for (const c of CASES) expect([c.name, answerJudge(c.resource)?.(c.answer)?.error]).toEqual([c.name, expectedError(c)]);
});

describe('every catalogue rule\'s failing answer fails its Task through the jest harness and the --mocks JSON', () => {
  const wf = Workflow.fromDefinition(machine(ANSWERED), { name: 'Rules' });
  // The catalogue's examples are answers, not requests: the Tasks send none, which is not what is tested here.
  const options = { requestChecks: 'warn', mockValidation: 'NONE' } as const;

  // A Lambda answer given as a plain value, succeed() or a function is the function's payload (the envelope is added):
  // the envelope with FunctionError is given with rawResult(), as the harness documents.
  it.each([
    ['a plain value', (c: RuleCase) => (isLambda(c) ? rawResult(c.answer) : c.answer)],
    ['succeed()', (c: RuleCase) => (isLambda(c) ? rawResult(c.answer) : succeed(c.answer))],
    ['rawResult()', (c: RuleCase) => rawResult(c.answer)],
    ['a function', (c: RuleCase) => () => (isLambda(c) ? rawResult(c.answer) : c.answer)],
    ['an async function', (c: RuleCase) => async () => (isLambda(c) ? rawResult(c.answer) : c.answer)],
  ] as Array<[string, (c: RuleCase) => unknown]>)('given as %s', async (_form, mock) => {
    const run = await wf.run({}, { ...options, mocks: byName(ANSWERED, mock) as never });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual(EXPECTED);
  });

  it('given as {"Return": …} in a --mocks file (a Lambda answer there is its payload: its function error is a Throw)', async () => {
    const json = byName(ANSWERED.filter((c) => !isLambda(c)), (c) => ({ Return: c.answer }));
    const mocks = { ...mocksFromJson(json, 'mocks.json'), ...byName(ANSWERED.filter(isLambda), (c) => rawResult(c.answer)) };
    const run = await wf.run({}, { ...options, mocks });
    expect(run.output).toEqual(EXPECTED);
  });

  it('given as a MockConfigFile Return', async () => {
    const run = await wf.run({}, { ...options, mockConfig: { config: mockConfig('Rules'), stateMachine: 'Rules', testCase: 'Failing' } });
    expect(run.output).toEqual(EXPECTED);
  });

  it('given as what a callback\'s call submitted: the call fails before any TaskSubmitted, and the token is never waited for', async () => {
    const callbacks = Workflow.fromDefinition(machine(CALLBACKS), { name: 'Callbacks' });
    const run = await callbacks.run({}, { ...options, mocks: byName(CALLBACKS, (c) => succeed({ done: true }, { submitted: c.answer })) });
    expect(run.output).toEqual(CALLBACKS.map((c) => ({ Error: expectedError(c), Cause: expectedCause(c) })));
    expect(run.history.map((e) => e.type)).not.toContain('TaskSubmitted');
  });
});

describe('every catalogue rule\'s failing answer fails its Task in serve, through @aws-sdk/client-sfn', () => {
  async function runServed(env: Awaited<ReturnType<typeof serve>>, suffix = ''): Promise<unknown> {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({
      name: 'Rules', definition: asl(machine(ANSWERED)), roleArn: ROLE,
    }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn!}${suffix}`, input: '{}' }));
    const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(done.status).toBe('SUCCEEDED');
    return JSON.parse(done.output!);
  }

  it('answered by a --handlers handler', async () => {
    const env = await serve({ requestChecks: 'warn', mockValidation: 'NONE', handlers: byName(ANSWERED, (c): TaskHandler => () => c.answer) });
    try {
      expect(await runServed(env)).toEqual(EXPECTED);
    } finally {
      await env.stop();
    }
  });

  it('answered by a MockConfigFile Return', async () => {
    const env = await serve({ requestChecks: 'warn', mockValidation: 'NONE', mockConfig: mockConfig('Rules') });
    try {
      expect(await runServed(env, '#Failing')).toEqual(EXPECTED);
    } finally {
      await env.stop();
    }
  });

  it('TestState: a failing .sync mock answers SUCCEEDED and logs the advice; a .waitForTaskToken mock is the token\'s answer, at once', async () => {
    const env = await serve();
    try {
      const glue = asl({ Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', Parameters: { JobName: 'etl' }, End: true });
      const failed = await env.sfn.send(new TestStateCommand({ definition: glue, roleArn: ROLE, input: '{}', mock: { result: '{"JobRunState":"FAILED"}', fieldValidationMode: 'NONE' } }));
      expect(failed).toMatchObject({ status: 'SUCCEEDED', output: '{"JobRunState":"FAILED"}' });
      expect(env.logs.join('\n')).toContain("with error 'States.TaskFailed'");
      const callback = asl({
        Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true,
      });
      const answered = await env.sfn.send(new TestStateCommand({ definition: callback, roleArn: ROLE, input: '{}', mock: { result: '{"approved":true}' } }));
      expect(answered).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
    } finally {
      await env.stop();
    }
  });
});

describe('TestState given a rule\'s failing answer as mock.result', () => {
  // AWS documents and records nothing of TestState on such a mock: it answers with the mock, and says what an execution does.
  it.each(ANSWERED.map((c) => [c.name, c] as const))('%s: SUCCEEDED with the mock as result, and advice naming the error an execution fails with', async (_name, c) => {
    const definition = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: c.resource, End: true } } } as StateMachineDefinition;
    const result = await testState(definition, 'Call', {}, { mock: c.answer, fieldValidationMode: 'NONE' });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual(c.answer);
    expect(result.advice?.map((a) => a.message)).toEqual([expect.stringContaining(`with error '${expectedError(c)}'`)]);
  });

  it('gives no such advice for an answer the rule lets through, nor for a callback\'s mock (the worker\'s answer)', async () => {
    const glue = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', End: true } } } as StateMachineDefinition;
    expect((await testState(glue, 'Call', {}, { mock: { JobRunState: 'SUCCEEDED' }, fieldValidationMode: 'NONE' })).advice).toBeUndefined();
    const callback = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken', End: true } } } as StateMachineDefinition;
    const answered = await testState(callback, 'Call', {}, { mock: { FailedEntryCount: 1 }, fieldValidationMode: 'NONE' });
    expect(answered).toEqual({ status: 'SUCCEEDED', output: { FailedEntryCount: 1 } });
  });
});

describe('TestState tells of a .sync mock.result what a run tells of the same answer', () => {
  // AWS documents nothing of TestState on such a mock: it answers with it, and says what a run says.
  it.each([
    ['a job that has not ended', 'arn:aws:states:::glue:startJobRun.sync', { JobRunState: 'RUNNING' }, 'a job that has not ended'],
    ['no job state', 'arn:aws:states:::glue:startJobRun.sync', { JobRunId: 'jr_1' }, 'gives no job state at'],
    ['an end no AWS page decides', 'arn:aws:states:::elasticmapreduce:createCluster.sync', { Cluster: { Status: { State: 'TERMINATED' } } },
      'no AWS page or recording ties'],
  ] as Array<[string, string, JsonValue, string]>)('%s: SUCCEEDED with the mock as result, in the workbench and in serve, with the run\'s advice', async (_n, resource, mock, words) => {
    const definition = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: resource, End: true } } } as StateMachineDefinition;
    const run = await Workflow.fromDefinition(definition).run({}, { mocks: { Call: mock as never }, requestChecks: 'warn', mockValidation: 'NONE' });
    const told = run.advice.map((a) => a.message).filter((m) => m.includes(words));
    expect(told).toHaveLength(1);
    const tested = await testState(definition, 'Call', {}, { mock, fieldValidationMode: 'NONE' });
    expect(tested).toMatchObject({ status: 'SUCCEEDED', output: mock });
    expect(tested.advice?.map((a) => a.message)).toContain(told[0]);
    const env = await serve();
    try {
      const served = await env.sfn.send(new TestStateCommand({
        definition: asl(definition.States.Call), roleArn: ROLE, input: '{}', mock: { result: JSON.stringify(mock), fieldValidationMode: 'NONE' },
      }));
      expect(served).toMatchObject({ status: 'SUCCEEDED', output: JSON.stringify(mock) });
      expect(env.logs.join('\n')).toContain(words);
    } finally {
      await env.stop();
    }
  });
});

describe('explore and verify, given a rule\'s failing answer for the Task, take it as the Task\'s failure', () => {
  const single = (c: RuleCase): Workflow => Workflow.fromDefinition(
    { StartAt: c.name, States: { [c.name]: { Type: 'Task', Resource: c.resource, End: true } } } as StateMachineDefinition, { name: 'Rule' });
  // A MockConfigFile's Return is the whole answer (a Lambda invoke's with its FunctionError); a --mocks answer is a Lambda function's payload.
  const config = (c: RuleCase): MockConfig => ({
    StateMachines: { Rule: { TestCases: { Failing: { [c.name]: 'answer' } } } },
    MockedResponses: { answer: { 0: { Return: c.answer } } },
  } as MockConfig);
  const ways = (c: RuleCase) => [
    ['a MockConfigFile Return', { mockConfig: { config: config(c), stateMachine: 'Rule', testCase: 'Failing' } }],
    ...(isLambda(c) ? [] : [['a --mocks answer', { mocks: { [c.name]: { Return: c.answer } } }]]),
  ] as Array<[string, object]>;

  it.each(ANSWERED.map((c) => [c.name, c] as const))('%s: every scenario explore finds fails with the rule\'s error, and verify shows the run that does', async (_name, c) => {
    for (const [way, options] of ways(c)) {
      const explored = await single(c).explore(options);
      expect([way, explored.scenarios.map((s) => [s.status, s.error])]).toEqual([way, [['FAILED', expectedError(c)]]]);
      const verified = await single(c).verify({ succeeds: Property.endsWith({ statuses: ['SUCCEEDED'] }) }, options);
      expect([way, verified.properties.succeeds.verdict]).toEqual([way, 'VIOLATED']);
      expect(verified.properties.succeeds.counterexample).toMatchObject({ status: 'FAILED', error: expectedError(c) });
    }
  });
});

describe('every catalogue rule\'s failing answer fails its Task through `stepwright run` and MCP\'s run tool', () => {
  // The --mocks table's answer for a Lambda invoke is the function's payload: its function error goes as a MockConfigFile Return.
  const table = byName(ANSWERED.filter((c) => !isLambda(c)), (c) => ({ Return: c.answer }));
  const tableExpected = ANSWERED.filter((c) => !isLambda(c)).map((c) => ({ Error: expectedError(c), Cause: expectedCause(c) }));
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-answer-doors-'));
    fs.writeFileSync(path.join(root, 'rules.asl.json'), JSON.stringify(machine(ANSWERED)));
    fs.writeFileSync(path.join(root, 'table.asl.json'), JSON.stringify(machine(ANSWERED.filter((c) => !isLambda(c)))));
    fs.writeFileSync(path.join(root, 'mocks.json'), JSON.stringify(table));
    fs.writeFileSync(path.join(root, 'config.json'), JSON.stringify(mockConfig('Rules')));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const checks = ['--request-checks', 'warn', '--mock-validation', 'NONE'];

  it('`stepwright run` with a --mocks table and with a MockConfigFile test case', async () => {
    const byTable = await cli('run', path.join(root, 'table.asl.json'), '--mocks', path.join(root, 'mocks.json'), ...checks, '--json');
    expect(JSON.parse(byTable.out)).toMatchObject({ status: 'SUCCEEDED', output: tableExpected });
    const byConfig = await cli('run', path.join(root, 'rules.asl.json'), '--mocks', path.join(root, 'config.json'), '--test-case', 'Failing',
      '--mock-state-machine', 'Rules', ...checks, '--json');
    expect(JSON.parse(byConfig.out)).toMatchObject({ status: 'SUCCEEDED', output: EXPECTED });
  });

  it('MCP\'s run tool with mocks and with a MockConfigFile test case', async () => {
    const mcp = await startMcp(root);
    try {
      const checked = { requestChecks: 'warn', mockValidation: 'NONE' };
      const byTable = await mcp.call('run', { file: 'table.asl.json', mocks: table, ...checked });
      expect(byTable.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: tableExpected });
      const byConfig = await mcp.call('run', { file: 'rules.asl.json', mocksFile: 'config.json', testCase: 'Failing', mockStateMachine: 'Rules', ...checked });
      expect(byConfig.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: EXPECTED });
    } finally {
      await mcp.close();
    }
  });
});

describe('explore never makes up a succeeding answer that a catalogue rule fails', () => {
  // Each judged Resource once, with no mocks: explore makes every answer up. A scenario's answers, run again through the
  // harness, must end as explore reports, and one of them succeeds: the answer it made up for that one is one the judge lets through.
  const resources = [...new Set(ANSWERED.map((c) => c.resource))];
  it.each(resources)('%s: every scenario ends the same when its answers are given to the harness, and one succeeds', async (resource) => {
    const wf = Workflow.fromDefinition({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: resource, End: true } } } as StateMachineDefinition);
    const options = { requestChecks: 'warn', mockValidation: 'NONE' } as const;
    const explored = await wf.explore(options);
    const ends = await Promise.all(explored.scenarios.map(async (s) => {
      const run = await wf.run(s.input, { ...options, mocks: mocksFromJson(s.mocks, 'scenario') });
      return [[run.status, run.error], [s.status, s.error]];
    }));
    for (const [ran, reported] of ends) expect(ran).toEqual(reported);
    expect(explored.scenarios.map((s) => s.status)).toContain('SUCCEEDED');
  });
});

describe('every catalogue rule\'s failing answer, recorded from serve, fails its Task again when replayed', () => {
  it('records the run whose Tasks the handlers answer with each rule\'s failing answer, and replays it equal, every Task failed as recorded', async () => {
    const env = await serve({ requestChecks: 'warn', mockValidation: 'NONE', handlers: byName(ANSWERED, (c): TaskHandler => () => c.answer) });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'Rules', definition: asl(machine(ANSWERED)), roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
      await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      const recording = await record(executionArn!, { endpoint: env.server.endpoint });
      const replayed = await replay(recording);
      expect(replayed.describe()).toContain('equal');
      expect(replayed.equal).toBe(true);
      expect(replayed.run.output).toEqual(EXPECTED);
      const failed = replayed.run.history.filter((e) => e.type === 'TaskFailed').map((e) => (e as { taskFailedEventDetails?: { error?: string } }).taskFailedEventDetails?.error);
      expect(failed).toEqual(expect.arrayContaining([...new Set(EXPECTED.map((e) => e.Error))]));
    } finally {
      await env.stop();
    }
  });
});

/*
 * Never green where AWS fails, for the run's own shape: each row of aws-fails-runs.ts (a payload over
 * its limit, a history past 25,000 events, a timeout, a Map past its tolerated failures, an expression
 * that fails, a Choice with no match, a `.sync` job that ended in each of its failing states) ends as AWS ends it through every door: the jest harness,
 * `stepwright run`, MCP's run tool, serve's StartExecution with DescribeExecution and StartSyncExecution,
 * a recording of serve's execution replayed, TestState (the workbench's and serve's), explore and verify.
 */
describe('every run AWS fails for its shape ends so through every door', () => {
  const checked = { requestChecks: 'warn', mockValidation: 'NONE' } as const;
  const ROWS = FAILING_RUNS.map((r, i) => [r.name, r, i] as const);
  const can = (r: FailingRun, door: FailingDoor): boolean => r.cannot?.[door] === undefined;

  /** How a door ended the row's run, against AWS's end: the error compared where the row names it, the cause where it gives one. */
  function expectEnd(door: string, r: FailingRun, got: { status?: string; error?: string; cause?: string }): void {
    expect([door, got.status, r.error === undefined ? undefined : got.error]).toEqual([door, r.status, r.error]);
    if (r.cause !== undefined) expect([door, got.cause]).toEqual([door, expect.stringContaining(r.cause)]);
  }

  it('holds a row for each limit, timeout and run shape the brief names, and each final state a .sync job fails in (the table is not empty)', () => {
    expect(FAILING_RUNS.length).toBeGreaterThanOrEqual(25 + 80);
    expect(new Set(FAILING_RUNS.map((r) => r.error)).size).toBeGreaterThanOrEqual(7);
  });

  it.each(ROWS)('%s: the jest harness', async (_name, r) => {
    const wf = Workflow.fromDefinition(r.definition, { name: 'Row', type: r.type });
    const run = await wf.run(r.input ?? {}, { ...checked, mocks: r.mocks ? mocksFromJson(r.mocks, 'row') : {} });
    expectEnd('jest', r, run);
  });

  describe('`stepwright run` and MCP\'s run tool', () => {
    let root: string;
    let mcp: Awaited<ReturnType<typeof startMcp>>;
    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-failing-runs-'));
      FAILING_RUNS.forEach((r, i) => {
        fs.writeFileSync(path.join(root, `row-${i}.asl.json`), JSON.stringify(r.definition));
        fs.writeFileSync(path.join(root, `row-${i}.input.json`), JSON.stringify(r.input ?? {}));
        fs.writeFileSync(path.join(root, `row-${i}.mocks.json`), JSON.stringify(r.mocks ?? {}));
      });
      mcp = await startMcp(root);
    });
    afterAll(async () => {
      await mcp.close();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it.each(ROWS)('%s', async (_name, r, i) => {
      const type = ['--type', r.type ?? 'STANDARD'];
      const ran = await cli('run', path.join(root, `row-${i}.asl.json`), '--input', `@${path.join(root, `row-${i}.input.json`)}`,
        '--mocks', path.join(root, `row-${i}.mocks.json`), ...type, '--request-checks', 'warn', '--mock-validation', 'NONE', '--json');
      expect(ran.code).toBe(1);
      expectEnd('stepwright run', r, JSON.parse(ran.out));
      const called = await mcp.call('run', { file: `row-${i}.asl.json`, input: r.input ?? {}, mocks: r.mocks ?? {}, type: r.type ?? 'STANDARD', ...checked });
      expectEnd('MCP run', r, called.structuredContent as object);
    });

    it.each(ROWS.filter(([, r]) => r.testState !== undefined))('%s: MCP\'s test_state', async (_name, r) => {
      const tested = await mcp.call('test_state', { definition: JSON.stringify(r.definition), stateName: r.testState, input: r.input ?? {} });
      expectEnd('MCP test_state', r, tested.structuredContent as object);
    });

    // StartExecution's `input` is at most 256 KiB "in UTF-8 encoding" (the API's SensitiveData shape): an input of fewer
    // characters but more bytes is refused before any execution starts, by every door.
    const OVER = { text: 'é'.repeat(AwsLimits.PAYLOAD_BYTES / 2) };
    it('refuses an execution input over 256 KiB of UTF-8 (under 256 Ki characters) at the harness, `stepwright run` and MCP', async () => {
      const definition = { StartAt: 'Take', States: { Take: { Type: 'Pass', End: true } } } as StateMachineDefinition;
      await expect(Workflow.fromDefinition(definition).run(OVER)).rejects.toThrow(/262144 bytes/);
      fs.writeFileSync(path.join(root, 'take.asl.json'), JSON.stringify(definition));
      fs.writeFileSync(path.join(root, 'over.json'), JSON.stringify(OVER));
      const ran = await cli('run', path.join(root, 'take.asl.json'), '--input', `@${path.join(root, 'over.json')}`, '--json');
      expect([ran.code, ran.err]).toEqual([2, expect.stringContaining('262,144 bytes')]);
      const called = await mcp.call('run', { file: 'take.asl.json', input: OVER });
      expect([called.isError, JSON.stringify(called.content)]).toEqual([true, expect.stringContaining('262,144 bytes')]);
    });
  });

  describe('serve, through @aws-sdk/client-sfn, and a recording of its execution replayed', () => {
    let env: Awaited<ReturnType<typeof serve>>;
    const machineName = (i: number, express = false): string => `Row${i}${express ? 'Express' : ''}`;
    // An answer that comes late (a Delay) is stepwright's own MockConfigFile field, which serve refuses (it runs on the real
    // clock): a row's late answer is a --handlers handler instead, one that never answers, or a callback whose token nobody sends.
    const late = (r: FailingRun): boolean => Object.values(r.mocks ?? {}).some((m) => typeof m === 'object' && m !== null && 'Delay' in m);
    const configured = (r: FailingRun): boolean => r.mocks !== undefined && !late(r);
    beforeAll(async () => {
      // One MockConfigFile test case per row's machine (and its Express twin), each Task answered as the row's mocks answer it.
      const rows = FAILING_RUNS.map((r, i) => [r, i] as const).filter(([r]) => configured(r));
      const cases = Object.fromEntries(rows.map(([r, i]) => [i, Object.fromEntries(Object.keys(r.mocks!).map((state) => [state, `row${i} ${state}`]))]));
      const config = {
        StateMachines: Object.fromEntries(rows.flatMap(([, i]) => [false, true].map((x) => [machineName(i, x), { TestCases: { Row: cases[i] } }]))),
        MockedResponses: Object.fromEntries(rows.flatMap(([r, i]) => Object.entries(r.mocks!).map(([state, answer]) => [`row${i} ${state}`, { 0: answer }]))),
      } as MockConfig;
      // An activity's late answer is no answer at all: no worker polls it.
      const handlers: Record<string, TaskHandler> = {
        'Call': () => new Promise<never>(() => undefined),
        'Wait for token': () => ({ MessageId: 'never answered' }),
      };
      const activities = new Set(['Work']);
      const unanswerable = FAILING_RUNS.filter(late).flatMap((r) => Object.keys(r.mocks!))
        .filter((state) => !(state in handlers) && !activities.has(state));
      expect(unanswerable).toEqual([]);
      env = await serve({ ...checked, mockConfig: config, handlers, timeScale: 10_000 });
    });
    afterAll(async () => env.stop());

    async function create(r: FailingRun, i: number, express: boolean): Promise<string> {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({
        name: machineName(i, express), definition: asl(r.definition), roleArn: ROLE, type: express ? 'EXPRESS' : 'STANDARD',
      }));
      return `${stateMachineArn!}${configured(r) ? '#Row' : ''}`;
    }
    const input = (r: FailingRun): string => JSON.stringify(r.input ?? {});

    it.each(ROWS)('%s', async (_name, r, i) => {
      if (r.type !== 'EXPRESS') {
        const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: await create(r, i, false), input: input(r) }));
        const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
        expectEnd('serve DescribeExecution', r, done);
        if (can(r, 'replay')) {
          const replayed = await replay(await record(executionArn!, { endpoint: env.server.endpoint }));
          expect([replayed.equal, replayed.describe()]).toEqual([true, expect.stringContaining('equal')]);
          expectEnd('replay', r, replayed.run);
        }
      }
      if (r.type === 'EXPRESS' || can(r, 'express')) {
        const synced = await env.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: await create(r, i, true), input: input(r) }));
        expectEnd('serve StartSyncExecution', r, synced);
      }
    });

    it('refuses an execution input over 256 KiB of UTF-8 (under 256 Ki characters) at StartExecution and StartSyncExecution', async () => {
      const over = JSON.stringify({ text: 'é'.repeat(AwsLimits.PAYLOAD_BYTES / 2) });
      const definition = { StartAt: 'Take', States: { Take: { Type: 'Pass', End: true } } };
      for (const type of ['STANDARD', 'EXPRESS'] as const) {
        const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: `Take${type}`, definition: asl(definition), roleArn: ROLE, type }));
        const start = type === 'STANDARD' ? new StartExecutionCommand({ stateMachineArn, input: over }) : new StartSyncExecutionCommand({ stateMachineArn, input: over });
        await expect(env.sfn.send(start as StartExecutionCommand)).rejects.toMatchObject({ name: 'ValidationException' });
      }
    });

    it.each(ROWS.filter(([, r]) => r.testState !== undefined))('%s: serve\'s TestState', async (_name, r) => {
      const tested = await env.sfn.send(new TestStateCommand({
        definition: asl(r.definition), stateName: r.testState, roleArn: ROLE, input: input(r),
      }));
      expectEnd('serve TestState', r, tested);
    });
  });

  it.each(ROWS.filter(([, r]) => r.testState !== undefined))('%s: TestState', async (_name, r) => {
    expectEnd('TestState', r, await testState(r.definition, r.testState!, r.input ?? {}));
  });

  // explore's search and verify's make runs of their own, from the row's input and answers: each run they report must end as
  // the harness ends it with the same input and answers, and verify must find a run that does not succeed.
  it.each(ROWS.filter(([, r]) => can(r, 'explore') || can(r, 'verify')))('%s: explore and verify', async (_name, r) => {
    const wf = Workflow.fromDefinition(r.definition, { name: 'Row', type: r.type });
    const options = { ...checked, input: r.input ?? {}, ...(r.mocks ? { mocks: r.mocks } : {}) };
    const again = (found: { input: JsonValue; mocks: Record<string, JsonValue> }) => wf.run(found.input, {
      ...checked, mocks: mocksFromJson({ ...r.mocks, ...found.mocks }, 'found'),
    });
    if (can(r, 'explore')) {
      const explored = await wf.explore(options);
      for (const s of explored.scenarios) {
        const run = await again(s);
        expect(['explore', s.name, run.status, run.error]).toEqual(['explore', s.name, s.status, s.error]);
      }
    }
    if (can(r, 'verify')) {
      const verified = await wf.verify({ succeeds: Property.endsWith({ statuses: ['SUCCEEDED'] }) }, options);
      const found = verified.properties.succeeds.counterexample!;
      expect(['verify', verified.properties.succeeds.verdict, found.status]).toEqual(['verify', 'VIOLATED', r.status]);
      const run = await again(found);
      expect(['verify', run.status, run.error]).toEqual(['verify', found.status, found.error]);
    }
  });
});
