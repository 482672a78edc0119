/*
 * A worker thread of `stepwright mcp` (see pool.ts): it reads only under the
 * server's folder, and answers one tool call at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { boundAnswer } from './answer-bound';
import { allowAws, boundCallTime, callTool, failureMessage } from './calls';
import { confineReads } from '../workbench/common';

const port = parentPort!;
confineReads((workerData as { root: string }).root);
allowAws((workerData as { allowAws?: boolean }).allowAws === true);
boundCallTime((workerData as { timeoutMs: number }).timeoutMs);

port.on('message', (m: { tool: string; args: unknown }) => {
  Promise.resolve().then(() => callTool(m.tool, m.args)).then(
    (full) => {
      const bounded = boundAnswer(m.tool, full);
      if ('error' in bounded) {
        port.postMessage({ ok: false, message: bounded.error });
        return;
      }
      const { structured, text } = bounded.answer;
      port.postMessage({ ok: true, structured, ...(text !== undefined ? { text } : {}) });
    },
    (e: unknown) => port.postMessage({ ok: false, message: failureMessage(e).message }),
  ).catch((e: unknown) => {
    // An answer that cannot cross back (structured clone refused it) is a failure of the call, not of the worker.
    port.postMessage({ ok: false, message: failureMessage(e).message });
  });
});
port.postMessage({ ready: true });
