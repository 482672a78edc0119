import { keyOrderDifference, type KeyOrderDiff } from './history-compare';
import { loadCases, runRecordedCase } from './recorded-run';
import type { JsonValue } from '../../src/asl/definition-types';

/** How many outputs and Task inputs have AWS's key order, of those compared. */
export interface KeyOrderScore {
  /** Values compared: each output of a run that succeeded as AWS's did, each Task input with the recorded one it was answered from. */
  readonly total: number;
  readonly matched: number;
  /** Share in %, one decimal. */
  readonly share: number;
  /** One entry per value whose keys come in another order: the file, what and where. */
  readonly misses: readonly string[];
}

/*
 * The shared runner and the Task replay compare JSON by value (key order aside). AWS's order is
 * part of what a user sees (a snapshot, States.JsonToString, a hash), and the recordings keep
 * it: a case's `expected.output` and each Task call's `input` are the JSON texts AWS returned,
 * parsed in order. This runs every usable case and compares the key order of every object of
 * our output and of each Task's input with AWS's, wherever both have the object with the same
 * keys (a value difference is the other scores' to count).
 */
export async function scoreKeyOrder(casesDir: string): Promise<KeyOrderScore> {
  const misses: string[] = [];
  let total = 0;
  const compare = (file: string, what: string, got: JsonValue, expected: JsonValue): void => {
    total++;
    const d: KeyOrderDiff | undefined = keyOrderDifference(got, expected);
    if (d) misses.push(`${file} ${what} key order of ${d.path}\n   got      ${JSON.stringify(d.got)}\n   expected ${JSON.stringify(d.expected)}`);
  };
  for (const c of loadCases(casesDir, () => true)) {
    const result = await runRecordedCase(c, (input, recorded) => {
      if (recorded.input !== undefined) compare(c.file, `input of Task '${recorded.state}'`, input, recorded.input);
    });
    if (result.status === 'SUCCEEDED' && c.expected.status === 'SUCCEEDED' && result.output !== undefined && c.expected.output !== undefined) {
      compare(c.file, 'output', result.output, c.expected.output);
    }
  }
  const matched = total - misses.length;
  return { total, matched, share: total ? +((100 * matched) / total).toFixed(1) : 0, misses };
}
