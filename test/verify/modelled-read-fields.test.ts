import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/testing';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';

/*
 * verify sets each field a Task reads from its answer to boundary numbers where the answer holds
 * none (734dcf07). DynamoDB answers an attribute's `N` as text (the AttributeValue model types it a
 * string; https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html),
 * so a number placed there as a JSON number is an answer AWS never gives: its run failed the Task
 * with States.Runtime, which no Catch takes, and verify called a property VIOLATED that holds on
 * every run AWS can have (bench:verify: OrderSaga's and RawReportPipeline's, HOLDS before).
 */

stopExploreClock();

/** Stock reserved; every error the Task raises is caught. */
const reserveTask = {
  Type: 'Task',
  Resource: 'arn:aws:states:::dynamodb:updateItem',
  Arguments: {
    TableName: 'stock',
    Key: { sku: { S: 'a' } },
    UpdateExpression: 'SET available = available - :q',
    ExpressionAttributeValues: { ':q': { N: '1' } },
    ReturnValues: 'UPDATED_NEW',
  },
  Output: '{% {"left": $number($states.result.Attributes.available.N)} %}',
  Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Undo' }],
};

/** Stock reserved, then either enough left or undone. */
const reserve = {
  QueryLanguage: 'JSONata',
  StartAt: 'Reserve',
  States: {
    'Reserve': { ...reserveTask, Next: 'Enough?' },
    'Enough?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.left < 0 %}', Next: 'Undo' }], Default: 'Done' },
    'Undo': { Type: 'Pass', End: true },
    'Done': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/**
 * The same Task with nothing after it reading what is left (no rule makes the search write `N`),
 * behind a rule whose constant gives the boundary numbers the search tries.
 */
const reserveOnly = {
  QueryLanguage: 'JSONata',
  StartAt: 'Big order?',
  States: {
    'Big order?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.quantity > 5 %}', Next: 'Done' }], Default: 'Reserve' },
    'Reserve': { ...reserveTask, Next: 'Done' },
    'Undo': { Type: 'Pass', End: true },
    'Done': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

describe('fields a Task reads from its answer, set as the service model types them', () => {
  it('never answers a DynamoDB N as a JSON number, so a property every AWS run keeps is not VIOLATED', async () => {
    const wf = Workflow.fromDefinition(reserveOnly);
    const report = await wf.verify({ reserveDecides: Property.leadsTo('Reserve', ['Done', 'Undo']) });
    const v = report.properties.reserveDecides;
    expect({ verdict: v.verdict, counterexample: v.counterexample }).toEqual({ verdict: expect.not.stringMatching(/VIOLATED/), counterexample: undefined });
  });

  it('still reaches the rule on a number the answer gives as text: left below 0 goes to Undo', async () => {
    const wf = Workflow.fromDefinition(reserve);
    const report = await wf.verify({ neverUndone: Property.never('Undo') });
    const v = report.properties.neverUndone;
    expect(v.verdict).toBe('VIOLATED');
  });
});
