import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { StateMachineDefinition } from '../../src/asl';
import { CompensationExhausted, Saga } from '../../src/constructs/builders';
import { Property } from '../../src/explore/properties';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { render } from '../constructs/render';
import { stopExploreClock } from '../explore-clock';
import { LAMBDA, NO_FACTS } from './verify-setup';

/*
 * A loop bounded by elapsed time: a variable holds a time read off the execution's clock, a
 * Choice goes round again only while now is within an offset of it, and a Wait of constant
 * seconds passes in every turn. Each turn moves now on by the wait, so the turns are bounded by
 * offset / wait + 1. Proved only when every Assign of the variable reads the clock, keeps it or
 * gives it no time (no input, no Task's answer, no written date can put a time in the future
 * there), and only when the Wait in the turn is a positive constant.
 */

stopExploreClock();

/** What a test changes of the polling loop: how `$since` is set, the condition, the Wait. */
interface Parts { since?: unknown; condition?: string; wait?: Record<string, unknown>; jsonPath?: boolean }

/**
 * Poll until the poller says done, for five minutes at most after `Start` read the clock, a
 * minute apart: Poll runs at 0, 60, ..., 300 s, seven times at most with the Wait between.
 */
function polling(opts: Parts = {}): StateMachineDefinition {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Start',
    States: {
      'Start': opts.jsonPath
        ? { Type: 'Pass', QueryLanguage: 'JSONPath', Assign: { 'since.$': opts.since ?? '$$.State.EnteredTime' }, Next: 'Poll' }
        : { Type: 'Pass', Assign: { since: opts.since ?? '{% $states.context.State.EnteredTime %}' }, Next: 'Poll' },
      'Poll': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'poll' },
        Assign: { done: '{% $states.result.Payload.done = true %}' },
        Next: 'Done?',
      },
      'Done?': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $done %}', Next: 'Done' },
          { Condition: opts.condition ?? '{% $toMillis($states.context.State.EnteredTime) <= $toMillis($since) + 300000 %}', Next: 'Pause' },
        ],
        Default: 'Gave up',
      },
      'Pause': { Type: 'Wait', ...(opts.wait ?? { Seconds: 60 }), Next: 'Poll' },
      'Done': { Type: 'Succeed' },
      'Gave up': { Type: 'Fail', Error: 'Poll.TimedOut' },
    },
  } as unknown as StateMachineDefinition;
}

describe('a loop bounded by elapsed time on the execution\'s clock', () => {
  it('proves the entries of a state on the loop from the clock and the Wait, and says so', () => {
    const graph = new MachineGraph(polling(), NO_FACTS);
    const seven = proveOnGraph(graph, Property.atMost('Poll', 7));
    expect(seven).toEqual({ proved: true, reason: expect.stringContaining('the clock ($since') });
    expect(seven.reason).toContain('more than 7 times');
    expect(proveOnGraph(graph, Property.atMost('Poll', 6))).toMatchObject({ proved: false, reason: expect.stringContaining('more than 7 times') });
    // Start, seven Polls and Choices, six Pauses, and Gave up.
    expect(proveOnGraph(graph, Property.maxTransitions(22))).toEqual({ proved: true, reason: expect.stringContaining('longest path enters 22 states') });
    expect(proveOnGraph(graph, Property.maxTransitions(21)).proved).toBe(false);
  });

  it('reads the clock however the condition is written: either way round, with $now(), the start time, a JSONPath Assign', () => {
    const variants: Parts[] = [
      { condition: '{% $toMillis($since) + 300000 >= $toMillis($states.context.State.EnteredTime) %}' },
      { condition: '{% $toMillis($now()) - 300000 <= $toMillis($since) %}' },
      { since: '{% $states.context.Execution.StartTime %}' },
      { since: '{% $now() %}' },
      { jsonPath: true },
      { jsonPath: true, since: '$$.Execution.StartTime' },
    ];
    for (const v of variants) expect([v, proveOnGraph(new MachineGraph(polling(v), NO_FACTS), Property.atMost('Poll', 7)).proved]).toEqual([v, true]);
  });

  it('proves nothing when the time can come from the input, a Task\'s answer or a date written in the definition', () => {
    for (const since of ['{% $states.input.since %}', '{% $states.result.Payload.at %}', '2999-01-01T00:00:00Z', '{% "2999-01-01T00:00:00Z" %}']) {
      const got = proveOnGraph(new MachineGraph(polling({ since }), NO_FACTS), Property.atMost('Poll', 1000));
      expect([since, got.proved]).toEqual([since, false]);
    }
    const fromInput = proveOnGraph(new MachineGraph(polling({ jsonPath: true, since: '$.since' }), NO_FACTS), Property.atMost('Poll', 1000));
    expect(fromInput.proved).toBe(false);
  });

  it('proves nothing when the Wait can be 0 or is read at run time, or the condition reads the start time as now', () => {
    const waits = [{ Seconds: 0 }, { SecondsPath: '$.pause' }, { Seconds: '{% $states.input.pause %}' }, { Timestamp: '2020-01-01T00:00:00Z' }];
    for (const wait of waits) {
      expect([wait, proveOnGraph(new MachineGraph(polling({ wait }), NO_FACTS), Property.atMost('Poll', 1000)).proved]).toEqual([wait, false]);
    }
    // The execution's start time never moves on: a condition on it bounds nothing.
    const start = polling({ condition: '{% $toMillis($states.context.Execution.StartTime) <= $toMillis($since) + 300000 %}' });
    expect(proveOnGraph(new MachineGraph(start, NO_FACTS), Property.atMost('Poll', 1000)).proved).toBe(false);
  });

  it('proves nothing when the loop reads the clock afresh in every turn', () => {
    const def = polling() as unknown as { States: Record<string, Record<string, unknown>> };
    def.States.Pause.Assign = { since: '{% $states.context.State.EnteredTime %}' };
    expect(proveOnGraph(new MachineGraph(def as unknown as StateMachineDefinition, NO_FACTS), Property.atMost('Poll', 1000)).proved).toBe(false);
  });

  it('verify says HOLDS for the bound, VIOLATED for one too low, and the longest run keeps the bound', async () => {
    const wf = Workflow.fromDefinition(polling());
    const report = await wf.verify({ seven: Property.atMost('Poll', 7), six: Property.atMost('Poll', 6) });
    expect(report.properties.seven.verdict).toBe('HOLDS');
    expect(report.properties.six.verdict).toBe('VIOLATED');
    const never = { Return: { done: false } };
    const run = await wf.run({}, { mocks: mocksFromJson({ Poll: Array.from({ length: 10 }, () => never) }, 'never done') });
    expect(run.path.filter((s) => s === 'Poll')).toHaveLength(7);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Poll.TimedOut' });
  });

  it('verify never says HOLDS for the bound when the time can come from the input, which can indeed stretch it', async () => {
    const wf = Workflow.fromDefinition(polling({ since: '{% $states.input.since %}' }));
    const report = await wf.verify({ seven: Property.atMost('Poll', 7) });
    expect(report.properties.seven.verdict).not.toBe('HOLDS');
    // And an input can indeed keep it going: a time in the future.
    const never = { Return: { done: false } };
    const run = await wf.run({ since: '2999-01-01T00:00:00Z' }, { mocks: mocksFromJson({ Poll: Array.from({ length: 10 }, () => never) }, 'never done') });
    expect(run.path.filter((s) => s === 'Poll').length).toBeGreaterThan(7);
  });
});

