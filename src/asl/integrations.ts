/**
 * The catalogue of Step Functions' optimized integrations
 * (`arn:aws:states:::<service>:<action>`): one data-only row per integration
 * holding the facts every other table reads, so that contracts/, iam/ and the
 * validator cannot disagree about them. What each consumer does with a row
 * (request and answer shapes, the ARNs of the resources a Task needs, the
 * validator's findings) stays with that consumer, keyed by the row.
 *
 * Sources: the page of the Step Functions Developer Guide each row names; the
 * patterns from each page's "Supported APIs" and the table of
 * `integrate-optimized.html` ("Optimized integrations in Step Functions");
 * the IAM actions from each page's "IAM policies" section (and, where a page
 * gives none, the Service Authorization Reference, as iam/optimized/ says).
 *
 * This module imports only its own parts (the guide's base, each row's outcome in
 * integration-outcomes.ts): it is the lowest layer contracts/, iam/ and asl/validate/ share
 * (docs/architecture.md, test/layers.test.ts).
 */
import { DEVELOPER_GUIDE } from './developer-guide';
import { OUTCOMES, type CatalogueOutcome } from './integration-outcomes';

export { DEVELOPER_GUIDE } from './developer-guide';
export type {
  AnswerCause, AnswerError, AnswerPath, AnswerTest, CatalogueFailRule, CatalogueOutcome, CatalogueRunning,
} from './integration-outcomes';

/** How a Task calls an optimized integration: the Resource's suffix, `request` for none. */
export type CataloguePattern = 'request' | 'sync' | 'sync:2' | 'waitForTaskToken';

/**
 * The request fields of an integration: either the API of a service model
 * (`[aws-sdk service, operation]`: its model names the fields, the answer and the errors),
 * or the guide's own request, where the integration takes fields no model has.
 */
export type CatalogueFields =
  | { readonly api: readonly [string, string] }
  | { readonly own: readonly string[]; readonly required: readonly string[] };

/**
 * The IAM actions the guide's policy lists for the state machine's role:
 * those of a request-response call (a `.waitForTaskToken` call needs the same),
 * and those `.sync` adds to follow and stop the job. Or why none are listed.
 */
export type CatalogueIam =
  | { readonly request: readonly string[]; readonly sync?: readonly string[] }
  /** Something other than IAM authorizes the call (the Kubernetes API of `eks:call`). */
  | { readonly elsewhere: string }
  /** No page lists a policy for it: the permissions are not checked. */
  | { readonly unlisted: string };

/** One optimized integration. */
export interface CatalogueRow {
  /** `service:action`, as it stands after `arn:aws:states:::` in a Resource. */
  readonly resource: string;
  /** The integration patterns its page lists for it, `request` first. */
  readonly patterns: readonly CataloguePattern[];
  /** Its page of the Step Functions Developer Guide, relative to {@link DEVELOPER_GUIDE}. */
  readonly page: string;
  /** The prefix of the errors it raises (`Lambda`, `DynamoDB`, `States.Http`). */
  readonly errorPrefix: string;
  readonly fields: CatalogueFields;
  readonly iam: CatalogueIam;
  /** Which of its answers fail the Task, with what error and cause (integration-outcomes.ts). */
  readonly outcome: CatalogueOutcome;
}

/** A row, in the order of its fields (the table below reads as one line per integration); its outcome comes from OUTCOMES (integration-outcomes.ts). */
function integration(resource: string, patterns: readonly CataloguePattern[], page: string, errorPrefix: string,
  fields: CatalogueFields, iam: CatalogueIam): CatalogueRow {
  const outcome = OUTCOMES[resource];
  if (outcome === undefined) throw new Error(`asl/integration-outcomes.ts: ${resource} has no outcome; give its failing answers or none, with a source`);
  return { resource, patterns, page, errorPrefix, fields, iam, outcome };
}

const KUBERNETES = "the Kubernetes API of the cluster authorizes it (the role's entry in aws-auth or its access entry), not IAM";

/**
 * Every optimized integration. `http:invoke`: the page is "Call HTTPS APIs in Step Functions
 * workflows" (call-https-apis.html; connect-third-party-apis.html is its former name), whose
 * "HTTP Task errors" name `States.Http.Socket` and `States.Http.StatusCode.<status>`.
 * EKS: connect-eks.html says the Wait for a Callback pattern is not supported.
 */
