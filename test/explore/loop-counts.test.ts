import { machine } from './helpers';
import { allStates } from '../../src/asl/state-tree';
import { countedStates, failedCheck, scenarioChecks, writtenTests, type WrittenTest } from '../../src/workbench/scaffold/checks';

/*
 * Issue 77, explore round 4: the tests explore writes pin how often a loop ran (the visits of each
 * top-level state a run enters more than once), so that a counter's bound changed by one is told
 * apart; a loop the time bounds is left unpinned, since its turns follow how long AWS takes.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:draft';

/** Drafts until the score passes or the counter reaches `limit`; `deadline` adds a time bound to the loop. */
function drafts(limit: number, deadline = false) {
  const more = deadline ? ' and $toMillis($now()) < $toMillis($states.context.Execution.StartTime) + 3600000' : '';
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Begin',
    States: {
      'Begin': { Type: 'Pass', Assign: { attempt: 0 }, Next: 'Draft' },
      'Draft': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: FN, Payload: { attempt: '{% $attempt %}' } },
        Assign: { attempt: '{% $attempt + 1 %}', score: '{% $states.result.Payload.score %}' },
        Next: 'Good enough?',
      },
      'Good enough?': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $score >= 8 %}', Next: 'Publish' },
          { Condition: `{% $attempt < ${limit}${more} %}`, Next: 'Wait a bit' },
        ],
        Default: 'Give up',
      },
      'Wait a bit': { Type: 'Wait', Seconds: 5, Next: 'Draft' },
      'Publish': { Type: 'Succeed' },
      'Give up': { Type: 'Fail', Error: 'Draft.NotGoodEnough' },
    },
  };
}

/** Whether one written test fails on a machine: its run is refused, or a check does not pass. */
async function killed(tests: readonly WrittenTest[], def: object): Promise<boolean> {
  const wf = machine(def);
  for (const t of tests) {
    const run = await wf.run(t.scenario.input, { mocks: t.mocks }).catch(() => undefined);
    if (run === undefined || failedCheck(t.checks, run) !== undefined) return true;
  }
  return false;
}

describe('the tests explore writes for a loop', () => {
  it('pin how often the loop ran, so that a counter bound changed by one fails them', async () => {
    const wf = machine(drafts(3));
    const report = await wf.explore();
    const tests = writtenTests(report, wf.definition);
    const givingUp = tests.find((t) => t.scenario.path.includes('Give up'))!;
    expect(givingUp.checks).toContainEqual({ kind: 'visits', state: 'Draft', times: 3 });
    // They pass on the machine they were written for, and fail on the bound one more or one less.
    expect(await killed(tests, drafts(3))).toBe(false);
    expect(await killed(tests, drafts(4))).toBe(true);
    expect(await killed(tests, drafts(2))).toBe(true);
  });

  it('leave the turns of a loop the time also bounds unpinned ($now())', async () => {
    const wf = machine(drafts(3, true));
    const report = await wf.explore();
    const tests = writtenTests(report, wf.definition);
    expect(tests.some((t) => t.scenario.path.filter((p) => p === 'Draft').length > 1)).toBe(true);
    expect(tests.flatMap((t) => t.checks).filter((c) => c.kind === 'visits')).toEqual([]);
  });

  it('pin the visits of a Map\'s iteration states when no failure stopped the Map, and only the top level\'s when one did', () => {
    const def = {
      StartAt: 'Score',
      States: {
        Score: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Good?',
            States: {
              'Good?': { Type: 'Choice', Choices: [{ Variable: '$.stars', NumericGreaterThan: 3, Next: 'Pin' }], Default: 'Keep' },
              'Pin': { Type: 'Pass', End: true },
              'Keep': { Type: 'Pass', End: true },
            },
          },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Report' }],
          Next: 'Report',
        },
        Report: { Type: 'Succeed' },
      },
    };
    const definition = machine(def).definition;
    const states = allStates(definition);
    const path = ['Score', 'Good?', 'Pin', 'Good?', 'Pin', 'Good?', 'Keep', 'Report'];
    const base = { name: 's', input: {}, mocks: {}, path, status: 'SUCCEEDED' as const, output: {} };
    const visits = (covers: object) => scenarioChecks({ ...base, covers }, states, countedStates(definition)).filter((c) => c.kind === 'visits');
    expect(visits({})).toEqual([{ kind: 'visits', state: 'Good?', times: 3 }, { kind: 'visits', state: 'Pin', times: 2 }]);
    expect(visits({ catches: ['Score#0'] })).toEqual([]);
  });
});

