import fc from 'fast-check';
import { machine, reaching, replays } from './helpers';
import type { JsonValue } from '../../src/asl';
import { compileFilter, filterConditions } from '../../src/asl/jsonpath-filter';
import { compilePath, splitAtFilter } from '../../src/asl/path';
import { itemSelectedBy, selects, withSelected } from '../../src/explore/filter-items';

/*
 * A filter's conditions become values of the items explore makes up (issue 77): a path that
 * selects with a filter (`$.Items[?(@.attempt.S==FAIL)]`, a bare word being the string it spells,
 * as Jayway 2.0 reads it) gets items the filter selects, and several filters over one array each
 * get their own.
 */

const QUERY = 'arn:aws:states:::aws-sdk:dynamodb:query';
const TRANSLATE = 'arn:aws:states:::aws-sdk:translate:translateText';
const PUT = 'arn:aws:states:::dynamodb:putItem';

describe('the conditions of a JSONPath filter', () => {
  it('reads a conjunction of item paths compared with literals, a bare word as a string and a number as a number', () => {
    expect(filterConditions('@.Type.Text==AMOUNT_PAID && @.score > 0.5 && @.tag')).toEqual([
      { path: '$.Type.Text', relation: '==', value: 'AMOUNT_PAID' },
      { path: '$.score', relation: '>', value: 0.5 },
      { path: '$.tag', relation: 'present' },
    ]);
    expect(filterConditions("@.kind in ['a', 'b']")).toEqual([{ path: '$.kind', relation: 'in', value: ['a', 'b'] }]);
  });

  it('has none for a filter that is not such a conjunction', () => {
    for (const text of ['@.a == 1 || @.b == 2', '!@.a', '@.a == $.b', '@.a =~ /x.*/', '@.a == @.b', '(@.a == 1)', '@.a ==']) {
      expect(filterConditions(text)).toBeUndefined();
    }
  });

  it('splits a path at its one filter: the path before, the filter, the path read under each item', () => {
    expect(splitAtFilter('$.Docs[0].Fields[?(@.Type.Text==TOTAL)].Value.Text')).toEqual({ base: '$.Docs[0].Fields', filter: '@.Type.Text==TOTAL', rest: '$.Value.Text' });
    expect(splitAtFilter("$[?(@.code == ')]')]")).toEqual({ base: '$', filter: "@.code == ')]'", rest: '$' });
    expect(splitAtFilter('$.a[?(@.x)].b[?(@.y)]')).toBeUndefined();
    expect(splitAtFilter('$.a.b')).toBeUndefined();
  });
});

describe('items a filter selects, made up', () => {
  it('gives each condition a value that meets it, keeping the other fields of the item', () => {
    expect(itemSelectedBy('@.status.S == FAILED && @.tries > 2', { id: 'x' })).toEqual({ id: 'x', status: { S: 'FAILED' }, tries: 3 });
    expect(itemSelectedBy("@.kind in ['big', 'small'] && @.size <= 10", undefined)).toEqual({ kind: 'big', size: 10 });
    expect(itemSelectedBy('@.note != done', { note: 'open' })).toEqual({ note: 'open' });
    expect(itemSelectedBy('@.tags size 2', {})).toEqual({ tags: ['value', 'value'] });
  });

  it('makes none where the filter decides on what it cannot write, or the item made is not selected', () => {
    expect(itemSelectedBy('@.a =~ /x+/', {})).toBeUndefined();
    expect(itemSelectedBy('@.a == 1 && @.a == 2', {})).toBeUndefined();
  });

  it('replaces the items a filter selects in a list, keeping the others in their order', () => {
    const list: JsonValue = [{ k: 'a', n: 1 }, { k: 'b' }, { k: 'a', n: 2 }];
    expect(withSelected(list, '@.k == a', [{ k: 'a', n: 3 }])).toEqual([{ k: 'b' }, { k: 'a', n: 3 }]);
    expect(withSelected(undefined, '@.k == a', [{ k: 'a' }])).toEqual([{ k: 'a' }]);
  });

  it('on any filter, an item made up is one the filter selects as a run evaluates it', () => {
    const tokens = ['@.a', '@.b.c', ' ', '==', '!=', '<', '>=', '>', '&&', "'x'", 'FAIL', '1', '-2.5', 'true', 'null', 'in', "['x', 1]", 'size', 'empty', 'contains'];
    const text = fc.array(fc.constantFrom(...tokens), { minLength: 1, maxLength: 9 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, (filter) => {
      const conditions = filterConditions(filter);
      if (conditions === undefined) return;
      // What has conditions also compiles: the two read a filter alike.
      const operand = (p: string) => {
        const c = compilePath(p);
        return (v: JsonValue | undefined) => c.read({ input: v as JsonValue, context: null });
      };
      expect(() => compileFilter(filter, operand)).not.toThrow();
      const item = itemSelectedBy(filter, {});
      if (item !== undefined) expect(selects(filter, item)).toBe(true);
    }), { numRuns: 1500 });
  });
});

