import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lambdaTask, reproduced, secondsOf } from './verify-setup';
import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { LATE_ORDER_RUNS, LATE_PAIR_RUNS, LATE_RUNS } from '../../src/explore/verify-late';
import { Workflow } from '../../src/testing/workflow';
import { cli } from '../cli/run-cli';
import { stopExploreClock } from '../explore-clock';
import { requireCompiledLibrary, runJest } from '../workbench/scaffold/consumer';

/*
 * Late answers. verify answered every Task at once, so what only a late answer breaks stayed
 * UNKNOWN: a Parallel branch's Task answering after a sibling branch's Wait, a Task timing out at
 * its TimeoutSeconds (States.Timeout, which AWS raises itself: "If the task runs longer than the
 * specified seconds, this state fails with a States.Timeout error", state-task), a seconds bound a
 * slow Task breaks. Where a property is still open after the failures, verify answers each Task
 * late (after every Wait, just within its TimeoutSeconds, at it) and every Task late together,
 * within a bound it states; a counterexample carries the Delay in its mocks and reproduces through
 * the harness, `stepwright run --mocks` and a written jest test.
 */

stopExploreClock();

/** A 5 s Wait then A in one branch; Task B (TimeoutSeconds 60) then B2 in the other. */
const BRANCHES = {
  StartAt: 'Both',
  States: {
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, Next: 'A' }, A: { Type: 'Pass', End: true } } },
        { StartAt: 'B', States: { B: lambdaTask('B2', { ResultPath: null, TimeoutSeconds: 60 }), B2: { Type: 'Pass', End: true } } },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** One Task with no TimeoutSeconds: it may answer at any time. */
const UNTIMED = { StartAt: 'Slow', States: { Slow: lambdaTask('Done', { ResultPath: null }), Done: { Type: 'Succeed' } } } as unknown as StateMachineDefinition;

/** `count` Tasks T0, T1, … side by side in a Parallel, each with TimeoutSeconds 10. */
const sideBySide = (count: number): StateMachineDefinition => ({
  StartAt: 'All',
  States: {
    All: {
      Type: 'Parallel',
      Branches: Array.from({ length: count }, (_, i) => ({ StartAt: `T${i}`, States: { [`T${i}`]: lambdaTask(undefined, { ResultPath: null, TimeoutSeconds: 10 }) } })),
      End: true,
    },
  },
}) as unknown as StateMachineDefinition;

const PROPERTIES = {
  // Answered at once, B2 comes at 0 s, before A at 5 s: only B answering after the Wait breaks it.
  b2BeforeA: Property.precedes('B2', 'A'),
  // The definition bounds a run at 60 s (B's TimeoutSeconds): B answering at 59 s breaks 30.
  quick: Property.maxSeconds(30),
  bounded: Property.maxSeconds(60),
  // B timing out at 60 s fails the run with States.Timeout.
  noTimeout: (run: { error?: string }) => run.error !== 'States.Timeout',
};

