'use strict';
// Copied to lib/entry/code-cache.js by scripts/bundle-entries.mjs; the engine's two bundles load
// through it: `require('./code-cache.js').load(module, require, 'stepwright-core.bundle.js')`.
//
// Why: importing stepwright/interpreter and running a first machine is mostly V8 compiling
// JavaScript: 8 ms to parse the core's 0.24 MB, 7 ms to compile the module bodies importing it runs,
// and 4 ms for the functions the first machine runs (node 20, this repository's bench machine). The
// build runs a few machines and saves V8's code cache of the bundle (`<bundle>.v8cache`): with it
// the same work takes about 6 ms in all. Node 20's require() takes no code cache (node 22's
// module.enableCompileCache is for the application to turn on, not a library), so the bundle is
// compiled here with vm.Script, as node's own loader would wrap it.
//
// The cache is taken only when it is certain to be the cache of these bytes for this V8; otherwise
// the bundle is required as any module, and the import is as slow as before, never wrong:
// - V8 itself refuses a cache made by another V8 version or with other flags, but of the source it
//   checks the length only: a bundle edited after the build (patch-package, a hand edit in
//   node_modules) is newer than its cache, and is then compiled from its text. (A digest of the text
//   would say more, but node:crypto and node:zlib take 2 to 6 ms to load: a third of what the
//   cache saves. npm gives every file of a package the same time, so an installed cache is not
//   older than its bundle.)
// - another node version (the header names the one that built the package) is not tried at all;
// - under jest (or any test runner that runs modules in a vm context of their own) vm.Script
//   would compile the bundle in node's main context, whose Object and Array are not the test's;
// - with --enable-source-maps the bundle is required, so node maps its stack frames to src/.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

/** Where each bundle's status is left, for stepwright's own tests and benchmarks (not public API). */
const STATUS = Symbol.for('stepwright.codeCache');

/** Set by scripts/train-code-cache.cjs before it loads a bundle: compile through vm.Script even without a cache, and keep the script. */
exports.training = false;
/** The scripts compiled while training, by bundle file, to make their caches from. */
exports.scripts = new Map();

/** The header line of a cache file: the node that made it, and the length of the bundle it was made from. */
exports.header = (source) => JSON.stringify({ node: process.version, v8: process.versions.v8, arch: process.arch, length: source.length });

// Node's CommonJS wrapper, on a line of its own so that the bundle's lines keep their numbers
// (lineOffset -1): a stack frame names the same line and column as under require().
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_END = '\n})';

/**
 * Runs `bundleFile` (beside this file) as the body of `loader`, the module that stands for it.
 * @param {NodeJS.Module} loader the module of the file that calls this (its exports become the bundle's)
 * @param {NodeJS.Require} requireFromLoader that module's require, which resolves from lib/entry/
 * @param {string} bundleFile the bundle's file name
 * @param {() => unknown} requireBundle requires the bundle as any module (a static require(), which a bundler follows)
 */
exports.load = function load(loader, requireFromLoader, bundleFile, requireBundle) {
  const file = path.join(__dirname, bundleFile);
  const status = loadCompiled(loader, requireFromLoader, file);
  if (status !== 'used' && status !== 'compiled') loader.exports = requireBundle();
  Object.defineProperty(loader.exports, STATUS, { value: status, configurable: true });
};

/** Compiles and runs the bundle with its cache when it may; answers why not otherwise (then nothing ran). */
function loadCompiled(loader, requireFromLoader, file) {
  if (sourceMapsEnabled()) return 'source maps';
  // node's own modules come from node's main context: in a vm context of a test runner's, its
  // classes are not this context's functions.
  if (!(vm.Script instanceof Function)) return 'other realm';
  let cache;
  try {
    if (fs.statSync(file).mtimeMs > fs.statSync(`${file}.v8cache`).mtimeMs) return 'changed bundle';
    cache = fs.readFileSync(`${file}.v8cache`);
  } catch {
    if (!exports.training) return 'no cache';
  }
  // The build writes ASCII only (scripts/bundle-entries.mjs), which latin1 decodes the fastest.
  const source = fs.readFileSync(file, 'latin1');
  let cachedData;
  if (cache !== undefined) {
    const eol = cache.indexOf(0x0a);
    const made = eol > 0 ? parseHeader(cache.subarray(0, eol).toString('latin1')) : undefined;
    if (made === undefined) return 'unreadable cache';
    if (made.node !== process.version || made.v8 !== process.versions.v8 || made.arch !== process.arch) return 'other node';
    if (made.length !== source.length) return 'changed bundle';
    cachedData = cache.subarray(eol + 1);
  }
  const script = new vm.Script(WRAPPER_START + source + WRAPPER_END, { filename: file, lineOffset: -1, cachedData });
  if (exports.training) exports.scripts.set(path.basename(file), { script, source });
  script.runInThisContext().call(loader.exports, loader.exports, requireFromLoader, loader, file, path.dirname(file));
  // Refused by V8 (its version or flags differ): compiled from the text, as require() would have.
  return cachedData === undefined ? 'compiled' : script.cachedDataRejected === true ? 'compiled' : 'used';
}

/** process.sourceMapsEnabled is node 20.7's; before it, the flag is read where it can be given. */
function sourceMapsEnabled() {
  if (typeof process.sourceMapsEnabled === 'boolean') return process.sourceMapsEnabled;
  return process.execArgv.includes('--enable-source-maps') || /(^|\s)--enable-source-maps(\s|$)/.test(process.env.NODE_OPTIONS ?? '');
}

function parseHeader(text) {
  try {
    const h = JSON.parse(text);
    return h !== null && typeof h === 'object' && typeof h.length === 'number' ? h : undefined;
  } catch {
    return undefined;
  }
}
