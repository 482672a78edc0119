import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COVERAGE_DIR_ENV, resetCoverage } from '../../src/testing/coverage';

/**
 * Gives each test of the calling `describe` an empty coverage folder and a reset coverage
 * store, with `COVERAGE_DIR_ENV` unset while it runs and restored after: the reporter's tests
 * must not read or write the coverage of the jest run that runs them.
 * @returns a function answering the current test's folder
 */
export function useCoverageRoot(prefix: string): () => string {
  let root = '';
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[COVERAGE_DIR_ENV];
    delete process.env[COVERAGE_DIR_ENV];
    resetCoverage();
    root = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[COVERAGE_DIR_ENV];
    else process.env[COVERAGE_DIR_ENV] = saved;
    rmSync(root, { recursive: true, force: true });
  });
  return () => root;
}
