// Writes the scaffolded test file of each example app (examples/*/test/*.explore.test.ts) from
// `Workflow.explore` on its stack, as `stepwright explore --write-tests` would, loading the machine
// with Workflow.fromStack like the hand-written tests beside them; and the test file and
// MockConfigFile docs/explore.md shows (test/docs/guides/explore/), as the command it shows writes
// them. Runs on the compiled library:
//   npx projen compile && npx projen example:scaffold          (--check: exit 1 when a file differs)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..');
const require = createRequire(import.meta.url);
if (!fs.existsSync(path.join(repo, 'lib', 'testing', 'index.js'))) {
  console.error('scaffold-examples: lib/ is missing; run `npx projen compile` first');
  process.exit(2);
}
// The stacks are TypeScript; 'stepwright' in them resolves to this package (lib/), as in an app.
require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
const { App } = require('aws-cdk-lib');
const { Workflow, scaffoldTests, scaffoldMockConfig } = require(path.join(repo, 'lib', 'testing', 'index.js'));

/** The examples: where the stack is, and where the scaffolded file goes (beside the hand-written one). */
export const EXAMPLES = [
  { dir: 'examples/order-workflow', module: 'lib/order-stack', stackClass: 'OrderStack', stackId: 'OrderWorkflow', out: 'test/order-workflow.explore.test.ts' },
  { dir: 'examples/vacation-booking', module: 'lib/vacation-stack', stackClass: 'VacationStack', stackId: 'VacationBooking', out: 'test/vacation-booking.explore.test.ts' },
];

const check = process.argv.includes('--check');
let stale = 0;

/** Writes `text` to `out` (or, with --check, says when it differs). */
function put(out, text, what) {
  const old = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
  if (check) {
    if (old !== text) {
      stale++;
      console.error(`${path.relative(repo, out)} differs from what scaffolding writes now; run \`npx projen example:scaffold\``);
    }
    return;
  }
  fs.writeFileSync(out, text);
  console.log(`${path.relative(repo, out)}: ${what} (${old === text ? 'unchanged' : 'written'})`);
}

// The guide's example: `stepwright explore order.asl.json --write-tests order.explore.test.ts
// --mock-config MockConfigFile.json` run in its folder (kept as order.explore.ts, which the
// repository's own jest run does not pick up: test/workbench/scaffold/docs-example.test.ts runs it).
{
  const dir = path.join(repo, 'test', 'docs', 'guides', 'explore');
  const workflow = Workflow.fromDefinition(path.join(dir, 'order.asl.json'));
  const report = await workflow.explore();
  put(path.join(dir, 'order.explore.ts'), scaffoldTests(report, {
    source: { definition: 'order.asl.json' },
    definition: workflow.definition,
    generatedBy: 'stepwright explore order.asl.json --write-tests order.explore.test.ts --mock-config MockConfigFile.json',
  }), `${report.scenarios.length} tests`);
  put(path.join(dir, 'MockConfigFile.json'), `${JSON.stringify(scaffoldMockConfig(report, { definition: workflow.definition }), null, 2)}\n`, `${report.scenarios.length} test cases`);
}

for (const ex of EXAMPLES) {
  const Stack = require(path.join(repo, ex.dir, ex.module))[ex.stackClass];
  const workflow = Workflow.fromStack(new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), ex.stackId));
  const report = await workflow.explore();
  const out = path.join(repo, ex.dir, ex.out);
  const text = scaffoldTests(report, {
    source: { stackModule: path.posix.relative(path.posix.dirname(ex.out), ex.module).replace(/^(?!\.)/, './'), stackClass: ex.stackClass, stackId: ex.stackId },
    definition: workflow.definition,
    generatedBy: 'npx projen example:scaffold',
  });
  put(out, text, `${report.scenarios.length} tests`);
}
process.exit(stale > 0 ? 1 : 0);
