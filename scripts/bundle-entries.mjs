// Bundles the modules of the package's entry points (stepwright, /testing, /testing/setup,
// /testing/reporter, /testing/vitest-reporter, /interpreter, /server) into four CommonJS files and
// writes one small file per entry point beside them (package.json's `exports` name these):
//   lib/entry/stepwright-core.js       the modules importing stepwright/interpreter runs (the
//                                      engine and the language)
//   lib/entry/stepwright-core-lazy.js  the interpreter's modules it loads with the first machine
//                                      that needs them (Task, Map, Parallel, Wait, JSONata)
//   lib/entry/stepwright.js            the entry points, and the other modules a user's jest test
//                                      file runs (scripts/jest-file-modules.cjs lists them)
//   lib/entry/stepwright-lazy.js       every other module (explore's search, the drawing, the
//                                      server, the builders), read with the first of them a process runs
// Each takes the others' modules from them (a stand-in module requires the file that holds it).
// The engine's two are small loaders of `<name>.bundle.js` with the V8 code cache the build makes
// for it (scripts/code-cache-loader.cjs says why, scripts/train-code-cache.cjs how).
//
// Why: jest gives every test file a module registry of its own and resolves, reads and wraps each
// module a file loads once per file; stepwright/testing loads about 200 of them. A test that runs
// machines reads three files instead, and not the bytes of what it does not run (jest decodes and
// compiles each file it reads once per test file). Each module keeps its own lazily run body
// inside the bundle, so what a test does not use still runs only on first use. A process that
// imports stepwright/interpreter alone reads and parses the core only, 0.29 MB of the 2.3 MB (its
// cold start). All entry points share the one copy of each module, so a class is the
// same class whichever entry point a test imports it from (a VirtualClock from /interpreter given
// to a Workflow of /testing, an error thrown by one and matched with the other's class).
//
// The bundles hold no comments nor indentation (the source maps point at src/, which the package
// ships) and only ASCII: jest reads each file as text once per test file, and a file with one
// character beyond ASCII is decoded the slow way, all of it.
//
// They are made from tsc's output in lib/ and read its source maps, so their own maps point
// at src/. lib/'s other files stay as tsc wrote them (the CLI, the MCP server and the worker
// threads load those).
//   node scripts/bundle-entries.mjs
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(root, 'lib');
const out = join(lib, 'entry');
const require = createRequire(import.meta.url);

/** Each entry point: the file written for it in lib/entry/, and the module of lib/ it stands for. */
const ENTRIES = [
  { file: 'index.js', module: 'index.js' },
  { file: 'testing.js', module: 'testing/index.js' },
  { file: 'testing-setup.js', module: 'testing/setup.js', sideEffectOnly: true },
  { file: 'testing-reporter.js', module: 'testing/reporter.js' },
  // vitest loads a reporter with import() and takes its `default`, which for a CommonJS file is
  // module.exports: that is the class itself, its exports kept on it for require().
  { file: 'testing-vitest-reporter.js', module: 'testing/vitest-reporter.js', defaultIsModule: true },
  { file: 'interpreter.js', module: 'interpreter/index.js' },
  { file: 'server.js', module: 'server/index.js' },
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const key = (e) => e.file.replace(/\.js$/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase());
const CORE_FILE = 'stepwright-core.js';
const LAZY_FILE = 'stepwright-core-lazy.js';
const MAIN_FILE = 'stepwright.js';
const REST_FILE = 'stepwright-lazy.js';
/** The file holding a loader's bundle (the loader keeps the name the other files require). */
const bundled = (file) => file.replace(/\.js$/, '.bundle.js');
const CORE_ENTRY = 'interpreter/index.js';
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The dependencies stay packages of their own, loaded from node_modules as before.
  packages: 'external',
  sourcemap: true,
  // The package ships src/, which the map points at: the map need not hold the sources again.
  sourcesContent: false,
  // Two modules may declare the same name; the bundle must not rename a class or function that an
  // error's name, a message or a snapshot shows (the builders' Map, Choice, Saga… are renamed
  // without it). Not in the core's two files, below.
  keepNames: true,
  // Whitespace and comments only: names stay as written (stack traces, error names).
  minifyWhitespace: true,
  logLevel: 'warning',
};

