// How far `explore` gets with no hand input, on real machines (needs the compiled library:
// `npx projen compile`). By default: the old corpus — the 190 real-world definitions of
// ../shared/validation and the 79 state machines of ../shared/cdk-templates, mostly JSONPath — and
// the modern corpus, JSONata-first machines built with stepwright's builders in a CDK app
// (bench/modern-corpus/, synthesized by bench/modern-corpus.mjs); `--corpus old|modern` keeps one.
// Any other ASL files, templates or folders of them can be given instead and are scored the same way.
//
// For each machine: the share of reachable states, transitions, Choice rules (each branch and the
// Default), catches, retries and callback outcomes that explore's scenarios reach (a goal explore
// proves unreachable leaves the denominator), its time, whether it crashed, and how many goals not
// reached sit behind an ItemReader, whose S3 items explore cannot invent (a user gives them as
// mocks). Prints a table, the slowest machines, what stood in the way of the goals not reached
// (grouped), and writes every figure, unreachable claim and not-reached reason to --json.
//
// With --scaffold <dir>: also writes the jest file and MockConfigFile scaffolded from each report
// into <dir>, runs jest on the files as they are, and type-checks them with skipLibCheck: false
// against the compiled declarations (lib/), as a user's project would.
//
// The mutation score of the written tests (bench/explore-mutants.mjs): up to --mutants faults per
// machine (0: none), the written tests run on each, killed / mutants; beside it, the score tests
// asserting every whole path would reach, for reference.
//
//   node bench/explore-corpus.mjs [paths...] [--corpus all|old|modern] [--budget 30] [--hard-limit 120] [--json out.json]
//                                 [--scaffold <dir>] [--only <text>] [--every <n>]
//                                 [--mutants 12] [--mutation-seconds 10] [--missed missed.json]
//                                 [--extra-inputs 16]
//
// Findings present are counted twice: statically (each Task whose failure no Catch on it or on a
// Parallel or Map around it takes, explore did not prove unreachable; those it did are counted
// apart, and the extra inputs below check the proofs) and by re-running (bench/explore-worker.mjs rerunFindings: each
// such Task made to fail in the scenarios that enter it, present when the execution then fails
// with its error; a Task no scenario enters is tried with --extra-inputs seeded inputs, which are
// also tried on every state explore proved unreachable).
//
// --missed writes every unhandled Task failure explore gave no finding, with explore's own account
// of it (reached or not and why, the Parallels and Maps around it, whether the search was cut).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { answerHelp, commandLine } from './cli-options.mjs';
import { corpusFolders, corpusJobs, modernJobs, shared } from './corpus-machines.mjs';
import { synthModernCorpus } from './modern-corpus.mjs';

answerHelp();

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..');
const require = createRequire(import.meta.url);

// `npx projen bench:explore -- --json out.json` passes the `--` on.
const { argv, flag } = commandLine();
const budget = Number(flag('--budget', '30'));
const hardLimit = Number(flag('--hard-limit', '120'));
const jsonOut = flag('--json', undefined);
const missedOut = flag('--missed', undefined);
const scaffoldDir = flag('--scaffold', undefined);
const only = flag('--only', undefined);
const every = Number(flag('--every', '1'));
const mutants = Number(flag('--mutants', '12'));
const mutationSeconds = Number(flag('--mutation-seconds', '10'));
const extraInputs = Number(flag('--extra-inputs', '16'));
const corpus = flag('--corpus', 'all');
if (!['all', 'old', 'modern'].includes(corpus)) {
  console.error(`explore-corpus: --corpus is all, old or modern, got '${corpus}'`);
  process.exit(2);
}
/** The old corpus's folders that are not there, as the summary names them. */
const oldMissing = [];
const oldInputs = argv.length > 0 ? argv : corpus === 'modern' ? [] : [corpusFolders.realworld, corpusFolders.cdkTemplates].filter((f) => {
  // The old corpus lives in ../shared, which a clone may not have: it is then left out, said so here and in the summary.
  if (fs.existsSync(f)) return true;
  // Named as the user gave it, never as a path of this machine.
  const named = process.env.STEPWRIGHT_SHARED !== undefined ? 'the folder STEPWRIGHT_SHARED names' : '../shared';
  oldMissing.push(fs.existsSync(shared) ? `${named}/${path.relative(shared, f).split(path.sep).join('/')}` : named);
  console.error(`explore-corpus: ${f} is not there; the old corpus is left out`);
  return false;
});
/** What the summary says of the old corpus's folders that were not found, or ''. */
const notMeasured = oldMissing.length > 0 ? `not measured: ${[...new Set(oldMissing)].join(' and ')} not found` : '';