const ROWS: readonly CatalogueRow[] = [
  integration('lambda:invoke', ['request', 'waitForTaskToken'], 'connect-lambda.html', 'Lambda',
    { api: ['lambda', 'Invoke'] }, { request: ['lambda:InvokeFunction'] }),
  integration('sqs:sendMessage', ['request', 'waitForTaskToken'], 'connect-sqs.html', 'SQS',
    { api: ['sqs', 'SendMessage'] }, { request: ['sqs:SendMessage'] }),
  integration('sns:publish', ['request', 'waitForTaskToken'], 'connect-sns.html', 'SNS', { api: ['sns', 'Publish'] }, { request: ['sns:Publish'] }),
  integration('dynamodb:getItem', ['request'], 'connect-ddb.html', 'DynamoDB', { api: ['dynamodb', 'GetItem'] }, { request: ['dynamodb:GetItem'] }),
  integration('dynamodb:putItem', ['request'], 'connect-ddb.html', 'DynamoDB', { api: ['dynamodb', 'PutItem'] }, { request: ['dynamodb:PutItem'] }),
  integration('dynamodb:updateItem', ['request'], 'connect-ddb.html', 'DynamoDB', { api: ['dynamodb', 'UpdateItem'] }, { request: ['dynamodb:UpdateItem'] }),
  integration('dynamodb:deleteItem', ['request'], 'connect-ddb.html', 'DynamoDB', { api: ['dynamodb', 'DeleteItem'] }, { request: ['dynamodb:DeleteItem'] }),
  integration('events:putEvents', ['request', 'waitForTaskToken'], 'connect-eventbridge.html', 'EventBridge',
    { api: ['eventbridge', 'PutEvents'] }, { request: ['events:PutEvents'] }),
  integration('ecs:runTask', ['request', 'sync', 'waitForTaskToken'], 'connect-ecs.html', 'ECS',
    { api: ['ecs', 'RunTask'] },
    { request: ['ecs:RunTask', 'iam:PassRole'], sync: ['ecs:StopTask', 'ecs:DescribeTasks', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('batch:submitJob', ['request', 'sync'], 'connect-batch.html', 'Batch',
    { api: ['batch', 'SubmitJob'] },
    { request: ['batch:SubmitJob'], sync: ['batch:DescribeJobs', 'batch:TerminateJob', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('glue:startJobRun', ['request', 'sync'], 'connect-glue.html', 'Glue',
    { api: ['glue', 'StartJobRun'] }, { request: ['glue:StartJobRun'], sync: ['glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'] }),
  integration('athena:startQueryExecution', ['request', 'sync'], 'connect-athena.html', 'Athena',
    { api: ['athena', 'StartQueryExecution'] }, { request: ['athena:startQueryExecution'], sync: ['athena:getQueryExecution'] }),
  integration('athena:stopQueryExecution', ['request'], 'connect-athena.html', 'Athena',
    { api: ['athena', 'StopQueryExecution'] }, { request: ['athena:stopQueryExecution'] }),
  integration('athena:getQueryExecution', ['request'], 'connect-athena.html', 'Athena',
    { api: ['athena', 'GetQueryExecution'] }, { request: ['athena:getQueryExecution'] }),
  integration('athena:getQueryResults', ['request'], 'connect-athena.html', 'Athena',
    { api: ['athena', 'GetQueryResults'] }, { request: ['athena:getQueryResults'] }),
  integration('databrew:startJobRun', ['request', 'sync'], 'connect-databrew.html', 'DataBrew',
    { api: ['databrew', 'StartJobRun'] }, { request: ['databrew:StartJobRun'], sync: ['databrew:StopJobRun', 'databrew:ListJobRuns'] }),
  integration('states:startExecution', ['request', 'sync', 'sync:2', 'waitForTaskToken'], 'connect-stepfunctions.html', 'StepFunctions',
    { api: ['sfn', 'StartExecution'] },
    { request: ['states:StartExecution'], sync: ['states:DescribeExecution', 'states:StopExecution', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('apigateway:invoke', ['request', 'waitForTaskToken'], 'connect-api-gateway.html', 'ApiGateway',
    { own: ['ApiEndpoint', 'Method', 'Headers', 'Stage', 'Path', 'QueryParameters', 'RequestBody', 'AllowNullValues', 'AuthType'], required: ['ApiEndpoint', 'Method'] },
    { request: ['execute-api:Invoke'] }),
  integration('http:invoke', ['request'], 'call-https-apis.html', 'States.Http',
    { own: ['ApiEndpoint', 'Method', 'Authentication', 'InvocationConfig', 'Headers', 'QueryParameters', 'RequestBody', 'Transform'], required: ['ApiEndpoint', 'Method'] },
    { request: ['states:InvokeHTTPEndpoint', 'events:RetrieveConnectionCredentials', 'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] }),
  integration('bedrock:invokeModel', ['request', 'waitForTaskToken'], 'connect-bedrock.html', 'Bedrock',
    { api: ['bedrockruntime', 'InvokeModel'] }, { request: ['bedrock:InvokeModel', 'bedrock:ApplyGuardrail', 's3:GetObject', 's3:PutObject'] }),
  integration('bedrock:createModelCustomizationJob', ['request', 'sync'], 'connect-bedrock.html', 'Bedrock',
    { api: ['bedrock', 'CreateModelCustomizationJob'] },
    { request: ['bedrock:CreateModelCustomizationJob', 'iam:PassRole', 'bedrock:TagResource'], sync: ['bedrock:GetModelCustomizationJob', 'bedrock:StopModelCustomizationJob'] }),
  integration('bedrockagentcore:invokeHarness', ['request'], 'connect-bedrockagentcore.html', 'BedrockAgentCore',
    { api: ['bedrockagentcore', 'InvokeHarness'] }, { unlisted: 'the guide lists no policy for it; stepwright does not guess one' }),
  integration('mediaconvert:createJob', ['request', 'sync'], 'connect-mediaconvert.html', 'MediaConvert',
    { api: ['mediaconvert', 'CreateJob'] },
    { request: ['mediaconvert:CreateJob', 'iam:PassRole'], sync: ['mediaconvert:GetJob', 'mediaconvert:CancelJob', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('codebuild:startBuild', ['request', 'sync'], 'connect-codebuild.html', 'CodeBuild',
    { api: ['codebuild', 'StartBuild'] },
    { request: ['codebuild:StartBuild', 'iam:PassRole'], sync: ['codebuild:StopBuild', 'codebuild:BatchGetBuilds', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('codebuild:stopBuild', ['request'], 'connect-codebuild.html', 'CodeBuild',
    { api: ['codebuild', 'StopBuild'] }, { request: ['codebuild:StopBuild'] }),
  integration('codebuild:batchDeleteBuilds', ['request'], 'connect-codebuild.html', 'CodeBuild',
    { api: ['codebuild', 'BatchDeleteBuilds'] }, { request: ['codebuild:BatchDeleteBuilds'] }),
  integration('codebuild:batchGetReports', ['request'], 'connect-codebuild.html', 'CodeBuild',
    { api: ['codebuild', 'BatchGetReports'] }, { request: ['codebuild:BatchGetReports'] }),
  integration('codebuild:startBuildBatch', ['request', 'sync'], 'connect-codebuild.html', 'CodeBuild',
    { api: ['codebuild', 'StartBuildBatch'] },
    { request: ['codebuild:StartBuildBatch', 'iam:PassRole'], sync: ['codebuild:StopBuildBatch', 'codebuild:BatchGetBuildBatches', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('codebuild:stopBuildBatch', ['request'], 'connect-codebuild.html', 'CodeBuild',
    { api: ['codebuild', 'StopBuildBatch'] }, { request: ['codebuild:StopBuildBatch'] }),
  integration('codebuild:retryBuildBatch', ['request', 'sync'], 'connect-codebuild.html', 'CodeBuild',
    { api: ['codebuild', 'RetryBuildBatch'] },
    { request: ['codebuild:RetryBuildBatch'], sync: ['codebuild:StopBuildBatch', 'codebuild:BatchGetBuildBatches'] }),
  integration('codebuild:deleteBuildBatch', ['request'], 'connect-codebuild.html', 'CodeBuild',
    { api: ['codebuild', 'DeleteBuildBatch'] }, { request: ['codebuild:DeleteBuildBatch'] }),
  integration('elasticmapreduce:createCluster', ['request', 'sync'], 'connect-emr.html', 'EMR',
    { api: ['emr', 'RunJobFlow'] },
    { request: ['elasticmapreduce:RunJobFlow', 'iam:PassRole', 'elasticmapreduce:AddTags'], sync: ['elasticmapreduce:DescribeCluster', 'elasticmapreduce:TerminateJobFlows', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('elasticmapreduce:addStep', ['request', 'sync'], 'connect-emr.html', 'EMR',
    { own: ['ClusterId', 'Step', 'ExecutionRoleArn'], required: ['ClusterId', 'Step'] },
    { request: ['elasticmapreduce:AddJobFlowSteps', 'iam:PassRole'], sync: ['elasticmapreduce:DescribeStep', 'elasticmapreduce:CancelSteps', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('elasticmapreduce:cancelStep', ['request'], 'connect-emr.html', 'EMR',
    { own: ['ClusterId', 'StepId'], required: ['ClusterId', 'StepId'] }, { request: ['elasticmapreduce:CancelSteps'] }),
  integration('elasticmapreduce:terminateCluster', ['request', 'sync'], 'connect-emr.html', 'EMR',
    { own: ['ClusterId'], required: ['ClusterId'] },
    { request: ['elasticmapreduce:TerminateJobFlows'], sync: ['elasticmapreduce:DescribeCluster', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('elasticmapreduce:setClusterTerminationProtection', ['request'], 'connect-emr.html', 'EMR',
    { own: ['ClusterId', 'TerminationProtected'], required: ['ClusterId', 'TerminationProtected'] },
    { request: ['elasticmapreduce:SetTerminationProtection'] }),
  integration('elasticmapreduce:modifyInstanceFleetByName', ['request'], 'connect-emr.html', 'EMR',
    { own: ['ClusterId', 'InstanceFleetName', 'InstanceFleet'], required: ['ClusterId', 'InstanceFleetName', 'InstanceFleet'] },
    { request: ['elasticmapreduce:ModifyInstanceFleet', 'elasticmapreduce:ListInstanceFleets'] }),
  integration('elasticmapreduce:modifyInstanceGroupByName', ['request'], 'connect-emr.html', 'EMR',
    { own: ['ClusterId', 'InstanceGroupName', 'InstanceGroup'], required: ['ClusterId', 'InstanceGroupName', 'InstanceGroup'] },
    { request: ['elasticmapreduce:ModifyInstanceGroups', 'elasticmapreduce:ListInstanceGroups'] }),
  integration('emr-containers:createVirtualCluster', ['request'], 'connect-emr-eks.html', 'EMRContainers',
    { api: ['emrcontainers', 'CreateVirtualCluster'] }, { request: ['emr-containers:CreateVirtualCluster', 'iam:CreateServiceLinkedRole'] }),
  integration('emr-containers:deleteVirtualCluster', ['request', 'sync'], 'connect-emr-eks.html', 'EMRContainers',
    { api: ['emrcontainers', 'DeleteVirtualCluster'] },
    { request: ['emr-containers:DeleteVirtualCluster'], sync: ['emr-containers:DescribeVirtualCluster'] }),
  integration('emr-containers:startJobRun', ['request', 'sync'], 'connect-emr-eks.html', 'EMRContainers',
    { api: ['emrcontainers', 'StartJobRun'] },
    { request: ['emr-containers:StartJobRun'], sync: ['emr-containers:DescribeJobRun', 'emr-containers:CancelJobRun'] }),
  integration('emr-serverless:createApplication', ['request', 'sync'], 'connect-emr-serverless.html', 'EMRServerless',
    { api: ['emrserverless', 'CreateApplication'] },
    { request: ['emr-serverless:CreateApplication', 'iam:CreateServiceLinkedRole'], sync: ['emr-serverless:GetApplication', 'emr-serverless:DeleteApplication', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('emr-serverless:startApplication', ['request', 'sync'], 'connect-emr-serverless.html', 'EMRServerless',
    { api: ['emrserverless', 'StartApplication'] },
    { request: ['emr-serverless:StartApplication'], sync: ['emr-serverless:GetApplication', 'emr-serverless:StopApplication', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('emr-serverless:stopApplication', ['request', 'sync'], 'connect-emr-serverless.html', 'EMRServerless',
    { api: ['emrserverless', 'StopApplication'] },
    { request: ['emr-serverless:StopApplication'], sync: ['emr-serverless:GetApplication', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('emr-serverless:deleteApplication', ['request', 'sync'], 'connect-emr-serverless.html', 'EMRServerless',
    { api: ['emrserverless', 'DeleteApplication'] },
    { request: ['emr-serverless:DeleteApplication'], sync: ['emr-serverless:GetApplication', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('emr-serverless:startJobRun', ['request', 'sync'], 'connect-emr-serverless.html', 'EMRServerless',
    { api: ['emrserverless', 'StartJobRun'] },
    { request: ['emr-serverless:StartJobRun', 'iam:PassRole'], sync: ['emr-serverless:GetJobRun', 'emr-serverless:CancelJobRun', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('emr-serverless:cancelJobRun', ['request', 'sync'], 'connect-emr-serverless.html', 'EMRServerless',
    { api: ['emrserverless', 'CancelJobRun'] },
    { request: ['emr-serverless:CancelJobRun'], sync: ['emr-serverless:GetJobRun', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('eks:createCluster', ['request', 'sync'], 'connect-eks.html', 'EKS',
    { api: ['eks', 'CreateCluster'] }, { request: ['eks:CreateCluster', 'iam:PassRole'], sync: ['eks:DescribeCluster', 'eks:DeleteCluster'] }),
  integration('eks:deleteCluster', ['request', 'sync'], 'connect-eks.html', 'EKS',
    { api: ['eks', 'DeleteCluster'] }, { request: ['eks:DeleteCluster'], sync: ['eks:DescribeCluster'] }),
  integration('eks:createNodegroup', ['request', 'sync'], 'connect-eks.html', 'EKS',
    { api: ['eks', 'CreateNodegroup'] },
    { request: ['eks:CreateNodegroup', 'ec2:DescribeSubnets', 'iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:PassRole'], sync: ['eks:DescribeNodegroup', 'eks:DeleteNodegroup'] }),
  integration('eks:deleteNodegroup', ['request', 'sync'], 'connect-eks.html', 'EKS',
    { api: ['eks', 'DeleteNodegroup'] }, { request: ['eks:DeleteNodegroup'], sync: ['eks:DescribeNodegroup'] }),
  integration('eks:createFargateProfile', ['request', 'sync'], 'connect-eks.html', 'EKS',
    { api: ['eks', 'CreateFargateProfile'] },
    { request: ['eks:CreateFargateProfile', 'iam:PassRole'], sync: ['eks:DescribeFargateProfile', 'eks:DeleteFargateProfile'] }),
  integration('eks:deleteFargateProfile', ['request', 'sync'], 'connect-eks.html', 'EKS',
    { api: ['eks', 'DeleteFargateProfile'] }, { request: ['eks:DeleteFargateProfile'], sync: ['eks:DescribeFargateProfile'] }),
  integration('eks:runJob', ['request', 'sync'], 'connect-eks.html', 'EKS',
    { own: ['ClusterName', 'CertificateAuthority', 'Endpoint', 'Namespace', 'Job', 'LogOptions'], required: ['ClusterName', 'CertificateAuthority', 'Endpoint', 'Job'] },
    { elsewhere: KUBERNETES }),
  integration('eks:call', ['request'], 'connect-eks.html', 'EKS',
    { own: ['ClusterName', 'CertificateAuthority', 'Endpoint', 'Method', 'Path', 'QueryParameters', 'RequestBody'], required: ['ClusterName', 'CertificateAuthority', 'Endpoint', 'Method', 'Path'] },
    { elsewhere: KUBERNETES }),
  integration('sagemaker:createTrainingJob', ['request', 'sync'], 'connect-sagemaker.html', 'SageMaker',
    { api: ['sagemaker', 'CreateTrainingJob'] },
    { request: ['sagemaker:CreateTrainingJob', 'iam:PassRole', 'sagemaker:AddTags', 'sagemaker:ListTags'], sync: ['sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('sagemaker:createTransformJob', ['request', 'sync'], 'connect-sagemaker.html', 'SageMaker',
    { api: ['sagemaker', 'CreateTransformJob'] },
    { request: ['sagemaker:CreateTransformJob', 'sagemaker:AddTags', 'sagemaker:ListTags'], sync: ['sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] }),
  integration('sagemaker:createProcessingJob', ['request', 'sync'], 'connect-sagemaker.html', 'SageMaker',
    { api: ['sagemaker', 'CreateProcessingJob'] },
    { request: ['sagemaker:CreateProcessingJob', 'iam:PassRole', 'sagemaker:AddTags', 'sagemaker:ListTags'], sync: ['sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob'] }),
  integration('sagemaker:createLabelingJob', ['request', 'sync'], 'connect-sagemaker.html', 'SageMaker',
    { api: ['sagemaker', 'CreateLabelingJob'] },
    { request: ['sagemaker:CreateLabelingJob', 'iam:PassRole', 'sagemaker:AddTags', 'sagemaker:ListTags'], sync: ['sagemaker:DescribeLabelingJob', 'sagemaker:StopLabelingJob'] }),
  integration('sagemaker:createHyperParameterTuningJob', ['request', 'sync'], 'connect-sagemaker.html', 'SageMaker',
    { api: ['sagemaker', 'CreateHyperParameterTuningJob'] },
    { request: ['sagemaker:CreateHyperParameterTuningJob', 'sagemaker:AddTags', 'sagemaker:ListTags', 'iam:PassRole'], sync: ['sagemaker:DescribeHyperParameterTuningJob', 'sagemaker:StopHyperParameterTuningJob'] }),
  integration('sagemaker:createModel', ['request'], 'connect-sagemaker.html', 'SageMaker',
    { api: ['sagemaker', 'CreateModel'] }, { request: ['sagemaker:CreateModel', 'iam:PassRole', 'sagemaker:AddTags', 'sagemaker:ListTags'] }),
  integration('sagemaker:createEndpointConfig', ['request'], 'connect-sagemaker.html', 'SageMaker',
    { api: ['sagemaker', 'CreateEndpointConfig'] }, { request: ['sagemaker:CreateEndpointConfig', 'sagemaker:AddTags', 'sagemaker:ListTags'] }),
  integration('sagemaker:createEndpoint', ['request'], 'connect-sagemaker.html', 'SageMaker',
    { api: ['sagemaker', 'CreateEndpoint'] }, { request: ['sagemaker:CreateEndpoint', 'sagemaker:AddTags', 'sagemaker:ListTags'] }),
  integration('sagemaker:updateEndpoint', ['request'], 'connect-sagemaker.html', 'SageMaker',
    { api: ['sagemaker', 'UpdateEndpoint'] }, { request: ['sagemaker:UpdateEndpoint', 'sagemaker:AddTags', 'sagemaker:ListTags'] }),
];

/** Every optimized integration, by `service:action` (a Map: the key comes from a definition). */
export const CATALOGUE: ReadonlyMap<string, CatalogueRow> = new Map(ROWS.map((row) => [row.resource, row]));
if (CATALOGUE.size !== ROWS.length) throw new Error('asl/integrations.ts: two rows share a resource; an integration has one row');

/** The full address of a row's page. */
export function pageOf(row: CatalogueRow): string {
  return `${DEVELOPER_GUIDE}${row.page}`;
}

/**
 * The request headers an integration does not send, by `service:action`: names (lower case, as
 * AWS quotes them) and prefixes. AWS refuses a definition that names one in its Headers, in these
 * words at `/States/<state>/Parameters`: "The 'Headers' field contains unsupported values:
 * [authorization]" (measured for both integrations: dev.classmethod.jp's
 * tsnote-step-functions-api-gateway-call-fails-to-save-state-machine, October 2023, and
 * stepfunctions-http-endpoint-unsupported-authorization-header, April 2025, where the HTTP Task
 * refuses Authorization, which its page does not list). `failsAtRunTime`: an HTTP Task whose
 * headers come from a path or expression fails with States.Runtime ("If you use these headers, the
 * HTTP Task fails with the States.Runtime error", call-https-apis.html); what API Gateway's Task
 * does then is not documented (advice).
 */
export interface UnsupportedHeaders {
  readonly names: readonly string[];
  readonly prefixes: readonly string[];
  readonly failsAtRunTime: boolean;
  readonly source: readonly string[];
}

const MEASURED_HEADERS = 'https://dev.classmethod.jp/articles/';

export const UNSUPPORTED_HEADERS: ReadonlyMap<string, UnsupportedHeaders> = new Map([
  ['apigateway:invoke', {
    // connect-api-gateway.html: "keys prefixed with X-Forwarded, X-Amz or X-Amzn", and these names.
    names: ['authorization', 'connection', 'content-md5', 'expect', 'host', 'max-forwards', 'proxy-authenticate', 'server', 'te',
      'transfer-encoding', 'trailer', 'upgrade', 'via', 'www-authenticate'],
    prefixes: ['x-forwarded', 'x-amz'],
    failsAtRunTime: false,
    source: [`${DEVELOPER_GUIDE}connect-api-gateway.html`, `${MEASURED_HEADERS}tsnote-step-functions-api-gateway-call-fails-to-save-state-machine/`],
  }],
  ['http:invoke', {
    // call-https-apis.html's list, and Authorization, which AWS refuses too (measured).
    // One string split, not a list of quoted names: the layers test reads a quoted name after the word "from" as an import.
    names: ('a-im accept-charset accept-datetime accept-encoding cache-control connection content-encoding content-md5 date expect '
      + 'forwarded from host http2-settings if-match if-modified-since if-none-match if-range if-unmodified-since max-forwards origin '
      + 'pragma proxy-authorization referer server te trailer transfer-encoding upgrade via warning authorization').split(' '),
    prefixes: ['x-forwarded-', 'x-amz-', 'x-amzn-'],
    failsAtRunTime: true,
    source: [`${DEVELOPER_GUIDE}call-https-apis.html`, `${MEASURED_HEADERS}stepfunctions-http-endpoint-unsupported-authorization-header`],
  }],
]);

/**
 * Where an HTTP Task names the EventBridge connection it calls through: call-https-apis.html, "You
 * must include the connection's ARN in every HTTP Task calling an HTTPS API" (as
 * `Authentication.ConnectionArn`; `InvocationConfig.ConnectionArn` for a private API). What AWS does
 * with an HTTP Task that names none is not recorded.
 */
export const HTTP_CONNECTION_FIELDS: readonly (readonly [string, string])[] = [['Authentication', 'ConnectionArn'], ['InvocationConfig', 'ConnectionArn']];

/** The names among `headers` (as written, any case) that an integration does not send, lower case, in order; none for another Resource. */
export function unsupportedHeaderNames(resource: string, headers: readonly string[]): string[] {
  const rule = UNSUPPORTED_HEADERS.get(resource);
  if (rule === undefined) return [];
  return headers.map((h) => h.toLowerCase()).filter((h) => rule.names.includes(h) || rule.prefixes.some((p) => h.startsWith(p)));
}

/**
 * Services whose pages disagree on whether they offer a pattern, with why: AWS's answer to a Task
 * calling one that way is not settled, so the validator warns rather than refuses. Amazon EKS: the
 * table of integrate-optimized.html ("Optimized integrations in Step Functions") lists Wait for
 * Callback as Standard, where connect-eks.html says the pattern is not supported (its rows above
 * follow the service's page).
 */
export const DISPUTED_PATTERNS: ReadonlyMap<string, { readonly pattern: CataloguePattern; readonly why: string }> = new Map([
  ['eks', {
    pattern: 'waitForTaskToken',
    why: `the table of ${DEVELOPER_GUIDE}integrate-optimized.html lists Wait for Callback for Amazon EKS, where ${DEVELOPER_GUIDE}connect-eks.html says it is not supported`,
  }],
]);

/** The services with at least one integration offering a pattern (`.sync` → athena, batch, …), sorted. */
export function servicesWith(pattern: CataloguePattern): string[] {
  return [...new Set(ROWS.filter((r) => r.patterns.includes(pattern)).map((r) => r.resource.slice(0, r.resource.indexOf(':'))))].sort();
}
