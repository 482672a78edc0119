import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { compilePath } from '../../src/asl/path';
import { Workflow } from '../../src/testing/workflow';

/*
 * The JSONPath forms users bring from Jayway's documentation and from other tools, each as AWS
 * evaluates it. Sources: AWS's page on paths
 * (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html), the
 * conformance recordings in ../shared/conformance (base/test_json_path_array_wildcard_or_slice_with_no_input,
 * scenarios/test_escape_sequence_parsing), and Jayway JsonPath, the library AWS evaluates paths
 * with, where neither says. Where AWS's answer is not recorded, the run goes on and its advice says so.
 */

const input = { 'a': [10, 20, 30, 40], 'nums': [1, 3, 5], 'b': { x: 1, c: { x: 2 } }, 'a b': 7, 'rows': [{ n: 1 }, { n: 3 }, { n: 5 }] };

/** A path read alone, and what it told of a reading AWS has not recorded. */
function read(path: string, value: JsonValue = input): { value: JsonValue | undefined; told: string[] } {
  const told: string[] = [];
  return { value: compilePath(path).read({ input: value, context: null, unrecorded: (m) => told.push(m) }), told };
}

/** One Pass state whose Parameters read the path. */
function passReading(path: string): StateMachineDefinition {
  return { StartAt: 'Read', States: { Read: { Type: 'Pass', Parameters: { 'v.$': path }, End: true } } } as StateMachineDefinition;
}