if (!fs.existsSync(path.join(repo, 'lib', 'testing', 'index.js'))) {
  console.error('explore-corpus: lib/ is missing; run `npx projen compile` first');
  process.exit(2);
}

// ------------------------------------------------------------------ the machines
let jobs = corpusJobs(oldInputs);
let modernDir;
if (argv.length === 0 && corpus !== 'old') {
  // With --scaffold the templates go beside the written tests, which load them; else to a folder removed at the end.
  modernDir = scaffoldDir ? path.resolve(scaffoldDir, 'modern-corpus') : fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-modern-corpus-'));
  jobs = [...jobs, ...modernJobs(synthModernCorpus(modernDir))];
}
if (only) jobs = jobs.filter((j) => j.id.includes(only));
if (every > 1) jobs = jobs.filter((_, i) => i % every === 0);
if (scaffoldDir) fs.mkdirSync(scaffoldDir, { recursive: true });

// ------------------------------------------------------------------ exploring, one machine at a time
let worker;
function newWorker() {
  worker = new Worker(path.join(here, 'explore-worker.mjs'), { workerData: { repo } });
  worker.unref();
}

function explore(job) {
  if (job.extractError) return Promise.resolve({ id: job.id, phase: 'extract', error: { name: 'TemplateError', message: job.extractError } });
  if (!worker) newWorker();
  return new Promise((resolve) => {
    const w = worker;
    // Only this job's listeners come off: the Worker's own (it counts 'message' listeners) stay.
    const off = () => {
      clearTimeout(timer);
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      off();
      w.terminate();
      worker = undefined;
      resolve({ id: job.id, phase: 'explore', timedOut: true, ms: hardLimit * 1000, error: { name: 'HardLimit', message: `still running after ${hardLimit} s` } });
    }, hardLimit * 1000);
    const onMessage = (result) => {
      off();
      resolve(result);
    };
    const onError = (e) => {
      off();
      worker = undefined;
      resolve({ id: job.id, phase: 'explore', error: { name: e?.name ?? 'WorkerError', message: String(e?.message ?? e) } });
    };
    const onExit = (code) => {
      off();
      worker = undefined;
      resolve({ id: job.id, phase: 'explore', error: { name: 'WorkerExit', message: `the worker exited with code ${code}` } });
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    w.postMessage({ ...job, budget, mutants, mutationSeconds, extraInputs, scaffoldDir: scaffoldDir && path.resolve(scaffoldDir) });
  });
}

// What was measured, so a figure can be told from another: the commit (and whether the tree
// differs from it), the date, the machine and how busy it was.
const git = (...args) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' }).stdout?.trim() ?? '';
const measured = {
  date: new Date().toISOString().slice(0, 10),
  commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
  dirty: git('status', '--porcelain', '--untracked-files=no', '--', 'src') !== '',
  node: process.version,
  cpus: os.cpus().length,
  loadAverage: os.loadavg()[0],
};
console.log(`measured ${measured.date} at ${measured.commit}${measured.dirty ? ' (src/ differs from the commit)' : ''}, node ${measured.node}, `
  + `${measured.cpus} CPUs, load average ${measured.loadAverage.toFixed(1)} at the start; budget ${budget} s per machine`);

const results = [];
const started = performance.now();
for (const [i, job] of jobs.entries()) {
  const r = await explore(job);
  results.push({ ...r, kind: job.kind });
  const tag = r.error ? `${r.error.name}` : `${(r.ms / 1000).toFixed(2)} s`;
  process.stderr.write(`[${i + 1}/${jobs.length}] ${job.id}: ${tag}\n`);
}
if (worker) await worker.terminate();

