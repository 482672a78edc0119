import type { StateMachineDefinition } from '../../src/asl';
import { Property, violationOf, type PathProperty } from '../../src/explore/properties';
import type { VerifyReport } from '../../src/explore/verify';
import { delay, fail, succeed } from '../../src/testing';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { INNER_CAUGHT, LAMBDA, nestedTask, reproduced } from './verify-setup';

/*
 * A branch that fails inside a nested Parallel: a Parallel in a Parallel's branch (with and
 * without a Catch of its own) and a Parallel in a Map's iteration. When one branch fails, AWS
 * stops its siblings and the failure goes out through every level that does not catch it, so the
 * states entered, their order and the seconds depend on which answer comes first. Each machine is
 * run with every answer its Tasks' calls may get (at once or 10 s late, succeeding or failing),
 * and verify's verdicts on counters (atMost, maxTransitions, maxSeconds) and orders (precedes,
 * leadsTo) over every pair of its states are checked against those runs: never a HOLDS some run
 * breaks, never a VIOLATED none does. verify once failed a Task called in each iteration of a
 * Map on its first call only, so the run where every iteration fails (no iteration gets past the
 * Parallel) was never made and what it breaks stayed UNKNOWN.
 */

stopExploreClock();

const task = nestedTask;

const MACHINES: Record<string, { def: StateMachineDefinition; tasks: string[]; calls: number }> = {
  parallelInParallel: {
    tasks: ['A', 'D'],
    calls: 1,
    def: {
      StartAt: 'Outer',
      States: {
        Outer: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Inner',
              States: {
                Inner: {
                  Type: 'Parallel',
                  Branches: [
                    { StartAt: 'A', States: { A: task('A2'), A2: { Type: 'Pass', End: true } } },
                    { StartAt: 'B', States: { B: { Type: 'Pass', Next: 'B2' }, B2: { Type: 'Wait', Seconds: 5, End: true } } },
                  ],
                  Next: 'After',
                },
                After: { Type: 'Pass', End: true },
              },
            },
            { StartAt: 'C', States: { C: { Type: 'Pass', Next: 'D' }, D: task() } },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Handler' }],
          Next: 'Done',
        },
        Handler: { Type: 'Pass', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition,
  },
  innerCaught: { tasks: ['A', 'D'], calls: 1, def: INNER_CAUGHT },
  parallelInMap: {
    tasks: ['A'],
    calls: 2,
    def: {
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          Items: [1, 2],
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Par',
            States: {
              Par: {
                Type: 'Parallel',
                Branches: [
                  { StartAt: 'A', States: { A: { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'f', Payload: '{% $states.input %}' }, Output: '{% $states.input %}', TimeoutSeconds: 20, Next: 'A2' }, A2: { Type: 'Pass', End: true } } },
                  { StartAt: 'B', States: { B: { Type: 'Pass', Next: 'B2' }, B2: { Type: 'Wait', Seconds: 5, End: true } } },
                ],
                Next: 'After',
              },
              After: { Type: 'Pass', End: true },
            },
          },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handler' }],
          Next: 'Done',
        },
        Handler: { Type: 'Pass', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition,
  },
};

function statesOf(def: StateMachineDefinition): string[] {
  const out: string[] = [];
  const walk = (m: { States: Record<string, Record<string, unknown>> }): void => {
    for (const [n, s] of Object.entries(m.States)) {
      out.push(n);
      for (const b of (s.Branches as typeof m[] | undefined) ?? []) walk(b);
      if (s.ItemProcessor) walk(s.ItemProcessor as typeof m);
    }
  };
  walk(def as unknown as { States: Record<string, Record<string, unknown>> });
  return out;
}

/**
 * Each answer a Task call may get: at once, 10 s late (after the 5 s Wait) or 19 s late (the last
 * second before the Tasks' TimeoutSeconds of 20), succeeding or failing; or at 20 s, timing out.
 * verify answers late too (after every Wait, just in time, at the timeout): each of its late runs
 * is one of these, so a VIOLATED none of these runs breaks would be wrong.
 */
const ANSWERS = [
  () => succeed({}), () => fail('Boom'), () => delay(10, succeed({})), () => delay(10, fail('Boom')),
  () => delay(19, succeed({})), () => delay(19, fail('Boom')), () => delay(20, succeed({})),
];

/** A run for every way the Tasks' calls (each Task called at most `calls` times) may be answered, with the first `kinds` of ANSWERS. */
async function allRuns(def: StateMachineDefinition, tasks: string[], calls: number, kinds = ANSWERS.length): Promise<WorkflowRun[]> {
  const wf = Workflow.fromDefinition(def);
  const runs: WorkflowRun[] = [];
  const slots = tasks.length * calls;
  for (let c = 0; c < kinds ** slots; c++) {
    const mocks: Record<string, unknown[]> = {};
    tasks.forEach((t, i) => {
      mocks[t] = Array.from({ length: calls }, (_, k) => ANSWERS[Math.floor(c / kinds ** (i * calls + k)) % kinds]());
    });
    runs.push(await wf.run({}, { mocks: mocks as never }));
  }
  return runs;
}

