import { DEVELOPER_GUIDE } from './developer-guide';
import type { CataloguePattern } from './integrations';

/*
 * Which answers of each optimized integration fail the Task (a PutEvents with failed entries, an
 * invoke with a FunctionError, a `.sync` job that ended FAILED), and where AWS says so: the
 * `outcome` of each row of the catalogue (integrations.ts), which answer-outcomes.ts compiles
 * into the judge every answer passes. Data only, as the catalogue is.
 */

/**
 * Where in an answer a rule looks: a dotted path of fields (`Status`, `QueryExecution.Status.State`),
 * `*` standing for every entry of a list (`Containers.*.ExitCode`: any container's exit code).
 */
export type AnswerPath = string;

/** What the value at a rule's path must be for the answer to fail the Task. */
export type AnswerTest =
  /** A string among these (a job's terminal status). */
  | { readonly oneOf: readonly string[] }
  /** A number greater than this (`FailedEntryCount` above 0, a non-zero exit code). */
  | { readonly above: number }
  /** Any value but null (Lambda's `FunctionError`). */
  | { readonly present: true }
  /** A list with at least one entry (ECS's `Failures`). */
  | { readonly nonEmpty: true }
  /** A number outside this inclusive range (an HTTP status other than 2xx). */
  | { readonly outside: readonly [number, number] };

/**
 * The error an answer that fails the Task raises: Step Functions' own `States.TaskFailed`, a
 * fixed name, a name the answer carries (Lambda's `errorType`, else `Lambda.Unknown`), or the
 * row's error prefix, `infix` and the HTTP status the answer carries (`ApiGateway.404`,
 * `States.Http.StatusCode.404`).
 */
export type AnswerError =
  | { readonly taskFailed: true }
  | { readonly name: string }
  | { readonly from: AnswerPath; readonly otherwise: string }
  | { readonly status: AnswerPath; readonly infix: string };

/** The cause of that error: the whole answer as JSON, or one of its fields (a string as it is, any other value as JSON). */
export type AnswerCause = 'answer' | { readonly field: AnswerPath };

/** One answer AWS turns into the Task's failure. */
export interface CatalogueFailRule {
  /** The integration patterns whose answer it judges (a callback's answer is the call's, not the worker's). */
  readonly patterns: readonly CataloguePattern[];
  /** The paths looked at; the answer fails when the value at any of them passes `test`. */
  readonly at: readonly AnswerPath[];
  readonly test: AnswerTest;
  readonly error: AnswerError;
  readonly cause: AnswerCause;
  /** An answer this rule fails, and one beside it it lets through (tests, the advice's examples, explore's made-up answers). */
  readonly failing: Readonly<Record<string, unknown>>;
  readonly succeeding: Readonly<Record<string, unknown>>;
  /**
   * Where AWS says so: pages' addresses, `recording:` and a recorded execution of ../shared/conformance/cases, or
   * `observed:` and the address of a report that quotes an execution AWS ran (its failure's error and cause as AWS gave them).
   */
  readonly source: readonly string[];
  /** A `.sync` job's states before it ends, where its answer holds them (see {@link CatalogueRunning}). */
  readonly running?: CatalogueRunning;
}

/**
 * The states a Run a Job (`.sync`) Task's job passes through before it ends, as the service's API
 * reference (the rule's `source`) lists them, and where the job's answer holds its state. Step
 * Functions waits for the job to end ("Call a service and have Step Functions wait for a job to
 * complete", connect-to-resource.html#connect-sync), so no answer a `.sync` Task gets holds one:
 * a mock that does is an answer AWS never gives (advice, never a failure).
 */
