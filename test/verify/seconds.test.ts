import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { secondsBound } from '../../src/explore/verify-seconds';
import { delay, fail } from '../../src/testing';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';

/*
 * maxSeconds over every path: the definition bounds a run's virtual seconds when every Wait, Task
 * attempt and retry interval on every path is a constant (or the machine's TimeoutSeconds cuts
 * it); verify proves a bound at least that long, and names what leaves a run unbounded otherwise.
 */

stopExploreClock();

const task = (extra: Record<string, unknown>) => ({
  Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'f', 'Payload.$': '$' }, ...extra,
});

// Charge: 4 attempts of at most 10 s, and retry waits 1, 2, then 3 (4 capped by MaxDelaySeconds): 46 s.
// Receipt: 3 attempts of at most 5 s and waits 1 and 2: 18 s. Then a Wait of 30 s on one branch: 94 s.
const CHARGE = {
  StartAt: 'Charge',
  States: {
    'Charge': task({
      TimeoutSeconds: 10,
      ResultPath: null,
      Retry: [{ ErrorEquals: ['Payment.Throttled'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 3 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Cool down' }],
      Next: 'Receipt',
    }),
    'Cool down': { Type: 'Wait', Seconds: 30, Next: 'Receipt' },
    'Receipt': task({ TimeoutSeconds: 5, ResultPath: null, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }], End: true }),
  },
} as unknown as StateMachineDefinition;

describe('maxSeconds', () => {
  it('bounds a run by its Waits, Task timeouts and retry intervals over the longest path', () => {
    expect(secondsBound(CHARGE, false)).toMatchObject({ seconds: 46 + 30 + 18 });
  });

  it('HOLDS for a bound at least that long, and is UNKNOWN naming the bound for a shorter one', async () => {
    const report = await Workflow.fromDefinition(CHARGE).verify({ bounded: Property.maxSeconds(94), tooShort: Property.maxSeconds(60) });
    expect(report.properties.bounded).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining('94 s') });
    expect(report.properties.tooShort).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringContaining('up to 94 s') });
  });

  it('has runs that come close to the bound: the bound is the longest path, not a guess', async () => {
    // Each Charge attempt throttled after 9 s, then the Wait, then Receipt timing out twice and answering late.
    const run = await Workflow.fromDefinition(CHARGE).run({}, {
      mocks: {
        Charge: [delay(9, fail('Payment.Throttled')), delay(9, fail('Payment.Throttled')), delay(9, fail('Payment.Throttled')), delay(9, fail('Payment.Throttled'))],
        Receipt: [delay(6), delay(6), delay(4)],
      },
    });
    const seconds = (run.stopDate.getTime() - run.startDate.getTime()) / 1000;
    expect(run.status).toBe('SUCCEEDED');
    expect(seconds).toBeGreaterThan(80);
    expect(seconds).toBeLessThanOrEqual(94);
  });

  it('is cut by the machine\'s TimeoutSeconds, loops and all', () => {
    const loop = {
      TimeoutSeconds: 120,
      StartAt: 'Poll',
      States: { 'Poll': { Type: 'Wait', Seconds: 10, Next: 'Done?' }, 'Done?': { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'End' }], Default: 'Poll' }, 'End': { Type: 'Succeed' } },
    } as unknown as StateMachineDefinition;
    expect(secondsBound(loop, false)).toMatchObject({ seconds: 120 });
    expect(secondsBound({ ...loop, TimeoutSeconds: undefined } as StateMachineDefinition, false)).toEqual({ unbounded: "'Poll' sits on a loop" });
    expect(secondsBound({ ...loop, TimeoutSeconds: undefined } as StateMachineDefinition, true)).toMatchObject({ seconds: 300 });
  });

  it.each([
    ['a Wait read from the input', { Type: 'Wait', SecondsPath: '$.wait', End: true }, "Wait 'S' waits for seconds read from its input"],
    ['a Task with no TimeoutSeconds', task({ End: true }), "Task 'S' has no TimeoutSeconds"],
    ['a Map whose items the run gives', { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true }, "Map 'S' runs its iteration once per item"],
  ])('names what leaves a run unbounded: %s', (_what, state, why) => {
    const bound = secondsBound({ StartAt: 'S', States: { S: state } } as unknown as StateMachineDefinition, false);
    expect(bound).toEqual({ unbounded: expect.stringContaining(why) });
  });

  it('takes a Parallel\'s longest branch, retried as a whole', () => {
    const parallel = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1, IntervalSeconds: 5 }],
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 20, End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Wait', Seconds: 50, End: true } } },
          ],
        },
      },
    } as unknown as StateMachineDefinition;
    expect(secondsBound(parallel, false)).toMatchObject({ seconds: 2 * 50 + 5 });
  });
});
