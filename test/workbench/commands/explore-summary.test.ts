import { summarizeExplore, SUMMARY_LISTED } from '../../../src/workbench/commands/explore-summary';
import { ORDER, report, THROTTLED_THEN_DECLINED } from '../scaffold/fixtures';

describe('an explore report\'s summary', () => {
  it('lists the first 10 goals of a long list and says how many it left out', () => {
    const notReached = Array.from({ length: 25 }, (_, i) => ({ transition: `A${i} -> B`, reason: 'no scenario reached it' }));
    const long = report([THROTTLED_THEN_DECLINED], { transitions: { reached: 0, total: 25, unreachable: [], notReached } });
    const { report: summary, leftOut } = summarizeExplore(long, ORDER);
    expect(summary.transitions.notReached).toEqual(notReached.slice(0, SUMMARY_LISTED));
    expect(summary.transitions.total).toBe(25);
    expect(leftOut).toContain('15 of 25 transitions not reached');
  });

  it('keeps every scenario\'s input, Task answers and outcome, and its path as the decisive states and its length', () => {
    const { report: summary } = summarizeExplore(report([THROTTLED_THEN_DECLINED]), ORDER);
    const [s] = summary.scenarios;
    expect(s).toMatchObject({ input: THROTTLED_THEN_DECLINED.input, mocks: THROTTLED_THEN_DECLINED.mocks, status: 'FAILED', error: 'Order.Declined' });
    expect(s.decisiveStates).toEqual(['Charge', 'Declined']);
    expect(s.pathLength).toBe(THROTTLED_THEN_DECLINED.path.length);
    expect(Object.hasOwn(s, 'path')).toBe(false);
  });
});