// ------------------------------------------------------------------ the figures
const CATEGORIES = ['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'];
const LABEL = { states: 'states', transitions: 'transitions', choiceRules: 'Choice rules', catches: 'catches', retries: 'retries', callbacks: 'callback outcomes' };
const ITEM = { states: 'state', transitions: 'transition', choiceRules: 'rule', catches: 'catch', retries: 'retry', callbacks: 'callback' };
const explored = results.filter((r) => !r.error);
const pct = (a, b) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);
const median = (xs) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A time in ms as people read it: `3.2 ms`, `2.75 s`. */
const duration = (ms) => (ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`);

/** A goal behind a Map whose ItemReader reads S3 objects: reached only once the user gives the items. */
const NEEDS_ITEMS = /reads its items with an ItemReader \([^)]*\): explore cannot invent/;

function totals(rows) {
  const t = {};
  for (const c of CATEGORIES) {
    let reached = 0; let total = 0; let unreachable = 0; let notReached = 0; let needsItems = 0;
    for (const r of rows) {
      reached += r.categories[c].reached;
      total += r.categories[c].total;
      unreachable += r.categories[c].unreachable.length;
      notReached += r.categories[c].notReached.length;
      needsItems += r.categories[c].notReached.filter((n) => NEEDS_ITEMS.test(n.reason)).length;
    }
    t[c] = { reached, total, unreachable, reachable: total - unreachable, notReached, needsItems };
  }
  return t;
}

/** A reason with its names, paths and numbers blanked, so alike reasons group together. */
const reasonKind = (reason) => reason
  .replace(/^no scenario reached '[^']*': /, '')
  .replace(/'[^']*'/g, "'…'")
  .replace(/\$[\w.[\]'"*@?()=<>!&|-]*/g, '$…')
  .replace(/\b\d+(\.\d+)?\b/g, 'N')
  .replace(/[A-Z][\w ]*#(\d+|default)/g, 'X#N')
  .slice(0, 110);

function printTable(title, rows) {
  const t = totals(rows);
  const times = rows.map((r) => r.ms);
  console.log(`\n${title}: ${rows.length} machines explored`);
  console.log('| goal | reached / reachable | share | proved unreachable | not reached | of which behind an ItemReader |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const c of CATEGORIES) {
    console.log(`| ${LABEL[c]} | ${t[c].reached} / ${t[c].reachable} | ${pct(t[c].reached, t[c].reachable)} | ${t[c].unreachable} | ${t[c].notReached} | ${t[c].needsItems} |`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const p90 = sorted.length ? sorted[Math.floor(0.9 * (sorted.length - 1))] : 0;
  console.log(`time per machine: median ${duration(median(times))}, 90th percentile ${duration(p90)}, max ${duration(Math.max(0, ...times))}`);
  const scored = rows.filter((r) => r.mutation && !r.mutation.error);
  if (scored.length > 0) {
    const sum = (f) => scored.reduce((a, r) => a + f(r.mutation), 0);
    const kinds = new Map();
    for (const r of scored) {
      for (const [k, v] of Object.entries(r.mutation.byKind)) {
        const e = kinds.get(k) ?? { mutants: 0, killed: 0 };
        e.mutants += v.mutants;
        e.killed += v.killed;
        kinds.set(k, e);
      }
    }
    const tests = sum((m) => m.tests);
    console.log(`scenarios ${rows.reduce((a, r) => a + r.scenarios, 0)} (${rows.reduce((a, r) => a + (r.duplicates ?? 0), 0)} with the same input and answers as another), `
      + `written tests ${tests} (${(tests / scored.length).toFixed(1)} per machine)`);
    console.log(`mutation score of the written tests: ${sum((m) => m.killed)} of ${sum((m) => m.mutants)} mutants killed (${pct(sum((m) => m.killed), sum((m) => m.mutants))}) `
      + `in ${scored.length} machines; tests asserting every whole path: ${pct(sum((m) => m.wholePathKilled), sum((m) => m.wholePathMutants))}; `
      + `${sum((m) => m.invalid)} mutants refused on load, ${scored.filter((r) => r.mutation.cut).length} machines cut by --mutation-seconds`);
    console.log(`  by kind: ${[...kinds].sort().map(([k, v]) => `${k} ${v.killed}/${v.mutants}`).join(', ')}`);
  }
  return t;
}

const summary = {};
summary.all = printTable('All', explored);
summary.old = printTable('old corpus (realworld + cdk-templates)', explored.filter((r) => r.kind !== 'modern'));
summary.realworld = printTable('validation/realworld (ASL)', explored.filter((r) => r.kind === 'asl'));
summary.cdkTemplates = printTable('cdk-templates', explored.filter((r) => r.kind === 'template'));
summary.modern = printTable('modern corpus (JSONata, builders)', explored.filter((r) => r.kind === 'modern'));
/** The checks of one corpus: complete searches, the reasons checked mechanically, the findings. */
function checksOf(label, rows) {
  const out = {};
  const full = rows.filter((r) => CATEGORIES.every((c) => r.categories[c].reached + r.categories[c].unreachable.length === r.categories[c].total)).length;
  console.log(`\n${label}: machines with every goal reached or proved unreachable: ${full} of ${rows.length}`);
  {
    // A search is incomplete when something cut it short (stoppedBy), or when it left a goal it did not prove unreachable.
    const incomplete = rows.filter((r) => !r.search.complete);
    const cut = incomplete.filter((r) => r.search.stoppedBy !== undefined);
    console.log(`searches complete: ${rows.length - incomplete.length}; incomplete: ${incomplete.length} (cut short: ${cut.length}${cut.length ? ` by ${[...new Set(cut.map((r) => r.search.stoppedBy))].join(', ')}` : ''}; goals left without a proof: ${incomplete.length - cut.length})`);
  }

  // Reasons checked mechanically (issue 46 §2): a search that says complete leaves no goal unproved; a
  // reason is never empty of what it claims ("the values it needs () are already there"); a reason
  // that knows nothing says "unknown"; below 100% a reason says what to give (--input, --mocks, --type).
  {
    const checks = { completeWithGoalsLeft: [], emptyValues: [], saysNothing: [], noAdvice: [] };
    for (const r of rows) {
      const left = CATEGORIES.flatMap((c) => r.categories[c].notReached.map((n) => ({ goal: n[ITEM[c]], reason: n.reason })));
      if (r.search.complete && left.length > 0) checks.completeWithGoalsLeft.push(`${r.id}: ${left.length} goals not reached`);
      for (const n of left) {
        const where = `${r.id}: ${n.goal}: ${n.reason.slice(0, 160)}`;
        if (/\(\s*\) are already there|needs \(\s*\)/.test(n.reason)) checks.emptyValues.push(where);
        if (/^(no scenario reached '[^']*'|explore found no way to it)$/.test(n.reason)) checks.saysNothing.push(where);
        if (!/--input|--mocks|--type|give |unknown|budget|maxScenarios|ItemReader|DISTRIBUTED/.test(n.reason)) checks.noAdvice.push(where);
      }
    }
    out.reasonChecks = checks;
    console.log(`reason checks: complete with a goal not reached ${checks.completeWithGoalsLeft.length}; "values (…) already there" with none named ${checks.emptyValues.length}; `
      + `reason that says nothing (not even "unknown") ${checks.saysNothing.length}; reason with no advice (--input, --mocks, --type) nor "unknown" ${checks.noAdvice.length}`);
    for (const m of [...checks.completeWithGoalsLeft, ...checks.emptyValues, ...checks.saysNothing].slice(0, 10)) console.log(`  ${m}`);
    for (const m of checks.noAdvice.slice(0, 10)) console.log(`  no advice: ${m}`);
  }

  // Findings found / present: each Task whose failure nothing catches should have its unhandled-error finding, when a run
  // can enter it: a Task explore proved unreachable cannot fail a run (the re-run below tries extra inputs on it too).
  {
    let present = 0; let found = 0; let provedUnreachable = 0; const missed = [];
    for (const r of rows) {
      const flagged = new Set(r.findings.filter((f) => f.kind === 'unhandled-error').map((f) => f.state));
      const unreachable = new Set(r.categories.states.unreachable.map((n) => n.state));
      for (const t of r.unhandledTasks ?? []) {
        if (unreachable.has(t) && !flagged.has(t)) { provedUnreachable++; continue; }
        present++;
        if (flagged.has(t)) found++;
        else missed.push(`${r.id}: ${t}`);
      }
    }
    const kinds = {};
    for (const r of rows) for (const f of r.findings) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
    // Present by re-running: each of those Tasks failed in a run that enters it (a scenario's, or an extra input's).
    const rerun = { present: 0, found: 0, handled: [], notReached: [], reachedByExtra: [], proofsBroken: [], errors: [], falseFindings: [] };
    for (const r of rows) {
      if (r.rerun === undefined) continue;
      if (r.rerun.error) {
        rerun.errors.push(`${r.id}: ${r.rerun.error}`);
        continue;
      }
      const flagged = new Set(r.findings.filter((f) => f.kind === 'unhandled-error').map((f) => f.state));
      rerun.present += r.rerun.present.length;
      rerun.found += r.rerun.present.filter((t) => flagged.has(t)).length;
      rerun.handled.push(...r.rerun.handled.map((t) => `${r.id}: ${t}${flagged.has(t) ? ' (explore reports it)' : ''}`));
      rerun.falseFindings.push(...r.rerun.handled.filter((t) => flagged.has(t)).map((t) => `${r.id}: ${t}`));
      rerun.notReached.push(...r.rerun.notReached.map((t) => `${r.id}: ${t}`));
      rerun.reachedByExtra.push(...r.rerun.reachedByExtra.map((x) => `${r.id}: ${x.state} with input ${JSON.stringify(x.input).slice(0, 120)}`));
      rerun.proofsBroken.push(...r.rerun.proofsBroken.map((x) => `${r.id}: ${x.state} with input ${JSON.stringify(x.input).slice(0, 120)}`));
    }
    out.findings = { unhandledFound: found, unhandledPresent: present, unhandledProvedUnreachable: provedUnreachable, rerunFound: rerun.found, rerunPresent: rerun.present, rerun, byKind: kinds };
    console.log(`\nunhandled Task failures found / present in Tasks not proved unreachable: ${found} / ${present} (${pct(found, present)}); in Tasks proved unreachable: ${provedUnreachable}; findings by kind: ${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
    console.log(`re-run (each such Task failing in a run that enters it, explore's claims aside): found / present ${rerun.found} / ${rerun.present} (${pct(rerun.found, rerun.present)}); `
      + `entered but the failure does not end the run: ${rerun.handled.length} (of which explore reports ${rerun.falseFindings.length}); not reached by any scenario: ${rerun.notReached.length + rerun.reachedByExtra.length} `
      + `(reached by ${extraInputs} seeded extra inputs: ${rerun.reachedByExtra.length}); states proved unreachable that an extra input enters: ${rerun.proofsBroken.length}; re-run errors: ${rerun.errors.length}`);
    for (const m of [...rerun.reachedByExtra, ...rerun.proofsBroken].slice(0, 10)) console.log(`  entered by an extra input: ${m}`);
    for (const m of rerun.handled.slice(0, 10)) console.log(`  entered, failure does not end the run: ${m}`);
    for (const m of rerun.notReached.slice(0, 20)) console.log(`  not reached by any scenario: ${m}`);
    for (const m of rerun.errors.slice(0, 5)) console.log(`  re-run error: ${m}`);
    for (const m of missed.slice(0, 10)) console.log(`  not found: ${m}`);
    const accounts = rows.flatMap((r) => (r.missed ?? []).map((a) => ({ machine: r.id, ...a })));
    const byCause = new Map();
    for (const a of accounts) {
      const cause = `${a.reached}${a.stoppedBy ? `, search cut by ${a.stoppedBy}` : ''}${a.around.length ? ` inside ${a.around.join(' < ')}` : ''}`;
      byCause.set(cause, (byCause.get(cause) ?? 0) + 1);
    }
    for (const [cause, n] of [...byCause].sort((a, b) => b[1] - a[1])) console.log(`  ${n}: ${cause}`);
    if (missedOut) {
      missedAccounts.push(...accounts);
    }
  }
  return out;
}

