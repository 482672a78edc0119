import { machine, reaching, replays } from './helpers';
import { failRulesOf } from '../../src/asl/answer-outcomes';
import { jobAnswerRefusal } from '../../src/explore/job-answers';

/*
 * Issue 77, explore round 4: the `.sync` jobs of ECS, EMR and EKS were not bounded like Glue's
 * or Batch's (a0f03f73). An ECS `runTask.sync` answers with the task as DescribeTasks gives it
 * once it has STOPPED, the last state of its lifecycle
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html),
 * its StopCode one the ECS model lists; an EMR step or cluster answers in a state the EMR model
 * lists (DescribeStep, DescribeCluster). Explore made up `"LastStatus": "STOPPEDx"` and
 * `"State": "COMPLETEDx"` to reach a Choice's Default. Which form EMR's answer takes (the describe
 * call's `Step.Status.State`, or the step's own `Status.State`) no page says, so both stay
 * searchable, each with a state the model lists.
 */

const ECS = 'arn:aws:states:::ecs:runTask.sync';

function afterJob(resource: string, args: object, condition: string) {
  return machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Run job',
    States: {
      'Run job': { Type: 'Task', Resource: resource, Arguments: args, Next: 'Ended well?' },
      'Ended well?': { Type: 'Choice', Choices: [{ Condition: `{% ${condition} %}`, Next: 'Ok' }], Default: 'Odd' },
      'Ok': { Type: 'Succeed' },
      'Odd': { Type: 'Fail', Error: 'Job.OddState' },
    },
  });
}

describe('explore bounds an ECS task\'s final state', () => {
  const args = { Cluster: 'c', TaskDefinition: 'td', LaunchType: 'FARGATE' };

  it('proves the Default of a Choice on LastStatus = STOPPED unreachable: a .sync task answers once STOPPED', async () => {
    const report = await afterJob(ECS, args, "$states.input.LastStatus = 'STOPPED'").explore();
    expect(report.states.notReached).toEqual([]);
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Odd']);
    // The proof names the state the rule meets, not only the StopCode that fails the Task.
    expect(report.states.unreachable[0].reason).toMatch(/\.LastStatus then STOPPED/);
  });

  it('refuses an answer whose LastStatus is none of the task lifecycle\'s, or missing, and a StopCode the model does not list', () => {
    expect(jobAnswerRefusal('Run job', ECS, { LastStatus: 'STOPPEDx', StopCode: 'EssentialContainerExited' })).toContain('.LastStatus = "STOPPEDx"');
    expect(jobAnswerRefusal('Run job', ECS, { StopCode: 'EssentialContainerExited' })).toContain('.LastStatus = null');
    expect(jobAnswerRefusal('Run job', ECS, { LastStatus: 'STOPPED', StopCode: 'Exitedx' })).toContain('.StopCode = "Exitedx"');
    expect(jobAnswerRefusal('Run job', ECS, { LastStatus: 'STOPPED', StopCode: 'UserInitiated' })).toBeUndefined();
  });

  it('reaches the Default of a Choice on the StopCode with none or one the ECS model lists (no page says a stopped task has one), never a made-up one', async () => {
    const wf = afterJob(ECS, args, "$states.input.StopCode = 'EssentialContainerExited'");
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const odd = reaching(report, 'states', 'Odd');
    const answer = (odd.mocks['Run job'] as { Return: { StopCode?: unknown; LastStatus?: unknown } }).Return;
    expect(answer.LastStatus).toBe('STOPPED');
    expect([null, undefined, 'UserInitiated', 'ServiceSchedulerInitiated', 'SpotInterruption', 'TerminationNotice']).toContain(answer.StopCode);
    expect(jobAnswerRefusal('Run job', ECS, answer as never)).toBeUndefined();
    await replays(wf, odd);
  });
});

