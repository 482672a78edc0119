import { DOORS } from './case-format';
import { staleBuild } from './doors/cli-door';
import { generatedCases, throughDoors, type GeneratedResult } from './generated/through-doors';

/*
 * Machines a CDK user could write, generated (generated/machines.ts), each run through jest,
 * `stepwright run`, serve and MCP with the behaviour cases' own door drivers and compared by
 * compare.ts: the doors must give the same answer (status, output, error, path, history, cost,
 * Map Runs) on machines nobody wrote a case for. A fixed seed and a small budget here; the
 * runner for thousands is `node -r ts-node/register/transpile-only test/cases/generated/run.ts --seed N
 * --runs N`. A difference found is a bug in some door: fix it, and keep the machine, shrunk, as a
 * case in test/cases/corpus (docs/contributing.md, "Behaviour cases").
 */

/** `DOOR_FUZZ_SEED` and `DOOR_FUZZ_RUNS` change the budget. */
const SEED = Number(process.env.DOOR_FUZZ_SEED ?? 20261127);
const RUNS = Number(process.env.DOOR_FUZZ_RUNS ?? 25);

/** A guard against a hang, above each door's own bound on a case (HANG_MS), so that a door's words say which hung. */
jest.setTimeout(600_000);

let results: GeneratedResult[] = [];

beforeAll(async () => {
  const stale = staleBuild();
  if (stale) throw new Error(stale);
  results = await throughDoors(generatedCases(SEED, RUNS));
}, 600_000);

describe(`generated machines (seed ${SEED}), through jest, stepwright run, serve and MCP`, () => {
  it('runs every generated machine through all four doors, each door running it to an end', () => {
    const notRun = results.flatMap((r) => DOORS.filter((d) => !['SUCCEEDED', 'FAILED'].includes(r.statuses[d] ?? 'missing')).map((d) => `${r.case.id} ${d}: ${r.statuses[d]}`));
    expect({ machines: results.length, notRun }).toEqual({ machines: RUNS, notRun: [] });
  });

  it('ends some generated machines in success and some in failure', () => {
    const statuses = new Set(results.map((r) => r.statuses.jest));
    expect([...statuses].sort()).toEqual(['FAILED', 'SUCCEEDED']);
  });

  it('finds no difference between the doors on any generated machine', () => {
    const found = results.filter((r) => r.differences.length > 0).map((r) => ({
      id: r.case.id,
      differences: r.differences.map((d) => `${d.key}: ${d.detail}`),
      machine: JSON.stringify({ definition: r.case.definition, input: r.case.input, mockConfig: r.case.mockConfig }),
    }));
    expect(found).toEqual([]);
  });
});
