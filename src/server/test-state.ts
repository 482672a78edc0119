/*
 * AWS's TestState as a call, with no server running: the request checked, run and answered as
 * serve answers it, failing with the ApiError AWS would send. `stepwright mcp`'s test_state tool
 * calls it here; besides index.ts, this is the one module of server/ another layer imports.
 */
export { testStateRequest } from './operations/machines';
export { ApiError } from './api-errors';
