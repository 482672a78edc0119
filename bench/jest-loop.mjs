// The loop a user waits on: how long `jest` takes over scaffolded test files, from its start to
// the first file's result and to the end, and the CPU time it spends (the steadier figure on a
// shared machine). Needs the compiled library (`npx projen compile`).
//
//   node bench/jest-loop.mjs suite <dir> [--machines 50] [--lib <dir>]
//       writes one file per state machine of the first <n> of ../shared/cdk-templates, each by
//       `stepwright explore <template> --state-machine <id> --write-tests` (of lib/, or of the
//       compiled library in --lib <dir>: an older build writes the suite its users had), and the
//       jest config
//   node bench/jest-loop.mjs time <dir> [--runs 3]
//       runs jest in band on the *.explore.test.ts files of <dir> (a folder written by `suite`
//       or by `bench/explore-corpus.mjs --scaffold <dir>`) against lib/ (or the compiled library
//       in --lib <dir>, to time two builds side by side), and prints the medians
//   node bench/jest-loop.mjs overhead [--files 50] [--runs 3] [--lib <dir>]
//       what stepwright adds per test file beyond jest's own floor: jest in band over --files empty
//       test files, and over as many that import stepwright/testing (with its setup file) and run
//       a two-state machine, alternating; prints each suite's median CPU time and per-file time
//   node bench/jest-loop.mjs modules [--lib <dir>]
//       the modules a test file loads when it imports stepwright/testing and runs a machine
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { answerHelp, commandLine } from './cli-options.mjs';
import { corpusFolders, corpusJobs } from './corpus-machines.mjs';

answerHelp();

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..');
const require = createRequire(import.meta.url);

const { argv, flag } = commandLine();
const [command, dirArg] = argv;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!fs.existsSync(path.join(repo, 'lib', 'testing', 'index.js'))) {
  console.error('jest-loop: lib/ is missing; run `npx projen compile` first');
  process.exit(2);
}

const entryOf = (lib, bundled, plain) => (fs.existsSync(path.join(lib, 'entry', bundled)) ? path.join(lib, 'entry', bundled) : path.join(lib, plain));

/** The config bench/explore-corpus.mjs writes: the user's TypeScript through @swc/jest, stepwright from lib/ (and its setup file unless `setup` is false). */
function writeConfig(dir, lib = path.join(repo, 'lib'), setup = true) {
  const config = {
    rootDir: dir,
    testMatch: ['<rootDir>/*.explore.test.ts'],
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': [require.resolve('@swc/jest'), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
    // What package.json exports (a build before lib/entry had the modules of lib/testing).
    moduleNameMapper: { '^stepwright/testing$': entryOf(lib, 'testing.js', 'testing/index.js') },
    setupFilesAfterEnv: setup ? [entryOf(lib, 'testing-setup.js', 'testing/setup.js')] : [],
    modulePaths: [path.join(repo, 'node_modules')],
    testTimeout: 60_000,
  };
  fs.writeFileSync(path.join(dir, 'jest.config.json'), JSON.stringify(config, null, 2));
}

/**
 * One jest run in band over `dir`: its CPU time (the process tree's), wall time, each file's
 * median time and the totals line; with `first`, when the first file's result came and its time.
 */
function jestOnce(dir, first = false) {
  const each = path.join(dir, '.each');
  const firstFile = path.join(dir, '.first-result');
  fs.rmSync(each, { force: true });
  fs.rmSync(firstFile, { force: true });
  const t0 = Date.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, require.resolve('jest/bin/jest'), '--ci', '--runInBand',
    '--config', path.join(dir, 'jest.config.json'), '--reporters', path.join(here, 'jest-loop-reporter.cjs')],
  { cwd: dir, encoding: 'utf8', env: { ...process.env, JEST_LOOP_EACH: each, ...(first ? { JEST_LOOP_FIRST: firstFile } : {}) }, maxBuffer: 64 * 1024 * 1024 });
  const totalMs = Date.now() - t0;
  const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  const summary = /RESULT (.*)/.exec(r.stdout)?.[1] ?? `(no result: exit ${r.status}) ${r.stderr.slice(-500)}`;
  const fileTimes = fs.existsSync(each) ? fs.readFileSync(each, 'utf8').trim().split('\n').map(Number) : [NaN];
  const result = { t0, cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN, totalMs, fileMs: median(fileTimes), summary };
  return first ? { ...result, first: JSON.parse(fs.readFileSync(firstFile, 'utf8')) } : result;
}