describe('verify answers Tasks late', () => {
  it('VIOLATES what only a late answer breaks, and each counterexample carries its Delay and reproduces through the harness and stepwright run', async () => {
    const wf = Workflow.fromDefinition(BRANCHES);
    // The premise: answered at once, no run breaks them.
    const atOnce = await wf.run({}, { mocks: { B: {} } });
    expect(atOnce.path.indexOf('B2')).toBeLessThan(atOnce.path.indexOf('A'));
    const report = await wf.verify(PROPERTIES);
    expect(report.properties.bounded).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining('no run lasts more than 60 s') });

    const order = report.properties.b2BeforeA;
    expect((order.counterexample!.mocks.B as { Delay: number }).Delay).toBeGreaterThan(5);
    const { run } = await reproduced(wf, BRANCHES, order, 'b2BeforeA');
    expect(run.path.indexOf('A')).toBeLessThan(run.path.indexOf('B2'));

    // B answering at 59 s, or timing out at 60 s: either lasts more than 30 s.
    const quick = report.properties.quick;
    const { Delay: seconds } = quick.counterexample!.mocks.B as { Delay: number };
    expect([59, 60]).toContain(seconds);
    const slow = await reproduced(wf, BRANCHES, quick, 'quick');
    expect(secondsOf(slow.run)).toBe(seconds);
    expect(secondsOf(slow.cli)).toBe(seconds);

    const timedOut = report.properties.noTimeout;
    expect(timedOut.counterexample).toMatchObject({ status: 'FAILED', error: 'States.Timeout', mocks: { B: { Delay: 60 } } });
    const late = await reproduced(wf, BRANCHES, timedOut, 'noTimeout');
    expect(late.run.error).toBe('States.Timeout');
    expect(secondsOf(late.run)).toBe(60);
  });

  it('keeps a seconds bound over a Task with no TimeoutSeconds UNKNOWN, saying how late it answered it', async () => {
    const report = await Workflow.fromDefinition(UNTIMED).verify({ tenSeconds: Property.maxSeconds(10) });
    expect(report.properties.tenSeconds.verdict).toBe('UNKNOWN');
    expect(report.properties.tenSeconds.reason).toContain("Task 'Slow' has no TimeoutSeconds the definition fixes");
    expect(report.properties.tenSeconds.reason).toContain(`late answers: 1 run of at most ${LATE_RUNS} over 1 Task, every one planned (each Task answering after every Wait, 1 s;`);
  });

  it('answers a request-response call no later than a Lambda function may run (900 s), a callback up to its TimeoutSeconds', async () => {
    const hour = (resource: string, extra: Record<string, unknown> = {}): StateMachineDefinition => ({
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: resource, TimeoutSeconds: 3600, ResultPath: null, ...extra, Next: 'Done' }, Done: { Type: 'Succeed' } },
    }) as unknown as StateMachineDefinition;
    // A run that succeeds does so within 1000 s: only an answer later than that, in time, breaks it.
    const properties = {
      succeedsQuickly: (run: { status: string; startDate: Date; stopDate: Date }) => run.status !== 'SUCCEEDED' || secondsOf(run) <= 1000,
      underFifteen: Property.maxSeconds(800),
    };
    const invoke = await Workflow.fromDefinition(hour('arn:aws:lambda:us-east-1:123456789012:function:f')).verify(properties);
    // A function ends by 900 s: no run it makes succeeds after 1000 s, though the Task's TimeoutSeconds is an hour.
    expect(invoke.properties.succeedsQuickly.verdict).toBe('UNKNOWN');
    expect(invoke.properties.underFifteen.counterexample!.mocks.Call).toEqual({ Delay: 900, Return: expect.anything() });
    const callback = hour('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } } });
    const waited = await Workflow.fromDefinition(callback).verify(properties);
    expect(waited.properties.succeedsQuickly.counterexample!.mocks.Call).toEqual({ Delay: 3599, Return: expect.anything() });
    const { run } = await reproduced(Workflow.fromDefinition(callback), callback, waited.properties.succeedsQuickly, 'succeedsQuickly');
    expect([run.status, secondsOf(run)]).toEqual(['SUCCEEDED', 3599]);
  });

  it('runs the late answers the mocks give ({"Delay": …}), as stepwright run does', async () => {
    const mocks = { Slow: { Delay: 30, Return: { ok: true } } };
    const report = await Workflow.fromDefinition(UNTIMED).verify({ tenSeconds: Property.maxSeconds(10) }, { mocks });
    expect(report.properties.tenSeconds.verdict).toBe('VIOLATED');
    expect(report.properties.tenSeconds.counterexample!.mocks).toEqual(mocks);
    const { run } = await reproduced(Workflow.fromDefinition(UNTIMED), UNTIMED, report.properties.tenSeconds, 'tenSeconds');
    expect(secondsOf(run)).toBe(30);
  });

  it(`makes at most ${LATE_RUNS} runs of late answers, and says where it stopped`, async () => {
    const report = await Workflow.fromDefinition(sideBySide(11)).verify({ anything: () => true });
    // Four runs per Task (after the Waits, one second before its timeout, at it on every call and
    // on the first), and every Task late together from each of the two lightest runs of the search.
    expect(report.properties.anything.reason).toContain(`late answers: ${LATE_RUNS} runs of at most ${LATE_RUNS} over 11 Tasks, cut at that bound of 46 planned`);
  });
});

/**
 * Two Tasks late at different times: A (TimeoutSeconds 10, its timeout caught to HA) in one branch,
 * B (TimeoutSeconds 60) then Y in the other. HA comes before Y only when A times out at 10 s while
 * B answers later, in time: one Task late alone, both late together, or both failing, never do it.
 */
const PAIRED = {
  StartAt: 'Both',
  States: {
    Both: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'A',
          States: {
            A: lambdaTask('X', { ResultPath: null, TimeoutSeconds: 10, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'HA' }] }),
            X: { Type: 'Pass', End: true },
            HA: { Type: 'Pass', End: true },
          },
        },
        { StartAt: 'B', States: { B: lambdaTask('Y', { ResultPath: null, TimeoutSeconds: 60 }), Y: { Type: 'Pass', End: true } } },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** An activity (a task token) with HeartbeatSeconds and no TimeoutSeconds, or with both, `then` after it. */
