/**
 * The contracts of Step Functions' optimized integrations
 * (`arn:aws:states:::<service>:<action>`), from the Step Functions Developer
 * Guide (each row cites its page) and AWS's recorded executions
 * (../shared/conformance): which Parameters/Arguments fields each accepts,
 * what it returns per integration pattern, where a `.waitForTaskToken` task
 * must put the token, and the names of its errors.
 *
 * Most optimized integrations take the API's request as the service's model
 * defines it (PascalCase, as every Step Functions field) and return the API's
 * response; the rows say where they differ. Request-response answers of the
 * integrations built on the AWS SDK for Java 1.x carry `SdkHttpMetadata` and
 * `SdkResponseMetadata` besides the API's response (recorded for Lambda, SQS,
 * SNS, DynamoDB, ECS and Step Functions). A `.waitForTaskToken` task returns
 * what the worker sent with SendTaskSuccess, which no model describes.
 */
import { operationName, serviceModel } from './sdk-models';
import { modelShape, struct, extend, only, listOf, mapOf, ANY, STRING, INTEGER, BOOLEAN, DOCUMENT, type Shape, type StructureShape } from './shapes';
import type { JsonValue } from '../asl';
import { CATALOGUE, pageOf, type CatalogueRow } from '../asl/integrations';
import { JAVA_V1_SERVICE_NAMES } from '../asl/task-failure-cause';
import type { IntegrationPattern } from '../asl/task-resource';

/**
 * What the contracts know of one optimized integration beyond its catalogue row
 * (asl/integrations.ts), which gives its page, error prefix, patterns and fields.
 */
type ContractExtras = Partial<Omit<OptimizedSpec, 'doc' | 'errorPrefix' | 'api' | 'row'>>;

/** One optimized integration: its catalogue row's facts, and how its requests and answers are judged. */
export interface OptimizedSpec {
  /** The catalogue row every fact below that is not a shape comes from. */
  readonly row: CatalogueRow;
  /** Page of the Step Functions Developer Guide it comes from (the row's). */
  readonly doc: string;
  /** Prefix of the errors it reports (`DynamoDB`, `SQS`, `Lambda`): the row's. */
  readonly errorPrefix: string;
  /** The API it calls, as `[aws-sdk service, operation]` (the row's fields): its model gives the request, the response and the errors. */
  readonly api?: readonly [string, string];
  /** The request, where it is not the API's own. */
  readonly request?: () => StructureShape;
  /** What it returns, per pattern; undefined for a pattern means not checked (no model describes it). */
  readonly response?: (pattern: IntegrationPattern) => Shape | undefined;
  /** Where a `.waitForTaskToken` task must pass `$$.Task.Token` for the worker to get it. */
  readonly tokenField?: string;
  /** The top-level request fields the worker receives, one of which must carry the token. */
  readonly tokenIn?: readonly string[];
  /** Names the guide or AWS's recordings show beyond the model's errors (without the prefix). */
  readonly errors?: readonly string[];
  /** True when the integration can fail with any name (a Lambda function's own errors). */
  readonly anyError?: boolean;
  /**
   * A successful request-response answer, as the guide shows it, for the messages that flag a
   * mock: where no better example can be made of the mock itself, this one is shown (a sketch of
   * the model's shape could pick fields that mean a failure, such as Lambda's `FunctionError`).
   */
  readonly example?: JsonValue;
  /**
   * How the service refuses a request missing a required member, where AWS's recordings show it:
   * the error (after the prefix), the AWS SDK for Java 1.x service name and error code its cause
   * names, and the wording (`coral`: "1 validation error detected: Value null at 'tableName' …",
   * `query`: "The request must contain the parameter MessageBody."). `members` limits it to
   * those members; elsewhere what the service does is not recorded, and the run is told instead.
   */
  readonly missingRequired?: {
    readonly error: string;
    readonly javaService: string;
    readonly code: string;
    readonly wording: 'coral' | 'query';
    readonly members?: readonly string[];
  };
}

/** The headers and request id of the AWS SDK for Java 1.x, in request-response answers. */
const SDK_METADATA: Readonly<Record<string, Shape>> = {
  SdkHttpMetadata: struct({ AllHttpHeaders: mapOf(ANY), HttpHeaders: mapOf(ANY), HttpStatusCode: INTEGER }),
  SdkResponseMetadata: struct({ RequestId: STRING }),
};

