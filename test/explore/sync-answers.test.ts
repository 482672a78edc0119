import { machine, reaching, replays } from './helpers';
import { answerJudge, failRulesOf } from '../../src/asl/answer-outcomes';
import { CATALOGUE } from '../../src/asl/integrations';
import { madeUpAnswer } from '../../src/explore/contract-answers';

/*
 * Issue 77: a `.sync` Task's answer is the job as it ended (the guide's "Run a Job",
 * connect-to-resource.html#connect-sync; a child execution's DescribeExecution, recorded in
 * ../shared/conformance callback/TestCallback_test_start_execution_sync_*): explore's made-up
 * answer for one carries the job's terminal state as a job that succeeded has it, the field the
 * integration's outcome rules (asl/integrations.ts) read, so that a Choice on it and the
 * interpreter's judge see AWS's shape.
 */

/** Every `.sync` Resource of the catalogue whose answers its rules judge. */
const judgedJobs = [...CATALOGUE.values()].flatMap((row) => row.patterns.filter((p) => p === 'sync' || p === 'sync:2')
  .map((p) => `arn:aws:states:::${row.resource}.${p}`)).filter((r) => failRulesOf(r).length > 0);

/** The value at a dotted path, `*` left out (a list's entries are not made up). */
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

describe('explore makes up a .sync job\'s answer with its terminal state', () => {
  it('gives every judged .sync Resource an answer holding each field its rules read, as the succeeding example has it', () => {
    expect(judgedJobs.length).toBeGreaterThan(25);
    const lacking: string[] = [];
    for (const resource of judgedJobs) {
      const answer = madeUpAnswer(resource);
      for (const rule of failRulesOf(resource)) {
        for (const path of [...rule.at, ...rule.running?.at ?? []].filter((p) => !p.includes('*'))) {
          const wanted = at(rule.succeeding, path);
          if (wanted !== undefined && JSON.stringify(at(answer, path)) !== JSON.stringify(wanted)) lacking.push(`${resource} ${path}`);
        }
      }
      expect(answerJudge(resource)?.(answer)).toBeUndefined();
    }
    expect(lacking).toEqual([]);
  });

  it('answers startExecution.sync with Status SUCCEEDED and an ECS task .sync as STOPPED', () => {
    expect(madeUpAnswer('arn:aws:states:::states:startExecution.sync')).toEqual({ Status: 'SUCCEEDED' });
    expect(madeUpAnswer('arn:aws:states:::states:startExecution.sync:2')).toMatchObject({ Status: 'SUCCEEDED' });
    expect(madeUpAnswer('arn:aws:states:::ecs:runTask.sync')).toMatchObject({ LastStatus: 'STOPPED', StopCode: 'EssentialContainerExited' });
    expect(madeUpAnswer('arn:aws:states:::glue:startJobRun.sync')).toEqual({ JobRunState: 'SUCCEEDED' });
  });

  it('keeps an empty answer for a .sync call whose answers no rule judges, and for a request-response call with no model', () => {
    expect(madeUpAnswer('arn:aws:states:::emr-serverless:deleteApplication.sync')).toEqual({});
    expect(madeUpAnswer('arn:aws:states:::lambda:invoke')).toEqual({});
  });

  it('reaches the branch of a Choice on a child execution\'s Status with the answer it makes up, no input written for it', async () => {
    const wf = machine({
      StartAt: 'Run child',
      States: {
        'Run child': {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync',
          Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child' },
          Next: 'Child done?',
        },
        'Child done?': { Type: 'Choice', Choices: [{ Variable: '$.Status', StringEquals: 'SUCCEEDED', Next: 'Done' }], Default: 'Odd' },
        'Done': { Type: 'Succeed' },
        'Odd': { Type: 'Fail', Error: 'Child.Odd' },
      },
    });
    const report = await wf.explore();
    const s = reaching(report, 'states', 'Done');
    expect(s.mocks['Run child']).toEqual({ Return: { Status: 'SUCCEEDED' } });
    await replays(wf, s);
  });

  it('never answers a .sync Task with a state its job holds before it ends, to take a branch on another status', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Run child',
      States: {
        'Run child': {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Arguments: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child', Input: '{% $states.input %}' },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Child failed' }],
          Next: 'Child done?',
        },
        'Child done?': { Type: 'Choice', Choices: [{ Condition: "{% $states.input.Status = 'SUCCEEDED' %}", Next: 'Done' }], Default: 'Odd' },
        'Done': { Type: 'Succeed' },
        'Child failed': { Type: 'Fail', Error: 'Child.Failed' },
        'Odd': { Type: 'Fail', Error: 'Child.Odd' },
      },
    });
    const report = await wf.explore();
    const statuses = report.scenarios.map((s) => (s.mocks['Run child'] as { Return?: { Status?: string } } | undefined)?.Return?.Status);
    expect(statuses).not.toContain('RUNNING');
    expect(statuses).not.toContain('PENDING_REDRIVE');
    // Every Status the model lists but SUCCEEDED fails the Task or comes before the end: 'Odd' is proved unreachable.
    expect(report.states.notReached).toEqual([]);
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Odd']);
    await replays(wf, reaching(report, 'states', 'Child failed'));
  });
});
