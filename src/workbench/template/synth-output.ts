import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Stack } from 'aws-cdk-lib/core';
import { fieldOf } from '../../asl/own';
import { cdkLib } from '../common/cdk-lib';

/**
 * Who is told of each folder noted: the test runner's side of the harness
 * (`stepwright/testing/setup`), which knows the test file running and when
 * one ends.
 * @internal
 */
export interface SynthOutputWatcher {
  /** The test file running now (an absolute path), undefined outside one. */
  currentFile(): string | undefined;
  /** A folder was just noted, for `file` (what {@link currentFile} said). */
  noted(file: string | undefined): void;
}

/** The cdk.out folders noted, each with the test file that made it (undefined outside a runner). */
interface SynthOutputs {
  readonly dirs: Map<string, string | undefined>;
  watcher?: SynthOutputWatcher;
}

/**
 * The cdk.out folders the harness synthesized into that aws-cdk-lib made in
 * the temp dir, kept on `globalThis` so that two copies of this module (the
 * setup file's and a test's) share one list. Only this process's own apps are
 * ever listed: a folder another process made is never removed.
 */
const KEY = Symbol.for('stepwright.synthOutputs');
const outputs: SynthOutputs = sharedOutputs();

/**
 * The list another copy of this module put on `globalThis`, else a new one put there. Under a
 * symbol rather than a `declare global` name: a global declared here would reach the declarations
 * the package ships, and every program that reads them.
 */
function sharedOutputs(): SynthOutputs {
  const held = fieldOf(globalThis, KEY);
  if (isSynthOutputs(held)) return held;
  const made: SynthOutputs = { dirs: new Map() };
  Reflect.set(globalThis, KEY, made);
  return made;
}

function isSynthOutputs(value: unknown): value is SynthOutputs {
  return typeof value === 'object' && value !== null && fieldOf(value, 'dirs') instanceof Map;
}

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
  if (!CDK_TEMP_NAME.test(path.basename(dir)) || !isInside(dir, os.tmpdir())) return;
  const watcher = outputs.watcher;
  const file = watcher?.currentFile();
  outputs.dirs.set(dir, file);
  watcher?.noted(file);
}

/**
 * Removes the cdk.out folders that `Workflow.fromStack` and `templateFromStack`
 * synthesized into the temp dir. Each `App` created without an `outdir` gets
 * such a folder, and a test suite that never removes them fills the temp dir.
 * The setup file (`stepwright/testing/setup`) calls this after each test file,
 * under every pool and isolation setting of jest and vitest; without it, call
 * it in an `afterAll`. A stack synthesized again afterwards needs a new `App`.
 * @returns how many folders were removed
 * @example afterAll(() => cleanupSynthOutput());
 */
export function cleanupSynthOutput(): number {
  return removeSynthOutput(() => true);
}

/**
 * Removes the noted folders whose test file `which` accepts (undefined: made
 * outside a test file).
 * @returns how many folders were removed
 * @internal
 */
export function removeSynthOutput(which: (file: string | undefined) => boolean): number {
  let removed = 0;
  for (const [dir, file] of [...outputs.dirs]) {
    if (!which(file)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    outputs.dirs.delete(dir);
    removed++;
  }
  return removed;
}

/**
 * Sets who is told of each folder noted from now on (the last one set is told).
 * @internal
 */
export function watchSynthOutput(watcher: SynthOutputWatcher): void {
  outputs.watcher = watcher;
}

function isInside(dir: string, parent: string): boolean {
  const rel = path.relative(fs.realpathSync(parent), fs.realpathSync(dir));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
