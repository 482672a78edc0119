import { machine, startedChildMachine } from './helpers';

/*
 * Issue 77, explore round 4: a Choice after a Task whose contract says the field is always there.
 * A member the service's model requires of its answer is in every answer (STRICT mock validation
 * refuses one without it, as TestState does), so a branch taken only when it is missing is proved
 * unreachable, with that reason; no reason claims values that a run then contradicts.
 */

describe('explore on a Choice over a field the answer\'s model requires', () => {
  it('proves the branch for a missing ExecutionArn of sfn:startExecution unreachable', async () => {
    const report = await machine(startedChildMachine()).explore();
    expect(report.choiceRules.unreachable.map((u) => u.rule)).toEqual(['Started?#default']);
    expect(report.states.unreachable.map((u) => u.state)).toEqual(['Not started']);
    for (const c of ['states', 'transitions', 'choiceRules'] as const) expect(report[c].notReached).toEqual([]);
  });
});
