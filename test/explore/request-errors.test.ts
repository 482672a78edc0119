import { machine, reaching } from './helpers';
import { contractOf, errorsOf } from '../../src/contracts';
import { errorRuledOut, REQUEST_ERROR_RULES } from '../../src/explore/request-errors';

/*
 * Issue 63: explore makes a Task fail only with errors its call can raise for the request it
 * sends. A DynamoDB write without a condition never fails its condition check; a
 * startExecution without a Name never finds its execution already there.
 */

const UPDATE = 'arn:aws:states:::dynamodb:updateItem';

function update(args: Record<string, unknown>, jsonata = false) {
  const request = { TableName: 'orders', Key: { id: { S: 'o-1' } }, UpdateExpression: 'SET #s = :s', ...args };
  return machine({
    ...(jsonata ? { QueryLanguage: 'JSONata' } : {}),
    StartAt: 'Mark',
    States: {
      Mark: {
        Type: 'Task',
        Resource: UPDATE,
        ...(jsonata ? { Arguments: request } : { Parameters: request }),
        Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Busy' }],
        End: true,
      },
      Busy: { Type: 'Succeed' },
    },
  });
}

describe('explore raises only the errors a call can raise for the request it sends', () => {
  it('never fails an updateItem without a ConditionExpression with ConditionalCheckFailedException, and proves its Catch unreachable, citing AWS', async () => {
    const report = await update({}).explore();
    for (const s of report.scenarios) expect(JSON.stringify(s.mocks)).not.toContain('ConditionalCheckFailed');
    expect(report.catches.unreachable).toEqual([{
      catch: 'Mark#0',
      reason: expect.stringMatching(/^Task 'Mark' cannot raise DynamoDB\.ConditionalCheckFailedException: its request has no ConditionExpression or Expected, .*\(https:\/\/docs\.aws\.amazon\.com\/amazondynamodb\/latest\/APIReference\/API_UpdateItem\.html\)$/),
    }]);
    expect(report.states.unreachable.map((u) => u.state)).toEqual(['Busy']);
    const unhandled = report.findings.find((f) => f.kind === 'unhandled-error' && f.state === 'Mark');
    expect(unhandled?.message).not.toContain('ConditionalCheckFailed');
  });

  it('takes the Catch of a conditional write, JSONPath or JSONata, by its condition check failing', async () => {
    for (const wf of [update({ ConditionExpression: 'attribute_exists(id)' }), update({ ConditionExpression: 'attribute_exists(id)' }, true)]) {
      const report = await wf.explore();
      expect(reaching(report, 'catches', 'Mark#0').mocks.Mark).toEqual({ Throw: { Error: 'DynamoDB.ConditionalCheckFailedException', Cause: expect.any(String) } });
    }
  });

  it('does not judge a request computed whole by a JSONata expression', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Mark',
      States: {
        Mark: {
          Type: 'Task',
          Resource: UPDATE,
          Arguments: '{% $states.input.request %}',
          Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Busy' }],
          End: true,
        },
        Busy: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.catches.unreachable).toEqual([]);
    expect(reaching(report, 'catches', 'Mark#0').mocks.Mark).toEqual({ Throw: { Error: 'DynamoDB.ConditionalCheckFailedException', Cause: expect.any(String) } });
  });

  it('proves a Retry on ExecutionAlreadyExistsException unreachable for a startExecution without a Name, and takes it with one', async () => {
    const start = (params: Record<string, unknown>) => machine({
      StartAt: 'Child',
      States: {
        Child: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child', ...params },
          Retry: [{ ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'], MaxAttempts: 1 }],
          End: true,
        },
      },
    });
    const unnamed = await start({}).explore();
    expect(unnamed.retries.unreachable).toEqual([{ retry: 'Child#0', reason: expect.stringContaining('its request has no Name') }]);
    const named = await start({ 'Name.$': '$.id' }).explore();
    expect(named.retries.unreachable).toEqual([]);
    expect(reaching(named, 'retries', 'Child#0').mocks.Child).toEqual([{ Throw: { Error: 'StepFunctions.ExecutionAlreadyExistsException', Cause: expect.any(String) } }, expect.anything()]);
  });

  it('applies to the AWS SDK integration of the same operation', () => {
    const def = { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem', Parameters: { TableName: 't', Item: {} }, End: true } as const;
    expect(errorRuledOut(def, 'DynamoDb.ConditionalCheckFailedException')?.error).toBe('ConditionalCheckFailedException');
    expect(errorRuledOut({ ...def, Parameters: { 'TableName': 't', 'Item': {}, 'ConditionExpression.$': '$.cond' } }, 'DynamoDb.ConditionalCheckFailedException')).toBeUndefined();
    expect(errorRuledOut(def, 'DynamoDb.ResourceNotFoundException')).toBeUndefined();
  });
});

describe('the rules of errors a request rules out', () => {
  const operations = REQUEST_ERROR_RULES.flatMap((rule) =>
    rule.services.flatMap((service) =>
      rule.actions.map((action) => [rule.error, service, action] as const)));
  it.each(operations)(
    'names %s, an error %s:%s raises and a field of its request',
    (error, service, action) => {
      const resource = service === 'states' || service === 'dynamodb' && action !== 'transactWriteItems'
        ? `arn:aws:states:::${service}:${action}` : `arn:aws:states:::aws-sdk:${service}:${action}`;
      const rule = REQUEST_ERROR_RULES.find((r) => r.error === error)!;
      expect(errorsOf(resource).names.some((n) => n.endsWith(`.${error}`))).toBe(true);
      expect(rule.needsAnyOf.every((f) => contractOf(resource).requestFields.includes(f))).toBe(true);
      expect(rule.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    },
  );
});
