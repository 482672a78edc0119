import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { dataErrorsOf } from '../../src/explore/verify-data';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { NO_FACTS } from './verify-setup';

/*
 * The Saga builder's rounds of compensation keep their state in workflow variables: when the
 * compensation first failed (`$type($since) = "string" ? $since : EnteredTime`, read back with
 * `$toMillis`), and the compensations that gave up (`$append` to an array the Catch set to []).
 * verify reads what kind each variable holds at each state from every Assign that reaches it, so
 * these expressions count as unable to fail; a variable an input or answer can set holds anything,
 * and the expressions reading it still count as failing, as runs show they do. A TryCatch's handler
 * reads `$states.input.input`, which its Catch's object constructor surely wrote.
 */

stopExploreClock();

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const task = (fn: string, extra: Record<string, unknown>): Record<string, unknown> =>
  ({ Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: fn, Payload: '{% $states.input %}' }, ...extra });

/** `since` as Count rounds assigns it: the Saga builder's, or one a field of the execution input sets. */
const SINCE_FROM_CLOCK = '{% $type($since) = "string" ? $since : $states.context.State.EnteredTime %}';
const SINCE_FROM_INPUT = '{% $type($since) = "string" ? $since : $states.context.Execution.Input.since %}';

/** A compensation retried in rounds, as the Saga builder writes it (bench/modern-corpus OrderSaga's Fulfil). */
function rounds(since: string): StateMachineDefinition {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Start',
    States: {
      'Start': { Type: 'Pass', Output: '{% {"order": $states.input} %}', Next: 'Charge' },
      'Charge': task('charge', {
        Output: '{% $states.input %}',
        Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $merge([$states.input, {"error": $states.errorOutput}]) %}', Assign: { errors: [], since: false }, Next: 'Undo' }],
        Next: 'Done',
      }),
      'Undo': task('refund', {
        Output: '{% $states.input %}',
        Assign: { since: false },
        Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $merge([$states.input, {"compensationError": $states.errorOutput}]) %}', Next: 'Count rounds' }],
        Next: 'Failed',
      }),
      'Count rounds': { Type: 'Pass', Assign: { since }, Next: 'Again?' },
      'Again?': {
        Type: 'Choice',
        Choices: [{ Condition: '{% $toMillis($states.context.State.EnteredTime) + 60000 <= $toMillis($since) + 3600000 %}', Next: 'Wait' }],
        Default: 'Gave up',
      },
      'Wait': { Type: 'Wait', Seconds: 60, Next: 'Undo' },
      'Gave up': {
        Type: 'Pass',
        Output: '{% $merge([$states.input, {"compensationErrors": $append($errors, [$merge([{"step": "Charge"}, $states.input.compensationError])])}]) %}',
        Assign: { errors: '{% $append($errors, [$merge([{"step": "Charge"}, $states.input.compensationError])]) %}', since: false },
        Next: 'Failed',
      },
      'Failed': { Type: 'Fail', Error: 'Saga.Failed' },
      'Done': { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}

const graphOf = (def: StateMachineDefinition): MachineGraph => new MachineGraph(def, { ...NO_FACTS, dataErrors: dataErrorsOf(def) });

const PROPERTIES = {
  counted: Property.leadsTo('Count rounds', ['Again?']),
  decided: Property.leadsTo('Again?', ['Wait', 'Gave up']),
  gaveUp: Property.leadsTo('Gave up', ['Failed']),
};

