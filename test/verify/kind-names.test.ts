import type { StateMachineDefinition } from '../../src/asl';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { LAMBDA, reproduced } from './verify-setup';

/*
 * A rule that asks a value's kind (`$type($v) = 'boolean'`) whose kind's name was moved to a word
 * no kind has (the seeds bench's `'boolean-moved'`): the search brings each rule to true and to
 * false with the values its rules name, so it never answered a boolean, null or a list there, and a
 * property about what a boolean does stayed UNKNOWN (HuntValueKinds, ProfileKindsRoute). verify now
 * tries a value of each other kind at each field where the machine asks a value's kind, as the
 * service's model allows: a Lambda function's payload is any JSON
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_ResponseSyntax), a
 * DynamoDB attribute's `S` only a text
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html).
 */

stopExploreClock();

/** A value fetched and routed by its kind, each kind's name moved to a word no kind has. */
const kinds = {
  QueryLanguage: 'JSONata',
  StartAt: 'Fetch',
  States: {
    Fetch: {
      Type: 'Task',
      Resource: LAMBDA,
      Arguments: { FunctionName: 'fetch', Payload: '{% $states.input %}' },
      Assign: { v: '{% $states.result.Payload.value %}', tags: '{% $states.result.Payload.tags %}' },
      Next: 'Kind',
    },
    Kind: {
      Type: 'Choice',
      Choices: [
        { Condition: "{% $type($v) = 'number' and $v < 0 %}", Next: 'Negative' },
        { Condition: "{% $type($v) = 'boolean-moved' %}", Next: 'Flag' },
        { Condition: "{% $type($v) = 'null-moved' %}", Next: 'Nothing' },
        { Condition: "{% $type($tags) = 'array-moved' and 'beta' in $tags %}", Next: 'Beta' },
        { Condition: "{% $type($states.input.urgent) = 'boolean-moved' %}", Next: 'Urgent' },
      ],
      Default: 'Else',
    },
    Negative: { Type: 'Succeed' },
    Flag: { Type: 'Succeed' },
    Nothing: { Type: 'Succeed' },
    Beta: { Type: 'Succeed' },
    Urgent: { Type: 'Fail', Error: 'Order.Urgent' },
    Else: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** What Fetch answered in a run (its payload), when it was called. */
const answered = (run: WorkflowRun): { value?: unknown; tags?: unknown } | undefined =>
  (run.attempts('Fetch')[0]?.output as { Payload?: { value?: unknown; tags?: unknown } } | undefined)?.Payload;

describe('values of another kind where the machine asks a value\'s kind', () => {
  it('answers a boolean at the field a $type rule reads: a boolean not flagged is found and reproduces', async () => {
    const wf = Workflow.fromDefinition(kinds);
    const booleanFlagged = (run: WorkflowRun): boolean => typeof answered(run)?.value !== 'boolean' || run.visited('Flag');
    const v = (await wf.verify({ booleanFlagged })).properties.booleanFlagged;
    const { run } = await reproduced(wf, kinds, v, 'booleanFlagged');
    expect(typeof answered(run)?.value).toBe('boolean');
  });

  it('answers null at that field: a null that is not Nothing is found', async () => {
    const wf = Workflow.fromDefinition(kinds);
    const nullIsNothing = (run: WorkflowRun): boolean => answered(run)?.value !== null || run.visited('Nothing');
    const v = (await wf.verify({ nullIsNothing })).properties.nullIsNothing;
    const { run } = await reproduced(wf, kinds, v, 'nullIsNothing');
    expect(answered(run)?.value).toBeNull();
  });

  it('answers the text a rule looks for inside a list: a list holding beta that is not Beta is found', async () => {
    const wf = Workflow.fromDefinition(kinds);
    const betaWelcomed = (run: WorkflowRun): boolean => {
      const tags = answered(run)?.tags;
      return !(Array.isArray(tags) && tags.includes('beta')) || run.visited('Beta');
    };
    const v = (await wf.verify({ betaWelcomed })).properties.betaWelcomed;
    const { run } = await reproduced(wf, kinds, v, 'betaWelcomed');
    expect(answered(run)?.tags).toEqual(expect.arrayContaining(['beta']));
  });

  it('gives an input field a boolean where a $type rule reads it: an urgent order not failed is found', async () => {
    const wf = Workflow.fromDefinition(kinds);
    const urgentOf = (run: WorkflowRun): unknown => (run.inputOf('Fetch', 0) as { urgent?: unknown } | null)?.urgent;
    const urgentFails = (run: WorkflowRun): boolean => typeof urgentOf(run) !== 'boolean' || run.visited('Urgent');
    const v = (await wf.verify({ urgentFails })).properties.urgentFails;
    const { run } = await reproduced(wf, kinds, v, 'urgentFails');
    expect(typeof urgentOf(run)).toBe('boolean');
  });

  it('never answers a DynamoDB S with another kind: a property only such an answer breaks is not VIOLATED', async () => {
    const dynamo = {
      QueryLanguage: 'JSONata',
      StartAt: 'Get',
      States: {
        Get: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Arguments: { TableName: 't', Key: { id: { S: 'a' } } },
          Assign: { flag: '{% $states.result.Item.flag.S %}' },
          Next: 'Kind',
        },
        Kind: { Type: 'Choice', Choices: [{ Condition: "{% $type($flag) = 'string-moved' %}", Next: 'Text' }], Default: 'Other' },
        Text: { Type: 'Succeed' },
        Other: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const wf = Workflow.fromDefinition(dynamo);
    const flagIsText = (run: WorkflowRun): boolean => {
      const s = (run.attempts('Get')[0]?.output as { Item?: { flag?: { S?: unknown } } } | undefined)?.Item?.flag?.S;
      return s === undefined || typeof s === 'string';
    };
    const v = (await wf.verify({ flagIsText })).properties.flagIsText;
    expect({ verdict: v.verdict, counterexample: v.counterexample }).toEqual({ verdict: 'UNKNOWN', counterexample: undefined });
  });
});