if (command === 'suite') {
  const dir = path.resolve(dirArg);
  const count = Number(flag('--machines', '50'));
  const cli = path.join(path.resolve(flag('--lib', path.join(repo, 'lib'))), 'cli', 'main.js');
  fs.mkdirSync(dir, { recursive: true });
  const machines = corpusJobs([corpusFolders.cdkTemplates]).filter((j) => j.logicalId !== undefined).map((j) => ({ file: j.file, id: j.logicalId }));
  for (const [i, m] of machines.slice(0, count).entries()) {
    const out = path.join(dir, `m${String(i).padStart(3, '0')}.explore.test.ts`);
    const r = spawnSync(process.execPath, [cli, 'explore', m.file, '--state-machine', m.id,
      '--budget-seconds', '10', '--write-tests', out, '--force'], { encoding: 'utf8' });
    console.log(`[${i + 1}/${count}] ${path.basename(m.file)}#${m.id}: exit ${r.status}`);
  }
  writeConfig(dir);
} else if (command === 'time') {
  const dir = path.resolve(dirArg);
  const runs = Number(flag('--runs', '3'));
  writeConfig(dir, path.resolve(flag('--lib', path.join(repo, 'lib'))));
  const rows = [];
  for (let i = 0; i < runs; i++) {
    const r = jestOnce(dir, true);
    const row = { firstMs: r.first.at - r.t0, firstFileMs: r.first.fileMs, totalMs: r.totalMs, cpuS: r.cpuS, summary: r.summary };
    rows.push(row);
    console.log(`run ${i + 1}: first result ${(row.firstMs / 1000).toFixed(1)} s (the file itself ${(row.firstFileMs / 1000).toFixed(2)} s), `
      + `total ${(row.totalMs / 1000).toFixed(1)} s, CPU ${row.cpuS.toFixed(1)} s; ${row.summary}`);
  }
  console.log(`median: first result ${(median(rows.map((r) => r.firstMs)) / 1000).toFixed(1)} s (the file itself ${(median(rows.map((r) => r.firstFileMs)) / 1000).toFixed(2)} s), `
    + `total ${(median(rows.map((r) => r.totalMs)) / 1000).toFixed(1)} s, CPU ${median(rows.map((r) => r.cpuS)).toFixed(1)} s`);
} else if (command === 'overhead') {
  const files = Number(flag('--files', '50'));
  const runs = Number(flag('--runs', '3'));
  const lib = path.resolve(flag('--lib', path.join(repo, 'lib')));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-jest-loop-'));
  const floorText = "test('nothing', () => { expect(1).toBe(1); });\n";
  const machineText = "import { Workflow } from 'stepwright/testing';\n\n"
    + "test('runs a machine', async () => {\n"
    + "  const run = await Workflow.fromDefinition({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } }).run({});\n"
    + "  expect(run.status).toBe('SUCCEEDED');\n});\n";
  const suites = [['jest alone (empty files)', 'floor', floorText, false], ['stepwright/testing, one machine run', 'stepwright', machineText, true]];
  try {
    for (const [, name, text, setup] of suites) {
      const dir = path.join(root, name);
      fs.mkdirSync(dir);
      for (let i = 0; i < files; i++) fs.writeFileSync(path.join(dir, `f${String(i).padStart(3, '0')}.explore.test.ts`), text);
      writeConfig(dir, lib, setup);
    }
    const results = new Map(suites.map(([, name]) => [name, []]));
    for (let i = 0; i < runs + 1; i++) {
      for (const [, name] of suites) {
        const r = jestOnce(path.join(root, name));
        // The first round brings the files into the page cache and jest's transform cache: not counted.
        if (i > 0) results.get(name).push(r);
        if (i > 0) console.log(`run ${i} ${name}: CPU ${r.cpuS.toFixed(1)} s, total ${(r.totalMs / 1000).toFixed(1)} s, median file ${r.fileMs.toFixed(0)} ms; ${r.summary}`);
      }
    }
    const cpu = (name) => median(results.get(name).map((r) => r.cpuS));
    const file = (name) => median(results.get(name).map((r) => r.fileMs));
    console.log(`\nThe jest loop (${files} files a suite, jest --runInBand, medians of ${runs}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    console.log('| suite | CPU time | CPU per file | median file (jest\'s own timing) |');
    console.log('|---|---:|---:|---:|');
    for (const [label, name] of suites) console.log(`| ${label} | ${cpu(name).toFixed(1)} s | ${(cpu(name) * 1000 / files).toFixed(0)} ms | ${file(name).toFixed(0)} ms |`);
    const added = (cpu('stepwright') - cpu('floor')) * 1000 / files;
    console.log(`stepwright adds ${added.toFixed(0)} ms of CPU per file beyond jest's floor (issue 65's target: under 20 ms): ${added < 20 ? 'met' : 'NOT met'}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
} else if (command === 'modules') {
  const before = new Set(Object.keys(require.cache));
  const t0 = process.hrtime.bigint();
  const { Workflow } = require(entryOf(path.resolve(flag('--lib', path.join(repo, 'lib'))), 'testing.js', 'testing/index.js'));
  const importMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const run = await Workflow.fromDefinition({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }).run({});
  const loaded = Object.keys(require.cache).filter((f) => !before.has(f));
  const ours = loaded.filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`));
  console.log(`import: ${importMs.toFixed(0)} ms; after a run (${run.status}): ${loaded.length} modules, ${ours.length} of them stepwright's`);
  for (const f of loaded.filter((x) => !ours.includes(x))) console.log(`  ${f.slice(f.lastIndexOf('node_modules'))}`);
} else {
  console.error('usage: node bench/jest-loop.mjs suite <dir> [--machines 50] | time <dir> [--runs 3] | overhead [--files 50] | modules');
  process.exit(2);
}
