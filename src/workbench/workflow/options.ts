import type { IConstruct } from 'constructs';
import type { DeliveryOptions } from './delivery';
import type { WorkflowEngine } from './engine';
import type { JsonValue, RandomSource } from '../../asl';
import type { MachineType } from '../../asl/aws-defaults';
import type { ExploreOptions, VerifyBounds, VerifyProgress } from '../../explore';
import type { PolicyStatement } from '../../iam';
import type { Clock, ExecutionLimits } from '../../interpreter';
import type { MockConfig, Mock, UnmockedPolicy, ServiceEndpoints, MockTable, RequestChecks, MockAdvice, MockValidation } from '../mocks';
import type { LocalS3Options } from '../s3';
import type { ResolveOptions, SamConfigOptions, SynthOptions, QualifiedWorkflowOptions } from '../template';

/**
 * Options of {@link Workflow.fromStack}, {@link Workflow.fromTemplate} and {@link Workflow.fromCdkOut}.
 * A template file given to `fromTemplate` takes its parameters' values from the SAM configuration
 * file beside it (`samconfig.toml`, `parameter_overrides` of `sam deploy`), below `parameters`:
 * `configFile` and `configEnv` choose another file and environment.
 */
export interface WorkflowOptions extends Omit<ResolveOptions, 'parameters'>, QualifiedWorkflowOptions, SamConfigOptions {
  /**
   * Values of template parameters: by name (`{ Stage: 'prod' }`, a list parameter's value as
   * `'a,b'` or `['a', 'b']`), or in the forms a parameters file takes: the list
   * `aws cloudformation create-stack --parameters` takes (`[{ ParameterKey: 'Stage', ParameterValue: 'prod' }]`),
   * `['Stage=prod']` and `{ Parameters: { Stage: 'prod' } }`, as `stepwright run --parameter
   * file://params.json` reads them. A parameter
   * not given takes its value from the SAM configuration, else its `Default`; one with neither
   * is an error.
   * @default {}
   */
  readonly parameters?: Readonly<Record<string, string | string[]>> | readonly TemplateParameter[] | readonly string[]
    | { readonly Parameters: Readonly<Record<string, string>> };
  /**
   * Which state machine, when the template has several: a logical id, a
   * `StateMachineName`, a construct path (or its tail), or the construct itself.
   * @default - the only state machine; an error lists them when there are several
   */
  readonly stateMachine?: string | IConstruct;
  /**
   * Run the state machine as this workflow type instead of the template's `StateMachineType`.
   * @default - the template's type, else STANDARD
   */
  readonly type?: MachineType;
}

/** One template parameter as a CloudFormation parameters list gives it (`aws cloudformation create-stack --parameters`). */
export interface TemplateParameter {
  /** The parameter's name. */
  readonly ParameterKey: string;
  /** Its value (a list parameter's items separated by commas). */
  readonly ParameterValue: string;
}

/** Options of {@link Workflow.fromStack}. */
export interface FromStackOptions extends WorkflowOptions, SynthOptions {}

/** Options of {@link Workflow.fromDefinition}. */
export interface DefinitionOptions {
  /** Name of the state machine (in ARNs and the Context Object). @default 'StateMachine' */
  readonly name?: string;
  /** @default 'STANDARD' */
  readonly type?: MachineType;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly account?: string;
}

/** A MockConfigFile test case to answer Tasks with. */
export interface MockConfigOptions {
  /** Path of a MockConfigFile.json. Give this or `config`. */
  readonly file?: string;
  /** The configuration itself, parsed or as JSON text. */
  readonly config?: MockConfig | string;
  /** Name of the test case under `StateMachines.<name>.TestCases`. */
  readonly testCase: string;
  /**
   * Name of the state machine in the file.
   * @default - the only one in the file, else the workflow's name
   */
  readonly stateMachine?: string;
}

/**
 * Options of {@link Workflow.explore}: the search's, a MockConfigFile test case to answer Tasks
 * with, and the checks of the answers its user gave, as a run takes them: `mockValidation` and
 * `mockAdvice` judge the `mocks` and the MockConfigFile's answers, `requestChecks` every Task's
 * request, so that a scenario ends as the user's own run with the same options ends. The answers
 * explore makes up are always checked STRICT and fail on advice: one AWS would never give must
 * not count as reaching a state.
 */
