import { compareAnswers, parityTable, sameJson, type ParityReport } from '../../../src/workbench/parity';

describe('compareAnswers', () => {
  it('lists every field that differs, the outcome first, then the data flow in TestState\'s order', () => {
    const local = { status: 'SUCCEEDED' as const, output: { a: 1 }, nextState: 'B', inspectionData: { input: {}, afterResultPath: { a: 1 }, afterParameters: { p: 1 } } };
    const aws = { status: 'SUCCEEDED' as const, output: { a: 2 }, nextState: 'C', inspectionData: { input: {}, afterParameters: { p: 2 }, afterResultPath: { a: 2 }, errorDetails: { retryIndex: 0 } } };
    expect(compareAnswers(local, aws).map((d) => d.field)).toEqual(['output', 'nextState', 'inspectionData.afterParameters', 'inspectionData.afterResultPath', 'inspectionData.errorDetails']);
    expect(compareAnswers(local, aws)[4]).toEqual({ field: 'inspectionData.errorDetails', aws: { retryIndex: 0 } });
  });

  it('finds nothing between answers whose objects hold the same members in another order', () => {
    expect(compareAnswers({ status: 'SUCCEEDED', output: { a: 1, b: [1, { c: 2, d: 3 }] } }, { status: 'SUCCEEDED', output: { b: [1, { d: 3, c: 2 }], a: 1 } })).toEqual([]);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: null }, {})).toBe(false);
  });

  it('leaves out an HTTP Task\'s request and response, which a mock stands for', () => {
    expect(compareAnswers({ status: 'SUCCEEDED', inspectionData: { request: { url: 'a' } } }, { status: 'SUCCEEDED', inspectionData: { response: { statusCode: '200' } } })).toEqual([]);
  });

  it('compares refusals by their exception name, not their words; a refusal against an answer is one difference', () => {
    expect(compareAnswers({ refused: { type: 'ValidationException', message: 'ours' } }, { refused: { type: 'ValidationException', message: 'AWS\'s' } })).toEqual([]);
    expect(compareAnswers({ status: 'SUCCEEDED' }, { refused: { type: 'InvalidDefinition', message: 'no' } }))
      .toEqual([{ field: 'refused', aws: { type: 'InvalidDefinition', message: 'no' } }]);
  });
});

describe('parityTable', () => {
  const report: ParityReport = {
    against: 'AWS (eu-west-1)',
    calls: 4,
    throttled: 1,
    counts: { equal: 1, differs: 1, skipped: 1, unchecked: 0 },
    rows: [
      { site: { machine: 'Orders', state: 'Charge', visit: 1, attempt: 1, run: 'r1' }, verdict: 'equal' },
      {
        site: { machine: 'Orders', state: 'Charge', visit: 2, attempt: 2, run: 'r2' },
        verdict: 'differs',
        caseFile: 'cases/Orders.Charge.2-2.json',
        differences: [{ field: 'error', local: 'Busy', aws: 'Busy\u001b[2J' }, { field: 'cause', local: 'x', aws: 'y' }],
      },
      { site: { machine: 'Orders', state: 'Big\u202e', visit: 1, attempt: 1, run: 'r1' }, verdict: 'skipped', reason: "not sent: its input is 300,000 characters, over TestState's 262,144" },
    ],
  };

  it('prints a line per state: equal, or its counts, the first difference with both sides, and why a visit was not sent', () => {
    expect(parityTable(report)).toBe([
      'Orders: 3 visits, 1 equal, 1 differs, 1 skipped',
      '  state      visits  result',
      '  Charge          2  1 equal, 1 differs',
      '                     visit 2 attempt 2 (r2): error differs (and 1 more field)',
      '                       stepwright: "Busy"',
      '                       AWS:        "Busy\\u001b[2J"',
      '                       case file:  cases/Orders.Charge.2-2.json',
      '  Big\\u202e       1  1 skipped',
      "                     visit 1 (r1) skipped: not sent: its input is 300,000 characters, over TestState's 262,144",
      '',
      '3 visits against AWS (eu-west-1): 1 equal, 1 differs, 1 skipped; 4 TestState calls, 1 throttled and retried',
    ].join('\n'));
  });
});