const missedAccounts = [];
for (const [key, label, rows] of [['old', 'old corpus', explored.filter((r) => r.kind !== 'modern')], ['modern', 'modern corpus', explored.filter((r) => r.kind === 'modern')]]) {
  if (rows.length > 0) summary[`${key}Checks`] = checksOf(label, rows);
}
if (missedOut) {
  fs.writeFileSync(missedOut, `${JSON.stringify(missedAccounts, null, 1)}\n`);
  console.log(`wrote the ${missedAccounts.length} not found, with explore's account, to ${missedOut}`);
}

const failed = results.filter((r) => r.error);
console.log(`\nerrors: ${failed.length} (load or extract: ${failed.filter((r) => r.phase !== 'explore').length}, explore crashed: ${failed.filter((r) => r.phase === 'explore' && !r.timedOut).length}, past the hard limit: ${failed.filter((r) => r.timedOut).length})`);
for (const r of failed) console.log(`  ${r.id} [${r.phase}] ${r.error.name}: ${r.error.message.split('\n')[0].slice(0, 200)}`);

console.log('\nslowest:');
for (const r of [...explored].sort((a, b) => b.ms - a.ms).slice(0, 8)) console.log(`  ${(r.ms / 1000).toFixed(2)} s  ${r.id}${r.search.complete ? '' : r.search.stoppedBy ? ` (stopped by ${r.search.stoppedBy})` : ' (incomplete: goals left not reached)'}`);

