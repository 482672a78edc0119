import { machine } from './helpers';
import { mocksFromJson } from '../../src/workbench/mocks/json';

/*
 * A JSONPath Catch whose ResultPath writes a field into an input that is not an object: AWS
 * fails the state with States.ResultPathMatchFailure whatever error the Catch takes (as the old
 * corpus's app-control-concurrency test-run-semaphore does, its Map items the numbers a Pass
 * writes). explore's reason says so, and no longer tells the user to give the very mock whose
 * run it made and saw fail.
 */
const machineDef = {
  StartAt: 'Make items',
  States: {
    'Make items': { Type: 'Pass', Parameters: { items: [1, 2] }, Next: 'Each item' },
    'Each item': {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Run child',
        States: {
          'Run child': {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { 'FunctionName': 'arn:aws:lambda:us-east-1:123456789012:function:child', 'Payload.$': '$' },
            Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error.detail', Next: 'Note failure' }],
            End: true,
          },
          'Note failure': { Type: 'Pass', End: true },
        },
      },
      End: true,
    },
  },
};

describe('a Catch whose ResultPath does not fit the state\'s input', () => {
  it('is not reached, with the reason the runs show and no mock to give', async () => {
    const wf = machine(machineDef);
    const report = await wf.explore();
    const reason = report.catches.notReached.find((n) => n.catch === 'Run child#0')?.reason;
    expect(reason).toMatch(/ResultPath \$\.error\.detail writes a field where, in every run that entered 'Run child', \$ of its input is 1, not an object, so AWS fails 'Run child' with States\.ResultPathMatchFailure whatever error the Catch takes/);
    expect(reason).toMatch(/no input or answer gives: .*explore cannot change \(the Parameters of state 'Make items'/);
    expect(reason).toMatch(/fix the machine: give the Catch a ResultPath that fits that input \(or null\), or write an object there/);
    expect(reason).not.toMatch(/give --mocks/);
    // What the reason says, run: the error the Catch takes ends the run with States.ResultPathMatchFailure.
    const run = await wf.run({}, { mocks: mocksFromJson({ 'Run child': { Throw: { Error: 'States.TaskFailed' } } }, 'test') });
    expect({ status: run.status, error: run.error, caught: run.path.includes('Note failure') })
      .toEqual({ status: 'FAILED', error: 'States.ResultPathMatchFailure', caught: false });
  });
});