// A module another of the files holds is required from that file, not bundled again: a stand-in
// `from-core:<module>` takes its exports from the file's table of modules.
const fromElsewhere = (owner) => ({
  name: 'from-core',
  setup(b) {
    b.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData === 'from-core' || args.namespace === 'from-core') return undefined;
      const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'from-core' });
      if (r.errors.length > 0) return undefined;
      const m = relative(lib, r.path).split('\\').join('/');
      return owner.has(m) ? { path: m, namespace: 'from-core', pluginData: owner.get(m) } : { path: r.path };
    });
    b.onLoad({ filter: /.*/, namespace: 'from-core' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`./${args.pluginData}`)}).modules[${JSON.stringify(args.path)}]();`,
      loader: 'js',
    }));
    b.onResolve({ filter: /^\.\/stepwright(-core)?(-lazy)?\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
});
// stepwright/testing's index re-exports from some twenty modules, and tsc's CommonJS requires each
// at the top of lib/testing/index.js: importing `Workflow` would run the modules of TestState,
// replay, scaffolding, the template loaders and the price tables in every jest test file. In the
// bundle each re-export requires its module when it is first read, so a test file runs the
// modules of the names it uses. (Node's ES-module loader reads every name at import: the same
// modules as before.) Only an index that does nothing but re-export can be read so.
const LAZY_REEXPORTS = new Set(['testing/index.js']);
const lazyReexports = {
  name: 'lazy-reexports',
  setup(b) {
    b.onLoad({ filter: /[\\/]index\.js$/ }, (args) => {
      const m = relative(lib, args.path).split('\\').join('/');
      if (!LAZY_REEXPORTS.has(m)) return undefined;
      return { contents: lazyReexportText(readFileSync(args.path, 'utf8'), m), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};
/**
 * tsc's `var x_1 = require("…")` and `get: function () { return x_1.name; }` made
 * `return require("…").name` (lines kept, for the source map).
 */
function lazyReexportText(text, m) {
  const modules = new Map();
  let out = text.replace(/^var (\w+) = require\(("[^"\n]+")\);$/gm, (_, name, spec) => {
    modules.set(name, spec);
    return '';
  });
  for (const [name, spec] of modules) {
    out = out.replace(new RegExp(`return ${name}\\.(\\w+); }`, 'g'), (_, key) => `return require(${spec}).${key}; }`);
    if (new RegExp(`\\b${name}\\b`).test(out)) {
      throw new Error(`bundle-entries: lib/${m} reads ${name} beyond a re-export; only an index that re-exports alone is made lazy`);
    }
  }
  if (modules.size === 0 || /^(var|const|let) \w+ = require\(/m.test(out)) {
    throw new Error(`bundle-entries: lib/${m} is not tsc's re-exports as this script reads them`);
  }
  return out;
}
// tsc writes `import * as fs from 'node:fs'` as `__importStar(require("node:fs"))`: a copy of the
// module with a getter (named by keepNames) for each of its names, 104 for node:fs, made again by
// every module that imports it and, under jest, in every test file: 0.1 to 0.4 ms each. A module of
// node's own is no ES module whose names need copying: each reads it as node gives it (its names
// and their values are the same; only the copy's `default`, which no module reads, is gone).
const NODE_STAR = /__importStar\(require\(("node:[a-z_/]+")\)\)/g;
const nodeModulesAsGiven = {
  name: 'node-modules-as-given',
  setup(b) {
    b.onLoad({ filter: /[\\/]lib[\\/].*\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('__importStar(require("node:')) return undefined;
      const m = relative(lib, args.path).split('\\').join('/');
      const contents = LAZY_REEXPORTS.has(m) ? lazyReexportText(text, m) : text;
      return { contents: contents.replace(NODE_STAR, 'require($1)'), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};
const table = (modules) => `exports.modules = {\n${modules.map((m) => `  ${JSON.stringify(m)}: () => require(${JSON.stringify(`../${m}`)}),`).join('\n')}\n};`;

// The core: every module stepwright/interpreter loads, each behind its path in lib/; those that
// importing it does not run (the Task, Map, Parallel and Wait compilers, JSONata, the item
// readers: each loaded with the first machine that needs it) in a file of their own.
const closure = await build({ ...common, entryPoints: [join(lib, CORE_ENTRY)], write: false, metafile: true, sourcemap: false, outfile: join(out, CORE_FILE) });
const coreModules = Object.keys(closure.metafile.inputs).map((f) => relative(lib, join(root, f)).split('\\').join('/'));
const eager = new Set(JSON.parse(execFileSync(process.execPath, ['-e', `
  const before = new Set(Object.keys(require.cache));
  require(${JSON.stringify(join(lib, CORE_ENTRY))});
  process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => !before.has(f)).map((f) => require('path').relative(${JSON.stringify(lib)}, f).split(require('path').sep).join('/'))));`], { encoding: 'utf8' })));
const owner = new Map(coreModules.map((m) => [m, eager.has(m) ? CORE_FILE : LAZY_FILE]));
for (const file of [CORE_FILE, LAZY_FILE]) {
  await build({
    ...common,
    // keepNames' __name() runs at every creation of a named closure, and the engine creates them
    // per execution: 40% of a small execution's time. The core's modules rename nothing without
    // it (test/entry-bundle.test.ts compares every exported name with lib/'s and finds no helper).
    keepNames: false,
    stdin: { contents: table(coreModules.filter((m) => owner.get(m) === file)), resolveDir: out, sourcefile: 'core-entries.js' },
    outfile: join(out, bundled(file)),
    plugins: [fromElsewhere(new Map([...owner].filter(([, f]) => f !== file)))],
  });
  writeFileSync(join(out, file), `"use strict";\n// Loads ${bundled(file)} with the V8 code cache the build made for it (scripts/code-cache-loader.cjs).\n`
    // The bundle's require() is written out for a bundler (esbuild for a Lambda) to follow: there the
    // loader finds no file beside it and takes the bundle the bundler packed.
    + `require('./code-cache.js').load(module, require, ${JSON.stringify(bundled(file))}, () => require(${JSON.stringify(`./${bundled(file)}`)}));\n`);
}
copyFileSync(join(root, 'scripts', 'code-cache-loader.cjs'), join(out, 'code-cache.js'));

// The rest: the modules a jest test file of a user runs (scripts/jest-file-modules.cjs) in
// stepwright.js, with the entry points, and every other module (explore's search, the drawing,
// the server, the builders) in stepwright-lazy.js, read with the first of its modules a process
// runs. jest reads, decodes and compiles a file once per test file, so a test that runs machines
// is not made to read the rest (it was two fifths of these bytes).
const entriesSource = ENTRIES.map((e) => `exports.${key(e)} = () => require(${JSON.stringify(`../${e.module}`)});`).join('\n');
const rest = await build({
  ...common, write: false, metafile: true, sourcemap: false, outfile: join(out, MAIN_FILE),
  stdin: { contents: entriesSource, resolveDir: out, sourcefile: 'entries.js' },
  plugins: [fromElsewhere(owner), nodeModulesAsGiven, lazyReexports],
});
const restModules = Object.keys(rest.metafile.inputs).filter((f) => !f.startsWith('from-core:'))
  .map((f) => relative(lib, join(root, f)).split('\\').join('/')).filter((m) => !m.startsWith('entry/'));
const testFile = new Set(JSON.parse(execFileSync(process.execPath, [join(root, 'scripts', 'jest-file-modules.cjs')], { encoding: 'utf8' })));
for (const m of restModules) owner.set(m, testFile.has(m) ? MAIN_FILE : REST_FILE);
const ownedBy = (file) => restModules.filter((m) => owner.get(m) === file);
const others = (file) => new Map([...owner].filter(([, f]) => f !== file));
await build({
  ...common,
  // The entry points, and the table the other file takes this file's modules from.
  stdin: { contents: `${entriesSource}\n${table(ownedBy(MAIN_FILE))}`, resolveDir: out, sourcefile: 'entries.js' },
  outfile: join(out, MAIN_FILE),
  plugins: [fromElsewhere(others(MAIN_FILE)), nodeModulesAsGiven, lazyReexports],
});
await build({
  ...common,
  stdin: { contents: table(ownedBy(REST_FILE)), resolveDir: out, sourcefile: 'lazy-entries.js' },
  outfile: join(out, REST_FILE),
  plugins: [fromElsewhere(others(REST_FILE)), nodeModulesAsGiven, lazyReexports],
});

// esbuild escapes what it writes beyond ASCII in strings, but not in regular expressions: write
// those with \u escapes in src/.
for (const file of [bundled(CORE_FILE), bundled(LAZY_FILE), MAIN_FILE, REST_FILE]) {
  const text = readFileSync(join(out, file), 'utf8');
  const at = text.search(/[^\0-\x7f]/);
  if (at >= 0) throw new Error(`bundle-entries: lib/entry/${file} holds a character beyond ASCII (${JSON.stringify(text.slice(Math.max(0, at - 60), at + 20))}); escape it in src/`);
}

for (const e of ENTRIES) {
  // The names are listed for node's ES-module loader, which reads a CommonJS file's exports from
  // its text: `import { Workflow } from 'stepwright/testing'` keeps working.
  const names = e.sideEffectOnly ? [] : Object.keys(require(join(lib, e.module))).filter((n) => n !== '__esModule');
  // Not `module.exports = require(...)`, which that reader would take for the bundle's own names.
  // stepwright/interpreter loads the core alone.
  const [file, load] = e.module === CORE_ENTRY ? [CORE_FILE, `bundle.modules[${JSON.stringify(CORE_ENTRY)}]()`] : ['stepwright.js', `bundle.${key(e)}()`];
  const body = e.sideEffectOnly
    ? `require('./${file}').${key(e)}();\n`
    : `const bundle = require('./${file}');\n`
      + (e.defaultIsModule ? `const loaded = ${load};\nmodule.exports = Object.assign(loaded.default, loaded);\n` : `module.exports = ${load};\n`)
      + (names.length > 0 ? `0 && (${names.map((n) => `exports.${n} = 0`).join(', ')});\n` : '');
  writeFileSync(join(out, e.file), `"use strict";\n// The entry point of lib/${e.module}, from the bundle of every entry point (scripts/bundle-entries.mjs).\n${body}`);
}

// The engine's code caches, made last, from the files as they now are; and the code cache of
// serve's start (lib/cli/start.v8cache: src/cli/start-cache.ts), which the command line reads.
execFileSync(process.execPath, [join(root, 'scripts', 'train-code-cache.cjs')], { stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'scripts', 'train-start-cache.cjs')], { stdio: 'inherit' });
