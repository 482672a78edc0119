import { machine, reaching, replays } from './helpers';

/*
 * Issue 77, explore round 4: a child execution started with `startExecution.sync` (its Output a
 * JSON text the parent `$parse`s) or `.sync:2` (its Output JSON already), the result merged into
 * the parent's input under a field of its own, and a Catch that assigns the error output a Choice
 * then reads the Cause of. Explore writes the child's Output as the text that parses to what the
 * rules want, and a Cause into the failure of the call the Catch took.
 */

function pricing(resource: string, parsed: string) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Run pricing',
    States: {
      'Run pricing': {
        Type: 'Task',
        Resource: resource,
        Arguments: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:pricing', Input: { cart: '{% $states.input.cart %}' } },
        Output: `{% $merge([$states.input, {"pricing": ${parsed}}]) %}`,
        Catch: [{ ErrorEquals: ['States.TaskFailed'], Assign: { failure: '{% $states.errorOutput %}' }, Next: 'Child failed?' }],
        Next: 'Large order?',
      },
      'Large order?': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $states.input.pricing.total > 1000 %}', Next: 'Approve large order' },
          { Condition: "{% $states.input.pricing.currency != 'USD' %}", Next: 'Convert currency' },
        ],
        Default: 'Done',
      },
      'Approve large order': { Type: 'Pass', End: true },
      'Convert currency': { Type: 'Pass', End: true },
      'Child failed?': { Type: 'Choice', Choices: [{ Condition: "{% $contains($failure.Cause, 'OutOfStock') %}", Next: 'Back-order' }], Default: 'Pricing failed' },
      'Back-order': { Type: 'Pass', End: true },
      'Pricing failed': { Type: 'Fail', Error: 'Pricing.Failed', Cause: '{% $failure.Cause %}' },
      'Done': { Type: 'Succeed' },
    },
  };
}

describe('explore on a child execution\'s Output read by the parent', () => {
  it.each([
    ['startExecution.sync, its Output parsed', 'arn:aws:states:::states:startExecution.sync', '$parse($states.result.Output)'],
    ['startExecution.sync:2, its Output read as it is', 'arn:aws:states:::states:startExecution.sync:2', '$states.result.Output'],
  ])('reaches every branch on the merged Output and on the Cause of the failure (%s)', async (_, resource, parsed) => {
    const wf = machine(pricing(resource, parsed));
    const report = await wf.explore();
    for (const c of ['states', 'transitions', 'choiceRules', 'catches'] as const) expect(report[c].notReached).toEqual([]);
    for (const s of report.scenarios) await replays(wf, s);
    expect(reaching(report, 'states', 'Back-order').mocks).toEqual({ 'Run pricing': { Throw: { Error: 'States.TaskFailed', Cause: 'OutOfStock' } } });
  });
});
