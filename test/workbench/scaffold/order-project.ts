import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * The user's project `--write-tests` writes into, for the tests that run what it writes with the
 * real jest and vitest (file-formats.test.ts, vitest-files.test.ts).
 */

const ORDER = path.resolve(__dirname, '../../docs/guides/explore/order.asl.json');

/** verify's property module, as a CommonJS project writes it. */
export const PROPERTIES_CJS = [
  "exports.neverReview = { kind: 'never', state: 'Review' };",
  "exports.succeedsOrDeclines = (run) => run.status === 'SUCCEEDED' || run.error === 'Declined';",
  '',
].join('\n');

/** verify's property module, as an ES module project writes it. */
export const PROPERTIES_ESM = [
  "export const neverReview = { kind: 'never', state: 'Review' };",
  "export const succeedsOrDeclines = (run) => run.status === 'SUCCEEDED' || run.error === 'Declined';",
  '',
].join('\n');

/**
 * A project folder under `root` with the order machine and a package.json (`"type": "module"`
 * when `esm`). Its Charge retries two errors by two rules, so that explore finds two scenarios
 * told apart only by their Task answers: the file holds an it.each table.
 */
export function orderProject(root: string, name: string, esm: boolean): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true, ...(esm ? { type: 'module' } : {}) }));
  const order = JSON.parse(fs.readFileSync(ORDER, 'utf8')) as { States: Record<string, object> };
  order.States.Charge = {
    ...order.States.Charge,
    Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 1 }, { ErrorEquals: ['Lambda.ServiceException'], MaxAttempts: 1 }],
  };
  fs.writeFileSync(path.join(dir, 'order.asl.json'), JSON.stringify(order));
  return dir;
}
