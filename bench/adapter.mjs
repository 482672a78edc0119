// Benchmark adapter for ../shared/bench (contract in its README): the compiled stepwright
// interpreter as a user imports it (`stepwright/interpreter`, lib/entry/interpreter.js: the core
// bundle, which the cold start reads), as a user who wants throughput runs it. Two AWS limits are lifted
// that several workloads exceed by design: 25,000 history events (loop-choice-10k enters
// 20,001 states) and 256 KiB payloads (map-10k's input is larger); the benchmark measures
// throughput, not those limits, which the unit tests and conformance cases cover.
// The execution history is not recorded (`recordHistory: false`, the documented option for
// long runs): the workloads never read it, and aws-local-stepfunctions keeps none, so this is
// the like-for-like comparison. STEPWRIGHT_BENCH_HISTORY=on measures with it recorded (the
// default of compileStateMachine, which keeps every state's input and output alive as
// AWS-shaped events need them).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { compileStateMachine, StatesError, RealClock } = require(path.join(here, '..', 'lib', 'entry', 'interpreter.js'));

export default function create() {
  let machine;
  return {
    name: 'stepwright',
    async prepare(definition, { taskHandler, fastTime } = {}) {
      machine = compileStateMachine(definition, {
        defaultTaskHandler: taskHandler ? (input, request) => taskHandler(request.stateName, input) : undefined,
        limits: { maxHistoryEvents: Infinity, maxPayloadBytes: Infinity },
        recordHistory: process.env.STEPWRIGHT_BENCH_HISTORY === 'on',
        // Without fastTime the bench asks for real waiting: use the wall clock.
        ...(fastTime === false ? { clock: new RealClock() } : {}),
      });
    },
    async run(input) {
      const result = await machine.start(input).result;
      if (result.status === 'SUCCEEDED') return { status: 'SUCCEEDED', output: result.output };
      return { status: result.status, error: `${result.error}: ${result.cause ?? ''}` };
    },
  };
}
export { StatesError };
