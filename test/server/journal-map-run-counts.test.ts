import { readMapRuns } from '../../src/server/journal/closing';

/*
 * A `closed` journal record keeps each Map Run's counts. Children that timed out are counted apart
 * from the failed ones (DescribeMapRun's `timedOut`, MapRunExecutionCounts); a journal written
 * before that field existed still restarts, with none timed out.
 */
const ENTRY = {
  arn: 'arn:aws:states:us-east-1:123456789012:mapRun:m/Run:1',
  stateName: 'Run',
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e',
  ...{ total: 3, running: 0, succeeded: 1, failed: 1, aborted: 0, resultsWritten: 3 },
  ...{ maxConcurrency: 0, toleratedFailurePercentage: 0, toleratedFailureCount: 2, started: 3 },
};

describe('a closed record\'s Map Run counts, read back', () => {
  it('keeps the children that timed out, and reads a record written without the field as none timed out', () => {
    const read = readMapRuns([{ ...ENTRY, timedOut: 1 }, { ...ENTRY, arn: `${ENTRY.arn}0` }]);
    expect([...read.values()].map((r) => [r.counts.failed, r.counts.timedOut])).toEqual([[1, 1], [1, 0]]);
  });

  it('refuses a timedOut that is not a count, naming the entry', () => {
    for (const timedOut of [-1, 1.5e400, 'one', null]) {
      expect(() => readMapRuns([{ ...ENTRY, timedOut }])).toThrow(/entry \(0\) that is not a Map Run's counts: \{.*timedOut/);
    }
  });
});
