import type { JournalRecord } from '../../src/server/journal';
import { recordProblem } from '../../src/server/records';

describe('serve: journal records read back are checked against their kind', () => {
  it.each([
    [{ t: 'start', arn: 'a', name: 'n', input: '{}', seed: 1, at: 1 }, "the 'start' record has no field 'machine'"],
    [{ t: 'start', arn: 'a', machine: 'm', name: 'n', input: {}, seed: 1, at: 1 }, "the 'start' record's field 'input' is not a string: {}"],
    [{ t: 'tag', arn: 'a', tags: [['k']] }, "the 'tag' record's field 'tags' is not a list of [key, value] string pairs: [[\"k\"]]"],
    [{ t: 'heartbeat', token: 't', at: 'soon' }, "the 'heartbeat' record's field 'at' is not a time in milliseconds since 1970 that a date can hold: \"soon\""],
    [{ t: 'valueOf' }, "it is a record of an unknown kind 'valueOf'"],
    [{ t: '__proto__' }, "it is a record of an unknown kind '__proto__'"],
    [{ t: 'compacted', at: 1e300 }, "the 'compacted' record's field 'at' is not a time in milliseconds since 1970 that a date can hold: 1e+300"],
    [{ t: 'machine', arn: 'a', name: 'n', definition: '{}', roleArn: 'r', type: 'BOGUS', at: 1, revisionId: 'r1' },
      "the 'machine' record's field 'type' is not one of STANDARD, EXPRESS: \"BOGUS\""],
    [{ t: 'closed', arn: 'a', status: 'RUNNING', stopDate: 1, history: [] }, "the 'closed' record's field 'status' is not one of SUCCEEDED, FAILED, TIMED_OUT, ABORTED: \"RUNNING\""],
    [{ t: 'result', arn: 'a', key: 'k:0', at: 1, ok: false }, "the 'result' record of a failed call has no field 'error'"],
  ])('%j: %s', (record, problem) => {
    expect(recordProblem(record as JournalRecord)).toBe(problem);
  });

  it('takes the answer of a call: a result, an error, or a call the execution stopped waiting for', () => {
    expect(recordProblem({ t: 'result', arn: 'a', key: 'k:0', at: 1, ok: true, output: null })).toBeUndefined();
    expect(recordProblem({ t: 'result', arn: 'a', key: 'k:0', at: 1, ok: false, error: 'E' })).toBeUndefined();
    expect(recordProblem({ t: 'result', arn: 'a', key: 'k:0', at: 1, ok: false, aborted: true })).toBeUndefined();
  });

  it('takes a record with its optional fields absent or null', () => {
    expect(recordProblem({ t: 'stop', arn: 'a' })).toBeUndefined();
    expect(recordProblem({ t: 'stop', arn: 'a', error: null, cause: 'c' })).toBeUndefined();
  });
});