/** The input or output structure of an API of a service's model. */
export function apiShape(service: string, operation: string, side: 'input' | 'output'): StructureShape {
  const model = serviceModel(service);
  const op = model === undefined ? undefined : operationName(model, operation);
  if (model === undefined || op === undefined) throw new Error(`the service model of ${service} has no operation ${operation}`);
  const ref = model.operations[op][side === 'input' ? 0 : 1];
  const shape = modelShape(model, ref);
  if (shape.type !== 'structure') throw new Error(`${service}:${operation} ${side} is not a structure`);
  if (side === 'output') return shape;
  // Below its top level, an optimized integration's request takes the model's own member names too: the
  // developer guide's "Pass parameters to a service API" sets AWS Batch SubmitJob's RetryStrategy as
  // { "attempts": 5 }. Its top-level fields are the ones the guide lists, and its answer is judged by
  // Step Functions' names alone (TestState refuses { executionArn } for ExecutionArn, recorded).
  const named = modelShape(model, ref, true) as StructureShape;
  return { ...shape, member: (field) => (shape.canonical(field) === undefined ? undefined : named.member(field)) };
}

/** The API's response with the SDK's metadata, which the answer may or may not carry. */
function withMetadata(service: string, operation: string): (pattern: IntegrationPattern) => Shape | undefined {
  return (pattern) => (pattern === 'request' ? extend(apiShape(service, operation, 'output'), SDK_METADATA, []) : undefined);
}

/**
 * The guide's own request of an integration whose row lists its own fields: the row gives the
 * names and which are required, `types` the shape of each (a field it does not type is any JSON).
 */
function ownRequest(resource: string, types: Readonly<Record<string, Shape>>): () => StructureShape {
  return () => {
    const fields = CATALOGUE.get(resource)?.fields;
    if (fields === undefined || !('own' in fields)) throw new Error(`the catalogue row of ${resource} lists no request fields of its own`);
    return struct(Object.fromEntries(fields.own.map((name) => [name, types[name] ?? ANY])), fields.required);
  };
}

/** DescribeExecution's answer with Input and Output as JSON, as `.sync:2` returns it. */
function describeExecution(): Shape {
  return extend(apiShape('sfn', 'DescribeExecution', 'output'), { Input: DOCUMENT, Output: DOCUMENT });
}

/**
 * The errors of an integration built on the AWS SDK for Java 1.x beyond its
 * model's own: the client's base exception (`AmazonSQSException`,
 * `AWSGlueException`), raised for a code the model does not name (throttling
 * among them), and `SdkClientException`, raised when no answer came. The
 * base names are the SDK's class names, as AWS's recordings (SQS, SNS,
 * DynamoDB, ECS, Step Functions) and definitions that AWS ran and retry on
 * them (`Batch.AWSBatchException`, `Glue.AWSGlueException`,
 * `Athena.AmazonAthenaException`, `SageMaker.AmazonSageMakerException`,
 * `EMR.AmazonElasticMapReduceException`, `DataBrew.AWSGlueDataBrewException`,
 * `CodeBuild.AWSCodeBuildException`) show. Where no such definition or recording names the catch-all
 * under the integration's prefix (MediaConvert, EKS's cluster APIs, EMR on EKS, EMR Serverless,
 * Bedrock), `errors` stays undefined and any name passes.
 */
function javaV1Errors(client: string): readonly string[] {
  return [`${client}Exception`, 'SdkClientException'];
}

const HTTP_RESPONSE = struct({ Headers: mapOf(ANY), ResponseBody: ANY, StatusCode: INTEGER, StatusText: STRING });

/**
 * What `eks:call` returns: the Kubernetes API server's answer as the guide shows it, `ResponseBody`,
 * `StatusCode` and `StatusText`, with no `Headers` ("Call Amazon EKS with Step Functions", Permissions:
 * the cause of an `EKS.401` failure; awsdocs/aws-step-functions-developer-guide, doc_source/connect-eks.md).
 */
const KUBERNETES_RESPONSE = struct({ ResponseBody: ANY, StatusCode: INTEGER, StatusText: STRING });

