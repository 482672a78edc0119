import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { transformSync } from 'esbuild';
import { cli } from '../cli/run-cli';
import { stopExploreClock } from '../explore-clock';
import { requireCompiledLibrary, runJest } from '../workbench/scaffold/consumer';

/*
 * `stepwright verify --write-tests`: a jest (or, with --runner vitest, vitest) test per VIOLATED property, running its
 * counterexample and asserting the violation; run under jest as a user's project runs it, each
 * test passes, so each reproduces the violation.
 */

stopExploreClock();

let dir: string;
beforeAll(() => {
  requireCompiledLibrary();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-write-tests-'));
  fs.copyFileSync(path.resolve(__dirname, '../docs/guides/explore/order.asl.json'), path.join(dir, 'order.asl.json'));
  fs.writeFileSync(path.join(dir, 'order.properties.js'), [
    "exports.neverAudit = { kind: 'never', state: 'Audit' };",
    "exports.neverReview = { kind: 'never', state: 'Review' };",
    "exports.atMostOneState = { kind: 'maxTransitions', limit: 2 };",
    "exports.onlyDeclined = { kind: 'endsWith', statuses: ['SUCCEEDED', 'FAILED'], errors: ['Declined'] };",
    "exports.shipsAfterCharge = { kind: 'leadsTo', from: 'Charge', to: ['Ship'] };",
    "exports.succeedsOrDeclines = (run) => run.status === 'SUCCEEDED' || run.error === 'Declined';",
    '',
  ].join('\n'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('stepwright verify --write-tests', () => {
  it('writes a test per VIOLATED property that reproduces the violation under jest', async () => {
    const file = path.join(dir, 'order.verify.explore.test.ts');
    const r = await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js'), '--json', '--write-tests', file);
    expect(r.code).toBe(1);
    const verdicts = JSON.parse(r.out) as Record<string, { verdict: string }>;
    const violated = Object.keys(verdicts).filter((k) => verdicts[k].verdict === 'VIOLATED');
    expect(violated).toEqual(['neverReview', 'atMostOneState', 'onlyDeclined', 'shipsAfterCharge', 'succeedsOrDeclines']);
    expect(r.err).toContain(`wrote ${file}: 5 tests, one per VIOLATED property`);
    const text = fs.readFileSync(file, 'utf8');
    for (const name of violated) expect(text).toMatch(new RegExp(`it\\(['"]${name} is violated: `));
    expect(text).not.toContain('neverAudit');
    expect(text).toContain("expect(run).toHaveVisited('Review');");
    expect(text).toContain("expect(properties['succeedsOrDeclines'](run)).toBe(false);");

    const results = await runJest(dir);
    expect(results.map((f) => [f.file, f.status, f.passed, f.failed])).toEqual([['order.verify.explore.test.ts', 'passed', 5, 0]]);
  }, 180_000);

  it("writes a vitest file with --runner vitest: the jest file with describe, expect and it imported from 'vitest'", async () => {
    const args = [path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js'), '--write-tests'];
    const vitestFile = path.join(dir, 'runner', 'order.verify.vitest.ts');
    const jestFile = path.join(dir, 'runner', 'order.verify.jest.ts');
    fs.mkdirSync(path.dirname(vitestFile), { recursive: true });
    expect((await cli('verify', ...args, vitestFile, '--runner', 'vitest')).code).toBe(1);
    expect((await cli('verify', ...args, jestFile)).code).toBe(1);
    const text = fs.readFileSync(vitestFile, 'utf8');
    expect(text).toContain("import { describe, expect, it } from 'vitest';");
    // Only that import differs (and the command line in the first comment); vitest itself runs such
    // a file as written in scripts/consumer-check.sh.
    const body = (t: string) => t.split('\n').filter((l) => !l.startsWith('// Written by:') && !l.includes("from 'vitest'")).join('\n');
    expect(body(text)).toBe(body(fs.readFileSync(jestFile, 'utf8')));
    expect(text.split('\n').filter((l) => l.includes("from 'vitest'"))).toHaveLength(1);
    // Without --runner, into a project whose package.json lists vitest and not jest: the vitest file.
    const project = path.join(dir, 'runner', 'package.json');
    fs.writeFileSync(project, JSON.stringify({ devDependencies: { vitest: '4.1.12' } }));
    const detectedFile = path.join(dir, 'runner', 'order.verify.detected.ts');
    const detected = await cli('verify', ...args, detectedFile);
    expect(detected.code).toBe(1);
    expect(detected.err).toContain(`one per VIOLATED property for vitest (${project} lists vitest, not jest; --runner jest writes a jest file)`);
    expect(body(fs.readFileSync(detectedFile, 'utf8'))).toBe(body(text));
    expect(fs.readFileSync(detectedFile, 'utf8')).toContain("import { describe, expect, it } from 'vitest';");
  }, 180_000);

  it('writes JavaScript a .js test file can hold, a property function of the run included', async () => {
    const file = path.join(dir, 'js', 'order.verify.test.js');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const r = await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js'), '--write-tests', file, '--runner', 'vitest');
    expect(r.code).toBe(1);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain("expect(properties['succeedsOrDeclines'](run)).toBe(false);");
    // esbuild's JavaScript loader refuses TypeScript (a type assertion, a type annotation), as vitest's parser does in a .js file.
    expect(() => transformSync(text, { loader: 'js', format: 'esm' })).not.toThrow();
  });

  it('refuses --runner other than jest or vitest, and --runner without --write-tests, before the search', async () => {
    const args = [path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js')];
    const bad = await cli('verify', ...args, '--write-tests', path.join(dir, 'never-written.test.ts'), '--runner', 'mocha');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--runner must be jest or vitest, got 'mocha'");
    expect(fs.existsSync(path.join(dir, 'never-written.test.ts'))).toBe(false);
    const alone = await cli('verify', ...args, '--runner', 'vitest');
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('--runner names the runner --write-tests writes for; give --write-tests <file>');
  });

  it('refuses to overwrite a file without --force, before the search', async () => {
    const file = path.join(dir, 'kept.test.ts');
    fs.writeFileSync(file, '// mine\n');
    const r = await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js'), '--write-tests', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain('exists (it may hold your edits); pass --force to overwrite it');
    expect(fs.readFileSync(file, 'utf8')).toBe('// mine\n');
  });
});