export interface WorkflowExploreOptions extends ExploreOptions, CheckSettings {
  /**
   * A MockConfigFile test case whose responses answer the Tasks it names, as they answer a
   * run with the same `mockConfig`: explore uses them as given (it neither makes up nor varies
   * those answers, as with `mocks`) and answers the other Tasks itself. A scenario's `mocks`
   * hold explore's answers only; run it with this `mockConfig` too. `mocks` win over it.
   * @default - none: explore answers every Task `mocks` does not
   */
  readonly mockConfig?: MockConfigOptions;
}

/** Options of {@link Workflow.verify}: explore's, the bounds on the runs it judges, and what to tell of the search while it runs. */
export interface WorkflowVerifyOptions extends WorkflowExploreOptions, VerifyBounds {
  /**
   * Told after each run the search makes, and once as the counterexamples are confirmed:
   * `stepwright verify` shows it on a terminal.
   * @default - nothing is told
   */
  readonly onProgress?: (progress: VerifyProgress) => void;
  /**
   * For properties given as a property module's path (`wf.verify('order.properties.js')`): the
   * real milliseconds one call of a function of the run may take in the module's worker thread
   * before it is stopped and its property refused, as `stepwright verify --predicate-timeout-ms`.
   * Properties given as an object are closures of the test, called in its own thread: nothing
   * can stop one that never returns.
   * @default 10000
   */
  readonly predicateTimeoutMs?: number;
}

/** A child workflow with the mocks its own Tasks use. */
export interface ChildWorkflow {
  readonly workflow: WorkflowEngine;
  readonly mocks?: MockTable<Mock>;
  readonly mockConfig?: MockConfigOptions;
  /** @default - the parent run's policy */
  readonly unmocked?: UnmockedPolicy;
}

/** Child workflows for `states:startExecution` Tasks, by state machine ARN (a list is keyed by each workflow's `arn`). */
export type ChildRegistry = ReadonlyArray<WorkflowEngine | ChildWorkflow> | Readonly<Record<string, WorkflowEngine | ChildWorkflow>>;

/**
 * How a run checks the answers its mocks give and the requests its Tasks send, against the AWS
 * service models: what {@link RunSettings} takes for it, and explore, verify and the tests explore
 * writes take alike, so one answer ends the same way at every door.
 */
export interface CheckSettings {
  /**
   * How strictly each mock's answer (explicit mocks, the MockConfigFile test case, the
   * unmocked policy's function) is checked against what the Task's Resource returns, as
   * the AWS service models define it, the way TestState checks its mocks
   * (`mock.fieldValidationMode`): `'STRICT'`, every required field is present and every
   * field the model defines is of its type, within its enum and bounds; `'PRESENT'`, only
   * the fields given are checked; `'NONE'`, nothing is. An answer AWS's TestState refuses
   * fails the run with `States.Runtime`, naming the state, the field, the model version
   * and an answer of the right shape. A field the model does not define, and a `fail()`
   * naming an error the integration never raises, pass on AWS: they are advice
   * (`run.advice`; see {@link mockAdvice}). A Lambda mock given as the function's payload
   * is checked inside the invoke envelope the harness wraps it in, so it stays valid;
   * what no model describes (a `.waitForTaskToken` answer, a Lambda function ARN's
   * result) is not checked.
   * Given, the mode applies to a MockConfigFile's answers too; not given, those are checked
   * `'PRESENT'`, as the format's own tool (Step Functions Local) checks no mock: a required
   * field an answer leaves out is advice naming it, not a failure.
   * @default 'STRICT' - as TestState, for mocks; 'PRESENT' for a MockConfigFile's answers
   * @example await wf.run(input, { mocks, mockValidation: 'NONE' })
   */
  readonly mockValidation?: MockValidation;
  /**
   * What stepwright's own findings on a mock do (a field the model does not define, a
   * misspelt one, an error the integration never raises): AWS's TestState lets such a
   * mock through, so by default the run goes on and lists them in `run.advice`, which
   * the matchers and the jest reporter show. `'fail'` fails the Task with
   * `States.Runtime` instead.
   * @default 'warn'
   * @example await wf.run(input, { mocks, mockAdvice: 'fail' })
   */
  readonly mockAdvice?: MockAdvice;
  /**
   * What a Task's request that AWS refuses does, checked as the Task sends it against the
   * service's model: a member the model does not define in an `aws-sdk:` call fails the
   * state with `States.Runtime` as Step Functions refuses it before calling ("The field
   * \"Tablename\" is not supported by Step Functions"); a required member missing fails the
   * Task with the service's error where what the integration raises is known
   * (`DynamoDb.DynamoDbException` for a GetItem without TableName), which Retry and Catch
   * see. `'warn'` turns both into advice (`run.advice`), for a model behind AWS. What AWS
   * does is not known for the rest (a literal of another type): that is always advice.
   * @default 'fail' - as AWS
   */
  readonly requestChecks?: RequestChecks;
}

