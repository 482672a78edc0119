import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireCompiledLibrary, runVitest } from './consumer';
import { orderProject, PROPERTIES_CJS, PROPERTIES_ESM } from './order-project';
import { cli } from '../../cli/run-cli';
import { stopExploreClock } from '../../explore-clock';

/*
 * What explore and verify write with `--runner vitest`, run by the real vitest (the project's
 * devDependency) as a vitest project runs it: each kind of file `--write-tests` can name for
 * vitest, in a CommonJS project and in a `"type": "module"` one, must pass as written.
 */

stopExploreClock();

let root: string;
beforeAll(() => {
  requireCompiledLibrary();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'write-tests-vitest-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes explore's and verify's vitest files of the order machine into `dir`, one of each extension. */
async function writeVitestFiles(dir: string, extensions: readonly string[]): Promise<void> {
  for (const ext of extensions) {
    const explore = await cli('explore', path.join(dir, 'order.asl.json'), '--write-tests', path.join(dir, `order.explore.test${ext}`), '--runner', 'vitest');
    expect([ext, explore.code, explore.err]).toEqual([ext, 0, expect.stringContaining('for vitest')]);
    const verify = await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js'),
      '--write-tests', path.join(dir, `order.verify.test${ext}`), '--runner', 'vitest');
    // Exit 1: neverReview is VIOLATED, and its test runs the counterexample.
    expect([ext, verify.code]).toEqual([ext, 1]);
  }
}

describe('--write-tests --runner vitest, run by vitest', () => {
  it('passes as written in a "type": "module" project: .ts, .mts, .mjs and .js, from explore and verify', async () => {
    const dir = orderProject(root, 'esm', true);
    fs.writeFileSync(path.join(dir, 'order.properties.js'), PROPERTIES_ESM);
    const extensions = ['.ts', '.mts', '.mjs', '.js'];
    await writeVitestFiles(dir, extensions);
    const results = await runVitest(dir, '*.test.*');
    expect(results.map((f) => [f.file, f.status, f.failed, f.message])).toEqual(
      extensions.flatMap((ext) => [[`order.explore.test${ext}`, 'passed', 0, ''], [`order.verify.test${ext}`, 'passed', 0, '']])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    for (const f of results) expect([f.file, f.passed]).toEqual([f.file, f.file.includes('explore') ? expect.any(Number) : 2]);
    expect(results.every((f) => f.passed > 1)).toBe(true);
  }, 300_000);

  it('passes as written in a CommonJS project: .ts, .mts, .mjs and .js, from explore and verify', async () => {
    const dir = orderProject(root, 'cjs', false);
    fs.writeFileSync(path.join(dir, 'order.properties.js'), PROPERTIES_CJS);
    const extensions = ['.ts', '.mts', '.mjs', '.js'];
    await writeVitestFiles(dir, extensions);
    const results = await runVitest(dir, '*.test.*');
    expect(results.map((f) => [f.file, f.status, f.failed, f.message])).toEqual(
      extensions.flatMap((ext) => [[`order.explore.test${ext}`, 'passed', 0, ''], [`order.verify.test${ext}`, 'passed', 0, '']])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    expect(results.every((f) => f.passed > 1)).toBe(true);
  }, 300_000);
});

describe('--write-tests --runner vitest into a CommonJS file', () => {
  it.each(['.cjs', '.cts'])('refuses a vitest file named %s before exploring: vitest cannot be loaded by require()', async (ext) => {
    const dir = orderProject(root, `refused${ext}`, false);
    const file = path.join(dir, `order.test${ext}`);
    for (const command of [['explore'], ['verify', '--property', path.join(dir, 'order.properties.js')]]) {
      const r = await cli(...command.slice(0, 1), path.join(dir, 'order.asl.json'), ...command.slice(1), '--write-tests', file, '--runner', 'vitest');
      expect([command[0], r.code, r.err]).toEqual([command[0], 2, expect.stringContaining(`order.test${ext}: vitest cannot be loaded by require(); name the file .ts, .mts, .js or .mjs`)]);
      expect(fs.existsSync(file)).toBe(false);
    }
  });
});
