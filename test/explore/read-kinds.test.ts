import { machine, reaching, replays } from './helpers';
import { stopExploreClock } from '../explore-clock';

/*
 * Issue 77, explore round 4 (ninth pass): what a JSONata function does with a field it reads says
 * what explore must make up there. `$toMillis` reads an ISO 8601 time and throws D3110 on any
 * other text (https://docs.jsonata.org/date-time-functions#tomillis), so a Task's answer read
 * through it holds a time, not the field's name.
 */
describe('explore: the kind a JSONata function reads', () => {
  stopExploreClock();

  it('makes up an ISO 8601 time for a DynamoDB attribute read through $toMillis', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Load claim',
      States: {
        'Load claim': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Arguments: { TableName: 'claims', Key: { pk: { S: '{% $states.input.claimId %}' } } },
          Assign: { dueMs: '{% $toMillis($states.result.Item.dueAt.S) %}', startedMs: '{% $toMillis($states.context.Execution.StartTime) %}' },
          Next: 'Overdue?',
        },
        'Overdue?': { Type: 'Choice', Choices: [{ Condition: '{% $dueMs < $startedMs %}', Next: 'Escalate' }], Default: 'Wait' },
        'Escalate': { Type: 'Succeed' },
        'Wait': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const overdue = reaching(report, 'choiceRules', 'Overdue?#0');
    const due = (overdue.mocks['Load claim'] as { Return: { Item: { dueAt: { S: string } } } }).Return.Item.dueAt.S;
    expect(Number.isNaN(Date.parse(due))).toBe(false);
    await replays(wf, overdue);
    await replays(wf, reaching(report, 'choiceRules', 'Overdue?#default'));
  });
});

describe('explore: an item of what a function gives', () => {
  stopExploreClock();

  it('makes up a text with enough parts for the part $split(...)[3] reads', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Look up order',
      States: {
        'Look up order': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'lookup-order', Payload: { ref: '{% $states.input.ref %}' } },
          Assign: { region: '{% $split($uppercase($trim($states.result.Payload.reference)), "-")[3] %}' },
          Next: 'EU?',
        },
        'EU?': { Type: 'Choice', Choices: [{ Condition: '{% $region = "EU" %}', Next: 'EU desk' }], Default: 'Other desk' },
        'EU desk': { Type: 'Succeed' },
        'Other desk': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const other = reaching(report, 'choiceRules', 'EU?#default');
    // A Lambda mock's Return is the function's Payload.
    const ref = (other.mocks['Look up order'] as { Return: { reference: string } }).Return.reference;
    expect(ref.split('-').length).toBeGreaterThanOrEqual(4);
    await replays(wf, other);
    await replays(wf, reaching(report, 'choiceRules', 'EU?#0'));
  });
});

describe('explore: a list a block binds', () => {
  stopExploreClock();

  it('builds as many query items as a $count of a variable that maps them one to one wants', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Query scores',
      States: {
        'Query scores': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
          Arguments: { TableName: 'scores', KeyConditionExpression: 'season = :s', ExpressionAttributeValues: { ':s': { S: '{% $states.input.season %}' } } },
          Output: '{% ( $players := $states.result.Items.{"name": player.S}; {"players": $count($players)} ) %}',
          Next: 'Enough players?',
        },
        'Enough players?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.players < 3 %}', Next: 'Void' }], Default: 'Prize' },
        'Void': { Type: 'Succeed' },
        'Prize': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.choiceRules.notReached).toEqual([]);
    const prize = reaching(report, 'choiceRules', 'Enough players?#default');
    expect((prize.mocks['Query scores'] as { Return: { Items: unknown[] } }).Return.Items.length).toBeGreaterThanOrEqual(3);
    await replays(wf, prize);
  });
});

describe('explore: an object a Condition looks a key up in', () => {
  stopExploreClock();

  it('gives the object the key the input names, holding the value the Condition compares with', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Read flags',
      States: {
        'Read flags': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'read-flags', Payload: { env: '{% $states.input.env %}' } },
          Assign: { flags: '{% $states.result.Payload.flags %}', feature: '{% $states.input.feature %}' },
          Next: 'Already on?',
        },
        'Already on?': { Type: 'Choice', Choices: [{ Condition: '{% $lookup($flags, $feature) = true %}', Next: 'On' }], Default: 'Roll out' },
        'On': { Type: 'Succeed' },
        'Roll out': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.choiceRules.notReached).toEqual([]);
    const on = reaching(report, 'choiceRules', 'Already on?#0');
    const feature = (on.input as { feature: string }).feature;
    expect((on.mocks['Read flags'] as { Return: { flags: Record<string, unknown> } }).Return.flags[feature]).toBe(true);
    await replays(wf, on);
  });
});

describe('explore: a Condition on the time since the execution started', () => {
  stopExploreClock();

  it('evaluates $millis() against $states.context.Execution.StartTime, and takes the rule after it', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Get run',
      States: {
        'Get run': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:glue:getJobRun',
          Arguments: { JobName: 'etl', RunId: 'r-1' },
          Assign: { state: '{% $states.result.JobRun.JobRunState %}' },
          Next: 'Job state?',
        },
        'Job state?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $millis() - $toMillis($states.context.Execution.StartTime) > 300000 %}', Next: 'Too long' },
            { Condition: '{% $state = "SUCCEEDED" %}', Next: 'Done' },
          ],
          Default: 'Not yet',
        },
        'Too long': { Type: 'Fail', Error: 'Etl.TooLong' },
        'Done': { Type: 'Succeed' },
        'Not yet': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    await replays(wf, reaching(report, 'choiceRules', 'Job state?#1'));
    await replays(wf, reaching(report, 'choiceRules', 'Job state?#default'));
  });
});
