import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { StatesErrors } from '../../src/asl/states-errors';
import { Workflow } from '../../src/testing/workflow';
import type { MockConfig } from '../../src/workbench/mocks/mock-config';
import { cli } from '../cli/run-cli';
import { startMcp } from '../mcp/client';

/*
 * Never green at explore's and verify's doors: where a Task's answer is one AWS turns into the
 * Task's failure (src/asl/integration-outcomes.ts: a Lambda invoke with a FunctionError, a
 * PutEvents with FailedEntryCount above 0, a Glue, Batch or ECS job that ended badly, a `.sync:2`
 * child that FAILED), whether explore made the answer up or the user gave it in a MockConfigFile,
 * the scenario explore reports and the counterexample verify shows end FAILED with the error the
 * run gives, in the jest harness, `stepwright explore` / `verify` and MCP; the test file each
 * writes expects that failure; and `stepwright run --mocks` with the answers they wrote fails the
 * same way.
 */

const DEFINITION = {
  StartAt: 'Charge',
  States: {
    Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' }, ResultPath: '$.charge', Next: 'Publish' },
    Publish: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [{ Source: 'shop', DetailType: 'Paid', Detail: {} }] }, ResultPath: '$.published', Next: 'Etl' },
    Etl: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', Parameters: { JobName: 'etl' }, ResultPath: '$.etl', Next: 'Batch' },
    Batch: { Type: 'Task', Resource: 'arn:aws:states:::batch:submitJob.sync', Parameters: { JobName: 'j', JobQueue: 'q', JobDefinition: 'd' }, ResultPath: '$.batch', Next: 'Ecs' },
    Ecs: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', Parameters: { TaskDefinition: 'td', Cluster: 'c' }, ResultPath: '$.ecs', Next: 'Child' },
    Child: {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child', Input: {} },
      ResultPath: '$.child',
      End: true,
    },
  },
} as unknown as StateMachineDefinition;
const MACHINE = 'Pipeline';

