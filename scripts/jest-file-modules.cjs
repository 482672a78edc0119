'use strict';
// Prints, as JSON, the modules of lib/ a typical jest test file of a stepwright user loads: the
// setup file, `stepwright/testing`, a Workflow from a CDK stack and from a definition, runs with
// mocks (a Lambda Task with Retry and Catch, a Choice, a Wait, a Map, a Parallel) and the
// matchers. scripts/bundle-entries.mjs puts these modules in lib/entry/stepwright.js and every
// other module in stepwright-lazy.js: jest reads, decodes and compiles the bundle a test file
// requires once per test file, so what a plain test does not run is not read for it.
//   node scripts/jest-file-modules.cjs
const path = require('node:path');
const { isDeepStrictEqual } = require('node:util');

const lib = path.join(__dirname, '..', 'lib');

// What the setup file reads of jest: its `expect` and `afterAll` (src/testing/runner.ts).
const hooks = [];
globalThis.expect = { extend() {}, addSnapshotSerializer() {}, getState: () => ({}) };
globalThis.afterAll = (fn) => hooks.push(fn);

const before = new Set(Object.keys(require.cache));
require(path.join(lib, 'testing', 'setup.js'));
const { Workflow, succeed, fail, matchers } = require(path.join(lib, 'testing', 'index.js'));

const DEFINITION = {
  StartAt: 'Call',
  States: {
    Call: {
      Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', 'Payload.$': '$' }, ResultSelector: { 'v.$': '$.Payload' }, ResultPath: '$.call',
      Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2 }], Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }], Next: 'Route',
    },
    // Two rules lead to Pause: the history alone does not say which one a run took, and coverage reads it with explore's tracer.
    Route: { Type: 'Choice', Choices: [{ Variable: '$.call.v', IsPresent: true, Next: 'Pause' }, { Variable: '$.call.v', IsNumeric: true, Next: 'Pause' }], Default: 'Done' },
    Pause: { Type: 'Wait', Seconds: 5, Next: 'Each' },
    Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } }, ResultPath: '$.each', Next: 'Both' },
    Both: { Type: 'Parallel', Branches: [{ StartAt: 'L', States: { L: { Type: 'Pass', End: true } } }, { StartAt: 'R', States: { R: { Type: 'Pass', End: true } } }], ResultPath: '$.both', Next: 'Done' },
    Done: { Type: 'Succeed', OutputPath: '$.items' },
  },
};

/** A stack as a CDK user's test builds it: a Lambda-invoking state machine. */
function stack() {
  const cdk = require('aws-cdk-lib');
  const sfn = require('aws-cdk-lib/aws-stepfunctions');
  const tasks = require('aws-cdk-lib/aws-stepfunctions-tasks');
  const lambda = require('aws-cdk-lib/aws-lambda');
  const s = new cdk.Stack(new cdk.App(), 'JestFile');
  const fn = new lambda.Function(s, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
  const call = new tasks.LambdaInvoke(s, 'Call', { lambdaFunction: fn, outputPath: '$.Payload' });
  new sfn.StateMachine(s, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(call.next(new sfn.Succeed(s, 'Done'))) });
  return s;
}

async function main() {
  const check = (name, run, ...args) => {
    const r = matchers[name].call({ isNot: false, equals: isDeepStrictEqual }, run, ...args);
    if (!r.pass) throw new Error(`jest-file-modules: ${name} did not pass: ${r.message()}`);
  };
  const fromDefinition = await Workflow.fromDefinition(DEFINITION).run({ items: [1, 2] }, { mocks: { Call: succeed({ Payload: 1 }) } });
  check('toSucceed', fromDefinition);
  check('toHaveVisited', fromDefinition, 'Each');
  check('toHaveOutput', fromDefinition, [1, 2]);
  const caught = await Workflow.fromDefinition(DEFINITION).run({ items: [] }, { mocks: { Call: fail('Lambda.ServiceException', 'down') } });
  check('toSucceed', caught);
  const fromStack = await Workflow.fromStack(stack()).run({}, { mocks: { Call: succeed({ ok: true }) } });
  check('toSucceed', fromStack);
  for (const hook of hooks) hook();
  const loaded = Object.keys(require.cache).filter((f) => !before.has(f) && f.startsWith(lib + path.sep)).map((f) => path.relative(lib, f).split(path.sep).join('/'));
  process.stdout.write(JSON.stringify(loaded.sort()));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
