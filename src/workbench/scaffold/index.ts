export { scaffoldTests } from './tests';
export type { ScaffoldSource, ScaffoldTestsOptions } from './tests';
export { scaffoldMockConfig } from './mock-config';
export type { ScaffoldMockConfigOptions } from './mock-config';
export { scaffoldVerifyTests } from './verify-tests';
