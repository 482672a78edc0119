import { machine, reaching, replays } from './helpers';
import type { ExploreReport } from '../../src/explore/report-types';

/*
 * Issue 77: conditions the held machines use that explore's search did not bring round — a
 * difference of fields past a threshold (`$total - $discount > 5000`, a total summed from three
 * Tasks' answers), a polling loop whose counter must come round five times before the branch is
 * taken on what the fifth answer says, and a count of `$match` results. Each goal is reached, and
 * its scenario runs again as reported.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

async function everyGoal(def: object): Promise<ExploreReport> {
  const wf = machine(def);
  const report = await wf.explore();
  for (const c of ['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'] as const) expect(report[c].notReached).toEqual([]);
  for (const s of report.scenarios) await replays(wf, s);
  return report;
}

/** A total summed from three Tasks' answers (through an Output and a `$merge`), less a discount, routed by thresholds. */
function totalsMachine(first: string) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Price lines',
    States: {
      'Price lines': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: fn('price'), Payload: '{% $states.input.cart %}' },
        Output: '{% $states.result.Payload %}',
        Assign: { customer: '{% $states.input.customer %}' },
        Next: 'Shipping',
      },
      'Shipping': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: fn('shipping'), Payload: { weight: '{% $states.input.weight %}' } },
        Output: "{% $merge([$states.input, { 'shipping': $states.result.Payload.cost }]) %}",
        Next: 'Tax',
      },
      'Tax': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: fn('tax'), Payload: { subtotal: '{% $states.input.subtotal %}' } },
        Assign: {
          total: '{% $states.input.subtotal + $states.input.shipping + $states.result.Payload.tax %}',
          discount: '{% $states.input.discount %}',
        },
        Next: 'Route total',
      },
      'Route total': {
        Type: 'Choice',
        Choices: [
          { Condition: `{% ${first} %}`, Next: 'Manual review' },
          { Condition: "{% $total - $discount >= 1000 and $customer.tier = 'gold' %}", Next: 'Free upgrade' },
          { Condition: '{% $total <= 0 %}', Next: 'Nothing to charge' },
        ],
        Default: 'Charge',
      },
      'Manual review': { Type: 'Fail', Error: 'NeedsReview' },
      'Free upgrade': { Type: 'Pass', Next: 'Charge' },
      'Nothing to charge': { Type: 'Succeed' },
      'Charge': { Type: 'Succeed' },
    },
  };
}

/** An export polled until it is done: five turns at most, then a slow one fails and one past half way is escalated. */
const POLLING = {
  QueryLanguage: 'JSONata',
  StartAt: 'Start export',
  States: {
    'Start export': {
      Type: 'Task',
      Resource: LAMBDA,
      Arguments: { FunctionName: fn('start-export'), Payload: { dataset: '{% $states.input.dataset %}' } },
      Assign: { jobId: '{% $states.result.Payload.jobId %}', turn: 0, waited: 0 },
      Next: 'Check export',
    },
    'Check export': {
      Type: 'Task',
      Resource: LAMBDA,
      Arguments: { FunctionName: fn('export-status'), Payload: { jobId: '{% $jobId %}' } },
      Assign: {
        turn: '{% $turn + 1 %}',
        waited: '{% $waited + $states.result.Payload.retryAfter %}',
        state: '{% $uppercase($states.result.Payload.state) %}',
        progress: '{% $states.result.Payload.progress %}',
      },
      Next: 'Export ready?',
    },
    'Export ready?': {
      Type: 'Choice',
      Choices: [
        { Condition: "{% $state = 'SUCCEEDED' and $progress = 100 %}", Next: 'Publish' },
        { Condition: "{% $state in ['FAILED', 'CANCELLED'] %}", Next: 'Export failed' },
        { Condition: '{% $turn >= 5 and $progress < 50 %}', Next: 'Too slow' },
        { Condition: '{% $turn >= 5 %}', Next: 'Escalate' },
        { Condition: '{% $waited > 600 %}', Next: 'Too slow' },
      ],
      Default: 'Pause',
    },
    'Pause': { Type: 'Wait', Seconds: '{% $turn * 10 %}', Next: 'Check export' },
    'Publish': { Type: 'Succeed' },
    'Export failed': { Type: 'Fail', Error: 'ExportFailed' },
    'Too slow': { Type: 'Fail', Error: 'ExportTooSlow' },
    'Escalate': { Type: 'Succeed' },
  },
};

/** A reference routed by its format: `$match` anchored, `$contains` with a regex, a count of `$match` results. */
const REFERENCES = {
  QueryLanguage: 'JSONata',
  StartAt: 'Normalize',
  States: {
    'Normalize': {
      Type: 'Pass',
      Assign: { ref: '{% $trim($states.input.reference) %}', channel: '{% $lowercase($states.input.channel) %}' },
      Next: 'Which format?',
    },
    'Which format?': {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $exists($match($ref, /^INV-[0-9]{4}-[0-9]{6}$/)) %}', Next: 'Invoice' },
        { Condition: '{% $contains($ref, /^CN[0-9]{8}$/) %}', Next: 'Credit note' },
        { Condition: "{% $count($match($ref, /[A-Z]{2}[0-9]{2}/)) >= 2 and $channel = 'edi' %}", Next: 'EDI batch' },
        { Condition: '{% $length($ref) > 40 %}', Next: 'Too long' },
      ],
      Default: 'Unknown format',
    },
    'Invoice': { Type: 'Succeed' },
    'Credit note': { Type: 'Succeed' },
    'EDI batch': { Type: 'Succeed' },
    'Too long': { Type: 'Fail', Error: 'ReferenceTooLong' },
    'Unknown format': { Type: 'Fail', Error: 'UnknownReference' },
  },
};

