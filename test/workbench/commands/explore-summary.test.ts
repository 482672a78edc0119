import type { ExploreFinding } from '../../../src/explore/report-types';
import { summarizeExplore, SUMMARY_CHARACTERS, SUMMARY_LISTED, type ScenarioSummary } from '../../../src/workbench/commands/explore-summary';
import { ORDER, report, scenario, THROTTLED_THEN_DECLINED } from '../scaffold/fixtures';

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
    const s = summary.scenarios[0] as ScenarioSummary;
    expect(s).toMatchObject({ input: THROTTLED_THEN_DECLINED.input, mocks: THROTTLED_THEN_DECLINED.mocks, status: 'FAILED', error: 'Order.Declined' });
    expect(s.decisiveStates).toEqual(['Charge', 'Declined']);
    expect(s.pathLength).toBe(THROTTLED_THEN_DECLINED.path.length);
    expect(Object.hasOwn(s, 'path')).toBe(false);
  });

  /** A machine of 100 Tasks in a row: each scenario answers every Task, each Task's failure is a finding with a long message. */
  const tasks = Array.from({ length: 100 }, (_, i) => `Task number ${i}`);
  const big = (count = 50) => {
    const scenarios = Array.from({ length: count }, (_, n) => scenario({
      name: `'Task number ${n}' fails with States.TaskFailed, which nothing handles`,
      input: { n },
      mocks: Object.fromEntries(tasks.slice(0, n + 20).map((t) => [t, { Return: { value: n } }])),
      path: tasks.slice(0, n + 51),
      status: 'FAILED',
      error: 'States.TaskFailed',
    }));
    const findings: ExploreFinding[] = tasks.map((t) => ({
      kind: 'unhandled-error',
      state: t,
      error: 'States.TaskFailed',
      scenario: scenarios[0].name,
      message: `unhandled: the execution fails with States.TaskFailed at state '${t}' (as it does with ${'Lambda.SomeException, '.repeat(10)}41 more)`,
    }));
    const notReached = tasks.map((t) => ({ state: t, reason: `the budget ran out before any scenario reached it; ${'and more words '.repeat(40)}` }));
    return report(scenarios, { findings, states: { reached: 0, total: 100, unreachable: [], notReached } });
  };

  it(`stays within ${SUMMARY_CHARACTERS} characters on a large machine: the first scenarios whole, the last by name and outcome, and says so`, () => {
    const whole = big();
    expect(JSON.stringify(whole).length).toBeGreaterThan(10 * SUMMARY_CHARACTERS);
    const { report: summary, leftOut } = summarizeExplore(whole, ORDER);
    expect(JSON.stringify({ ...summary, leftOut }).length).toBeLessThanOrEqual(SUMMARY_CHARACTERS);
    expect(summary.scenarios).toHaveLength(50);
    expect(summary.scenarios[0]).toMatchObject({ input: { n: 0 }, mocks: whole.scenarios[0].mocks });
    expect(summary.scenarios[49]).toEqual({ name: whole.scenarios[49].name, status: 'FAILED', error: 'States.TaskFailed', pathLength: 100 });
    const outlined = summary.scenarios.filter((s) => !Object.hasOwn(s, 'mocks')).length;
    expect(outlined).toBeGreaterThan(0);
    expect(leftOut).toContain(`the input, Task answers and output of the last ${outlined} of 50 scenarios (named with their outcome)`);
    expect(summary.states.notReached[0].reason).toHaveLength(300);
    expect(summary.states.notReached[0].reason.endsWith('…')).toBe(true);
  });

  it('keeps the first findings whole and the others by kind, state and error; past its room it counts the last ones', () => {
    const few = summarizeExplore(big(2), ORDER);
    expect(few.report.findings.slice(0, SUMMARY_LISTED).every((f) => Object.hasOwn(f, 'message'))).toBe(true);
    expect(few.report.findings[SUMMARY_LISTED]).toEqual({ kind: 'unhandled-error', state: 'Task number 10', error: 'States.TaskFailed' });
    expect(few.report.findings).toHaveLength(100);
    expect(few.leftOut).toContain('the messages and scenarios of 90 of 100 findings');
    const many = summarizeExplore(big(), ORDER);
    const kept = many.report.findings.length;
    expect(kept).toBeGreaterThanOrEqual(SUMMARY_LISTED);
    expect(kept).toBeLessThan(100);
    expect(many.leftOut).toContain(`${100 - kept} of 100 findings`);
  });
});
