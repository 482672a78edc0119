import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { modernCorpus } from '../../bench/modern-corpus/app';
import type { ExploreReport } from '../../src/explore/report-types';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';

/*
 * Issue 77, "unreachability proved, or not claimed": over bench/modern-corpus, no state or
 * transition explore claims unreachable is one a scenario's run goes through. A run is the
 * reference; a claim it contradicts is a wrong proof. A state proved to fail on every entry is
 * entered by the run that ends failing there (the last state of a run that did not succeed),
 * which is what the proof says, not against it.
 */

stopExploreClock();

/** The unreachable claims of a report that a scenario's path contradicts. */
function contradicted(report: ExploreReport): string[] {
  const entered = new Set(report.scenarios.flatMap((s) => (s.status === 'SUCCEEDED' ? s.path : s.path.slice(0, -1))));
  const taken = new Set(report.scenarios.flatMap((s) => s.path.slice(1).map((to, i) => `${s.path[i]} -> ${to}`)));
  return [
    ...report.states.unreachable.filter((u) => entered.has(u.state)).map((u) => `state ${u.state}`),
    ...report.transitions.unreachable.filter((u) => taken.has(u.transition)).map((u) => `transition ${u.transition}`),
  ];
}

const { stacks } = modernCorpus();
const machines = stacks.flatMap((stack) => stack.node.findAll().filter((c): c is sfn.StateMachine => c instanceof sfn.StateMachine)
  .map((m) => ({ id: `${stack.stackName}/${m.node.id}`, stack, m })));

describe('contradicted', () => {
  it('names a claimed state a succeeding scenario passes and a claimed transition one takes, not the state a failed run ends in', () => {
    const report = {
      scenarios: [{ status: 'SUCCEEDED', path: ['A', 'B', 'C'] }, { status: 'FAILED', path: ['A', 'D'] }],
      states: { unreachable: [{ state: 'B', reason: 'x' }, { state: 'D', reason: 'fails on every entry' }] },
      transitions: { unreachable: [{ transition: 'B -> C', reason: 'x' }, { transition: 'A -> C', reason: 'x' }] },
    } as unknown as ExploreReport;
    expect(contradicted(report)).toEqual(['state B', 'transition B -> C']);
  });
});

describe('explore over bench/modern-corpus', () => {
  it('holds more than 100 machines', () => {
    expect(machines.length).toBeGreaterThan(100);
  });

  it('claims no state or transition unreachable that a scenario\'s run goes through', async () => {
    const wrong: string[] = [];
    let claims = 0;
    for (const { id, stack, m } of machines) {
      const report = await Workflow.fromStack(stack, { stateMachine: m }).explore();
      claims += report.states.unreachable.length + report.transitions.unreachable.length;
      for (const c of contradicted(report)) wrong.push(`${id}: ${c}`);
    }
    expect(wrong).toEqual([]);
    // The corpus names truly unreachable states in its machines' comments: the check has claims to check.
    expect(claims).toBeGreaterThan(30);
  }, 1_200_000);
});