for (const c of ['states', 'transitions', 'choiceRules', 'catches']) {
  const groups = new Map();
  for (const r of explored) {
    for (const n of r.categories[c].notReached) {
      const k = reasonKind(n.reason);
      const g = groups.get(k) ?? { count: 0, machines: new Set() };
      g.count++;
      g.machines.add(r.id);
      groups.set(k, g);
    }
  }
  if (groups.size === 0) continue;
  console.log(`\n${LABEL[c]} not reached, by reason (count, machines):`);
  for (const [k, g] of [...groups].sort((a, b) => b[1].count - a[1].count).slice(0, 10)) console.log(`  ${g.count} in ${g.machines.size}: ${k}`);
}

const claims = explored.flatMap((r) => CATEGORIES.flatMap((c) => r.categories[c].unreachable.map((n) => ({ machine: r.id, category: c, goal: n[ITEM[c]], reason: n.reason }))));
console.log(`\nunreachable claims: ${claims.length} in ${new Set(claims.map((x) => x.machine)).size} machines (all listed in --json)`);

// ------------------------------------------------------------------ the scaffolded files
let scaffold;
if (scaffoldDir) {
  const dir = path.resolve(scaffoldDir);
  const config = {
    rootDir: dir,
    testMatch: ['<rootDir>/*.explore.test.ts'],
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': [require.resolve('@swc/jest'), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
    // What package.json exports, as a user's project loads it.
    moduleNameMapper: { '^stepwright/testing$': path.join(repo, 'lib', 'entry', 'testing.js') },
    setupFilesAfterEnv: [path.join(repo, 'lib', 'entry', 'testing-setup.js')],
    modulePaths: [path.join(repo, 'node_modules')],
    testTimeout: 60_000,
  };
  fs.writeFileSync(path.join(dir, 'jest.config.json'), JSON.stringify(config, null, 2));
  const out = path.join(dir, 'jest-results.json');
  // jest's own report is long; the figures and failures are read from its JSON.
  spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', '--config', path.join(dir, 'jest.config.json'), '--json', '--outputFile', out, '--silent'],
    { cwd: dir, stdio: 'ignore' });
  const jr = JSON.parse(fs.readFileSync(out, 'utf8'));
  const failedFiles = jr.testResults.filter((t) => t.status !== 'passed');
  const tsconfig = {
    compilerOptions: {
      strict: true, noEmit: true, skipLibCheck: false, noUnusedLocals: true, module: 'commonjs', moduleResolution: 'node', target: 'es2022', lib: ['es2022'],
      types: ['jest', 'node'], typeRoots: [path.join(repo, 'node_modules', '@types')], esModuleInterop: true,
      baseUrl: dir, paths: { 'stepwright/testing': [path.join(repo, 'lib', 'testing', 'index.d.ts')], '*': [path.join(repo, 'node_modules', '*')] },
    },
    include: ['*.explore.test.ts'],
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const typeErrors = (tsc.stdout ?? '').split('\n').filter((l) => /error TS\d+/.test(l));
  scaffold = {
    files: jr.numTotalTestSuites, filesFailed: failedFiles.length,
    tests: jr.numTotalTests, testsPassed: jr.numPassedTests, testsFailed: jr.numFailedTests, pendingOrTodo: jr.numPendingTests + jr.numTodoTests,
    failures: failedFiles.map((t) => ({ file: path.basename(t.name), message: (t.message ?? '').split('\n').slice(0, 12).join('\n') })),
    typeErrors,
  };
  console.log(`\nscaffolded files: ${scaffold.files} run, ${scaffold.filesFailed} failed; tests ${scaffold.testsPassed} passed, ${scaffold.testsFailed} failed, ${scaffold.pendingOrTodo} skipped`);
  for (const [label, modern] of [['old corpus', false], ['modern corpus', true]]) {
    const files = jr.testResults.filter((t) => path.basename(t.name).startsWith('modern-') === modern);
    if (files.length === 0) continue;
    const tests = files.flatMap((t) => t.assertionResults);
    scaffold[modern ? 'modern' : 'old'] = { files: files.length, filesFailed: files.filter((t) => t.status !== 'passed').length, tests: tests.length, testsPassed: tests.filter((a) => a.status === 'passed').length };
    console.log(`  ${label}: ${files.length} files, ${files.filter((t) => t.status !== 'passed').length} failed; tests ${tests.filter((a) => a.status === 'passed').length} of ${tests.length} passed`);
  }
  for (const f of scaffold.failures.slice(0, 10)) console.log(`  FAILED ${f.file}\n${f.message.replace(/^/gm, '    ')}`);
  console.log(`type-check (skipLibCheck: false, against lib/*.d.ts): ${typeErrors.length} errors`);
  for (const e of typeErrors.slice(0, 10)) console.log(`  ${e}`);
}