/**
 * How one run is set up: its mocks, MockConfigFile test case, endpoints, clock, randomness,
 * permissions, limits and delivery, and the child workflows its `states:startExecution` Tasks
 * start. `Workflow.run` of stepwright/testing takes the same options, with its own workflows as
 * the children; `stepwright run` builds them from its flags.
 */
export interface RunSettings extends CheckSettings {
  /**
   * Answers for Tasks, keyed by state name, resource ARN or construct (use a
   * Map or a list of pairs for construct keys). A key that matches nothing is
   * an error. Explicit mocks win over `mockConfig`.
   * @example mocks: { Charge: [fail('Payment.Declined'), succeed({ id: 'ch_1' })] }
   */
  readonly mocks?: MockTable<Mock>;
  /** A MockConfigFile test case. */
  readonly mockConfig?: MockConfigOptions;
  /**
   * What a Task with no mock does: `'error'` fails the run with `States.Runtime`
   * naming the state and the mock to add; `'input'` returns the task input (for
   * `lambda:invoke`, inside the invoke envelope); a function answers it.
   * @default 'error'
   */
  readonly unmocked?: UnmockedPolicy;
  /**
   * Whether a Lambda Task with no mock runs the function's inline code
   * (`lambda.Code.fromInline`, Node.js runtimes) as a real handler: a thrown
   * error becomes a Lambda function error, as with a mock function. A Task
   * calling a version or alias of the function (`Task.lambdaInvoke` calls
   * `currentVersion`), or a qualified ARN or name (`:1`, `:live`, `:$LATEST`),
   * runs the same code: the code the template holds. Under {@link Workflow.start}
   * a callback task waits for the test instead.
   * @default true
   */
  readonly inlineCode?: boolean;
  /**
   * Send the Tasks of a service that no mock answers to an endpoint of your
   * own, by service name, as Step Functions Local's `LAMBDA_ENDPOINT`,
   * `SQS_ENDPOINT`, `SNS_ENDPOINT` and `DYNAMODB_ENDPOINT` do: a Lambda Task
   * (`lambda:invoke` or a function ARN `Resource`) calls the Lambda Invoke API
   * there (`sam local start-lambda`, another emulator); an SQS, SNS or DynamoDB
   * Task (`sqs:sendMessage`, `sns:publish`, `dynamodb:getItem|putItem|updateItem|deleteItem`,
   * any `aws-sdk:sqs|sns|dynamodb:<action>`) calls that service's API there,
   * each through the service's AWS SDK client. Mocks and the MockConfigFile
   * test case answer first. The answer is the result as AWS gives it; a
   * function error fails the Task with its `errorType`, a service error with
   * the error Step Functions names (`SQS.QueueDoesNotExistException`), an
   * endpoint that cannot be reached with `<Service>.SdkClientException` naming
   * it. The call takes real time, during which the virtual clock waits (see
   * {@link VirtualClockOptions.holdTimeoutMs}). A `.waitForTaskToken` Task is
   * not sent. Supported: `lambda`, `sqs`, `sns`, `dynamodb`. A URL without a scheme
   * (`localhost:4566`) is https, as Step Functions Local's AWS SDK for Java takes it.
   * @default - no Task is sent anywhere
   * @example await wf.run(input, { endpoints: { lambda: 'http://127.0.0.1:3001', dynamodb: 'http://127.0.0.1:8000' } })
   * @throws EndpointError for a service not supported, or a URL that is not http(s)
   */
  readonly endpoints?: ServiceEndpoints;
  /**
   * A local S3 for the run: a folder (`{ dir }`, a folder per bucket and a file per key), objects
   * given inline (`{ bucket: { key: content } }`), or an ObjectStore of your own. A Distributed
   * Map's ItemReader reads its items from it as AWS parses them, its ResultWriter writes the
   * result files AWS writes (`<Prefix>/<MapRunId>/manifest.json`, `SUCCEEDED_0.json`, ...), and
   * `aws-sdk:s3` Tasks (getObject, putObject, listObjectsV2, headObject, copyObject,
   * deleteObject) run against it. Mocks and the MockConfigFile answer first.
   * @default - none: ItemReader, ResultWriter and S3 Tasks need mocks
   * @example await wf.run(input, { s3: { dir: 'test/s3' } })
   * @example await wf.run(input, { s3: { orders: { 'orders.csv': 'id,total\n1,30\n' }, results: {} } })
   */
  readonly s3?: LocalS3Options;
  /** The clock. @default - a new VirtualClock starting at 2024-01-01T00:00:00Z */
  readonly clock?: Clock;
  /** Seed of the random source (UUIDs, jitter, execution name). @default 0 */
  readonly seed?: number;
  /** The random source; overrides `seed`. */
  readonly random?: RandomSource;
  /** Execution name. @default - a UUID from the random source */
  readonly name?: string;
  /** Variables visible before the first state. */
  readonly variables?: Record<string, JsonValue>;
  /** Child workflows run locally by `states:startExecution` Tasks (also `.sync` and `.sync:2`). */
  readonly workflows?: ChildRegistry;
  /**
   * The most STANDARD executions the run may have open at once (its own and the child workflows
   * its Tasks start, however deep), the most EXPRESS ones running when a Task starts one more
   * (AWS counts no Express execution among open ones: an EXPRESS machine that starts itself twice
   * would double at each step), and the longest chain of executions each started by a Task
   * of the one before. Past it the `states:startExecution` Task that would start one more fails
   * with `StepFunctions.ExecutionLimitExceededException`, as past AWS's quota of open executions,
   * which Retry and Catch see: a machine that starts itself ends instead of filling memory.
   * `stepwright serve` keeps the same bound (`--open-executions`).
   * @default 5000 - stepwright's own bound, below AWS's quota of 1,000,000
   * @example await wf.run(input, { openExecutionLimit: 50 })
   */
  readonly openExecutionLimit?: number;
  /**
   * Fail a Task whose permission the state machine's role lacks, before its
   * mock runs, with the AccessDenied error AWS would report
   * (`DynamoDB.AccessDeniedException`, "... is not authorized to perform: ...").
   * `true` reads the role from the template; a list of policy statements
   * stands for the role. Retry and Catch apply to the error as on AWS.
   * Child workflows started by `states:startExecution` are not checked.
   * @default false - Tasks run whatever the role allows
   * @example await wf.run(input, { mocks, permissions: true })
   */
  readonly permissions?: boolean | readonly PolicyStatement[];
  /**
   * Limits of this run: `maxTransitions` guards a test against an endless
   * loop (the run fails with `States.Runtime` naming the limit),
   * `maxHistoryEvents` and `maxPayloadBytes` replace AWS's.
   * @default - AWS's limits, and no cap on transitions
   * @example limits: { maxTransitions: 500 }
   */
  readonly limits?: ExecutionLimits;
  /**
   * Deliver Tasks at least once, as AWS may for an asynchronous Express workflow: re-deliver
   * Task invocations (the handler or mock is called again with the same input) and start the
   * execution over before the run returned, all chosen from a seed. A test then checks that the
   * side effects stayed right: a payment charged once, a row written once.
   * `run.redeliveries` and `run.restarts` tell what was delivered again. EXPRESS workflows only:
   * AWS runs a STANDARD execution and each of its Task invocations exactly once, so the option
   * is refused for one.
   * @default - every Task invocation delivered once
   * @throws InvalidDeliveryError for a STANDARD workflow, or an option that cannot be used
   * @example
   * const run = await wf.run(input, { mocks: { Charge: charge }, delivery: { atLeastOnce: { duplicates: 1, seed: 7 } } });
   * expect(charges.size).toBe(1);
   */
  readonly delivery?: DeliveryOptions;
}
