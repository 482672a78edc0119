import { machine, reaching, replays } from './helpers';
import { stopExploreClock } from '../explore-clock';

/*
 * A Choice after a Catch reads the caught error's name or cause. A run that reached it through a
 * Task that failed on entry (its Arguments read a field the input lacked: States.QueryEvaluationError)
 * carries an error explore cannot rename, and one that came through another Task's failure may
 * carry only errors that Task cannot raise (a States.Timeout from a Task with no TimeoutSeconds). The
 * branch is then solved from a run where the catching Task's own call failed, found among the runs
 * or made by failing the call of a run that entered it.
 */
const LAMBDA = 'arn:aws:states:::lambda:invoke';
const caught = [{ ErrorEquals: ['States.ALL'], Output: "{% $merge([$states.input, {'error': $states.errorOutput}]) %}", Next: 'Why' }];
/** A Task that fails on entry until the input has a `total`: the first runs reach the Choice through its QueryEvaluationError. */
const charge = (extra: object) => ({
  Type: 'Task',
  Resource: LAMBDA,
  Arguments: { FunctionName: 'charge', Payload: { amount: '{% $states.input.total %}' } },
  Output: '{% $states.input %}',
  Catch: caught,
  Next: 'Done',
  ...extra,
});

describe('explore: a Choice after a Catch is solved from a run where the catching Task\'s call failed', () => {
  stopExploreClock();

  it('reaches a branch on a caught States.Timeout through the Task with a clock whose first runs failed on entry, not the earlier Task without one', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Book',
      States: {
        'Book': { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'book', Payload: '{% $states.input %}' }, Output: '{% $states.input %}', Catch: caught, Next: 'Charge' },
        'Charge': charge({ TimeoutSeconds: 30 }),
        'Done': { Type: 'Succeed' },
        'Why': { Type: 'Choice', Choices: [{ Condition: "{% $states.input.error.Error = 'States.Timeout' %}", Next: 'Later' }], Default: 'Gave up' },
        'Later': { Type: 'Succeed' },
        'Gave up': { Type: 'Fail', Error: 'Trip.Failed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const later = reaching(report, 'states', 'Later');
    expect(later.path).toEqual(['Book', 'Charge', 'Why', 'Later']);
    expect(later.mocks.Charge).toMatchObject({ Throw: { Error: 'States.Timeout' } });
    await replays(wf, later);
  });

  it('reaches a branch on a caught error\'s name when every run that came through the Catch had failed on entry', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Charge',
      States: {
        'Charge': charge({}),
        'Done': { Type: 'Succeed' },
        'Why': { Type: 'Choice', Choices: [{ Condition: "{% $states.input.error.Error = 'Card.Declined' %}", Next: 'Declined' }], Default: 'Gave up' },
        'Declined': { Type: 'Succeed' },
        'Gave up': { Type: 'Fail', Error: 'Charge.Failed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const declined = reaching(report, 'states', 'Declined');
    expect(declined.mocks.Charge).toMatchObject({ Throw: { Error: 'Card.Declined' } });
    await replays(wf, declined);
  });
  it('gives a Task the value it failed on entry for when its Catch leads where its Next does, so the Choice there reads its answer', async () => {
    // The first runs lack `id`: 'Load' fails on its Arguments, its Catch sets $batch to null and goes on to 'Found?', as its Next would.
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Load',
      States: {
        'Load': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Arguments: { TableName: 'batches', Key: { id: { S: '{% $states.input.id %}' } } },
          Assign: { batch: '{% $states.result.Item %}' },
          Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Assign: { batch: null }, Next: 'Found?' }],
          Next: 'Found?',
        },
        'Found?': { Type: 'Choice', Choices: [{ Condition: '{% $batch != null %}', Next: 'Found' }], Default: 'Missing' },
        'Found': { Type: 'Succeed' },
        'Missing': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const found = reaching(report, 'states', 'Found');
    expect(found.path).toEqual(['Load', 'Found?', 'Found']);
    expect(found.input).toMatchObject({ id: expect.any(String) });
    await replays(wf, found);
    await replays(wf, reaching(report, 'states', 'Missing'));
  });
});
