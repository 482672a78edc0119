/*
 * A run's advice (what the checks of its mocks noticed and AWS lets through) where a jest user
 * reads: the matchers' failure messages, and the stepwright reporter at the end of the run.
 */
import { useCoverageRoot } from './coverage-root';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { toSucceed } from '../../src/testing/matchers';
import { StepwrightCoverageReporter } from '../../src/testing/reporter';
import { Workflow } from '../../src/testing/workflow';

const definition = {
  StartAt: 'GetOrder',
  States: {
    GetOrder: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: 'orders', Key: { id: { S: 'o-1' } } },
      OutputPath: '$.Item',
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

describe('a run\'s advice in the matchers\' messages', () => {
  it('shows the advice under the run a failing matcher describes', async () => {
    const run = await Workflow.fromDefinition(definition).run({}, { mocks: { GetOrder: { Itme: { id: { S: 'o-1' } } } } });
    expect(run.advice).toHaveLength(1);
    const result = toSucceed.call({ isNot: false, equals: () => false } as never, run);
    expect(result.pass).toBe(false);
    expect(result.message()).toContain("advice: The mock of Task 'GetOrder' answers a field dynamodb:getItem (GetItem) never returns");
    expect(result.message()).toContain("did you mean 'Item'?");
  });
});

describe('the stepwright reporter prints the runs\' advice', () => {
  const root = useCoverageRoot('stepwright-advice-');

  it('once each, at the end of the run, though no test failed on it', async () => {
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((text) => { out.push(String(text)); return true; });
    try {
      const reporter = new StepwrightCoverageReporter({ rootDir: root() }, { print: false });
      reporter.onRunStart();
      const wf = Workflow.fromDefinition(definition, { name: 'Orders' });
      for (let i = 0; i < 3; i++) await wf.run({}, { mocks: { GetOrder: { id: 'o-1' } } });
      await wf.run({}, { mocks: { GetOrder: { Item: { id: { S: 'o-1' } } } } });
      await reporter.onRunComplete();
      const text = out.join('');
      expect(text).toContain('stepwright: advice from the runs (no test failed on it; AWS accepts these mocks');
      expect(text.split("$.id: the field 'id' is not defined").length - 1).toBe(1);
      expect(reporter.getLastError()).toBeUndefined();
    } finally {
      write.mockRestore();
    }
  });
});

describe('the stepwright reporter prints a Distributed Map\'s advice', () => {
  const root = useCoverageRoot('stepwright-map-advice-');

  it('names the Map whose Catch takes a child\'s error AWS may not raise', async () => {
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((text) => { out.push(String(text)); return true; });
    try {
      const reporter = new StepwrightCoverageReporter({ rootDir: root() }, { print: false });
      reporter.onRunStart();
      const wf = Workflow.fromDefinition({
        StartAt: 'Import',
        States: {
          Import: {
            Type: 'Map',
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'Bad',
              States: { Bad: { Type: 'Fail', Error: 'Item.Bad', Cause: 'no id' } },
            },
            Catch: [{ ErrorEquals: ['Item.Bad'], Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      } as unknown as StateMachineDefinition, { name: 'Imports' });
      const run = await wf.run([1]);
      expect(run.status).toBe('SUCCEEDED');
      await reporter.onRunComplete();
      const text = out.join('');
      expect(text).toContain('stepwright: advice from the runs');
      expect(text).toContain("Map 'Import' is DISTRIBUTED with no ToleratedFailureCount or ToleratedFailurePercentage, and a child execution failed with Item.Bad");
      expect(reporter.getLastError()).toBeUndefined();
    } finally {
      write.mockRestore();
    }
  });
});
