// What the checks of ../shared data (conformance, validation, serve-api) share: where the data
// is, what a checkout without it does, and the line each adds to the CI summary.
//
// The data (AWS-recorded executions and API answers, the validator corpus) is kept beside the
// clone, not in it: a fresh clone of this repository alone has none, and each check then says
// SKIPPED, what it needs and where its figure is measured, and exits 0. Under
// STEPWRIGHT_REQUIRE_SHARED=1 (CI, where the data is beside its clone) a missing folder fails
// instead, as the tests do. With STEPWRIGHT_SUMMARY naming a file, each check appends one line,
// `<name>\t<PASSED|FAILED|SKIPPED>\t<detail>`, which .ci/run prints as its summary.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The folder the shared data is in: STEPWRIGHT_SHARED, else ../shared beside the checkout. */
export const sharedDir = process.env.STEPWRIGHT_SHARED ?? path.join(root, '..', 'shared');

/** Adds the check's outcome to the CI summary, when one is kept. */
export function summarize(name, outcome, detail) {
  const file = process.env.STEPWRIGHT_SUMMARY;
  if (file) fs.appendFileSync(file, `${name}\t${outcome}\t${detail.replace(/[\t\n]+/g, ' ')}\n`);
}

/**
 * The runner of ../shared/<part>, or, when it is absent, a SKIPPED line saying what the check
 * needs (and exit 0, or 1 under STEPWRIGHT_REQUIRE_SHARED=1).
 * @param what what the folder holds, for the message
 */
export function sharedRunner(name, part, what) {
  const runner = path.join(sharedDir, part, 'run.mjs');
  if (fs.existsSync(runner)) return runner;
  const why = `needs ${path.join(sharedDir, part)} (${what}), which is kept beside the checkout, not in this repository, `
    + 'and is not there; the figures in the README are measured by CI, where it is (docs/contributing.md, "What the figures rest on")';
  summarize(name, 'SKIPPED', why);
  if (process.env.STEPWRIGHT_REQUIRE_SHARED === '1') {
    console.error(`${name}: SKIPPED, which STEPWRIGHT_REQUIRE_SHARED=1 does not allow: ${why}`);
    process.exit(1);
  }
  console.log(`${name}: SKIPPED — ${why}`);
  process.exit(0);
}
