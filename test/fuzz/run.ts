/**
 * The long fuzz run: `npx projen fuzz` (10^6 cases), or
 * `node -r ts-node/register/transpile-only test/fuzz/run.ts --runs 5000 --seed 42 [--minutes 30] [--all]`.
 * Prints the count of each outcome class and the rate; on a failure, the
 * shrunk counterexample and the seed to replay it with, and exits 1.
 */
import fc from 'fast-check';
import { ALL_FAMILIES, caseArb, documentArb, jsonPathArb, SAFE_FAMILIES } from './arbitraries';
import { checkCase, checkJsonPathAgreement } from './property';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const runs = Number(flag('runs') ?? 1_000_000);
  const seed = Number(flag('seed') ?? Date.now() % 2 ** 31);
  // --minutes stops the run early (the counts then cover the cases run); a stop is not a failure.
  const minutes = flag('minutes');
  const budget = minutes !== undefined ? { interruptAfterTimeLimit: Number(minutes) * 60_000, markInterruptAsFailure: false } : {};
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

function report<T>(name: string, details: fc.RunDetails<T>): void {
  if (!details.failed) {
    console.log(`PASS ${name} (${details.numRuns} cases)`);
    return;
  }
  console.log(`FAIL ${name} after ${details.numRuns} cases; seed ${details.seed}, path ${details.counterexamplePath}`);
  console.log('shrunk counterexample:');
  console.log(JSON.stringify(details.counterexample, null, 2));
  console.log(`error: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
  console.log(`replay: node -r ts-node/register/transpile-only test/fuzz/run.ts --runs ${details.numRuns} --seed ${details.seed}`);
}

void main();
