import type { ChoiceRule, StateMachineDefinition } from '../../src/asl';
import { booleanPaths } from '../../src/explore/verify-booleans';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { LAMBDA, reproduced } from './verify-setup';

/*
 * The boolean probe (issue 78): where a Choice rule reads a boolean field of the input or of a
 * Task's answer, verify tries both values there, from the runs of the search. explore brings each
 * rule to true and to false on its own; a property about two rules together (an express order that
 * is also a gift) needs a value of each at once, which no goal of the search asks for.
 */

stopExploreClock();

/** Two flags of the input, each read by a rule of its own. */
const FLAGS = {
  StartAt: 'Express?',
  States: {
    'Express?': { Type: 'Choice', Choices: [{ Variable: '$.express', BooleanEquals: true, Next: 'Express' }], Default: 'Standard' },
    'Express': { Type: 'Pass', Next: 'Gift?' },
    'Standard': { Type: 'Pass', Next: 'Gift?' },
    'Gift?': { Type: 'Choice', Choices: [{ Variable: '$.gift', BooleanEquals: true, Next: 'Wrap' }], Default: 'Ship' },
    'Wrap': { Type: 'Pass', Next: 'Ship' },
    'Ship': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** A flag of the input and a flag a Lambda function answers, each read as the whole Condition (a value of no other kind passes it). */
const ANSWERED = {
  QueryLanguage: 'JSONata',
  StartAt: 'Rush?',
  States: {
    'Rush?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.rush %}', Next: 'Rush' }], Default: 'Normal' },
    'Rush': { Type: 'Pass', Next: 'Check' },
    'Normal': { Type: 'Pass', Next: 'Check' },
    'Check': {
      Type: 'Task',
      Resource: LAMBDA,
      Arguments: { FunctionName: 'check', Payload: {} },
      Assign: { approved: '{% $states.result.Payload.approved %}' },
      Next: 'Approved?',
    },
    'Approved?': { Type: 'Choice', Choices: [{ Condition: '{% $approved %}', Next: 'Approve' }], Default: 'Reject' },
    'Approve': { Type: 'Succeed' },
    'Reject': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

describe('the boolean probe', () => {
  // explore's runs are (true, true), (false, true) and (true, false): each rule both ways, never both false.
  it('finds the plain order, neither express nor a gift: false at each flag of the input a rule reads, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(FLAGS);
    const report = await wf.verify({ expressOrGift: (run: WorkflowRun) => run.status !== 'SUCCEEDED' || run.visited('Express') || run.visited('Wrap') }, { budgetSeconds: 20 });
    const v = report.properties.expressOrGift;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, FLAGS, v, 'expressOrGift');
    expect([run.visited('Express'), run.visited('Wrap')]).toEqual([false, false]);
  });

  it('finds the rejected normal order: false at the flag of a Task\'s answer a rule reads, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(ANSWERED);
    const report = await wf.verify({ normalApproved: (run: WorkflowRun) => !(run.visited('Normal') && run.visited('Reject')) }, { budgetSeconds: 20 });
    const v = report.properties.normalApproved;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, ANSWERED, v, 'normalApproved');
    expect([run.visited('Normal'), run.visited('Reject')]).toEqual([true, true]);
  });
});

describe('booleanPaths', () => {
  it('reads the Variable of a JSONPath boolean rule, nested in And, Or and Not, and the path it compares with', () => {
    const rule = { And: [{ Not: { Variable: '$.a', BooleanEquals: false } }, { Variable: '$.b', BooleanEqualsPath: '$.c' }, { Variable: '$.n', NumericEquals: 1 }], Next: 'X' };
    expect(booleanPaths(rule as unknown as ChoiceRule, 'JSONPath')).toEqual(['$.a', '$.b', '$.c']);
  });

  it('reads a JSONata field that is the Condition, compared with a boolean, joined by and/or, negated, or a ternary\'s test', () => {
    const paths = (condition: string): string[] => booleanPaths({ Condition: condition, Next: 'X' } as unknown as ChoiceRule, 'JSONata');
    expect(paths('{% $states.input.vip %}')).toEqual(['$states.input.vip']);
    expect(paths('{% $states.input.total > 10 and $flag %}')).toEqual(['$flag']);
    expect(paths('{% false = $states.input.closed or $not($states.input.held) %}')).toEqual(['$states.input.closed', '$states.input.held']);
    expect(paths('{% ($states.input.fast ? 1 : 2) = 1 %}')).toEqual(['$states.input.fast']);
    // A field compared with a number or a text is not read as a boolean.
    expect(paths("{% $states.input.total > 10 or $states.input.tier = 'gold' %}")).toEqual([]);
  });
});