export interface CatalogueRunning {
  readonly at: readonly AnswerPath[];
  readonly oneOf: readonly string[];
  /**
   * The API whose answer the job's answer is (`[service, action]` as the AWS SDK integrations name
   * them) and the path of the job's state in it, where the rule's paths read it: its model's enum
   * lists every state the job can be in, so the states a job ends in that let the Task succeed are
   * that list less `oneOf` and the rule's failing states (explore proves a branch on them).
   */
  readonly described?: { readonly api: readonly [string, string]; readonly at: AnswerPath };
  /**
   * The states the job holds at `at` once it has ended, where the model lists none (ECS's task
   * lifecycle, whose last state is STOPPED): a `.sync` answer holds one of them there.
   */
  readonly ended?: readonly string[];
}

/**
 * How an integration's answers become the Task's outcome: the answers that fail it, or `none`
 * (every answer the service gives is the Task's result; its failures are the service's errors)
 * with where AWS says so.
 */
export type CatalogueOutcome =
  | { readonly fails: readonly CatalogueFailRule[] }
  | { readonly none: string; readonly source: readonly string[] };


/** A nested object holding `value` at a dotted path (`Job.Status`): the examples of the rules below. */
function answerAt(path: AnswerPath, value: unknown): Record<string, unknown> {
  return path.split('.').reduceRight<Record<string, unknown>>((inner, key, i, keys) => (i === keys.length - 1 ? { [key]: value } : { [key]: inner }), {});
}

/**
 * A Run a Job (`.sync`) Task waits for its job to end, and its answer is the job as the
 * service's describe call gives it (the guide's "Run a Job"): an answer whose status at `path`
 * is one of the job's terminal states other than its success fails the Task with
 * `States.TaskFailed` and the job's description as cause, as AWS recorded for a child execution
 * and an ECS task (../shared/conformance). `source` names where the service lists those states.
 */
function jobEnds(path: AnswerPath | readonly AnswerPath[], failing: readonly string[], succeeded: string, running: readonly string[], source: string,
  patterns: readonly CataloguePattern[] = ['sync']): CatalogueFailRule {
  const paths = typeof path === 'string' ? [path] : path;
  return {
    patterns,
    at: paths,
    test: { oneOf: failing },
    error: { taskFailed: true },
    cause: 'answer',
    failing: answerAt(paths[0], failing[0]),
    succeeding: answerAt(paths[0], succeeded),
    source: [`${DEVELOPER_GUIDE}connect-to-resource.html#connect-sync`, source],
    ...(running.length > 0 ? { running: { at: paths, oneOf: running } } : {}),
  };
}

/**
 * A `.sync` rule whose job's answer is what `service:action` answers (an AWS SDK integration),
 * the job's state at `at` there: its model lists every state (CatalogueRunning.described).
 */
function describedBy(rule: CatalogueFailRule, service: string, action: string, at: AnswerPath): CatalogueFailRule {
  const running = { ...rule.running, at: rule.running?.at ?? rule.at, oneOf: rule.running?.oneOf ?? [] };
  return { ...rule, running: { ...running, described: { api: [service, action], at } } };
}

/** An integration none of whose answers fails the Task, and where AWS says so. */
function none(why: string, ...source: string[]): CatalogueOutcome {
  return { none: why, source: source.map((page) => (page.startsWith('https://') ? page : `${DEVELOPER_GUIDE}${page}`)) };
}

const fails = (...rules: CatalogueFailRule[]): CatalogueOutcome => ({ fails: rules });

/** The answer of a request is the API's answer, as its model gives it; a failure is the API's error. */
const API_ANSWER = 'the answer is the API\'s own, which no status in it turns into a failure; the service\'s errors are the Task\'s';
/** A `.sync` call that waits for a resource to go away or a job to stop: it ends the way it was asked to, whatever state the resource was in. */
const ENDS_AS_ASKED = 'the call waits for the resource to reach the state it asked for; no state it reports on the way is a failure the guide or the API names';

const RECORDED = 'recording: ';
const OBSERVED = 'observed: ';
const EMR_SERVERLESS_APPLICATION = 'https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_Application.html';
/** The call whose answer an EMR Serverless application's `.sync` answer is, and where it holds the application's state. */
const EMR_SERVERLESS_GET_APPLICATION = ['emrserverless', 'getApplication', 'Application.State'] as const;
const SAGEMAKER = (job: string): string => `https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Describe${job}.html`;

