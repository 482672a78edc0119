import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * `stepwright serve` compiles the modules of its start with the V8 code cache the build made
 * (lib/cli/start.v8cache, src/cli/start-cache.ts), and takes it only when it is the cache of those
 * files for this node: otherwise each is compiled from its text, as require() would, and serve
 * answers the same. Each check starts the built command line in a node process of its own; a
 * cache edited for a check is a copy in a temporary folder.
 */
const LIB = path.join(__dirname, '..', '..', 'lib');
const CACHE = path.join(LIB, 'cli', 'start.v8cache');

interface Started { readonly answered: number; readonly body: unknown; readonly use: { used: number; refused: number; fromText: number } }

/**
 * Starts `stepwright serve --port 0` with `preload` installing `cache` first (the build's unless
 * given; null: main.js installs the build's, as at a real start), answers one
 * ListStateMachines, and reports what the cache did.
 */
const PRELOAD = (cache: string | null) => `
  const path = require('node:path');
  const lib = ${JSON.stringify(LIB)};
  const startCache = require(path.join(lib, 'cli', 'start-cache.js'));
  ${cache === null ? '' : `startCache.installStartCache(lib, ${JSON.stringify(cache)});`}
  const write = process.stdout.write.bind(process.stdout);
  let printed = '';
  process.stdout.write = (chunk) => {
    if (printed.includes('\\n')) return true;
    printed += String(chunk);
    if (printed.includes('\\n')) {
      const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.ListStateMachines' };
      fetch(printed.split('\\n')[0] + '/', { method: 'POST', headers, body: '{}' })
        .then(async (res) => { write(JSON.stringify({ answered: res.status, body: await res.json(), use: startCache.startCacheUse })); process.exit(0); });
    }
    return true;
  };`;

function start(dir: string, cache: string | null = CACHE, args: readonly string[] = [], serveArgs: readonly string[] = []): Promise<Started> {
  const preload = path.join(dir, 'preload.js');
  fs.writeFileSync(preload, PRELOAD(cache));
  return new Promise((resolve, reject) => {
    const argv = [...args, '-r', preload, path.join(LIB, 'cli', 'main.js'), 'serve', '--port', '0', ...serveArgs];
    execFile(process.execPath, argv, { timeout: 30_000, cwd: os.tmpdir() }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Started);
    });
  });
}

/** A copy of the build's cache, edited by `edit` (its header and its data), with the build's time unless `mtime` is given. */
function copyOfCache(dir: string, edit: (header: { node: string; files: Array<[string, number, number, number]> }) => void, mtime?: Date): string {
  const buffer = fs.readFileSync(CACHE);
  const eol = buffer.indexOf(0x0a);
  const header = JSON.parse(buffer.subarray(0, eol).toString('latin1')) as { node: string; files: Array<[string, number, number, number]> };
  edit(header);
  const file = path.join(dir, 'start.v8cache');
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'latin1'), buffer.subarray(eol + 1)]));
  const { mtime: built } = fs.statSync(CACHE);
  fs.utimesSync(file, mtime ?? built, mtime ?? built);
  return file;
}

