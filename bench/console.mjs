// The console's figures on this machine (a benchmark, not a test), each in Chromium against a real
// serve on 127.0.0.1, timed from the navigation (from about:blank, so the page loads afresh) to what
// a user waits for being on screen:
//   - the executions list with 10,000 executions (all machines' list, newest first): its first rows,
//     then the oldest execution after a jump to the end of the list;
//   - the page of an execution of 25,000 history events: the diagram and the first rows of the
//     history, opened first (nothing read yet) and again; then a search of the whole history.
// Then what one page watching a running execution costs serve (bench/console-live.mjs).
// Needs compile (lib/) and /usr/bin/chromium; `--lib <dir>` measures another build.
//   node bench/console.mjs [--lib <dir>]
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { answerHelp, cliMain } from './cli-options.mjs';
import { liveView } from './console-live.mjs';

answerHelp();

const require = createRequire(import.meta.url);
const { lib, main } = cliMain('console');
const { startServer } = require(path.join(lib, 'server'));
const { chromium } = require('playwright-core');
const sdk = require('@aws-sdk/client-sfn');

const ROLE = 'arn:aws:iam::123456789012:role/R';
const RUNS = 3;
const WAIT = { timeout: 60_000 };
const server = await startServer({ port: 0, log: () => undefined });
const sfn = server.client();
const pass = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
const { stateMachineArn } = await sfn.send(new sdk.CreateStateMachineCommand({ name: 'many', definition: pass, roleArn: ROLE }));
let t = performance.now();
for (let i = 0; i < 10_000; i += 100) {
  await Promise.all(Array.from({ length: 100 }, (_, k) => sfn.send(new sdk.StartExecutionCommand({ stateMachineArn, name: `run-${i + k}` }))));
}
console.log(`started 10,000 executions in ${((performance.now() - t) / 1000).toFixed(1)} s`);

// 6,249 Map iterations of one Pass state: 4 events each, 25,000 events with the Map's own. One
// execution per cold open, so that each is the first time serve reads that history.
const map = JSON.stringify({ StartAt: 'Each', States: { Each: { Type: 'Map', ItemProcessor: { StartAt: 'Step', States: { Step: { Type: 'Pass', End: true } } }, End: true } } });
const big = await sfn.send(new sdk.CreateStateMachineCommand({ name: 'big', definition: map, roleArn: ROLE }));
const items = JSON.stringify(Array.from({ length: 6_249 }, (_, i) => i));
const bigRuns = [];
for (let i = 0; i < RUNS; i++) {
  const { executionArn } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: big.stateMachineArn, name: `big-${i}`, input: items }));
  while ((await sfn.send(new sdk.DescribeExecutionCommand({ executionArn }))).status === 'RUNNING') await new Promise((r) => setTimeout(r, 50));
  bigRuns.push(executionArn);
}

const context = await chromium.launchPersistentContext('', {
  executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'], viewport: { width: 1400, height: 900 },
});
const page = context.pages()[0] ?? await context.newPage();
const fresh = async (hash) => {
  await page.goto('about:blank');
  const start = performance.now();
  await page.goto(`${server.consoleUrl}${hash}`);
  return start;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (xs) => `${median(xs).toFixed(0)} ms (median of ${xs.length}: ${xs.map((x) => x.toFixed(0)).join(', ')})`;

const listed = [];
const oldest = [];
let total = '';
for (let i = 0; i < RUNS; i++) {
  t = await fresh('#/');
  await page.locator('.executions-table tbody tr', { hasText: 'run-9999' }).first().waitFor(WAIT);
  listed.push(performance.now() - t);
  total = await page.locator('.executions-info').first().textContent();
  t = performance.now();
  await page.locator('.executions-scroll').first().evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.locator('.executions-table tbody tr td:first-child', { hasText: /^run-0$/ }).waitFor(WAIT);
  oldest.push(performance.now() - t);
}

const cold = [];
const warm = [];
const searched = [];
let events = '';
for (const executionArn of bigRuns) {
  t = await fresh(`#/execution/${encodeURIComponent(executionArn)}`);
  await page.locator('#graph svg').waitFor(WAIT);
  await page.locator('#events tbody tr').first().waitFor(WAIT);
  cold.push(performance.now() - t);
  events = await page.locator('#events .events-info').textContent();
}
for (let i = 0; i < RUNS; i++) {
  t = await fresh(`#/execution/${encodeURIComponent(bigRuns[0])}`);
  await page.locator('#graph svg').waitFor(WAIT);
  await page.locator('#events tbody tr').first().waitFor(WAIT);
  warm.push(performance.now() - t);
}
for (const executionArn of bigRuns) {
  await fresh(`#/execution/${encodeURIComponent(executionArn)}`);
  await page.locator('#events tbody tr').first().waitFor(WAIT);
  t = performance.now();
  await page.fill('#event-search', 'ExecutionSucceeded');
  await page.locator('#events .events-info', { hasText: 'match "executionsucceeded"' }).waitFor(WAIT);
  searched.push(performance.now() - t);
}

console.log(`load average (1, 5, 15 min) after the first figures: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
console.log(`executions list (${total}): first rows shown in ${ms(listed)}`);
console.log(`  then the oldest execution, after a jump to the end of the list, in ${ms(oldest)}`);
console.log(`an execution (${events}): diagram and history shown, first open in ${ms(cold)}`);
console.log(`  opened again in ${ms(warm)}`);
console.log(`  the whole history searched (first search) in ${ms(searched)}`);
sfn.destroy();
await server.close();
await liveView({ main, context });
console.log(`load average (1, 5, 15 min) after the live view: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
await context.close();