const beating = (fields: Record<string, unknown>): StateMachineDefinition => ({
  StartAt: 'Work',
  States: {
    Work: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:work', ResultPath: null, ...fields, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
}) as unknown as StateMachineDefinition;

describe('verify answers two Tasks late at different times, and lets a heartbeat lapse', () => {
  it('VIOLATES what only two Tasks late at different times break, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(PAIRED);
    const report = await wf.verify({ yBeforeHA: Property.precedes('Y', 'HA') });
    const v = report.properties.yBeforeHA;
    // A times out at its 10 s; B answers after that, in time (one second before its 60 s).
    expect(v.counterexample!.mocks).toEqual({ A: { Delay: 10, Return: expect.anything() }, B: { Delay: 59, Return: expect.anything() } });
    const { run, cli: out } = await reproduced(wf, PAIRED, v, 'yBeforeHA');
    expect(run.path.indexOf('HA')).toBeLessThan(run.path.indexOf('Y'));
    expect([secondsOf(run), secondsOf(out)]).toEqual([59, 59]);
  });

  it(`makes at most ${LATE_PAIR_RUNS} runs of two Tasks late, and says where it stopped`, async () => {
    const report = await Workflow.fromDefinition(sideBySide(4)).verify({ anything: () => true });
    // Each Task's four ways (1 s, 9 s, timed out at 10 s on every call, on the first) against the
    // other's of a different delay: 10 per pair, over 6 pairs.
    expect(report.properties.anything.reason).toContain(`two Tasks late at different times: ${LATE_PAIR_RUNS} runs of at most ${LATE_PAIR_RUNS} over 6 pairs of Tasks, cut at that bound of 60 planned`);
  });

  it('lets the heartbeat of a Task with HeartbeatSeconds and no TimeoutSeconds lapse, and the counterexample reproduces', async () => {
    // An activity whose worker sends no heartbeat fails HeartbeatSeconds after it started:
    // States.HeartbeatTimeout (the Task state page: "If more time than the specified seconds
    // elapses between heartbeats from the task, this state fails").
    const def = beating({ HeartbeatSeconds: 30 });
    const wf = Workflow.fromDefinition(def);
    const report = await wf.verify({ failsOnlyAsTold: Property.endsWith({ errors: ['States.TaskFailed', 'States.Timeout'] }) });
    const v = report.properties.failsOnlyAsTold;
    expect(v.counterexample).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout', mocks: { Work: { Delay: 30 } } });
    const { run, cli: out } = await reproduced(wf, def, v, 'failsOnlyAsTold');
    expect([run.error, secondsOf(run), secondsOf(out)]).toEqual(['States.HeartbeatTimeout', 30, 30]);
  });

  it('answers a Task with HeartbeatSeconds in time one second before them, since the mocks send no heartbeat', async () => {
    const def = beating({ HeartbeatSeconds: 30, TimeoutSeconds: 300 });
    const wf = Workflow.fromDefinition(def);
    // A run that succeeds does so within 28 s: only an answer at 29 s breaks it (at 30 s the heartbeat lapses).
    const report = await wf.verify({ succeedsQuickly: (run: { status: string; startDate: Date; stopDate: Date }) => run.status !== 'SUCCEEDED' || secondsOf(run) <= 28 });
    const v = report.properties.succeedsQuickly;
    expect(v.counterexample!.mocks).toEqual({ Work: { Delay: 29, Return: expect.anything() } });
    const { run } = await reproduced(wf, def, v, 'succeedsQuickly');
    expect([run.status, secondsOf(run)]).toEqual(['SUCCEEDED', 29]);
  });
});

/**
 * Three Tasks late in one order: A, B and C (TimeoutSeconds 60 each) in three branches, a 5 s
 * Wait then W2 in a fourth. W2, B2, C2, A2 in that order come only when all three answer after
 * the Wait, B first, then C, then A: one Task late, two late (the third answers at once, before
 * the Wait) or all late together (one second before their timeouts, at once) never do it.
 */
