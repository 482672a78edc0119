import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireCompiledLibrary, runJest, typeCheck } from './consumer';
import { orderProject, PROPERTIES_CJS, PROPERTIES_ESM } from './order-project';
import { TEST_FILE_EXTENSIONS } from '../../../src/cli/scaffold-output';
import { cli } from '../../cli/run-cli';
import { stopExploreClock } from '../../explore-clock';

/*
 * `--write-tests` into a JavaScript file: jest under the README's config transforms only
 * TypeScript, so a `.js` file must be plain JavaScript, CommonJS (require) in a CommonJS project
 * and an ES module (import, its folder from import.meta.url) in a `"type": "module"` project or
 * as `.mjs`; each written file is run by the real jest as such a project runs it.
 */

stopExploreClock();

let root: string;
beforeAll(() => {
  requireCompiledLibrary();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'write-tests-formats-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A project folder with the order machine and a package.json (`"type": "module"` when `esm`). */
function project(name: string, esm: boolean): string {
  return orderProject(root, name, esm);
}

/** What plain JavaScript never holds: a type annotation, a type import, a generic call. */
function expectPlainJavaScript(text: string): void {
  expect(text).not.toContain('import type');
  expect(text).not.toMatch(/it\.each</);
  expect(text).not.toMatch(/\(\w+: string\)/);
}

describe('explore --write-tests into a JavaScript file', () => {
  it('writes CommonJS for a .js file of a CommonJS project, which jest runs without a transform', async () => {
    const dir = project('cjs', false);
    const file = path.join(dir, 'order.explore.test.js');
    const r = await cli('explore', path.join(dir, 'order.asl.json'), '--write-tests', file);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expectPlainJavaScript(text);
    expect(text).not.toMatch(/^import /m);
    expect(text).toContain("const path = require('path');");
    expect(text).toMatch(/^const \{ Workflow(, \w+)* \} = require\('stepwright\/testing'\);$/m);
    expect(text).toContain('it.each([');
    const results = await runJest(dir, { match: '<rootDir>/*.explore.test.js' });
    expect(results.map((f) => [f.file, f.status, f.failed, f.message])).toEqual([['order.explore.test.js', 'passed', 0, '']]);
    expect(results[0].passed).toBeGreaterThan(1);
  }, 180_000);

  it('writes an ES module for a .mjs file, its folder read from import.meta.url, which jest runs as a module', async () => {
    const dir = project('mjs', false);
    const file = path.join(dir, 'order.explore.test.mjs');
    expect((await cli('explore', path.join(dir, 'order.asl.json'), '--write-tests', file)).code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expectPlainJavaScript(text);
    expect(text).not.toContain('require(');
    expect(text).not.toContain('__dirname');
    expect(text).toContain('it.each([');
    expect(text).toContain("import * as path from 'path';");
    expect(text).toContain('const testDir = path.dirname(fileURLToPath(import.meta.url));');
    const results = await runJest(dir, { match: '<rootDir>/*.explore.test.mjs', esm: true });
    expect(results.map((f) => [f.file, f.status, f.failed, f.message])).toEqual([['order.explore.test.mjs', 'passed', 0, '']]);
  }, 180_000);

  it('writes TypeScript for a .ts file, as before', async () => {
    const dir = project('ts', true);
    const file = path.join(dir, 'order.explore.test.ts');
    expect((await cli('explore', path.join(dir, 'order.asl.json'), '--write-tests', file)).code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('import type { Mock } from');
    expect(text).toContain('it.each<[string, Record<string, Mock>]>([');
    expect(text).toContain("path.resolve(__dirname, 'order.asl.json')");
  });

  it('refuses a vitest file named .cjs before exploring: vitest cannot be loaded by require()', async () => {
    const dir = project('vitest-cjs', false);
    const r = await cli('explore', path.join(dir, 'order.asl.json'), '--write-tests', path.join(dir, 'order.test.cjs'), '--runner', 'vitest');
    expect(r.code).toBe(2);
    expect(r.err).toContain('vitest cannot be loaded by require(); name the file .ts, .mts, .js or .mjs');
  });
});

describe('verify --write-tests: the property module in an ES module project', () => {
  it('imports the property module in a .js file of a "type": "module" project, which jest runs as a module', async () => {
    const dir = project('esm-verify', true);
    fs.writeFileSync(path.join(dir, 'order.properties.js'), PROPERTIES_ESM);
    const file = path.join(dir, 'order.verify.test.js');
    const r = await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js'), '--write-tests', file);
    expect(r.code).toBe(1);
    const text = fs.readFileSync(file, 'utf8');
    expectPlainJavaScript(text);
    expect(text).toContain("import * as propertyModule from './order.properties.js';");
    expect(text).not.toContain('require(');
    const results = await runJest(dir, { match: '<rootDir>/*.verify.test.js', esm: true });
    expect(results.map((f) => [f.file, f.status, f.passed, f.failed])).toEqual([['order.verify.test.js', 'passed', 2, 0]]);
  }, 180_000);

  it('reads the functions of a CommonJS module.exports = { … } module from its default export in a .mjs file, which jest runs as a module', async () => {
    const dir = project('cjs-object-verify', false);
    // jest finds no export names in `module.exports = { … }`: only its default export holds them.
    fs.writeFileSync(path.join(dir, 'order.properties.js'), [
      'module.exports = {',
      "  neverReview: { kind: 'never', state: 'Review' },",
      "  succeedsOrDeclines: (run) => run.status === 'SUCCEEDED' || run.error === 'Declined',",
      '};',
      '',
    ].join('\n'));
    const file = path.join(dir, 'order.verify.test.mjs');
    expect((await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js'), '--write-tests', file)).code).toBe(1);
    const text = fs.readFileSync(file, 'utf8');
    expectPlainJavaScript(text);
    expect(text).toContain("import * as propertyModule from './order.properties.js';");
    expect(text).toContain("const properties = Object.keys(propertyExports).some((name) => name !== 'default') ? propertyExports : propertyExports.default;");
    const results = await runJest(dir, { match: '<rootDir>/*.verify.test.mjs', esm: true });
    expect(results.map((f) => [f.file, f.status, f.passed, f.failed, f.message])).toEqual([['order.verify.test.mjs', 'passed', 2, 0, '']]);
  }, 180_000);

  it('reads the functions of an ES module whose only export is default in a .mjs file, as verify read them', async () => {
    const dir = project('esm-default-verify', true);
    fs.writeFileSync(path.join(dir, 'order.properties.js'), [
      'export default {',
      "  neverReview: { kind: 'never', state: 'Review' },",
      "  succeedsOrDeclines: (run) => run.status === 'SUCCEEDED' || run.error === 'Declined',",
      '};',
      '',
    ].join('\n'));
    const file = path.join(dir, 'order.verify.test.mjs');
    expect((await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js'), '--write-tests', file)).code).toBe(1);
    const results = await runJest(dir, { match: '<rootDir>/*.verify.test.mjs', esm: true });
    expect(results.map((f) => [f.file, f.status, f.passed, f.failed, f.message])).toEqual([['order.verify.test.mjs', 'passed', 2, 0, '']]);
  }, 180_000);

  it('refuses, before the search, a CommonJS test file whose tests would require() an ES module property module, naming both and the fix', async () => {
    const dir = project('cjs-test-esm-module', false);
    fs.writeFileSync(path.join(dir, 'order.properties.mjs'), PROPERTIES_ESM);
    const file = path.join(dir, 'order.verify.test.js');
    const r = await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.mjs'), '--write-tests', file, '--budget-seconds', '1000');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(`--write-tests ${file} is CommonJS, and its tests of 'succeedsOrDeclines' (functions of the run) would require() the ES module`);
    expect(r.err).toContain('name the test file .mjs or .mts');
    expect(fs.existsSync(file)).toBe(false);
    // Path properties alone are never loaded by the tests: the file is written.
    fs.writeFileSync(path.join(dir, 'paths.properties.mjs'), "export const neverReview = { kind: 'never', state: 'Review' };\n");
    expect((await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'paths.properties.mjs'), '--write-tests', file)).code).toBe(1);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('require(path.resolve');
  }, 180_000);

  it('requires the property module in a .js file of a CommonJS project, which jest runs without a transform', async () => {
    const dir = project('cjs-verify', false);
    fs.writeFileSync(path.join(dir, 'order.properties.js'), PROPERTIES_CJS);
    const file = path.join(dir, 'order.verify.test.js');
    expect((await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js'), '--write-tests', file)).code).toBe(1);
    const text = fs.readFileSync(file, 'utf8');
    expectPlainJavaScript(text);
    expect(text).not.toMatch(/^import /m);
    expect(text).toContain("const properties = require(path.resolve(__dirname, 'order.properties.js'));");
    const results = await runJest(dir, { match: '<rootDir>/*.verify.test.js' });
    expect(results.map((f) => [f.file, f.status, f.passed, f.failed])).toEqual([['order.verify.test.js', 'passed', 2, 0]]);
  }, 180_000);

  it('imports the property module in a .ts file of a "type": "module" project, and requires it in one of a CommonJS project, both type-checking', async () => {
    for (const esm of [true, false]) {
      const dir = project(`ts-verify-${esm}`, esm);
      fs.writeFileSync(path.join(dir, 'order.properties.js'), esm ? PROPERTIES_ESM : PROPERTIES_CJS);
      const file = path.join(dir, 'order.verify.test.ts');
      expect((await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js'), '--write-tests', file)).code).toBe(1);
      const text = fs.readFileSync(file, 'utf8');
      expect(text.includes("import * as propertyModule from './order.properties.js';")).toBe(esm);
      expect(text.includes('const properties = require(')).toBe(!esm);
      // As a strict project checks it, where a JavaScript module has no types without allowJs.
      expect(typeCheck([file], { module: esm ? 'nodenext' : 'commonjs' })).toEqual([]);
    }
  }, 180_000);
});

describe('--write-tests into a .mts or .cts file', () => {
  /** Writes explore's and verify's files of the order machine as `order.{explore,verify}.test<ext>` in `dir`. */
  async function writeBoth(dir: string, ext: string): Promise<{ explore: string; verify: string }> {
    const explore = path.join(dir, `order.explore.test${ext}`);
    const verify = path.join(dir, `order.verify.test${ext}`);
    expect((await cli('explore', path.join(dir, 'order.asl.json'), '--write-tests', explore)).code).toBe(0);
    expect((await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js'), '--write-tests', verify)).code).toBe(1);
    return { explore: fs.readFileSync(explore, 'utf8'), verify: fs.readFileSync(verify, 'utf8') };
  }

  it('writes a .mts file as an ES module (imports, its folder from import.meta.url), which type-checks as one and jest runs as a module', async () => {
    const dir = project('mts', true);
    fs.writeFileSync(path.join(dir, 'order.properties.js'), PROPERTIES_ESM);
    const written = await writeBoth(dir, '.mts');
    for (const text of [written.explore, written.verify]) {
      expect(text).not.toContain('require(');
      expect(text).not.toContain('__dirname');
      expect(text).toContain('const testDir = path.dirname(fileURLToPath(import.meta.url));');
    }
    expect(written.explore).toContain('it.each<[string, Record<string, Mock>]>([');
    expect(written.verify).toContain("import * as propertyModule from './order.properties.js';");
    // The property module is JavaScript: a strict project types it only under allowJs, so the import says so.
    expect(written.verify).toContain("// @ts-ignore: TypeScript types a JavaScript module only with allowJs or a declaration file\nimport * as propertyModule from './order.properties.js';");
    expect(typeCheck([path.join(dir, 'order.explore.test.mts'), path.join(dir, 'order.verify.test.mts')], { module: 'nodenext' })).toEqual([]);
    const results = await runJest(dir, { match: '<rootDir>/*.test.mts', esm: true });
    expect(results.map((f) => [f.file, f.status, f.failed, f.message])).toEqual([
      ['order.explore.test.mts', 'passed', 0, ''], ['order.verify.test.mts', 'passed', 0, ''],
    ]);
  }, 180_000);

  it('writes a .cts file as CommonJS that requires the property module, even in a "type": "module" project, which type-checks and jest runs', async () => {
    const dir = project('cts', true);
    // A .cjs module: the project's .js files are ES modules, and a .cts file is not.
    fs.writeFileSync(path.join(dir, 'order.properties.js'), PROPERTIES_ESM);
    fs.writeFileSync(path.join(dir, 'order.properties.cjs'), PROPERTIES_CJS);
    const explore = path.join(dir, 'order.explore.test.cts');
    const verify = path.join(dir, 'order.verify.test.cts');
    expect((await cli('explore', path.join(dir, 'order.asl.json'), '--write-tests', explore)).code).toBe(0);
    expect((await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.cjs'), '--write-tests', verify)).code).toBe(1);
    const text = fs.readFileSync(verify, 'utf8');
    expect(text).toContain("const properties = require(path.resolve(__dirname, 'order.properties.cjs'));");
    expect(text).not.toContain('import * as propertyModule');
    expect(fs.readFileSync(explore, 'utf8')).toContain("path.resolve(__dirname, 'order.asl.json')");
    expect(typeCheck([explore, verify])).toEqual([]);
    expect(typeCheck([explore, verify], { module: 'nodenext' })).toEqual([]);
    const results = await runJest(dir, { match: '<rootDir>/*.test.cts' });
    expect(results.map((f) => [f.file, f.status, f.failed, f.message])).toEqual([
      ['order.explore.test.cts', 'passed', 0, ''], ['order.verify.test.cts', 'passed', 0, ''],
    ]);
  }, 180_000);
});

describe('the extensions --write-tests knows, in one table', () => {
  it.each(['explore', 'verify'])('%s --help names each extension, what it writes there and the runners that run it', async (command) => {
    const help = (await cli(command, '--help')).out;
    expect(help).toContain("By the file's extension, for jest and vitest (any other name: as .ts):");
    for (const e of TEST_FILE_EXTENSIONS) {
      expect(help).toContain(`${e.ext.padEnd(5)}${e.holds}${e.runners.length === 1 ? `; ${e.runners[0]} only` : ''}\n`);
    }
    expect(TEST_FILE_EXTENSIONS.map((e) => e.ext)).toEqual(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);
  });

  it('docs/explore.md gives the same table: each extension, what it holds and its runners', () => {
    const guide = fs.readFileSync(path.resolve(__dirname, '../../../docs/explore.md'), 'utf8');
    for (const e of TEST_FILE_EXTENSIONS) expect(guide).toContain(`| \`${e.ext}\` | ${e.holds} | ${e.runners.join(', ')} |`);
  });
});