/** Rows of a JSON Lines file in S3 scored one by one (a Distributed Map given no folder), then counted by a filter on the scores. */
const SCORED_ROWS = {
  QueryLanguage: 'JSONata',
  StartAt: 'Score rows',
  States: {
    'Score rows': {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSONL' },
        Arguments: { Bucket: '{% $states.input.bucket %}', Key: '{% $states.input.key %}' },
      },
      ItemSelector: { row: '{% $states.context.Map.Item.Value %}', index: '{% $states.context.Map.Item.Index %}' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
        StartAt: 'Header row?',
        States: {
          'Header row?': {
            Type: 'Choice',
            Choices: [{ Condition: "{% $states.input.index = 0 and $states.input.row.kind = 'header' %}", Next: 'Skip' }],
            Default: 'Score',
          },
          'Skip': { Type: 'Pass', Output: { skipped: true }, End: true },
          'Score': {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Arguments: {
              FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:score',
              Payload: '{% $states.input.row %}',
            },
            Output: { skipped: false, score: '{% $states.result.Payload.score %}' },
            End: true,
          },
        },
      },
      MaxConcurrency: 50,
      Assign: {
        rows: '{% $count($states.result) %}',
        scored: '{% $count($states.result[skipped = false]) %}',
        high: '{% $count($states.result[score > 80]) %}',
      },
      Next: 'How many?',
    },
    'How many?': {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $rows = 0 %}', Next: 'Empty file' },
        { Condition: '{% $scored = 0 %}', Next: 'Only a header' },
      ],
      Default: 'Done',
    },
    'Empty file': { Type: 'Fail', Error: 'EmptyFile' },
    'Only a header': { Type: 'Fail', Error: 'NoRows' },
    'Done': { Type: 'Succeed' },
  },
};

/** A Lambda's answer and the input assigned to variables, then a Choice whose rules read them through string functions. */
function throughFunctions(choices: Array<[string, string]>) {
  const states: Record<string, object> = {
    Look: {
      Type: 'Task',
      Resource: LAMBDA,
      Arguments: { FunctionName: fn('look'), Payload: { id: '{% $states.input.id %}' } },
      Assign: {
        id: '{% $states.input.id %}',
        email: '{% $lowercase($states.input.email) %}',
        due: '{% $states.result.Payload.due %}',
        scores: '{% $states.result.Payload.scores %}',
      },
      Next: 'Route',
    },
    Route: { Type: 'Choice', Choices: choices.map(([c, next]) => ({ Condition: `{% ${c} %}`, Next: next })), Default: 'Other' },
    Other: { Type: 'Succeed' },
  };
  for (const [, next] of choices) states[next] = { Type: 'Succeed' };
  return { QueryLanguage: 'JSONata', StartAt: 'Look', States: states };
}

describe('explore brings round conditions over differences, loop counters and $match counts', () => {
  it.each([
    ['a difference of two variables past a threshold', '$total - $discount > 5000'],
    ['a variable less a literal past a threshold', '$total - 5 > 5000'],
    ['a threshold above a sum of a variable and a literal', '$total > 5000 + $discount'],
  ])('reaches %s (the total summed from three Tasks)', async (_name, condition) => {
    const report = await everyGoal(totalsMachine(condition));
    expect(reaching(report, 'states', 'Manual review').status).toBe('FAILED');
  });

  it('reaches the branch a polling loop takes on its fifth turn, on what the fifth answer says', async () => {
    const report = await everyGoal(POLLING);
    const s = reaching(report, 'states', 'Escalate');
    expect(s.path.filter((p) => p === 'Check export')).toHaveLength(5);
  });

  it('writes a number where a filter of a later Assign compares a field of the Map\'s results with one ($count($states.result[score > 80]))', async () => {
    const report = await everyGoal(SCORED_ROWS);
    expect(reaching(report, 'states', 'Done').status).toBe('SUCCEEDED');
  });

  it.each([
    ['a number cut out of a text', [['$number($substring($id, 4)) > 1000', 'Big']]],
    ['a part after a split', [["$substringAfter($email, '@') = 'example.com'", 'Internal'], ["$split($email, '@')[1] = 'partner.org'", 'Partner']]],
    ['a time before a date, and a year', [["$toMillis($due) < $toMillis('2024-01-01T00:00:00Z')", 'Overdue'], ["$substring($due, 0, 4) = '2030'", 'Far']]],
    ['an average over at least three scores', [['$average($scores) >= 4.5 and $count($scores) >= 3', 'Praised']]],
    ['a number a $match group holds, past a threshold', [['$number($match($id, /^INV-(\\d+)$/).groups[0]) > 500000', 'Big invoice']]],
  ] as Array<[string, Array<[string, string]>]>)('reaches %s, undoing the functions the field is read through', async (_name, choices) => {
    await everyGoal(throughFunctions(choices));
  });

  it('reaches a count of $match results, beside anchored patterns that must not match', async () => {
    const report = await everyGoal(REFERENCES);
    expect(reaching(report, 'states', 'EDI batch').input).toMatchObject({ channel: expect.stringMatching(/^edi$/i) });
  });
});
