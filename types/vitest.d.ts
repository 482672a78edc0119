// The stepwright matchers' types for vitest 5 and later: name this file in the tsconfig of a
// vitest project (`"types": ["stepwright/testing/vitest"]`) or reference it from a test file
// (`/// <reference types="stepwright/testing/vitest" />`). Hand-written rather than compiled:
// stepwright itself does not depend on vitest, and an augmentation of a module the compiler
// cannot find is an error. vitest 5's `Assertion` and `AsymmetricMatchersContaining` both
// extend its `Matchers<R, T>`, so one augmentation types `expect(run).toSucceed()` and
// `expect.toSucceed()` alike (vitest 4 names one type parameter: see ./vitest4.d.ts).
import type { StepwrightMatchers } from '../lib/testing/matchers';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown> extends StepwrightMatchers<R> {}
}
