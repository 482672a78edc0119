// Benchmark adapter for ../shared/bench (contract in its README): the compiled stepwright
// interpreter from lib/, with its defaults (history recorded, virtual clock) except two AWS
// limits that several workloads exceed by design: 25,000 history events (loop-choice-10k enters
// 20,001 states) and 256 KiB payloads (map-10k's input is larger). The benchmark measures
// throughput, not those limits, which the unit tests and conformance cases cover.
// STEPWRIGHT_BENCH_HISTORY=off measures without recording the execution history (AWS-shaped
// events keep every state's input and output alive, which the garbage collector pays for);
// aws-local-stepfunctions records no history, so this is the like-for-like comparison.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { compileStateMachine, StatesError, RealClock } = require(path.join(here, '..', 'lib', 'interpreter', 'index.js'));

export default function create() {
  let machine;
  return {
    name: 'stepwright',
    async prepare(definition, { taskHandler, fastTime } = {}) {
      machine = compileStateMachine(definition, {
        defaultTaskHandler: taskHandler ? (input, request) => taskHandler(request.stateName, input) : undefined,
        limits: { maxHistoryEvents: Infinity, maxPayloadBytes: Infinity },
        recordHistory: process.env.STEPWRIGHT_BENCH_HISTORY !== 'off',
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
