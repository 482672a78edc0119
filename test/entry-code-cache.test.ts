import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The engine's two bundles load with the V8 code cache the build made for them
 * (scripts/code-cache-loader.cjs, scripts/train-code-cache.cjs): taken only when it is the cache
 * of these bytes for this node, and otherwise the bundle is compiled from its text, as slow as
 * before and never wrong. Each check runs in a node process of its own; the edits are made on a
 * copy of lib/entry/ in a temporary folder.
 */
const ROOT = path.join(__dirname, '..');
const ENTRY = path.join(ROOT, 'lib', 'entry');
const STATUS = Symbol.for('stepwright.codeCache');
const CORE = 'stepwright-core.bundle.js';

/** A run of an over-sized input: its cause is a string of the core's `run` function, which the training compiles (so it is in the cache). */
const RUN_SCRIPT = (entry: string) => `
  const core = require(${JSON.stringify(path.join(entry, 'stepwright-core.js'))});
  const { compileStateMachine } = require(${JSON.stringify(path.join(entry, 'interpreter.js'))});
  const m = compileStateMachine({ StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'v.$': '$.v', k: 1 }, End: true } } }, { limits: { maxPayloadBytes: 20 } });
  Promise.all([m.start({ v: 41 }).result, m.start({ v: 'x'.repeat(40) }).result]).then(([ok, big]) => {
    process.stdout.write(JSON.stringify({ status: core[Symbol.for('stepwright.codeCache')], output: ok.output, cause: big.cause }));
  });`;

function run(entry: string, args: readonly string[] = []): { status: string; output: unknown; cause: string } {
  return JSON.parse(execFileSync(process.execPath, [...args, '-e', RUN_SCRIPT(entry)], { encoding: 'utf8', timeout: 120_000 })) as { status: string; output: unknown; cause: string };
}

const WANT = { output: { v: 41, k: 1 }, cause: 'The execution input exceeds the maximum of 20 bytes.' };

describe('the code cache of the engine\'s bundles', () => {
  let dir: string;
  beforeAll(() => {
    if (!fs.existsSync(path.join(ENTRY, `${CORE}.v8cache`))) throw new Error(`lib/entry/${CORE}.v8cache is missing: run \`npx projen compile\``);
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-code-cache-'));
    // Copied with their times: the cache stays no older than its bundle, as in an installed package.
    fs.cpSync(ENTRY, dir, { recursive: true, preserveTimestamps: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is taken by a node process that imports stepwright/interpreter, with the same results', () => {
    expect(run(ENTRY)).toEqual({ status: 'used', ...WANT });
  }, 120_000);

  it('is not taken under jest, whose modules run in a vm context of their own (the bundle is required)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const core = require(path.join(ENTRY, 'stepwright-core.js')) as Record<symbol, unknown>;
    expect(core[STATUS]).toBe('other realm');
  });

  it('is not taken with --enable-source-maps, so that stack frames map to src/', () => {
    expect(run(ENTRY, ['--enable-source-maps'])).toEqual({ status: 'source maps', ...WANT });
  }, 120_000);

  it('is not taken for a bundle edited after the build: the edit runs, although V8 would take the cache for text of the same length', () => {
    const file = path.join(dir, CORE);
    const text = fs.readFileSync(file, 'latin1');
    const edited = text.replace('The execution input exceeds', 'The EXECUTION input exceeds');
    expect(edited.length).toBe(text.length);
    expect(edited).not.toBe(text);
    fs.writeFileSync(file, edited, 'latin1');
    // Newer than its cache, as an edit leaves it: compiled from the edited text.
    const cacheTime = fs.statSync(`${file}.v8cache`).mtime;
    fs.utimesSync(file, new Date(cacheTime.getTime() + 1000), new Date(cacheTime.getTime() + 1000));
    expect(run(dir)).toEqual({ ...WANT, status: 'changed bundle', cause: WANT.cause.replace('execution', 'EXECUTION') });
    // Why the loader compares the times: given the same edit as old as its cache, V8 checks the
    // length only and runs the bytecode of the text the cache was made from.
    fs.utimesSync(file, cacheTime, cacheTime);
    expect(run(dir)).toEqual({ status: 'used', ...WANT });
  }, 120_000);

  it('leaves the engine whole when a bundler packs stepwright/interpreter into one file (esbuild, as a Lambda is bundled): the loader finds no file beside it and takes the packed bundle', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    const out = path.join(dir, 'packed', 'index.js');
    esbuild.buildSync({
      stdin: { contents: RUN_SCRIPT(ENTRY), resolveDir: ROOT, sourcefile: 'lambda.js' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: out,
      logLevel: 'silent',
    });
    const packed = JSON.parse(execFileSync(process.execPath, [out], { encoding: 'utf8', timeout: 120_000 })) as Record<string, unknown>;
    expect(packed).toEqual({ status: 'no cache', ...WANT });
    // Only the one file: nothing beside it the loader could have read.
    expect(fs.readdirSync(path.dirname(out))).toEqual(['index.js']);
  }, 120_000);

  it('is not taken for a bundle of another length (same time), nor made by another node, nor unreadable, nor missing', () => {
    const file = path.join(dir, CORE);
    const cacheFile = `${file}.v8cache`;
    const cache = fs.readFileSync(cacheFile);
    const eol = cache.indexOf(0x0a);
    const header = JSON.parse(cache.subarray(0, eol).toString('latin1')) as Record<string, unknown>;
    const rewrite = (h: Record<string, unknown>) => {
      const time = fs.statSync(cacheFile).mtime;
      fs.writeFileSync(cacheFile, Buffer.concat([Buffer.from(`${JSON.stringify(h)}\n`), cache.subarray(eol + 1)]));
      fs.utimesSync(cacheFile, time, time);
    };
    rewrite({ ...header, length: (header.length as number) + 1 });
    expect(run(dir)).toEqual({ status: 'changed bundle', ...WANT });
    rewrite({ ...header, node: 'v0.0.1' });
    expect(run(dir)).toEqual({ status: 'other node', ...WANT });
    fs.writeFileSync(cacheFile, 'not a cache');
    fs.utimesSync(cacheFile, new Date(), new Date());
    expect(run(dir)).toEqual({ status: 'unreadable cache', ...WANT });
    // A header that matches in front of bytes that are not a cache: V8 refuses them and compiles the text.
    fs.writeFileSync(cacheFile, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), Buffer.alloc(64, 7)]));
    expect(run(dir)).toEqual({ status: 'compiled', ...WANT });
    fs.rmSync(cacheFile);
    expect(run(dir)).toEqual({ status: 'no cache', ...WANT });
  }, 120_000);
});
