// `node bench/serve-map-selector-memory.mjs [--items 8000] [--kib 200] [--concurrency 0] [--heap-mb <mb>] [--lib <dir>]`:
// the memory a `stepwright serve` process needs for an inline Map (no ItemReader) whose JSONata
// ItemSelector builds a new --kib string for each of --items items. Spawns `node <lib>/cli/main.js
// serve` (with --max-old-space-size when --heap-mb is given), starts the execution, waits for it to
// close, then kills the server. Prints the run's status and time and the process's peak resident set
// (VmHWM from /proc, Linux only); a server that dies (out of memory) is reported as such. `--lib`
// points at another build (default: ../lib), to compare two.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { callServe as call } from './serve-call.mjs';
import { answerHelp, cliMain, option } from './cli-options.mjs';

answerHelp();

const ITEMS = Number(option('items', 8000));
const KIB = Number(option('kib', 200));
const CONCURRENCY = Number(option('concurrency', 0));
const HEAP_MB = option('heap-mb', undefined);
const { lib, main } = cliMain('serve-map-selector-memory');
const ROLE = 'arn:aws:iam::123456789012:role/StepFunctionsRole';
const MACHINE = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map',
      Items: '{% $states.input.items %}',
      MaxConcurrency: CONCURRENCY,
      ItemSelector: {
        i: '{% $states.context.Map.Item.Index %}',
        pad: `{% $pad('', ${KIB * 1024 - 16}, 'x') & $string($states.context.Map.Item.Index) %}`,
      },
      ItemProcessor: {
        StartAt: 'Keep',
        States: { Keep: { Type: 'Pass', Output: '{% $states.input.i %}', End: true } },
      },
      Output: '{% $count($states.result) %}',
      End: true,
    },
  },
});

/** VmHWM of a process, in MiB (its peak resident set so far). */
function peakMiB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024);
  } catch {
    return NaN;
  }
}

function start() {
  const args = [...(HEAP_MB ? [`--max-old-space-size=${HEAP_MB}`] : []), main, 'serve', '--port', '0'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let peak = 0;
  const timer = setInterval(() => { peak = Math.max(peak, peakMiB(child.pid) || 0); }, 20);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    clearInterval(timer);
    resolve(`exited (${signal ?? code}): ${stderr.trim().split('\n').slice(-2).join(' / ')}`);
  }));
  return new Promise((resolve, reject) => {
    exited.then(reject);
    child.stdout.once('data', (d) => resolve({ child, endpoint: String(d).trim(), exited, peak: () => Math.max(peak, peakMiB(child.pid) || 0) }));
  });
}


console.log(`stepwright serve, an inline Map of ${ITEMS} items whose ItemSelector builds a ${KIB} KiB string each, MaxConcurrency ${CONCURRENCY}; heap limit ${HEAP_MB ?? 'node default'}; Node ${process.version}; ${lib}`);
const server = await start();
try {
  const created = await call(server.endpoint, 'CreateStateMachine', { name: 'fan', definition: MACHINE, roleArn: ROLE });
  if (created.status !== 200) throw new Error(`CreateStateMachine answered ${created.status}: ${created.body.message}`);
  const { stateMachineArn } = created.body;
  const input = JSON.stringify({ items: Array.from({ length: ITEMS }, (_, i) => i) });
  const before = server.peak();
  const t = Date.now();
  const startedRun = await call(server.endpoint, 'StartExecution', { stateMachineArn, input });
  if (startedRun.status !== 200) throw new Error(`StartExecution answered ${startedRun.status}: ${startedRun.body.message}`);
  const { executionArn } = startedRun.body;
  const closed = (async () => {
    for (;;) {
      const { status, body } = await call(server.endpoint, 'DescribeExecution', { executionArn });
      if (status !== 200) throw new Error(`DescribeExecution answered ${status}: ${body.message}`);
      if (body.status !== 'RUNNING') return body;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const d = await Promise.race([closed, server.exited.then((how) => { throw new Error(how); })]);
  console.log(`  ${d.status} ${d.error ?? ''} ${(d.cause ?? '').slice(0, 200)} output ${d.output ?? '-'} after ${((Date.now() - t) / 1000).toFixed(1)} s; peak RSS ${before} MiB before the run, ${server.peak()} MiB at most`);
} catch (e) {
  console.log(`  server ${e.message}; peak RSS ≥ ${server.peak()} MiB (sampled)`);
}
server.child.kill('SIGKILL');
await server.exited.catch(() => undefined);