describe('explore gives an EMR step or cluster only the states the EMR model lists', () => {
  const jobs: Array<[string, string, object, string]> = [
    ['addStep', 'arn:aws:states:::elasticmapreduce:addStep.sync', { ClusterId: 'j-1', Step: { Name: 's', HadoopJarStep: { Jar: 'command-runner.jar' } } },
      "$states.input.Step.Status.State = 'COMPLETED'"],
    ['createCluster', 'arn:aws:states:::elasticmapreduce:createCluster.sync', { Name: 'c', ReleaseLabel: 'emr-6.15.0', Instances: {} },
      "$states.input.Cluster.Status.State = 'WAITING'"],
  ];

  it.each(jobs)('names the model that lists %s\'s states, and reaches the Default with a listed state', async (_name, resource, args, condition) => {
    const rule = failRulesOf(resource)[0];
    expect(rule.running?.described?.api[0]).toBe('emr');
    expect(jobAnswerRefusal('Run job', resource, { Step: { Status: { State: 'COMPLETEDx' } }, Cluster: { Status: { State: 'WAITINGx' } } })).toContain('none of the job states');
    const wf = afterJob(resource, args, condition);
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const odd = reaching(report, 'states', 'Odd');
    const answer = (odd.mocks['Run job'] as { Return: object }).Return;
    expect(JSON.stringify(answer)).not.toMatch(/x"/);
    expect(jobAnswerRefusal('Run job', resource, answer as never)).toBeUndefined();
    await replays(wf, odd);
  });
});

describe('explore gives an EKS resource, an EMR on EKS job run and an EMR Serverless application or job run only the states their models list', () => {
  // The describe call each `.sync` answer is (connect-eks.html, connect-emr-eks.html, connect-emr-serverless.html name the
  // calls; DescribeCluster, DescribeNodegroup, DescribeFargateProfile, DescribeJobRun, GetApplication, GetJobRun list the states).
  const role = 'arn:aws:iam::123456789012:role/r';
  const jobs: Array<[string, string, object, string, string]> = [
    ['eks:createCluster', 'arn:aws:states:::eks:createCluster.sync', { Name: 'c', RoleArn: role, ResourcesVpcConfig: { SubnetIds: ['s-1'] } },
      "$states.input.Cluster.Status = 'ACTIVE'", 'eks'],
    ['eks:createNodegroup', 'arn:aws:states:::eks:createNodegroup.sync', { ClusterName: 'c', NodegroupName: 'n', NodeRole: role, Subnets: ['s-1'] },
      "$states.input.Nodegroup.Status = 'ACTIVE'", 'eks'],
    ['eks:deleteFargateProfile', 'arn:aws:states:::eks:deleteFargateProfile.sync', { ClusterName: 'c', FargateProfileName: 'f' },
      "$states.input.FargateProfile.Status = 'DELETING'", 'eks'],
    ['emr-containers:startJobRun', 'arn:aws:states:::emr-containers:startJobRun.sync',
      { VirtualClusterId: 'v', ExecutionRoleArn: role, ReleaseLabel: 'emr-6.15.0-latest', JobDriver: { SparkSubmitJobDriver: { EntryPoint: 's3://b/job.py' } } },
      "$states.input.JobRun.State = 'COMPLETED'", 'emrcontainers'],
    ['emr-serverless:startJobRun', 'arn:aws:states:::emr-serverless:startJobRun.sync',
      { ApplicationId: 'a', ExecutionRoleArn: role, JobDriver: { SparkSubmit: { EntryPoint: 's3://b/job.py' } } },
      "$states.input.JobRun.State = 'SUCCESS'", 'emrserverless'],
    ['emr-serverless:startApplication', 'arn:aws:states:::emr-serverless:startApplication.sync', { ApplicationId: 'a' },
      "$states.input.Application.State = 'STARTED'", 'emrserverless'],
  ];

  it.each(jobs)('names the model that lists %s\'s states, refuses a state it does not list, and reaches the Default with a listed one', async (_name, resource, args, condition, service) => {
    const rule = failRulesOf(resource)[0];
    expect(rule.running?.described?.api[0]).toBe(service);
    const [top, field] = rule.at[0].split('.');
    expect(jobAnswerRefusal('Run job', resource, { [top]: { [field]: 'ENDEDx' } })).toContain('none of the job states');
    expect(jobAnswerRefusal('Run job', resource, { [field]: 'ENDEDx' })).toContain('none of the job states');
    const wf = afterJob(resource, args, condition);
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const odd = reaching(report, 'states', 'Odd');
    const answer = (odd.mocks['Run job'] as { Return: object }).Return;
    expect(JSON.stringify(answer)).not.toMatch(/x"/);
    expect(jobAnswerRefusal('Run job', resource, answer as never)).toBeUndefined();
    await replays(wf, odd);
  });
});

describe('explore gives a Kubernetes Job the condition a finished Job holds', () => {
  it('reaches a branch on the Job\'s succeeded count, the answer given the Complete condition it lacked', async () => {
    const wf = afterJob('arn:aws:states:::eks:runJob.sync', {
      ClusterName: 'c', CertificateAuthority: 'ca', Endpoint: 'https://k8s.example', Job: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: {} },
    }, '$states.input.ResponseBody.status.succeeded = 1');
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const ok = reaching(report, 'states', 'Ok');
    expect(JSON.stringify(ok.mocks['Run job'])).toContain('"type":"Complete"');
    await replays(wf, ok);
  });
});
