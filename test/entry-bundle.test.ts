import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The package's entry points load one bundle of their modules (scripts/bundle-entries.mjs, run by
 * `npx projen compile`): what a user's test file gets. Each check runs in a node process of its
 * own, where the compiled files load as a user's jest would load them (not mapped to src/).
 */
const ROOT = path.join(__dirname, '..');
const ENTRY = path.join(ROOT, 'lib', 'entry');
const EXPORTS = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { default?: string }> }).exports;

/** package.json's entry points with the module of lib/ tsc wrote for each (the same name under src/). */
const ENTRY_POINTS: ReadonlyArray<{ name: string; shim: string; module: string }> = [
  { name: '.', module: 'index.js' },
  { name: './testing', module: 'testing/index.js' },
  { name: './testing/setup', module: 'testing/setup.js' },
  { name: './testing/reporter', module: 'testing/reporter.js' },
  { name: './testing/vitest-reporter', module: 'testing/vitest-reporter.js' },
  { name: './interpreter', module: 'interpreter/index.js' },
  { name: './server', module: 'server/index.js' },
].map((e) => ({ ...e, shim: path.join(ROOT, (EXPORTS[e.name] as { default: string }).default) }));

function node(args: readonly string[], script: string): string {
  return execFileSync(process.execPath, [...args, '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
}

const shim = (name: string) => JSON.stringify(ENTRY_POINTS.find((e) => e.name === name)!.shim);

/** The entry points that export names (the setup file only registers the matchers). */
const MODULES = ENTRY_POINTS.filter((e) => e.name !== './testing/setup');

interface EntryExports {
  /** The names each exports: tsc's module and the bundle to require(), the bundle to an ES-module import. */
  tsc: string[];
  bundle: string[];
  esm: string[];
  /** The `name` of each exported class and function (and of those on an exported object), and of its prototype. */
  tscNames: Record<string, string[]>;
  bundleNames: Record<string, string[]>;
}
let entryExports: Record<string, EntryExports> | undefined;

/** What each entry point's tsc module and bundle export, read in one node process for the two tests that compare them. */
function exportsOfEntries(): Record<string, EntryExports> {
  entryExports ??= JSON.parse(node(['--input-type=module'], `
    import { createRequire } from 'node:module';
    const require = createRequire(${JSON.stringify(path.join(ROOT, 'package.json'))});
    const names = (m) => {
      const out = {};
      for (const [k, v] of Object.entries(m)) {
        if (typeof v === 'function') out[k] = [v.name, Object.getPrototypeOf(v).name ?? ''];
        else if (v !== null && typeof v === 'object') for (const [k2, v2] of Object.entries(v)) if (typeof v2 === 'function') out[k + '.' + k2] = [v2.name];
      }
      return out;
    };
    const out = {};
    for (const [shim, module] of ${JSON.stringify(MODULES.map((e) => [e.shim, path.join(ROOT, 'lib', e.module)]))}) {
      const esm = await import(shim);
      const tsc = require(module);
      const bundle = require(shim);
      out[shim] = {
        tsc: Object.keys(tsc).sort(), bundle: Object.keys(bundle).sort(), esm: Object.keys(esm).filter((k) => k !== 'default').sort(),
        tscNames: names(tsc), bundleNames: names(bundle),
      };
    }
    process.stdout.write(JSON.stringify(out));`)) as Record<string, EntryExports>;
  return entryExports;
}

describe('the bundle of the entry points (lib/entry)', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(ENTRY, 'stepwright.js'))) throw new Error('lib/entry/stepwright.js is missing: run `npx projen compile`');
  });

  it('is what package.json exports for every entry point but package.json and the types-only ones', () => {
    // The vitest entries carry types only (no code runs from them): no bundle is made for them.
    const typesOnly = (v: string | { default?: string }) => typeof v === 'object' && v.default === undefined;
    expect(Object.keys(EXPORTS).filter((k) => k !== './package.json' && !typesOnly(EXPORTS[k])).sort()).toEqual(ENTRY_POINTS.map((e) => e.name).sort());
    for (const e of ENTRY_POINTS) {
      expect(path.relative(ENTRY, e.shim)).not.toMatch(/^\.\./);
      expect(fs.existsSync(e.shim)).toBe(true);
    }
  });

  it('exports what tsc\'s module of each entry point exports, to require() and to an ES-module import alike', () => {
    const out = exportsOfEntries();
    for (const e of MODULES) {
      const { tsc, bundle, esm } = out[e.shim];
      expect(tsc.length).toBeGreaterThan(0);
      expect({ entry: e.name, names: bundle }).toEqual({ entry: e.name, names: tsc });
      // An ES-module import's `default` is module.exports itself, whatever the module names so.
      expect({ entry: e.name, names: esm }).toEqual({ entry: e.name, names: tsc.filter((n) => n !== 'default') });
    }
  }, 120_000);

  it('keeps the name of every exported class, function and error of every entry point, as tsc wrote it', () => {
    const out = exportsOfEntries();
    for (const e of MODULES) {
      const { tscNames: tsc, bundleNames: bundle } = out[e.shim];
      expect(Object.keys(tsc).length).toBeGreaterThan(0);
      expect({ entry: e.name, names: bundle }).toEqual({ entry: e.name, names: tsc });
    }
  }, 120_000);

  it('carries no name-keeping helper in the engine\'s files, where it would run at every creation of a named closure', () => {
    for (const file of ['stepwright-core.bundle.js', 'stepwright-core-lazy.bundle.js']) {
      const text = fs.readFileSync(path.join(ENTRY, file), 'utf8');
      expect({ file, helper: text.includes('__name(') }).toEqual({ file, helper: false });
    }
  });

  it('gives a class one identity whichever entry point a test takes it from', () => {
    const out = JSON.parse(node([], `
      const t = require(${shim('./testing')});
      const i = require(${shim('./interpreter')});
      let thrown;
      try { t.Workflow.fromDefinition({ StartAt: 'Missing', States: { A: { Type: 'Pass', End: true } } }); } catch (e) { thrown = e; }
      process.stdout.write(JSON.stringify({
        sameClass: t.ObjectStoreError === i.ObjectStoreError,
        invalidDefinition: thrown instanceof i.InvalidDefinitionError,
      }));`));
    expect(out).toEqual({ sameClass: true, invalidDefinition: true });
  }, 120_000);

  it('finds the package\'s data and drops its own frames from a mock\'s error trace', async () => {
    const out = JSON.parse(node([], `
      const { Workflow } = require(${shim('./testing')});
      const wf = Workflow.fromDefinition({ StartAt: 'Get', States: {
        Get: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', Parameters: { Bucket: 'b', Key: 'k' }, Next: 'Call' },
        Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } } });
      wf.run({}, { mocks: { Get: { Body: 'x' }, Call: () => { throw new Error('declined'); } } }).then((run) => {
        process.stdout.write(JSON.stringify({ error: run.error, cause: JSON.parse(run.cause) }));
      });`)) as { error: string; cause: { errorMessage: string; trace: string[] } };
    // A missing contract table would fail the first Task with stepwright's own error instead.
    expect(out.error).toBe('Error');
    expect(out.cause.errorMessage).toBe('declined');
    expect(out.cause.trace.filter((line) => line.includes(`${path.join(ROOT, 'lib')}${path.sep}`))).toEqual([]);
    expect(out.cause.trace.some((line) => line.includes('[eval]'))).toBe(true);
  }, 120_000);

  it('maps its code to the files of src/ through its source maps, for stack traces', () => {
    const sourcesOf = (file: string) => (JSON.parse(fs.readFileSync(path.join(ENTRY, file), 'utf8')) as { sources: string[] }).sources;
    // The rest bundle's stand-ins for the core's modules are one line each: `from-core:<module>`.
    const maps = ['stepwright.js.map', 'stepwright-lazy.js.map', 'stepwright-core.bundle.js.map', 'stepwright-core-lazy.bundle.js.map'];
    const stubs = maps.flatMap(sourcesOf).filter((s) => s.startsWith('from-core:'));
    const sources = maps.flatMap(sourcesOf)
      .filter((s) => !['entries.js', 'lazy-entries.js', 'core-entries.js'].includes(s) && !stubs.includes(s)).map((s) => path.resolve(ENTRY, s));
    expect(sources.length).toBeGreaterThan(150);
    expect(sources.filter((s) => !s.startsWith(path.join(ROOT, 'src') + path.sep) || !fs.existsSync(s))).toEqual([]);
    expect(stubs.filter((s) => !fs.existsSync(path.join(ROOT, 'src', s.slice('from-core:'.length).replace(/\.js$/, '.ts'))))).toEqual([]);
    const stack = node(['--enable-source-maps'], `
      try { require(${shim('./testing')}).Workflow.fromDefinition({ StartAt: 'Missing', States: {} }); } catch (e) { process.stdout.write(e.stack); }`);
    expect(stack).toContain(`${path.join(ROOT, 'src')}${path.sep}`);
    expect(stack).not.toContain('stepwright.js');
  }, 120_000);

  it('loads only the core for stepwright/interpreter, the rest of the engine with the first machine that needs it, and the core once for every entry point', () => {
    const out = JSON.parse(node([], `
      const loaded = () => Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(ENTRY + path.sep)})).map((f) => f.slice(${ENTRY.length + 1})).sort();
      const i = require(${shim('./interpreter')});
      const interpreter = loaded();
      const run = i.compileStateMachine({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }).start({});
      run.result.then(async (r) => {
        const afterPass = loaded();
        const task = await i.compileStateMachine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
          { defaultTaskHandler: () => ({ ok: 1 }) }).start({}).result;
        const afterTask = loaded();
        const t = require(${shim('./testing')});
        process.stdout.write(JSON.stringify({ interpreter, status: r.status, afterPass, task: task.output, afterTask, afterTesting: loaded(), sameClass: t.ObjectStoreError === i.ObjectStoreError }));
      });`)) as Record<string, unknown>;
    expect(out).toEqual({
      // The engine's bundles are compiled by code-cache.js, not required (their loaders are).
      interpreter: ['code-cache.js', 'interpreter.js', 'stepwright-core.js'],
      status: 'SUCCEEDED',
      afterPass: ['code-cache.js', 'interpreter.js', 'stepwright-core.js'],
      task: { ok: 1 },
      afterTask: ['code-cache.js', 'interpreter.js', 'stepwright-core-lazy.js', 'stepwright-core.js'],
      afterTesting: ['code-cache.js', 'interpreter.js', 'stepwright-core-lazy.js', 'stepwright-core.js', 'stepwright.js', 'testing.js'],
      sameClass: true,
    });
  }, 120_000);

  // jest reads, decodes and compiles every file a test file requires once per test file: what a
  // test that runs machines does not run stays in stepwright-lazy.js, out of its way.
  it('gives a test file that runs machines with mocks and matchers stepwright.js, and explore, the drawing and the builders stepwright-lazy.js on first use', () => {
    const out = JSON.parse(node([], `
      const loaded = () => Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(ENTRY + path.sep)})).map((f) => f.slice(${ENTRY.length + 1})).sort();
      const { Workflow, succeed, fail } = require(${shim('./testing')});
      const wf = Workflow.fromDefinition({ StartAt: 'Call', States: {
        Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], Next: 'Route' },
        Route: { Type: 'Choice', Choices: [{ Variable: '$.Payload', IsPresent: true, Next: 'Done' }], Default: 'Done' },
        Caught: { Type: 'Pass', Next: 'Done' },
        Done: { Type: 'Succeed' } } });
      (async () => {
        const ok = await wf.run({}, { mocks: { Call: succeed({ Payload: 1 }) } });
        const caught = await wf.run({}, { mocks: { Call: fail('Lambda.ServiceException', 'down') } });
        const afterRuns = loaded();
        const report = await wf.explore({ budgetSeconds: 30 });
        const mermaid = ok.toMermaid();
        const { StateMachineValidator } = require(${shim('.')});
        process.stdout.write(JSON.stringify({ runs: [ok.status, caught.status], afterRuns, explored: report.scenarios.length > 0, mermaid: mermaid.startsWith('flowchart'),
          builders: typeof StateMachineValidator, afterExplore: loaded().filter((f) => f.startsWith('stepwright')) }));
      })();`)) as Record<string, unknown>;
    expect(out).toEqual({
      runs: ['SUCCEEDED', 'SUCCEEDED'],
      afterRuns: ['code-cache.js', 'stepwright-core-lazy.js', 'stepwright-core.js', 'stepwright.js', 'testing.js'],
      explored: true,
      mermaid: true,
      builders: 'function',
      afterExplore: ['stepwright-core-lazy.js', 'stepwright-core.js', 'stepwright-lazy.js', 'stepwright.js'],
    });
  }, 120_000);

  // stepwright/testing's index requires each module it re-exports from when the name is first read
  // (scripts/bundle-entries.mjs): a test file runs the modules of the names it uses, and its setup
  // file's matchers load the cost estimate and the permission check on their first use.
  it('runs, for a test file that imports Workflow and runs a machine, none of the modules of the names it does not use', () => {
    const ran = JSON.parse(node([], `
      const fs = require('node:fs');
      const Module = require('node:module');
      const path = require('node:path');
      // esbuild's helper runs each module's body on its first require: it is made to note the module's name.
      const file = path.join(${JSON.stringify(ENTRY)}, 'stepwright.js');
      const helper = 'var __commonJS=(cb,mod)=>function __require(){return mod||(';
      const text = fs.readFileSync(file, 'latin1');
      if (!text.includes(helper)) throw new Error('stepwright.js holds no esbuild __commonJS helper as this test reads it');
      const ran = [];
      globalThis.noteModule = (name) => ran.push(name);
      const bundle = new Module(file, module);
      bundle.filename = file;
      bundle.paths = Module._nodeModulePaths(path.dirname(file));
      bundle._compile(text.replace(helper, helper.replace('return mod||(', 'if(!mod)globalThis.noteModule(__getOwnPropNames(cb)[0]);return mod||(')), file);
      bundle.loaded = true;
      require.cache[file] = bundle;
      globalThis.expect = { extend() {}, addSnapshotSerializer() {}, getState: () => ({}) };
      globalThis.afterAll = () => {};
      require(${shim('./testing/setup')});
      const { Workflow } = require(${shim('./testing')});
      Workflow.fromDefinition({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } }).run({}).then((run) => {
        process.stdout.write(JSON.stringify({ status: run.status, ran }));
      });`)) as { status: string; ran: string[] };
    expect(ran.status).toBe('SUCCEEDED');
    expect(ran.ran).toEqual(expect.arrayContaining(['lib/testing/setup.js', 'lib/testing/index.js', 'lib/testing/workflow.js']));
    const unused = ['lib/workbench/test-state/', 'lib/workbench/replay/', 'lib/workbench/scaffold/', 'lib/workbench/template/index.js',
      'lib/workbench/template/extract.js', 'lib/testing/reporter.js', 'lib/testing/cost.js', 'lib/cost/', 'lib/cfn/', 'lib/iam/', 'lib/contracts/'];
    expect(ran.ran.filter((m) => unused.some((u) => m.startsWith(u)))).toEqual([]);
  }, 120_000);

  it('takes node\'s own modules as node gives them, not copied name by name by every module that imports one', () => {
    for (const file of ['stepwright.js', 'stepwright-lazy.js']) {
      const text = fs.readFileSync(path.join(ENTRY, file), 'latin1');
      expect({ file, copies: text.match(/__importStar\(require\("node:[a-z_/]+"\)\)/g) ?? [] }).toEqual({ file, copies: [] });
      expect(text).toContain('require("node:fs")');
    }
  });

  it('holds only ASCII, which jest decodes the fast way once per test file', () => {
    for (const file of ['stepwright.js', 'stepwright-lazy.js', 'stepwright-core.bundle.js', 'stepwright-core-lazy.bundle.js']) {
      const bytes = fs.readFileSync(path.join(ENTRY, file));
      expect({ file, beyondAscii: bytes.findIndex((b) => b > 0x7f) }).toEqual({ file, beyondAscii: -1 });
    }
  });
});
