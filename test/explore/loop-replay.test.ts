import { findingOf, pollForeverMachine } from './helpers';
import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { exploreMachine } from '../../src/explore/engine';
import type { ExploreReport } from '../../src/explore/report-types';
import type { ScenarioRunner } from '../../src/explore/runner';
import type { ExecutionResult } from '../../src/interpreter';
import { Workflow } from '../../src/testing/workflow';
import { HarnessRunner } from '../../src/workbench/workflow/explore-runner';

/*
 * A loop explore cannot end is run to AWS's limit of 25,000 history events twice: once to confirm
 * it, and once more for the report, as a test runs its scenario (input and mocks). The first run is
 * that second one when the runner runs them alike (the same seed, settings and virtual clock, each
 * Task call answered as the scenario's mocks answer it): the report then takes the first, recorded
 * as an outline (no documents), and makes no second. These tests hold it to that.
 */

const LIMIT_CAUSE = 'The execution reached the maximum number of history events (25000).';

/** Two jobs polled side by side, in the branches of a Parallel, each until its status says it is done (written in JSONata). */
function twoPollsMachine(): StateMachineDefinition {
  const poll = (job: string) => ({
    StartAt: `Start ${job}`,
    States: {
      [`Start ${job}`]: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: `start-${job}` }, Assign: { id: '{% $states.result.Payload.id %}' }, Next: `Check ${job}` },
      [`Check ${job}`]: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: `check-${job}`, Payload: { id: '{% $id %}' } }, Output: '{% $states.result.Payload %}', Next: `${job} done?` },
      [`${job} done?`]: { Type: 'Choice', Choices: [{ Condition: "{% $states.input.status = 'DONE' %}", Next: `${job} ready` }], Default: `Wait for ${job}` },
      [`Wait for ${job}`]: { Type: 'Wait', Seconds: 30, Next: `Check ${job}` },
      [`${job} ready`]: { Type: 'Succeed' },
    },
  });
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Both',
    States: { Both: { Type: 'Parallel', Branches: [poll('index'), poll('report')], End: true } },
  } as unknown as StateMachineDefinition;
}

/** A runner that keeps each run it made to the history limit, and each run again the report made to it. */
function keepingRunner(definition: StateMachineDefinition) {
  const inner = new HarnessRunner(Workflow.fromDefinition(definition), 0);
  const toLimit: ExecutionResult[] = [];
  const replaysToLimit: ExecutionResult[] = [];
  const runner: ScenarioRunner = {
    definition: inner.definition,
    type: inner.type,
    run: async (input, answer, limits, interrupt, history) => {
      const r = await inner.run(input, answer, limits, interrupt, history);
      if (r.cause === LIMIT_CAUSE) toLimit.push(r);
      return r;
    },
    replay: async (input: JsonValue, mocks, childEvents, interrupt, history) => {
      const r = await inner.replay(input, mocks, childEvents, interrupt, history);
      if (r.cause === LIMIT_CAUSE) replaysToLimit.push(r);
      return r;
    },
    resultPrefix: (r) => inner.resultPrefix(r),
  };
  return { inner, runner, toLimit, replaysToLimit };
}

/** The loops' scenarios (those of the history-limit findings), by the finding's state. */
function loopScenarios(report: ExploreReport) {
  const states = report.findings.filter((f) => f.kind === 'history-limit').map((f) => f.state!);
  return states.map((state) => findingOf(report, 'history-limit', state).scenario);
}

/** What a run is, all of it: outcome, path, names and dates, and every event of its history. */
function whole(r: ExecutionResult) {
  const { status, error, cause, output, path, executionArn, history } = r;
  const dates = [r.startDate.toISOString(), r.stopDate.toISOString()];
  return { status, error, cause, output, path, executionArn, dates, events: history.length, history: JSON.stringify(history) };
}

/** A machine explored with a keepingRunner, the runs it kept beside the report. */
async function explored(definition: StateMachineDefinition) {
  const kept = keepingRunner(definition);
  return { ...kept, report: await exploreMachine(kept.runner, {}) };
}

