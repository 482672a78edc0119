// `node bench/serve-history-memory.mjs [--input-kib 250] [--heap-mb 4096] [--lib <dir>]`: the memory a
// `stepwright serve --data-dir` process needs for the execution that reaches AWS's 25,000-event history
// limit with a large input: a Pass/Choice loop that carries a --input-kib string and a counter until
// the interpreter fails it (States.Runtime). Spawns `node --max-old-space-size=<heap-mb> <lib>/cli/main.js
// serve`, starts the execution, waits for it to close, reads one event of its history (maxResults 1)
// and the first default page, then kills the server (kill -9) and starts it again on the same data
// directory to read the execution back. Prints, for each process, its peak resident set (VmHWM from
// /proc, Linux only), the journal's size and what each step answered; a process that dies (out of
// memory) is reported as such. `--lib` points at another build (default: ../lib).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callServe as call } from './serve-call.mjs';
import { answerHelp, cliMain, option } from './cli-options.mjs';

answerHelp();

const INPUT_KIB = Number(option('input-kib', 250));
const HEAP_MB = Number(option('heap-mb', 4096));
const { lib, main } = cliMain('serve-history-memory');
const ROLE = 'arn:aws:iam::123456789012:role/StepFunctionsRole';
const LOOP = JSON.stringify({
  StartAt: 'Step',
  States: {
    Step: { Type: 'Pass', Parameters: { 'pad.$': '$.pad', 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'More' },
    More: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThan: 1e9, Next: 'Done' }], Default: 'Step' },
    Done: { Type: 'Succeed' },
  },
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-bench-history-'));
const dataDir = path.join(tmp, 'data');

/** VmHWM of a process, in MiB (its peak resident set so far). */
function peakMiB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return Math.round(kib / 1024);
  } catch {
    return NaN;
  }
}

/** Samples a process's resident set until it exits, keeping the largest (VmHWM dies with the process). */
function watchPeak(pid) {
  let peak = 0;
  const timer = setInterval(() => { peak = Math.max(peak, peakMiB(pid) || 0); }, 20);
  return { stop: () => { clearInterval(timer); return peak; }, get: () => Math.max(peak, peakMiB(pid) || 0) };
}

function start() {
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, main, 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(`exited (${signal ?? code}): ${stderr.trim().split('\n').slice(-2).join(' / ')}`)));
  return new Promise((resolve, reject) => {
    exited.then(reject);
    const peak = watchPeak(child.pid);
    exited.then(() => peak.stop());
    child.stdout.once('data', (d) => resolve({ child, endpoint: String(d).trim(), exited, peak }));
  });
}


/** Runs `step` unless the server dies first; returns its value or the way the server died. */
async function orDeath(server, step) {
  return Promise.race([step(), server.exited.then((how) => { throw new Error(how); })]);
}

async function describeUntilClosed(server, executionArn) {
  for (;;) {
    const { status, body: d } = await call(server.endpoint, 'DescribeExecution', { executionArn });
    if (status !== 200) throw new Error(`DescribeExecution answered ${status}: ${d.message}`);
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const journalSize = () => {
  try { return (fs.statSync(path.join(dataDir, 'journal.jsonl')).size / 1024 / 1024).toFixed(1); } catch { return '?'; }
};

console.log(`stepwright serve --data-dir, a ${INPUT_KIB} KiB input through a Pass/Choice loop to the 25,000-event limit; heap limit ${HEAP_MB} MB; Node ${process.version}; ${lib}`);
let executionArn;
const first = await start();
try {
  const input = JSON.stringify({ pad: 'x'.repeat(INPUT_KIB * 1024 - 20), i: 0 });
  const { stateMachineArn } = (await call(first.endpoint, 'CreateStateMachine', { name: 'loop', definition: LOOP, roleArn: ROLE })).body;
  executionArn = (await call(first.endpoint, 'StartExecution', { stateMachineArn, input })).body.executionArn;
  const t = Date.now();
  const d = await orDeath(first, () => describeUntilClosed(first, executionArn));
  console.log(`  run: ${d.status} ${d.error ?? ''} after ${((Date.now() - t) / 1000).toFixed(1)} s; peak RSS ${first.peak.get()} MiB; journal ${journalSize()} MiB`);
  const one = await orDeath(first, () => call(first.endpoint, 'GetExecutionHistory', { executionArn, maxResults: 1 }));
  console.log(`  GetExecutionHistory maxResults 1: ${one.status}, ${one.body.events?.length} event, ${one.bytes} bytes; peak RSS ${first.peak.get()} MiB`);
  const page = await orDeath(first, () => call(first.endpoint, 'GetExecutionHistory', { executionArn, reverseOrder: true }));
  console.log(`  GetExecutionHistory reverse, default page: ${page.status}, ${page.body.events?.length} events, ${(page.bytes / 1024 / 1024).toFixed(1)} MiB; peak RSS ${first.peak.get()} MiB`);
} catch (e) {
  const how = await Promise.race([first.exited, new Promise((r) => setTimeout(() => r(e.message), 1000))]);
  console.log(`  first server: ${how}; peak RSS ≥ ${first.peak.get()} MiB (sampled); journal ${journalSize()} MiB`);
}
first.child.kill('SIGKILL');
await first.exited;

try {
  const t = Date.now();
  const second = await start();
  try {
    second.exited.then((how) => console.log(`  restarted server ${how}; peak RSS ≥ ${second.peak.get()} MiB (sampled)`));
    const ready = `${((Date.now() - t) / 1000).toFixed(1)} s`;
    const d = await orDeath(second, () => describeUntilClosed(second, executionArn));
    const one = await orDeath(second, () => call(second.endpoint, 'GetExecutionHistory', { executionArn, maxResults: 1, reverseOrder: true }));
    console.log(`  after kill -9, restart listening in ${ready}: ${d.status} ${d.error ?? ''}, last event ${one.body.events?.[0]?.type} #${one.body.events?.[0]?.id}; peak RSS ${second.peak.get()} MiB`);
  } finally {
    second.child.kill('SIGKILL');
    await second.exited;
  }
} catch (e) {
  console.log(`  restart: ${e.message}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
