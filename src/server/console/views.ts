/*
 * What the console's execution and compare pages need, in one module the server loads on the
 * first such request (server/lazy.ts): they draw with render's code and compare with the diff's,
 * which reach the interpreter, and serve answers its first request without loading it.
 */
export { compareExecutions } from './compare';
export { ExecutionDigest } from './execution-view';
