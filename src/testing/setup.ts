/**
 * The jest setup file of stepwright: list it in `setupFilesAfterEnv` to get
 * the run matchers and the snapshot serializer for runs and histories.
 * The matchers' types (`expect(run).toSucceed()`) come with
 * `stepwright/testing` and with this file alike.
 *
 * @example
 * // jest.config.js
 * module.exports = { setupFilesAfterEnv: ['stepwright/testing/setup'] };
 * @packageDocumentation
 */
// The side-effect import is the one setup.d.ts keeps (a value import is
// dropped from it), so this file still carries the matchers' types.
// eslint-disable-next-line import/no-duplicates
import './matchers';
// eslint-disable-next-line import/no-duplicates
import { matchers } from './matchers';
import { runSerializer } from './serializer';
import { cleanupSynthOutput } from '../workbench/template/synth-output';

// jest provides `expect` as a global in setupFilesAfterEnv; read it from there so
// this module does not import jest itself.
const jestExpect = (globalThis as unknown as { expect?: { extend(m: object): void; addSnapshotSerializer(s: object): void } }).expect;
if (!jestExpect) {
  throw new Error("stepwright/testing/setup must run inside jest: list it in jest's 'setupFilesAfterEnv'");
}
jestExpect.extend(matchers);
jestExpect.addSnapshotSerializer(runSerializer);

// Each test file's synthesized apps are done with when the file is: remove
// their cdk.out folders, so a test run does not fill the temp dir.
const jestAfterAll = (globalThis as unknown as { afterAll?: (fn: () => void) => void }).afterAll;
// jest allows hooks only outside tests: loaded from inside one, there is no file-level hook to add.
const insideTest = (jestExpect as unknown as { getState?: () => { currentTestName?: string } }).getState?.().currentTestName !== undefined;
if (!insideTest) jestAfterAll?.(() => { cleanupSynthOutput(); });

export {};
