// The jest harness as a CDK user meets it, timed (needs the compiled library: `npx projen compile`):
//
//  1. A jest file (TypeScript through @swc/jest, as the README sets it up) that synthesizes a
//     stack with a Lambda-backed state machine and runs 10 executions: the wall time of the
//     whole `jest` process (warm: jest's transform cache filled by one run first), and inside the
//     file the time to synthesize and take the machine out (Workflow.fromStack) and the 10 runs.
//  2. Workflow.fromTemplate on every template in ../shared/cdk-templates (skipped when absent):
//     the slowest, and the largest by bytes and by states.
//
//   node bench/harness.mjs [--runs 5]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { answerHelp } from './cli-options.mjs';

answerHelp();

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..');
const require = createRequire(import.meta.url);
const runs = Number(process.argv.includes('--runs') ? process.argv[process.argv.indexOf('--runs') + 1] : 5);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const ms = (x) => `${x.toFixed(0)} ms`;

if (!fs.existsSync(path.join(repo, 'lib', 'testing', 'index.js'))) {
  console.error('harness: lib/ is missing; run `npx projen compile` first');
  process.exit(2);
}

// ---------------------------------------------------------------- 1. a jest file
const TEST = `
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { writeFileSync } from 'node:fs';
import { Workflow } from ${JSON.stringify(path.join(repo, 'lib', 'testing'))};

const t0 = performance.now();
const app = new App();
const stack = new Stack(app, 'Orders');
const charge = new lambda.Function(stack, 'ChargeFn', {
  runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async (e) => ({ chargeId: "ch_" + e.orderId });'),
});
const chargeCard = new tasks.LambdaInvoke(stack, 'Charge card', {
  lambdaFunction: charge,
  payload: sfn.TaskInput.fromObject({ orderId: sfn.JsonPath.stringAt('$.orderId') }),
  resultSelector: { 'chargeId.$': '$.Payload.chargeId' }, resultPath: '$.payment',
  taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
});
chargeCard.addRetry({ errors: ['Lambda.TooManyRequestsException'], maxAttempts: 3 });
const route = new sfn.Choice(stack, 'Big?')
  .when(sfn.Condition.numberGreaterThan('$.amount', 100), new sfn.Pass(stack, 'Review').next(chargeCard))
  .otherwise(chargeCard);
chargeCard.next(new sfn.Succeed(stack, 'Done'));
new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(route) });
const wf = Workflow.fromStack(stack);
const synthesized = performance.now();

it('runs 10 executions', async () => {
  const started = performance.now();
  for (let i = 0; i < 10; i++) {
    const run = await wf.run({ orderId: 'o-' + i, amount: i * 30 }, { mocks: { 'Charge card': { chargeId: 'ch_' + i } } });
    expect(run).toSucceed();
  }
  writeFileSync(process.env.HARNESS_TIMES!, JSON.stringify({ synthMs: synthesized - t0, runsMs: performance.now() - started }));
});
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-harness-'));
try {
  fs.writeFileSync(path.join(dir, 'orders.test.ts'), TEST);
  fs.writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = ${JSON.stringify({
    rootDir: dir,
    testEnvironment: 'node',
    transform: { '^.+\\.tsx?$': require.resolve('@swc/jest') },
    moduleDirectories: ['node_modules', path.join(repo, 'node_modules')],
    setupFilesAfterEnv: [path.join(repo, 'lib', 'testing', 'setup.js')],
    cacheDirectory: path.join(dir, 'jest-cache'),
  })};\n`);
  const jest = path.join(path.dirname(require.resolve('jest/package.json')), 'bin', 'jest.js');
  const times = path.join(dir, 'times.json');
  const wall = [];
  const inFile = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [jest, '--config', path.join(dir, 'jest.config.js'), '--silent'], {
      encoding: 'utf8', env: { ...process.env, HARNESS_TIMES: times, CI: 'true' },
    });
    const elapsed = performance.now() - t0;
    if (r.status !== 0) {
      console.error(r.stdout, r.stderr);
      // Thrown, not process.exit: the finally below still removes the temp dir.
      throw new Error(`harness: jest exited with ${r.status}`);
    }
    if (i === 0) continue; // fills jest's transform cache: the runs after it are warm, as a developer's are
    wall.push(elapsed);
    inFile.push(JSON.parse(fs.readFileSync(times, 'utf8')));
  }
  console.log(`| jest file: synthesize a stack, run 10 executions (median of ${runs}, warm) | |`);
  console.log('| --- | --- |');
  console.log(`| whole jest process | ${ms(median(wall))} (${ms(Math.min(...wall))}–${ms(Math.max(...wall))}) |`);
  console.log(`| in the file: import + synth + Workflow.fromStack | ${ms(median(inFile.map((t) => t.synthMs)))} |`);
  console.log(`| in the file: 10 executions | ${ms(median(inFile.map((t) => t.runsMs)))} |`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------- 2. fromTemplate on the corpus
const corpus = path.join(repo, '..', 'shared', 'cdk-templates');
if (!fs.existsSync(corpus)) {
  console.log(`\n(../shared/cdk-templates not found beside this checkout: fromTemplate on the corpus skipped)`);
} else {
  const { Workflow } = require(path.join(repo, 'lib', 'testing'));
  const rows = [];
  for (const file of fs.readdirSync(corpus).filter((f) => f.endsWith('.template.json'))) {
    const text = fs.readFileSync(path.join(corpus, file), 'utf8');
    const template = JSON.parse(text);
    const machines = Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine').map(([id]) => id);
    for (const id of machines) {
      const times = [];
      let states = 0;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const wf = Workflow.fromTemplate(template, { stateMachine: id });
        times.push(performance.now() - t0);
        states = countStates(wf.definition);
      }
      rows.push({ file, id, bytes: text.length, states, first: times[0], warm: median(times.slice(1)) });
    }
  }
  const show = (label, r) => console.log(`| ${label} | ${r.file} (${r.id}) | ${(r.bytes / 1024).toFixed(0)} KiB, ${r.states} states | ${r.first.toFixed(1)} ms | ${r.warm.toFixed(1)} ms |`);
  console.log(`\n| Workflow.fromTemplate, ${rows.length} machines | template | size | first call | warm (median of 4) |`);
  console.log('| --- | --- | --- | --- | --- |');
  show('largest by bytes', rows.reduce((a, b) => (b.bytes > a.bytes ? b : a)));
  show('largest by states', rows.reduce((a, b) => (b.states > a.states ? b : a)));
  show('slowest first call', rows.reduce((a, b) => (b.first > a.first ? b : a)));
}

function countStates(def) {
  let n = 0;
  const visit = (machine) => {
    for (const state of Object.values(machine.States ?? {})) {
      n++;
      for (const branch of state.Branches ?? []) visit(branch);
      if (state.ItemProcessor ?? state.Iterator) visit(state.ItemProcessor ?? state.Iterator);
    }
  };
  visit(def);
  return n;
}
