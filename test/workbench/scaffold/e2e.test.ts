import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { requireCompiledLibrary, ROOT, runJest, typeCheck, type JestFileResult } from './consumer';
import { OrderStack } from '../../../examples/order-workflow/lib/order-stack';
import { VacationStack } from '../../../examples/vacation-booking/lib/vacation-stack';
import type { JsonValue } from '../../../src/asl/definition-types';
import type { ExploreReport } from '../../../src/explore/report-types';
import { scaffoldMockConfig, scaffoldTests, Workflow, type ScaffoldSource } from '../../../src/testing';
import { distinctScenarios } from '../../../src/workbench/scaffold/checks';
import { stopExploreClock } from '../../explore-clock';
import { hasShared, sharedPath } from '../../shared-data';

/*
 * The promise of scaffolding, kept end to end: explore real machines (the example apps', the
 * CLI example's, and some of ../shared's), write each report as a test file into a temporary
 * project, and check that every file passes unchanged under jest against the compiled package,
 * type-checks with skipLibCheck: false, comes out the same when written again, and that the
 * MockConfigFile's test cases take the same paths.
 */

interface Machine {
  readonly id: string;
  readonly load: () => Workflow;
  /** How the file in `dir` loads the machine. */
  readonly source: (dir: string) => ScaffoldSource;
}

const rel = (dir: string, file: string) => path.relative(dir, file).split(path.sep).join('/');
const stackModule = (dir: string, file: string) => rel(dir, file).replace(/\.ts$/, '').replace(/^(?!\.)/, './');
const noBundling = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });

const ORDER_ASL = path.join(ROOT, 'examples', 'cli', 'order-processing.asl.json');
const machines: Machine[] = [
  {
    id: 'cli-order-processing',
    load: () => Workflow.fromDefinition(ORDER_ASL),
    source: (dir) => ({ definition: rel(dir, ORDER_ASL) }),
  },
  {
    id: 'order-workflow',
    load: () => Workflow.fromStack(new OrderStack(noBundling(), 'OrderWorkflow')),
    source: (dir) => ({
      stackModule: stackModule(dir, path.join(ROOT, 'examples', 'order-workflow', 'lib', 'order-stack.ts')), stackClass: 'OrderStack', stackId: 'OrderWorkflow',
    }),
  },
  {
    id: 'vacation-booking',
    load: () => Workflow.fromStack(new VacationStack(noBundling(), 'VacationBooking')),
    source: (dir) => ({
      stackModule: stackModule(dir, path.join(ROOT, 'examples', 'vacation-booking', 'lib', 'vacation-stack.ts')), stackClass: 'VacationStack', stackId: 'VacationBooking',
    }),
  },
];

// Real-world machines with Choice rules, Catches, Retries, callbacks, Parallel and Map, and JSONata.
const REALWORLD = [
  'calling-async-api-callback__workflow_AsyncAPICallbackPattern.asl.json',
  'parallel-agent-early-stopping__main.asl.json',
  's3-glacier-multi-file-restore-sam.asl.json',
  'webhook-provider.asl.json',
];
const TEMPLATES: Array<[string, string]> = [
  ['lambda.integ.invoke-jsonata__aws-stepfunctions-tasks-lambda-invoke-jsonata-integ.template.json', 'StateMachine2E01A3A5'],
  ['stepfunctions.integ.invoke-activity__aws-stepfunctions-integ.template.json', 'StateMachine2E01A3A5'],
];
if (hasShared('validation/realworld')) {
  for (const f of REALWORLD) {
    const file = sharedPath('validation', 'realworld', f);
    machines.push({ id: f.replace(/\.asl\.json$/, ''), load: () => Workflow.fromDefinition(file), source: (dir) => ({ definition: rel(dir, file) }) });
  }
}
if (hasShared('cdk-templates')) {
  for (const [f, logicalId] of TEMPLATES) {
    const file = sharedPath('cdk-templates', f);
    machines.push({
      id: f.replace(/__.*$/, ''),
      load: () => Workflow.fromTemplate(file, { stateMachine: logicalId }),
      source: (dir) => ({ template: rel(dir, file), stateMachine: logicalId }),
    });
  }
}