const ORDERED = {
  StartAt: 'All',
  States: {
    All: {
      Type: 'Parallel',
      Branches: [
        ...['A', 'B', 'C'].map((n) => ({ StartAt: n, States: { [n]: lambdaTask(`${n}2`, { ResultPath: null, TimeoutSeconds: 60 }), [`${n}2`]: { Type: 'Pass', End: true } } })),
        { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, Next: 'W2' }, W2: { Type: 'Pass', End: true } } },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

describe('verify answers three or more Tasks late in each order', () => {
  it('VIOLATES what only three Tasks answering in one order break, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(ORDERED);
    const inOrder = (run: { path: readonly string[] }): boolean => {
      const at = ['W2', 'B2', 'C2', 'A2'].map((s) => run.path.indexOf(s));
      return at.every((x, i) => i === 0 || at[i - 1] < x);
    };
    const report = await wf.verify({ neverInOrder: (run: { path: readonly string[] }) => !inOrder(run) });
    const v = report.properties.neverInOrder;
    expect(v.verdict).toBe('VIOLATED');
    const delays = ['A', 'B', 'C'].map((n) => (v.counterexample!.mocks[n] as { Delay: number }).Delay);
    // B after the Wait, C after B, A last.
    expect(5 < delays[1] && delays[1] < delays[2] && delays[2] < delays[0]).toBe(true);
    const { run, cli: out } = await reproduced(wf, ORDERED, v, 'neverInOrder');
    expect(inOrder(run)).toBe(true);
    expect([secondsOf(run), secondsOf(out)]).toEqual([delays[0], delays[0]]);
  });

  it(`makes at most ${LATE_ORDER_RUNS} runs of Tasks late in each order, and says where it stopped`, async () => {
    const report = await Workflow.fromDefinition(sideBySide(4)).verify({ anything: () => true });
    // Four triples of Tasks in each of 6 orders, and the four Tasks in each of 24 orders.
    expect(report.properties.anything.reason).toContain(`Tasks late in each order: ${LATE_ORDER_RUNS} runs of at most ${LATE_ORDER_RUNS} over 5 sets of three or more Tasks side by side, cut at that bound of 48 planned`);
  });
});

/**
 * A worker that sends a heartbeat, then goes quiet: A callback in one branch (HeartbeatSeconds 30,
 * its lapse caught to Lapsed), a 45 s Wait then W2 in the other. A worker that never sends a
 * heartbeat lapses at 30 s, before W2; one that sends one at 29 s lapses at 59 s, after it.
 */
const RACING = {
  StartAt: 'Both',
  States: {
    Both: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Work',
          States: {
            Work: {
              Type: 'Task',
              Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
              HeartbeatSeconds: 30,
              ResultPath: null,
              Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
              Catch: [{ ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'], Next: 'Lapsed' }],
              Next: 'Worked',
            },
            Worked: { Type: 'Pass', End: true },
            Lapsed: { Type: 'Pass', End: true },
          },
        },
        { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 45, Next: 'W2' }, W2: { Type: 'Pass', End: true } } },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

describe('verify has a worker send a heartbeat and then go quiet', () => {
  it('VIOLATES what only a heartbeat then a lapse breaks (a failure later than HeartbeatSeconds), and the counterexample reproduces', async () => {
    // An activity (HeartbeatSeconds 30, TimeoutSeconds 300) lapsing later than 30 s: only a
    // worker that sends a heartbeat and then none lapses later (the Task state page: "If more
    // time than the specified seconds elapses between heartbeats from the task, this state fails").
    const def = beating({ HeartbeatSeconds: 30, TimeoutSeconds: 300 });
    const wf = Workflow.fromDefinition(def);
    const report = await wf.verify({
      lapsesQuickly: (run: { error?: string; startDate: Date; stopDate: Date }) => run.error !== 'States.HeartbeatTimeout' || secondsOf(run) <= 30,
      // Beating every 29 s, the worker answers at 299 s, in time: a run that succeeds lasts that long.
      succeedsQuickly: (run: { status: string; startDate: Date; stopDate: Date }) => run.status !== 'SUCCEEDED' || secondsOf(run) <= 100,
    });
    const v = report.properties.lapsesQuickly;
    expect(v.counterexample).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout', mocks: { Work: { Delay: 59, Heartbeats: [29] } } });
    const { run, cli: out } = await reproduced(wf, def, v, 'lapsesQuickly');
    expect([run.error, secondsOf(run), secondsOf(out)]).toEqual(['States.HeartbeatTimeout', 59, 59]);
    const long = report.properties.succeedsQuickly;
    expect(long.counterexample).toMatchObject({ status: 'SUCCEEDED', mocks: { Work: { Delay: 299, Heartbeats: Array.from({ length: 10 }, (_, k) => 29 * (k + 1)) } } });
    const slow = await reproduced(wf, def, long, 'succeedsQuickly');
    expect([slow.run.status, secondsOf(slow.run), secondsOf(slow.cli)]).toEqual(['SUCCEEDED', 299, 299]);
  });

  it('VIOLATES an order only a heartbeat then a lapse makes (the lapse after a sibling Wait), and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(RACING);
    const lapsedFirst = (run: { path: readonly string[] }): boolean => !run.path.includes('Lapsed') || run.path.indexOf('Lapsed') < run.path.indexOf('W2');
    const report = await wf.verify({ lapsedFirst });
    const v = report.properties.lapsedFirst;
    expect(v.counterexample).toMatchObject({ mocks: { Work: { Delay: 59, Heartbeats: [29] } } });
    const { run, cli: out } = await reproduced(wf, RACING, v, 'lapsedFirst');
    expect(lapsedFirst(run)).toBe(false);
    expect([secondsOf(run), secondsOf(out)]).toEqual([59, 59]);
  });
});

describe('stepwright verify --write-tests with a late answer', () => {
  let dir: string;
  beforeAll(() => {
    requireCompiledLibrary();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-late-'));
    fs.writeFileSync(path.join(dir, 'branches.asl.json'), JSON.stringify(BRANCHES));
    fs.writeFileSync(path.join(dir, 'branches.properties.js'), [
      "exports.b2BeforeA = { kind: 'precedes', first: 'B2', then: 'A' };",
      "exports.quick = { kind: 'maxSeconds', limit: 30 };",
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'racing.asl.json'), JSON.stringify(RACING));
    fs.writeFileSync(path.join(dir, 'racing.properties.js'),
      "exports.lapsedFirst = (run) => !run.path.includes('Lapsed') || run.path.indexOf('Lapsed') < run.path.indexOf('W2');\n");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints each counterexample with its Delay (and Heartbeats), and writes tests that run it with delay() and pass under jest', async () => {
    const file = path.join(dir, 'branches.verify.explore.test.ts');
    const r = await cli('verify', path.join(dir, 'branches.asl.json'), '--property', path.join(dir, 'branches.properties.js'), '--json', '--write-tests', file);
    expect(r.code).toBe(1);
    const verdicts = JSON.parse(r.out) as Record<string, { verdict: string; counterexample: { mocks: Record<string, { Delay?: number }> } }>;
    expect(Object.values(verdicts).map((v) => v.verdict)).toEqual(['VIOLATED', 'VIOLATED']);
    const seconds = verdicts.quick.counterexample.mocks.B.Delay;
    expect([59, 60]).toContain(seconds);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(`B: delay(${seconds}, succeed(`);
    // A worker that sends a heartbeat at 29 s and then none: delay(59, …, { heartbeats: [29] }).
    const racing = path.join(dir, 'racing.verify.explore.test.ts');
    const beat = await cli('verify', path.join(dir, 'racing.asl.json'), '--property', path.join(dir, 'racing.properties.js'), '--json', '--write-tests', racing);
    expect(beat.code).toBe(1);
    expect(JSON.parse(beat.out).lapsedFirst.counterexample.mocks.Work).toMatchObject({ Delay: 59, Heartbeats: [29] });
    expect(fs.readFileSync(racing, 'utf8')).toMatch(/Work: delay\(59, succeed\([^]*\), \{ heartbeats: \[29\] \}\)/);
    const results = await runJest(dir);
    expect(results.map((f) => [f.file, f.status, f.passed, f.failed]).sort()).toEqual([
      ['branches.verify.explore.test.ts', 'passed', 2, 0],
      ['racing.verify.explore.test.ts', 'passed', 1, 0],
    ]);
  }, 180_000);

  it('says, printing a counterexample whose worker sends heartbeats, that only the --mocks format carries them', async () => {
    // AWS's MockConfigFile entry holds a Return or a Throw and nothing else (Configuration file
    // for mocked service integrations): the Heartbeats field is the --mocks table's own.
    const r = await cli('verify', path.join(dir, 'racing.asl.json'), '--property', path.join(dir, 'racing.properties.js'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/mocks: \{"Work":\{"Delay":59,"Heartbeats":\[29\]/);
    expect(r.out).toContain("(the --mocks format carries 'Work''s Heartbeats: a MockConfigFile has no field for them)");
    // One without heartbeats says nothing of the kind.
    const plain = await cli('verify', path.join(dir, 'branches.asl.json'), '--property', path.join(dir, 'branches.properties.js'));
    expect(plain.code).toBe(1);
    expect(plain.out).toMatch(/mocks: \{"B":\{"Delay"/);
    expect(plain.out).not.toContain('Heartbeats');
  }, 60_000);
});
