import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';
import { fail, succeed } from '../../src/workbench/mocks/answers';
import { WorkflowRun } from '../../src/workbench/workflow/workflow-run';

// A JSONata loan decision: the score and amount kept in variables, a Catch that assigns too, and a
// Map whose iteration assigns a variable of its own scope.
const loan = Workflow.fromDefinition({
  QueryLanguage: 'JSONata',
  StartAt: 'Score',
  States: {
    Score: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'score', Payload: '{% $states.input %}' },
      Assign: { score: '{% $states.result.Payload.score %}', amount: '{% $states.input.amount %}', steps: 1 },
      Catch: [{ ErrorEquals: ['States.ALL'], Assign: { score: 0, failed: true }, Next: 'Lines' }],
      Next: 'Lines',
    },
    Lines: {
      Type: 'Map',
      Items: '{% [1, 2] %}',
      ItemProcessor: { StartAt: 'Line', States: { Line: { Type: 'Pass', Assign: { line: '{% $states.input %}' }, End: true } } },
      Assign: { steps: 2, lines: '{% $count($states.result) %}' },
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
} as StateMachineDefinition);

describe('run.variables', () => {
  it("gives the top-level variables as the run ended, each with the last value a state's Assign gave it", async () => {
    const run = await loan.run({ amount: 5000 }, { mocks: { Score: succeed({ score: 720 }) } });
    expect(run.variables).toEqual({ score: 720, amount: 5000, steps: 2, lines: 2 });
  });

  it("counts a Catch's Assign", async () => {
    const run = await loan.run({ amount: 5000 }, { mocks: { Score: fail('Scoring.Down') } });
    expect(run.variables).toEqual({ score: 0, failed: true, steps: 2, lines: 2 });
  });

  it("leaves out what a Map iteration assigns: its scope ends with it, as AWS's variable scope says", async () => {
    const run = await loan.run({ amount: 1 }, { mocks: { Score: succeed({ score: 1 }) } });
    expect(run.variables).not.toHaveProperty('line');
  });

  it('is the same on the run a worker thread rebuilds from its data, as verify passes a function of the run', async () => {
    const run = await loan.run({ amount: 5000 }, { mocks: { Score: succeed({ score: 720 }) } });
    const rebuilt = WorkflowRun.fromData(structuredClone(run.toData()), loan.definition);
    expect(rebuilt.variables).toEqual(run.variables);
  });

  it('is empty for a run that assigns nothing', async () => {
    const run = await Workflow.fromDefinition({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } as StateMachineDefinition).run({});
    expect(run.variables).toEqual({});
  });
});
