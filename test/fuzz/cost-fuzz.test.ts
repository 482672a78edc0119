import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { COST_FAMILIES, costCaseArb } from './cost-arbitraries';
import { checkCostCase } from './cost-property';

/** Cases CI runs (`FUZZ_COST_RUNS`; `npx projen fuzz:cost` runs 10^5); `FUZZ_SEED` replays one. */
const RUNS = Number(process.env.FUZZ_COST_RUNS ?? 600);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;

jest.setTimeout(300_000);

describe('stepwright cost on hostile reports, price tables and diffs', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(join(os.tmpdir(), 'stepwright-fuzz-cost-')); });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('refuse with exit 2 naming the field, or print only finite, non-negative figures; never crash', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(fc.asyncProperty(costCaseArb(), async (c) => {
      const outcome = await checkCostCase(c, dir);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }), { numRuns: RUNS, seed: SEED });
    // The generator reaches both ends in every family: documents refused, and estimates or tables printed.
    for (const family of COST_FAMILIES) {
      const of = (code: number) => [...outcomes].filter(([k]) => k.startsWith(`${family} `) && k.endsWith(`exit ${code}`)).reduce((n, [, v]) => n + v, 0);
      expect([family, of(2) > 0, of(0) > 0]).toEqual([family, true, true]);
    }
  });
});