/** What the contracts add to each catalogue row, by `service:action`. */
const ROWS: ReadonlyArray<readonly [string, ContractExtras]> = [
  ['lambda:invoke', {
    // The payload is JSON here, not the API's bytes.
    request: () => extend(apiShape('lambda', 'Invoke', 'input'), { Payload: ANY }),
    response: (pattern) => (pattern === 'request' ? extend(apiShape('lambda', 'Invoke', 'output'), { Payload: ANY, ...SDK_METADATA }, []) : undefined),
    tokenField: 'Payload (for example "Payload": { "token.$": "$$.Task.Token" }): Lambda passes the function only Payload',
    tokenIn: ['Payload'],
    errors: ['ServiceException', 'AWSLambdaException', 'SdkClientException', 'ClientExecutionTimeoutException', 'Unknown'],
    anyError: true,
    // What the guide's example of a request-response invocation returns, and AWS's recordings show: no FunctionError.
    example: { ExecutedVersion: '$LATEST', Payload: {}, StatusCode: 200 },
  }],
  ['sqs:sendMessage', {
    // Recorded: a MessageBody given as null fails with this, and a Catch of SQS.AmazonSQSException takes it
    // (../shared/conformance, TestTaskServiceSqs test_send_message_empty_body).
    missingRequired: { error: 'AmazonSQSException', javaService: JAVA_V1_SERVICE_NAMES.sqs, code: 'MissingParameter', wording: 'query', members: ['MessageBody'] },
    example: { MD5OfMessageBody: 'd41d8cd98f00b204e9800998ecf8427e', MessageId: '6b3b2d41-9c3a-4c4f-8d1e-2f0b7a9c1e55' },
    request: () => extend(apiShape('sqs', 'SendMessage', 'input'), { MessageBody: ANY }),
    tokenField: 'MessageBody (or a MessageAttributes value)',
    tokenIn: ['MessageBody', 'MessageAttributes'],
    errors: javaV1Errors('AmazonSQS'),
  }],
  ['sns:publish', {
    example: { MessageId: '6b3b2d41-9c3a-4c4f-8d1e-2f0b7a9c1e55' },
    request: () => extend(apiShape('sns', 'Publish', 'input'), { Message: ANY }),
    tokenField: 'Message (or a MessageAttributes value)',
    tokenIn: ['Message', 'MessageAttributes'],
    errors: javaV1Errors('AmazonSNS'),
  }],
  // DynamoDB refuses a request breaking its model with a ValidationException, which the SDK for Java 1.x reports as its base
  // exception (recorded for a table name out of pattern: ../shared/conformance, TestTaskServiceDynamoDB test_put_item_invalid_table_name).
  ...['getItem', 'putItem', 'updateItem', 'deleteItem'].map((action) => [`dynamodb:${action}`, {
    errors: javaV1Errors('AmazonDynamoDB'),
    // eslint-disable-next-line no-restricted-syntax -- DynamoDB's error code, not Step Functions' API error
    missingRequired: { error: 'AmazonDynamoDBException', javaService: JAVA_V1_SERVICE_NAMES.dynamodb, code: 'ValidationException', wording: 'coral' },
  }] as const),
  ['events:putEvents', {
    // Detail is JSON here, not the API's JSON text.
    request: () => {
      const base = apiShape('eventbridge', 'PutEvents', 'input');
      const entry = base.member('Entries');
      const entryShape = entry?.type === 'list' && entry.member.type === 'structure' ? extend(entry.member, { Detail: ANY }) : ANY;
      return extend(base, { Entries: listOf(entryShape) });
    },
    // AWS's recordings show the API's response alone, without the SDK metadata.
    response: (pattern) => (pattern === 'request' ? apiShape('eventbridge', 'PutEvents', 'output') : undefined),
    example: { Entries: [{ EventId: '6b3b2d41-9c3a-4c4f-8d1e-2f0b7a9c1e55' }], FailedEntryCount: 0 },
    tokenField: 'the Detail of an entry (Entries[].Detail)',
    tokenIn: ['Entries'],
    errors: ['FailedEntry', ...javaV1Errors('AmazonEventBridge')],
  }],
  ['ecs:runTask', { tokenField: 'a container override (Overrides.ContainerOverrides[].Environment value)', tokenIn: ['Overrides'], errors: javaV1Errors('AmazonECS') }],
  ['batch:submitJob', {
    tokenField: 'the job parameters or environment (Parameters, ContainerOverrides.Environment)', tokenIn: ['Parameters', 'ContainerOverrides'], errors: javaV1Errors('AWSBatch'),
  }],
  ['glue:startJobRun', { tokenField: 'Arguments', tokenIn: ['Arguments'], errors: javaV1Errors('AWSGlue') }],
  ...['startQueryExecution', 'stopQueryExecution', 'getQueryExecution', 'getQueryResults'].map((action) => [`athena:${action}`, { errors: javaV1Errors('AmazonAthena') }] as const),
  // A definition that retries `DataBrew.AWSGlueDataBrewException` on its DataBrew Tasks: denys-tyshetskyy/data-reconciliation,
  // step_function_config.py (the client's class in the SDK for Java 1.x is AWSGlueDataBrewException).
  ['databrew:startJobRun', { errors: javaV1Errors('AWSGlueDataBrew') }],
  ['states:startExecution', {
    // Input is JSON here, not the API's JSON text.
    request: () => extend(apiShape('sfn', 'StartExecution', 'input'), { Input: ANY }),
    response: (pattern) => (pattern === 'request' ? extend(apiShape('sfn', 'StartExecution', 'output'), SDK_METADATA)
      // `.sync` (version 1) is not checked: AWS's recordings show answers of other shapes than DescribeExecution's.
      : pattern === 'sync:2' ? describeExecution() : undefined),
    tokenField: 'Input (for example "Input": { "token.$": "$$.Task.Token" })',
    tokenIn: ['Input'],
    errors: javaV1Errors('AWSStepFunctions'),
  }],
  ['apigateway:invoke', {
    request: ownRequest('apigateway:invoke', {
      ApiEndpoint: STRING,
      Method: STRING,
      Headers: mapOf(ANY),
      Stage: STRING,
      Path: STRING,
      QueryParameters: mapOf(ANY),
      RequestBody: ANY,
      AllowNullValues: BOOLEAN,
      AuthType: STRING,
    }),
    response: (pattern) => (pattern === 'request' ? HTTP_RESPONSE : undefined),
    tokenField: 'Headers or RequestBody',
    tokenIn: ['Headers', 'RequestBody'],
    anyError: true,
  }],
  ['http:invoke', {
    request: ownRequest('http:invoke', {
      ApiEndpoint: STRING,
      Method: STRING,
      Authentication: struct({ ConnectionArn: STRING }, ['ConnectionArn']),
      InvocationConfig: ANY,
      Headers: mapOf(ANY),
      QueryParameters: mapOf(ANY),
      RequestBody: ANY,
      Transform: struct({ RequestBodyEncoding: STRING, RequestEncodingOptions: struct({ ArrayFormat: STRING }) }),
    }),
    response: (pattern) => (pattern === 'request' ? HTTP_RESPONSE : undefined),
    // call-https-apis.html, "HTTP Task errors": States.Http.Socket, and States.Http.StatusCode.<status> (the catalogue's rule).
    errors: ['Socket'],
    anyError: true,
  }],
  ['bedrock:invokeModel', {
    request: () => extend(only(apiShape('bedrockruntime', 'InvokeModel', 'input'),
      ['ModelId', 'Body', 'Accept', 'ContentType', 'Trace', 'GuardrailIdentifier', 'GuardrailVersion', 'PerformanceConfigLatency'], { Body: ANY }),
    { Input: struct({ S3Uri: STRING }), Output: struct({ S3Uri: STRING }) }),
    // The API's response with Body as JSON (the guide's example reads `$.Body.results[0]`); no member is
    // required, for with Output.S3Uri the body goes to S3 and the answer carries none.
    response: (pattern) => (pattern === 'request'
      ? extend(apiShape('bedrockruntime', 'InvokeModel', 'output'), { Body: ANY, PerformanceConfigLatency: STRING }, [])
      : undefined),
    tokenField: 'Body',
    tokenIn: ['Body'],
  }],
  // "Invoke Amazon Bedrock AgentCore harness with Step Functions" (June 2026): InvokeHarness's request, whose members
  // override the harness's defaults; the answer is made Converse-shaped, which no model describes, so it is not judged.
  ['bedrockagentcore:invokeHarness', {
    request: () => extend(apiShape('bedrockagentcore', 'InvokeHarness', 'input'), {}, ['HarnessArn']),
    response: undefined,
    anyError: true,
  }],
  // A definition that retries `CodeBuild.AWSCodeBuildException` on its codebuild:startBuild.sync Task:
  // YasuhiroOsajima/codebuild-sample, README.md (the client's class in the SDK for Java 1.x is AWSCodeBuildException).
  ...['startBuild', 'stopBuild', 'batchDeleteBuilds', 'batchGetReports', 'startBuildBatch', 'stopBuildBatch', 'retryBuildBatch', 'deleteBuildBatch']
    .map((action) => [`codebuild:${action}`, { errors: javaV1Errors('AWSCodeBuild') }] as const),
  ['elasticmapreduce:createCluster', { errors: javaV1Errors('AmazonElasticMapReduce') }],
  // ExecutionRoleArn: the step's runtime role (AddJobFlowSteps' own member), which the CDK's EmrAddStep sends and AWS deployed.
  ['elasticmapreduce:addStep', emrOnCluster('addStep', { Step: listMember('emr', 'AddJobFlowSteps', 'Steps'), ExecutionRoleArn: () => STRING })],
  ['elasticmapreduce:cancelStep', emrOnCluster('cancelStep', { StepId: () => STRING })],
  ['elasticmapreduce:terminateCluster', emrOnCluster('terminateCluster', {})],
  ['elasticmapreduce:setClusterTerminationProtection', emrOnCluster('setClusterTerminationProtection', { TerminationProtected: () => BOOLEAN })],
  ['elasticmapreduce:modifyInstanceFleetByName', emrOnCluster('modifyInstanceFleetByName', { InstanceFleetName: () => STRING })],
  ['elasticmapreduce:modifyInstanceGroupByName', emrOnCluster('modifyInstanceGroupByName', { InstanceGroupName: () => STRING })],
  ['eks:runJob', {
    request: ownRequest('eks:runJob', { ClusterName: STRING, CertificateAuthority: STRING, Endpoint: STRING, Namespace: STRING }),
    anyError: true,
  }],
  ['eks:call', {
    request: ownRequest('eks:call', { ClusterName: STRING, CertificateAuthority: STRING, Endpoint: STRING, Method: STRING, Path: STRING, QueryParameters: mapOf(ANY) }),
    response: (pattern) => (pattern === 'request' ? KUBERNETES_RESPONSE : undefined),
    // A failure is `EKS.<the HTTP status the Kubernetes API server answers>` (the guide's `EKS.401`), whatever that status is.
    anyError: true,
  }],
  ...['createTrainingJob', 'createTransformJob', 'createProcessingJob', 'createLabelingJob', 'createHyperParameterTuningJob', 'createModel',
    'createEndpointConfig', 'createEndpoint', 'updateEndpoint'].map((action) => [`sagemaker:${action}`, { errors: javaV1Errors('AmazonSageMaker') }] as const),
];

