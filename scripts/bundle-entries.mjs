// Bundles the modules of the package's entry points (stepwright, /testing, /testing/setup,
// /testing/reporter, /interpreter, /server) into one CommonJS file, lib/entry/stepwright.js, and
// writes one small file per entry point beside it (package.json's `exports` name these).
//
// Why: jest gives every test file a module registry of its own and resolves, reads and wraps each
// module a file loads once per file; stepwright/testing loads about 200 of them. One file does the
// same work once per test file. Each module keeps its own lazily run body inside the bundle, so
// what a test does not use (explore's search, the Mermaid drawing, the server) still runs only
// on first use. All entry points share the one bundle, so a class is the same class whichever
// entry point a test imports it from (a VirtualClock from /interpreter given to a Workflow of
// /testing, an error thrown by one and matched with the other's class).
//
// The bundle is made from tsc's output in lib/ and reads its source maps, so its own map points
// at src/. lib/'s other files stay as tsc wrote them (the CLI, the MCP server and the worker
// threads load those).
//   node scripts/bundle-entries.mjs
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
  { file: 'interpreter.js', module: 'interpreter/index.js' },
  { file: 'server.js', module: 'server/index.js' },
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const key = (e) => e.file.replace(/\.js$/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase());
await build({
  stdin: {
    contents: ENTRIES.map((e) => `exports.${key(e)} = () => require(${JSON.stringify(`../${e.module}`)});`).join('\n'),
    resolveDir: out,
    sourcefile: 'entries.js',
  },
  outfile: join(out, 'stepwright.js'),
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
  // error's name, a message or a snapshot shows.
  keepNames: true,
  logLevel: 'warning',
});

for (const e of ENTRIES) {
  // The names are listed for node's ES-module loader, which reads a CommonJS file's exports from
  // its text: `import { Workflow } from 'stepwright/testing'` keeps working.
  const names = e.sideEffectOnly ? [] : Object.keys(require(join(lib, e.module))).filter((n) => n !== '__esModule');
  // Not `module.exports = require(...)`, which that reader would take for the bundle's own names.
  const body = e.sideEffectOnly
    ? `require('./stepwright.js').${key(e)}();\n`
    : `const bundle = require('./stepwright.js');\nmodule.exports = bundle.${key(e)}();\n`
      + (names.length > 0 ? `0 && (${names.map((n) => `exports.${n} = 0`).join(', ')});\n` : '');
  writeFileSync(join(out, e.file), `"use strict";\n// The entry point of lib/${e.module}, from the bundle of every entry point (scripts/bundle-entries.mjs).\n${body}`);
}
