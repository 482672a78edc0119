import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireCompiledLibrary, runJest } from './consumer';
import { cli } from '../../cli/run-cli';
import { stopExploreClock } from '../../explore-clock';

/*
 * `--write-tests` into a JavaScript file: jest under the README's config transforms only
 * TypeScript, so a `.js` file must be plain JavaScript, CommonJS (require) in a CommonJS project
 * and an ES module (import, its folder from import.meta.url) in a `"type": "module"` project or
 * as `.mjs`; each written file is run by the real jest as such a project runs it.
 */

stopExploreClock();

const ORDER = path.resolve(__dirname, '../../docs/guides/explore/order.asl.json');
const PROPERTIES_CJS = [
  "exports.neverReview = { kind: 'never', state: 'Review' };",
  "exports.succeedsOrDeclines = (run) => run.status === 'SUCCEEDED' || run.error === 'Declined';",
  '',
].join('\n');
const PROPERTIES_ESM = [
  "export const neverReview = { kind: 'never', state: 'Review' };",
  "export const succeedsOrDeclines = (run) => run.status === 'SUCCEEDED' || run.error === 'Declined';",
  '',
].join('\n');

let root: string;
beforeAll(() => {
  requireCompiledLibrary();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'write-tests-formats-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/**
 * A project folder with the order machine and a package.json (`"type": "module"` when `esm`).
 * Its Charge retries two errors by two rules, so that explore finds two scenarios told apart
 * only by their Task answers: the file holds an it.each table.
 */
function project(name: string, esm: boolean): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true, ...(esm ? { type: 'module' } : {}) }));
  const order = JSON.parse(fs.readFileSync(ORDER, 'utf8')) as { States: Record<string, object> };
  order.States.Charge = {
    ...order.States.Charge,
    Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 1 }, { ErrorEquals: ['Lambda.ServiceException'], MaxAttempts: 1 }],
  };
  fs.writeFileSync(path.join(dir, 'order.asl.json'), JSON.stringify(order));
  return dir;
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
    expect(r.err).toContain('vitest cannot be loaded by require(); name the file .js, .mjs or .ts');
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
    expect(text).toContain("import * as properties from './order.properties.js';");
    expect(text).not.toContain('require(');
    const results = await runJest(dir, { match: '<rootDir>/*.verify.test.js', esm: true });
    expect(results.map((f) => [f.file, f.status, f.passed, f.failed])).toEqual([['order.verify.test.js', 'passed', 2, 0]]);
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

  it('imports the property module in a .ts file of a "type": "module" project, and requires it in one of a CommonJS project', async () => {
    for (const esm of [true, false]) {
      const dir = project(`ts-verify-${esm}`, esm);
      fs.writeFileSync(path.join(dir, 'order.properties.js'), esm ? PROPERTIES_ESM : PROPERTIES_CJS);
      const file = path.join(dir, 'order.verify.test.ts');
      expect((await cli('verify', path.join(dir, 'order.asl.json'), '--property', path.join(dir, 'order.properties.js'), '--write-tests', file)).code).toBe(1);
      const text = fs.readFileSync(file, 'utf8');
      expect(text.includes("import * as properties from './order.properties.js';")).toBe(esm);
      expect(text.includes('const properties = require(')).toBe(!esm);
    }
  }, 180_000);
});
