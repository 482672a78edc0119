/*
 * A state machine that starts itself, or machines that start each other, through the doors other
 * than serve (serve's own: test/server/self-start*.test.ts): the jest harness, `stepwright run` and
 * MCP's run tool hold every execution of a run in one process, so each ends such a chain at the bound
 * serve keeps (OPEN_EXECUTIONS_BOUND, workbench/workflow/chains.ts, or the door's option): past it the
 * `states:startExecution` Task that would start one more fails with
 * StepFunctions.ExecutionLimitExceededException, as past AWS's quota of open executions ("Maximum
 * open executions per account", Step Functions service quotas). Without the bound a request-response
 * chain, a `.sync` one and a Distributed Map whose children start the parent ran until memory ran
 * out, in one unbroken run of microtasks that not even a test's timeout can stop: each run here is
 * made in a process of its own, and the time given it is a guard against that hang, never a measure.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonObject } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';
import { chainRefusal, OPEN_EXECUTIONS_BOUND, openExecutionsRefusal, runningExpressRefusal } from '../../src/workbench/workflow/chains';
import { startMcp } from '../mcp/client';

const HARNESS_CHILD = path.join(__dirname, 'fixtures', 'self-start-run.js');
/** Runs `stepwright <command>` from the TypeScript sources. */
const CLI_CHILD = path.join(__dirname, '..', 'server', 'fixtures', 'serve-child.js');
/** Against a hang of the code under test, never a measure. */
const GUARD_MS = 120_000;
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:chain';
/** `stepwright run` and MCP name the machine of an ASL file or definition `StateMachine`: its Task names it so. */
const UNNAMED_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine';
const LIMIT = 40;
const LIMIT_ERROR = 'StepFunctions.ExecutionLimitExceededException';
const CHAIN_CAUSE = new RegExp(`^Execution Limit Exceeded: a chain of ${LIMIT} executions, each started by a Task of the one before`);
const OPEN_CAUSE = new RegExp(`^Execution Limit Exceeded: ${LIMIT} executions are open, the most one run may have`);
const EXPRESS_CAUSE = new RegExp(`^Execution Limit Exceeded: ${LIMIT} EXPRESS executions are running, the most one run may have`);

/**
 * A machine whose Tasks start `arn` twice at once, from a Parallel or a Map: a chain of EXPRESS
 * executions, not open executions on AWS, doubles at each step. Unbounded, a chain of LIMIT steps
 * holds 2^LIMIT executions.
 */
function fanningOut(kind: 'Parallel' | 'Map', arn = ARN): JsonObject {
  const again = (n: number): JsonObject => ({ StartAt: `Start ${n}`, States: { [`Start ${n}`]: startTask('arn:aws:states:::states:startExecution', { Input: { items: [1, 2] } }, arn) } });
  const state: JsonObject = kind === 'Parallel'
    ? { Type: 'Parallel', Branches: [again(1), again(2)], End: true }
    : { Type: 'Map', ItemsPath: '$.items', ItemProcessor: again(1), End: true };
  return { StartAt: 'Both', States: { Both: state } };
}

/** A Task that starts the machine `arn` names with `resource`. */
function startTask(resource: string, extra: JsonObject = {}, arn = ARN): JsonObject {
  return { Type: 'Task', Resource: resource, Parameters: { StateMachineArn: arn, ...extra }, End: true };
}

/** A machine whose one Task starts the machine `arn` names (by default, itself). */
function starting(resource: string, extra: JsonObject = {}, arn = ARN): JsonObject {
  return { StartAt: 'Again', States: { Again: startTask(resource, extra, arn) } };
}

/**
 * A `.sync:2` chain whose deepest Task catches the refusal: each execution answers its child's
 * output, so the run's own output is what the deepest caught.
 */
function caught(arn = ARN): JsonObject {
  return {
    StartAt: 'Again',
    States: {
      Again: {
        ...startTask('arn:aws:states:::states:startExecution.sync:2', {}, arn),
        OutputPath: '$.Output',
        Catch: [{ ErrorEquals: [LIMIT_ERROR], ResultPath: '$.refused', Next: 'Deepest' }],
      },
      Deepest: { Type: 'Pass', Parameters: { 'error.$': '$.refused.Error', 'cause.$': '$.refused.Cause' }, End: true },
    },
  };
}

interface Ended { readonly status: string; readonly error?: string; readonly cause?: string }
interface HarnessOutcome extends Ended { readonly output?: { error: string; cause: string }; readonly executions: readonly Ended[] }

