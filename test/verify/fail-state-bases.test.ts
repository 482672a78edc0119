import type { StateMachineDefinition } from '../../src/asl';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';

/*
 * The answer probes change the answers of runs that went the machine's way. A rule negated (here
 * "no risk score" written as `$exists($riskScore)`) may leave no run that succeeds: every run
 * with a score ends at the Fail state the rule names, every run without one fails on the Assign.
 * A run a Fail state ended went the machine's way too, and its answers are changed as well.
 */

stopExploreClock();

interface RunLike {
  readonly error?: string;
  readonly attempts: (s: string) => ReadonlyArray<{ output?: unknown }>;
}

const screening = {
  QueryLanguage: 'JSONata',
  StartAt: 'Screen',
  States: {
    'Screen': {
      Type: 'Parallel',
      Branches: [{
        StartAt: 'Risk',
        States: {
          Risk: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Arguments: { FunctionName: 'risk-score', Payload: { card: '{% $states.input.card %}' } },
            Output: '{% {\'risk\': $states.result.Payload.score} %}',
            End: true,
          },
        },
      }],
      Assign: { riskScore: '{% $states.result[0].risk %}' },
      Next: 'Verdict',
    },
    'Verdict': {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $exists($riskScore) %}', Next: 'No risk score' },
        { Condition: '{% $riskScore > 80 %}', Next: 'Review' },
      ],
      Default: 'Approve',
    },
    'No risk score': { Type: 'Fail', Error: 'Payment.NoScore' },
    'Review': { Type: 'Pass', End: true },
    'Approve': { Type: 'Pass', End: true },
  },
} as unknown as StateMachineDefinition;

describe('the answer probes start from runs a Fail state ended', () => {
  it('finds a numeric risk score that ends at "No risk score", and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(screening);
    const scoreOf = (run: RunLike): unknown => (run.attempts('Risk')[0]?.output as { Payload?: { score?: unknown } } | undefined)?.Payload?.score;
    const scoredIsNotUnscored = (run: RunLike): boolean => !(typeof scoreOf(run) === 'number' && run.error === 'Payment.NoScore');
    const report = await wf.verify({ scoredIsNotUnscored });
    const v = report.properties.scoredIsNotUnscored;
    expect(v.verdict).toBe('VIOLATED');
    const run = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'scoredIsNotUnscored') });
    expect(scoredIsNotUnscored(run)).toBe(false);
  });
});
