import { workerData, type MessagePort } from 'node:worker_threads';
import { loadPropertyModule, thrownText } from './property-module';
import { SIGNAL, type PropertyCall, type PropertyAnswer, type PropertyReply, type PropertyExport, type ThreadData } from './property-protocol';
import type { StateMachineDefinition } from '../../asl';
import { CommandInputError } from '../common/command-errors';
import { WorkflowRun, type WorkflowRunData } from '../workflow/workflow-run';

/*
 * The thread a property module lives in (property-host.ts starts it): it loads the module, says
 * what it exports, and calls its functions of the run, one call per message, answering each on
 * the port and waking verify, which waits for the answer no longer than its limit.
 */

const { file, port, signal: buffer } = workerData as ThreadData;
const signal = new Int32Array(buffer);

/** Answers on the port, then wakes verify: the answer is in the port's queue before the count moves. */
function answer(to: MessagePort, message: unknown): void {
  to.postMessage(message);
  Atomics.add(signal, SIGNAL.answers, 1);
  Atomics.notify(signal, SIGNAL.answers);
}

// A module or predicate that calls process.exit would end the thread with no answer, read by
// verify as a hang: it throws instead, so the load fails naming it, or the predicate throws.
process.exit = ((code?: number | string | null) => {
  throw new Error(`it called process.exit(${code ?? ''}), which would end verify before its report`);
}) as typeof process.exit;

// What the module throws outside a call (a timer's callback, a promise it left to reject) answers no
// call: it is told on standard error and the thread goes on. Left to node, the thread would end
// through the process.exit above, which throws here: a stack of verify's own code on standard
// error, and the next call, whichever property it is, blamed for the crash after a wait.
process.on('uncaughtException', (e: unknown) => {
  process.stderr.write(`the property module ${file} threw outside any call of its functions (from a timer or a promise it left), which no verdict reads: ${thrownText(e)}\n`);
});

const functions = new Map<string, (run: unknown) => unknown>();
let definition: StateMachineDefinition | undefined;
let current: { id: number; run: WorkflowRun } | undefined;

function describeExports(entries: Array<[string, unknown]>): PropertyExport[] {
  return entries.map(([name, value]): PropertyExport => {
    try {
      if (typeof value === 'function') {
        functions.set(name, value as (run: unknown) => unknown);
        return { name, kind: 'function', source: Function.prototype.toString.call(value) };
      }
      if (value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'run' && typeof (value as { test?: unknown }).test === 'function') {
        const test = (value as { test: (run: unknown) => unknown }).test;
        functions.set(name, (run) => test.call(value, run));
        const { test: _test, ...rest } = value as Record<string, unknown>;
        return { name, kind: 'run', source: Function.prototype.toString.call(test), rest: structuredClone(rest) };
      }
      return { name, kind: 'value', value: structuredClone(value) };
    } catch (e) {
      return { name, kind: 'unreadable', message: thrownText(e) };
    }
  });
}

function call(m: PropertyCall): PropertyAnswer {
  if (m.definition !== undefined) definition = m.definition;
  if (m.run !== undefined) current = { id: m.runId, run: WorkflowRun.fromData(m.run as WorkflowRunData, definition) };
  const fn = functions.get(m.name);
  if (!fn || current?.id !== m.runId) return { threw: `verify's thread has no function '${m.name}' or no run ${m.runId}` };
  let got: unknown;
  try {
    got = fn(current.run);
  } catch (e) {
    return { threw: thrownText(e) };
  }
  if (typeof got === 'boolean') return { value: got };
  if (isThenable(got)) {
    // Never left to end the thread as an unhandled rejection.
    Promise.resolve(got).catch(() => undefined);
    return { returned: 'promise' };
  }
  if (typeof got === 'function') return { returned: 'function' };
  if (typeof got === 'symbol') return { returned: 'symbol' };
  try {
    return { returned: 'value', value: structuredClone(got) };
  } catch {
    return { returned: 'function' };
  }
}

/** Whether a value returned is a promise (or any thenable); a `then` that throws when read makes it none. */
function isThenable(got: unknown): boolean {
  if (got === null || (typeof got !== 'object' && typeof got !== 'function')) return false;
  try {
    return typeof (got as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

port.on('message', (m: PropertyCall) => answer(port, { callId: m.callId, answer: call(m) } satisfies PropertyReply));

Atomics.store(signal, SIGNAL.ready, 1);
Atomics.notify(signal, SIGNAL.ready);
loadPropertyModule(file).then(
  (entries) => answer(port, { loaded: describeExports(entries) }),
  (e: unknown) => answer(port, { failed: e instanceof CommandInputError ? e.message : `cannot load the property module ${file}: ${thrownText(e)}` }),
);
