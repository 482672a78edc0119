import { machine, replays } from './helpers';
import type { ExploreReport } from '../../src/explore/report-types';

/*
 * Issue 77: a new user's machine reads a field of a Task's answer that the service never returns
 * (SNS Publish answers MessageId and SequenceNumber, never a Status; SQS SendMessage never a
 * ReceiptHandle). Every run then fails where the field is read, so what follows is unreachable:
 * explore must prove it, naming the field, what the answer holds and the fix, and must not claim
 * it where the answer does hold the field, where an earlier rule leaves a branch open, or where
 * the field is only tested with IsPresent.
 */

const PUBLISH = 'arn:aws:states:::sns:publish';
const SEND = 'arn:aws:states:::sqs:sendMessage';

/** SNS Publish, then a JSONPath Choice on a field of its answer. */
function publishThenChoice(rules: object[]) {
  return {
    StartAt: 'Notify',
    States: {
      'Notify': {
        Type: 'Task',
        Resource: PUBLISH,
        Parameters: { 'TopicArn': 'arn:aws:sns:us-east-1:123456789012:orders', 'Message.$': '$.text' },
        ResultPath: '$.sent',
        Next: 'Delivered?',
      },
      'Delivered?': { Type: 'Choice', Choices: rules, Default: 'Retry later' },
      'Done': { Type: 'Succeed' },
      ...(rules.some((r) => (r as { Next?: string }).Next === 'Urgent') ? { Urgent: { Type: 'Succeed' } } : {}),
      'Retry later': { Type: 'Fail', Error: 'NotDelivered' },
    },
  };
}

/** SQS SendMessage whose JSONata Assign reads a field of its answer whole. */
function sendThenRecord(read: string) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Enqueue',
    States: {
      Enqueue: {
        Type: 'Task',
        Resource: SEND,
        Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: '{% $states.input.body %}' },
        Assign: { receipt: `{% $states.result.${read} %}` },
        Next: 'Record',
      },
      Record: { Type: 'Pass', Output: { handle: '{% $receipt %}' }, Next: 'Saved' },
      Saved: { Type: 'Succeed' },
    },
  };
}

async function explored(def: object): Promise<ExploreReport> {
  const wf = machine(def);
  const report = await wf.explore();
  for (const s of report.scenarios) await replays(wf, s);
  return report;
}

function complete(report: ExploreReport): void {
  for (const c of ['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'] as const) expect(report[c].notReached).toEqual([]);
  expect(report.search.complete).toBe(true);
}

describe('explore proves what reading a field the service never returns closes', () => {
  it('JSONPath: a Choice on .Status of an SNS Publish answer fails on every entry, so Done and Retry later are unreachable', async () => {
    const report = await explored(publishThenChoice([{ Variable: '$.sent.Status', StringEquals: 'DELIVERED', Next: 'Done' }]));
    complete(report);
    const proved = new Map(report.states.unreachable.map((u) => [u.state, u.reason]));
    expect([...proved.keys()].sort()).toEqual(['Delivered?', 'Done', 'Retry later']);
    expect(proved.get('Delivered?')).toContain("'Delivered?' fails on every entry: Choices[0] reads $.sent.Status, the answer of 'Notify' at .Status, "
      + `and ${PUBLISH} never returns .Status (its answer holds MessageId, SequenceNumber`);
    expect(proved.get('Delivered?')).toContain('fix what the machine reads');
    expect(report.states.proofs?.['Delivered?']).toEqual(expect.objectContaining({ kind: 'fails', state: 'Delivered?', error: 'States.Runtime', when: 'entry' }));
    expect(report.choiceRules.unreachable.map((u) => u.rule).sort()).toEqual(['Delivered?#0', 'Delivered?#default']);
  });

  it('JSONPath: only the rules from the one that reads the field on are closed; an earlier rule on the input stays reachable', async () => {
    const report = await explored(publishThenChoice([
      { Variable: '$.urgent', BooleanEquals: true, Next: 'Urgent' },
      { Variable: '$.sent.Status', StringEquals: 'DELIVERED', Next: 'Done' },
    ]));
    complete(report);
    expect(report.states.unreachable.map((u) => u.state).sort()).toEqual(['Done', 'Retry later']);
    expect(report.choiceRules.unreachable.map((u) => u.rule).sort()).toEqual(['Delivered?#1', 'Delivered?#default']);
    expect(report.choiceRules.unreachable[0].reason).toContain('every run that gets to Choices[1] fails \'Delivered?\' with States.Runtime');
  });

  it('claims nothing where the answer holds the field (MessageId) or the rule only asks whether it is there', async () => {
    for (const rule of [
      { Variable: '$.sent.MessageId', StringEquals: 'm-1', Next: 'Done' },
      { Variable: '$.sent.Status', IsPresent: true, Next: 'Done' },
    ]) {
      const report = await explored(publishThenChoice([rule]));
      expect(report.states.unreachable.map((u) => u.reason).join('\n')).not.toContain('never returns');
      expect(report.states.notReached.map((n) => n.state)).not.toContain('Delivered?');
    }
  });

  it('JSONata: an Assign of $states.result.ReceiptHandle fails SQS SendMessage each time it returns, so Record and Saved are unreachable', async () => {
    const report = await explored(sendThenRecord('ReceiptHandle'));
    complete(report);
    const proved = new Map(report.states.unreachable.map((u) => [u.state, u.reason]));
    expect([...proved.keys()].sort()).toEqual(['Record', 'Saved']);
    expect(proved.get('Record')).toContain("'Enqueue' fails with States.QueryEvaluationError each time its call returns, as a run shows: "
      + `its Assign.receipt reads {% $states.result.ReceiptHandle %}, and ${SEND} never returns .ReceiptHandle (its answer holds MD5OfMessageBody`);
    expect(report.transitions.unreachable.map((u) => u.transition)).toContain('Enqueue -> Record');
  });

  it('JSONata: an Assign of a field SendMessage returns (MessageId) reaches Record and Saved', async () => {
    const report = await explored(sendThenRecord('MessageId'));
    complete(report);
    expect(report.states.unreachable).toEqual([]);
  });
});
