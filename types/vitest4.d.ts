// The stepwright matchers' types for vitest 4 and 3.2: name this file in the tsconfig of a vitest 4
// or 3.2 project (`"types": ["stepwright/testing/vitest4"]`). vitest 4's `Matchers`, as 3.2's, takes one type
// parameter, the value `expect` was given, where vitest 5's takes the return type first: an
// augmentation must repeat the parameters of the interface it extends, so each major has its
// own file (./vitest.d.ts for vitest 5). Its `AsymmetricMatchersContaining` does not extend
// `Matchers`, so it is augmented too.
import type { StepwrightMatchers } from '../lib/testing/matchers';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-unused-vars
  interface Matchers<T = any> extends StepwrightMatchers<void> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface AsymmetricMatchersContaining extends StepwrightMatchers<void> {}
}
