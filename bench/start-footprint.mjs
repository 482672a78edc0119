// `node bench/start-footprint.mjs [--runs 15] [--lib <dir>]`: how soon `stepwright serve` and
// `stepwright mcp` answer after spawn, and what serve holds idle, each beside a bare node process
// doing the least the same client needs, spawned alternately so both see the same load:
//
// - serve: spawn to the answer of one ListStateMachines (plain AWS JSON 1.0 over HTTP), beside a
//   bare node HTTP server on 127.0.0.1 answering `{}`; then each one's resident memory (VmRSS)
//   after it has idled a second.
// - mcp: spawn to the tools/list answer (initialize, initialized and tools/list written at once
//   as raw JSON-RPC lines, as a client's first messages), beside node answering the first line it
//   reads.
//
// With `--before <dir>` (another build's lib/), that build is spawned in the same alternation, so
// that before and after are measured under the same load.
//
// Prints the medians, the load average before and after, the targets of issue 65 (serve within
// node + 50 ms on a quiet machine and 2x node loaded, idle memory within node + 15 MB, tools/list
// within node + 150 ms), and the start-up figures other local emulators publish. Needs lib/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { answerHelp, cliMain, option } from './cli-options.mjs';

answerHelp();

const RUNS = Number(option('runs', 15));
const { lib, main } = cliMain('start-footprint');
const beforeLib = option('before', undefined);
const beforeMain = beforeLib === undefined ? undefined : path.join(path.resolve(beforeLib), 'cli', 'main.js');
if (beforeMain !== undefined && !fs.existsSync(beforeMain)) {
  console.error(`bench/start-footprint: ${beforeMain} is missing`);
  process.exit(2);
}

const BARE_HTTP = `const s=require('node:http').createServer((q,r)=>{q.resume();q.on('end',()=>{r.setHeader('content-type','application/x-amz-json-1.0');r.end('{}')})});`
  + `s.listen(0,'127.0.0.1',()=>console.log('http://127.0.0.1:'+s.address().port));process.on('SIGTERM',()=>process.exit(0));`;
const BARE_STDIO = `process.stdin.once('data',()=>process.stdout.write('{"jsonrpc":"2.0","id":0,"result":{}}\\n'));`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

function post(endpoint) {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.ListStateMachines', 'content-length': 2 },
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

/** Resident memory of a process in MB (Linux's /proc), or undefined elsewhere. */
function rssMb(pid) {
  try {
    const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line === undefined ? undefined : Number(line.split(/\s+/)[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** Spawn to the first answered request of an HTTP server that prints its endpoint, then its idle memory. */
function httpRun(args) {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], cwd: os.tmpdir() });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${args.join(' ')}: no answer in 20 s`)); }, 20_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${args.join(' ')} exited with ${code}`)); });
    child.stdout.once('data', async (d) => {
      try {
        await post(String(d).trim().split('\n')[0]);
        const answered = performance.now() - t0;
        clearTimeout(timer);
        await sleep(1000);
        const rss = rssMb(child.pid);
        child.removeAllListeners('exit');
        child.once('exit', () => resolve({ answered, rss }));
        child.kill('SIGTERM');
      } catch (e) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(e);
      }
    });
  });
}

