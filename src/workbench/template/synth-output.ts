import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Stack } from 'aws-cdk-lib/core';
import { cdkLib } from '../common/cdk-lib';

/**
 * The cdk.out folders the harness synthesized into that aws-cdk-lib made in
 * the temp dir, kept on `globalThis` so that two copies of this module (the
 * setup file's and a test's) share one list.
 */
const KEY = Symbol.for('stepwright.synthOutput');
const scope = globalThis as unknown as Record<symbol, Set<string> | undefined>;
const created: Set<string> = scope[KEY] ?? (scope[KEY] = new Set<string>());

/** aws-cdk-lib names the folder of an `App` given no `outdir` `cdk.out` plus six random characters. */
const CDK_TEMP_NAME = /^cdk\.out[A-Za-z0-9]{6}$/;

/**
 * Notes the synthesis output of the app a stack belongs to, when aws-cdk-lib
 * made it in the temp dir (an `App` without `outdir`): {@link cleanupSynthOutput}
 * removes it. A folder the user chose (`new App({ outdir })`) is never noted.
 * @internal
 */
export function noteSynthOutput(stack: Stack): void {
  const root = stack.node.root;
  if (!cdkLib().Stage.isStage(root)) return;
  const dir = root.outdir;
  if (CDK_TEMP_NAME.test(path.basename(dir)) && isInside(dir, os.tmpdir())) created.add(dir);
}

/**
 * Removes the cdk.out folders that `Workflow.fromStack` and `templateFromStack`
 * synthesized into the temp dir. Each `App` created without an `outdir` gets
 * such a folder, and a test suite that never removes them fills the temp dir.
 * The setup file (`stepwright/testing/setup`) calls this after each test file;
 * without it, call it in an `afterAll`. A stack synthesized again afterwards
 * needs a new `App`.
 * @returns how many folders were removed
 * @example afterAll(() => cleanupSynthOutput());
 */
export function cleanupSynthOutput(): number {
  let removed = 0;
  for (const dir of created) {
    fs.rmSync(dir, { recursive: true, force: true });
    created.delete(dir);
    removed++;
  }
  return removed;
}

function isInside(dir: string, parent: string): boolean {
  const rel = path.relative(fs.realpathSync(parent), fs.realpathSync(dir));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
