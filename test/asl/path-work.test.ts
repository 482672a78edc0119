import type { JsonValue } from '../../src/asl/definition-types';
import { compilePath } from '../../src/asl/path';
import { PATH_WORK_LIMIT } from '../../src/asl/path-work';

/** `{"x":{"x":…{"a":1}}}`, `depth` levels of x. */
const chain = (depth: number): JsonValue => JSON.parse(`${'{"x":'.repeat(depth)}{"a":1}${'}'.repeat(depth)}`) as JsonValue;
const read = (path: string, input: JsonValue) => compilePath(path).read({ input, context: {} });

describe('JSONPath recursive descents, bounded in work before they start', () => {
  it('refuses $..x..x..x..a over a value nested 995 deep with States.Runtime naming the bound, not running for minutes', () => {
    // About 10^14 steps as jsonpath-plus walks it: the answer coming back at all shows it was refused, not run.
    expect(() => read('$..x..x..x..a', chain(995))).toThrow(
      expect.objectContaining({
        error: 'States.Runtime',
        message: expect.stringContaining('its 4 recursive descents (..) over a value of 997 nodes nested 996 deep would take about 9.9e+14 steps,'
          + ` more than stepwright's bound of ${PATH_WORK_LIMIT.toLocaleString('en-US')}`),
      }),
    );
  });

  it('still reads two descents over a value nested 100 deep, and one over the deepest value', () => {
    expect(read('$..x..a', chain(100))).toHaveLength(100);
    expect(read('$..a', chain(999))).toEqual([1]);
  });

  it('counts no descent written inside a filter\'s text', () => {
    expect(read('$.l[?(@.s == "a..b..c..d")]', { l: [{ s: 'a..b..c..d' }, { s: 'x' }] })).toEqual([{ s: 'a..b..c..d' }]);
  });
});
