import { machine, reaching, replays } from './helpers';
import { hintsOf } from '../../src/explore/jsonata-hints';
import { parseJsonata, type JsonataNode } from '../../src/explore/solve/jsonata-ast';
import { givenKind, retyped } from '../../src/explore/solve/jsonata-gives';
import { stopExploreClock } from '../explore-clock';

/*
 * Issue 77, explore round 4: a value the search makes up for a variable a JSONata expression
 * computes is of the kind the expression gives (a list of texts where it lower-cases a list),
 * so that what it is computed from can be given a value that gives it.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';

function ast(text: string): JsonataNode {
  const r = parseJsonata(text);
  if ('error' in r) throw new Error(r.error);
  return r.ast;
}

describe('the kind a JSONata expression gives', () => {
  it('reads a list of texts through a chain that maps a string function and removes duplicates', () => {
    expect(givenKind(ast('$states.result.Payload.tags ~> $map($lowercase) ~> $distinct'))).toEqual(['x']);
  });

  it('reads the kind a $map lambda gives each item, and a text from $split', () => {
    expect(givenKind(ast('$map($states.input.items, function($i) { $i.qty * 2 })'))).toEqual([1]);
    expect(givenKind(ast('$sort($split($states.input.csv, ","))'))).toEqual(['x']);
  });

  it('says nothing of a field read as it is or of a function it does not know', () => {
    expect(givenKind(ast('$states.input.tags'))).toBeUndefined();
    expect(givenKind(ast('$distinct($states.input.tags)'))).toBeUndefined();
    expect(givenKind(ast('$map($states.input.tags, $f)'))).toBeUndefined();
  });

  it('makes a list of numbers into as many different texts where texts are its kind', () => {
    expect(retyped([1, 2, 3], ['x'])).toEqual(['x1', 'x2', 'x3']);
    expect(retyped(['a', 'b'], ['x'])).toBeUndefined();
    expect(retyped([1, 2], 'x')).toBeUndefined();
  });
});

describe('explore on a count of tags lower-cased and de-duplicated through a chain', () => {
  stopExploreClock();

  const wf = machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Look up',
    States: {
      'Look up': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'lookup', Payload: { id: '{% $states.input.id %}' } },
        Assign: { labels: '{% $states.result.Payload.labels ~> $map($lowercase) ~> $distinct %}' },
        Next: 'Labelled?',
      },
      'Labelled?': {
        Type: 'Choice',
        Choices: [{ Condition: '{% $count($labels) >= 2 %}', Next: 'Many labels' }],
        Default: 'Few labels',
      },
      'Many labels': { Type: 'Succeed' },
      'Few labels': { Type: 'Succeed' },
    },
  });

  it('gives the answer a list of different texts that the count takes', async () => {
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const s = reaching(report, 'states', 'Many labels');
    await replays(wf, s);
    // A Lambda's mock returns its Payload.
    const labels = (s.mocks['Look up'] as { Return?: { labels?: unknown } }).Return?.labels;
    expect(Array.isArray(labels) && labels.every((l) => typeof l === 'string')).toBe(true);
  });
});

describe('a wanted list carried back through a chain', () => {
  const hinted = (text: string, value: unknown, field: string) => {
    const reads = hintsOf(text, ast(text), [{ steps: [], value: value as never }], { variables: {} });
    return reads?.hints.get(field) ?? [];
  };

  it('joins the texts wanted into the one text $split cuts, through a $map of $trim', () => {
    expect(hinted('$split($states.result.Payload.codes, ";") ~> $map($trim)', ['a', 'b', 'c'], '$states.result.Payload.codes')).toContainEqual('a;b;c');
  });

  it('gives $distinct a list of different items as it is and $reverse the list the other way round', () => {
    expect(hinted('$states.input.tags ~> $distinct', ['a', 'b'], '$states.input.tags')).toContainEqual(['a', 'b']);
    expect(hinted('$reverse($states.input.ranks)', [3, 2, 1], '$states.input.ranks')).toContainEqual([1, 2, 3]);
  });
});

describe('explore on a count of labels a $map lambda trims and upper-cases', () => {
  stopExploreClock();

  const wf = machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Tag',
    States: {
      'Tag': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'tag', Payload: {} },
        Assign: { codes: '{% $map($states.result.Payload.codes, function($c) { $uppercase($trim($c)) }) %}' },
        Next: 'Enough codes?',
      },
      'Enough codes?': { Type: 'Choice', Choices: [{ Condition: '{% $count($codes) >= 3 %}', Next: 'Coded' }], Default: 'Uncoded' },
      'Coded': { Type: 'Succeed' },
      'Uncoded': { Type: 'Succeed' },
    },
  });

  it('gives upper-cased texts, which the lambda gives back as they are', async () => {
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const s = reaching(report, 'states', 'Coded');
    await replays(wf, s);
    const codes = (s.mocks.Tag as { Return?: { codes?: unknown } }).Return?.codes;
    expect(Array.isArray(codes) && codes.length >= 3 && codes.every((c) => typeof c === 'string')).toBe(true);
  });
});
