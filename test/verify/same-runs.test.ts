import type { JsonValue, StateMachineDefinition } from '../../src/asl';
import { AwsLimits } from '../../src/asl/limits';
import { reachedHistoryLimit } from '../../src/explore/context';
import { exploreMachine } from '../../src/explore/engine';
import type { Outcome, ScenarioRunner } from '../../src/explore/runner';
import { failTasks } from '../../src/explore/verify-failures';
import { Workflow } from '../../src/testing/workflow';
import { HarnessRunner } from '../../src/workbench/workflow/explore-runner';
import { stopExploreClock } from '../explore-clock';
import { retried } from './verify-setup';

/*
 * A run to the history limit is 25,000 events of work (a Retry whose MaxAttempts the limit cuts:
 * about 8,000 calls). Two plans that answer every call such a run makes alike make the same run
 * (the interpreter is deterministic: the same seed and virtual clock), so explore and verify make
 * it once, not once per plan that asks for it.
 */

stopExploreClock();


/** A runner that counts its runs to the history limit. */
function counting(definition: StateMachineDefinition): { runner: ScenarioRunner; atLimit: () => number } {
  const inner = new HarnessRunner(Workflow.fromDefinition(definition), 0);
  let atLimit = 0;
  const runner: ScenarioRunner = {
    definition: inner.definition,
    type: inner.type,
    run: async (input, answer, limits, interrupt, history) => {
      const r = await inner.run(input, answer, limits, interrupt, history);
      if (reachedHistoryLimit(r)) atLimit++;
      return r;
    },
    replay: (input: JsonValue, mocks, childEvents) => inner.replay(input, mocks, childEvents),
    resultPrefix: (r) => inner.resultPrefix(r),
  };
  return { runner, atLimit: () => atLimit };
}

describe('runs to the history limit are made once', () => {
  it('explore runs the plans that fail a Task until its Catch, which the history limit cuts, once among them', async () => {
    const { runner, atLimit } = counting(retried(20_000));
    const report = await exploreMachine(runner);
    // Its Catch, the transition and the state it leads to are still not reached, for the same reason.
    expect(report.states.notReached).toEqual([{ state: 'Handled', reason: expect.stringContaining(`history events (${AwsLimits.HISTORY_EVENTS})`) }]);
    expect(atLimit()).toBe(1);
  }, 60_000);

  const lightest = { input: { n: 0 }, calls: new Map<string, Outcome[]>([['Call', [{ kind: 'return', value: {} }]]]) };

  /** failTasks' runs of 'Call', counted by the error its first call failed with. */
  async function failedRuns(definition: StateMachineDefinition): Promise<Map<string, number>> {
    const runner = new HarnessRunner(Workflow.fromDefinition(definition), 0);
    const byError = new Map<string, number>();
    await failTasks(runner, new Map([['Call', lightest]]), new Map(), (_input, calls) => {
      const first = calls.get('Call')?.[0];
      const error = first?.kind === 'throw' ? first.error : 'none';
      byError.set(error, (byError.get(error) ?? 0) + 1);
    }, 2000);
    return byError;
  }

  it('verify fails a Task on every call from the first only where the run failed until its Retry ran out called it again', async () => {
    const once = await failedRuns(retried(5));
    expect(once.size).toBeGreaterThan(1);
    for (const [error, runs] of once) expect([error, runs]).toEqual([error, 1]);
  });

  it('verify still fails every later call where the run called the Task again after its Retry ran out', async () => {
    const again = await failedRuns(retried(1, true));
    expect(again.size).toBeGreaterThan(1);
    for (const [error, runs] of again) expect([error, runs]).toEqual([error, 2]);
  });
});
