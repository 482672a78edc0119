// `npx projen bench`: stepwright side by side with the hand-written floor (limit-await) and
// aws-local-stepfunctions on the fixed workloads of ../shared/bench, plus larger variants of the
// short ones (bench/larger-workloads.mjs), and one table from the one run:
//   workload | stepwright ms | floor ms | × floor | aws-local ms | × faster than aws-local
// Each (engine, workload) pair runs in a process of its own, engines alternating within a
// round (A B C A B C), and every output is checked against the workload's expected one, as
// ../shared/bench/bench.mjs does: ratios are taken within the run, so a busy machine moves
// all engines alike. Runs the compiled library (`npx projen compile` first).
//   node bench/run.mjs [--engines aws-local,stepwright,limit-await] [--workloads a,b] [--rounds 1] [--runs 5] [--warmup 1] [--json out.json]
// aws-local-stepfunctions 3.0.0 is installed once into node_modules/.cache/stepwright-bench
// (../shared is read-only); leave it out with --engines stepwright,limit-await.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { LARGER_WORKLOADS, largerWorkload } from './larger-workloads.mjs';
import { answerHelp } from './cli-options.mjs';

answerHelp();

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = path.join(process.env.STEPWRIGHT_SHARED ?? path.join(here, '..', '..', 'shared'), 'bench');
const reference = path.join(here, '..', 'node_modules', '.cache', 'stepwright-bench');
const args = process.argv.slice(2);
const opt = (k, d) => { const i = args.indexOf(`--${k}`); return i >= 0 ? args[i + 1] : d; };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const normalize = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

const BASE = ['seq-pass-1000', 'loop-choice-10k', 'map-10k', 'map-10k-c10', 'parallel-100', 'task-mock-5k', 'retry-wait', 'small-many-seq', 'small-many-c100', 'big-payload'];

async function sharedModule(file) {
  return import(pathToFileURL(path.join(shared, file)).href);
}

/** A workload as the child runs it: the shared one, or a larger variant built on it. */
async function workload(name) {
  const { loadWorkload } = await sharedModule('workloads/workloads.mjs');
  const larger = largerWorkload(name, loadWorkload);
  if (larger === undefined) return { ...loadWorkload(name), floorKey: name.startsWith('small-many') ? 'small-many' : name };
  const base = loadWorkload(larger.base);
  return {
    ...base, ...larger, name,
    expected: larger.expected ?? base.expected,
    inputFor: () => larger.baseInput,
    floorKey: typeof larger.floor === 'string' ? larger.floor : undefined,
  };
}

async function engine(name, wl) {
  if (name === 'stepwright') return (await import('./adapter.mjs')).default();
  if (name === 'aws-local') return (await import('./aws-local-adapter.mjs')).default();
  if (name === 'limit-await') {
    if (typeof wl.floor === 'function') {
      let handler;
      return {
        name,
        async prepare(_definition, opts) { handler = opts.taskHandler; },
        async run(input) { return { status: 'SUCCEEDED', output: await wl.floor(input, handler) }; },
      };
    }
    return (await sharedModule('adapters/limit.mjs')).default('await');
  }
  throw new Error(`bench: unknown engine ${name} (aws-local, stepwright, limit-await)`);
}

// ------------------------------------------------------------------ child: one engine × one workload
async function child(engineName, wlName) {
  const wl = await workload(wlName);
  const nRuns = wl.runs ?? Number(opt('runs', 5));
  const nWarm = wl.warmup ?? Number(opt('warmup', 1));
  const res = { engine: engineName, workload: wlName, status: 'ok', detail: '', timesMs: [], prepMs: null };
  try {
    const adapter = await engine(engineName, wl);
    const t0 = performance.now();
    await adapter.prepare(wl.definition, { taskHandler: wl.newTaskHandler(), fastTime: wl.fastTime ?? true, workload: wl.floorKey });
    res.prepMs = performance.now() - t0;
    for (let r = 0; r < nWarm + nRuns; r++) {
      const n = wl.execsPerRun, c = wl.concurrency;
      const pre = n === 1 ? structuredClone(wl.inputFor(0, r)) : null; // a fresh copy, outside the timing
      const results = new Array(n);
      const t = performance.now();
      if (n === 1) results[0] = await adapter.run(pre);
      else if (c <= 1) for (let i = 0; i < n; i++) results[i] = await adapter.run(wl.inputFor(i, r));
      else {
        for (let i = 0; i < n; i += c) {
          const batch = [];
          for (let j = i; j < Math.min(n, i + c); j++) batch.push(adapter.run(wl.inputFor(j, r)).then((x) => { results[j] = x; }));
          await Promise.all(batch);
        }
      }
      const ms = performance.now() - t;
      if (r >= nWarm) res.timesMs.push(ms);
      for (let i = 0; i < n; i++) {
        const x = results[i];
        if (x?.status !== 'SUCCEEDED') throw new Error(`execution ${i}: ${x?.status} ${x?.error ?? ''}`);
        if (!isDeepStrictEqual(normalize(x.output), normalize(wl.expected(wl.inputFor(i, r), r)))) {
          throw new Error(`execution ${i}: wrong output ${JSON.stringify(x.output).slice(0, 120)}`);
        }
      }
    }
  } catch (e) {
    res.status = 'failed';
    res.detail = String(e.message).split('\n')[0].slice(0, 200);
  }
  process.stdout.write(JSON.stringify(res) + '\n', () => process.exit(0));
}

