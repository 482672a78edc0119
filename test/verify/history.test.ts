import type { JsonValue } from '../../src/asl';
import type { ScenarioRunner } from '../../src/explore';
import { Property } from '../../src/explore/properties';
import { verifyMachine } from '../../src/explore/verify';
import { Workflow } from '../../src/testing/workflow';
import { HarnessRunner } from '../../src/workbench/workflow/explore-runner';
import { pollForeverMachine } from '../explore/helpers';
import { stopExploreClock } from '../explore-clock';

/*
 * verify watches every run explore's search makes. A run explore asks to record only an outline of
 * (the loop confirmed to AWS's 25,000 events, whose outcome and path it reads, and which stands for
 * the report's run of its scenario) records only that under verify too, unless a property is a
 * predicate over the run, which may read the history.
 */

stopExploreClock();

const POLL = pollForeverMachine();

const LIMIT_CAUSE = 'The execution reached the maximum number of history events';

/** A runner that notes, for every run and replay that reached the history limit, the history asked for and the events it has. */
function noting(): { runner: ScenarioRunner; toLimit: Array<{ kind: 'run' | 'replay'; history: unknown; events: number }> } {
  const inner = new HarnessRunner(Workflow.fromDefinition(POLL), 0);
  const toLimit: Array<{ kind: 'run' | 'replay'; history: unknown; events: number }> = [];
  const runner: ScenarioRunner = {
    definition: inner.definition,
    type: inner.type,
    run: async (input, answer, limits, interrupt, history) => {
      const r = await inner.run(input, answer, limits, interrupt, history);
      if (r.cause?.startsWith(LIMIT_CAUSE)) toLimit.push({ kind: 'run', history, events: r.history.length });
      return r;
    },
    replay: async (input: JsonValue, mocks, childEvents, interrupt, history) => {
      const r = await inner.replay(input, mocks, childEvents, interrupt, history);
      if (r.cause?.startsWith(LIMIT_CAUSE)) toLimit.push({ kind: 'replay', history, events: r.history.length });
      return r;
    },
    resultPrefix: (r) => inner.resultPrefix(r),
  };
  return { runner, toLimit };
}

describe('verify and the history of the runs it watches', () => {
  it('records only an outline on the run that confirms a loop to the history limit when every property reads the path', async () => {
    const { runner, toLimit } = noting();
    const report = await verifyMachine(runner, { atMostOnce: Property.atMost('Poll', 1) }, {});
    expect(report.properties.atMostOnce.verdict).toBe('VIOLATED');
    // The search's confirmation records an outline, as explore alone asks, and stands for the report's run of the scenario.
    expect(toLimit.filter((t) => t.kind === 'run')).toEqual([{ kind: 'run', history: 'outline', events: 25_000 }]);
    expect(toLimit.filter((t) => t.kind === 'replay')).toEqual([]);
  });

  it('records the history of every run it watches when a property is a predicate over the run, which may read it', async () => {
    const { runner, toLimit } = noting();
    const seen: number[] = [];
    const report = await verifyMachine(runner, {
      shortHistory: (run) => {
        if (run.cause?.startsWith(LIMIT_CAUSE)) seen.push(run.history.length);
        return run.history.length < 1000;
      },
    }, {});
    // The predicate read the 25,000 events of the run to the limit: the run was recorded for it.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((n) => n === 25_000)).toBe(true);
    expect(toLimit.filter((t) => t.kind === 'run').every((t) => t.history === true && t.events === 25_000)).toBe(true);
    expect(report.properties.shortHistory.verdict).toBe('VIOLATED');
  });
});
