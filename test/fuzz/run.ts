/**
 * The long fuzz run: `npx projen fuzz` (10^6 cases), or
 * `node -r ts-node/register/transpile-only test/fuzz/run.ts --runs 5000 --seed 42 [--minutes 30] [--all]`.
 * Prints the count of each outcome class and the rate; on a failure, the
 * shrunk counterexample and the seed to replay it with, and exits 1.
 *
 * `--family http` fuzzes the HTTP API instead (`npx projen fuzz:http`, 10^5
 * requests): random requests to a live `stepwright serve` with a data
 * directory, then kill -9 and a restart; prints the requests by operation (the door
 * family of hostile Host and Origin headers, the hostile-file family of MockConfigFile
 * swaps, the console family of searches, pages, comparisons and live views, and the S3 family
 * of readers, keys and sizes over serve's --s3-dir among them), the answers by status and error
 * type, the S3 executions by how they ended, and the executions checked after the restart.
 *
 * `--family cost` fuzzes `stepwright cost` instead (`npx projen fuzz:cost`, 10^5 cases): hostile
 * coverage reports, price tables and diffs through the real command line; prints the cases by
 * family, mutation and exit code.
 *
 * `--family mcp` fuzzes `stepwright mcp` instead (`--runs`, default 2,000):
 * raw JSON-RPC lines of every MCP family (lines over 10 MiB, answers over
 * 8 MiB, progress tokens of every type, 1e999, deep JSON, lone surrogates)
 * to one live server; prints the cases by family and by what they got.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { ALL_FAMILIES, caseArb, documentArb, jsonPathArb, SAFE_FAMILIES } from './arbitraries';
import { costCaseArb } from './cost-arbitraries';
import { checkCostCase } from './cost-property';
import { requestArb } from './http-arbitraries';
import { HttpFuzzRun } from './http-property';
import { MCP_FAMILIES, mcpCaseArb } from './mcp-arbitraries';
import { McpFuzzRun } from './mcp-property';
import { checkCase, checkJsonPathAgreement } from './property';
import { stopRaw } from '../mcp/raw';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** --runs (default `defaultRuns`), --seed, and --minutes, which stops the run early (the counts then cover the cases run; a stop is not a failure). */
function runOptions(defaultRuns: number): { runs: number; seed: number; budget: Pick<fc.Parameters<unknown>, 'interruptAfterTimeLimit' | 'markInterruptAsFailure'> } {
  const minutes = flag('minutes');
  return {
    runs: Number(flag('runs') ?? defaultRuns),
    seed: Number(flag('seed') ?? Date.now() % 2 ** 31),
    budget: minutes !== undefined ? { interruptAfterTimeLimit: Number(minutes) * 60_000, markInterruptAsFailure: false } : {},
  };
}

