import { machine, replays } from './helpers';

/*
 * AWS raises States.Timeout from a Task's own clock, once its TimeoutSeconds have passed; a Task
 * with none has AWS's default of 99,999,999 s, so the execution's own limit ends the run first
 * (docs/testing.md, "A mocked timeout takes the Task's time"). A Choice that wants a caught error
 * named States.Timeout is therefore reached through a Task that has a TimeoutSeconds, never by
 * timing out one that has none, which would end the run TIMED_OUT there.
 */
const LAMBDA = 'arn:aws:states:::lambda:invoke';
/** The Choice every Catch goes to, on the caught error's name, and the states it leads to. */
const afterCatch = {
  'Why': {
    Type: 'Choice',
    Choices: [{ Condition: "{% $states.input.error.Error = 'States.Timeout' %}", Next: 'Later' }],
    Default: 'Gave up',
  },
  'Later': { Type: 'Succeed' },
  'Gave up': { Type: 'Fail', Error: 'Trip.Failed' },
};
const caught = [{ ErrorEquals: ['States.ALL'], Output: "{% $merge([$states.input, {'error': $states.errorOutput}]) %}", Next: 'Why' }];

describe('explore: a wanted States.Timeout comes from a Task with a clock', () => {
  it('reaches a Choice branch on a caught States.Timeout through the last Task, which has TimeoutSeconds, not the earlier ones without', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'First',
      States: {
        First: { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'first', Payload: '{% $states.input %}' }, Output: '{% $states.input %}', Catch: caught, Next: 'Second' },
        Second: { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'second', Payload: '{% $states.input %}' }, Output: '{% $states.input %}', Catch: caught, Next: 'Third' },
        Third: { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'third', Payload: '{% $states.input %}' }, TimeoutSeconds: 30, Output: '{% $states.input %}', Catch: caught, Next: 'Done' },
        Done: { Type: 'Succeed' },
        ...afterCatch,
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const later = report.scenarios.find((s) => s.path.includes('Later'));
    expect(later?.path).toEqual(['First', 'Second', 'Third', 'Why', 'Later']);
    for (const s of report.scenarios) await replays(wf, s);
  });
});

describe('explore: no States.Timeout from a Task without a clock', () => {
  it('says a branch wanting a caught States.Timeout needs a Task with TimeoutSeconds, rather than timing out one that has none', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Only',
      States: {
        Only: { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'only', Payload: '{% $states.input %}' }, Output: '{% $states.input %}', Catch: caught, Next: 'Done' },
        Done: { Type: 'Succeed' },
        ...afterCatch,
      },
    });
    const report = await wf.explore();
    expect(report.scenarios.map((s) => s.status)).not.toContain('TIMED_OUT');
    const later = report.states.notReached.find((n) => n.state === 'Later');
    expect(later?.reason).toContain("it needs 'Only' to fail with States.Timeout, which a Task raises only once its TimeoutSeconds or HeartbeatSeconds pass, and 'Only' has neither");
  });
});