/** Output of `node <args>` once it exits, or an error once the guard has passed. */
function runNode(args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += String(d); });
    child.stderr.on('data', (d: Buffer) => { err += String(d); });
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.slice(0, 2).join(' ')} had not ended after ${GUARD_MS} ms: the chain did not end`));
    }, GUARD_MS);
    child.once('exit', (code) => { clearTimeout(guard); resolve({ code, out, err }); });
  });
}

/** The harness's run of `definition` and every execution it made, from a process of its own. */
async function harness(definition: JsonObject, options: JsonObject = {}, type?: string): Promise<HarnessOutcome> {
  const { out, err } = await runNode([HARNESS_CHILD, JSON.stringify({ definition, options, ...(type ? { type } : {}) })]);
  if (out === '') throw new Error(`the harness's run printed nothing: ${err}`);
  return JSON.parse(out) as HarnessOutcome;
}

const count = (all: readonly Ended[], status: string): number => all.filter((e) => e.status === status).length;

describe('the jest harness: chains of executions that start themselves', () => {
  it('ends a request-response startExecution chain at openExecutionLimit: that many executions, the last FAILED', async () => {
    const run = await harness(starting('arn:aws:states:::states:startExecution'), { openExecutionLimit: LIMIT });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.executions).toHaveLength(LIMIT);
    expect(count(run.executions, 'SUCCEEDED')).toBe(LIMIT - 1);
    const last = run.executions.find((e) => e.status === 'FAILED')!;
    expect(last.error).toBe(LIMIT_ERROR);
    expect(last.cause).toMatch(CHAIN_CAUSE);
    expect(last.cause).toContain('raise it with the run option openExecutionLimit');
  }, GUARD_MS + 10_000);

  it('ends a .sync:2 chain at the open executions it holds, each parent failing with its child', async () => {
    const run = await harness(starting('arn:aws:states:::states:startExecution.sync:2'), { openExecutionLimit: LIMIT });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.TaskFailed');
    expect(run.executions).toHaveLength(LIMIT);
    expect(count(run.executions, 'FAILED')).toBe(LIMIT);
    // Every execution of a .sync chain is open: the bound of open executions refuses the next first, as serve's does.
    const deepest = run.executions.find((e) => e.error === LIMIT_ERROR)!;
    expect(deepest.cause).toMatch(OPEN_CAUSE);
  }, GUARD_MS + 10_000);

  it('ends a .waitForTaskToken chain at the bound of open executions: every parent waits for its token', async () => {
    const run = await harness(starting('arn:aws:states:::states:startExecution.waitForTaskToken', { Input: { 'token.$': '$$.Task.Token' } }), { openExecutionLimit: LIMIT });
    expect(run.executions).toHaveLength(LIMIT);
    const refused = run.executions.filter((e) => e.error === LIMIT_ERROR);
    expect(refused).toHaveLength(1);
    expect(refused[0].cause).toMatch(OPEN_CAUSE);
  }, GUARD_MS + 10_000);

  it('ends a chain of EXPRESS executions, which are not open executions, at the same bound', async () => {
    const run = await harness(starting('arn:aws:states:::states:startExecution'), { openExecutionLimit: LIMIT }, 'EXPRESS');
    expect(run.executions).toHaveLength(LIMIT);
    expect(run.executions.find((e) => e.status === 'FAILED')?.cause).toMatch(CHAIN_CAUSE);
  }, GUARD_MS + 10_000);

  it('ends a Distributed Map whose children start its own state machine at the bound', async () => {
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...starting('arn:aws:states:::states:startExecution.sync:2', { Input: { items: [1] } }) },
          End: true,
        },
      },
    };
    const run = await harness(definition, { openExecutionLimit: LIMIT });
    expect(run.status).toBe('FAILED');
    expect(run.executions).toHaveLength(LIMIT);
  }, GUARD_MS + 10_000);

  it('ends a tree of executions that each start two at the bound of open executions', async () => {
    const start = (n: number): JsonObject => ({ StartAt: `Start ${n}`, States: { [`Start ${n}`]: startTask('arn:aws:states:::states:startExecution') } });
    const run = await harness({ StartAt: 'Both', States: { Both: { Type: 'Parallel', Branches: [start(1), start(2)], End: true } } }, { openExecutionLimit: LIMIT });
    expect(run.executions.length).toBeGreaterThanOrEqual(LIMIT);
    // A chain of the bound's length would hold 2^LIMIT executions: the open ones stop the tree long before.
    expect(run.executions.length).toBeLessThan(LIMIT * LIMIT);
    expect(run.executions.filter((e) => e.error === LIMIT_ERROR).every((e) => OPEN_CAUSE.test(e.cause ?? '') || CHAIN_CAUSE.test(e.cause ?? ''))).toBe(true);
    expect(count(run.executions, 'FAILED')).toBeGreaterThan(0);
  }, GUARD_MS + 10_000);

  it.each(['Parallel', 'Map'] as const)('ends an EXPRESS machine whose %s starts it twice at the bound of running EXPRESS executions', async (kind) => {
    const run = await harness(fanningOut(kind), { openExecutionLimit: LIMIT }, 'EXPRESS');
    expect(run.executions.length).toBeGreaterThanOrEqual(LIMIT);
    expect(run.executions.length).toBeLessThan(LIMIT * LIMIT);
    const refused = run.executions.filter((e) => e.error === LIMIT_ERROR);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => EXPRESS_CAUSE.test(e.cause ?? '') || CHAIN_CAUSE.test(e.cause ?? ''))).toBe(true);
    expect(refused.some((e) => EXPRESS_CAUSE.test(e.cause ?? ''))).toBe(true);
  }, GUARD_MS + 10_000);

  it('lets a Catch on StepFunctions.ExecutionLimitExceededException end the chain as the machine chooses', async () => {
    const run = await harness(caught(), { openExecutionLimit: LIMIT });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.executions).toHaveLength(LIMIT);
    expect(count(run.executions, 'SUCCEEDED')).toBe(LIMIT);
    expect(run.output?.error).toBe(LIMIT_ERROR);
    expect(run.output?.cause).toMatch(OPEN_CAUSE);
  }, GUARD_MS + 10_000);

  it(`ends a request-response chain at stepwright's own bound, ${OPEN_EXECUTIONS_BOUND} executions, when given none`, async () => {
    const run = await harness(starting('arn:aws:states:::states:startExecution'));
    expect(run.executions).toHaveLength(OPEN_EXECUTIONS_BOUND);
    const last = run.executions.find((e) => e.status === 'FAILED')!;
    expect(last.cause).toContain(`a chain of ${OPEN_EXECUTIONS_BOUND} executions`);
    expect(last.cause).toContain('stepwright\'s own for a run below AWS\'s quota of 1000000');
  }, GUARD_MS + 10_000);

  it.each([0, 1.5, -3, 1_000_001])('refuses openExecutionLimit %p, naming the option and the values it takes', async (given) => {
    const wf = Workflow.fromDefinition({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }, { name: 'chain' });
    await expect(wf.run({}, { openExecutionLimit: given })).rejects.toMatchObject({
      name: 'InvalidOptionError',
      option: 'openExecutionLimit',
      message: expect.stringContaining(`openExecutionLimit must be a whole number from 1 to 1000000 (AWS's quota of open executions), got ${given}`),
    });
  });

  it('starts the state machine itself when a Task names its own ARN, as AWS does', async () => {
    // Counts down by starting itself: a chain that ends on its own, short of any bound.
    const template = {
      Resources: {
        Chain: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            StateMachineName: 'chain',
            RoleArn: 'arn:aws:iam::123456789012:role/chain',
            Definition: {
              StartAt: 'Done?',
              States: {
                'Done?': { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThanEquals: 0, Next: 'Done' }], Default: 'Again' },
                'Again': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::states:startExecution.sync:2',
                  Parameters: { StateMachineArn: ARN, Input: { 'n.$': 'States.MathAdd($.n, -1)' } },
                  OutputPath: '$.Output',
                  End: true,
                },
                'Done': { Type: 'Pass', Result: { n: 0, reached: true }, End: true },
              },
            },
          },
        },
      },
    };
    const run = await Workflow.fromTemplate(template).run({ n: 3 });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ n: 0, reached: true });
  });
});