/** An EMR call on a cluster named by `ClusterId` (the guide's own request, not the API's): the row names its fields. */
function emrOnCluster(action: string, types: Readonly<Record<string, () => Shape>>): ContractExtras {
  const request = (): StructureShape => ownRequest(`elasticmapreduce:${action}`,
    { ClusterId: STRING, ...Object.fromEntries(Object.entries(types).map(([k, f]) => [k, f()])) })();
  return { request, anyError: true };
}

function listMember(service: string, operation: string, field: string): () => Shape {
  return () => {
    const list = apiShape(service, operation, 'input').member(field);
    return list?.type === 'list' ? list.member : ANY;
  };
}

/** A catalogue row with what the contracts add to it; a row they add nothing to is judged by its API's model alone. */
function specOf(row: CatalogueRow, extras: ContractExtras = {}): OptimizedSpec {
  const api = 'api' in row.fields ? row.fields.api : undefined;
  return {
    row,
    doc: pageOf(row),
    errorPrefix: row.errorPrefix,
    ...(api ? { api, response: withMetadata(api[0], api[1]) } : {}),
    ...extras,
  };
}

const EXTRAS = new Map(ROWS);
for (const key of EXTRAS.keys()) {
  if (!CATALOGUE.has(key)) throw new Error(`the contracts describe ${key}, which the catalogue (asl/integrations.ts) has no row for`);
}

/** Every optimized integration the contracts know, by `service:action`: one per catalogue row (a Map: the key comes from a definition). */
export const OPTIMIZED_CONTRACTS: ReadonlyMap<string, OptimizedSpec> = new Map([...CATALOGUE]
  .map(([key, row]) => [key, specOf(row, EXTRAS.get(key))]));