// The two corpora side by side, as the figures to keep are quoted.
console.log('\nper corpus:');
for (const [label, key] of [['old corpus', 'old'], ['modern corpus', 'modern']]) {
  const t = summary[key];
  const rows = explored.filter((r) => (key === 'modern') === (r.kind === 'modern'));
  if (rows.length === 0) {
    console.log(`  ${label}: ${key === 'old' && notMeasured ? notMeasured : 'not run'}`);
    continue;
  }
  const complete = rows.filter((r) => CATEGORIES.every((c) => r.categories[c].reached + r.categories[c].unreachable.length === r.categories[c].total)).length;
  const checks = summary[`${key}Checks`]?.findings;
  console.log(`  ${label}: ${rows.length} machines, states ${t.states.reached} / ${t.states.reachable} (${pct(t.states.reached, t.states.reachable)}), `
    + `transitions ${pct(t.transitions.reached, t.transitions.reachable)}, Choice rules ${pct(t.choiceRules.reached, t.choiceRules.reachable)}, `
    + `${t.states.unreachable} states proved unreachable, ${complete} machines complete`
    + `${checks ? `, unhandled errors found ${checks.unhandledFound} / ${checks.unhandledPresent} (in Tasks not proved unreachable; ${checks.unhandledProvedUnreachable} more are)` : ''}`
    + `${key === 'old' && notMeasured ? `; ${notMeasured}` : ''}`);
}

if (modernDir && !scaffoldDir) fs.rmSync(modernDir, { recursive: true, force: true });
console.log(`\ntotal wall time ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${os.loadavg()[0].toFixed(1)} at the end; `
  + `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (explore runs in a worker thread of this process)`);
if (jsonOut) {
  fs.writeFileSync(jsonOut, `${JSON.stringify({ measured, budget, hardLimit, summary, machines: results, claims, scaffold }, null, 1)}\n`);
  console.log(`wrote ${jsonOut}`);
}
