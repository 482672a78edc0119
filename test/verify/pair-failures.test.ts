import type { StateMachineDefinition } from '../../src/asl';
import { Property, violationOf, type PathProperty } from '../../src/explore/properties';
import { PAIR_RUNS, TRIPLE_RUNS } from '../../src/explore/verify-failures';
import { LATE_RUNS } from '../../src/explore/verify-late';
import { delay, fail, succeed } from '../../src/testing';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { INNER_CAUGHT, nestedTask, reproduced, runThroughCli } from './verify-setup';

/*
 * Two Task failures together. verify fails one Task at a time from the lightest run that called
 * it; a property broken only when two Tasks fail in the same run (one in each branch of a
 * Parallel, the inner branch caught by a Catch of its own) stayed UNKNOWN. Where a property is
 * still open after the single failures, verify fails pairs of Tasks, the lightest first, within a
 * bound it states; each counterexample is minimized and run again as a test and
 * `stepwright run --mocks` would.
 */

stopExploreClock();

const task = nestedTask;

const innerCaught = INNER_CAUGHT;

/** Two branches, each Task caught to its own handler: only both failing enters both handlers. */
const twoCaught = {
  StartAt: 'Both',
  States: {
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Reserve', States: { Reserve: { ...task(), Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Release' }] }, Release: { Type: 'Pass', End: true } } },
        { StartAt: 'Charge', States: { Charge: { ...task(), Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Refund' }] }, Refund: { Type: 'Pass', End: true } } },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** Every run where each Task's one call succeeds or fails at once. */
async function atOnceRuns(def: StateMachineDefinition, tasks: readonly string[]): Promise<WorkflowRun[]> {
  const wf = Workflow.fromDefinition(def);
  const runs: WorkflowRun[] = [];
  for (let c = 0; c < 2 ** tasks.length; c++) {
    const mocks: Record<string, unknown> = {};
    tasks.forEach((t, i) => { mocks[t] = Math.floor(c / 2 ** i) % 2 === 1 ? fail('Boom') : succeed({}); });
    runs.push(await wf.run({}, { mocks: mocks as never }));
  }
  return runs;
}

describe('verify fails two Tasks together', () => {
  it('breaks precedes(A2, Handler), which only both Tasks failing breaks, and the counterexample reproduces through the harness and stepwright run', async () => {
    const runs = await atOnceRuns(innerCaught, ['A', 'D']);
    const p = Property.precedes('A2', 'Handler');
    // Only the run where both fail breaks it: the premise of the test.
    expect(runs.filter((r) => violationOf(p, r) !== undefined).length).toBe(1);
    const wf = Workflow.fromDefinition(innerCaught);
    const report = await wf.verify({ p });
    const verdict = report.properties.p;
    expect(verdict.verdict).toBe('VIOLATED');
    const { input, mocks, path: seen, minimized } = verdict.counterexample!;
    expect(Object.keys(mocks).sort()).toEqual(['A', 'D']);
    expect(minimized.taskCalls).toBe(2);
    expect(seen).not.toContain('A2');
    expect(seen).toContain('Handler');
    const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'pair') });
    expect(run.path).toEqual(seen);
    expect(violationOf(p, run)).toBeDefined();
    expect((await runThroughCli(innerCaught, input, mocks)).path).toEqual(seen);
  });

  it('finds every property a run of at-once answers breaks on both machines, and no HOLDS a run breaks', async () => {
    for (const [def, tasks] of [[innerCaught, ['A', 'D']], [twoCaught, ['Reserve', 'Charge']]] as const) {
      const runs = await atOnceRuns(def, tasks);
      const states = [...new Set(runs.flatMap((r) => r.path))];
      const props: Record<string, PathProperty> = {};
      for (const s of states) for (const t of states) if (s !== t) props[`precedes ${s} ${t}`] = Property.precedes(s, t);
      props.handlersApart = Property.run((r) => !(r.path.includes('Release') && r.path.includes('Refund')), 'never both handlers') as never;
      const report = await Workflow.fromDefinition(def).verify(props);
      for (const [name, p] of Object.entries(props)) {
        const broken = runs.some((r) => violationOf(p, r) !== undefined);
        const { verdict } = report.properties[name];
        if (broken) expect([name, verdict]).toEqual([name, 'VIOLATED']);
        else expect([name, verdict]).not.toEqual([name, 'VIOLATED']);
      }
    }
  });

  it('says in an UNKNOWN reason that the pairs were tried, and within which bound', async () => {
    // Nothing breaks it, and a function of the run is never proved: the reason says how far the search went.
    const report = await Workflow.fromDefinition(twoCaught).verify({ ok: (r: WorkflowRun) => r.status === 'SUCCEEDED' });
    const { verdict, reason } = report.properties.ok;
    expect(verdict).toBe('UNKNOWN');
    expect(reason).toMatch(new RegExp(`failures of two Tasks together: \\d+ runs? of at most ${PAIR_RUNS}`));
  });
});

