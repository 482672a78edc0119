// The behaviour cases of stepwright's own suite (test/cases/corpus, copied beside this file into
// corpus/cases by scripts/consumer-check.sh) through the harness, as the suite's jest door runs
// them, written for both runners with their globals: consumer-check runs it under jest and under
// each vitest and requires the snapshot files to hold the same bytes. Each case's run, its history and the failure message of each
// matcher that does not hold are snapshots; the run again under the runner's fake timers must be
// the same run. An explore case is left to the files `--write-tests` writes, which consumer-check
// runs under vitest as written.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VirtualClock } from 'stepwright/interpreter';
import { Property, Workflow, fail, mocksFromJson, replay, type Recording, type RunOptions, type WorkflowRun } from 'stepwright/testing';

/** The runner's fake timers: vitest's `vi` (its globals), else jest's `jest`. */
interface FakeTimers { useFakeTimers(): unknown; useRealTimers(): unknown }
declare const jest: FakeTimers;
const timers = (): FakeTimers => (typeof vi === 'undefined' ? jest : vi);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Callback {
  readonly state: string;
  readonly success?: Json;
  readonly successRepeated?: { readonly text: string; readonly times: number };
  readonly error?: string;
  readonly cause?: string;
  readonly refused?: string;
}
interface Case {
  readonly definition?: Json;
  readonly template?: Json;
  readonly stateMachine?: string;
  readonly parameters?: { [name: string]: string };
  readonly samconfig?: string;
  readonly type?: 'STANDARD' | 'EXPRESS';
  readonly input?: Json;
  readonly mocks?: { [key: string]: Json };
  readonly mockConfig?: { [state: string]: { [invocation: string]: Json } };
  readonly mockValidation?: 'STRICT' | 'PRESENT' | 'NONE';
  readonly unmocked?: 'error' | 'input';
  readonly limits?: { maxTransitions?: number; maxHistoryEvents?: number; maxPayloadBytes?: number };
  readonly startTime?: string;
  readonly s3?: { [bucket: string]: { [key: string]: Json } };
  readonly explore?: Json;
  readonly callbacks?: readonly Callback[];
  readonly expect: { status?: string; refused?: true; error?: string; path?: readonly string[]; s3?: Json };
}

const DIR = path.join(__dirname, 'cases');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-check-'));
const read = (file: string): Case => JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Case;
const ids = fs.readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.asl.json')).sort()
  .filter((f) => read(f).explore === undefined).map((f) => f.replace(/\.json$/, ''));

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/**
 * The machine as the suite's jest door loads it, named as `stepwright run` names an ASL file's
 * machine; a template with a samconfig.toml as a file, the configuration beside it.
 */
function workflowOf(c: Case): Workflow {
  const type = c.type ? { type: c.type } : {};
  const options = { ...type, ...(c.stateMachine ? { stateMachine: c.stateMachine } : {}), ...(c.parameters ? { parameters: c.parameters } : {}) };
  if (c.template && c.samconfig !== undefined) {
    const dir = fs.mkdtempSync(path.join(scratch, 'template-'));
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(c.template));
    fs.writeFileSync(path.join(dir, 'samconfig.toml'), c.samconfig);
    return Workflow.fromTemplate(path.join(dir, 'template.json'), options);
  }
  if (c.template) return Workflow.fromTemplate(c.template as never, options);
  const definition = typeof c.definition === 'string' ? read(c.definition) : c.definition;
  return Workflow.fromDefinition(definition as never, { name: 'StateMachine', ...type });
}

/** The run's options, as the suite's jest door gives them; a fresh S3 folder with the case's objects. */
function settingsOf(id: string, c: Case, wf: Workflow): RunOptions {
  const responses: Record<string, Json> = {};
  const testCase: Record<string, string> = {};
  Object.entries(c.mockConfig ?? {}).forEach(([state, byInvocation], i) => {
    testCase[state] = `R${i}`;
    responses[`R${i}`] = byInvocation;
  });
  let s3Dir: string | undefined;
  if (c.s3 !== undefined || c.expect.s3 !== undefined) {
    s3Dir = fs.mkdtempSync(path.join(scratch, 's3-'));
    for (const [bucket, objects] of Object.entries(c.s3 ?? {})) {
      for (const [key, content] of Object.entries(objects)) {
        const file = path.join(s3Dir, bucket, ...key.split('/'));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      }
      fs.mkdirSync(path.join(s3Dir, bucket), { recursive: true });
    }
  }
  return {
    name: 'behaviour-case',
    ...(c.mocks ? { mocks: mocksFromJson(c.mocks as never, id) } : {}),
    ...(c.mockConfig ? { mockConfig: { config: { StateMachines: { [wf.name]: { TestCases: { Case: testCase } } }, MockedResponses: responses } as never, testCase: 'Case' } } : {}),
    ...(c.mockValidation ? { mockValidation: c.mockValidation } : {}),
    ...(c.unmocked ? { unmocked: c.unmocked } : {}),
    ...(c.limits ? { limits: c.limits } : {}),
    ...(c.startTime !== undefined ? { clock: new VirtualClock({ start: Date.parse(c.startTime) }) } : {}),
    ...(s3Dir ? { s3: { dir: s3Dir } } : {}),
  };
}

