// What the first executions of a fresh process cost, and how much of it is V8's rather than the
// engine's. bench/run.mjs times runs 2–6 of a process (one warm-up), as ../shared/bench does; for
// a workload of one short execution (retry-wait: 3 Task attempts, 2 retries, a Wait) those runs
// happen while V8 is still tiering the code up, and the hand-written floor is one small function.
// Beside the floor and stepwright this times a deliberately minimal interpreter of the same
// definition (TOY below: Pass, Task with Retry, Wait and Succeed, no validation, no history, no
// Context Object), so the table separates the cost of interpreting at all from stepwright's own.
//   node bench/cold-runs.mjs [--workload retry-wait] [--processes 9] [--v8 --no-lazy-feedback-allocation]
// Needs lib/ (`npx projen compile`) and ../shared/bench. Prints, per engine, the median over the
// processes of each run's time in µs, and of the median of runs 2–6 (what bench/run.mjs reports).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { answerHelp } from './cli-options.mjs';

answerHelp();

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = path.join(process.env.STEPWRIGHT_SHARED ?? path.join(here, '..', '..', 'shared'), 'bench');
const args = process.argv.slice(2);
const opt = (k, d) => { const i = args.indexOf(`--${k}`); return i >= 0 ? args[i + 1] : d; };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const RUNS = 8;

/**
 * The least an interpreter of these states does: look the state up by name, run it, move on.
 * Time is virtual, and moves after a turn of the event loop once the execution sleeps, as
 * stepwright's VirtualClock does (so a test's own code acts before time jumps).
 */
function toy() {
  let def, handler;
  class Clock {
    constructor() { this.now = 0; this.timers = []; this.scheduled = false; }
    sleep(ms) {
      return new Promise((resolve) => {
        this.timers.push({ at: this.now + ms, resolve });
        if (this.scheduled) return;
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.timers.sort((a, b) => a.at - b.at);
          const next = this.timers.shift();
          this.now = next.at;
          next.resolve();
        });
      });
    }
  }
  const isJson = (v) => v === null || ['string', 'boolean'].includes(typeof v) || (typeof v === 'number' && Number.isFinite(v))
    || (typeof v === 'object' && Object.values(v).every(isJson));
  return {
    async prepare(definition, opts) { def = definition; handler = opts.taskHandler; },
    async run(input) {
      if (!isJson(input)) throw new TypeError('input is not JSON');
      const clock = new Clock();
      let name = def.StartAt;
      let data = input;
      for (;;) {
        const s = def.States[name];
        if (s.Type === 'Task') {
          let result;
          for (let attempt = 0; ; attempt++) {
            try {
              result = await handler(name, data);
              break;
            } catch (e) {
              const retry = s.Retry?.find((r) => r.ErrorEquals.includes(e.name) || r.ErrorEquals.includes('States.ALL'));
              if (!retry || attempt >= (retry.MaxAttempts ?? 3)) return { status: 'FAILED', error: e.name };
              await clock.sleep(1000 * (retry.IntervalSeconds ?? 1) * (retry.BackoffRate ?? 2) ** attempt);
            }
          }
          data = s.ResultPath === undefined ? result : { ...data, [s.ResultPath.slice(2)]: result };
        } else if (s.Type === 'Wait') {
          await clock.sleep(s.Seconds * 1000);
        } else if (s.Type === 'Succeed') {
          return { status: 'SUCCEEDED', output: data };
        } else if (s.Type !== 'Pass') {
          throw new Error(`cold-runs: the toy interpreter has no ${s.Type} state`);
        }
        name = s.Next;
      }
    },
  };
}

async function child(engine, name) {
  const { loadWorkload } = await import(pathToFileURL(path.join(shared, 'workloads', 'workloads.mjs')).href);
  const wl = loadWorkload(name);
  if ((wl.execsPerRun ?? 1) !== 1) throw new Error(`cold-runs: ${name} runs ${wl.execsPerRun} executions a run; this measures one`);
  const adapter = engine === 'stepwright' ? (await import('./adapter.mjs')).default()
    : engine === 'toy' ? toy()
      : (await import(pathToFileURL(path.join(shared, 'adapters', 'limit.mjs')).href)).default('await');
  await adapter.prepare(wl.definition, { taskHandler: wl.newTaskHandler(), fastTime: true, workload: name });
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    const input = structuredClone(wl.inputFor(0, r));
    const t = performance.now();
    const out = await adapter.run(input);
    times.push((performance.now() - t) * 1000);
    if (out.status !== 'SUCCEEDED') throw new Error(`cold-runs: ${engine} run ${r + 1}: ${out.status} ${out.error ?? ''}`);
  }
  process.stdout.write(JSON.stringify(times) + '\n');
}

function driver() {
  const name = opt('workload', 'retry-wait');
  const processes = Number(opt('processes', 9));
  const v8 = opt('v8');
  const engines = ['limit-await', 'toy', 'stepwright'];
  const results = new Map(engines.map((e) => [e, []]));
  for (let p = 0; p < processes; p++) {
    for (const e of engines) {
      const child = spawnSync(process.execPath, [...(v8 ? [v8] : []), fileURLToPath(import.meta.url), '--child', e, name], { encoding: 'utf8' });
      const line = child.stdout.trim().split('\n').pop();
      if (child.status !== 0 || !line?.startsWith('[')) {
        console.error(`cold-runs: ${e} failed: ${child.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
        process.exit(1);
      }
      results.get(e).push(JSON.parse(line));
    }
  }
  const us = (v) => v.toFixed(0);
  console.log(`# ${name}, ${processes} processes an engine (alternating), node ${process.version}${v8 ? ` ${v8}` : ''}, load average ${loadavg()[0].toFixed(1)}`);
  console.log(`| engine | ${Array.from({ length: RUNS }, (_, i) => `run ${i + 1} µs`).join(' | ')} | runs 2–6 µs | × floor |`);
  console.log(`| --- | ${Array.from({ length: RUNS + 2 }, () => '---').join(' | ')} |`);
  const floor = median(results.get('limit-await').map((t) => median(t.slice(1, 6))));
  for (const e of engines) {
    const per = results.get(e);
    const cols = Array.from({ length: RUNS }, (_, i) => us(median(per.map((t) => t[i]))));
    const mid = median(per.map((t) => median(t.slice(1, 6))));
    console.log(`| ${e === 'limit-await' ? 'floor' : e} | ${cols.join(' | ')} | ${us(mid)} | ${(mid / floor).toFixed(1)} |`);
  }
}

if (args[0] === '--child') await child(args[1], args[2]);
else driver();