async function main(): Promise<void> {
  if (flag('family') === 'http') return http();
  if (flag('family') === 'cost') return costFamily();
  if (flag('family') === 'mcp') return mcp();
  const { runs, seed, budget } = runOptions(1_000_000);
  // --all adds heavy JSONata, whose runaway evaluations each take the real-time bound (see arbitraries.ts).
  const families = process.argv.includes('--all') ? ALL_FAMILIES : SAFE_FAMILIES;
  const counts = new Map<string, number>();
  let started = Date.now();
  let done = 0;
  const progress = setInterval(() => {
    const s = (Date.now() - started) / 1000;
    process.stderr.write(`  ${done} cases, ${(done / s).toFixed(0)} cases/s\n`);
  }, 30_000);
  progress.unref();

  console.log(`fuzz: ${runs} cases, seed ${seed}, families ${JSON.stringify(families)}`);
  // jsonpath-plus is the reference only for paths without filters (it refuses to evaluate them).
  const filterFree = { ...families, jsonPathScripts: false };
  const agreement = fc.property(jsonPathArb(filterFree), documentArb(filterFree), (p, i) => { checkJsonPathAgreement(p, i); });
  const paths = fc.check(agreement, { numRuns: Math.min(runs, 100_000), seed });
  report('JSONPath agrees with jsonpath-plus', paths);

  started = Date.now();
  const result = await fc.check(fc.asyncProperty(caseArb(families), async (c) => {
    const outcome = await checkCase(c);
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    done++;
  }), { numRuns: runs, seed, ...budget });
  clearInterval(progress);
  const seconds = (Date.now() - started) / 1000;
  console.log('\noutcome classes:');
  for (const [k, v] of [...counts.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${String(v).padStart(9)}  ${k}`);
  console.log(`\n${done} cases in ${seconds.toFixed(1)} s: ${(done / seconds).toFixed(0)} cases/s`);
  report('definitions and inputs run to a typed end', result);
  if (paths.failed || result.failed) process.exitCode = 1;
}

/** The HTTP family: requests to a live serve, then kill -9, a restart, and every answered execution looked for. */
async function http(): Promise<void> {
  const { runs, seed, budget } = runOptions(100_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-fuzz-http-'));
  console.log(`fuzz http: ${runs} requests, seed ${seed}, data directory ${dir}`);
  const started = Date.now();
  const run = await HttpFuzzRun.start(dir);
  const progress = setInterval(() => {
    const s = (Date.now() - started) / 1000;
    process.stderr.write(`  ${run.counts.requests} requests, ${(run.counts.requests / s).toFixed(0)} requests/s\n`);
  }, 30_000);
  progress.unref();
  try {
    const result = await fc.check(fc.asyncProperty(requestArb(), async (r) => { await run.check(r); }), { numRuns: runs, seed, ...budget });
    clearInterval(progress);
    const seconds = (Date.now() - started) / 1000;
    const counts = run.counts;
    console.log('\nrequests by operation:');
    for (const [k, v] of [...counts.byOperation.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${String(v).padStart(9)}  ${k}`);
    console.log('\nanswers:');
    for (const [k, v] of [...counts.byAnswer.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${String(v).padStart(9)}  ${k}`);
    console.log('\nS3 family executions (StartSyncExecution answered 200), by how they ended:');
    for (const [k, v] of [...counts.byS3Outcome.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${String(v).padStart(9)}  ${k}`);
    console.log(`\n${counts.requests} requests in ${seconds.toFixed(1)} s: ${(counts.requests / seconds).toFixed(0)} requests/s`);
    report('every request answered with 200 or an AWS-shaped 400 (403 for a foreign Host or Origin), the server alive whatever the MockConfigFile became', result, ' --family http');
    const restart = Date.now();
    const after = await run.restartAndCheck();
    const statuses = [...after.statuses.entries()].map(([k, v]) => `${v} ${k}`).join(', ');
    console.log(`\nafter kill -9 and a restart (${((Date.now() - restart) / 1000).toFixed(1)} s): ${after.checked} executions StartExecution answered, ` +
      `${after.checked - after.missing.length} found (${statuses}), ${after.missing.length} missing`);
    for (const m of after.missing.slice(0, 20)) console.log(`  missing: ${m}`);
    if (result.failed || after.missing.length > 0) process.exitCode = 1;
  } finally {
    clearInterval(progress);
    await run.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The cost family: hostile reports, price tables and diffs through `stepwright cost`. */
async function costFamily(): Promise<void> {
  const { runs, seed, budget } = runOptions(100_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-fuzz-cost-'));
  console.log(`fuzz cost: ${runs} cases, seed ${seed}`);
  const counts = new Map<string, number>();
  const started = Date.now();
  try {
    const result = await fc.check(fc.asyncProperty(costCaseArb(), async (c) => {
      const outcome = await checkCostCase(c, dir);
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    }), { numRuns: runs, seed, ...budget });
    const seconds = (Date.now() - started) / 1000;
    console.log('\ncases by family, mutation and exit code:');
    for (const [k, v] of [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]))) console.log(`  ${String(v).padStart(9)}  ${k}`);
    const done = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(`\n${done} cases in ${seconds.toFixed(1)} s: ${(done / seconds).toFixed(0)} cases/s`);
    report('stepwright cost refuses naming the field, or prints finite non-negative figures', result, ' --family cost');
    if (result.failed) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The MCP family: raw lines of every family to one live `stepwright mcp`, which must answer each and end with exit 0. */
async function mcp(): Promise<void> {
  const { runs, seed, budget } = runOptions(2_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-fuzz-mcp-'));
  console.log(`fuzz mcp: ${runs} cases, seed ${seed}, families ${MCP_FAMILIES.join(', ')}`);
  const started = Date.now();
  McpFuzzRun.prepare(dir);
  const run = await McpFuzzRun.start(dir);
  try {
    const result = await fc.check(fc.asyncProperty(mcpCaseArb(), async (c) => { await run.check(c); }), { numRuns: runs, seed, ...budget });
    const seconds = (Date.now() - started) / 1000;
    console.log('\ncases by family:');
    for (const f of MCP_FAMILIES) console.log(`  ${String(run.counts.byFamily.get(f) ?? 0).padStart(9)}  ${f}`);
    console.log('\nwhat they got:');
    for (const [k, v] of [...run.counts.byOutcome.entries()].sort()) console.log(`  ${String(v).padStart(9)}  ${k}`);
    console.log(`\n${run.counts.cases} cases in ${seconds.toFixed(1)} s`);
    report('every line answered as JSON-RPC says, within the bounds, the session going on', result, ' --family mcp');
    const code = result.failed ? undefined : await run.stop();
    if (code !== undefined) console.log(`the server exited with ${code} when stdin closed`);
    if (result.failed || (code !== undefined && code !== 0)) process.exitCode = 1;
  } finally {
    await stopRaw();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report<T>(name: string, details: fc.RunDetails<T>, family = ''): void {
  if (!details.failed) {
    console.log(`PASS ${name} (${details.numRuns} cases)`);
    return;
  }
  console.log(`FAIL ${name} after ${details.numRuns} cases; seed ${details.seed}, path ${details.counterexamplePath}`);
  console.log('shrunk counterexample:');
  console.log(JSON.stringify(details.counterexample, null, 2));
  console.log(`error: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
  console.log(`replay: node -r ts-node/register/transpile-only test/fuzz/run.ts${family} --runs ${details.numRuns} --seed ${details.seed}`);
}

void main();
