/*
 * Every error each operation of Step Functions' API declares (botocore's stepfunctions-2016-11-23,
 * the committed extract; the API Reference prints the same list under each operation's "Errors"),
 * with the request that gets it from serve, sent through @aws-sdk/client-sfn and compared by name,
 * words and HTTP status; or, where no request can get it from a local endpoint, why not. One row
 * per operation and error: the table must name every pair the model declares and no other, so an
 * error the model adds to an operation fails here until it has a row.
 *
 * The words are AWS's where recorded or documented (test/server/semantic-checks.test.ts says which),
 * else serve's; the requests here are the business rules past the model's constraints, which
 * test/server/model-constraints.test.ts sweeps. Each refusal is also sent as raw HTTP, for its
 * `x-amzn-errortype` in AWS's long form and its `__type` in the same namespace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as sdk from '@aws-sdk/client-sfn';
import { activityTask, asl, PASS, raw, ROLE, serve, until } from './helpers';
import { sfnModelsExtract } from './sfn-models-extract';
import { AwsLimits } from '../../src/asl/limits';

const A = 'arn:aws:states:us-east-1:123456789012:';
const WAIT = asl({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 86_400, End: true } } });
const POLICY = 'arn:aws:iam::123456789012:policy/p';
/** A token in the form serve issues that no task holds. */
const UNKNOWN_TOKEN = '00000000-0000-0000-0000-000000000000-0';
const NOT_AN_ARN = "Invalid Arn: 'Invalid ARN prefix: bad'";
const FORGED = { nextToken: 'forged' };
const INVALID_TOKEN = "Invalid Token: 'Invalid token'";
const LONG_ALIAS_ARN = `${A}stateMachine:m:${'a'.repeat(256 - `${A}stateMachine:m:`.length + 1)}`;
const constraint = (member: string): RegExp => new RegExp(`^1 validation error detected: Value .*at '${member}' failed to satisfy constraint: Member must `);
const routes = (...pairs: Array<[string, number]>) => pairs.map(([version, weight]) => ({ stateMachineVersionArn: `${A}stateMachine:${version}`, weight }));
const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' }));

/** What the fixtures made that a request names: known once they are made. */
interface Made { expressArn: string; usedToken: string }

/** A request that gets the error, and the answer's words (and status, if not 400). */
interface Sent {
  readonly request: Record<string, unknown> | ((made: Made) => Record<string, unknown>);
  readonly message: string | RegExp;
  readonly status?: number;
}
/** An error another test file gets from serve, with the setup it needs (a server option). */
interface Elsewhere { readonly elsewhere: string }
/** An error no request to serve can get, and why. */
interface Unreachable { readonly unreachable: string }
type Row = Sent | Elsewhere | Unreachable;

const KMS: Unreachable = {
  unreachable: 'serve encrypts nothing and calls no KMS key: a customer managed key is kept and shown, never used, so KMS never denies, throttles or finds it disabled',
};
const CONCURRENT: Unreachable = {
  unreachable: 'the model: "This error occurs when there\'re concurrent requests for DeleteStateMachineVersion, PublishStateMachineVersion, or UpdateStateMachine '
    + 'with the publish parameter set to true"; serve applies one request at a time, so no two conflict',
};
const TRACING: Unreachable = {
  unreachable: 'the model\'s TracingConfiguration has one member, a boolean, which the model\'s checks type (SerializationException); AWS documents no other condition',
};

