/**
 * The setup file of stepwright for jest and vitest: list it in jest's
 * `setupFilesAfterEnv` or vitest's `test.setupFiles` to get the run matchers
 * and the snapshot serializer for runs and histories, installed into the
 * runner that loads it.
 * The matchers' types (`expect(run).toSucceed()`) come with
 * `stepwright/testing` and with this file alike.
 *
 * @example
 * // jest.config.js
 * module.exports = { setupFilesAfterEnv: ['stepwright/testing/setup'] };
 * // vitest.config.ts
 * export default defineConfig({ test: { setupFiles: ['stepwright/testing/setup'] } });
 * @packageDocumentation
 */
// The side-effect import is the one setup.d.ts keeps (a value import is
// dropped from it), so this file still carries the matchers' types.
// eslint-disable-next-line import/no-duplicates
import './matchers';
// eslint-disable-next-line import/no-duplicates
import { matchers } from './matchers';
import { currentTestFile, findRunner } from './runner';
import { runSerializer } from './serializer';
import { cleanSynthOutputAfterEachFile } from './synth-cleanup';

const runner = findRunner();
if (!runner) {
  throw new Error("stepwright/testing/setup must run inside jest or vitest: list it in jest's 'setupFilesAfterEnv' or in vitest's 'test.setupFiles'");
}
runner.expect.extend(matchers);
runner.expect.addSnapshotSerializer(runSerializer);

// Each test file's synthesized apps are done with when the file is: remove
// their cdk.out folders, so a test run does not fill the temp dir.
cleanSynthOutputAfterEachFile(runner, currentTestFile);

export {};
