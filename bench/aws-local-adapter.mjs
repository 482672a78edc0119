// aws-local-stepfunctions 3.0.0 (the reference every ratio of ../shared/bench is taken against),
// run as ../shared/bench/adapters/aws-local.mjs runs it: Task states answered by the workload's
// mock, Wait and Retry delays overridden to 0 ms. It is loaded from the folder bench/run.mjs
// installs it into (../shared is read-only, so its own node_modules cannot be used).
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// 3.x declares node >= 22 for Promise.withResolvers alone (its Task states): the same polyfill as the shared adapter.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

function walkStates(def, fn) {
  for (const [name, st] of Object.entries(def.States ?? {})) {
    fn(name, st);
    if (st.Type === 'Parallel') for (const b of st.Branches ?? []) walkStates(b, fn);
    if (st.Type === 'Map') {
      const p = st.ItemProcessor ?? st.Iterator;
      if (p) walkStates(p, fn);
    }
  }
}

export default async function create() {
  const home = process.env.STEPWRIGHT_BENCH_REFERENCE;
  const entry = createRequire(path.join(home, 'package.json')).resolve('aws-local-stepfunctions');
  const { StateMachine } = await import(pathToFileURL(entry).href);
  let sm;
  let runOptions;
  return {
    name: 'aws-local-stepfunctions',
    async prepare(definition, opts = {}) {
      sm = new StateMachine(definition, { validationOptions: { checkPaths: true, checkArn: true } });
      const tasks = {}, waits = {}, retries = {};
      walkStates(definition, (name, st) => {
        if (st.Type === 'Task') tasks[name] = (input) => opts.taskHandler(name, input);
        if (st.Type === 'Wait') waits[name] = 0;
        if (st.Retry) retries[name] = 0;
      });
      const overrides = { taskResourceLocalHandlers: tasks };
      if (opts.fastTime) {
        overrides.waitTimeOverrides = waits;
        overrides.retryIntervalOverrides = retries;
      }
      runOptions = { overrides };
    },
    async run(input) {
      try {
        return { status: 'SUCCEEDED', output: await sm.run(input, runOptions).result };
      } catch (e) {
        const cause = e.cause ?? e;
        return { status: 'FAILED', error: `${cause.name}: ${cause.message}` };
      }
    },
  };
}