/** The Parallel's exploration, made once for the tests that read it (none changes it). */
let twoPolls: ReturnType<typeof explored> | undefined;
const exploredTwoPolls = () => (twoPolls ??= explored(twoPollsMachine()));

describe('explore: a loop run to the history limit once, not twice', () => {
  it.each([
    ['a Lambda polled until it says DONE', () => explored(pollForeverMachine())],
    ['two jobs polled side by side in a Parallel (JSONata)', exploredTwoPolls],
  ])('%s: each loop\'s scenario is the run that confirmed it, which its run again with the scenario\'s mocks equals', async (_, explore) => {
    const { inner, toLimit, replaysToLimit, report } = await explore();
    const scenarios = loopScenarios(report);
    expect(scenarios.length).toBeGreaterThan(0);
    // One run to the limit per loop, recorded as an outline; the report made none again.
    expect(toLimit.map((r) => r.history.length)).toEqual(scenarios.map(() => 25_000));
    expect(toLimit.every((r) => r.history.every((e) => e.stateEnteredEventDetails?.input === undefined))).toBe(true);
    expect(replaysToLimit).toEqual([]);
    for (const s of scenarios) {
      // The run again the report would have made, made here: the same run, event for event.
      const again = await inner.replay(s.input, s.mocks, false, undefined, 'outline');
      const confirmed = toLimit.find((r) => JSON.stringify(r.path) === JSON.stringify(again.path));
      expect(confirmed).toBeDefined();
      expect(whole(confirmed!)).toEqual(whole(again));
      expect(s).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: LIMIT_CAUSE, path: again.path.slice(0, s.path.length), pathLength: again.path.length });
    }
  });

  it('gives each loop the run of its own answers: two loops whose answers differ each get their own', async () => {
    const { inner, toLimit, report } = await exploredTwoPolls();
    const scenarios = loopScenarios(report);
    expect(scenarios.length).toBeGreaterThanOrEqual(2);
    expect(new Set(scenarios.map((s) => JSON.stringify(s.mocks))).size).toBe(scenarios.length);
    expect(new Set(toLimit.map((r) => JSON.stringify(r.path))).size).toBe(toLimit.length);
    for (const s of scenarios) {
      const again = await inner.replay(s.input, s.mocks, false, undefined, 'outline');
      expect(s.path).toEqual(again.path.slice(0, s.path.length));
      // Each scenario's covers are read from its own run: the states its path entered.
      expect(new Set(s.covers.states)).toEqual(new Set(again.path.filter((name) => s.covers.states!.includes(name))));
    }
  });

  it('runs a loop again for the report when the run called a Task whose answer the user gave', async () => {
    const { runner, toLimit, replaysToLimit } = keepingRunner(pollForeverMachine());
    const report = await exploreMachine(runner, { mocks: { Poll: { Return: { Status: 'RUNNING' } } } });
    expect(loopScenarios(report).length).toBe(1);
    // The scenario's mocks hold the answer as the user wrote it, not as explore read it: the report's run again is made.
    expect(toLimit.length).toBe(1);
    expect(replaysToLimit.length).toBe(1);
  });

  it('runs a loop again for the report in a machine with a DISTRIBUTED Map, whose runs record its children\'s events and a test\'s do not', async () => {
    const definition = pollForeverMachine() as unknown as { States: Record<string, object> };
    const withMap = {
      ...definition,
      States: {
        ...definition.States,
        Done: {
          Type: 'Map',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } },
          ItemsPath: '$.items',
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;
    const { runner, toLimit, replaysToLimit } = keepingRunner(withMap);
    const report = await exploreMachine(runner, {});
    expect(loopScenarios(report).length).toBe(1);
    expect(toLimit.map((r) => r.history.length)).toEqual([0]);
    expect(replaysToLimit.length).toBeGreaterThanOrEqual(1);
  });
});