describe('JSONPath forms users bring, as AWS evaluates them', () => {
  describe('a filter over an array of scalars: $[?(@ > 2)]', () => {
    it('selects none of the scalars, as AWS documents that @ matches objects only, and says Jayway would select them', () => {
      const r = read('$.nums[?(@ > 2)]');
      expect(r.value).toEqual([]);
      expect(r.told).toEqual([expect.stringContaining("the JSONPath '$.nums[?(@ > 2)]' has a filter that holds for 2 items that are not objects (3, 5), and selects none of them, as AWS documents")]);
      expect(read("$.s[?(@ == 'x')]", { s: ['x', 'y'] }).value).toEqual([]);
      expect(read('$.s[?(@ == null)]', { s: [null, 1] }).value).toEqual([]);
    });

    it('says nothing when the filter holds for no scalar, and still selects objects by their fields', () => {
      expect(read('$.nums[?(@ > 9)]')).toEqual({ value: [], told: [] });
      // AWS's own example on its page on paths: $.jar[?(@.a >= 5)].
      expect(read('$.rows[?(@.n >= 3)]')).toEqual({ value: [{ n: 3 }, { n: 5 }], told: [] });
    });

    it('keeps the objects of a mixed array and skips its scalars', () => {
      const r = read('$.m[?(!@.gone)]', { m: [1, { k: 1 }, 'two', null] });
      expect(r.value).toEqual([{ k: 1 }]);
      expect(r.told).toEqual([expect.stringContaining('holds for 3 items that are not objects (1, "two", null)')]);
    });

    it("goes on in a run and tells the run's advice, naming the state", async () => {
      const run = await Workflow.fromDefinition(passReading('$.nums[?(@ > 2)]')).run({ nums: [1, 3, 5] });
      expect(run.status).toBe('SUCCEEDED');
      expect(run.output).toEqual({ v: [] });
      expect(run.advice).toEqual([expect.objectContaining({ state: 'Read', message: expect.stringContaining('matches objects only') })]);
    });
  });

  describe('nested filters over scalars: each tells the run, named by the whole path', () => {
    const nested: { a: JsonValue[] } = { a: [{ b: true, c: [1, 2, 3] }, { c: [5] }] };
    it.each([
      ['a filter after a filter', '$.a[?(@.b)].c[?(@ > 1)]', []],
      ['a filter after a deep scan below a filter', '$.a[?(@.b)]..[?(@ > 1)]', []],
      // An indefinite path inside a filter exists, empty or not, so both items stay; its filter skipped their scalars all the same.
      ['a filter inside a filter', '$.a[?(@.c[?(@ > 1)])]', nested.a],
    ])('%s: %s', (_form, path, value) => {
      const r = read(path as string, nested);
      expect(r.value).toEqual(value);
      expect(r.told).toEqual([expect.stringContaining(`the JSONPath '${path}' has a filter that holds for`)]);
    });

    it('names every scalar the inner filter held for, over all the items, once', () => {
      const r = read('$.a[?(@.c[?(@ > 1)])]', nested);
      expect(r.told).toEqual([expect.stringContaining('holds for 3 items that are not objects (2, 3, 5)')]);
      expect(read('$.a[?(@.c[?(@ > 9)])]', nested).told).toEqual([]);
    });

    it("tells a run's advice of a filter inside a filter, naming the state", async () => {
      const run = await Workflow.fromDefinition(passReading('$.a[?(@.c[?(@ > 1)])]')).run(nested);
      expect(run.status).toBe('SUCCEEDED');
      expect(run.advice).toEqual([expect.objectContaining({ state: 'Read', message: expect.stringContaining('matches objects only') })]);
    });
  });

  it('skips scalars in InputPath and ResultSelector as in Parameters: the sentence AWS lists under reference paths is read for every path that may hold a filter', async () => {
    const definition = {
      StartAt: 'Read',
      States: { Read: { Type: 'Pass', InputPath: '$.nums[?(@ > 2)]', ResultPath: '$', End: true } },
    } as StateMachineDefinition;
    const run = await Workflow.fromDefinition(definition).run({ nums: [1, 3, 5] });
    expect(run.output).toEqual([]);
    expect(run.advice).toEqual([expect.objectContaining({ state: 'Read', message: expect.stringContaining('matches objects only') })]);
    const selected = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ResultSelector: { 'big.$': '$.Payload.nums[?(@ > 2)]' }, End: true } } };
    const task = await Workflow.fromDefinition(selected as StateMachineDefinition).run({}, { mocks: { T: { nums: [1, 3, 5] } }, requestChecks: 'warn' });
    expect(task.output).toEqual({ big: [] });
  });

  describe('the other forms Jayway reads, as AWS reads them', () => {
    it.each([
      ['a deep scan: $..x', '$..x', [1, 2]],
      ['a deep scan under a field: $.b..x', '$.b..x', [1, 2]],
      ['a slice from the end: $.a[-1:]', '$.a[-1:]', [40]],
      ['a slice to the end less one: $.a[:-1]', '$.a[:-1]', [10, 20, 30]],
      ['a slice between two indexes: $.a[1:3]', '$.a[1:3]', [20, 30]],
      ['an index list: $.a[0,2]', '$.a[0,2]', [10, 30]],
      ['an index from the end: $.a[-1]', '$.a[-1]', 40],
      ['a quoted name with a blank: $[\'a b\']', "$['a b']", 7],
      ['a wildcard: $.a[*]', '$.a[*]', [10, 20, 30, 40]],
    ] as const)('reads %s', (_, path, expected) => {
      expect(read(path)).toEqual({ value: expected, told: [] });
    });

    it("fails a function such as $.a.length() with States.Runtime, as AWS reads 'length()' as a field it cannot find", async () => {
      // AWS: "Invalid path '$.list.length()' : Property ['length()'] not found in path $['list']"
      // (awsdocs/aws-step-functions-developer-guide pull 5), and for a Parameters field "The JSONPath
      // '$.Jobs.sum()' specified for the field 'Jobs.$' could not be found in the input" (re:Post).
      expect(read('$.a.length()')).toEqual({ value: undefined, told: [] });
      const run = await Workflow.fromDefinition(passReading('$.a.length()')).run({ a: [1, 2] });
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('States.Runtime');
      expect(run.cause).toContain("The JSONPath '$.a.length()' specified for the field 'v.$' could not be found in the input");
    });
  });
});
