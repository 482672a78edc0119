/*
 * The V8 code cache of the modules `stepwright serve` runs before its first answer. main.ts
 * imports this module first, so that every module of lib/ the command line loads after it is
 * compiled here when the build left a cache for it (lib/cli/start.v8cache, made by
 * scripts/train-start-cache.cjs), and by node's own loader otherwise.
 *
 * Why: of what serve spends before it answers beyond a bare node HTTP server, a third is V8
 * parsing and compiling the 0.65 MB of JavaScript it loads (about 90 M of 255 M instructions,
 * docs/performance.md "Start-up and footprint"). With the cache V8 reads the compiled functions
 * back instead. Node 20's require() takes no code cache (node 22's module.enableCompileCache is for
 * the application to turn on), so the modules are compiled here with vm.Script, wrapped as node's
 * loader wraps them, each keeping its own module, exports and require.
 *
 * The cache is taken only when it is certain to be the cache of these bytes for this V8, as
 * scripts/code-cache-loader.cjs takes the engine bundles' (which says why): a file newer than the
 * cache, or of another length than the one the cache was made from, is compiled from its text; a
 * cache made by another node is not read; V8 refuses one made with other flags (the module is then
 * compiled from its text, as require() would); with --enable-source-maps nothing is cached, so
 * that node maps stack frames to src/.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** The cache file, beside this module in lib/cli/. @internal */
export const START_CACHE_FILE = 'start.v8cache';

/**
 * One module's entry in the cache's header: its path under lib/, where its data starts, the data's
 * length, and the length of the text it was made from.
 * @internal
 */
export type StartCacheEntry = readonly [file: string, offset: number, size: number, sourceLength: number];

/** The cache's first line. @internal */
export interface StartCacheHeader {
  readonly node: string;
  readonly v8: string;
  readonly arch: string;
  readonly files: readonly StartCacheEntry[];
}

/** The modules compiled by this process, while the build makes the cache (scripts/train-start-cache.cjs). @internal */
export const trained: Array<{ readonly file: string; readonly script: vm.Script; readonly sourceLength: number }> = [];

/**
 * What became of the modules the cache holds in this process, for stepwright's tests and benchmarks
 * (not public API): compiled with their cache, compiled by V8 from their text as it refused the
 * cache, or given to node's loader as the file is not what the cache was made from.
 * @internal
 */
export const startCacheUse = { used: 0, refused: 0, fromText: 0 };

let installed = false;
/** Whether this process is the build's training, which makes the cache. */
let trainingNow = false;