// ------------------------------------------------------------------ driver
function ensureReference() {
  if (fs.existsSync(path.join(reference, 'node_modules', 'aws-local-stepfunctions', 'package.json'))) return;
  console.error(`bench: installing aws-local-stepfunctions 3.0.0 into ${path.relative(process.cwd(), reference)} (once)`);
  fs.mkdirSync(reference, { recursive: true });
  fs.writeFileSync(path.join(reference, 'package.json'), JSON.stringify({ name: 'stepwright-bench-reference', private: true }));
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', 'aws-local-stepfunctions@3.0.0'], { cwd: reference, stdio: 'inherit' });
  if (npm.status !== 0) {
    console.error('bench: could not install aws-local-stepfunctions; leave it out with --engines stepwright,limit-await');
    process.exit(2);
  }
}

function runPair(engineName, wlName) {
  const passArgs = [];
  for (const k of ['runs', 'warmup']) if (opt(k)) passArgs.push(`--${k}`, opt(k));
  const p = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', engineName, wlName, ...passArgs], {
    encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, STEPWRIGHT_BENCH_REFERENCE: reference },
  });
  const line = (p.stdout || '').trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (line) return JSON.parse(line);
  return { engine: engineName, workload: wlName, status: 'crashed', detail: (p.stderr || '').trim().split('\n').slice(-2).join(' / '), timesMs: [] };
}

async function driver() {
  if (!fs.existsSync(path.join(shared, 'bench.mjs'))) {
    console.error(`bench: ${shared} not found; the workloads live in ../shared/bench beside this checkout`);
    process.exit(2);
  }
  if (!fs.existsSync(path.join(here, '..', 'lib', 'interpreter', 'index.js'))) {
    console.error('bench: lib/ is missing; run `npx projen compile` first');
    process.exit(2);
  }
  const engines = opt('engines', 'aws-local,stepwright,limit-await').split(',');
  const wls = opt('workloads', [...BASE, ...LARGER_WORKLOADS].join(',')).split(',');
  const rounds = Number(opt('rounds', 1));
  if (engines.includes('aws-local')) ensureReference();
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`# node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load average ${load}; ${rounds} round(s) of ${opt('runs', 5)} timed runs (+${opt('warmup', 1)} warm-up) per engine and workload`);
  const times = new Map();
  const failures = [];
  for (let round = 0; round < rounds; round++) {
    for (const w of wls) {
      for (const e of engines) {
        const r = runPair(e, w);
        process.stderr.write(`[round ${round + 1}] ${w} / ${e}: ${r.status} ${r.timesMs.map((x) => x.toFixed(2)).join(' ')} ${r.detail}\n`);
        if (r.status !== 'ok') failures.push(`${w} / ${e}: ${r.status} ${r.detail}`);
        const key = `${w}\u0000${e}`;
        times.set(key, [...(times.get(key) ?? []), ...r.timesMs]);
      }
    }
  }
  const med = (w, e) => { const t = times.get(`${w}\u0000${e}`); return t?.length ? median(t) : undefined; };
  const ms = (v) => (v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));
  const ratio = (a, b) => (a === undefined || b === undefined ? '—' : (a / b).toFixed(1));
  const rows = [['workload', 'stepwright ms', 'floor ms', '× floor', 'aws-local ms', '× faster than aws-local']];
  const out = [];
  for (const w of wls) {
    const sw = med(w, 'stepwright');
    const floor = med(w, 'limit-await');
    const ref = med(w, 'aws-local');
    rows.push([w, ms(sw), ms(floor), ratio(sw, floor), ms(ref), ratio(ref, sw)]);
    out.push({ workload: w, stepwrightMs: sw, floorMs: floor, awsLocalMs: ref });
  }
  rows.splice(1, 0, rows[0].map(() => '---'));
  console.log(rows.map((r) => `| ${r.join(' | ')} |`).join('\n'));
  if (failures.length > 0) console.log(`\nnot measured:\n${failures.map((f) => `- ${f}`).join('\n')}`);
  if (opt('json')) fs.writeFileSync(opt('json'), JSON.stringify({ load, rounds, results: out }, null, 1));
  process.exitCode = failures.length > 0 ? 1 : 0;
}

if (args[0] === '--child') await child(args[1], args[2]);
else await driver();
