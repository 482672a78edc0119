import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Reads the AWS-recorded conformance cases under `casesDir` (one folder per
 * category) and keeps those `replayable` accepts, in a stable order, each with
 * its `file` (`category/name.json`) for test names.
 */
export function loadRecordedCases<T extends { file: string }>(casesDir: string, replayable: (c: T) => boolean): T[] {
  const out: T[] = [];
  for (const category of fs.readdirSync(casesDir).sort()) {
    const dir = path.join(casesDir, category);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const c = { ...JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), file: `${category}/${f}` } as T;
      if (replayable(c)) out.push(c);
    }
  }
  return out;
}