describe('serve\'s start code cache', () => {
  let dir: string;
  let modules: number;
  beforeAll(() => {
    if (!fs.existsSync(CACHE)) throw new Error('lib/cli/start.v8cache is missing: run `npx projen compile`');
    const buffer = fs.readFileSync(CACHE);
    modules = (JSON.parse(buffer.subarray(0, buffer.indexOf(0x0a)).toString('latin1')) as { files: unknown[] }).files.length;
  });
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-start-cache-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('holds the modules stepwright serve loads before its first answer', () => {
    const buffer = fs.readFileSync(CACHE);
    const files = (JSON.parse(buffer.subarray(0, buffer.indexOf(0x0a)).toString('latin1')) as { files: Array<[string]> }).files.map(([f]) => f);
    expect(files).toEqual(expect.arrayContaining(['cli/cli.js', 'cli/serve-command.js', 'server/index.js', 'server/service.js']));
    // Not what a first answer does not run (test/server/start.test.ts keeps these out of serve's start).
    expect(files.filter((f) => f.startsWith('interpreter/') || f.startsWith('asl/validate/') || f.startsWith('server/console/index'))).toEqual([]);
  });

  it('holds no module that may import(): a vm script has no loader for it on node 20', () => {
    const buffer = fs.readFileSync(CACHE);
    const files = (JSON.parse(buffer.subarray(0, buffer.indexOf(0x0a)).toString('latin1')) as { files: Array<[string]> }).files.map(([f]) => f);
    expect(files.filter((f) => /\bimport\s*\(/.test(fs.readFileSync(path.join(LIB, f), 'utf8')))).toEqual([]);
  });

  it('stepwright serve loads a handlers module that only import() loads (an ES module awaiting at its top) with the cache', async () => {
    const handlers = path.join(dir, 'handlers.mjs');
    // require() refuses it (ERR_REQUIRE_ASYNC_MODULE), so server/index.ts import()s it.
    fs.writeFileSync(handlers, 'await Promise.resolve();\nexport const Call = async () => ({ ok: true });\n');
    const started = await start(dir, CACHE, [], ['--handlers', handlers]);
    expect(started.answered).toBe(200);
    expect(started.use.used).toBeGreaterThan(modules / 2);
  }, 60_000);

  it('stepwright serve compiles every module of its start with the build\'s cache', async () => {
    const started = await start(dir);
    expect(started.answered).toBe(200);
    expect(started.body).toEqual({ stateMachines: [] });
    expect(started.use).toEqual({ used: modules, refused: 0, fromText: 0 });
  }, 60_000);

  it('holds no module a real start compiles before the cache is installed: every entry is read at stepwright serve\'s start', async () => {
    const started = await start(dir, null);
    expect(started.answered).toBe(200);
    expect(started.use).toEqual({ used: modules, refused: 0, fromText: 0 });
  }, 60_000);

  it('compiles from their text the files changed after the cache was made, and answers the same', async () => {
    const older = copyOfCache(dir, () => undefined, new Date(Date.parse('2000-01-01T00:00:00Z')));
    const started = await start(dir, older);
    expect(started.answered).toBe(200);
    expect(started.body).toEqual({ stateMachines: [] });
    expect(started.use).toEqual({ used: 0, refused: 0, fromText: modules });
  }, 60_000);

  it('compiles from its text a file of another length than the cache was made from', async () => {
    const edited = copyOfCache(dir, (header) => {
      const entry = header.files.find(([f]) => f === 'server/service.js')!;
      entry[3] += 1;
    });
    const started = await start(dir, edited);
    expect(started.answered).toBe(200);
    expect(started.body).toEqual({ stateMachines: [] });
    expect(started.use).toEqual({ used: modules - 1, refused: 0, fromText: 1 });
  }, 60_000);

  it('does not read a cache made by another node', async () => {
    const other = copyOfCache(dir, (header) => { header.node = 'v0.0.1'; });
    const started = await start(dir, other);
    expect(started.answered).toBe(200);
    expect(started.body).toEqual({ stateMachines: [] });
    expect(started.use).toEqual({ used: 0, refused: 0, fromText: 0 });
  }, 60_000);

  it('is not used with --enable-source-maps, so that node maps stack frames to src/', async () => {
    const started = await start(dir, CACHE, ['--enable-source-maps']);
    expect(started.answered).toBe(200);
    expect(started.body).toEqual({ stateMachines: [] });
    expect(started.use).toEqual({ used: 0, refused: 0, fromText: 0 });
  }, 60_000);

  it('compiles from its text a module whose cache V8 refuses (made with other V8 flags)', async () => {
    const started = await start(dir, CACHE, ['--no-lazy-feedback-allocation']);
    expect(started.answered).toBe(200);
    expect(started.body).toEqual({ stateMachines: [] });
    expect(started.use).toEqual({ used: 0, refused: modules, fromText: 0 });
  }, 60_000);
});
