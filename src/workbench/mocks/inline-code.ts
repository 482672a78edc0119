import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { MockFunction } from './answers';
import { memberOf } from '../../asl/own';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import type { InlineCode } from '../../cfn';

type Handler = (event: unknown, context: unknown, callback?: (err: unknown, result?: unknown) => void) => unknown;

/**
 * The handler of a Lambda function's inline code (`lambda.Code.fromInline`),
 * loaded the way the Node.js runtime loads `index.js`: as a CommonJS module
 * whose `require` resolves from the project under test (where the packages the
 * code needs are installed). Undefined for a runtime other than Node.js.
 * Callback-style handlers `(event, context, callback)` work too.
 * @internal
 */
export function inlineCodeHandler(code: InlineCode, functionName: string): MockFunction | undefined {
  if (code.runtime !== undefined && !code.runtime.startsWith('nodejs')) return undefined;
  const dot = code.handler.lastIndexOf('.');
  const exportName = dot < 0 ? code.handler : code.handler.slice(dot + 1);
  const filename = path.join(process.cwd(), `${functionName}.inline.js`);
  // The code may replace its exports (`module.exports = …`) with anything: they are read as found.
  const module: { exports: unknown } = { exports: {} };
  try {
    // `new Function` (not vm) so that the code's objects and errors belong to this realm, as the harness's checks expect.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const load = new Function('exports', 'require', 'module', '__filename', '__dirname', code.source);
    load(module.exports, createRequire(filename), module, filename, path.dirname(filename));
  } catch (e) {
    throw new StatesError(StatesErrors.RUNTIME, `the inline code of Lambda function ${functionName} does not load as a CommonJS module ` +
      `(${(e as Error).name}: ${(e as Error).message}); mock the Task instead`);
  }
  // Read as AWS Lambda's Node.js runtime reads it: a member of the exports, inherited ones too.
  const handler = memberOf(module.exports, exportName);
  if (typeof handler !== 'function') {
    throw new StatesError(StatesErrors.RUNTIME, `the inline code of Lambda function ${functionName} exports no function '${exportName}' (its Handler is '${code.handler}'); mock the Task instead`);
  }
  const fn = handler as Handler;
  if (fn.length < 3) return (event, context) => fn(event, context);
  return (event, context) => new Promise((resolve, reject) => {
    const settled = fn(event, context, (err, result) => (err ? reject(err) : resolve(result)));
    if (settled && typeof (settled as Promise<unknown>).then === 'function') (settled as Promise<unknown>).then(resolve, reject);
  });
}
