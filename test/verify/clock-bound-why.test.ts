import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { LAMBDA, NO_FACTS } from './verify-setup';

/*
 * A loop bounded by elapsed time (test/verify/clock-bound.test.ts) is bounded only when every
 * condition of the bound holds. Where one fails, the loop stays unbounded and the UNKNOWN must say
 * which loop (its states), which condition failed, and what to give: a time read off the clock
 * and a constant Wait, a counter, or mocks that end the loop.
 */

stopExploreClock();

interface Parts { since?: unknown; condition?: string; wait?: Record<string, unknown>; pauseAssign?: Record<string, unknown> }

/** Poll a minute apart for five minutes after `Start` read the clock (clock-bound.test.ts's machine), with one part changed. */
function polling(opts: Parts = {}): StateMachineDefinition {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Start',
    States: {
      'Start': { Type: 'Pass', Assign: { since: opts.since ?? '{% $states.context.State.EnteredTime %}' }, Next: 'Poll' },
      'Poll': { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'poll' }, Assign: { done: '{% $states.result.Payload.done = true %}' }, Next: 'Done?' },
      'Done?': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $done %}', Next: 'Done' },
          { Condition: opts.condition ?? '{% $toMillis($states.context.State.EnteredTime) <= $toMillis($since) + 300000 %}', Next: 'Pause' },
        ],
        Default: 'Gave up',
      },
      'Pause': { Type: 'Wait', ...(opts.wait ?? { Seconds: 60 }), ...(opts.pauseAssign ? { Assign: opts.pauseAssign } : {}), Next: 'Poll' },
      'Done': { Type: 'Succeed' },
      'Gave up': { Type: 'Fail', Error: 'Poll.TimedOut' },
    },
  } as unknown as StateMachineDefinition;
}

const LOOP = "the elapsed-time bound does not apply to the loop 'Poll', 'Done?', 'Pause' (rule 2 of 'Done?' compares now with $since)";
const GIVE = 'To have the loop bounded, set the time from the clock before the loop and wait a constant number of seconds in it, or count its turns in a variable the Choice compares; else give mocks (--mocks) whose answers take the loop\'s Choice out of it';

const reasonOf = (parts: Parts): { proved: boolean; reason: string } => proveOnGraph(new MachineGraph(polling(parts), NO_FACTS), Property.atMost('Poll', 1000));

describe('a loop the elapsed-time bound cannot bound', () => {
  it('names the loop, the Assign that gives the time from elsewhere, and what to give', () => {
    const got = reasonOf({ since: '{% $states.input.since %}' });
    expect(got.proved).toBe(false);
    expect(got.reason).toContain(`${LOOP}: 'Start' sets $since to "{% $states.input.since %}", which neither reads the execution's clock nor keeps it`);
    expect(got.reason).toContain(GIVE);
  });

  it('names a Wait that can take no time', () => {
    expect(reasonOf({ wait: { Seconds: 0 } }).reason).toContain(`${LOOP}: no Wait on the loop waits a positive constant number of Seconds ('Pause' waits Seconds 0), so a turn can take no time`);
    expect(reasonOf({ wait: { SecondsPath: '$.pause' } }).reason).toContain('(\'Pause\' waits SecondsPath "$.pause")');
  });

  it('names a clock read afresh in every turn', () => {
    const got = reasonOf({ pauseAssign: { since: '{% $states.context.State.EnteredTime %}' } });
    expect(got.reason).toContain(`${LOOP}: 'Pause', on the loop, reads the clock into $since afresh in every turn, so the time waited since never grows`);
  });

  it('names a condition on the start time, which never moves on', () => {
    const got = reasonOf({ condition: '{% $toMillis($states.context.Execution.StartTime) <= $toMillis($since) + 300000 %}' });
    expect(got.reason).toContain("rule 2 of 'Done?' compares $since with the execution's StartTime, which never moves on, not with now");
  });

  it('says nothing of the bound where it applies', () => {
    const got = reasonOf({});
    expect(got.proved).toBe(true);
    expect(proveOnGraph(new MachineGraph(polling(), NO_FACTS), Property.atMost('Poll', 6)).reason).not.toContain('elapsed-time bound does not apply');
  });

  it('verify\'s UNKNOWN says it, through the harness', async () => {
    const report = await Workflow.fromDefinition(polling({ since: '{% $states.input.since %}' })).verify({ bounded: Property.atMost('Poll', 1000) });
    expect(report.properties.bounded.verdict).toBe('UNKNOWN');
    expect(report.properties.bounded.reason).toContain(LOOP);
    expect(report.properties.bounded.reason).toContain(GIVE);
  });
});
