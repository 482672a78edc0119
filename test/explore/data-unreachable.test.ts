import { machine, reaching, replays } from './helpers';
import type { ExploreReport } from '../../src/explore/report-types';
import { stopExploreClock } from '../explore-clock';

/*
 * Issue 77, "unreachability proved, or not claimed": a branch closed by data alone is proved, with
 * a reason every part of which is true; the same machine with one value that does lead to the
 * branch is reached, never claimed. A string an earlier Choice's Default already ruled out
 * (JSONata `=` and JSONPath StringEquals), a kind `$type` already ruled out, a comparison with a
 * number that came out false (which JSONata throws on for any other kind, failing the Choice),
 * and a ternary on a read (`$states.result.Item ? $states.result.Item : null`), which never gives
 * nothing.
 */

stopExploreClock();

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const S = { Type: 'Succeed' };

async function explored(def: object): Promise<ExploreReport> {
  const wf = machine(def);
  const report = await wf.explore();
  expect(report.search.complete).toBe(true);
  for (const s of report.scenarios) await replays(wf, s);
  return report;
}

function unreachable(report: ExploreReport): Map<string, string> {
  return new Map(report.states.unreachable.map((u) => [u.state, u.reason]));
}

/** A ticket whose status a Lambda answers, checked for OPEN, then (by the Default) for CLOSED and `again`. */
function ticketJsonata(again: string) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Load',
    States: {
      'Load': { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'load', Payload: '{% $states.input %}' }, Output: '{% $states.result.Payload %}', Next: 'Open?' },
      'Open?': { Type: 'Choice', Choices: [{ Condition: "{% $states.input.status = 'OPEN' %}", Next: 'Work' }], Default: 'Closed?' },
      'Closed?': {
        Type: 'Choice',
        Choices: [
          { Condition: "{% $states.input.status = 'CLOSED' %}", Next: 'Archive' },
          { Condition: `{% $states.input.status = '${again}' %}`, Next: 'Reopen' },
        ],
        Default: 'Unknown',
      },
      'Work': S,
      'Archive': S,
      'Reopen': S,
      'Unknown': S,
    },
  };
}

function ticketJsonPath(again: string) {
  return {
    StartAt: 'Open?',
    States: {
      'Open?': { Type: 'Choice', Choices: [{ Variable: '$.status', StringEquals: 'OPEN', Next: 'Work' }], Default: 'Closed?' },
      'Closed?': {
        Type: 'Choice',
        Choices: [
          { Variable: '$.status', StringEquals: 'CLOSED', Next: 'Archive' },
          { Variable: '$.status', StringEquals: again, Next: 'Reopen' },
        ],
        Default: 'Unknown',
      },
      'Work': S,
      'Archive': S,
      'Reopen': S,
      'Unknown': S,
    },
  };
}

function readingMachine(kind: string) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Numeric?',
    States: {
      'Numeric?': { Type: 'Choice', Choices: [{ Condition: `{% $type($states.input.n) = '${kind}' %}`, Next: 'Reject' }], Default: 'Classify' },
      'Classify': {
        Type: 'Choice',
        Choices: [{ Condition: "{% $type($states.input.n) = 'string' %}", Next: 'Parse' }, { Condition: '{% $states.input.n > 0 %}', Next: 'Positive' }],
        Default: 'NotPositive',
      },
      'Reject': { Type: 'Fail', Error: 'Rejected' },
      'Parse': S,
      'Positive': S,
      'NotPositive': S,
    },
  };
}

