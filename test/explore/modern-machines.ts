import { App, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { replays } from './helpers';
import type { ModernMachine } from '../../bench/modern-corpus/common';
import type { ExploreReport } from '../../src/explore/report-types';
import { Workflow } from '../../src/testing/workflow';

/*
 * What the tests of bench/modern-corpus's machines do around explore: build the machine in a CDK
 * stack, explore it, and hold the report to complete (every goal reached or proved unreachable),
 * with every scenario replaying as reported. Apart from helpers.ts, which tests of inline
 * definitions load without aws-cdk-lib.
 */

/** The report of a corpus machine explore completes, each scenario replayed as a test written from it would run it. */
export async function exploredComplete(m: ModernMachine): Promise<ExploreReport> {
  const stack = new Stack(new App(), m.name);
  m.build(stack);
  const machine = stack.node.findAll().find((c): c is sfn.StateMachine => c instanceof sfn.StateMachine)!;
  const wf = Workflow.fromStack(stack, { stateMachine: machine });
  const report = await wf.explore();
  for (const c of ['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'] as const) expect(report[c].notReached).toEqual([]);
  expect(report.search.complete).toBe(true);
  for (const s of report.scenarios) await replays(wf, s);
  return report;
}

/** Each state the report proves unreachable, with its reason. */
export function provedReasons(report: ExploreReport): Map<string, string> {
  return new Map(report.states.unreachable.map((u) => [u.state, u.reason]));
}