describe('explore reaches what reads the items a filter selects', () => {
  it('answers a Task with an item for each bare-word filter its ResultSelector reads a field under', async () => {
    const wf = machine({
      StartAt: 'Attempts',
      States: {
        Attempts: {
          Type: 'Task',
          Resource: QUERY,
          Parameters: { TableName: 'attempts', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { 'S.$': '$.job' } } },
          ResultSelector: {
            'failed.$': '$.Items[?(@.attempt.S==FAIL)].at.S',
            'passed.$': '$.Items[?(@.attempt.S==PASS)].at.S',
          },
          Next: 'Record',
        },
        Record: {
          Type: 'Task',
          Resource: PUT,
          Parameters: { TableName: 'summary', Item: { failedAt: { 'S.$': '$.failed[0]' }, passedAt: { 'S.$': '$.passed[0]' } } },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 2, total: 2, notReached: [] });
    const items = (reaching(report, 'states', 'Record').mocks.Attempts as { Return: { Items: JsonValue[] } }).Return.Items;
    expect(items).toEqual(expect.arrayContaining([
      expect.objectContaining({ attempt: { S: 'FAIL' }, at: { S: expect.any(String) } }),
      expect.objectContaining({ attempt: { S: 'PASS' }, at: { S: expect.any(String) } }),
    ]));
    for (const s of report.scenarios) await replays(wf, s);
  });

  it('gives each filter over a Parallel\'s results a branch of its own whose answer it keeps', async () => {
    const branch = (name: string, code: string) => ({
      StartAt: name,
      States: { [name]: { Type: 'Task', Resource: TRANSLATE, Parameters: { 'SourceLanguageCode': 'en', 'TargetLanguageCode': code, 'Text.$': '$.text' }, End: true } },
    });
    const wf = machine({
      StartAt: 'Translate',
      States: {
        Translate: { Type: 'Parallel', Branches: [branch('German', 'de'), branch('Italian', 'it')], Next: 'Pick' },
        Pick: { Type: 'Pass', Parameters: { 'de.$': '$[?(@.TargetLanguageCode==de)].TranslatedText', 'it.$': '$[?(@.TargetLanguageCode==it)].TranslatedText' }, Next: 'Save' },
        Save: { Type: 'Task', Resource: PUT, Parameters: { TableName: 't', Item: { de: { 'S.$': '$.de[0]' }, it: { 'S.$': '$.it[0]' } } }, End: true },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 5, total: 5, notReached: [] });
    const mocks = reaching(report, 'states', 'Save').mocks as Record<string, { Return: { TargetLanguageCode: string } }>;
    expect(new Set([mocks.German.Return.TargetLanguageCode, mocks.Italian.Return.TargetLanguageCode])).toEqual(new Set(['de', 'it']));
    for (const s of report.scenarios) await replays(wf, s);
  });
});