describe('explore proves a branch an earlier Choice on the same value closed, and reaches it when a value leads there', () => {
  it('proves a JSONata rule on a string the Default of an earlier Choice ruled out', async () => {
    const p = unreachable(await explored(ticketJsonata('OPEN')));
    expect([...p.keys()]).toEqual(['Reopen']);
    expect(p.get('Reopen')).toContain("Choices[1] ({% $states.input.status = 'OPEN' %}) is always false");
    expect(p.get('Reopen')).toContain('a string other than "OPEN"');
    expect(p.get('Reopen')).toContain('once Open?#default is taken');
  });

  it('reaches the JSONata rule when its string is another', async () => {
    const report = await explored(ticketJsonata('REOPENED'));
    expect(report.states.unreachable).toEqual([]);
    reaching(report, 'states', 'Reopen');
  });

  it('proves a JSONPath StringEquals the Default of an earlier StringEquals ruled out', async () => {
    const p = unreachable(await explored(ticketJsonPath('OPEN')));
    expect([...p.keys()]).toEqual(['Reopen']);
    expect(p.get('Reopen')).toContain('{"Variable":"$.status","StringEquals":"OPEN"}) is always false on what is left, once Open?#default is taken');
  });

  it('reaches the JSONPath StringEquals when its string is another', async () => {
    const report = await explored(ticketJsonPath('REOPENED'));
    expect(report.states.unreachable).toEqual([]);
    reaching(report, 'states', 'Reopen');
  });

  it('proves StringEquals rules behind the Default of an Or of StringEquals, through a Wait', async () => {
    const p = unreachable(await explored({
      StartAt: 'Status?',
      States: {
        'Status?': {
          Type: 'Choice',
          Choices: [{ Or: [{ Variable: '$.status', StringEquals: 'OPEN' }, { Variable: '$.status', StringEquals: 'PENDING' }], Next: 'Work' }],
          Default: 'Wait',
        },
        'Wait': { Type: 'Wait', Seconds: 5, Next: 'Check' },
        'Check': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.status', StringEquals: 'PENDING', Next: 'Pend' },
            { Not: { Variable: '$.status', StringEquals: 'OPEN' }, Next: 'Other' },
          ],
          Default: 'Reopen',
        },
        'Work': S,
        'Pend': S,
        'Other': S,
        'Reopen': S,
      },
    }));
    expect([...p.keys()].sort()).toEqual(['Pend', 'Reopen']);
    expect(p.get('Reopen')).toContain('{"Not":{"Variable":"$.status","StringEquals":"OPEN"}}) is always true on what is left');
  });

  it('proves a $type rule an earlier $type rule ruled out', async () => {
    const p = unreachable(await explored({
      ...readingMachine('number'),
      States: { ...readingMachine('number').States, 'Numeric?': { Type: 'Choice', Choices: [{ Condition: "{% $type($states.input.n) != 'number' %}", Next: 'Reject' }], Default: 'Classify' } },
    }));
    expect([...p.keys()]).toEqual(['Parse']);
    expect(p.get('Parse')).toContain("Choices[0] ({% $type($states.input.n) = 'string' %}) is always false");
  });

  it('reaches the $type rule when the earlier one ruled out another kind', async () => {
    const report = await explored(readingMachine('boolean'));
    expect(report.states.unreachable).toEqual([]);
    reaching(report, 'states', 'Parse');
  });

  it('names no JSONata error of a later comparison a value that passed an earlier one cannot raise', async () => {
    const p = unreachable(await explored({
      QueryLanguage: 'JSONata',
      StartAt: 'Size?',
      States: {
        'Size?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.amount > 100 %}', Next: 'Big' }], Default: 'Check' },
        'Check': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.amount > 500 %}', Next: 'Huge' }], Default: 'Small' },
        'Big': S,
        'Huge': S,
        'Small': S,
      },
    }));
    expect([...p.keys()]).toEqual(['Huge']);
    expect(p.get('Huge')).not.toContain('JSONata throws');
  });
});

describe('explore words a proof through a ternary on a read truly', () => {
  /** A DynamoDB read whose Item, or null when there is none, is assigned, then a Choice on whether it exists. */
  const lookup = (choice: string) => ({
    QueryLanguage: 'JSONata',
    StartAt: 'Load',
    States: {
      'Load': {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:getItem',
        Arguments: { TableName: 'batches', Key: { pk: { S: '{% $states.input.id %}' } } },
        Assign: { batch: '{% $states.result.Item ? $states.result.Item : null %}' },
        Next: 'Exists?',
      },
      'Exists?': { Type: 'Choice', Choices: [{ Condition: choice, Next: 'Found' }], Default: 'Missing' },
      'Found': S,
      'Missing': S,
    },
  });

  it('never says the ternary gives nothing (an absent Item gives null)', async () => {
    const p = unreachable(await explored(lookup('{% $exists($batch) %}')));
    expect([...p.keys()]).toEqual(['Missing']);
    expect(p.get('Missing')).not.toContain('gives nothing');
  });

  it('reaches Missing when the Choice asks for null, which an absent Item gives', async () => {
    const report = await explored(lookup('{% $batch != null %}'));
    expect(report.states.unreachable).toEqual([]);
    reaching(report, 'states', 'Missing');
  });
});

describe('explore names no JSONPath case of the state input being nothing', () => {
  it('never says a `$` path finds nothing', async () => {
    const p = unreachable(await explored({
      StartAt: 'Export',
      States: {
        'Export': {
          Type: 'Task',
          Resource: LAMBDA,
          Parameters: { 'FunctionName': 'export', 'Payload.$': '$' },
          ResultSelector: { 'kind': 'batch', 'rows.$': '$.Payload.rows' },
          ResultPath: '$.export',
          Next: 'Kind?',
        },
        'Kind?': { Type: 'Choice', Choices: [{ Variable: '$.export.kind', StringEquals: 'single', Next: 'One' }], Default: 'Many' },
        'One': S,
        'Many': S,
      },
    }));
    expect([...p.keys()]).toEqual(['One']);
    expect(p.get('One')).toContain('{"Variable":"$.export.kind","StringEquals":"single"}) is always false');
    expect(p.get('One')).not.toContain('($) finds nothing');
  });
});
