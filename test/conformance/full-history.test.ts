import * as fs from 'node:fs';
import * as path from 'node:path';
import { scoreFullHistory } from './full-history';
import { actualEvents, compareHistories, expectedEvents, parallelBranches } from './history-compare';
import { loadCases, runRecordedCase } from './recorded-run';
import { describeWithShared, sharedPath } from '../shared-data';

/*
 * Every recorded case that carries AWS's full history (GetExecutionHistory,
 * events with their details) is run, and our history compared with it event
 * by event, after normalising the placeholders (history-compare.ts). The share
 * that matches has a floor, in floor.json (`fullHistory`), which
 * `npx projen conformance` holds too; raise it as the engine improves, never lower it.
 * What the services answered on submission and the activity workers' names are given
 * as mocks would give them, read from each recording (recorded-run.ts).
 */
const CASES_DIR = sharedPath('conformance', 'cases');

/** Share of cases (in %) whose full history must match. */
const FLOOR = (JSON.parse(fs.readFileSync(path.join(__dirname, 'floor.json'), 'utf8')) as { fullHistory: number }).fullHistory;

describeWithShared('conformance/cases', 'execution history against the histories AWS recorded', () => {
  const cases = loadCases(CASES_DIR, (c) => Array.isArray(c.history) && c.history.length > 0);

  it(`matches the full recorded history (types, ids, previousEventIds, details) for at least ${FLOOR}% of the cases`, async () => {
    const { total, matched, share, misses } = await scoreFullHistory(CASES_DIR);
    if (process.env.FULL_HISTORY_REPORT) fs.writeFileSync(process.env.FULL_HISTORY_REPORT, misses.join('\n'));
    console.log(`full history: ${matched}/${total} cases match (${share.toFixed(1)}%)`);
    expect(total).toBeGreaterThan(400);
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
