import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { runThroughCli } from './verify-setup';

stopExploreClock();

/*
 * explore's runs fail on a check's advice, so that an answer AWS never gives (an error the
 * integration never raises) does not count as reaching a state. A user's test and `stepwright run`
 * only advise on it and go on. A run that broke a property only because of that failure is no run
 * AWS makes, and its counterexample does not break the property again where the user runs it.
 */
const MACHINE = {
  QueryLanguage: 'JSONata',
  StartAt: 'Fan out',
  States: {
    'Fan out': {
      Type: 'Parallel',
      Branches: [{
        StartAt: 'Load',
        States: {
          Load: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:getItem',
            Arguments: { TableName: 't', Key: { pk: { S: '{% $states.input.id %}' } } },
            Output: '{% $states.result.Item %}',
            End: true,
          },
        },
      }],
      Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $states.errorOutput %}', Next: 'Classify error' }],
      Next: 'Ok',
    },
    'Classify error': {
      Type: 'Choice',
      Choices: [{ Condition: "{% $states.input.Error = 'States.QueryEvaluationError' %}", Next: 'Missing item' }],
      Default: 'Other error',
    },
    'Missing item': { Type: 'Succeed' },
    'Other error': { Type: 'Fail', Error: 'Unknown' },
    'Ok': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

describe('verify confirms a counterexample as the user\'s run runs it, advice staying advice', () => {
  it('reports no counterexample that broke the property only by failing on a mock check\'s advice', async () => {
    const wf = Workflow.fromDefinition(MACHINE);
    const report = await wf.verify({ caughtOrOk: Property.leadsTo('Fan out', ['Ok', 'Classify error']) }, { seed: 1 });
    const v = report.properties.caughtOrOk;
    // The Catch takes every error the Task raises; only a run failed on advice (States.Runtime at
    // 'Load') left 'Fan out' otherwise, and the user's run of that counterexample goes to the Catch.
    expect(v.verdict).not.toBe('VIOLATED');
    expect(v.verdict === 'HOLDS' || /did not break it again|no counterexample reproduced/.test(v.reason)).toBe(true);
  });

  it('still reports a counterexample that breaks the property where the user runs it, through the harness and the CLI', async () => {
    const wf = Workflow.fromDefinition(MACHINE);
    const report = await wf.verify({ neverOtherError: Property.never('Other error') }, { seed: 1 });
    const v = report.properties.neverOtherError;
    expect(v.verdict).toBe('VIOLATED');
    const { input, mocks, path } = v.counterexample!;
    const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'counterexample') });
    expect(run.path).toEqual(path);
    expect(run.path).toContain('Other error');
    const out = await runThroughCli(MACHINE, input, mocks);
    expect(out.path).toEqual(path);
  });
});