describe('the refusal names the option of the door the run came through', () => {
  it.each([
    ['jest', 'the run option openExecutionLimit'],
    ['cli', '--open-executions <n>'],
    ['mcp', 'the run tool\'s openExecutionLimit'],
    ['serve', '--open-executions <n>'],
  ] as const)('%s: %s', (door, option) => {
    expect(chainRefusal(OPEN_EXECUTIONS_BOUND, ARN, door, false)).toContain(`raise it with ${option}, or end the chain (execution '${ARN}' starts the next)`);
    expect(openExecutionsRefusal(OPEN_EXECUTIONS_BOUND, 'one run may have', door, false)).toContain(`: raise it with ${option})`);
    // A bound the door was given is the user's own: nothing to raise.
    expect(openExecutionsRefusal(LIMIT, 'one run may have', door, true)).not.toContain('raise it');
    expect(runningExpressRefusal(OPEN_EXECUTIONS_BOUND, 'one run may have', door, false)).toContain(`: raise it with ${option})`);
    expect(runningExpressRefusal(LIMIT, 'one run may have', door, true)).not.toContain('raise it');
  });
});

describe('stepwright run: chains of executions that start themselves', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'self-start-cli-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const written = (name: string, definition: JsonObject): string => {
    const file = path.join(dir, `${name}.asl.json`);
    fs.writeFileSync(file, JSON.stringify(definition));
    return file;
  };

  it('ends a .sync:2 chain at --open-executions, the Task failing with StepFunctions.ExecutionLimitExceededException', async () => {
    const { code, out } = await runNode([CLI_CHILD, 'run', written('sync', caught(UNNAMED_ARN)), '--open-executions', String(LIMIT), '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as { status: string; output: { error: string; cause: string } };
    expect(report.status).toBe('SUCCEEDED');
    expect(report.output.error).toBe(LIMIT_ERROR);
    expect(report.output.cause).toMatch(OPEN_CAUSE);
    expect(report.output.cause).not.toContain('raise it with');
  }, GUARD_MS + 10_000);

  it('ends, at stepwright\'s own bound, a chain of two machines of a template that start each other and run on after the run', async () => {
    const machine = (name: string, other: string): JsonObject => ({
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: name,
        RoleArn: 'arn:aws:iam::123456789012:role/chain',
        Definition: starting('arn:aws:states:::states:startExecution', {}, `arn:aws:states:us-east-1:123456789012:stateMachine:${other}`),
      },
    });
    const file = path.join(dir, 'ping-pong.template.json');
    fs.writeFileSync(file, JSON.stringify({ Resources: { Ping: machine('ping', 'pong'), Pong: machine('pong', 'ping') } }));
    const { code, out } = await runNode([CLI_CHILD, 'run', file, '--state-machine', 'ping', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ status: 'SUCCEEDED' });
  }, GUARD_MS + 10_000);

  it('ends an EXPRESS machine whose Parallel starts it twice, at --open-executions running EXPRESS executions', async () => {
    const { code, out } = await runNode([CLI_CHILD, 'run', written('fan-out', fanningOut('Parallel', UNNAMED_ARN)), '--type', 'EXPRESS', '--open-executions', String(LIMIT), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ status: 'SUCCEEDED' });
  }, GUARD_MS + 10_000);

  it.each(['0', '1.5', 'many', '1000001'])('refuses --open-executions %s, naming the flag and the values it takes', async (given) => {
    const { code, err } = await runNode([CLI_CHILD, 'run', written('refused', starting('arn:aws:states:::states:startExecution', {}, UNNAMED_ARN)), '--open-executions', given]);
    expect(code).toBe(2);
    expect(err).toContain(`--open-executions takes a whole number from 1 to 1000000 (AWS's quota of open executions), got '${given}'`);
  }, GUARD_MS + 10_000);
});

