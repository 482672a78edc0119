// `node bench/serve-start.mjs [--runs 10] [--lib <dir>]`: how long `stepwright serve` takes from
// process spawn to its first answered request. Spawns `node <lib>/cli/main.js serve --port 0`
// --runs times, one after the other, and times each run until a ListStateMachines call is answered
// (sent as a plain AWS JSON 1.0 request, so no SDK cost on the client side is counted). Prints each
// run and the median. `--lib` points at another build (default: ../lib); compile one with
// `npx tsc -p tsconfig.json --outDir <dir>` where node can resolve node_modules from it.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import os from 'node:os';
import { cliMain, option } from './cli-options.mjs';

const RUNS = Number(option('runs', 10));
const { lib, main } = cliMain('serve-start');

function listStateMachines(endpoint) {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.ListStateMachines', 'content-length': 2 },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString())) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

/** One run: spawn, wait for the endpoint line, answer one ListStateMachines; bounded by 20 s. */
function once() {
  const t0 = performance.now();
  const child = spawn(process.execPath, [main, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('no answer in 20 s')); }, 20_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}`)); });
    child.stdout.once('data', async (d) => {
      const printed = performance.now() - t0;
      try {
        await listStateMachines(String(d).trim());
        const answering = performance.now() - t0;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.once('exit', () => resolve({ printed, answering }));
        child.kill('SIGTERM');
      } catch (e) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(e);
      }
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const runs = [];
for (let i = 0; i < RUNS; i++) {
  const r = await once();
  runs.push(r);
  console.log(`run ${i + 1}: endpoint printed ${r.printed.toFixed(0)} ms, first answer ${r.answering.toFixed(0)} ms`);
}
console.log(`serve start (${lib}, ${RUNS} runs, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}): `
  + `median first answer ${median(runs.map((r) => r.answering)).toFixed(0)} ms `
  + `(min ${Math.min(...runs.map((r) => r.answering)).toFixed(0)}, max ${Math.max(...runs.map((r) => r.answering)).toFixed(0)}); `
  + `median endpoint printed ${median(runs.map((r) => r.printed)).toFixed(0)} ms`);
