import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * Every script of bench/ a user runs answers `--help` with the comment at its head (what it
 * measures, its usage line) and exits 0, before it starts any work: `explore-corpus.mjs --help`
 * read `--help` as a path and crashed on stat, `render.mjs --help` drew a machine of NaN states.
 * The scripts run are those no other bench file loads (imports, or names as a quoted file, as
 * explore-corpus.mjs names its worker thread's), and those that run only when they are the script
 * run (the `import.meta.url === pathToFileURL(process.argv[1])` guard).
 *
 * `--help` must not need the compiled library: the scripts are run from a copy of bench/ beside
 * which there is no lib/ (only node_modules), so a script whose imports load lib/ before its first
 * line answers (`verify-corpus.mjs` did, through choice-rules.mjs) fails here even on a checkout
 * that is built.
 */

const BENCH = path.join(__dirname, '..', '..', 'bench');

function entryScripts(): string[] {
  const files = fs.readdirSync(BENCH).filter((f) => f.endsWith('.mjs'));
  const sources = new Map(files.map((f) => [f, fs.readFileSync(path.join(BENCH, f), 'utf8')]));
  const loaded = new Set<string>();
  for (const text of sources.values()) {
    for (const m of text.matchAll(/'(?:\.\/)?([\w-]+\.mjs)'/g)) loaded.add(m[1]);
  }
  return files.filter((f) => !loaded.has(f) || sources.get(f)!.includes('pathToFileURL(process.argv[1]).href'));
}

function header(file: string): string {
  const lines: string[] = [];
  for (const line of fs.readFileSync(path.join(BENCH, file), 'utf8').split('\n')) {
    if (!line.startsWith('//')) break;
    lines.push(line.replace(/^\/\/ ?/, ''));
  }
  return `${lines.join('\n')}\n`;
}

describe('the bench scripts', () => {
  let copy = '';
  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-bench-help-'));
    fs.cpSync(BENCH, path.join(copy, 'bench'), { recursive: true });
    fs.symlinkSync(path.join(BENCH, '..', 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  it('are found: the scripts of the bench tasks are among them, the modules they import are not', () => {
    const scripts = entryScripts();
    expect(scripts).toEqual(expect.arrayContaining(['explore-corpus.mjs', 'run.mjs', 'render.mjs', 'console-live.mjs']));
    expect(scripts).not.toContain('cli-options.mjs');
    expect(scripts).not.toContain('corpus-machines.mjs');
    expect(scripts).not.toContain('explore-worker.mjs');
  });

  it.each(entryScripts())('%s answers --help with the usage at its head and exits 0, with no lib/ built', (file) => {
    expect(fs.existsSync(path.join(copy, 'lib'))).toBe(false);
    const run = spawnSync(process.execPath, [path.join('bench', file), '--help'], {
      cwd: copy, encoding: 'utf8', timeout: 120_000,
    });
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: header(file) });
    expect(run.stdout).toContain(`bench/${file}`);
  });
});
