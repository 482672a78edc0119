import { machine, reaching, replays } from './helpers';
import { hintsOf } from '../../src/explore/jsonata-hints';
import { parseJsonata, readsOf, type JsonataNode } from '../../src/explore/solve/jsonata-ast';
import { stopExploreClock } from '../explore-clock';

/*
 * Issue 77, explore round 4, the last gaps of the modern corpus (bench/modern-corpus/round15.ts):
 * a list ranked by `$sort` with a function of two items, built of a query's items through an
 * object constructor; the entries of an object a `$sift` keeps, counted through `$keys`; and a
 * polling loop whose last way out is a deadline on the time since the execution started, behind
 * a count of polls the input bounds; and a `$filter` with a function in an `Assign`, whose item
 * the read of the field its function compares must not write over.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';

function ast(text: string): JsonataNode {
  const r = parseJsonata(text);
  if ('error' in r) throw new Error(r.error);
  return r.ast;
}

const hinted = (text: string, value: unknown, field: string, result: unknown = {}) => {
  const reads = hintsOf(text, ast(text), [{ steps: [], value: value as never }], { variables: {}, result: result as never });
  return reads?.hints.get(field) ?? [];
};

describe('a wanted list carried back through $sort with a function', () => {
  const byAmount = '$sort($states.input.bids, function($l, $r) { $l.amount < $r.amount })';

  it('gives the list as it is when the function keeps it in its order', () => {
    expect(hinted(byAmount, [{ amount: 9 }, { amount: 3 }, { amount: 3 }], '$states.input.bids')).toContainEqual([{ amount: 9 }, { amount: 3 }, { amount: 3 }]);
  });

  it('gives nothing for a list the function would put in another order', () => {
    expect(hinted(byAmount, [{ amount: 3 }, { amount: 9 }], '$states.input.bids')).not.toContainEqual([{ amount: 3 }, { amount: 9 }]);
  });

  it('takes each object a path builds of an item back to the item, as long as the list the field holds now', () => {
    const text = '( $bids := $states.result.Items.{"amount": $number(amount.N)}; $bids )';
    const items = hinted(text, [{ amount: 7 }, { amount: 2 }], '$states.result.Items', { Items: [{}, {}, {}] });
    expect(items).toContainEqual([{ amount: { N: '7' } }, { amount: { N: '2' } }]);
    // Three items now: the first repeated before, or the last after, keeps a sorted list in order.
    expect(items).toContainEqual([{ amount: { N: '7' } }, { amount: { N: '2' } }, { amount: { N: '2' } }]);
  });
});

describe('explore on bids ranked by $sort with a comparator', () => {
  stopExploreClock();

  const wf = machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Read offers',
    States: {
      'Read offers': {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
        Arguments: { TableName: 'offers', KeyConditionExpression: 'job = :j', ExpressionAttributeValues: { ':j': { S: '{% $states.input.job %}' } } },
        Output: `{% (
          $offers := $states.result.Items.{"vendor": vendor.S, "price": $number(price.N)};
          {"ranked": $sort($offers, function($x, $y) { $x.price > $y.price }), "count": $count($offers)}
        ) %}`,
        Next: 'Enough offers?',
      },
      'Enough offers?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.count < 3 %}', Next: 'Too few' }], Default: 'Compare' },
      'Compare': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $states.input.ranked[1].price - $states.input.ranked[0].price > 50 %}', Next: 'Clear winner' },
          { Condition: '{% $states.input.ranked[0].price = $states.input.ranked[1].price %}', Next: 'Ask both' },
        ],
        Default: 'Close',
      },
      // Its Arguments fail on nothing unless the two tied offers name their vendors, which the Choice did not need.
      'Ask both': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'ask-vendors', Payload: { vendors: '{% $states.input.ranked[[0..1]].vendor %}' } },
        Next: 'Close',
      },
      'Too few': { Type: 'Succeed' },
      'Clear winner': { Type: 'Succeed' },
      'Close': { Type: 'Succeed' },
    },
  });

  it('reaches every branch on the two cheapest offers, with three offers or more', async () => {
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    for (const state of ['Clear winner', 'Ask both', 'Close']) await replays(wf, reaching(report, 'states', state));
  });

  it('names the vendors of the tied offers, keeping their prices, for the Task after the tie', async () => {
    const report = await wf.explore();
    expect(report.transitions.notReached).toEqual([]);
    await replays(wf, reaching(report, 'transitions', 'Ask both -> Close'));
  });
});

describe('a count of the keys of what a $sift keeps', () => {
  it('hints objects of that many entries its function keeps', () => {
    const reads = readsOf(ast('$count($keys($sift($grants, function($role) { $role = "admin" }))) > 2'));
    expect(reads.hints.get('$grants')).toContainEqual({ key1: 'admin', key2: 'admin', key3: 'admin' });
  });

  describe('explore on it', () => {
    stopExploreClock();

    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Read toggles',
      States: {
        'Read toggles': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: 'read-toggles', Payload: {} },
          Assign: { toggles: '{% $states.result.Payload.toggles %}' },
          Next: 'How many on?',
        },
        'How many on?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $count($keys($sift($toggles, function($on) { $on = true }))) >= 4 %}', Next: 'Busy' }],
          Default: 'Quiet',
        },
        'Busy': { Type: 'Succeed' },
        'Quiet': { Type: 'Succeed' },
      },
    });

    it('reaches the rule with an answer of four entries the function keeps', async () => {
      const report = await wf.explore();
      expect(report.states.notReached).toEqual([]);
      await replays(wf, reaching(report, 'states', 'Busy'));
    });
  });
});

describe('explore on a polling loop whose deadline comes after a count the input bounds', () => {
  stopExploreClock();

  // Rules 2 and 3 both go to 'Give up': only the rules, evaluated on the clock of the run, tell which took it. The
  // deadline holds at the eleventh pass, when a limit of 30 checks is far off: explore must run the loop that long.
  const wf = machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Start',
    States: {
      'Start': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'start-scan', Payload: {} },
        Assign: { checks: 0, limit: '{% $exists($states.input.limit) ? $states.input.limit : 30 %}' },
        Next: 'Pause',
      },
      'Pause': { Type: 'Wait', Seconds: 60, Next: 'Check' },
      'Check': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'check-scan', Payload: {} },
        Assign: { checks: '{% $checks + 1 %}', state: '{% $states.result.Payload.state %}' },
        Next: 'Done?',
      },
      'Done?': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $state = "DONE" %}', Next: 'Report' },
          { Condition: '{% $state = "ERROR" %}', Next: 'Give up' },
          { Condition: '{% $checks >= $limit %}', Next: 'Give up' },
          { Condition: '{% $millis() - $toMillis($states.context.Execution.StartTime) > 600000 %}', Next: 'Give up' },
        ],
        Default: 'Pause',
      },
      'Report': { Type: 'Succeed' },
      'Give up': { Type: 'Fail', Error: 'Scan.GaveUp' },
    },
  });

  it('runs the loop on until the deadline passes and credits the rule that took it', async () => {
    const report = await wf.explore();
    expect(report.choiceRules.notReached).toEqual([]);
    const s = reaching(report, 'choiceRules', 'Done?#3');
    await replays(wf, s);
    expect(s.path.filter((state) => state === 'Check').length).toBeGreaterThan(10);
  });
});

describe('explore on a $filter with a function in an Assign, one item of which a Choice wants', () => {
  stopExploreClock();

  // An Assign that gives nothing fails its state (States.QueryEvaluationError): the answer must hold an item the function
  // keeps, which the read of `$c.state` under it wrote over with a placeholder the function then kept out.
  const wf = machine({
    QueryLanguage: 'JSONata',
    StartAt: 'List cases',
    States: {
      'List cases': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'list-cases', Payload: {} },
        Assign: { open: '{% $filter($states.result.Payload.cases, function($c) { $c.state = "open" }) %}' },
        Next: 'One open?',
      },
      'One open?': { Type: 'Choice', Choices: [{ Condition: '{% $count($open) = 1 %}', Next: 'Assign owner' }], Default: 'Escalate' },
      'Assign owner': { Type: 'Succeed' },
      'Escalate': { Type: 'Succeed' },
    },
  });

  it('gives the answer items the function keeps, and reaches both branches', async () => {
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const one = reaching(report, 'states', 'Assign owner');
    await replays(wf, one);
    await replays(wf, reaching(report, 'states', 'Escalate'));
    expect((one.mocks['List cases'] as { Return?: { cases?: unknown } }).Return?.cases).toEqual([{ state: 'open' }]);
  });
});
