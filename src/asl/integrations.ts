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
 * This module imports nothing: it is the lowest layer contracts/, iam/ and
 * asl/validate/ share (docs/architecture.md, test/layers.test.ts).
 */

/** How a Task calls an optimized integration: the Resource's suffix, `request` for none. */
export type CataloguePattern = 'request' | 'sync' | 'sync:2' | 'waitForTaskToken';

/** The base of every page of the Step Functions Developer Guide. */
export const DEVELOPER_GUIDE = 'https://docs.aws.amazon.com/step-functions/latest/dg/';

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
}

const KUBERNETES = "the Kubernetes API of the cluster authorizes it (the role's entry in aws-auth or its access entry), not IAM";

/**
 * Every optimized integration. `http:invoke`: the page is "Call HTTPS APIs in Step Functions
 * workflows" (call-https-apis.html; connect-third-party-apis.html is its former name), whose
 * "HTTP Task errors" name `States.Http.Socket` and `States.Http.StatusCode.<status>`.
 * EKS: connect-eks.html says the Wait for a Callback pattern is not supported.
 */
const ROWS: readonly CatalogueRow[] = [
  { resource: 'lambda:invoke', patterns: ['request', 'waitForTaskToken'], page: 'connect-lambda.html', errorPrefix: 'Lambda',
    fields: { api: ['lambda', 'Invoke'] },
    iam: { request: ['lambda:InvokeFunction'] } },
  { resource: 'sqs:sendMessage', patterns: ['request', 'waitForTaskToken'], page: 'connect-sqs.html', errorPrefix: 'SQS',
    fields: { api: ['sqs', 'SendMessage'] },
    iam: { request: ['sqs:SendMessage'] } },
  { resource: 'sns:publish', patterns: ['request', 'waitForTaskToken'], page: 'connect-sns.html', errorPrefix: 'SNS',
    fields: { api: ['sns', 'Publish'] },
    iam: { request: ['sns:Publish'] } },
  { resource: 'dynamodb:getItem', patterns: ['request'], page: 'connect-ddb.html', errorPrefix: 'DynamoDB',
    fields: { api: ['dynamodb', 'GetItem'] },
    iam: { request: ['dynamodb:GetItem'] } },
  { resource: 'dynamodb:putItem', patterns: ['request'], page: 'connect-ddb.html', errorPrefix: 'DynamoDB',
    fields: { api: ['dynamodb', 'PutItem'] },
    iam: { request: ['dynamodb:PutItem'] } },
  { resource: 'dynamodb:updateItem', patterns: ['request'], page: 'connect-ddb.html', errorPrefix: 'DynamoDB',
    fields: { api: ['dynamodb', 'UpdateItem'] },
    iam: { request: ['dynamodb:UpdateItem'] } },
  { resource: 'dynamodb:deleteItem', patterns: ['request'], page: 'connect-ddb.html', errorPrefix: 'DynamoDB',
    fields: { api: ['dynamodb', 'DeleteItem'] },
    iam: { request: ['dynamodb:DeleteItem'] } },
  { resource: 'events:putEvents', patterns: ['request', 'waitForTaskToken'], page: 'connect-eventbridge.html', errorPrefix: 'EventBridge',
    fields: { api: ['eventbridge', 'PutEvents'] },
    iam: { request: ['events:PutEvents'] } },
  { resource: 'ecs:runTask', patterns: ['request', 'sync', 'waitForTaskToken'], page: 'connect-ecs.html', errorPrefix: 'ECS',
    fields: { api: ['ecs', 'RunTask'] },
    iam: { request: ['ecs:RunTask', 'iam:PassRole'], sync: ['ecs:StopTask', 'ecs:DescribeTasks', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'batch:submitJob', patterns: ['request', 'sync'], page: 'connect-batch.html', errorPrefix: 'Batch',
    fields: { api: ['batch', 'SubmitJob'] },
    iam: { request: ['batch:SubmitJob'], sync: ['batch:DescribeJobs', 'batch:TerminateJob', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'glue:startJobRun', patterns: ['request', 'sync'], page: 'connect-glue.html', errorPrefix: 'Glue',
    fields: { api: ['glue', 'StartJobRun'] },
    iam: { request: ['glue:StartJobRun'], sync: ['glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'] } },
  { resource: 'athena:startQueryExecution', patterns: ['request', 'sync'], page: 'connect-athena.html', errorPrefix: 'Athena',
    fields: { api: ['athena', 'StartQueryExecution'] },
    iam: { request: ['athena:startQueryExecution'], sync: ['athena:getQueryExecution'] } },
  { resource: 'athena:stopQueryExecution', patterns: ['request'], page: 'connect-athena.html', errorPrefix: 'Athena',
    fields: { api: ['athena', 'StopQueryExecution'] },
    iam: { request: ['athena:stopQueryExecution'] } },
  { resource: 'athena:getQueryExecution', patterns: ['request'], page: 'connect-athena.html', errorPrefix: 'Athena',
    fields: { api: ['athena', 'GetQueryExecution'] },
    iam: { request: ['athena:getQueryExecution'] } },
  { resource: 'athena:getQueryResults', patterns: ['request'], page: 'connect-athena.html', errorPrefix: 'Athena',
    fields: { api: ['athena', 'GetQueryResults'] },
    iam: { request: ['athena:getQueryResults'] } },
  { resource: 'databrew:startJobRun', patterns: ['request', 'sync'], page: 'connect-databrew.html', errorPrefix: 'DataBrew',
    fields: { api: ['databrew', 'StartJobRun'] },
    iam: { request: ['databrew:StartJobRun'], sync: ['databrew:StopJobRun', 'databrew:ListJobRuns'] } },
  { resource: 'states:startExecution', patterns: ['request', 'sync', 'sync:2', 'waitForTaskToken'], page: 'connect-stepfunctions.html', errorPrefix: 'StepFunctions',
    fields: { api: ['sfn', 'StartExecution'] },
    iam: { request: ['states:StartExecution'], sync: ['states:DescribeExecution', 'states:StopExecution', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'apigateway:invoke', patterns: ['request', 'waitForTaskToken'], page: 'connect-api-gateway.html', errorPrefix: 'ApiGateway',
    fields: { own: ['ApiEndpoint', 'Method', 'Headers', 'Stage', 'Path', 'QueryParameters', 'RequestBody', 'AllowNullValues', 'AuthType'], required: ['ApiEndpoint', 'Method'] },
    iam: { request: ['execute-api:Invoke'] } },
  { resource: 'http:invoke', patterns: ['request'], page: 'call-https-apis.html', errorPrefix: 'States.Http',
    fields: { own: ['ApiEndpoint', 'Method', 'Authentication', 'InvocationConfig', 'Headers', 'QueryParameters', 'RequestBody', 'Transform'], required: ['ApiEndpoint', 'Method'] },
    iam: { request: ['states:InvokeHTTPEndpoint', 'events:RetrieveConnectionCredentials', 'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] } },
  { resource: 'bedrock:invokeModel', patterns: ['request', 'waitForTaskToken'], page: 'connect-bedrock.html', errorPrefix: 'Bedrock',
    fields: { api: ['bedrockruntime', 'InvokeModel'] },
    iam: { request: ['bedrock:InvokeModel', 'bedrock:ApplyGuardrail', 's3:GetObject', 's3:PutObject'] } },
  { resource: 'bedrock:createModelCustomizationJob', patterns: ['request', 'sync'], page: 'connect-bedrock.html', errorPrefix: 'Bedrock',
    fields: { api: ['bedrock', 'CreateModelCustomizationJob'] },
    iam: { request: ['bedrock:CreateModelCustomizationJob', 'iam:PassRole', 'bedrock:TagResource'], sync: ['bedrock:GetModelCustomizationJob', 'bedrock:StopModelCustomizationJob'] } },
  { resource: 'bedrockagentcore:invokeHarness', patterns: ['request'], page: 'connect-bedrockagentcore.html', errorPrefix: 'BedrockAgentCore',
    fields: { api: ['bedrockagentcore', 'InvokeHarness'] },
    iam: { unlisted: 'the guide lists no policy for it; stepwright does not guess one' } },
  { resource: 'mediaconvert:createJob', patterns: ['request', 'sync'], page: 'connect-mediaconvert.html', errorPrefix: 'MediaConvert',
    fields: { api: ['mediaconvert', 'CreateJob'] },
    iam: { request: ['mediaconvert:CreateJob', 'iam:PassRole'], sync: ['mediaconvert:GetJob', 'mediaconvert:CancelJob', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'codebuild:startBuild', patterns: ['request', 'sync'], page: 'connect-codebuild.html', errorPrefix: 'CodeBuild',
    fields: { api: ['codebuild', 'StartBuild'] },
    iam: { request: ['codebuild:StartBuild', 'iam:PassRole'], sync: ['codebuild:StopBuild', 'codebuild:BatchGetBuilds', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'codebuild:stopBuild', patterns: ['request'], page: 'connect-codebuild.html', errorPrefix: 'CodeBuild',
    fields: { api: ['codebuild', 'StopBuild'] },
    iam: { request: ['codebuild:StopBuild'] } },
  { resource: 'codebuild:batchDeleteBuilds', patterns: ['request'], page: 'connect-codebuild.html', errorPrefix: 'CodeBuild',
    fields: { api: ['codebuild', 'BatchDeleteBuilds'] },
    iam: { request: ['codebuild:BatchDeleteBuilds'] } },
  { resource: 'codebuild:batchGetReports', patterns: ['request'], page: 'connect-codebuild.html', errorPrefix: 'CodeBuild',
    fields: { api: ['codebuild', 'BatchGetReports'] },
    iam: { request: ['codebuild:BatchGetReports'] } },
  { resource: 'codebuild:startBuildBatch', patterns: ['request', 'sync'], page: 'connect-codebuild.html', errorPrefix: 'CodeBuild',
    fields: { api: ['codebuild', 'StartBuildBatch'] },
    iam: { request: ['codebuild:StartBuildBatch', 'iam:PassRole'], sync: ['codebuild:StopBuildBatch', 'codebuild:BatchGetBuildBatches', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'codebuild:stopBuildBatch', patterns: ['request'], page: 'connect-codebuild.html', errorPrefix: 'CodeBuild',
    fields: { api: ['codebuild', 'StopBuildBatch'] },
    iam: { request: ['codebuild:StopBuildBatch'] } },
  { resource: 'codebuild:retryBuildBatch', patterns: ['request', 'sync'], page: 'connect-codebuild.html', errorPrefix: 'CodeBuild',
    fields: { api: ['codebuild', 'RetryBuildBatch'] },
    iam: { request: ['codebuild:RetryBuildBatch'], sync: ['codebuild:StopBuildBatch', 'codebuild:BatchGetBuildBatches'] } },
  { resource: 'codebuild:deleteBuildBatch', patterns: ['request'], page: 'connect-codebuild.html', errorPrefix: 'CodeBuild',
    fields: { api: ['codebuild', 'DeleteBuildBatch'] },
    iam: { request: ['codebuild:DeleteBuildBatch'] } },
  { resource: 'elasticmapreduce:createCluster', patterns: ['request', 'sync'], page: 'connect-emr.html', errorPrefix: 'EMR',
    fields: { api: ['emr', 'RunJobFlow'] },
    iam: { request: ['elasticmapreduce:RunJobFlow', 'iam:PassRole', 'elasticmapreduce:AddTags'], sync: ['elasticmapreduce:DescribeCluster', 'elasticmapreduce:TerminateJobFlows', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'elasticmapreduce:addStep', patterns: ['request', 'sync'], page: 'connect-emr.html', errorPrefix: 'EMR',
    fields: { own: ['ClusterId', 'Step', 'ExecutionRoleArn'], required: ['ClusterId', 'Step'] },
    iam: { request: ['elasticmapreduce:AddJobFlowSteps', 'iam:PassRole'], sync: ['elasticmapreduce:DescribeStep', 'elasticmapreduce:CancelSteps', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'elasticmapreduce:cancelStep', patterns: ['request'], page: 'connect-emr.html', errorPrefix: 'EMR',
    fields: { own: ['ClusterId', 'StepId'], required: ['ClusterId', 'StepId'] },
    iam: { request: ['elasticmapreduce:CancelSteps'] } },
  { resource: 'elasticmapreduce:terminateCluster', patterns: ['request', 'sync'], page: 'connect-emr.html', errorPrefix: 'EMR',
    fields: { own: ['ClusterId'], required: ['ClusterId'] },
    iam: { request: ['elasticmapreduce:TerminateJobFlows'], sync: ['elasticmapreduce:DescribeCluster', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'elasticmapreduce:setClusterTerminationProtection', patterns: ['request'], page: 'connect-emr.html', errorPrefix: 'EMR',
    fields: { own: ['ClusterId', 'TerminationProtected'], required: ['ClusterId', 'TerminationProtected'] },
    iam: { request: ['elasticmapreduce:SetTerminationProtection'] } },
  { resource: 'elasticmapreduce:modifyInstanceFleetByName', patterns: ['request'], page: 'connect-emr.html', errorPrefix: 'EMR',
    fields: { own: ['ClusterId', 'InstanceFleetName', 'InstanceFleet'], required: ['ClusterId', 'InstanceFleetName', 'InstanceFleet'] },
    iam: { request: ['elasticmapreduce:ModifyInstanceFleet', 'elasticmapreduce:ListInstanceFleets'] } },
  { resource: 'elasticmapreduce:modifyInstanceGroupByName', patterns: ['request'], page: 'connect-emr.html', errorPrefix: 'EMR',
    fields: { own: ['ClusterId', 'InstanceGroupName', 'InstanceGroup'], required: ['ClusterId', 'InstanceGroupName', 'InstanceGroup'] },
    iam: { request: ['elasticmapreduce:ModifyInstanceGroups', 'elasticmapreduce:ListInstanceGroups'] } },
  { resource: 'emr-containers:createVirtualCluster', patterns: ['request'], page: 'connect-emr-eks.html', errorPrefix: 'EMRContainers',
    fields: { api: ['emrcontainers', 'CreateVirtualCluster'] },
    iam: { request: ['emr-containers:CreateVirtualCluster', 'iam:CreateServiceLinkedRole'] } },
  { resource: 'emr-containers:deleteVirtualCluster', patterns: ['request', 'sync'], page: 'connect-emr-eks.html', errorPrefix: 'EMRContainers',
    fields: { api: ['emrcontainers', 'DeleteVirtualCluster'] },
    iam: { request: ['emr-containers:DeleteVirtualCluster'], sync: ['emr-containers:DescribeVirtualCluster'] } },
  { resource: 'emr-containers:startJobRun', patterns: ['request', 'sync'], page: 'connect-emr-eks.html', errorPrefix: 'EMRContainers',
    fields: { api: ['emrcontainers', 'StartJobRun'] },
    iam: { request: ['emr-containers:StartJobRun'], sync: ['emr-containers:DescribeJobRun', 'emr-containers:CancelJobRun'] } },
  { resource: 'emr-serverless:createApplication', patterns: ['request', 'sync'], page: 'connect-emr-serverless.html', errorPrefix: 'EMRServerless',
    fields: { api: ['emrserverless', 'CreateApplication'] },
    iam: { request: ['emr-serverless:CreateApplication', 'iam:CreateServiceLinkedRole'], sync: ['emr-serverless:GetApplication', 'emr-serverless:DeleteApplication', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'emr-serverless:startApplication', patterns: ['request', 'sync'], page: 'connect-emr-serverless.html', errorPrefix: 'EMRServerless',
    fields: { api: ['emrserverless', 'StartApplication'] },
    iam: { request: ['emr-serverless:StartApplication'], sync: ['emr-serverless:GetApplication', 'emr-serverless:StopApplication', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'emr-serverless:stopApplication', patterns: ['request', 'sync'], page: 'connect-emr-serverless.html', errorPrefix: 'EMRServerless',
    fields: { api: ['emrserverless', 'StopApplication'] },
    iam: { request: ['emr-serverless:StopApplication'], sync: ['emr-serverless:GetApplication', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'emr-serverless:deleteApplication', patterns: ['request', 'sync'], page: 'connect-emr-serverless.html', errorPrefix: 'EMRServerless',
    fields: { api: ['emrserverless', 'DeleteApplication'] },
    iam: { request: ['emr-serverless:DeleteApplication'], sync: ['emr-serverless:GetApplication', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'emr-serverless:startJobRun', patterns: ['request', 'sync'], page: 'connect-emr-serverless.html', errorPrefix: 'EMRServerless',
    fields: { api: ['emrserverless', 'StartJobRun'] },
    iam: { request: ['emr-serverless:StartJobRun', 'iam:PassRole'], sync: ['emr-serverless:GetJobRun', 'emr-serverless:CancelJobRun', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'emr-serverless:cancelJobRun', patterns: ['request', 'sync'], page: 'connect-emr-serverless.html', errorPrefix: 'EMRServerless',
    fields: { api: ['emrserverless', 'CancelJobRun'] },
    iam: { request: ['emr-serverless:CancelJobRun'], sync: ['emr-serverless:GetJobRun', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'eks:createCluster', patterns: ['request', 'sync'], page: 'connect-eks.html', errorPrefix: 'EKS',
    fields: { api: ['eks', 'CreateCluster'] },
    iam: { request: ['eks:CreateCluster', 'iam:PassRole'], sync: ['eks:DescribeCluster', 'eks:DeleteCluster'] } },
  { resource: 'eks:deleteCluster', patterns: ['request', 'sync'], page: 'connect-eks.html', errorPrefix: 'EKS',
    fields: { api: ['eks', 'DeleteCluster'] },
    iam: { request: ['eks:DeleteCluster'], sync: ['eks:DescribeCluster'] } },
  { resource: 'eks:createNodegroup', patterns: ['request', 'sync'], page: 'connect-eks.html', errorPrefix: 'EKS',
    fields: { api: ['eks', 'CreateNodegroup'] },
    iam: { request: ['eks:CreateNodegroup', 'ec2:DescribeSubnets', 'iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:PassRole'], sync: ['eks:DescribeNodegroup', 'eks:DeleteNodegroup'] } },
  { resource: 'eks:deleteNodegroup', patterns: ['request', 'sync'], page: 'connect-eks.html', errorPrefix: 'EKS',
    fields: { api: ['eks', 'DeleteNodegroup'] },
    iam: { request: ['eks:DeleteNodegroup'], sync: ['eks:DescribeNodegroup'] } },
  { resource: 'eks:createFargateProfile', patterns: ['request', 'sync'], page: 'connect-eks.html', errorPrefix: 'EKS',
    fields: { api: ['eks', 'CreateFargateProfile'] },
    iam: { request: ['eks:CreateFargateProfile', 'iam:PassRole'], sync: ['eks:DescribeFargateProfile', 'eks:DeleteFargateProfile'] } },
  { resource: 'eks:deleteFargateProfile', patterns: ['request', 'sync'], page: 'connect-eks.html', errorPrefix: 'EKS',
    fields: { api: ['eks', 'DeleteFargateProfile'] },
    iam: { request: ['eks:DeleteFargateProfile'], sync: ['eks:DescribeFargateProfile'] } },
  { resource: 'eks:runJob', patterns: ['request', 'sync'], page: 'connect-eks.html', errorPrefix: 'EKS',
    fields: { own: ['ClusterName', 'CertificateAuthority', 'Endpoint', 'Namespace', 'Job', 'LogOptions'], required: ['ClusterName', 'CertificateAuthority', 'Endpoint', 'Job'] },
    iam: { elsewhere: KUBERNETES } },
  { resource: 'eks:call', patterns: ['request'], page: 'connect-eks.html', errorPrefix: 'EKS',
    fields: { own: ['ClusterName', 'CertificateAuthority', 'Endpoint', 'Method', 'Path', 'QueryParameters', 'RequestBody'], required: ['ClusterName', 'CertificateAuthority', 'Endpoint', 'Method', 'Path'] },
    iam: { elsewhere: KUBERNETES } },
  { resource: 'sagemaker:createTrainingJob', patterns: ['request', 'sync'], page: 'connect-sagemaker.html', errorPrefix: 'SageMaker',
    fields: { api: ['sagemaker', 'CreateTrainingJob'] },
    iam: { request: ['sagemaker:CreateTrainingJob', 'iam:PassRole', 'sagemaker:AddTags', 'sagemaker:ListTags'], sync: ['sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'sagemaker:createTransformJob', patterns: ['request', 'sync'], page: 'connect-sagemaker.html', errorPrefix: 'SageMaker',
    fields: { api: ['sagemaker', 'CreateTransformJob'] },
    iam: { request: ['sagemaker:CreateTransformJob', 'sagemaker:AddTags', 'sagemaker:ListTags'], sync: ['sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob', 'events:PutTargets', 'events:PutRule', 'events:DescribeRule'] } },
  { resource: 'sagemaker:createProcessingJob', patterns: ['request', 'sync'], page: 'connect-sagemaker.html', errorPrefix: 'SageMaker',
    fields: { api: ['sagemaker', 'CreateProcessingJob'] },
    iam: { request: ['sagemaker:CreateProcessingJob', 'iam:PassRole', 'sagemaker:AddTags', 'sagemaker:ListTags'], sync: ['sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob'] } },
  { resource: 'sagemaker:createLabelingJob', patterns: ['request', 'sync'], page: 'connect-sagemaker.html', errorPrefix: 'SageMaker',
    fields: { api: ['sagemaker', 'CreateLabelingJob'] },
    iam: { request: ['sagemaker:CreateLabelingJob', 'iam:PassRole', 'sagemaker:AddTags', 'sagemaker:ListTags'], sync: ['sagemaker:DescribeLabelingJob', 'sagemaker:StopLabelingJob'] } },
  { resource: 'sagemaker:createHyperParameterTuningJob', patterns: ['request', 'sync'], page: 'connect-sagemaker.html', errorPrefix: 'SageMaker',
    fields: { api: ['sagemaker', 'CreateHyperParameterTuningJob'] },
    iam: { request: ['sagemaker:CreateHyperParameterTuningJob', 'sagemaker:AddTags', 'sagemaker:ListTags', 'iam:PassRole'], sync: ['sagemaker:DescribeHyperParameterTuningJob', 'sagemaker:StopHyperParameterTuningJob'] } },
  { resource: 'sagemaker:createModel', patterns: ['request'], page: 'connect-sagemaker.html', errorPrefix: 'SageMaker',
    fields: { api: ['sagemaker', 'CreateModel'] },
    iam: { request: ['sagemaker:CreateModel', 'iam:PassRole', 'sagemaker:AddTags', 'sagemaker:ListTags'] } },
  { resource: 'sagemaker:createEndpointConfig', patterns: ['request'], page: 'connect-sagemaker.html', errorPrefix: 'SageMaker',
    fields: { api: ['sagemaker', 'CreateEndpointConfig'] },
    iam: { request: ['sagemaker:CreateEndpointConfig', 'sagemaker:AddTags', 'sagemaker:ListTags'] } },
  { resource: 'sagemaker:createEndpoint', patterns: ['request'], page: 'connect-sagemaker.html', errorPrefix: 'SageMaker',
    fields: { api: ['sagemaker', 'CreateEndpoint'] },
    iam: { request: ['sagemaker:CreateEndpoint', 'sagemaker:AddTags', 'sagemaker:ListTags'] } },
  { resource: 'sagemaker:updateEndpoint', patterns: ['request'], page: 'connect-sagemaker.html', errorPrefix: 'SageMaker',
    fields: { api: ['sagemaker', 'UpdateEndpoint'] },
    iam: { request: ['sagemaker:UpdateEndpoint', 'sagemaker:AddTags', 'sagemaker:ListTags'] } },
];

/** Every optimized integration, by `service:action` (a Map: the key comes from a definition). */
export const CATALOGUE: ReadonlyMap<string, CatalogueRow> = new Map(ROWS.map((row) => [row.resource, row]));

/** The full address of a row's page. */
export function pageOf(row: CatalogueRow): string {
  return `${DEVELOPER_GUIDE}${row.page}`;
}

/** The services with at least one integration offering a pattern (`.sync` → athena, batch, …), sorted. */
export function servicesWith(pattern: CataloguePattern): string[] {
  return [...new Set(ROWS.filter((r) => r.patterns.includes(pattern)).map((r) => r.resource.slice(0, r.resource.indexOf(':'))))].sort();
}
