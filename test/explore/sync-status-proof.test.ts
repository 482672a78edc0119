import { machine, reaching, replays } from './helpers';
import { failRulesOf } from '../../src/asl/answer-outcomes';
import { answerShapeAt } from '../../src/explore/contract-answers';

/*
 * Issue 77, round 6: a child workflow run with `startExecution.sync` answers once the child has
 * ended, with the execution as DescribeExecution describes it (recorded in ../shared/conformance
 * callback/TestCallback_test_start_execution_sync_*): its Status is one the model lists, never
 * RUNNING or PENDING_REDRIVE (states before the end), and FAILED, TIMED_OUT and ABORTED fail the
 * Task. So a Choice after it on `Status = 'SUCCEEDED'` always takes that rule: its Default is
 * proved unreachable, the proof naming the answers left out and where each ends, where explore
 * advised "give --mocks for .Status" after a run with Status FAILED that failed the Task.
 */

const CHILD = 'arn:aws:states:us-east-1:123456789012:stateMachine:child';

function jsonata(condition: string, resource = 'arn:aws:states:::states:startExecution.sync:2') {
  return machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Run child',
    States: {
      'Run child': {
        Type: 'Task',
        Resource: resource,
        Arguments: { StateMachineArn: CHILD, Input: '{% $states.input %}' },
        Next: 'Done?',
      },
      'Done?': { Type: 'Choice', Choices: [{ Condition: condition, Next: 'Ok' }], Default: 'Bad' },
      'Ok': { Type: 'Succeed' },
      'Bad': { Type: 'Fail', Error: 'Child.Failed' },
    },
  });
}

describe('explore proves the Default of a Choice on a .sync child\'s Status unreachable', () => {
  it('leaves SUCCEEDED the one Status the model lists that ends the child and lets the Task go on', () => {
    const [rule] = failRulesOf('arn:aws:states:::states:startExecution.sync');
    const described = rule.running!.described!;
    const listed = answerShapeAt(`arn:aws:states:::aws-sdk:${described.api[0]}:${described.api[1]}`, described.at.split('.'));
    const failing = 'oneOf' in rule.test ? rule.test.oneOf : [];
    expect(listed?.type === 'string' && listed.enum?.filter((s: string) => !failing.includes(s) && !rule.running!.oneOf.includes(s))).toEqual(['SUCCEEDED']);
  });

  it.each([
    ['the Status of a .sync:2 answer', "{% $states.input.Status = 'SUCCEEDED' %}", 'arn:aws:states:::states:startExecution.sync:2'],
    ['the Status of a .sync answer', "{% $states.input.Status = 'SUCCEEDED' %}", 'arn:aws:states:::states:startExecution.sync'],
  ])('proves it for %s, naming the statuses that fail the Task', async (_name, condition, resource) => {
    const report = await jsonata(condition, resource).explore();
    expect(report.choiceRules.notReached).toEqual([]);
    const [rule] = report.choiceRules.unreachable;
    expect(rule.rule).toBe('Done?#default');
    expect(rule.reason).toContain("'Run child' answers .Status one of FAILED, TIMED_OUT, ABORTED");
    expect(rule.reason).toContain('never with RUNNING or PENDING_REDRIVE');
    expect(rule.reason).not.toContain('give --mocks');
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Bad']);
    expect(report.search.complete).toBe(true);
  });

  it('proves it for a JSONPath Choice on the Status the ResultPath put under the input', async () => {
    const report = await machine({
      StartAt: 'Run child',
      States: {
        'Run child': {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { 'StateMachineArn': CHILD, 'Input.$': '$' },
          ResultPath: '$.child',
          Next: 'Done?',
        },
        'Done?': { Type: 'Choice', Choices: [{ Variable: '$.child.Status', StringEquals: 'SUCCEEDED', Next: 'Ok' }], Default: 'Bad' },
        'Ok': { Type: 'Succeed' },
        'Bad': { Type: 'Fail', Error: 'Child.Failed' },
      },
    }).explore();
    expect(report.states.notReached).toEqual([]);
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Bad']);
  });

  it('still reaches the Default of a Choice on the child\'s output, which the Status does not decide', async () => {
    const wf = jsonata("{% $states.input.Output.kind = 'full' %}");
    const report = await wf.explore();
    expect(report.states.unreachable).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Bad'));
  });
});

/*
 * The same for every Run a Job integration whose job's answer is what one AWS SDK call describes
 * (the catalogue's `running.described`): Glue's GetJobRun, Batch's DescribeJobs, Athena's
 * GetQueryExecution, CodeBuild's BatchGetBuilds, SageMaker's Describe… calls. A Choice on the
 * job's final state after the Task has every other state fail the Task, so its Default is proved
 * unreachable, where explore reached it with a made-up state (`{"JobRunState": ""}`) AWS never gives.
 */
describe('explore proves the Default of a Choice on any described .sync job\'s final state unreachable', () => {
  const jobs: Array<[string, string, object, string, string]> = [
    ['Glue', 'arn:aws:states:::glue:startJobRun.sync', { JobName: 'nightly' }, 'JobRunState', 'SUCCEEDED'],
    ['Batch', 'arn:aws:states:::batch:submitJob.sync', { JobName: 'n', JobQueue: 'q', JobDefinition: 'd' }, 'Status', 'SUCCEEDED'],
    ['Athena', 'arn:aws:states:::athena:startQueryExecution.sync', { QueryString: 'SELECT 1', WorkGroup: 'primary' }, 'QueryExecution.Status.State', 'SUCCEEDED'],
    ['DataBrew', 'arn:aws:states:::databrew:startJobRun.sync', { Name: 'clean' }, 'State', 'SUCCEEDED'],
    ['CodeBuild', 'arn:aws:states:::codebuild:startBuild.sync', { ProjectName: 'app' }, 'Build.BuildStatus', 'SUCCEEDED'],
    ['SageMaker', 'arn:aws:states:::sagemaker:createTransformJob.sync', { TransformJobName: 't', ModelName: 'm' }, 'TransformJobStatus', 'Completed'],
  ];

  it.each(jobs)('proves it for %s, whose job the catalogue says one API describes', async (_name, resource, args, at, succeeded) => {
    const [rule] = failRulesOf(resource);
    expect(rule.running?.described).toBeDefined();
    const report = await machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Run job',
      States: {
        'Run job': { Type: 'Task', Resource: resource, Arguments: args, Next: 'Done?' },
        'Done?': { Type: 'Choice', Choices: [{ Condition: `{% $states.input.${at} = '${succeeded}' %}`, Next: 'Ok' }], Default: 'Odd' },
        'Ok': { Type: 'Succeed' },
        'Odd': { Type: 'Fail', Error: 'Job.UnknownState' },
      },
    }).explore();
    expect(report.states.notReached).toEqual([]);
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Odd']);
    expect(report.choiceRules.unreachable[0].reason).toContain(`'Run job' answers .${at} one of`);
  });

  it('lists, for every described job, the states its describing API gives that end it and let the Task succeed: its success among them', () => {
    for (const [, resource, , , succeeded] of jobs) {
      const [rule] = failRulesOf(resource);
      const described = rule.running!.described!;
      const steps = described.at.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      const listed = answerShapeAt(`arn:aws:states:::aws-sdk:${described.api[0]}:${described.api[1]}`, steps);
      const failing = 'oneOf' in rule.test ? rule.test.oneOf : [];
      const left = listed?.type === 'string' ? listed.enum?.filter((s: string) => !failing.includes(s) && !rule.running!.oneOf.includes(s)) : undefined;
      expect(left).toEqual([succeeded]);
    }
  });
});