describe('MCP run: chains of executions that start themselves', () => {
  it('ends an EXPRESS machine whose Map starts it twice at openExecutionLimit running EXPRESS executions', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'self-start-mcp-'));
    const mcp = await startMcp(root);
    try {
      const answer = await mcp.call('run', { definition: fanningOut('Map', UNNAMED_ARN), type: 'EXPRESS', input: { items: [1, 2] }, openExecutionLimit: LIMIT });
      expect(answer.isError).toBeFalsy();
      expect(answer.structuredContent).toMatchObject({ status: 'SUCCEEDED' });
    } finally {
      await mcp.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, GUARD_MS + 10_000);

  it('ends a .sync:2 chain at openExecutionLimit, the Task failing with StepFunctions.ExecutionLimitExceededException', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'self-start-mcp-'));
    const mcp = await startMcp(root);
    try {
      const definition = caught(UNNAMED_ARN);
      const answer = await mcp.call('run', { definition, name: 'root', openExecutionLimit: LIMIT });
      expect(answer.isError).toBeFalsy();
      const report = answer.structuredContent as { status: string; output: { error: string; cause: string } };
      expect(report.status).toBe('SUCCEEDED');
      expect(report.output.error).toBe(LIMIT_ERROR);
      expect(report.output.cause).toMatch(OPEN_CAUSE);
      const refused = await mcp.call('run', { definition, openExecutionLimit: 0 });
      expect(refused.isError).toBe(true);
    } finally {
      await mcp.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, GUARD_MS + 10_000);
});