describe('the Saga\'s undo rounds', () => {
  /** A Lambda Task, which can fail, as a step's action or compensation. */
  const lambda = (scope: Construct, id: string, ql?: sfn.QueryLanguage): sfn.IChainable => new sfn.CustomState(scope, id, {
    stateJson: { Type: 'Task', Resource: LAMBDA, ...(ql === sfn.QueryLanguage.JSONATA ? { Arguments: { FunctionName: id } } : { Parameters: { FunctionName: id } }) },
  });
  const saga = (exhausted?: CompensationExhausted, ql?: sfn.QueryLanguage): StateMachineDefinition => render((s) => new Saga(s, 'Trip', {
    queryLanguage: ql,
    steps: ['Flight', 'Car'].map((name) => ({ name, action: lambda(s, `Book${name}`, ql), compensation: lambda(s, `Cancel${name}`, ql) })),
    onCompensationExhausted: exhausted,
  }), { queryLanguage: ql }) as StateMachineDefinition;

  const LANGUAGES: Array<[string, sfn.QueryLanguage]> = [['JSONPath', sfn.QueryLanguage.JSON_PATH], ['JSONata', sfn.QueryLanguage.JSONATA]];
  it.each(LANGUAGES)('bounds the default hour, a minute apart, by the clock (%s)', (_name, ql) => {
    const graph = new MachineGraph(saga(undefined, ql), NO_FACTS);
    // A round goes on while now + 60 s <= the first failure + 3,600 s: at most 60 waits, 61 rounds.
    const bound = proveOnGraph(graph, Property.atMost('Trip: Undo Flight', 61));
    expect(bound).toEqual({ proved: true, reason: expect.stringContaining('the clock ($compensationFailingSince_Trip') });
    expect(proveOnGraph(graph, Property.atMost('Trip: Undo Flight', 60)).proved).toBe(false);
  });

  it('bounds maxAttempts by the counter, and both bounds together by the tighter', () => {
    const attempts = new MachineGraph(saga(CompensationExhausted.retryAfter(Duration.minutes(1), { maxAttempts: 3 })), NO_FACTS);
    expect(proveOnGraph(attempts, Property.atMost('Trip: Undo Flight', 3)))
      .toEqual({ proved: true, reason: expect.stringContaining('the counter $compensationAttempts_Trip') });
    expect(proveOnGraph(attempts, Property.atMost('Trip: Undo Flight', 2)).proved).toBe(false);
    const tighter = CompensationExhausted.retryAfter(Duration.seconds(30), { maxAttempts: 100, maxDuration: Duration.minutes(2) });
    const both = new MachineGraph(saga(tighter), NO_FACTS);
    // now + 30 s <= first failure + 120 s: waits at 0, 30, 60, 90 s go on, so 5 rounds.
    expect(proveOnGraph(both, Property.atMost('Trip: Undo Flight', 5)).proved).toBe(true);
    expect(proveOnGraph(both, Property.atMost('Trip: Undo Flight', 4)).proved).toBe(false);
  });

  it('proves no bound for an unbounded loop, which is the author\'s explicit choice', () => {
    const unbounded = new MachineGraph(saga(CompensationExhausted.retryAfter(Duration.minutes(1))), NO_FACTS);
    expect(proveOnGraph(unbounded, Property.atMost('Trip: Undo Flight', 100_000)).proved).toBe(false);
  });
});
