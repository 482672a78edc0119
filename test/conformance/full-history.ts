import { actualEvents, compareHistories, expectedEvents, parallelBranches, wildcardsOf } from './history-compare';
import { loadCases, runRecordedCase, type RecordedCase } from './recorded-run';

/** How many recorded histories our run matches event by event. */
export interface FullHistoryScore {
  readonly total: number;
  readonly matched: number;
  /** Share in %, one decimal. */
  readonly share: number;
  /** One entry per case that differs: the file, the first differing event, ours and AWS's. */
  readonly misses: readonly string[];
}

/**
 * Runs every recorded case of `casesDir` that carries AWS's full history and compares ours with
 * it event by event (type, id, previousEventId, every details field, the key order of every
 * document; history-compare.ts says what a recording's placeholders are read as). Shared by full-history.test.ts and by
 * `npx projen conformance` (check.mjs), so both report the same figure.
 */
export async function scoreFullHistory(casesDir: string): Promise<FullHistoryScore & { readonly cases: readonly RecordedCase[] }> {
  const cases = loadCases(casesDir, (c) => Array.isArray(c.history) && c.history.length > 0);
  const misses: string[] = [];
  for (const c of cases) {
    const result = await runRecordedCase(c);
    const diff = compareHistories(actualEvents(result.history, c), expectedEvents(c), parallelBranches(c.definition), wildcardsOf(c));
    if (diff?.keyOrder) {
      const { path, got, expected } = diff.keyOrder;
      misses.push(`${c.file} @${diff.index} key order of ${path}\n   got      ${JSON.stringify(got)}\n   expected ${JSON.stringify(expected)}`);
    } else if (diff) {
      misses.push(`${c.file} @${diff.index}\n   got      ${JSON.stringify(diff.got)?.slice(0, 600)}\n   expected ${JSON.stringify(diff.expected)?.slice(0, 600)}`);
    }
  }
  const matched = cases.length - misses.length;
  return { cases, total: cases.length, matched, share: cases.length ? +((100 * matched) / cases.length).toFixed(1) : 0, misses };
}
