export { scaffoldTests } from './tests';
export type { ScaffoldSource, ScaffoldTestsOptions } from './tests';
export { scaffoldMockConfig } from './mock-config';
export type { ScaffoldMockConfigOptions } from './mock-config';
/** For `stepwright verify --write-tests`; internal, so stripped with the function it names. @internal */
export { scaffoldVerifyTests } from './verify-tests';