/** Spawn to the answer under `id` of a process spoken to in JSON-RPC lines on stdio. */
function stdioRun(args, lines, id) {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'ignore'], cwd: os.tmpdir() });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${args.join(' ')}: no answer in 20 s`)); }, 20_000);
    const exited = (code) => { clearTimeout(timer); reject(new Error(`${args.join(' ')} exited with ${code} before answering`)); };
    child.once('exit', exited);
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      text += d;
      const answered = text.split('\n').slice(0, -1).some((l) => JSON.parse(l).id === id);
      if (!answered) return;
      const ms = performance.now() - t0;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.off('exit', exited);
      child.once('exit', () => resolve(ms));
      child.stdin.end();
      child.kill('SIGTERM');
    });
    child.stdin.write(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  });
}

const MCP_LINES = [
  { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1.0.0' } } },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', id: 1, method: 'tools/list' },
];

// One run of each first, not counted: it brings the files into the page cache.
await httpRun(['-e', BARE_HTTP]);
await httpRun([main, 'serve', '--port', '0']);
await stdioRun([main, 'mcp'], MCP_LINES, 1);

const loadBefore = load();
const node = [];
const serve = [];
const serveBefore = [];
for (let i = 0; i < RUNS; i++) {
  node.push(await httpRun(['-e', BARE_HTTP]));
  serve.push(await httpRun([main, 'serve', '--port', '0']));
  if (beforeMain !== undefined) serveBefore.push(await httpRun([beforeMain, 'serve', '--port', '0']));
}
const nodeMcp = [];
const mcp = [];
const mcpBefore = [];
for (let i = 0; i < RUNS; i++) {
  nodeMcp.push(await stdioRun(['-e', BARE_STDIO], MCP_LINES.slice(0, 1), 0));
  mcp.push(await stdioRun([main, 'mcp'], MCP_LINES, 1));
  if (beforeMain !== undefined) mcpBefore.push(await stdioRun([beforeMain, 'mcp'], MCP_LINES, 1));
}
const loadAfter = load();

const ms = (x) => `${x.toFixed(0)} ms`;
const mb = (xs) => (xs.some((x) => x === undefined) ? 'n/a' : `${median(xs).toFixed(1)} MB`);
const nodeAnswer = median(node.map((r) => r.answered));
const serveAnswer = median(serve.map((r) => r.answered));
const nodeRss = node.map((r) => r.rss);
const serveRss = serve.map((r) => r.rss);
const nodeList = median(nodeMcp);
const mcpList = median(mcp);

console.log(`\nStart-up and footprint (${lib}; medians of ${RUNS} spawns each, alternating; load average ${loadBefore} before, ${loadAfter} after, `
  + `${os.availableParallelism?.() ?? os.cpus().length} cores; node ${process.version})`);
console.log('| | first answer after spawn | idle memory (RSS) |');
console.log('|---|---:|---:|');
console.log(`| bare node HTTP server | ${ms(nodeAnswer)} | ${mb(nodeRss)} |`);
console.log(`| stepwright serve | ${ms(serveAnswer)} (node + ${ms(serveAnswer - nodeAnswer)}, x${(serveAnswer / nodeAnswer).toFixed(2)}) | `
  + `${mb(serveRss)}${serveRss.every((x) => x !== undefined) ? ` (node + ${(median(serveRss) - median(nodeRss)).toFixed(1)} MB)` : ''} |`);
if (beforeMain !== undefined) {
  const answer = median(serveBefore.map((r) => r.answered));
  const rss = serveBefore.map((r) => r.rss);
  console.log(`| stepwright serve, before (${beforeLib}) | ${ms(answer)} (node + ${ms(answer - nodeAnswer)}, x${(answer / nodeAnswer).toFixed(2)}) | `
    + `${mb(rss)}${rss.every((x) => x !== undefined) ? ` (node + ${(median(rss) - median(nodeRss)).toFixed(1)} MB)` : ''} |`);
}
console.log(`| node answering one stdio line | ${ms(nodeList)} | |`);
console.log(`| stepwright mcp, tools/list | ${ms(mcpList)} (node + ${ms(mcpList - nodeList)}) | |`);
if (beforeMain !== undefined) console.log(`| stepwright mcp, tools/list, before | ${ms(median(mcpBefore))} (node + ${ms(median(mcpBefore) - nodeList)}) | |`);
console.log('| published: Floci | about 24 ms | 13 MiB |');
console.log('| published: fakecloud | about 300 ms | 10 MiB |');
console.log('| published: MiniStack | under 2 s | about 30 MB |');
console.log('| published: LocalStack | about 3.3 s | 143 MiB |');
console.log('(published figures are each project\'s own, measured on its own machine; only the rows above them are from this run)');

const quiet = os.loadavg()[0] < 1;
const verdict = (ok) => (ok ? 'met' : 'NOT met');
console.log(`\nTargets (issue 65), on this ${quiet ? 'quiet' : 'loaded'} machine:`);
if (quiet) console.log(`- serve within node + 50 ms: ${verdict(serveAnswer - nodeAnswer <= 50)}`);
else console.log(`- serve within 2x node (loaded): ${verdict(serveAnswer <= 2 * nodeAnswer)}; node + 50 ms is for a quiet machine (now +${ms(serveAnswer - nodeAnswer)})`);
if (serveRss.every((x) => x !== undefined)) console.log(`- serve idle within node + 15 MB: ${verdict(median(serveRss) - median(nodeRss) <= 15)}`);
console.log(`- mcp tools/list within node + 150 ms${quiet ? '' : ' (a quiet-machine target)'}: ${verdict(mcpList - nodeList <= 150)}`);