/**
 * Which answers of each integration fail the Task, by `service:action` ("Where this issue is
 * silent": any answer AWS documents as failing a Task fails it locally, at every door). The
 * recordings win where they and a page disagree. contracts/outcomes.ts compiles them, once per
 * Resource, into the judge every answer a Task gets passes through (workbench/mocks/dispatch.ts).
 */
export const OUTCOMES: Readonly<Record<string, CatalogueOutcome>> = {
  'lambda:invoke': fails({
    // Lambda answers a function error with status 200 and FunctionError ("Unhandled", or "Handled" from older runtimes).
    patterns: ['request', 'waitForTaskToken'],
    at: ['FunctionError'],
    test: { present: true },
    error: { from: 'Payload.errorType', otherwise: 'Lambda.Unknown' },
    cause: { field: 'Payload' },
    failing: { StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST', Payload: { errorType: 'Error', errorMessage: 'failed' } },
    succeeding: { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: {} },
    source: [
      // "Key features of Optimized Lambda integration: ... If an exception is raised within the Lambda function, the Task will fail."
      `${DEVELOPER_GUIDE}connect-lambda.html`,
      `${RECORDED}error_handling/TestTaskServiceLambda_test_raise_custom_exception_get_execution_history--f6a270ef.json`,
      `${DEVELOPER_GUIDE}bp-lambda-serviceexception.html`,
    ],
  }),
  'sqs:sendMessage': none(API_ANSWER, 'connect-sqs.html'),
  'sns:publish': none(API_ANSWER, 'connect-sns.html'),
  'dynamodb:getItem': none(API_ANSWER, 'connect-ddb.html'),
  'dynamodb:putItem': none(API_ANSWER, 'connect-ddb.html'),
  'dynamodb:updateItem': none(API_ANSWER, 'connect-ddb.html'),
  'dynamodb:deleteItem': none(API_ANSWER, 'connect-ddb.html'),
  'events:putEvents': fails({
    patterns: ['request', 'waitForTaskToken'],
    at: ['FailedEntryCount'],
    test: { above: 0 },
    error: { name: 'EventBridge.FailedEntry' },
    cause: 'answer',
    // eslint-disable-next-line no-restricted-syntax -- EventBridge's entry error code, not Step Functions' API error
    failing: { Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' }], FailedEntryCount: 1 },
    succeeding: { Entries: [{ EventId: '11710aed-b79e-4468-a20b-bb3c0c3b4860' }], FailedEntryCount: 0 },
    source: [
      `${DEVELOPER_GUIDE}connect-eventbridge.html`,
      `${RECORDED}services/TestTaskServiceEvents_test_put_events_malformed_detail_get_execution_history--68eb6a71.json`,
      `${RECORDED}services/TestTaskServiceEvents_test_put_events_mixed_malformed_detail_get_execution_history--f4a01322.json`,
      `${RECORDED}services/TestTaskServiceEvents_test_put_events_no_source_get_execution_history--69bafa6d.json`,
    ],
  }, {
    // PutEvents sets an entry's ErrorCode when it fails and counts it in FailedEntryCount ("The number of failed entries"):
    // no answer AWS gives holds a failed entry beside a count of 0 or none, and every one that holds one fails the Task.
    patterns: ['request', 'waitForTaskToken'],
    at: ['Entries.*.ErrorCode'],
    test: { present: true },
    error: { name: 'EventBridge.FailedEntry' },
    cause: 'answer',
    failing: { Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }] },
    succeeding: { Entries: [{ EventId: '11710aed-b79e-4468-a20b-bb3c0c3b4860' }], FailedEntryCount: 0 },
    source: [
      'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html',
      'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html',
      `${RECORDED}services/TestTaskServiceEvents_test_put_events_malformed_detail_get_execution_history--68eb6a71.json`,
    ],
  }),
  'ecs:runTask': fails(
    {
      // "Request Response: return the response and do not fail the task"; Run a Job and Task Token: AmazonECS.Unknown.
      patterns: ['sync', 'waitForTaskToken'],
      at: ['Failures'],
      test: { nonEmpty: true },
      error: { name: 'AmazonECS.Unknown' },
      cause: 'answer',
      failing: { Failures: [{ Reason: 'RESOURCE:MEMORY', Detail: 'no container instance has the memory the task needs' }], Tasks: [] },
      succeeding: { Failures: [], Tasks: [{ LastStatus: 'PROVISIONING' }] },
      source: [`${DEVELOPER_GUIDE}connect-ecs.html`],
    },
    describedBy({
      ...jobEnds('StopCode', ['TaskFailedToStart'], 'EssentialContainerExited', [], `${RECORDED}services/TestTaskServiceECS_test_run_task_sync_raise_failure_get_execution_history--23429839.json`),
      failing: { LastStatus: 'STOPPED', StopCode: 'TaskFailedToStart', StoppedReason: 'CannotPullContainerError: pull access denied' },
      succeeding: { LastStatus: 'STOPPED', StopCode: 'EssentialContainerExited', Containers: [{ ExitCode: 0 }] },
      // The task's lifecycle before STOPPED, its last state (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html);
      // the model lists no LastStatus, and the StopCodes DescribeTasks gives.
      running: { at: ['LastStatus'], oneOf: ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING'], ended: ['STOPPED'] },
    }, 'ecs', 'describeTasks', 'Tasks.0.StopCode'),
    {
      // The task the Task waited for ended, and a container in it exited with an error: the job did not succeed. Observed: a
      // runTask.sync Task whose task stopped as "Essential container in task exited" failed with States.TaskFailed, the task as
      // cause (an exit of 0 ends a task with that StopCode too, and succeeds). Any container, essential or not: observed, a
      // runTask.sync Task whose essential container exited 0 and whose non-essential log router, killed as the task stopped,
      // exited 137 failed with States.TaskFailed (wellcomecollection/catalogue-pipeline pull request 3377, StopCode
      // EssentialContainerExited). DescribeTasks' Container carries no `essential` flag, and Step Functions does not read one.
      ...jobEnds('Containers.*.ExitCode', [], '', [], 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Container.html'),
      source: [`${DEVELOPER_GUIDE}connect-to-resource.html#connect-sync`, 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Container.html',
        `${OBSERVED}https://github.com/awslabs/realtime-fraud-detection-with-gnn-on-dgl/issues/1192`,
        `${OBSERVED}https://github.com/wellcomecollection/catalogue-pipeline/pull/3377`],
      test: { above: 0 },
      failing: { LastStatus: 'STOPPED', StopCode: 'EssentialContainerExited', Containers: [{ ExitCode: 1, Name: 'app' }] },
      succeeding: { LastStatus: 'STOPPED', StopCode: 'EssentialContainerExited', Containers: [{ ExitCode: 0, Name: 'app' }] },
    },
  ),
  // The guide's Batch sample projects: the Task "waits for the job to succeed or fail", and a Catch of States.ALL takes a job that failed.
  'batch:submitJob': fails(describedBy({
    ...jobEnds('Status', ['FAILED'], 'SUCCEEDED', ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING'], 'https://docs.aws.amazon.com/batch/latest/userguide/job_states.html'),
    source: [`${DEVELOPER_GUIDE}connect-to-resource.html#connect-sync`, 'https://docs.aws.amazon.com/batch/latest/userguide/job_states.html',
      `${DEVELOPER_GUIDE}batch-job-notification.html`],
  }, 'batch', 'describeJobs', 'Jobs.0.Status')),
  // "Statuses that indicate abnormal job termination": FAILED, ERROR, TIMEOUT; STOPPED, a run someone stopped, and EXPIRED
  // (the model's JobRunState), a run that never ran, did not complete either.
  'glue:startJobRun': fails(describedBy({
    ...jobEnds('JobRunState', ['FAILED', 'ERROR', 'TIMEOUT', 'STOPPED', 'EXPIRED'], 'SUCCEEDED', ['STARTING', 'RUNNING', 'STOPPING', 'WAITING'], 'https://docs.aws.amazon.com/glue/latest/dg/job-run-statuses.html'),
    source: [`${DEVELOPER_GUIDE}connect-to-resource.html#connect-sync`, 'https://docs.aws.amazon.com/glue/latest/dg/job-run-statuses.html',
      'https://docs.aws.amazon.com/glue/latest/webapi/API_JobRun.html'],
  }, 'glue', 'getJobRun', 'JobRun.JobRunState')),
  'athena:startQueryExecution': fails(describedBy(jobEnds('QueryExecution.Status.State', ['FAILED', 'CANCELLED'], 'SUCCEEDED', ['QUEUED', 'RUNNING'],
    'https://docs.aws.amazon.com/athena/latest/APIReference/API_QueryExecutionStatus.html'), 'athena', 'getQueryExecution', 'QueryExecution.Status.State')),
  'athena:stopQueryExecution': none(API_ANSWER, 'connect-athena.html'),
  // A query's state read with a request-response call is data, not the Task's outcome.
  'athena:getQueryExecution': none(API_ANSWER, 'connect-athena.html'),
  'athena:getQueryResults': none(API_ANSWER, 'connect-athena.html'),
  'databrew:startJobRun': fails(describedBy(jobEnds('State', ['FAILED', 'TIMEOUT', 'STOPPED'], 'SUCCEEDED', ['STARTING', 'RUNNING', 'STOPPING'], 'https://docs.aws.amazon.com/databrew/latest/dg/API_DescribeJobRun.html'), 'databrew', 'describeJobRun', 'State')),
  'states:startExecution': fails({
    ...jobEnds('Status', ['FAILED', 'TIMED_OUT', 'ABORTED'], 'SUCCEEDED', ['RUNNING', 'PENDING_REDRIVE'],
      `${RECORDED}callback/TestCallback_test_start_execution_sync_delegate_failure_get_execution_history--53291519.json`, ['sync', 'sync:2']),
    // The answer holds the child execution as DescribeExecution describes it (the recording, API_DescribeExecution.html).
    running: { at: ['Status'], oneOf: ['RUNNING', 'PENDING_REDRIVE'], described: { api: ['sfn', 'describeExecution'], at: 'Status' } },
    source: [
      `${RECORDED}callback/TestCallback_test_start_execution_sync_delegate_failure_get_execution_history--53291519.json`,
      'https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html',
    ],
  }),
  'apigateway:invoke': fails({
    // "A status code of 2XX indicates success ... All other status codes ... will result in an error": ApiGateway.<status>, the cause a string.
    patterns: ['request', 'waitForTaskToken'],
    at: ['StatusCode'],
    test: { outside: [200, 299] },
    error: { status: 'StatusCode', infix: '.' },
    cause: { field: 'ResponseBody' },
    failing: { ResponseBody: { message: 'Missing Authentication Token' }, StatusCode: 403, StatusText: 'Forbidden', Headers: {} },
    succeeding: { ResponseBody: {}, StatusCode: 200, StatusText: 'OK', Headers: {} },
    source: [`${DEVELOPER_GUIDE}connect-api-gateway.html#connect-api-gateway-errors`],
  }),
  'http:invoke': fails({
    patterns: ['request'],
    at: ['StatusCode'],
    test: { outside: [200, 299] },
    error: { status: 'StatusCode', infix: '.StatusCode.' },
    cause: { field: 'ResponseBody' },
    failing: { ResponseBody: { message: 'Not Found' }, StatusCode: 404, StatusText: 'Not Found', Headers: {} },
    succeeding: { ResponseBody: {}, StatusCode: 200, StatusText: 'OK', Headers: {} },
    source: [`${DEVELOPER_GUIDE}call-https-apis.html`],
  }),
  'bedrock:invokeModel': none(API_ANSWER, 'connect-bedrock.html'),
  'bedrock:createModelCustomizationJob': fails(describedBy(jobEnds('Status', ['Failed', 'Stopped'], 'Completed', ['InProgress', 'Stopping'],
    'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetModelCustomizationJob.html'), 'bedrock', 'getModelCustomizationJob', 'Status')),
  'bedrockagentcore:invokeHarness': none(API_ANSWER, 'connect-bedrockagentcore.html'),
  'mediaconvert:createJob': fails(describedBy(jobEnds('Job.Status', ['ERROR', 'CANCELED'], 'COMPLETE', ['SUBMITTED', 'PROGRESSING'], 'https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs-id.html'), 'mediaconvert', 'getJob', 'Job.Status')),
  'codebuild:startBuild': fails(describedBy(jobEnds('Build.BuildStatus', ['FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED'], 'SUCCEEDED', ['IN_PROGRESS'],
    'https://docs.aws.amazon.com/codebuild/latest/APIReference/API_Build.html'), 'codebuild', 'batchGetBuilds', 'Builds.0.BuildStatus')),
  'codebuild:stopBuild': none(API_ANSWER, 'connect-codebuild.html'),
  'codebuild:batchDeleteBuilds': none(API_ANSWER, 'connect-codebuild.html'),
  'codebuild:batchGetReports': none(API_ANSWER, 'connect-codebuild.html'),
  'codebuild:startBuildBatch': fails(describedBy(jobEnds('BuildBatch.BuildBatchStatus', ['FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED'], 'SUCCEEDED', ['IN_PROGRESS'],
    'https://docs.aws.amazon.com/codebuild/latest/APIReference/API_BuildBatch.html'), 'codebuild', 'batchGetBuildBatches', 'BuildBatches.0.BuildBatchStatus')),
  'codebuild:stopBuildBatch': none(API_ANSWER, 'connect-codebuild.html'),
  'codebuild:retryBuildBatch': fails(describedBy(jobEnds('BuildBatch.BuildBatchStatus', ['FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED'], 'SUCCEEDED', ['IN_PROGRESS'],
    'https://docs.aws.amazon.com/codebuild/latest/APIReference/API_BuildBatch.html'), 'codebuild', 'batchGetBuildBatches', 'BuildBatches.0.BuildBatchStatus')),
  'codebuild:deleteBuildBatch': none(API_ANSWER, 'connect-codebuild.html'),
  // The cluster as DescribeCluster gives it; TERMINATED_WITH_ERRORS is a cluster that ended in failure before it was up.
  'elasticmapreduce:createCluster': fails(describedBy(jobEnds(['Cluster.Status.State', 'Status.State'], ['TERMINATED_WITH_ERRORS'], 'WAITING', ['STARTING', 'BOOTSTRAPPING'],
    'https://docs.aws.amazon.com/emr/latest/APIReference/API_ClusterStatus.html'), 'emr', 'describeCluster', 'Cluster.Status.State')),
  'elasticmapreduce:addStep': fails(describedBy(jobEnds(['Step.Status.State', 'Status.State'], ['FAILED', 'CANCELLED', 'INTERRUPTED'], 'COMPLETED', ['PENDING', 'CANCEL_PENDING', 'RUNNING'],
    'https://docs.aws.amazon.com/emr/latest/APIReference/API_StepStatus.html'), 'emr', 'describeStep', 'Step.Status.State')),
  'elasticmapreduce:cancelStep': none(API_ANSWER, 'connect-emr.html'),
  'elasticmapreduce:terminateCluster': none(ENDS_AS_ASKED, 'connect-emr.html', 'https://docs.aws.amazon.com/emr/latest/APIReference/API_ClusterStatus.html'),
  'elasticmapreduce:setClusterTerminationProtection': none(API_ANSWER, 'connect-emr.html'),
  'elasticmapreduce:modifyInstanceFleetByName': none(API_ANSWER, 'connect-emr.html'),
  'elasticmapreduce:modifyInstanceGroupByName': none(API_ANSWER, 'connect-emr.html'),
  'emr-containers:createVirtualCluster': none(API_ANSWER, 'connect-emr-eks.html'),
  'emr-containers:deleteVirtualCluster': none(ENDS_AS_ASKED, 'connect-emr-eks.html', 'https://docs.aws.amazon.com/emr-on-eks/latest/APIReference/API_VirtualCluster.html'),
  'emr-containers:startJobRun': fails(describedBy(jobEnds(['JobRun.State', 'State'], ['FAILED', 'CANCELLED'], 'COMPLETED', ['PENDING', 'SUBMITTED', 'RUNNING', 'CANCEL_PENDING'],
    'https://docs.aws.amazon.com/emr-on-eks/latest/APIReference/API_JobRun.html'), 'emrcontainers', 'describeJobRun', 'JobRun.State')),
  // An application that ends TERMINATED never became what the call waited for (CREATED, STARTED, STOPPED).
  'emr-serverless:createApplication': fails(describedBy(jobEnds(['Application.State', 'State'], ['TERMINATED'], 'CREATED', ['CREATING'], EMR_SERVERLESS_APPLICATION), ...EMR_SERVERLESS_GET_APPLICATION)),
  'emr-serverless:startApplication': fails(describedBy(jobEnds(['Application.State', 'State'], ['TERMINATED'], 'STARTED', ['STARTING'], EMR_SERVERLESS_APPLICATION), ...EMR_SERVERLESS_GET_APPLICATION)),
  'emr-serverless:stopApplication': fails(describedBy(jobEnds(['Application.State', 'State'], ['TERMINATED'], 'STOPPED', ['STOPPING'], EMR_SERVERLESS_APPLICATION), ...EMR_SERVERLESS_GET_APPLICATION)),
  'emr-serverless:deleteApplication': none(ENDS_AS_ASKED, 'connect-emr-serverless.html', EMR_SERVERLESS_APPLICATION),
  'emr-serverless:startJobRun': fails(describedBy(jobEnds(['JobRun.State', 'State'], ['FAILED', 'CANCELLED'], 'SUCCESS', ['SUBMITTED', 'PENDING', 'SCHEDULED', 'RUNNING', 'CANCELLING', 'QUEUED'],
    'https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_JobRun.html'), 'emrserverless', 'getJobRun', 'JobRun.State')),
  'emr-serverless:cancelJobRun': none(ENDS_AS_ASKED, 'connect-emr-serverless.html', 'https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_JobRun.html'),
  // The resource as EKS's describe call gives it (`Cluster`, `Nodegroup`, `FargateProfile`), or its fields alone, as for EMR.
  'eks:createCluster': fails(describedBy(jobEnds(['Cluster.Status', 'Status'], ['FAILED'], 'ACTIVE', ['CREATING'], 'https://docs.aws.amazon.com/eks/latest/APIReference/API_Cluster.html'), 'eks', 'describeCluster', 'Cluster.Status')),
  'eks:deleteCluster': fails(describedBy(jobEnds(['Cluster.Status', 'Status'], ['FAILED'], 'DELETING', [], 'https://docs.aws.amazon.com/eks/latest/APIReference/API_Cluster.html'), 'eks', 'describeCluster', 'Cluster.Status')),
  'eks:createNodegroup': fails(describedBy(jobEnds(['Nodegroup.Status', 'Status'], ['CREATE_FAILED'], 'ACTIVE', ['CREATING'], 'https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html'), 'eks', 'describeNodegroup', 'Nodegroup.Status')),
  'eks:deleteNodegroup': fails(describedBy(jobEnds(['Nodegroup.Status', 'Status'], ['DELETE_FAILED'], 'DELETING', [], 'https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html'), 'eks', 'describeNodegroup', 'Nodegroup.Status')),
  'eks:createFargateProfile': fails(describedBy(jobEnds(['FargateProfile.Status', 'Status'], ['CREATE_FAILED'], 'ACTIVE', ['CREATING'], 'https://docs.aws.amazon.com/eks/latest/APIReference/API_FargateProfile.html'), 'eks', 'describeFargateProfile', 'FargateProfile.Status')),
  'eks:deleteFargateProfile': fails(describedBy(jobEnds(['FargateProfile.Status', 'Status'], ['DELETE_FAILED'], 'DELETING', [], 'https://docs.aws.amazon.com/eks/latest/APIReference/API_FargateProfile.html'), 'eks', 'describeFargateProfile', 'FargateProfile.Status')),
  // The Kubernetes Job as the API server gives it: a Job that failed carries a condition of type Failed.
  'eks:runJob': fails({
    ...jobEnds(['ResponseBody.status.conditions.*.type', 'status.conditions.*.type'], ['Failed'], 'Complete', [],
      'https://kubernetes.io/docs/concepts/workloads/controllers/job/#job-termination-and-cleanup'),
    failing: { ResponseBody: { status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }], failed: 1 } } },
    succeeding: { ResponseBody: { status: { conditions: [{ type: 'Complete', status: 'True' }], succeeded: 1 } } },
  }),
  // The guide's EKS.401: a Kubernetes answer other than 2xx fails the Task with EKS.<status>, the answer as cause.
  'eks:call': fails({
    patterns: ['request'],
    at: ['StatusCode'],
    test: { outside: [200, 299] },
    error: { status: 'StatusCode', infix: '.' },
    cause: 'answer',
    failing: { ResponseBody: { kind: 'Status', message: 'Unauthorized', code: 401 }, StatusCode: 401, StatusText: 'Unauthorized' },
    succeeding: { ResponseBody: { kind: 'PodList', items: [] }, StatusCode: 200, StatusText: 'OK' },
    source: [`${DEVELOPER_GUIDE}connect-eks.html#connect-eks-permissions`],
  }),
  'sagemaker:createTrainingJob': fails(describedBy(jobEnds('TrainingJobStatus', ['Failed', 'Stopped'], 'Completed', ['InProgress', 'Stopping'], SAGEMAKER('TrainingJob')), 'sagemaker', 'describeTrainingJob', 'TrainingJobStatus')),
  'sagemaker:createTransformJob': fails(describedBy(jobEnds('TransformJobStatus', ['Failed', 'Stopped'], 'Completed', ['InProgress', 'Stopping'], SAGEMAKER('TransformJob')), 'sagemaker', 'describeTransformJob', 'TransformJobStatus')),
  'sagemaker:createProcessingJob': fails(describedBy(jobEnds('ProcessingJobStatus', ['Failed', 'Stopped'], 'Completed', ['InProgress', 'Stopping'], SAGEMAKER('ProcessingJob')), 'sagemaker', 'describeProcessingJob', 'ProcessingJobStatus')),
  'sagemaker:createLabelingJob': fails(describedBy(jobEnds('LabelingJobStatus', ['Failed', 'Stopped'], 'Completed', ['Initializing', 'InProgress', 'Stopping'], SAGEMAKER('LabelingJob')), 'sagemaker', 'describeLabelingJob', 'LabelingJobStatus')),
  'sagemaker:createHyperParameterTuningJob': fails(describedBy(jobEnds('HyperParameterTuningJobStatus', ['Failed', 'Stopped'], 'Completed', ['InProgress', 'Stopping'], SAGEMAKER('HyperParameterTuningJob')), 'sagemaker', 'describeHyperParameterTuningJob', 'HyperParameterTuningJobStatus')),
  'sagemaker:createModel': none(API_ANSWER, 'connect-sagemaker.html'),
  'sagemaker:createEndpointConfig': none(API_ANSWER, 'connect-sagemaker.html'),
  'sagemaker:createEndpoint': none(API_ANSWER, 'connect-sagemaker.html'),
  'sagemaker:updateEndpoint': none(API_ANSWER, 'connect-sagemaker.html'),
};
