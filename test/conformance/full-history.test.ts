import * as fs from 'node:fs';
import { actualEvents, compareHistories, expectedEvents, parallelBranches, wildcardsOf } from './history-compare';
import { loadCases, runRecordedCase } from './recorded-run';
import { describeWithShared, sharedPath } from '../shared-data';

/*
 * Every recorded case that carries AWS's full history (GetExecutionHistory,
 * events with their details) is run, and our history compared with it event
 * by event, after normalising the placeholders (history-compare.ts). The share
 * that matches has a floor; raise it as the engine improves, never lower it.
 */
const CASES_DIR = sharedPath('conformance', 'cases');

/** Share of cases (in %) whose full history must match. */
const FLOOR = 94.2;

describeWithShared('conformance/cases', 'execution history against the histories AWS recorded', () => {
  const cases = loadCases(CASES_DIR, (c) => Array.isArray(c.history) && c.history.length > 0);

  it(`matches the full recorded history (types, ids, previousEventIds, details) for at least ${FLOOR}% of the cases`, async () => {
    const misses: string[] = [];
    for (const c of cases) {
      const result = await runRecordedCase(c);
      const diff = compareHistories(actualEvents(result.history, c), expectedEvents(c), parallelBranches(c.definition), wildcardsOf(c));
      if (diff) misses.push(`${c.file} @${diff.index}\n   got      ${JSON.stringify(diff.got)?.slice(0, 600)}\n   expected ${JSON.stringify(diff.expected)?.slice(0, 600)}`);
    }
    const share = (100 * (cases.length - misses.length)) / cases.length;
    if (process.env.FULL_HISTORY_REPORT) fs.writeFileSync(process.env.FULL_HISTORY_REPORT, misses.join('\n'));
    console.log(`full history: ${cases.length - misses.length}/${cases.length} cases match (${share.toFixed(1)}%)`);
    expect(cases.length).toBeGreaterThan(400);
    expect(share).toBeGreaterThanOrEqual(FLOOR);
  }, 120_000);

  // AWS runs Parallel branches at once: the order of their events across branches is not
  // deterministic (LocalStack's snapshots number them [0] and sort them). So they are compared
  // per branch, as sets; and within each branch of ours, every event follows the one before it.
  it('matches the events of concurrent Parallel branches per branch, each branch chained in order', async () => {
    const concurrent = cases.filter((c) => c.history!.some((e) => Array.isArray(e.id)));
    expect(concurrent.length).toBeGreaterThanOrEqual(3);
    for (const c of concurrent) {
      const result = await runRecordedCase(c);
      const diff = compareHistories(actualEvents(result.history, c), expectedEvents(c), parallelBranches(c.definition));
      expect({ file: c.file, diff }).toEqual({ file: c.file, diff: undefined });
      const branchOf = parallelBranches(c.definition);
      const lastOfBranch = new Map<string, number>();
      for (const e of result.history) {
        const branch = branchOf(JSON.parse(JSON.stringify(e)));
        if (branch === '' || (!e.type.endsWith('StateEntered') && !e.type.endsWith('StateExited'))) continue;
        if (lastOfBranch.has(branch)) {
          expect({ event: e.id, previous: e.previousEventId }).toEqual({ event: e.id, previous: lastOfBranch.get(branch) });
        }
        lastOfBranch.set(branch, e.id);
      }
    }
  });
});