/** True when a scenario's mocks throw an error with no Cause. */
function throwsWithoutCause(mocks: Readonly<Record<string, JsonValue>>): boolean {
  return Object.values(mocks).some((m) => (Array.isArray(m) ? m : [m]).some((e) => {
    if (e === null || typeof e !== 'object' || Array.isArray(e) || !Object.hasOwn(e, 'Throw')) return false;
    const t = e.Throw as { Cause?: unknown } | null;
    return t !== null && typeof t === 'object' && typeof t.Cause !== 'string';
  }));
}

interface Written {
  readonly machine: Machine;
  readonly workflow: Workflow;
  readonly report: ExploreReport;
  readonly file: string;
  readonly text: string;
}

// Exploring, one jest run over every file, and one type-check of them all against the compiled
// declarations: well under a minute here; the bound survives a machine ten times slower.
jest.setTimeout(600_000);

let dir: string;
let written: Written[];
let jestResults: JestFileResult[];

// Each file is compared with the one a second exploration writes: the searches must end by their own
// bounds, not when a busy machine has spent the budget's seconds (at load 20, the vacation booking's
// was cut at 29 of its 39 states, and the file written again differed).
stopExploreClock();

beforeAll(async () => {
  requireCompiledLibrary();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-scaffold-'));
  written = [];
  for (const machine of machines) {
    const workflow = machine.load();
    const report = await workflow.explore({ budgetSeconds: 60 });
    const file = path.join(dir, `${machine.id}.explore.test.ts`);
    const text = scaffoldTests(report, { source: machine.source(dir), definition: workflow.definition });
    fs.writeFileSync(file, text);
    written.push({ machine, workflow, report, file, text });
  }
  jestResults = await runJest(dir);
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('scaffolded test files, end to end', () => {
  it('come from reports with scenarios for every machine', () => {
    for (const w of written) expect([w.machine.id, w.report.scenarios.length > 0]).toEqual([w.machine.id, true]);
  });

  it('pass unchanged under jest against the compiled package: one passing test (or table row) per distinct scenario, none skipped', () => {
    expect(jestResults.map((r) => r.file)).toEqual(written.map((w) => path.basename(w.file)).sort());
    for (const r of jestResults) {
      const w = written.find((x) => path.basename(x.file) === r.file)!;
      expect({ file: r.file, status: r.status, passed: r.passed, failed: r.failed, skipped: r.skipped, message: r.message })
        .toEqual({ file: r.file, status: 'passed', passed: distinctScenarios(w.report.scenarios).length, failed: 0, skipped: 0, message: '' });
    }
  });

  it('type-check with skipLibCheck: false and unused names refused, against the compiled declarations', () => {
    expect(typeCheck(written.map((w) => w.file))).toEqual([]);
  });

  it('come out byte for byte the same when explored and written again', async () => {
    for (const w of written) {
      const again = await w.machine.load().explore({ budgetSeconds: 60 });
      const text = scaffoldTests(again, { source: w.machine.source(dir), definition: w.workflow.definition });
      expect([w.machine.id, text]).toEqual([w.machine.id, w.text]);
    }
  });

  it('have MockConfigFile test cases that run each scenario as its mocks do, a Throw without a Cause included', async () => {
    let withoutCause = 0;
    for (const w of written) {
      const config = scaffoldMockConfig(w.report, { definition: w.workflow.definition });
      const cases = Object.keys(config.StateMachines[w.report.machine].TestCases);
      expect(cases).toHaveLength(w.report.scenarios.length);
      for (const [i, s] of w.report.scenarios.entries()) {
        const run = await w.workflow.run(s.input, { mockConfig: { config, testCase: cases[i] } });
        // A Throw written without a Cause fails without one, as its mock did: a machine that asks
        // whether the error has a cause (a Saga's "Error has cause?") takes the same branch.
        if (throwsWithoutCause(s.mocks)) withoutCause++;
        expect([w.machine.id, cases[i], run.status, run.error, run.path.slice(0, s.path.length)])
          .toEqual([w.machine.id, cases[i], s.status, s.error, s.path]);
      }
    }
    expect(withoutCause).toBeGreaterThan(0);
  });

});
