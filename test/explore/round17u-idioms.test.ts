import {
  childStatusJsonPath, childStatusJsonata, configBodyJsonPath, configBodyJsonata, ordersQueryJsonPath, ordersQueryJsonata, profileIsNullJsonPath,
  profileIsNullJsonata, profileTypeJsonata, queueReceiveJsonata, scorePayloadJsonPath, scorePayloadJsonata, scoreSelectorJsonPath,
} from '../../bench/modern-corpus/round17u';
import type { ExploreReport, ExploreScenario } from '../../src/explore/report-types';
import { stopExploreClock } from '../explore-clock';
import { exploredComplete, provedReasons } from './modern-machines';

/*
 * Issue 77, round 17 (bench/modern-corpus/round17u.ts): the checks a new user writes on what a
 * service answers. AWS leaves an absent member of a service's answer out, never null ("If there is
 * no matching item, GetItem does not return any data and there will be no Item element in the
 * response", https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html), so
 * a rule on a null Item, Items or Messages is proved unreachable; a Lambda function may return null
 * and an S3 object may hold the text `null`, so those are reached, by that answer only. Each
 * machine is complete, each proof names the answer shapes and where each ends, and every scenario
 * replays as reported (no reason contradicts a run explore made).
 */

stopExploreClock();

/** The answer a scenario's mocks give a Task (its first), when it returns one. */
function answerOf(s: ExploreScenario, task: string): unknown {
  const mock = s.mocks[task] as { Return?: unknown } | Array<{ Return?: unknown }> | undefined;
  return Array.isArray(mock) ? mock[0]?.Return : mock?.Return;
}

function reaching(report: ExploreReport, state: string): ExploreScenario[] {
  return report.scenarios.filter((s) => s.path.includes(state));
}

describe('a GetItem\'s Item is absent or a map, never null: the rules on a null Item are proved closed', () => {
  it('ProfileIsNullJsonPath: IsNull after IsPresent false is closed; New customer is reached by the absent Item', async () => {
    const report = await exploredComplete(profileIsNullJsonPath);
    const p = provedReasons(report);
    expect([...p.keys()]).toEqual(['Null profile']);
    expect(p.get('Null profile')).toContain("'Load profile' answers .Item present: with $.loaded.Item there (never null)");
    expect(p.get('Null profile')).toContain("'Load profile' answers .Item absent");
    expect(reaching(report, 'New customer').map((s) => answerOf(s, 'Load profile'))).toContainEqual({});
  });

  it('ProfileIsNullJsonata: = null on the Output constructor\'s field is closed, absent and present each reached', async () => {
    const report = await exploredComplete(profileIsNullJsonata);
    const p = provedReasons(report);
    expect([...p.keys()]).toEqual(['Null profile']);
    expect(p.get('Null profile')).toContain('with $states.input.profile absent, Choices[0] ({% $states.input.profile = null %}) is false');
  });

  it('ProfileTypeJsonata: $type(...) = "null" on the assigned Item is closed; an absent Item fails the Assign', async () => {
    const p = provedReasons(await exploredComplete(profileTypeJsonata));
    expect([...p.keys()]).toEqual(['Null profile']);
    expect(p.get('Null profile')).toContain("'Load profile' answers .Item absent: 'Load profile' fails with States.QueryEvaluationError, as a run shows");
    expect(p.get('Null profile')).toContain("with $profile there (never null), Choices[0] ({% $type($profile) = 'null' %}) is false");
  });
});

describe('a Query\'s Items and an SQS ReceiveMessage\'s Messages are lists or absent, never null', () => {
  it('OrdersQueryJsonPath: Count = 0 and the Map over the orders are both reached', async () => {
    const report = await exploredComplete(ordersQueryJsonPath);
    expect(report.states.unreachable).toEqual([]);
  });

  it('OrdersQueryJsonata: the rule on a null list, behind a $count rule, is closed', async () => {
    const p = provedReasons(await exploredComplete(ordersQueryJsonata));
    expect([...p.keys()]).toEqual(['Null orders']);
    expect(p.get('Null orders')).toContain('with $orders there (never null), Choices[1] ({% $orders = null %}) is false');
  });

  it('QueueReceiveJsonata: no messages (absent) is reached, a null list is closed', async () => {
    const report = await exploredComplete(queueReceiveJsonata);
    expect([...provedReasons(report).keys()]).toEqual(['Null messages']);
    expect(reaching(report, 'Idle').map((s) => answerOf(s, 'Poll jobs'))).toContainEqual({});
  });
});

describe('a Lambda function may return null, and an S3 object may hold the text null: those branches are reached', () => {
  it('ScorePayloadJsonPath: a Payload of null takes IsNull', async () => {
    const report = await exploredComplete(scorePayloadJsonPath);
    expect(report.states.unreachable).toEqual([]);
    expect(reaching(report, 'No score').map((s) => answerOf(s, 'Score'))).toContainEqual(null);
  });

  it('ScoreSelectorJsonPath: a score of null, picked out by the ResultSelector, takes IsNull', async () => {
    const report = await exploredComplete(scoreSelectorJsonPath);
    expect(report.states.unreachable).toEqual([]);
    expect(reaching(report, 'No score').map((s) => answerOf(s, 'Score'))).toContainEqual({ score: null });
  });

  it('ScorePayloadJsonata: null, text and a number each take their rule', async () => {
    const report = await exploredComplete(scorePayloadJsonata);
    expect(report.states.unreachable).toEqual([]);
  });

  it('ConfigBodyJsonata: only a Body of "null" reaches Empty config', async () => {
    const report = await exploredComplete(configBodyJsonata);
    expect(report.states.unreachable).toEqual([]);
    expect(reaching(report, 'Empty config').map((s) => answerOf(s, 'Read config'))).toContainEqual(expect.objectContaining({ Body: 'null' }));
  });

  it('ConfigBodyJsonPath: a null config fails the rule before on its field, so Empty config is closed', async () => {
    const p = provedReasons(await exploredComplete(configBodyJsonPath));
    expect([...p.keys()]).toEqual(['Empty config']);
    expect(p.get('Empty config')).toContain('$.read.config must be null');
  });
});

describe('a status the rules route over every value of its enum leaves the Default closed', () => {
  it('ChildStatusJsonPath: StringEquals over DescribeExecution\'s Status enum', async () => {
    const p = provedReasons(await exploredComplete(childStatusJsonPath));
    expect([...p.keys()]).toEqual(['Unknown status']);
    expect(p.get('Unknown status')).toContain("'Check child' answers .Status one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE");
  });

  it('ChildStatusJsonata: `in` lists over the same enum', async () => {
    const p = provedReasons(await exploredComplete(childStatusJsonata));
    expect([...p.keys()]).toEqual(['Unknown status']);
  });
});
