import { machine, reaching, replays } from './helpers';
import type { ExploreReport } from '../../src/explore/report-types';

/*
 * Issue 77, explore round 4: idioms whose value explore must shape before it can solve it. A text
 * read through `$number($split(…)[2])` fails the state (States.QueryEvaluationError) until the
 * answer has enough parts and a number among them; each goal is reached, and its scenario runs
 * again as reported.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

async function everyGoal(def: object): Promise<ExploreReport> {
  const wf = machine(def);
  const report = await wf.explore();
  for (const c of ['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'] as const) expect(report[c].notReached).toEqual([]);
  for (const s of report.scenarios) await replays(wf, s);
  return report;
}

/** A reference split into parts by two variables of one Assign: a number from its third part, a region from its fourth. */
const REFERENCE_PARTS = {
  QueryLanguage: 'JSONata',
  StartAt: 'Look up order',
  States: {
    'Look up order': {
      Type: 'Task',
      Resource: LAMBDA,
      Arguments: { FunctionName: fn('lookup-order'), Payload: { ref: '{% $states.input.ref %}' } },
      Assign: {
        seq: '{% $number($split($trim($states.result.Payload.reference), "-")[2]) %}',
        region: '{% $split($uppercase($trim($states.result.Payload.reference)), "-")[3] %}',
      },
      Next: 'Big sequence?',
    },
    'Big sequence?': {
      Type: 'Choice',
      Choices: [{ Condition: '{% $seq >= 9000 %}', Next: 'Roll over' }],
      Default: 'Routed',
    },
    'Roll over': { Type: 'Pass', Next: 'Routed' },
    'Routed': { Type: 'Succeed' },
  },
};

/** A polling loop whose limit defaults to ten unless the input says, given up on at that limit or five minutes after the start. */
const POLLING_DEADLINE = {
  QueryLanguage: 'JSONata',
  StartAt: 'Start job',
  States: {
    'Start job': {
      Type: 'Task',
      Resource: LAMBDA,
      Arguments: { FunctionName: fn('start-job'), Payload: { day: '{% $states.input.day %}' } },
      Assign: { polls: 0, maxPolls: '{% $exists($states.input.maxPolls) ? $states.input.maxPolls : 10 %}' },
      Next: 'Get run',
    },
    'Get run': {
      Type: 'Task',
      Resource: LAMBDA,
      Arguments: { FunctionName: fn('get-run'), Payload: { polls: '{% $polls %}' } },
      Assign: { polls: '{% $polls + 1 %}', state: '{% $states.result.Payload.state %}' },
      Next: 'Job state?',
    },
    'Job state?': {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $state = "SUCCEEDED" %}', Next: 'Done' },
        { Condition: '{% $polls >= $maxPolls %}', Next: 'Stop job' },
        { Condition: '{% $millis() - $toMillis($states.context.Execution.StartTime) > 300000 %}', Next: 'Stop job' },
      ],
      Default: 'Get run',
    },
    'Stop job': { Type: 'Fail', Error: 'Etl.Stopped' },
    'Done': { Type: 'Succeed' },
  },
};

describe('explore shapes a value before it solves it', () => {
  it('gives an answer enough parts and a number where $number($split(…)[2]) and $split(…)[3] read it', async () => {
    const report = await everyGoal(REFERENCE_PARTS);
    expect(report.states.reached).toBe(report.states.total);
  });

  it('credits a rule that holds before a rule reading the Context Object shares its Next ($exists(x) ? x : 10 given x)', async () => {
    const wf = machine(POLLING_DEADLINE);
    const report = await wf.explore();
    const s = reaching(report, 'choiceRules', 'Job state?#1');
    expect(s.input).toMatchObject({ maxPolls: expect.any(Number) });
    await replays(wf, s);
  });
});
