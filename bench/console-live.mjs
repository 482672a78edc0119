// What one console page watching a running execution costs serve (a benchmark, not a test): serve
// runs as a child process of `--lib`'s build (default ../lib), so that its CPU time is its own
// (/proc/<pid>/stat, Linux only), and a DescribeExecution is timed every 100 ms from here, first
// with no page open, then with one Chromium page open on the execution:
//   - an execution of 24,000 events that goes on growing (a Wait and a Choice every second of its
//     time, at --time-scale 20: a change every 50 ms);
//   - an execution of a chain of 20,000 states (a Wait every 200 states) as it runs: the time the
//     page takes to show its diagram, then serve's figures while the page reads it again at each change.
// For each page, the time of each of its reads of the execution (after the first) is printed too.
// Run alone: node bench/console-live.mjs [--lib <dir>] [--seconds 8]; bench/console.mjs runs it last.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { answerHelp, cliMain, option } from './cli-options.mjs';

const require = createRequire(import.meta.url);
const sdk = require('@aws-sdk/client-sfn');
const { chromium } = require('playwright-core');

const ROLE = 'arn:aws:iam::123456789012:role/R';
const WAIT = { timeout: 120_000 };

/** CPU seconds (user and system) process `pid` has used. */
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function startServe(main) {
  const child = spawn(process.execPath, [main, 'serve', '--port', '0', '--time-scale', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr.slice(-500)}`)));
    child.stdout.once('data', (d) => resolve({ child, endpoint: String(d).trim(), consoleUrl: `${String(d).trim()}/console` }));
  });
}

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? NaN;
const ms = (x) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

/** For `seconds`: serve's share of a core, and DescribeExecution's times (every 100 ms, one at a time). */
async function measure(server, sfn, executionArn, seconds) {
  const cpu0 = cpuSeconds(server.child.pid);
  const t0 = performance.now();
  const times = [];
  while (performance.now() - t0 < seconds * 1000) {
    const t = performance.now();
    await sfn.send(new sdk.DescribeExecutionCommand({ executionArn }));
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 100));
  }
  const core = (cpuSeconds(server.child.pid) - cpu0) / ((performance.now() - t0) / 1000);
  return `serve used ${(core * 100).toFixed(0)}% of a core; DescribeExecution took ${ms(quantile(times, 0.5))} (median), ${ms(quantile(times, 0.95))} (95th percentile), ${ms(Math.max(...times))} (slowest) over ${times.length} calls`;
}

async function lastEventId(sfn, executionArn) {
  const page = await sfn.send(new sdk.GetExecutionHistoryCommand({ executionArn, maxResults: 1, reverseOrder: true }));
  return page.events[0].id;
}

/** Opens the console on `executionArn` and times what the page reads while `seconds` pass. */
async function watched(page, server, sfn, executionArn, seconds) {
  const reads = [];
  const listen = (request) => {
    const url = request.url();
    if (!url.includes('/console/api/execution?')) return;
    const timing = request.timing();
    reads.push(timing.responseEnd);
  };
  await page.goto('about:blank');
  const opened = performance.now();
  await page.goto(`${server.consoleUrl}#/execution/${encodeURIComponent(executionArn)}`);
  await page.locator('#graph svg, #diagram-refused').first().waitFor(WAIT);
  const first = performance.now() - opened;
  page.on('requestfinished', listen);
  const figures = await measure(server, sfn, executionArn, seconds);
  page.off('requestfinished', listen);
  const changes = reads.length === 0 ? 'no read of the execution finished'
    : `${reads.length} reads of the execution, ${ms(quantile(reads, 0.5))} each (median), ${ms(Math.max(...reads))} the slowest`;
  await page.goto('about:blank');
  return { first, figures, changes };
}

export async function liveView({ main, seconds = 8, context }) {
  const server = await startServe(main);
  const sfn = new sdk.SFNClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const ownContext = context === undefined;
  context ??= await chromium.launchPersistentContext('', { executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'], viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  try {
    // 6,000 rounds of a Pass and a Choice (24,002 events), then a Wait and a Choice every second of
    // the execution's time until AWS's 25,000-event limit ends it (about 250 s of it, 12 s at --time-scale 20).
    const growing = JSON.stringify({
      StartAt: 'Step',
      States: {
        Step: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'More' },
        More: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThanEquals: 6000, Next: 'Slow' }], Default: 'Step' },
        Slow: { Type: 'Wait', Seconds: 1, Next: 'Tick' },
        Tick: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThan: 1e9, Next: 'Done' }], Default: 'Slow' },
        Done: { Type: 'Succeed' },
      },
    });
    const a = await sfn.send(new sdk.CreateStateMachineCommand({ name: 'growing', definition: growing, roleArn: ROLE }));
    const run = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: a.stateMachineArn, input: '{"i":0}' }));
    while (await lastEventId(sfn, run.executionArn) < 24_002) await new Promise((r) => setTimeout(r, 50));
    console.log(`an execution of 24,000 events growing by 40 a second (a change every 50 ms), for ${seconds} s:`);
    console.log(`  no page open: ${await measure(server, sfn, run.executionArn, seconds)}`);
    const one = await watched(page, server, sfn, run.executionArn, seconds);
    console.log(`  one page open (diagram shown in ${ms(one.first)}): ${one.figures}`);
    console.log(`    the page's ${one.changes}`);
    await sfn.send(new sdk.StopExecutionCommand({ executionArn: run.executionArn }));

    // A chain of 20,000 states (0.7 MB of definition), a Wait of 60 s every 200 states: at
    // --time-scale 20 the history grows by 400 events every 3 s.
    const states = {};
    for (let i = 0; i < 20_000; i++) {
      const next = i === 19_999 ? undefined : `s${i + 1}`;
      states[`s${i}`] = i % 200 === 199 ? { Type: 'Wait', Seconds: 60, ...(next ? { Next: next } : { End: true }) } : { Type: 'Pass', ...(next ? { Next: next } : { End: true }) };
    }
    const b = await sfn.send(new sdk.CreateStateMachineCommand({ name: 'chain', definition: JSON.stringify({ StartAt: 's0', States: states }), roleArn: ROLE }));
    const chain = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: b.stateMachineArn, input: '{}' }));
    console.log(`a chain of 20,000 states, running (400 events every 3 s), for ${seconds} s:`);
    const watchedChain = await watched(page, server, sfn, chain.executionArn, seconds);
    console.log(`  one page open (diagram shown in ${ms(watchedChain.first)}): ${watchedChain.figures}`);
    console.log(`    the page's ${watchedChain.changes}`);
  } finally {
    await page.close();
    if (ownContext) await context.close();
    sfn.destroy();
    server.child.kill('SIGKILL');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  answerHelp();
  const { main } = cliMain('console-live');
  await liveView({ main, seconds: Number(option('seconds', 8)) });
}
