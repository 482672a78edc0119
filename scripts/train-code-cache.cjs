'use strict';
// Makes the V8 code caches of the engine's two bundles (lib/entry/*.bundle.js.v8cache), run by
// scripts/bundle-entries.mjs after it writes them. V8's cache holds the functions compiled by the
// time it is made, so the bundles are loaded and a few machines run first: what importing
// stepwright/interpreter and a first execution of each kind of state compile, and no more (every
// function in the cache is read back at each import, used or not).
//   node scripts/train-code-cache.cjs
const fs = require('node:fs');
const path = require('node:path');

const entry = path.join(__dirname, '..', 'lib', 'entry');
const loader = require(path.join(entry, 'code-cache.js'));
loader.training = true;
const { compileStateMachine } = require(path.join(entry, 'interpreter.js'));

const MACHINES = [
  // JSONPath data flow, a Choice, the terminal states.
  [{
    StartAt: 'Shape',
    States: {
      Shape: { Type: 'Pass', InputPath: '$.order', Parameters: { 'id.$': '$.id', 'n.$': 'States.ArrayLength($.items)', kind: 'order' }, ResultPath: '$.shaped', Next: 'Route' },
      Route: { Type: 'Choice', Choices: [{ Variable: '$.shaped.n', NumericGreaterThan: 1, Next: 'Many' }, { And: [{ Variable: '$.shaped.kind', StringEquals: 'order' }, { Variable: '$.shaped.id', IsPresent: true }], Next: 'One' }], Default: 'None' },
      Many: { Type: 'Succeed', OutputPath: '$.shaped' },
      One: { Type: 'Pass', Result: { one: true }, End: true },
      None: { Type: 'Fail', Error: 'Empty', Cause: 'no items' },
    },
  }, { order: { id: 'o-1', items: [1, 2, 3] } }],
  // A Task with Retry and Catch, a Wait on the virtual clock, a Map and a Parallel.
  [{
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', 'Payload.$': '$' }, ResultSelector: { 'v.$': '$.Payload' }, ResultPath: '$.call',
        Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2 }], Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }], Next: 'Flaky',
      },
      // Fails once, then succeeds: an error named by the service, matched by a retrier, and the back-off on the clock.
      Flaky: {
        Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'flaky', 'Payload.$': '$' }, ResultPath: '$.flaky',
        Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 }], Next: 'Failing',
      },
      // Fails for good, caught: a catcher's ResultPath with the error and its cause.
      Failing: {
        Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'failing', 'Payload.$': '$' }, ResultPath: '$.failing',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Pause' }], End: true,
      },
      Pause: { Type: 'Wait', Seconds: 5, Next: 'Each' },
      Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } }, ResultPath: '$.each', Next: 'Both' },
      Both: { Type: 'Parallel', Branches: [{ StartAt: 'L', States: { L: { Type: 'Pass', End: true } } }, { StartAt: 'R', States: { R: { Type: 'Pass', End: true } } }], ResultPath: '$.both', Next: 'Done' },
      Done: { Type: 'Succeed' },
    },
  }, { items: [1, 2] }],
  // JSONata: Arguments, Output, Assign and a Choice Condition.
  [{
    QueryLanguage: 'JSONata',
    StartAt: 'Add',
    States: {
      Add: { Type: 'Pass', Assign: { total: '{% $sum($states.input.items) %}' }, Output: '{% $states.input %}', Next: 'Big' },
      Big: { Type: 'Choice', Choices: [{ Condition: '{% $total > 2 %}', Next: 'Yes' }], Default: 'No' },
      Yes: { Type: 'Succeed', Output: '{% {"total": $total} %}' },
      No: { Type: 'Succeed' },
    },
  }, { items: [1, 2] }],
];

/** Answers with the payload, but Flaky fails its first call and Failing every call, as a service would. */
function trainingHandler() {
  let flakyCalls = 0;
  return (payload, request) => {
    const state = request.stateName;
    if ((state === 'Flaky' && flakyCalls++ === 0) || state === 'Failing') {
      const error = new Error(`${state} failed`);
      error.name = state === 'Flaky' ? 'Lambda.TooManyRequestsException' : 'Lambda.ServiceException';
      throw error;
    }
    return payload;
  };
}

async function main() {
  for (const [definition, input] of MACHINES) {
    const result = await compileStateMachine(definition, { defaultTaskHandler: trainingHandler() }).start(input).result;
    if (result.status !== 'SUCCEEDED') throw new Error(`train-code-cache: a training machine ended ${result.status}: ${JSON.stringify(result)}`);
  }
  const made = [];
  for (const [file, { script, source }] of loader.scripts) {
    const data = script.createCachedData();
    fs.writeFileSync(path.join(entry, `${file}.v8cache`), Buffer.concat([Buffer.from(`${loader.header(source)}\n`), data]));
    made.push(`${file} ${(data.length / 1024).toFixed(0)} KiB`);
  }
  if (made.length !== 2) throw new Error(`train-code-cache: expected the engine's two bundles to load, got ${made.join(', ') || 'none'}`);
  console.log(`code caches: ${made.join(', ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
