import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExploreReport } from '../../src/explore/report-types';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { describeWithShared, sharedPath } from '../shared-data';

stopExploreClock();

/** Every kth file of a sorted list: a sample that is the same on every run. */
function sample<T>(items: readonly T[], k: number): T[] {
  return items.filter((_x, i) => i % k === 0);
}

/** What every report must hold, whatever the machine. */
function checkReport(report: ExploreReport): void {
  for (const category of ['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'] as const) {
    const c = report[category];
    expect(c.reached + c.unreachable.length + c.notReached.length).toBe(c.total);
    for (const n of [...c.unreachable, ...c.notReached]) expect(n.reason.length).toBeGreaterThan(0);
  }
  // Nothing cut the search short; it is complete exactly when no goal is left without a proof.
  expect(report.search.stoppedBy).toBeUndefined();
  const left = (['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'] as const).some((c) => report[c].notReached.length > 0);
  expect(report.search.complete).toBe(!left);
  // Each scenario was run again with its mocks before it was reported: none may differ.
  expect(report.findings.filter((f) => f.kind === 'not-confirmed')).toEqual([]);
  const names = report.scenarios.map((s) => s.name);
  expect(new Set(names).size).toBe(names.length);
  for (const f of report.findings) if (f.scenario !== undefined) expect(names).toContain(f.scenario);
}

describeWithShared('validation/realworld', 'explore on real-world definitions', () => {
  const dir = sharedPath('validation', 'realworld');
  const files = sample(fs.readdirSync(dir).filter((f) => f.endsWith('.asl.json')).sort(), 6);

  it.each(files.map((f) => [f]))('explores %s without a crash, every scenario confirmed', async (file) => {
    let definition: unknown;
    try {
      definition = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch {
      return; // the one upstream file that is not JSON (see index.json)
    }
    let wf: Workflow;
    try {
      wf = Workflow.fromDefinition(definition as never);
    } catch (e) {
      // The validator refuses it, as AWS would: explore has nothing to run.
      expect((e as Error).name).toBe('InvalidDefinitionError');
      return;
    }
    const report = await wf.explore({ budgetSeconds: 20 });
    checkReport(report);
  }, 300_000);
});

describeWithShared('cdk-templates', 'explore on CDK-synthesized templates', () => {
  const dir = sharedPath('cdk-templates');
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'INDEX.json'), 'utf8')) as { files: Array<{ file: string; stateMachines: Array<{ logicalId: string }> }> };
  const machines = sample(index.files.flatMap((f) => f.stateMachines.map((m) => [f.file, m.logicalId] as [string, string])), 4);

  it.each(machines)('explores %s %s without a crash, every scenario confirmed', async (file, logicalId) => {
    const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as object;
    const report = await Workflow.fromTemplate(template, { stateMachine: logicalId }).explore({ budgetSeconds: 20 });
    checkReport(report);
  }, 300_000);
});