const TABLE: Readonly<Record<string, Readonly<Record<string, Row>>>> = {
  CreateActivity: {
    ActivityAlreadyExists: {
      request: { name: 'enc' },
      message: `Activity Already Exists: '${A}activity:enc'`,
    },
    ActivityLimitExceeded: { elsewhere: 'test/server/quotas.test.ts' },
    InvalidEncryptionConfiguration: {
      request: { name: 'e', encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY' } },
      message: 'Invalid Encryption Configuration: kmsKeyId must be specified with the encryption type CUSTOMER_MANAGED_KMS_KEY',
    },
    InvalidName: { request: { name: 'a b' }, message: "Invalid Name: 'a b'" },
    KmsAccessDeniedException: KMS,
    KmsThrottlingException: KMS,
    TooManyTags: { request: { name: 't', tags: tags(51) }, message: `Too many tags: '${A}activity:t' would have 51 tags; a resource may have at most 50` },
  },
  CreateStateMachine: {
    ConflictException: CONCURRENT,
    InvalidArn: { request: { name: 'r', definition: PASS, roleArn: POLICY }, message: `Invalid Role Arn: '${POLICY}'` },
    InvalidDefinition: {
      request: { name: 'r', definition: asl({ StartAt: 'X', States: { P: { Type: 'Pass', End: true } } }), roleArn: ROLE },
      message: /^Invalid State Machine Definition: /,
    },
    InvalidEncryptionConfiguration: {
      request: { name: 'r', definition: PASS, roleArn: ROLE, encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY' } },
      message: 'Invalid Encryption Configuration: kmsKeyId must be specified with the encryption type CUSTOMER_MANAGED_KMS_KEY',
    },
    InvalidLoggingConfiguration: {
      request: { name: 'r', definition: PASS, roleArn: ROLE, loggingConfiguration: { level: 'ALL' } },
      message: 'Invalid Logging Configuration: Must specify exactly one Log Destination.',
    },
    InvalidName: { request: { name: 'r?', definition: PASS, roleArn: ROLE }, message: "Invalid Name: 'r?'" },
    InvalidTracingConfiguration: TRACING,
    KmsAccessDeniedException: KMS,
    KmsThrottlingException: KMS,
    StateMachineAlreadyExists: { request: { name: 'm', definition: WAIT, roleArn: ROLE }, message: `State Machine Already Exists: '${A}stateMachine:m'` },
    StateMachineDeleting: { request: { name: 'd', definition: WAIT, roleArn: ROLE, publish: true }, message: `State Machine Is Being Deleted: '${A}stateMachine:d'` },
    StateMachineLimitExceeded: { elsewhere: 'test/server/quotas.test.ts' },
    StateMachineTypeNotSupported: {
      unreachable: 'the API Reference gives CreateStateMachine no condition for it, and both of the model\'s types (STANDARD, EXPRESS) are created',
    },
    TooManyTags: { request: { name: 'r', definition: PASS, roleArn: ROLE, tags: tags(51) }, message: `Too many tags: '${A}stateMachine:r' would have 51 tags; a resource may have at most 50` },
    ValidationException: { request: { name: 'r', definition: PASS, roleArn: ROLE, versionDescription: 'v' }, message: 'Version description can only be set when publish is true' },
  },
  CreateStateMachineAlias: {
    ConflictException: {
      request: { name: 'live', description: 'another', routingConfiguration: routes(['m:1', 100]) },
      message: 'Failed to create alias because an alias with the same name and a different routing configuration already exists.',
      status: 409,
    },
    InvalidArn: { request: { name: 'a', routingConfiguration: [{ stateMachineVersionArn: 'bad', weight: 100 }] }, message: NOT_AN_ARN },
    InvalidName: {
      unreachable: 'the model\'s pattern of an alias name, ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$, lets through no character a name may not have; '
        + 'a name outside it is ValidationException (recorded: test_error_create_alias_invalid_name)',
    },
    ResourceNotFound: { request: { name: 'a', routingConfiguration: routes(['nope:1', 100]) }, message: `Resource not found: '${A}stateMachine:nope:1'` },
    ServiceQuotaExceededException: {
      request: { name: `q${AwsLimits.ALIASES_PER_MACHINE}`, routingConfiguration: routes(['q:1', 100]) },
      message: `Service quota exceeded: '${A}stateMachine:q' has 100 aliases, the most a state machine may have (100); delete one with DeleteStateMachineAlias`,
      status: 402,
    },
    StateMachineDeleting: { request: { name: 'a', routingConfiguration: routes(['d:1', 100]) }, message: `State Machine Is Being Deleted: '${A}stateMachine:d'` },
    ValidationException: { request: { name: 'a', routingConfiguration: routes(['m:1', 70], ['m:2', 29]) }, message: 'Sum of routing configuration weights must equal 100. Received: [70, 29]' },
  },
  DeleteActivity: {
    InvalidArn: { request: { activityArn: 'bad' }, message: NOT_AN_ARN },
  },
  DeleteStateMachine: {
    InvalidArn: { request: { stateMachineArn: 'bad' }, message: NOT_AN_ARN },
    ValidationException: {
      request: { stateMachineArn: `${A}stateMachine:m:1` },
      message: `Delete a version with DeleteStateMachineVersion and an alias with DeleteStateMachineAlias: '${A}stateMachine:m:1'`,
    },
  },
  DeleteStateMachineAlias: {
    ConflictException: CONCURRENT,
    InvalidArn: { request: { stateMachineAliasArn: `${A}stateMachine:m` }, message: `Invalid Arn: '${A}stateMachine:m' is not a state machine alias ARN` },
    ResourceNotFound: {
      unreachable: 'AWS answers a delete of an alias that is not there with success (recorded: test_delete_no_such_alias_arn), and documents no other condition',
    },
    ValidationException: { request: { stateMachineAliasArn: LONG_ALIAS_ARN }, message: constraint('stateMachineAliasArn') },
  },
  DeleteStateMachineVersion: {
    ConflictException: {
      request: { stateMachineVersionArn: `${A}stateMachine:m:1` },
      message: 'Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [live]',
      status: 409,
    },
    InvalidArn: { request: { stateMachineVersionArn: 'bad' }, message: NOT_AN_ARN },
    ValidationException: { request: { stateMachineVersionArn: `${A}stateMachine:m` }, message: `Not a state machine version ARN: '${A}stateMachine:m'` },
  },
  DescribeActivity: {
    ActivityDoesNotExist: { request: { activityArn: `${A}activity:nope` }, message: `Activity Does Not Exist: '${A}activity:nope'` },
    InvalidArn: { request: { activityArn: 'bad' }, message: NOT_AN_ARN },
  },
  DescribeExecution: {
    ExecutionDoesNotExist: { request: { executionArn: `${A}execution:m:nope` }, message: `Execution Does Not Exist: '${A}execution:m:nope'` },
    InvalidArn: { request: (made) => ({ executionArn: made.expressArn }), message: "Invalid Arn: 'Resource type not valid in this context: express'" },
    KmsAccessDeniedException: KMS,
    KmsInvalidStateException: KMS,
    KmsThrottlingException: KMS,
  },
  DescribeMapRun: {
    InvalidArn: { request: { mapRunArn: 'bad' }, message: NOT_AN_ARN },
    ResourceNotFound: { request: { mapRunArn: `${A}mapRun:m/map:1` }, message: `Resource not found: '${A}mapRun:m/map:1'` },
  },
  DescribeStateMachine: {
    InvalidArn: { request: { stateMachineArn: 'bad' }, message: NOT_AN_ARN },
    KmsAccessDeniedException: KMS,
    KmsInvalidStateException: KMS,
    KmsThrottlingException: KMS,
    StateMachineDoesNotExist: { request: { stateMachineArn: `${A}stateMachine:nope` }, message: `State Machine Does Not Exist: '${A}stateMachine:nope'` },
  },
  DescribeStateMachineAlias: {
    InvalidArn: { request: { stateMachineAliasArn: `${A}stateMachine:m:1` }, message: `Invalid Arn: '${A}stateMachine:m:1' is not a state machine alias ARN` },
    ResourceNotFound: { request: { stateMachineAliasArn: `${A}stateMachine:m:nope` }, message: 'Request references a resource that does not exist.' },
    ValidationException: { request: { stateMachineAliasArn: LONG_ALIAS_ARN }, message: constraint('stateMachineAliasArn') },
  },
  DescribeStateMachineForExecution: {
    ExecutionDoesNotExist: { request: { executionArn: `${A}execution:m:nope` }, message: `Execution Does Not Exist: '${A}execution:m:nope'` },
    InvalidArn: { request: (made) => ({ executionArn: made.expressArn }), message: "Invalid Arn: 'Resource type not valid in this context: express'" },
    KmsAccessDeniedException: KMS,
    KmsInvalidStateException: KMS,
    KmsThrottlingException: KMS,
  },
  GetActivityTask: {
    ActivityDoesNotExist: { request: { activityArn: `${A}activity:nope` }, message: `Activity Does Not Exist: '${A}activity:nope'` },
    ActivityWorkerLimitExceeded: { elsewhere: 'test/server/quotas.test.ts' },
    InvalidArn: { request: { activityArn: `${A}stateMachine:m` }, message: "Invalid Arn: 'Resource type not valid in this context: stateMachine'" },
    KmsAccessDeniedException: KMS,
    KmsInvalidStateException: KMS,
    KmsThrottlingException: KMS,
  },
  GetExecutionHistory: {
    ExecutionDoesNotExist: { request: { executionArn: `${A}execution:m:nope` }, message: `Execution Does Not Exist: '${A}execution:m:nope'` },
    InvalidArn: { request: (made) => ({ executionArn: made.expressArn }), message: "Invalid Arn: 'Resource type not valid in this context: express'" },
    InvalidToken: { request: { executionArn: `${A}execution:m:closed`, ...FORGED }, message: INVALID_TOKEN },
    KmsAccessDeniedException: KMS,
    KmsInvalidStateException: KMS,
    KmsThrottlingException: KMS,
  },
  ListActivities: {
    InvalidToken: { request: FORGED, message: INVALID_TOKEN },
  },
  ListExecutions: {
    InvalidArn: { request: { stateMachineArn: 'bad' }, message: NOT_AN_ARN },
    InvalidToken: { request: { stateMachineArn: `${A}stateMachine:m`, ...FORGED }, message: INVALID_TOKEN },
    ResourceNotFound: { request: { mapRunArn: `${A}mapRun:m/map:1` }, message: `Resource not found: '${A}mapRun:m/map:1'` },
    StateMachineDoesNotExist: { request: { stateMachineArn: `${A}stateMachine:nope` }, message: `State Machine Does Not Exist: '${A}stateMachine:nope'` },
    StateMachineTypeNotSupported: { request: { stateMachineArn: `${A}stateMachine:x` }, message: 'This operation is not supported by this type of state machine' },
    ValidationException: {
      request: { stateMachineArn: `${A}stateMachine:m`, mapRunArn: `${A}mapRun:m/map:1` },
      message: 'Give either a mapRunArn or a stateMachineArn to ListExecutions, not both',
    },
  },
  ListMapRuns: {
    ExecutionDoesNotExist: { request: { executionArn: `${A}execution:m:nope` }, message: `Execution Does Not Exist: '${A}execution:m:nope'` },
    InvalidArn: { request: { executionArn: 'bad' }, message: NOT_AN_ARN },
    InvalidToken: { request: { executionArn: `${A}execution:m:closed`, ...FORGED }, message: INVALID_TOKEN },
  },
  ListStateMachineAliases: {
    InvalidArn: { request: { stateMachineArn: 'bad' }, message: NOT_AN_ARN },
    InvalidToken: { request: { stateMachineArn: `${A}stateMachine:m`, ...FORGED }, message: INVALID_TOKEN },
    ResourceNotFound: { request: { stateMachineArn: `${A}stateMachine:m:7` }, message: `Resource not found: '${A}stateMachine:m:7'` },
    StateMachineDeleting: { request: { stateMachineArn: `${A}stateMachine:d` }, message: `State Machine Is Being Deleted: '${A}stateMachine:d'` },
    StateMachineDoesNotExist: { request: { stateMachineArn: `${A}stateMachine:nope` }, message: `State Machine Does Not Exist: '${A}stateMachine:nope'` },
  },
  ListStateMachineVersions: {
    InvalidArn: { request: { stateMachineArn: `${A}stateMachine:nope` }, message: `Invalid Arn: '${A}stateMachine:nope'` },
    InvalidToken: { request: { stateMachineArn: `${A}stateMachine:m`, ...FORGED }, message: INVALID_TOKEN },
    ValidationException: { request: { stateMachineArn: `${A}stateMachine:m`, maxResults: 1001 }, message: constraint('maxResults') },
  },
  ListStateMachines: {
    InvalidToken: { request: FORGED, message: INVALID_TOKEN },
  },
  ListTagsForResource: {
    InvalidArn: { request: { resourceArn: `${A}execution:m:closed` }, message: "Invalid Arn: 'Resource type not valid in this context: execution'" },
    ResourceNotFound: { request: { resourceArn: `${A}stateMachine:nope` }, message: `Resource not found: '${A}stateMachine:nope'` },
  },
  PublishStateMachineVersion: {
    ConflictException: {
      request: { stateMachineArn: `${A}stateMachine:m`, revisionId: 'stale' },
      message: /^Failed to publish the State Machine version for revision stale\. The current State Machine revision is [0-9a-f-]{36}\.$/,
      status: 409,
    },
    InvalidArn: { request: { stateMachineArn: 'bad' }, message: NOT_AN_ARN },
    ServiceQuotaExceededException: {
      request: { stateMachineArn: `${A}stateMachine:v` },
      message: `Service quota exceeded: '${A}stateMachine:v' has 1000 versions, the most a state machine may have (1000); delete one with DeleteStateMachineVersion`,
      status: 402,
    },
    StateMachineDeleting: { request: { stateMachineArn: `${A}stateMachine:d` }, message: `State Machine Is Being Deleted: '${A}stateMachine:d'` },
    StateMachineDoesNotExist: { request: { stateMachineArn: `${A}stateMachine:nope` }, message: `State Machine Does Not Exist: '${A}stateMachine:nope'` },
    ValidationException: { request: { stateMachineArn: `${A}stateMachine:m:1` }, message: `Publish a version of the state machine itself, not of '${A}stateMachine:m:1'` },
  },
  RedriveExecution: {
    ExecutionDoesNotExist: { request: { executionArn: `${A}execution:m:nope` }, message: `Execution Does Not Exist: '${A}execution:m:nope'` },
    ExecutionLimitExceeded: { elsewhere: 'test/server/open-executions.test.ts' },
    ExecutionNotRedrivable: {
      request: { executionArn: `${A}execution:m:closed` },
      message: `Execution '${A}execution:m:closed' is SUCCEEDED and cannot be redriven; only FAILED, TIMED_OUT and ABORTED executions can`,
    },
    InvalidArn: { request: { executionArn: 'bad' }, message: NOT_AN_ARN },
    ValidationException: { request: { executionArn: `${A}execution:m:closed`, clientToken: 'c'.repeat(65) }, message: constraint('clientToken') },
  },
  SendTaskFailure: {
    InvalidToken: { request: { taskToken: 'FakeTaskToken' }, message: INVALID_TOKEN },
    KmsAccessDeniedException: KMS,
    KmsInvalidStateException: KMS,
    KmsThrottlingException: KMS,
    TaskDoesNotExist: { request: { taskToken: UNKNOWN_TOKEN }, message: `Task Does Not Exist: no task holds the token '${UNKNOWN_TOKEN}'` },
    TaskTimedOut: { request: (made) => ({ taskToken: made.usedToken }), message: "Task Timed Out: 'Provided task does not exist anymore'" },
  },
  SendTaskHeartbeat: {
    InvalidToken: { request: { taskToken: 'FakeTaskToken' }, message: INVALID_TOKEN },
    TaskDoesNotExist: { request: { taskToken: UNKNOWN_TOKEN }, message: `Task Does Not Exist: no task holds the token '${UNKNOWN_TOKEN}'` },
    TaskTimedOut: { request: (made) => ({ taskToken: made.usedToken }), message: "Task Timed Out: 'Provided task does not exist anymore'" },
  },
  SendTaskSuccess: {
    InvalidOutput: { request: { taskToken: UNKNOWN_TOKEN, output: 'nope' }, message: /^Invalid output: the output is not valid JSON / },
    InvalidToken: { request: { taskToken: 'FakeTaskToken', output: '{}' }, message: INVALID_TOKEN },
    KmsAccessDeniedException: KMS,
    KmsInvalidStateException: KMS,
    KmsThrottlingException: KMS,
    TaskDoesNotExist: { request: { taskToken: UNKNOWN_TOKEN, output: '{}' }, message: `Task Does Not Exist: no task holds the token '${UNKNOWN_TOKEN}'` },
    TaskTimedOut: { request: (made) => ({ taskToken: made.usedToken, output: '{}' }), message: "Task Timed Out: 'Provided task does not exist anymore'" },
  },
  StartExecution: {
    ExecutionAlreadyExists: { request: { stateMachineArn: `${A}stateMachine:m`, name: 'closed' }, message: `Execution Already Exists: '${A}execution:m:closed'` },
    ExecutionLimitExceeded: { elsewhere: 'test/server/open-executions.test.ts' },
    InvalidArn: { request: { stateMachineArn: 'bad' }, message: NOT_AN_ARN },
    InvalidExecutionInput: { request: { stateMachineArn: `${A}stateMachine:m`, input: 'nope' }, message: /^Invalid State Machine Execution Input: / },
    InvalidName: { request: { stateMachineArn: `${A}stateMachine:m`, name: 'a\ufffeb' }, message: "Invalid Name: 'a\ufffeb'" },
    KmsAccessDeniedException: KMS,
    KmsInvalidStateException: KMS,
    KmsThrottlingException: KMS,
    StateMachineDeleting: { request: { stateMachineArn: `${A}stateMachine:d` }, message: `State Machine Is Being Deleted: '${A}stateMachine:d'` },
    StateMachineDoesNotExist: { request: { stateMachineArn: `${A}stateMachine:nope` }, message: `State Machine Does Not Exist: '${A}stateMachine:nope'` },
    ValidationException: { request: { stateMachineArn: `${A}stateMachine:m/Batch` }, message: /names the child executions of a Distributed Map/ },
  },
  StartSyncExecution: {
    InvalidArn: { request: { stateMachineArn: 'bad' }, message: NOT_AN_ARN },
    InvalidExecutionInput: { request: { stateMachineArn: `${A}stateMachine:x`, input: 'nope' }, message: /^Invalid State Machine Execution Input: / },
    InvalidName: { request: { stateMachineArn: `${A}stateMachine:x`, name: 'a\ud800b' }, message: "Invalid Name: 'a\ud800b'" },
    KmsAccessDeniedException: KMS,
    KmsInvalidStateException: KMS,
    KmsThrottlingException: KMS,
    StateMachineDeleting: { request: { stateMachineArn: `${A}stateMachine:d` }, message: `State Machine Is Being Deleted: '${A}stateMachine:d'` },
    StateMachineDoesNotExist: { request: { stateMachineArn: `${A}stateMachine:nope` }, message: `State Machine Does Not Exist: '${A}stateMachine:nope'` },
    StateMachineTypeNotSupported: { request: { stateMachineArn: `${A}stateMachine:m` }, message: 'This operation is not supported by this type of state machine' },
  },
  StopExecution: {
    ExecutionDoesNotExist: { request: { executionArn: `${A}execution:m:nope` }, message: `Execution Does Not Exist: '${A}execution:m:nope'` },
    InvalidArn: { request: (made) => ({ executionArn: made.expressArn }), message: "Invalid Arn: 'Resource type not valid in this context: express'" },
    KmsAccessDeniedException: KMS,
    KmsInvalidStateException: KMS,
    KmsThrottlingException: KMS,
    ValidationException: { request: { executionArn: `${A}execution:w:running`, cause: 'c'.repeat(AwsLimits.CAUSE_CHARS + 1) }, message: constraint('cause') },
  },
  TagResource: {
    InvalidArn: { request: { resourceArn: `${A}execution:m:closed`, tags: tags(1) }, message: "Invalid Arn: 'Resource type not valid in this context: execution'" },
    ResourceNotFound: { request: { resourceArn: `${A}stateMachine:nope`, tags: tags(1) }, message: `Resource not found: '${A}stateMachine:nope'` },
    TooManyTags: { request: { resourceArn: `${A}stateMachine:m`, tags: tags(51) }, message: `Too many tags: '${A}stateMachine:m' would have 51 tags; a resource may have at most 50` },
  },
  TestState: {
    InvalidArn: { request: { definition: asl({ Type: 'Pass', End: true }), roleArn: POLICY }, message: `Invalid Role Arn: '${POLICY}'` },
    InvalidDefinition: { request: { definition: 'nope', roleArn: ROLE }, message: /^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: / },
    InvalidExecutionInput: { request: { definition: asl({ Type: 'Pass', End: true }), roleArn: ROLE, input: 'nope' }, message: /^Invalid input: the input is not valid JSON / },
    ValidationException: { request: { definition: PASS, roleArn: ROLE, stateName: 'Other' }, message: 'State not found in definition' },
  },
  UntagResource: {
    InvalidArn: { request: { resourceArn: `${A}execution:m:closed`, tagKeys: ['k'] }, message: "Invalid Arn: 'Resource type not valid in this context: execution'" },
    ResourceNotFound: { request: { resourceArn: `${A}stateMachine:nope`, tagKeys: ['k'] }, message: `Resource not found: '${A}stateMachine:nope'` },
  },
  UpdateMapRun: {
    InvalidArn: { request: { mapRunArn: 'bad', maxConcurrency: 1 }, message: NOT_AN_ARN },
    ResourceNotFound: { request: { mapRunArn: `${A}mapRun:m/map:1`, maxConcurrency: 1 }, message: `Resource not found: '${A}mapRun:m/map:1'` },
    ValidationException: { request: { mapRunArn: `${A}mapRun:m/map:1`, toleratedFailurePercentage: 101 }, message: constraint('toleratedFailurePercentage') },
  },
  UpdateStateMachine: {
    ConflictException: CONCURRENT,
    InvalidArn: { request: { stateMachineArn: `${A}stateMachine:m`, roleArn: POLICY }, message: `Invalid Role Arn: '${POLICY}'` },
    InvalidDefinition: { request: { stateMachineArn: `${A}stateMachine:m`, definition: 'nope' }, message: /^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: / },
    InvalidEncryptionConfiguration: {
      request: { stateMachineArn: `${A}stateMachine:m`, encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY' } },
      message: 'Invalid Encryption Configuration: kmsKeyId must be specified with the encryption type CUSTOMER_MANAGED_KMS_KEY',
    },
    InvalidLoggingConfiguration: {
      request: { stateMachineArn: `${A}stateMachine:m`, loggingConfiguration: { level: 'ALL' } },
      message: 'Invalid Logging Configuration: Must specify exactly one Log Destination.',
    },
    InvalidTracingConfiguration: TRACING,
    KmsAccessDeniedException: KMS,
    KmsThrottlingException: KMS,
    MissingRequiredParameter: {
      request: { stateMachineArn: `${A}stateMachine:m` },
      message: 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
    },
    ServiceQuotaExceededException: {
      request: { stateMachineArn: `${A}stateMachine:v`, definition: asl({ StartAt: 'Last', States: { Last: { Type: 'Pass', End: true } } }), publish: true },
      message: `Service quota exceeded: '${A}stateMachine:v' has 1000 versions, the most a state machine may have (1000); delete one with DeleteStateMachineVersion`,
      status: 402,
    },
    StateMachineDeleting: { request: { stateMachineArn: `${A}stateMachine:d`, definition: PASS }, message: `State Machine Is Being Deleted: '${A}stateMachine:d'` },
    StateMachineDoesNotExist: { request: { stateMachineArn: `${A}stateMachine:nope`, definition: PASS }, message: `State Machine Does Not Exist: '${A}stateMachine:nope'` },
    ValidationException: { request: { stateMachineArn: `${A}stateMachine:m`, definition: PASS, versionDescription: 'v' }, message: 'Version description can only be set when publish is true' },
  },
  UpdateStateMachineAlias: {
    ConflictException: CONCURRENT,
    InvalidArn: { request: { stateMachineAliasArn: `${A}stateMachine:m`, description: 'd' }, message: `Invalid Arn: '${A}stateMachine:m' is not a state machine alias ARN` },
    ResourceNotFound: { request: { stateMachineAliasArn: `${A}stateMachine:m:nope`, description: 'd' }, message: 'Request references a resource that does not exist.' },
    StateMachineDeleting: { request: { stateMachineAliasArn: `${A}stateMachine:d:dl`, description: 'd' }, message: `State Machine Is Being Deleted: '${A}stateMachine:d'` },
    ValidationException: {
      request: { stateMachineAliasArn: `${A}stateMachine:m:live`, routingConfiguration: routes(['m:1', 50], ['m:1', 50]) },
      message: `Routing configuration must contain distinct state machine version ARNs. Received: [${A}stateMachine:m:1, ${A}stateMachine:m:1]`,
    },
  },
  ValidateStateMachineDefinition: {
    ValidationException: { request: { definition: PASS, maxResults: 101 }, message: constraint('maxResults') },
  },
};

/** Each operation's errors as the model declares them. */
function declared(): Record<string, string[]> {
  const operations = sfnModelsExtract().services.sfn.operations as unknown as Record<string, readonly [string, string, readonly string[]]>;
  return Object.fromEntries(Object.entries(operations).map(([name, [, , errors]]) => [name, [...errors].sort()]));
}

const SENT = Object.entries(TABLE).flatMap(([operation, errors]) => Object.entries(errors)
  .filter((entry): entry is [string, Sent] => 'request' in entry[1])
  .map(([error, row]) => [`${operation}: ${error}`, operation, error, row] as const));

describe('serve: every error each operation declares, for its documented condition', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  const made: Made = { expressArn: '', usedToken: '' };

  beforeAll(async () => {
    env = await serve();
    const send = <T>(command: { input: object }): Promise<T> => env.sfn.send(command as never) as Promise<T>;
    await send(new sdk.CreateStateMachineCommand({ name: 'm', definition: PASS, roleArn: ROLE, publish: true }));
    await send(new sdk.UpdateStateMachineCommand({ stateMachineArn: `${A}stateMachine:m`, definition: WAIT, publish: true }));
    await send(new sdk.CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: routes(['m:1', 100]) }));
    const { executionArn } = await send<sdk.StartExecutionOutput>(new sdk.StartExecutionCommand({ stateMachineArn: `${A}stateMachine:m:1`, name: 'closed' }));
    await until(() => env.sfn.send(new sdk.DescribeExecutionCommand({ executionArn })), (d) => d.status === 'SUCCEEDED');
    await send(new sdk.CreateStateMachineCommand({ name: 'w', definition: WAIT, roleArn: ROLE }));
    await send(new sdk.StartExecutionCommand({ stateMachineArn: `${A}stateMachine:w`, name: 'running' }));
    await send(new sdk.CreateStateMachineCommand({ name: 'x', definition: PASS, roleArn: ROLE, type: 'EXPRESS' }));
    made.expressArn = (await send<sdk.StartExecutionOutput>(new sdk.StartExecutionCommand({ stateMachineArn: `${A}stateMachine:x` }))).executionArn!;
    await send(new sdk.CreateActivityCommand({ name: 'enc', encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: 'alias/k' } }));
    // A token answered once: its task is over.
    const { activityArn } = await send<sdk.CreateActivityOutput>(new sdk.CreateActivityCommand({ name: 'act' }));
    await send(new sdk.CreateStateMachineCommand({ name: 'a', definition: asl({ StartAt: 'T', States: { T: { Type: 'Task', Resource: activityArn, End: true } } }), roleArn: ROLE }));
    await send(new sdk.StartExecutionCommand({ stateMachineArn: `${A}stateMachine:a` }));
    made.usedToken = (await activityTask(env.sfn, activityArn!)).taskToken;
    await send(new sdk.SendTaskSuccessCommand({ taskToken: made.usedToken, output: '{}' }));
    // A state machine being deleted: DELETING while its execution waits.
    await send(new sdk.CreateStateMachineCommand({ name: 'd', definition: WAIT, roleArn: ROLE, publish: true }));
    await send(new sdk.CreateStateMachineAliasCommand({ name: 'dl', routingConfiguration: routes(['d:1', 100]) }));
    await send(new sdk.StartExecutionCommand({ stateMachineArn: `${A}stateMachine:d` }));
    await send(new sdk.DeleteStateMachineCommand({ stateMachineArn: `${A}stateMachine:d` }));
    // A state machine with all the aliases it may have.
    await send(new sdk.CreateStateMachineCommand({ name: 'q', definition: PASS, roleArn: ROLE, publish: true }));
    for (let i = 0; i < AwsLimits.ALIASES_PER_MACHINE; i++) await send(new sdk.CreateStateMachineAliasCommand({ name: `q${i}`, routingConfiguration: routes(['q:1', 100]) }));
    // A state machine with all the versions it may have, and a revision none of them is.
    await send(new sdk.CreateStateMachineCommand({ name: 'v', definition: PASS, roleArn: ROLE, publish: true }));
    for (let i = 2; i <= AwsLimits.VERSIONS_PER_MACHINE; i++) {
      await send(new sdk.UpdateStateMachineCommand({ stateMachineArn: `${A}stateMachine:v`, definition: asl({ StartAt: `P${i}`, States: { [`P${i}`]: { Type: 'Pass', End: true } } }), publish: true }));
    }
    await send(new sdk.UpdateStateMachineCommand({ stateMachineArn: `${A}stateMachine:v`, definition: WAIT }));
  }, 180_000); // some 1,200 requests: room for a loaded machine
  afterAll(() => env.stop());

  it('has a row for every error the model declares for every operation, and for no other', () => {
    const rows = Object.fromEntries(Object.entries(TABLE).map(([operation, errors]) => [operation, Object.keys(errors).sort()]));
    expect(rows).toEqual(declared());
  });

  it('answers a request its idempotency answers before the quota, and frees a slot for each version or alias deleted', async () => {
    const again = await env.sfn.send(new sdk.CreateStateMachineAliasCommand({ name: 'q0', routingConfiguration: routes(['q:1', 100]) }));
    expect(again.stateMachineAliasArn).toBe(`${A}stateMachine:q:q0`);
    await env.sfn.send(new sdk.DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${A}stateMachine:v:1` }));
    const freed = await env.sfn.send(new sdk.PublishStateMachineVersionCommand({ stateMachineArn: `${A}stateMachine:v` }));
    expect(freed.stateMachineVersionArn).toBe(`${A}stateMachine:v:1001`);
    // At the quota again, a publish of the revision v:1001 is: that version.
    const repeat = await env.sfn.send(new sdk.PublishStateMachineVersionCommand({ stateMachineArn: `${A}stateMachine:v` }));
    expect(repeat.stateMachineVersionArn).toBe(`${A}stateMachine:v:1001`);
    // Back to a revision no version has, for the rows that publish one.
    await env.sfn.send(new sdk.UpdateStateMachineCommand({ stateMachineArn: `${A}stateMachine:v`, definition: PASS }));
  });

  // Two faults in one request, where nothing recorded or documented orders them (docs/serve.md, "Two faults in one request"):
  // the request's own checks, then the lookups, then the idempotency and the quotas.
  it.each<[string, string, Record<string, unknown>, string]>([
    ['a version that is not there, on a state machine at its alias quota', 'CreateStateMachineAlias', { name: 'q-more', routingConfiguration: routes(['q:9', 100]) }, 'ResourceNotFound'],
    ['a stale revisionId, on a state machine at its version quota', 'PublishStateMachineVersion', { stateMachineArn: `${A}stateMachine:v`, revisionId: 'stale' }, 'ConflictException'],
    ['a taken name with another encryption and 51 tags', 'CreateActivity', { name: 'enc', tags: tags(51) }, 'TooManyTags'],
  ])('answers %s (%s) with %s', async (_faults, operation, request, error) => {
    const Command = (sdk as unknown as Record<string, new (input: object) => sdk.ListActivitiesCommand>)[`${operation}Command`];
    await expect(env.sfn.send(new Command(request))).rejects.toMatchObject({ name: error });
  });

  it.each(Object.entries(TABLE).flatMap(([operation, errors]) => Object.entries(errors)
    .filter((entry): entry is [string, Elsewhere] => 'elsewhere' in entry[1])
    .map(([error, row]) => [`${operation}: ${error}`, error, row.elsewhere] as const)))('%s is sent by %s', (_name, error, file) => {
    expect(fs.readFileSync(path.join(__dirname, '..', '..', file), 'utf8')).toContain(error);
  });

  describe.each(SENT)('%s', (_name, operation, error, row) => {
    const request = (): Record<string, unknown> => (typeof row.request === 'function' ? row.request(made) : row.request);

    it('is answered so through @aws-sdk/client-sfn', async () => {
      const Command = (sdk as unknown as Record<string, new (input: object) => sdk.ListActivitiesCommand>)[`${operation}Command`];
      const outcome = await env.sfn.send(new Command(request()))
        .then((value) => ({ value }), (e: unknown) => ({ error: e as sdk.SFNServiceException }));
      if (!('error' in outcome)) throw new Error(`answered ${JSON.stringify(outcome.value)}; ${error} was expected`);
      expect([outcome.error.name, outcome.error.$metadata.httpStatusCode]).toEqual([error, row.status ?? 400]);
      if (typeof row.message === 'string') expect(outcome.error.message).toBe(row.message);
      else expect(outcome.error.message).toMatch(row.message);
    });

    it('is answered as raw HTTP with x-amzn-errortype in AWS\'s long form, naming __type\'s namespace', async () => {
      const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify(request()) });
      const [namespace, name] = String(answer.body.__type).split('#');
      expect([answer.status, name]).toEqual([row.status ?? 400, error]);
      expect(answer.headers['x-amzn-errortype']).toBe(`${error}:http://internal.amazon.com/coral/${namespace}/`);
    });
  });
});
