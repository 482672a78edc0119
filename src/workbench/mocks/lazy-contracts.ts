/**
 * contracts/ (the check, the SDK models' index, the optimized catalogue, the shapes), loaded
 * when a mock's answer or error is first judged: a run with no mocks starts without it. Every
 * check still runs; only the load waits for it (see src/workbench/common/text.ts for yaml).
 */
type Contracts = typeof import('../../contracts/check') & typeof import('../../contracts/contract')
  & typeof import('../../contracts/error-names') & typeof import('../../contracts/optimized')
  & typeof import('../../contracts/sdk-models') & typeof import('../../contracts/shapes') & typeof import('../../contracts/job-states');

let loaded: Contracts | undefined;

/** contracts/'s modules, required on first use. @internal */
export function contracts(): Contracts {
  /* eslint-disable @typescript-eslint/no-require-imports -- synchronous load, deferred to first use */
  loaded ??= {
    ...require('../../contracts/check') as typeof import('../../contracts/check'),
    ...require('../../contracts/contract') as typeof import('../../contracts/contract'),
    ...require('../../contracts/error-names') as typeof import('../../contracts/error-names'),
    ...require('../../contracts/optimized') as typeof import('../../contracts/optimized'),
    ...require('../../contracts/sdk-models') as typeof import('../../contracts/sdk-models'),
    ...require('../../contracts/shapes') as typeof import('../../contracts/shapes'),
    ...require('../../contracts/job-states') as typeof import('../../contracts/job-states'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return loaded;
}
