// The console's two figures on this machine (a benchmark, not a test): 10,000 executions listed
// in one page, and the page of an execution with 25,000 history events opened, each in Chromium
// against a real serve on 127.0.0.1. Needs compile (lib/) and /usr/bin/chromium.
//   node bench/console.mjs
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { startServer } = require('../lib/server');
const { chromium } = require('playwright-core');

const ROLE = 'arn:aws:iam::123456789012:role/R';
const server = await startServer({ port: 0, log: () => undefined });
const sfn = server.client();
const sdk = require('@aws-sdk/client-sfn');
const pass = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
const { stateMachineArn } = await sfn.send(new sdk.CreateStateMachineCommand({ name: 'many', definition: pass, roleArn: ROLE }));
let t = performance.now();
for (let i = 0; i < 10_000; i += 100) {
  await Promise.all(Array.from({ length: 100 }, (_, k) => sfn.send(new sdk.StartExecutionCommand({ stateMachineArn, name: `run-${i + k}` }))));
}
console.log(`started 10,000 executions in ${((performance.now() - t) / 1000).toFixed(1)} s`);
// 6,249 Map iterations of one Pass state: 4 events each, 25,000 events with the Map's own.
const map = JSON.stringify({ StartAt: 'Each', States: { Each: { Type: 'Map', ItemProcessor: { StartAt: 'Step', States: { Step: { Type: 'Pass', End: true } } }, End: true } } });
const big = await sfn.send(new sdk.CreateStateMachineCommand({ name: 'big', definition: map, roleArn: ROLE }));
const { executionArn } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: big.stateMachineArn, input: JSON.stringify(Array.from({ length: 6_249 }, (_, i) => i)) }));
for (let d; (d = await sfn.send(new sdk.DescribeExecutionCommand({ executionArn }))).status === 'RUNNING';) await new Promise((r) => setTimeout(r, 50));

const context = await chromium.launchPersistentContext('', {
  executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'], viewport: { width: 1400, height: 900 },
});
const page = context.pages()[0] ?? await context.newPage();
const runs = 3;
const list = [];
for (let i = 0; i < runs; i++) {
  t = performance.now();
  await page.goto(`${server.consoleUrl}#/machine/${encodeURIComponent(stateMachineArn)}`);
  await page.locator('.executions-table tbody tr').first().waitFor();
  await page.selectOption('select[aria-label="page size"]', '10000');
  await page.waitForFunction(() => document.querySelectorAll('.executions-table tbody tr').length === 10_000, undefined, { timeout: 60_000 });
  list.push(performance.now() - t);
}
const open = [];
let events = 0;
for (let i = 0; i < runs; i++) {
  await page.goto('about:blank');
  t = performance.now();
  await page.goto(`${server.consoleUrl}#/execution/${encodeURIComponent(executionArn)}`);
  await page.locator('#graph svg').waitFor({ timeout: 60_000 });
  await page.locator('#events tbody tr').first().waitFor({ timeout: 60_000 });
  open.push(performance.now() - t);
  events = Number((await page.locator('#events p').textContent()).match(/of (\d+) events/)[1]);
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`10,000 executions listed (page load, then the 10,000-row page) in ${median(list).toFixed(0)} ms (median of ${runs})`);
console.log(`an execution of ${events} events opened (diagram and history) in ${median(open).toFixed(0)} ms (median of ${runs})`);
await context.close();
sfn.destroy();
await server.close();
