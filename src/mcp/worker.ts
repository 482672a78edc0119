/*
 * A worker thread of `stepwright mcp` (see pool.ts): it reads only under the
 * server's folder, and answers one tool call at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CALLS, failureMessage } from './calls';
import { confineReads } from '../workbench/json-file';

const port = parentPort!;
confineReads((workerData as { root: string }).root);

port.on('message', (m: { tool: string; args: Record<string, unknown> }) => {
  const call = CALLS.get(m.tool);
  if (call === undefined) {
    port.postMessage({ ok: false, message: `no tool '${m.tool}'` });
    return;
  }
  Promise.resolve().then(() => call(m.args)).then(
    (answer) => port.postMessage({ ok: true, structured: answer.structured, ...(answer.text !== undefined ? { text: answer.text } : {}) }),
    (e: unknown) => port.postMessage({ ok: false, message: failureMessage(e).message }),
  ).catch((e: unknown) => {
    // An answer that cannot cross back (structured clone refused it) is a failure of the call, not of the worker.
    port.postMessage({ ok: false, message: failureMessage(e).message });
  });
});
port.postMessage({ ready: true });