describe('the kinds of the workflow variables a machine assigns', () => {
  it('proves the Saga builder\'s rounds of compensation cannot fail on their variables: $type, $toMillis of the clock, $append', () => {
    const errors = dataErrorsOf(rounds(SINCE_FROM_CLOCK));
    expect(errors.get('Count rounds')).toBeUndefined();
    expect(errors.get('Again?')).toBeUndefined();
    expect(errors.get('Gave up')).toBeUndefined();
    const graph = graphOf(rounds(SINCE_FROM_CLOCK));
    for (const [name, property] of Object.entries(PROPERTIES)) {
      expect({ name, verdict: proveOnGraph(graph, property) }).toEqual({ name, verdict: expect.objectContaining({ proved: true }) });
    }
  });

  it('says HOLDS for them through verify', async () => {
    const report = await Workflow.fromDefinition(rounds(SINCE_FROM_CLOCK)).verify(PROPERTIES);
    expect(Object.fromEntries(Object.entries(report.properties).map(([k, v]) => [k, v.verdict]))).toEqual({ counted: 'HOLDS', decided: 'HOLDS', gaveUp: 'HOLDS' });
  });

  it('keeps $toMillis of a variable the execution input can set as failing, and a run fails there', async () => {
    const def = rounds(SINCE_FROM_INPUT);
    expect(dataErrorsOf(def).get('Again?')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError', where: expect.stringContaining('$toMillis($since)') })]);
    expect(proveOnGraph(graphOf(def), PROPERTIES.decided)).toMatchObject({ proved: false });
    // VIOLATED when the search finds such an input, UNKNOWN when its budget ends first: never HOLDS.
    const report = await Workflow.fromDefinition(def).verify({ decided: PROPERTIES.decided }, { budgetSeconds: 2 });
    expect(report.properties.decided.verdict).not.toBe('HOLDS');
    // The run that shows it: the refund fails, and the input's `since` is no time.
    const mocks = mocksFromJson({ Charge: { Throw: { Error: 'Card.Declined' } }, Undo: { Throw: { Error: 'Refund.Failed' } } }, 'since');
    const run = await Workflow.fromDefinition(def).run({ since: 'soon' }, { mocks });
    expect({ status: run.status, error: run.error, last: run.path[run.path.length - 1] })
      .toEqual({ status: 'FAILED', error: 'States.QueryEvaluationError', last: 'Again?' });
  });

  it('keeps $append of a variable a Task answer sets as failing: it may be unassigned where no Catch set it', () => {
    const def = rounds(SINCE_FROM_CLOCK) as unknown as { States: Record<string, Record<string, unknown>> };
    // Charge's Catch no longer sets `errors`: Gave up may read it unassigned (nothing, or JSONata's function of that name).
    (def.States.Charge.Catch as Array<Record<string, unknown>>)[0].Assign = { since: false };
    expect(dataErrorsOf(def as unknown as StateMachineDefinition).get('Gave up')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError' })]);
  });

  it('keeps `+ 1` on a number a Task answered as failing, and on a literal counter as not', () => {
    const counter = (assign: string): StateMachineDefinition => ({
      QueryLanguage: 'JSONata',
      StartAt: 'Ask',
      States: {
        Ask: task('ask', { Assign: { n: assign }, Next: 'Bump' }),
        Bump: { Type: 'Pass', Output: '{% {"next": $n + 1} %}', End: true },
      },
    } as unknown as StateMachineDefinition);
    expect(dataErrorsOf(counter('{% $states.result.Payload.count %}')).get('Bump')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError' })]);
    expect(dataErrorsOf(counter('{% 3 %}')).get('Bump')).toBeUndefined();
  });
});

describe('a TryCatch handler reading what its Catch wrote', () => {
  /** The TryCatch builder's handler: its Catch builds `{input, error}`, the handler's Arguments read `input` back. */
  const handler = (caught: string): StateMachineDefinition => ({
    QueryLanguage: 'JSONata',
    StartAt: 'Try',
    States: {
      Try: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'Work', States: { Work: task('work', { End: true }) } }],
        Catch: [{ ErrorEquals: ['States.ALL'], Output: caught, Next: 'Handler' }],
        Next: 'Done',
      },
      Handler: {
        Type: 'Parallel',
        Arguments: '{% $states.input.input %}',
        Branches: [{ StartAt: 'Tell', States: { Tell: { Type: 'Pass', End: true } } }],
        Next: 'Handled',
      },
      Handled: { Type: 'Fail', Error: 'Work.Failed' },
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition);

  it('counts $states.input.input as there when the Catch\'s object constructor surely gives it', () => {
    const def = handler('{% {"input": ($merge([{"at": "try"}, {"error": $states.errorOutput}])), "error": $states.errorOutput} %}');
    expect(dataErrorsOf(def).get('Handler')).toBeUndefined();
    expect(proveOnGraph(graphOf(def), Property.leadsTo('Handler', ['Handled']))).toMatchObject({ proved: true });
  });

  it('keeps it failing where the constructor\'s value may be nothing (JSONata leaves the field out), and a run fails there', async () => {
    const def = handler('{% {"input": $states.input.order, "error": $states.errorOutput} %}');
    expect(dataErrorsOf(def).get('Handler')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError', where: 'Arguments {% $states.input.input %}' })]);
    expect(proveOnGraph(graphOf(def), Property.leadsTo('Handler', ['Handled']))).toMatchObject({ proved: false });
    const run = await Workflow.fromDefinition(def).run({}, { mocks: mocksFromJson({ Work: { Throw: { Error: 'Work.Broke' } } }, 'handler') });
    expect({ status: run.status, error: run.error, last: run.path[run.path.length - 1] })
      .toEqual({ status: 'FAILED', error: 'States.QueryEvaluationError', last: 'Handler' });
  });
});

describe('the shape of an Output that binds names of its own', () => {
  const priced = (output: string): StateMachineDefinition => ({
    QueryLanguage: 'JSONata',
    StartAt: 'Price',
    States: {
      Price: { Type: 'Pass', Output: output, Next: 'Discount' },
      Discount: { Type: 'Pass', Output: '{% $merge([$states.input, {"discount": 0}]) %}', End: true },
    },
  } as unknown as StateMachineDefinition);

  it('takes a block whose last expression is a $merge as an object, whatever other names it binds (bench Checkout\'s Price cart)', () => {
    const errors = dataErrorsOf(priced('{% ($subtotal := $sum($states.input.cart.price); $merge([$states.input, {"subtotal": $subtotal}])) %}'));
    expect(errors.get('Discount')).toBeUndefined();
  });

  it('does not where the block binds $merge itself, and a run fails there', async () => {
    const def = priced('{% ($merge := function($x) { $x[0].id }; $merge([$states.input])) %}');
    expect(dataErrorsOf(def).get('Discount')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError' })]);
    const run = await Workflow.fromDefinition(def).run({ id: 'text' });
    expect({ status: run.status, error: run.error, last: run.path[run.path.length - 1] }).toEqual({ status: 'FAILED', error: 'States.QueryEvaluationError', last: 'Discount' });
  });
});

describe('a poll bounded by a counter and a deadline in epoch milliseconds (bench HuntPollDeadline)', () => {
  const poll = (deadline: string): StateMachineDefinition => ({
    QueryLanguage: 'JSONata',
    StartAt: 'Start',
    States: {
      'Start': { Type: 'Pass', Assign: { polls: 0, deadline }, Next: 'Check job' },
      'Check job': task('status', { Assign: { polls: '{% $polls + 1 %}', status: '{% $states.result.Payload.status %}' }, Output: '{% $states.input %}', Next: 'Done yet?' }),
      'Done yet?': {
        Type: 'Choice',
        Choices: [
          { Condition: "{% $status = 'SUCCEEDED' %}", Next: 'Finished' },
          { Condition: '{% $polls >= 5 or $toMillis($now()) > $deadline %}', Next: 'Gave up' },
        ],
        Default: 'Wait a bit',
      },
      'Wait a bit': { Type: 'Wait', Seconds: 30, Next: 'Check job' },
      'Finished': { Type: 'Succeed' },
      'Gave up': { Type: 'Fail', Error: 'Job.TimedOut' },
    },
  } as unknown as StateMachineDefinition);

  it('counts the counter and the deadline as numbers the Condition compares without failing', () => {
    const def = poll('{% $toMillis($states.context.Execution.StartTime) + 600000 %}');
    expect(dataErrorsOf(def).get('Done yet?')).toBeUndefined();
    expect(proveOnGraph(graphOf(def), Property.leadsTo('Done yet?', ['Wait a bit', 'Finished', 'Gave up']))).toMatchObject({ proved: true });
  });

  it('keeps a deadline the input gives as failing, and a run fails there', async () => {
    const def = poll('{% $states.input.deadline %}');
    expect(dataErrorsOf(def).get('Done yet?')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError' })]);
    const run = await Workflow.fromDefinition(def).run({ deadline: 'tomorrow' }, { mocks: mocksFromJson({ 'Check job': { Return: { status: 'RUNNING' } } }, 'poll') });
    expect({ status: run.status, error: run.error, last: run.path[run.path.length - 1] }).toEqual({ status: 'FAILED', error: 'States.QueryEvaluationError', last: 'Done yet?' });
  });
});