/** A property for every counter at and under the most the runs reach, and every order between two states. */
function propertiesFor(def: StateMachineDefinition, runs: readonly WorkflowRun[]): Record<string, PathProperty> {
  const states = statesOf(def);
  const props: Record<string, PathProperty> = {};
  for (const s of states) {
    const most = Math.max(...runs.map((r) => r.path.filter((x) => x === s).length));
    props[`atMost ${s} ${most}`] = Property.atMost(s, most);
    if (most > 0) props[`atMost ${s} ${most - 1}`] = Property.atMost(s, most - 1);
    for (const t of states) {
      if (t === s) continue;
      props[`precedes ${s} ${t}`] = Property.precedes(s, t);
      props[`leadsTo ${s} ${t}`] = Property.leadsTo(s, [t]);
    }
  }
  const longest = Math.max(...runs.map((r) => r.path.length));
  props[`maxTransitions ${longest}`] = Property.maxTransitions(longest);
  props[`maxTransitions ${longest - 1}`] = Property.maxTransitions(longest - 1);
  const seconds = Math.max(...runs.map((r) => (r.stopDate.getTime() - r.startDate.getTime()) / 1000));
  props[`maxSeconds ${seconds}`] = Property.maxSeconds(seconds);
  props[`maxSeconds ${seconds - 1}`] = Property.maxSeconds(seconds - 1);
  return props;
}

/** Where verify's verdicts and the runs disagree: a HOLDS a run breaks, a VIOLATED none does. */
function disagreements(report: VerifyReport, props: Record<string, PathProperty>, runs: readonly WorkflowRun[]): string[] {
  const out: string[] = [];
  for (const [name, p] of Object.entries(props)) {
    const broken = runs.find((r) => violationOf(p, r) !== undefined);
    const v = report.properties[name];
    if (broken && v.verdict === 'HOLDS') out.push(`${name}: HOLDS, but ${broken.status} ${broken.path.join(',')} breaks it`);
    if (!broken && v.verdict === 'VIOLATED') out.push(`${name}: VIOLATED (${v.reason}), but no run breaks it`);
  }
  return out;
}

describe.each(Object.entries(MACHINES))('a failed branch in %s', (_name, { def, tasks, calls }) => {
  it('never HOLDS where a run breaks it, never VIOLATED where none does, counters and orders alike', async () => {
    const runs = await allRuns(def, tasks, calls);
    const props = propertiesFor(def, runs);
    const report = await Workflow.fromDefinition(def).verify(props);
    expect(disagreements(report, props, runs)).toEqual([]);
    // The counts are tight: each state's most entries over the runs is proved, and so is one fewer broken.
    for (const s of statesOf(def)) {
      const most = Math.max(...runs.map((r) => r.path.filter((x) => x === s).length));
      expect([s, report.properties[`atMost ${s} ${most}`].verdict]).toEqual([s, 'HOLDS']);
      if (most > 0) expect([s, report.properties[`atMost ${s} ${most - 1}`].verdict]).toEqual([s, 'VIOLATED']);
    }
    // And so is the length: the most states a run enters is proved, not one more (one fewer only a
    // late answer breaks, which the search does not vary: never HOLDS, as disagreements checks).
    const longest = Math.max(...runs.map((r) => r.path.length));
    expect(report.properties[`maxTransitions ${longest}`].verdict).toBe('HOLDS');
  });
});

describe('a Task failed in every iteration of a Map around a Parallel', () => {
  it('is VIOLATED where only every iteration failing breaks it, and the counterexample reproduces through the harness and stepwright run', async () => {
    const { def, tasks, calls } = MACHINES.parallelInMap;
    const atOnce = await allRuns(def, tasks, calls, 2);
    const props = propertiesFor(def, atOnce);
    const report = await Workflow.fromDefinition(def).verify(props);
    // Every property a run with answers at once breaks is VIOLATED: A2 never entered, in no iteration.
    const missed = Object.entries(props).filter(([name, p]) => atOnce.some((r) => violationOf(p, r) !== undefined) && report.properties[name].verdict !== 'VIOLATED');
    expect(missed.map(([name]) => name)).toEqual([]);
    const verdict = report.properties['precedes A2 Done'];
    expect(verdict.counterexample!.path).not.toContain('A2');
    await reproduced(Workflow.fromDefinition(def), def, verdict, 'every');
  });
});