/** An import() in a module's text (or in a comment: a module left to node's loader is only compiled more slowly). */
const DYNAMIC_IMPORT = /\bimport\s*\(/;

// Node's CommonJS wrapper, on a line of its own, so that a module's lines keep their numbers
// (lineOffset -1): a stack frame names the same line and column as under require().
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_END = '\n})';

/** The node this process runs, as the cache's header names the one that made it. @internal */
export function startCacheRuntime(): Pick<StartCacheHeader, 'node' | 'v8' | 'arch'> {
  return { node: process.version, v8: process.versions.v8, arch: process.arch };
}

/**
 * Compiles the modules of `lib` that `cacheFile` holds with their cache from now on (all of lib's
 * modules when `training`, to make the cache from). Does nothing when the cache is missing, made
 * by another node, or unreadable, when source maps are on, or when a cache was installed before.
 * @internal
 */
export function installStartCache(lib: string, cacheFile: string, training = false): void {
  // The first call decides: main.ts's finds the one the build's training (or a test) made installed.
  if (installed || sourceMapsEnabled()) {
    // main.ts's call, while the build trains: what was compiled so far (main.js, use-start-cache.js) node
    // compiles itself at a real start, before this call installs the cache, which would hold it unread.
    if (installed && trainingNow) trained.length = 0;
    return;
  }
  installed = true;
  trainingNow = training;
  const cache = training ? undefined : readCache(cacheFile);
  if (!training && cache === undefined) return;
  const root = lib.endsWith(path.sep) ? lib : lib + path.sep;
  // node's loader's own table (Module._extensions): what require() does with a .js file.
  const extensions = require.extensions;
  const compileJs = extensions['.js'];
  const fromText = (module: NodeJS.Module, filename: string): unknown => {
    startCacheUse.fromText++;
    return compileJs(module, filename);
  };
  extensions['.js'] = (module: NodeJS.Module, filename: string) => {
    const entry = filename.startsWith(root) ? cache?.entries.get(filename.slice(root.length).split(path.sep).join('/')) : undefined;
    if (entry === undefined && !(training && filename.startsWith(root))) return compileJs(module, filename);
    // A file changed after the build is compiled from its text (its length alone would not tell).
    if (cache !== undefined && fs.statSync(filename).mtimeMs > cache.mtimeMs) return fromText(module, filename);
    const text = fs.readFileSync(filename, 'utf8');
    if (entry !== undefined && entry[3] !== text.length) return fromText(module, filename);
    // A script of vm's has no loader for import() on node 20 (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING,
    // and a callback needs --experimental-vm-modules): a module that may import() is left to node's
    // loader, and so kept out of the cache (server/index.ts imports a handlers module written as ESM).
    if (training && DYNAMIC_IMPORT.test(text)) return compileJs(module, filename);
    // lib/cli/main.js starts with `#!`, which only the start of a script may hold: a comment of the same length.
    const source = text.startsWith('#!') ? `//${text.slice(2)}` : text;
    const cachedData = entry === undefined || cache === undefined ? undefined : cache.data.subarray(entry[1], entry[1] + entry[2]);
    const script = new vm.Script(WRAPPER_START + source + WRAPPER_END, { filename, lineOffset: -1, cachedData });
    if (training) trained.push({ file: filename.slice(root.length).split(path.sep).join('/'), script, sourceLength: text.length });
    if (cachedData !== undefined) startCacheUse[script.cachedDataRejected === true ? 'refused' : 'used']++;
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    wrapper.call(module.exports, module.exports, moduleRequire(module, filename), module, filename, path.dirname(filename));
  };
}

/** The cache file of lib/cli/ this module is in: its data, by module, when it was made by this node. */
function readCache(cacheFile: string): { entries: Map<string, StartCacheEntry>; data: Buffer; mtimeMs: number } | undefined {
  try {
    const mtimeMs = fs.statSync(cacheFile).mtimeMs;
    const buffer = fs.readFileSync(cacheFile);
    const eol = buffer.indexOf(0x0a);
    if (eol < 0) return undefined;
    const header = JSON.parse(buffer.subarray(0, eol).toString('latin1')) as StartCacheHeader;
    const runtime = startCacheRuntime();
    if (header.node !== runtime.node || header.v8 !== runtime.v8 || header.arch !== runtime.arch || !Array.isArray(header.files)) return undefined;
    return { entries: new Map(header.files.map((e) => [e[0], e])), data: buffer.subarray(eol + 1), mtimeMs };
  } catch {
    return undefined;
  }
}

/** The `require` node's loader gives a module: loads as the module's own (its parent link), resolves from its file. */
function moduleRequire(module: NodeJS.Module, filename: string): NodeJS.Require {
  const load = (id: string): unknown => module.require(id);
  // Made on first use: no module serve loads before its first answer resolves a path.
  const resolve = Object.assign((request: string, options?: NodeJS.RequireResolveOptions) => createRequire(filename).resolve(request, options), {
    paths: (request: string) => createRequire(filename).resolve.paths(request),
  });
  return Object.assign(load, { resolve, cache: require.cache, main: require.main, extensions: require.extensions });
}

/** process.sourceMapsEnabled is node 20.7's; before it, the flag is read where it can be given. */
function sourceMapsEnabled(): boolean {
  const enabled = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled;
  if (typeof enabled === 'boolean') return enabled;
  return process.execArgv.includes('--enable-source-maps') || /(^|\s)--enable-source-maps(\s|$)/.test(process.env.NODE_OPTIONS ?? '');
}
