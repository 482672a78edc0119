import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const CHECKS = [
  ['conformance', 'test/conformance/check.mjs', 'conformance'],
  ['validation corpus', 'test/validation/check.mjs', 'validation'],
  ['serve-api', 'test/serve-api/check.mjs', 'serve-api'],
] as const;

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-shared-checks-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs a check script as a fresh clone without ../shared would: the shared folder empty. */
function check(script: string, env: Record<string, string> = {}) {
  const summary = path.join(dir, 'summary.tsv');
  const { STEPWRIGHT_REQUIRE_SHARED: _ignored, ...rest } = process.env;
  const run = spawnSync(process.execPath, [script], {
    cwd: ROOT, encoding: 'utf8', env: { ...rest, STEPWRIGHT_SHARED: path.join(dir, 'shared'), STEPWRIGHT_SUMMARY: summary, ...env },
  });
  return { code: run.status, out: run.stdout, err: run.stderr, summary: fs.existsSync(summary) ? fs.readFileSync(summary, 'utf8') : '' };
}

describe('the checks of ../shared data on a clone without it', () => {
  it.each(CHECKS)('%s says SKIPPED, what it needs and where its figures are measured, exits 0, and writes SKIPPED to the CI summary', (name, script, part) => {
    const r = check(script);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${name}: SKIPPED — needs ${path.join(dir, 'shared', part)}`);
    expect(r.out).toContain('kept beside the checkout, not in this repository');
    expect(r.out).toContain('the figures in the README are measured by CI');
    expect(r.summary).toMatch(new RegExp(`^${name}\\tSKIPPED\\tneeds `));
  });

  it.each(CHECKS)('%s fails under STEPWRIGHT_REQUIRE_SHARED=1, as CI sets it, still writing SKIPPED to the summary', (name, script) => {
    const r = check(script, { STEPWRIGHT_REQUIRE_SHARED: '1' });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${name}: SKIPPED, which STEPWRIGHT_REQUIRE_SHARED=1 does not allow`);
    expect(r.summary).toMatch(new RegExp(`^${name}\\tSKIPPED\\t`));
  });
});

describe('the CI summary (scripts/ci-summary.mjs)', () => {
  it('lists a skipped step as SKIPPED with why, apart from the passed ones, and counts each outcome', () => {
    const file = path.join(dir, 'summary.tsv');
    fs.writeFileSync(file, 'test\tPASSED\t412 s\nconformance\tSKIPPED\tneeds ../shared/conformance\nintegs\tFAILED\texit 1\n');
    const run = spawnSync(process.execPath, ['scripts/ci-summary.mjs', file], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stdout.split('\n')).toEqual([
      '== summary: 1 passed, 1 failed, 1 skipped',
      '  PASSED   test         412 s',
      '  SKIPPED  conformance  needs ../shared/conformance',
      '  FAILED   integs       exit 1',
      '',
    ]);
  });
});
