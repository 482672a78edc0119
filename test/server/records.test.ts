import type { RawRecord } from '../../src/server/journal';
import { checkRecord, recordProblem, unknownKind, type JournalRecord, type RecordOf } from '../../src/server/records';

/** A child execution's closing, as the journal holds it. */
const CHILD = {
  t: 'child',
  arn: 'c',
  root: 'r',
  parent: 'r',
  mapRunArn: 'm',
  stateMachineArn: 's',
  state: 'Run',
  name: 'n',
  input: '{}',
  startDate: 1,
  itemCount: 1,
  type: 'STANDARD',
  seq: 0,
  attempt: 1,
  status: 'SUCCEEDED',
  stopDate: 2,
  history: { id: 'h', parts: 1, events: 2 },
};

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
    [{ ...CHILD, attempt: '1' }, "the 'child' record's field 'attempt' is not a number: \"1\""],
    [{ ...CHILD, status: 'RUNNING' }, "the 'child' record's field 'status' is not one of SUCCEEDED, FAILED, TIMED_OUT, ABORTED: \"RUNNING\""],
  ])('%j: %s', (record, problem) => {
    expect(recordProblem(record as RawRecord)).toBe(problem);
  });

  it('takes the answer of a call: a result, an error, or a call the execution stopped waiting for', () => {
    expect(recordProblem({ t: 'result', arn: 'a', key: 'k:0', at: 1, ok: true, output: null })).toBeUndefined();
    expect(recordProblem({ t: 'result', arn: 'a', key: 'k:0', at: 1, ok: false, error: 'E' })).toBeUndefined();
    expect(recordProblem({ t: 'result', arn: 'a', key: 'k:0', at: 1, ok: false, aborted: true })).toBeUndefined();
  });

  it('takes a record with its optional fields absent or null', () => {
    expect(recordProblem({ t: 'stop', arn: 'a' })).toBeUndefined();
    expect(recordProblem({ t: 'stop', arn: 'a', error: null, cause: 'c' })).toBeUndefined();
    expect(recordProblem({ t: 'stop', arn: 'a', root: 'r' })).toBeUndefined();
    expect(recordProblem(CHILD)).toBeUndefined();
  });
});

/** A state machine's record as CreateStateMachine journals it. */
const MACHINE = {
  t: 'machine',
  arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
  name: 'orders',
  definition: '{}',
  roleArn: 'arn:aws:iam::123456789012:role/R',
  type: 'STANDARD',
  at: 1,
  revisionId: 'r1',
};
const ACTIVITY = { t: 'activity', arn: 'arn:aws:states:us-east-1:123456789012:activity:approve', name: 'approve', at: 1 };

describe('serve: the name of a journaled state machine or activity is one AWS takes, and its ARN\'s', () => {
  it('takes the records CreateStateMachine and CreateActivity journal', () => {
    expect(recordProblem(MACHINE)).toBeUndefined();
    expect(recordProblem(ACTIVITY)).toBeUndefined();
    expect(recordProblem({ ...MACHINE, arn: `${MACHINE.arn.replace(/orders$/, '')}${'n'.repeat(80)}`, name: 'n'.repeat(80) })).toBeUndefined();
  });

  it.each([
    ['a name of 50 MB', { ...MACHINE, name: 'x'.repeat(50 * 1024 ** 2) },
      `the 'machine' record's field 'name' is 52,428,800 characters long, where a name has 1 to 80: "${'x'.repeat(79)}…`],
    ['a name of 81 characters', { ...MACHINE, arn: `${MACHINE.arn.replace(/orders$/, '')}${'n'.repeat(81)}`, name: 'n'.repeat(81) },
      `the 'machine' record's field 'name' is 81 characters long, where a name has 1 to 80: "${'n'.repeat(79)}…`],
    ['an empty name', { ...MACHINE, name: '' }, "the 'machine' record's field 'name' is 0 characters long, where a name has 1 to 80: \"\""],
    ['a name that is not its ARN\'s', { ...MACHINE, name: 'payments' }, "the 'machine' record's field 'name' \"payments\" is not the name its field 'arn' holds (\"orders\")"],
    ['a name with a space', { ...MACHINE, name: 'a b' }, "the 'machine' record's field 'name' holds a character a name may not (white space, brackets, wildcards, special or control characters): \"a b\""],
    ['a version\'s ARN', { ...MACHINE, arn: `${MACHINE.arn}:3` }, `the 'machine' record's field 'arn' is not the ARN of a state machine: "${MACHINE.arn}:3"`],
    ['an ARN that is none', { ...MACHINE, arn: 'a' }, "the 'machine' record's field 'arn' is not the ARN of a state machine: \"a\""],
    ['an activity\'s name that is not its ARN\'s', { ...ACTIVITY, name: 'reject' }, "the 'activity' record's field 'name' \"reject\" is not the name its field 'arn' holds (\"approve\")"],
    ['an activity with a state machine\'s ARN', { ...ACTIVITY, arn: MACHINE.arn }, `the 'activity' record's field 'arn' is not the ARN of an activity: "${MACHINE.arn}"`],
  ])('refuses %s, naming the field', (_what, record, problem) => {
    expect(recordProblem(record as RawRecord)).toBe(problem);
  });
});

describe('serve: journal records are typed by their kind', () => {
  it('gives a checked record its kind\'s fields, and refuses to call one of another kind by it', () => {
    const { record } = checkRecord({ t: 'heartbeat', token: 't-1', at: 5 });
    expect(record?.t === 'heartbeat' ? [record.token, record.at] : undefined).toEqual(['t-1', 5]);
    expect(checkRecord({ t: 'heartbeat', token: 't-1' })).toEqual({ problem: "the 'heartbeat' record has no field 'at'" });
    // A field the kind does not have does not compile, as a writer's misspelled field does not.
    // @ts-expect-error -- 'stop' records have no 'at'
    const misspelled: RecordOf<'stop'> = { t: 'stop', arn: 'a', at: 1 };
    expect(misspelled.t).toBe('stop');
  });

  it('checks a switch over the kinds for every kind: a kind left out does not compile, and names itself if it comes', () => {
    const arnOf = (r: JournalRecord): string => {
      switch (r.t) {
        case 'start': case 'stop': case 'redrive': case 'closed': case 'result': case 'machine': case 'update': case 'deleteMachine':
        case 'version': case 'deleteVersion': case 'alias': case 'deleteAlias': case 'tag': case 'untag': case 'activity':
        case 'deleteActivity': case 'mapRun': case 'child':
          return r.arn;
        case 'history':
          return r.id;
        case 'callback': case 'delivered':
          return r.token;
        case 'compacted':
          return '';
        default:
          // 'heartbeat' is left out on purpose.
          // @ts-expect-error -- a heartbeat record reaches the default
          return unknownKind(r);
      }
    };
    expect(arnOf({ t: 'stop', arn: 'a' })).toBe('a');
    expect(() => arnOf({ t: 'heartbeat', token: 't', at: 1 })).toThrow("unknown journal record 'heartbeat'");
  });
});
