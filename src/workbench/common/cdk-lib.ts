/**
 * aws-cdk-lib, loaded when a test first hands stepwright a construct. jest evaluates every module a
 * test file imports again for each file, and aws-cdk-lib's index alone is one of the largest; a test
 * that runs machines from templates or definitions never needs it, and one that synthesizes a stack
 * has loaded it already.
 */
export function cdkLib(): typeof import('aws-cdk-lib/core') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
  return require('aws-cdk-lib/core') as typeof import('aws-cdk-lib/core');
}
