/**
 * Removing the cdk.out folders the harness made, after each test file, under every pool and
 * isolation setting of jest and vitest.
 *
 * The setup file's body runs once per module instance. jest loads it afresh for every test file,
 * so the `afterAll` it adds is that file's. vitest loads it once per worker wherever it keeps
 * modules between files (`isolate: false`, and its vm pools, which keep a package's modules for
 * the worker's life): only the worker's first file would get the hook. So each folder is also
 * removed:
 * - when the next test file in the same worker synthesizes (a worker runs one file at a time, so
 *   a folder another file made is done with), and that file gets an `afterAll` of its own when it
 *   synthesizes outside a test (vitest only: jest reports a hook added after its tests started as
 *   an error, and its setup file already added one);
 * - when vitest's worker ends (its `onCleanup`), for what the last file made inside a test.
 * @packageDocumentation
 */
import type { Runner } from './runner';
import { cleanupSynthOutput, removeSynthOutput, watchSynthOutput } from '../workbench/template/synth-output';

/**
 * Removes the synthesized apps' folders after each test file in `runner`; `currentFile` says
 * which test file is running. Only folders this process noted are removed.
 * @internal
 */
export function cleanSynthOutputAfterEachFile(runner: Runner, currentFile: () => string | undefined): void {
  const hooked = new Set<string | undefined>();
  const insideTest = () => runner.expect.getState?.().currentTestName !== undefined;
  /** Adds `file`'s afterAll, where the runner takes one now. */
  const hook = (file: string | undefined) => {
    if (hooked.has(file) || runner.afterAll === undefined || insideTest()) return;
    hooked.add(file);
    runner.afterAll(() => { cleanupSynthOutput(); });
  };
  // jest allows hooks only outside tests: loaded from inside one, there is no file-level hook to add.
  hook(currentFile());
  runner.onWorkerEnd?.(() => { cleanupSynthOutput(); });
  watchSynthOutput({
    currentFile,
    noted: (file) => {
      // The files that made the others ran before this one in this worker: they are done.
      removeSynthOutput((made) => made !== file);
      if (runner.name === 'vitest') hook(file);
    },
  });
}
