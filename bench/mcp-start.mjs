// `node bench/mcp-start.mjs [--runs 10] [--lib <dir>]`: how long `stepwright mcp` takes from process
// spawn to answering tools/list, as an agent's client sees it. Spawns `node <lib>/cli/main.js mcp`
// --runs times, one after the other, through the MCP SDK's own client (StdioClientTransport; the
// client is loaded once, before the first run, so its own load is not counted), and times each run
// from spawn to the tools/list answer: the initialize handshake included. Prints each run, the
// median, node's own start-up beside it (spawn to exit of an empty script) and the machine's load
// average (a loaded machine starts node itself several times slower).
// Target: a median of at most 300 ms. Needs lib/ (`npx projen compile`).
import { spawn } from 'node:child_process';
import os from 'node:os';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { answerHelp, cliMain, option } from './cli-options.mjs';

answerHelp();

const RUNS = Number(option('runs', 10));
const { main } = cliMain('mcp-start');

/** One run: spawn, initialize, tools/list; bounded by 20 s. */
async function once() {
  const t0 = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args: [main, 'mcp'], cwd: os.tmpdir(), stderr: 'inherit' });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const bound = setTimeout(() => { console.error('bench/mcp-start: no answer in 20 s'); process.exit(1); }, 20_000);
  await client.connect(transport);
  const initialized = performance.now() - t0;
  const { tools } = await client.listTools();
  const listed = performance.now() - t0;
  clearTimeout(bound);
  if (tools.length < 6) throw new Error(`tools/list answered ${tools.length} tools`);
  await client.close();
  return { initialized, listed };
}

/** node itself, spawned and exited with nothing to do: the floor under any figure above. */
function bareNode() {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - t0));
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// One run first, not counted: it brings the files into the page cache, as any second start finds them.
await once();
const runs = [];
for (let i = 0; i < RUNS; i++) {
  const r = await once();
  runs.push(r);
  console.log(`run ${i + 1}: initialized ${r.initialized.toFixed(0)} ms, tools/list answered ${r.listed.toFixed(0)} ms`);
}
const bare = [];
for (let i = 0; i < RUNS; i++) bare.push(await bareNode());
console.log(`node alone (spawn to exit of \`node -e ''\`): median ${median(bare).toFixed(0)} ms`);
const [l1, l5, l15] = os.loadavg();
console.log(`median over ${RUNS} runs: initialized ${median(runs.map((r) => r.initialized)).toFixed(0)} ms, `
  + `tools/list answered ${median(runs.map((r) => r.listed)).toFixed(0)} ms (target: 300 ms)`);
console.log(`load average ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)} on ${os.availableParallelism?.() ?? os.cpus().length} cores; node ${process.version}`);
