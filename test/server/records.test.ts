import type { JournalRecord } from '../../src/server/journal';
import { recordProblem } from '../../src/server/records';

describe('serve: journal records read back are checked against their kind', () => {
  it.each([
    [{ t: 'start', arn: 'a', name: 'n', input: '{}', seed: 1, at: 1 }, "the 'start' record has no field 'machine'"],
    [{ t: 'start', arn: 'a', machine: 'm', name: 'n', input: {}, seed: 1, at: 1 }, "the 'start' record's field 'input' is not a string: {}"],
    [{ t: 'tag', arn: 'a', tags: [['k']] }, "the 'tag' record's field 'tags' is not a list of [key, value] string pairs: [[\"k\"]]"],
    [{ t: 'heartbeat', token: 't', at: 'soon' }, "the 'heartbeat' record's field 'at' is not a number: \"soon\""],
    [{ t: 'valueOf' }, "it is a record of an unknown kind 'valueOf'"],
    [{ t: '__proto__' }, "it is a record of an unknown kind '__proto__'"],
  ])('%j: %s', (record, problem) => {
    expect(recordProblem(record as JournalRecord)).toBe(problem);
  });

  it('takes a record with its optional fields absent or null', () => {
    expect(recordProblem({ t: 'stop', arn: 'a' })).toBeUndefined();
    expect(recordProblem({ t: 'stop', arn: 'a', error: null, cause: 'c' })).toBeUndefined();
  });
});
