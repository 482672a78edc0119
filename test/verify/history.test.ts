import type { JsonValue } from '../../src/asl';
import type { ScenarioRunner } from '../../src/explore';
import { Property, violationOf } from '../../src/explore/properties';
import { verifyMachine } from '../../src/explore/verify';
import { succeed } from '../../src/testing';
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

/** A Pass, then the poll loop that may run until the history limit: Start -> Poll -> Done? -> Poll | Done. */
const STARTED_POLL = {
  StartAt: 'Start',
  States: { Start: { Type: 'Pass', Next: 'Poll' }, ...(POLL.States as Record<string, unknown>) },
} as unknown as typeof POLL;

describe('verify where a loop may run until the history limit', () => {
  it('HOLDS a property whose proof needs no bound on the loop\'s turns, and nothing else, and no run breaks what it holds', async () => {
    const wf = Workflow.fromDefinition(STARTED_POLL);
    const properties = {
      startOnce: Property.atMost('Start', 1),
      startBeforeDone: Property.precedes('Start', 'Done'),
      pollBeforeDone: Property.precedes('Poll', 'Done'),
      pollOnce: Property.atMost('Poll', 1),
      succeeds: Property.endsWith({ statuses: ['SUCCEEDED'] }),
      pollLeadsToDone: Property.leadsTo('Poll', 'Done'),
    };
    const report = await wf.verify(properties);
    const verdicts = Object.fromEntries(Object.entries(report.properties).map(([n, v]) => [n, v.verdict]));
    expect(verdicts).toEqual({
      startOnce: 'HOLDS',
      startBeforeDone: 'HOLDS',
      pollBeforeDone: 'HOLDS',
      pollOnce: 'VIOLATED',
      succeeds: 'VIOLATED',
      pollLeadsToDone: 'VIOLATED',
    });
    expect(report.complete).toBe(false);
    expect(report.properties.startOnce.reason).toContain('a loop can run until the history limit (see explore\'s history-limit finding), and this holds however many turns it takes');
    // The run to the limit, and runs that loop a few times, keep every property it holds.
    const polls = [[{ Status: 'DONE' }], [{ Status: 'RUNNING' }, { Status: 'RUNNING' }, { Status: 'DONE' }], { Status: 'RUNNING' }];
    const ends: Array<[string, number, string | undefined]> = [];
    for (const answers of polls) {
      const run = await wf.run({}, { mocks: { Poll: Array.isArray(answers) ? answers.map((a) => succeed(a)) : succeed(answers) } });
      ends.push([run.status, run.path.filter((n) => n === 'Poll').length, run.cause?.slice(0, LIMIT_CAUSE.length)]);
      for (const name of ['startOnce', 'startBeforeDone', 'pollBeforeDone'] as const) expect(violationOf(properties[name], run, false)).toBeUndefined();
    }
    expect(ends.slice(0, 2)).toEqual([['SUCCEEDED', 1, undefined], ['SUCCEEDED', 3, undefined]]);
    expect(ends[2][0]).toBe('FAILED');
    expect(ends[2][2]).toBe(LIMIT_CAUSE);
  });
});
