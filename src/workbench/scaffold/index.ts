export { scaffoldTests } from './tests';
/** The runners `--runner` takes; internal, as the CLI is its one user. @internal */
export { TEST_RUNNERS } from './tests';
export type { ScaffoldParameter, ScaffoldParameters, ScaffoldSource, ScaffoldTestsOptions, TestRunner } from './tests';
export type { TestFileFormat } from './module-format';
export { scaffoldMockConfig } from './mock-config';
export type { ScaffoldMockConfigOptions } from './mock-config';
/** For `stepwright verify --write-tests`; internal, so stripped with the function it names. @internal */
export { scaffoldVerifyTests } from './verify-tests';