/** Each answer kind AWS turns into the Task's failure, as a MockConfigFile Return (a Lambda invoke's whole answer), and the error. */
const KINDS: ReadonlyArray<{ readonly state: string; readonly answer: JsonValue; readonly error: string }> = [
  { state: 'Charge', answer: { StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST', Payload: { errorType: 'Card.Declined', errorMessage: 'expired' } }, error: 'Card.Declined' },
  { state: 'Publish', answer: { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' }] }, error: 'EventBridge.FailedEntry' },
  { state: 'Etl', answer: { JobRunState: 'FAILED' }, error: StatesErrors.TASK_FAILED },
  { state: 'Batch', answer: { Status: 'FAILED' }, error: StatesErrors.TASK_FAILED },
  {
    state: 'Ecs',
    answer: { LastStatus: 'STOPPED', StopCode: 'EssentialContainerExited', Containers: [{ Name: 'app', ExitCode: 0 }, { Name: 'log_router', ExitCode: 137 }] },
    error: StatesErrors.TASK_FAILED,
  },
  { state: 'Child', answer: { Status: 'FAILED', Error: 'Audit.Failed', Cause: 'no audit' }, error: StatesErrors.TASK_FAILED },
];
const testCase = (state: string): string => `Only${state}`;
const CONFIG = {
  StateMachines: { [MACHINE]: { TestCases: Object.fromEntries(KINDS.map((k) => [testCase(k.state), { [k.state]: `${k.state} fails` }])) } },
  MockedResponses: Object.fromEntries(KINDS.map((k) => [`${k.state} fails`, { 0: { Return: k.answer } }])),
} as unknown as MockConfig;

interface Scenario {
  readonly name: string;
  readonly status: string;
  readonly error?: string;
  readonly input: JsonValue;
  readonly mocks: Record<string, JsonValue>;
  readonly path: readonly string[];
}

let root: string;
const file = (name: string): string => path.join(root, name);
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-explore-failing-'));
  fs.writeFileSync(file('pipeline.asl.json'), JSON.stringify(DEFINITION));
  fs.writeFileSync(file('config.json'), JSON.stringify(CONFIG));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/**
 * `stepwright run` of a scenario's input and the answers it wrote (with the MockConfigFile test
 * case it was explored with, the scenario's answers laid into it): how that run ends.
 */
async function runAgain(s: Scenario, given?: string): Promise<{ status: string; error?: string }> {
  const i = fs.readdirSync(root).length;
  fs.writeFileSync(file(`input-${i}.json`), JSON.stringify(s.input));
  let mocks: string[];
  if (given === undefined) {
    fs.writeFileSync(file(`mocks-${i}.json`), JSON.stringify(s.mocks));
    mocks = ['--mocks', file(`mocks-${i}.json`)];
  } else {
    type Config = { StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>; MockedResponses: Record<string, unknown> };
    const config = JSON.parse(JSON.stringify(CONFIG)) as Config;
    for (const [state, answer] of Object.entries(s.mocks)) {
      config.MockedResponses[`scenario ${state}`] = { 0: answer };
      config.StateMachines[MACHINE].TestCases[given][state] = `scenario ${state}`;
    }
    fs.writeFileSync(file(`config-${i}.json`), JSON.stringify(config));
    mocks = ['--mocks', file(`config-${i}.json`), '--test-case', given, '--mock-state-machine', MACHINE];
  }
  const ran = await cli('run', file('pipeline.asl.json'), '--input', `@${file(`input-${i}.json`)}`, ...mocks, '--json');
  const { status, error } = JSON.parse(ran.out) as { status: string; error?: string };
  return { status, ...(error !== undefined ? { error } : {}) };
}

/** How a scenario ended: its status, and its error when it has one. */
const endOf = (s: Scenario): { status: string; error?: string } => ({ status: s.status, ...(s.error !== undefined ? { error: s.error } : {}) });

describe('the failing answers explore makes up end its scenarios as `stepwright run` with the answers it wrote ends them', () => {
  it('fails each Task with the error AWS gives its failing answer, and each scenario\'s answers fail `stepwright run` the same', async () => {
    const explored = await cli('explore', file('pipeline.asl.json'), '--json');
    expect(explored.code).toBe(0);
    const scenarios = (JSON.parse(explored.out) as { scenarios: Scenario[] }).scenarios;
    const failed = scenarios.filter((s) => s.status === 'FAILED').map((s) => [s.path.at(-1), s.error]);
    expect(failed).toEqual(expect.arrayContaining([
      ['Charge', StatesErrors.TASK_FAILED], ['Publish', 'EventBridge.FailedEntry'], ['Etl', StatesErrors.TASK_FAILED],
      ['Batch', StatesErrors.TASK_FAILED], ['Ecs', StatesErrors.TASK_FAILED], ['Child', StatesErrors.TASK_FAILED],
    ]));
    for (const s of scenarios) expect([s.name, await runAgain(s)]).toEqual([s.name, endOf(s)]);
  });
});

describe.each(KINDS)('a MockConfigFile answering $state with an answer AWS fails', ({ state, error }) => {
  const given = testCase(state);
  const options = { mockConfig: { file: '', testCase: given, stateMachine: MACHINE } };
  beforeAll(() => { (options.mockConfig as { file: string }).file = file('config.json'); });

  it(`Workflow.explore and Workflow.verify: the run ends FAILED with ${error}, never green`, async () => {
    const wf = Workflow.fromDefinition(DEFINITION, { name: MACHINE });
    const explored = await wf.explore(options);
    const first = explored.scenarios.find((s) => s.path.includes(state) && s.path.at(-1) === state)!;
    expect([first.name, first.status, first.error]).toEqual([expect.not.stringContaining('every Task succeeds'), 'FAILED', error]);
    // Broken only by a run that fails with the answer's error: its counterexample is such a run, never a green one.
    const verified = await wf.verify({ notThatError: (run) => run.status === 'SUCCEEDED' || run.error !== error }, options);
    expect(verified.properties.notThatError.verdict).toBe('VIOLATED');
    expect(verified.properties.notThatError.counterexample).toMatchObject({ status: 'FAILED', error });
  });

  it('stepwright explore: every scenario ends as `stepwright run` with its answers ends; the test file it writes expects the failure', async () => {
    const flags = ['--mocks', file('config.json'), '--test-case', given, '--mock-state-machine', MACHINE];
    const explored = await cli('explore', file('pipeline.asl.json'), ...flags, '--json');
    const scenarios = (JSON.parse(explored.out) as { scenarios: Scenario[] }).scenarios;
    expect(scenarios.filter((s) => s.status === 'FAILED').map((s) => s.error)).toContain(error);
    for (const s of scenarios) expect([s.name, await runAgain(s, given)]).toEqual([s.name, endOf(s)]);
    const written = file(`${given}.explore.test.ts`);
    await cli('explore', file('pipeline.asl.json'), ...flags, '--write-tests', written);
    expect(fs.readFileSync(written, 'utf8')).toMatch(new RegExp(`expect\\(run\\)\\.toFail\\('${error}'`));
  });

  it('stepwright verify: the counterexample, run again with its answers, and the test it writes fail with the error', async () => {
    const flags = ['--mocks', file('config.json'), '--test-case', given, '--mock-state-machine', MACHINE];
    const written = file(`${given}.verify.test.ts`);
    const properties = file(`${given}.properties.js`);
    fs.writeFileSync(properties, `exports.notThatError = (run) => run.status === 'SUCCEEDED' || run.error !== ${JSON.stringify(error)};\n`);
    const verified = await cli('verify', file('pipeline.asl.json'), ...flags, '--property', properties, '--write-tests', written, '--json');
    const verdict = (JSON.parse(verified.out) as { notThatError: { verdict: string; counterexample: Scenario } }).notThatError;
    expect([verdict.verdict, verdict.counterexample.status, verdict.counterexample.error]).toEqual(['VIOLATED', 'FAILED', error]);
    expect(await runAgain(verdict.counterexample, given)).toEqual({ status: 'FAILED', error });
    expect(fs.readFileSync(written, 'utf8')).toMatch(new RegExp(`expect\\(run\\)\\.toFail\\('${error}'`));
  });
});

describe('MCP\'s explore tool, given each failing answer by a MockConfigFile', () => {
  it('ends the scenario that reaches the Task FAILED with its error', async () => {
    const mcp = await startMcp(root);
    try {
      for (const { state, error } of KINDS) {
        const explored = await mcp.call('explore', { file: 'pipeline.asl.json', mocks: CONFIG, testCase: testCase(state), mockStateMachine: MACHINE, details: true });
        type Reports = { reports: Array<{ scenarios: Array<{ status: string; error?: string; path: string[] }> }> };
        const reports = (explored.structuredContent as Reports).reports;
        const reached = reports[0].scenarios.filter((s) => s.path.at(-1) === state).map((s) => [s.status, s.error]);
        expect([state, reached]).toEqual([state, [['FAILED', error]]]);
      }
    } finally {
      await mcp.close();
    }
  });
});
