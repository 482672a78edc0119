import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/** Compiles the TypeScript sources a thread requires (the suite's own loader, shared with the server's child processes). */
const REGISTER = path.join(__dirname, 'server', 'fixtures', 'register-ts.js');

const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.register);
Promise.resolve()
  .then(() => require(workerData.file)[workerData.name](...workerData.args))
  .then((value) => parentPort.postMessage({ ok: true, value }), (e) => parentPort.postMessage({ ok: false, message: String((e && e.stack) || e) }));
`;

/**
 * Calls `name(...args)` of the TypeScript module `file` in a worker thread and resolves with what
 * it returns (arguments and result are structured-cloned). For work that builds a TypeScript
 * program over src/ and aws-cdk-lib's declarations (the guides' type-check held 1.4 GB of heap):
 * its memory goes with the thread, where in the test's own process it stayed until the jest worker
 * ended, and a worker that size took longer to exit than the 500 ms jest gives it, which jest
 * reports as "A worker process has failed to exit gracefully".
 */
export function inThread<T>(file: string, name: string, args: readonly unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(THREAD, {
      eval: true,
      workerData: { register: REGISTER, file, name, args },
      // As much heap as node gives the jest worker itself: a thread's default is smaller.
      resourceLimits: { maxOldGenerationSizeMb: 4096 },
    });
    let answer: { ok: true; value: T } | { ok: false; message: string } | undefined;
    // Settled once the thread has ended, its memory given back: a thread still tearing down a
    // gigabyte when the test file ends would hold the jest worker past jest's 500 ms all the same.
    worker.once('message', (m: typeof answer) => {
      answer = m;
      void worker.terminate();
    });
    worker.once('error', (e) => { answer = { ok: false, message: String(e.stack ?? e) }; });
    worker.once('exit', (code) => {
      if (answer?.ok) resolve(answer.value);
      else reject(new Error(`${name} in a worker thread: ${answer?.message ?? `the thread exited with ${code} before it answered`}`));
    });
  });
}