describe('verify fails three Tasks together, and answers a Task late after a sibling branch\'s Wait', () => {
  const pass = (next?: string): Record<string, unknown> => (next ? { Type: 'Pass', Next: next } : { Type: 'Pass', End: true });
  const caught = (next: string, handler: string): Record<string, unknown> => ({ ...task(next), Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: handler }] });
  /** Three Tasks one after another, each caught by a handler of its own: the longest run has all three fail. */
  const threeCaught = {
    StartAt: 'A',
    States: {
      A: caught('B', 'AH'),
      AH: pass('B'),
      B: caught('C', 'BH'),
      BH: pass('C'),
      C: caught('Done', 'CH'),
      CH: pass('Done'),
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
  /** Three branches: two caught Tasks, and a Task after a 5 s Wait; a Task answering after it enters its next state after C. */
  const lateBranches = {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'A', States: { A: caught('A2', 'AH'), A2: pass(), AH: pass() } },
          { StartAt: 'B', States: { B: caught('B2', 'BH'), B2: pass(), BH: pass() } },
          { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, Next: 'C' }, C: task('C2'), C2: pass() } },
        ],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'H' }],
        Next: 'Done',
      },
      H: pass('Done'),
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;

  it('VIOLATES a bound only three failures together break, and the counterexample reproduces through the harness and stepwright run', async () => {
    const wf = Workflow.fromDefinition(threeCaught);
    // The premise: of the runs with answers at once, only the one where all three fail enters seven states.
    const runs = await atOnceRuns(threeCaught, ['A', 'B', 'C']);
    expect(runs.filter((r) => r.path.length > 6).map((r) => r.path)).toEqual([['A', 'AH', 'B', 'BH', 'C', 'CH', 'Done']]);
    const report = await wf.verify({ short: Property.maxTransitions(6), bounded: Property.maxTransitions(7) });
    expect(report.properties.bounded.verdict).toBe('HOLDS');
    const { run } = await reproduced(wf, threeCaught, report.properties.short, 'short');
    expect(run.path).toEqual(['A', 'AH', 'B', 'BH', 'C', 'CH', 'Done']);
    expect(Object.keys(report.properties.short.counterexample!.mocks).sort()).toEqual(['A', 'B', 'C']);
  });

  it('never HOLDS where a run with late answers or three failures breaks it, and VIOLATES what only a late answer breaks', async () => {
    const ANSWERS = [() => succeed({}), () => fail('Boom'), () => delay(10, succeed({})), () => delay(10, fail('Boom'))];
    const wf = Workflow.fromDefinition(lateBranches);
    const runs: WorkflowRun[] = [];
    for (let c = 0; c < 4 ** 3; c++) {
      runs.push(await wf.run({}, { mocks: { A: ANSWERS[c % 4](), B: ANSWERS[Math.floor(c / 4) % 4](), C: ANSWERS[Math.floor(c / 16) % 4]() } }));
    }
    const states = [...new Set(runs.flatMap((r) => r.path))];
    const props: Record<string, PathProperty> = {};
    for (const s of states) {
      props[`atMost ${s}`] = Property.atMost(s, 1);
      for (const t of states) if (t !== s) Object.assign(props, { [`precedes ${s} ${t}`]: Property.precedes(s, t), [`leadsTo ${s} ${t}`]: Property.leadsTo(s, [t]) });
    }
    const longest = Math.max(...runs.map((r) => r.path.length));
    Object.assign(props, { [`maxTransitions ${longest}`]: Property.maxTransitions(longest), [`maxTransitions ${longest - 1}`]: Property.maxTransitions(longest - 1) });
    const report = await wf.verify(props);
    const wrong = Object.entries(props).flatMap(([name, p]) => {
      const broken = runs.find((r) => violationOf(p, r) !== undefined);
      const { verdict } = report.properties[name];
      return (broken && verdict === 'HOLDS') || (!broken && verdict === 'VIOLATED') ? [`${name}: ${verdict}`] : [];
    });
    expect(wrong).toEqual([]);
    // A answering after C was entered, then A2: only a late answer breaks it. It was UNKNOWN
    // while verify answered every Task at once; A answering after the 5 s Wait breaks it.
    expect(runs.some((r) => r.path.indexOf('A2') > r.path.indexOf('C') && violationOf(props['leadsTo A2 C'], r) !== undefined)).toBe(true);
    expect((await atOnceRuns(lateBranches, ['A', 'B', 'C'])).some((r) => violationOf(props['leadsTo A2 C'], r) !== undefined)).toBe(false);
    const verdict = report.properties['leadsTo A2 C'];
    expect(verdict.verdict).toBe('VIOLATED');
    // A answers after the Wait (5 s): its mocks carry the Delay, which stepwright run and the harness read.
    expect(verdict.counterexample!.mocks.A).toEqual({ Delay: expect.any(Number), Return: expect.anything() });
    expect((verdict.counterexample!.mocks.A as { Delay: number }).Delay).toBeGreaterThan(5);
    const { run, cli } = await reproduced(wf, lateBranches, verdict, 'leadsTo A2 C');
    expect(run.path.indexOf('A2')).toBeGreaterThan(run.path.indexOf('C'));
    expect(cli.path).toEqual(run.path);
    // What stays UNKNOWN says how far the failures and the late answers went.
    const open = Object.values(report.properties).filter((v) => v.verdict === 'UNKNOWN');
    expect(open.length).toBeGreaterThan(0);
    for (const v of open) {
      expect(v.reason).toMatch(new RegExp(`failures of three Tasks together: \\d+ runs? of at most ${TRIPLE_RUNS} over 1 triple of Tasks`));
      expect(v.reason).toMatch(new RegExp(`late answers: \\d+ runs? of at most ${LATE_RUNS} over 3 Tasks, every one planned \\(each Task answering after every Wait, 6 s; one second before its TimeoutSeconds`));
    }
  });
});