/** Runs the case; with callbacks, `start()` and each callback once the run waits for its state's token. */
async function runOf(id: string, c: Case): Promise<WorkflowRun> {
  const wf = workflowOf(c);
  const settings = settingsOf(id, c, wf);
  if (!c.callbacks) return wf.run(c.input === undefined ? {} : c.input as never, settings);
  const execution = wf.start(c.input === undefined ? {} : c.input as never, settings);
  const open = new Map<string, string>();
  for (const step of c.callbacks) {
    const token = open.get(step.state) ?? await execution.waitForTaskToken(step.state);
    open.delete(step.state);
    const success = step.successRepeated ? step.successRepeated.text.repeat(step.successRepeated.times) : step.success;
    const send = (): void => success !== undefined ? execution.sendTaskSuccess(token, success as never) : execution.sendTaskFailure(token, step.error, step.cause);
    if (step.refused === undefined) {
      send();
      continue;
    }
    let refusedWith: string | undefined;
    try {
      send();
    } catch (e) {
      refusedWith = (e as Error).name;
    }
    expect(refusedWith).toBe(step.refused);
    open.set(step.state, token);
  }
  return execution.result;
}

/** The failure message of a matcher that does not hold of the run. */
function failure(assert: () => void): string {
  try {
    assert();
  } catch (e) {
    return (e as Error).message;
  }
  return '(held)';
}

/** The message of each matcher made not to hold of the run. */
function failures(run: WorkflowRun): Record<string, string> {
  return {
    status: failure(() => (run.status === 'SUCCEEDED' ? expect(run).toFail() : expect(run).toSucceed())),
    path: failure(() => expect(run).toHavePath([...run.path, 'No such state'])),
    visited: failure(() => expect(run).toHaveVisited('No such state')),
    notVisited: run.path.length === 0 ? '(no state entered)' : failure(() => expect(run).not.toHaveVisited(run.path[0])),
    output: failure(() => expect(run).toHaveOutput({ 'not the output': true })),
    cost: failure(() => expect(run).toCostAtMost({ stateTransitions: 0 })),
    retried: failure(() => expect(run).toHaveRetried(run.path[0] ?? 'No such state', 1_000)),
  };
}

// No describe around the tests: vitest names a snapshot `describe > test`, jest `describe test`.
it.each(ids)('%s', async (id) => {
  const c = read(`${id}.json`);
  if (c.expect.refused) {
    // No execution starts, as StartExecution refuses it: the same error under both runners.
    const refusal = await runOf(id, c).then(() => undefined, (e: Error) => ({ name: e.name, message: e.message }));
    expect(refusal).toMatchSnapshot();
    return;
  }
  const run = await runOf(id, c);
  const e = c.expect;
  expect({ status: run.status, error: run.error, path: run.path }).toEqual({ status: e.status ?? run.status, error: e.error ?? run.error, path: e.path ?? run.path });
  expect(run).toMatchSnapshot();
  expect(run.history).toMatchSnapshot();
  expect(failures(run)).toMatchSnapshot();
  // The virtual clock uses none of the timers the runner fakes: the same run, event for event.
  timers().useFakeTimers();
  try {
    const faked = await runOf(id, c);
    expect([faked.status, faked.output, faked.history]).toEqual([run.status, run.output, run.history]);
  } finally {
    timers().useRealTimers();
  }
}, 120_000);

// The matchers that read no run of a case: a verify report, a workflow's permissions, a replay.
it('gives the failure messages of toHold, toHaveTaskPermissions and toMatchRecording', async () => {
  const wf = Workflow.fromDefinition({
    StartAt: 'Charge',
    States: {
      Charge: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
        Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2 }],
        End: true,
      },
    },
  });
  const run = await wf.run({ n: 1 }, { mocks: { Charge: [fail('Lambda.TooManyRequestsException'), { ok: true }] } });
  const report = await wf.verify({ neverCharges: Property.never('Charge') });
  const recording: Recording = {
    format: 'stepwright-recording',
    version: 1,
    stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } },
    execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', status: 'SUCCEEDED', input: { a: 1 }, output: { a: 2 } },
    events: [
      { type: 'ExecutionStarted', id: 1, previousEventId: 0 },
      { type: 'PassStateEntered', id: 2, previousEventId: 1, stateEnteredEventDetails: { name: 'P' } },
      { type: 'PassStateExited', id: 3, previousEventId: 2, stateExitedEventDetails: { name: 'P' } },
      { type: 'ExecutionSucceeded', id: 4, previousEventId: 3 },
    ],
  };
  const replayed = await replay(recording);
  expect({
    retried: failure(() => expect(run).toHaveRetried('Charge', 3)),
    notRetried: failure(() => expect(run).not.toHaveRetried('Charge', 1)),
    hold: failure(() => expect(report).toHold()),
    holdProved: failure(() => expect(report).toHold({ proved: true })),
    permissions: failure(() => expect(wf).toHaveTaskPermissions({ statements: [] })),
    recording: failure(() => expect(replayed).toMatchRecording()),
  }).toMatchSnapshot();
});
