import * as fs from 'node:fs';
import type { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { recordExecution } from './coverage';
import { StatesError } from '../asl/errors';
import { seededRandom, type RandomSource } from '../asl/random';
import type { JsonValue, StateMachineDefinition } from '../asl/types';
import { runCost, type CostOptions, type RunCost } from '../cost';
import { traceExecution } from '../explore/trace';
import type { ExploreOptions, ExploreReport } from '../explore/types';
import type { AccessDeniedError } from '../iam/access-denied';
import type { PolicyStatement } from '../iam/policy';
import { VirtualClock, type Clock } from '../interpreter/clock';
import { compileStateMachine, type Execution, type StateMachine } from '../interpreter/state-machine';
import type { ChildExecutionUsage, ExecutionLimits, ExecutionResult, ExecutionStatus, TaskRequest } from '../interpreter/types';
import { renderMermaid, type RenderOptions } from '../render/mermaid';
import { Deliverer, deliveryPlan, noteRefusedCallback, RestartCut, type DeliveryOptions, type Redelivery } from '../workbench/delivery';
import { deniedTasks, recordWorkflowSource } from '../workbench/iam-workflow';
import { loadMockConfig, MockConfigError, mockResponsesFor, parseMockConfig, type MockConfig } from '../workbench/mock-config';
import { InvalidMockError, mockProblem, type Mock } from '../workbench/mocks/answers';
import { HarnessClock, RunContext, type TaskCall, type UnmockedPolicy } from '../workbench/mocks/dispatch';
import { checkEndpoints, EndpointForwarder, type ServiceEndpoints } from '../workbench/mocks/endpoints';
import { allStates, MockKeyError, refersTo, resolveMocks, type KeyMatch, type MockTable, type ResolvedMocks } from '../workbench/mocks/keys';
import { nestedResult, readStartExecution, startExecutionPattern } from '../workbench/nested';
import {
  extractStateMachines, selectStateMachine, templateFromCdkOut, templateFromStack, TemplateError,
  type ExtractedStateMachine, type ResolveOptions, type ResourceRef, type SynthOptions,
} from '../workbench/template';
import { selectQualified, type QualifiedWorkflowOptions, type WorkflowQualifier } from '../workbench/template/qualified-workflow';
import { templateFromFile, withSourceOptions, type TemplateSource } from '../workbench/template/sources';
import { exploreWorkflow } from '../workbench/workflow/explore-runner';
import { attemptsOf, visitsOf, type RunHistoryEvent, type StateAttempt } from '../workbench/workflow/run-history';

export { MockKeyError } from '../workbench/mocks/keys';
export { InvalidMockError } from '../workbench/mocks/answers';
export type { MockKey, MockTable } from '../workbench/mocks/keys';
export type { TaskCall, UnmockedPolicy } from '../workbench/mocks/dispatch';

/** Options of {@link Workflow.fromStack}, {@link Workflow.fromTemplate} and {@link Workflow.fromCdkOut}. */
export interface WorkflowOptions extends ResolveOptions, QualifiedWorkflowOptions {
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
  readonly type?: 'STANDARD' | 'EXPRESS';
}

/** Options of {@link Workflow.fromStack}. */
export interface FromStackOptions extends WorkflowOptions, SynthOptions {}

/** Options of {@link Workflow.fromDefinition}. */
export interface DefinitionOptions {
  /** Name of the state machine (in ARNs and the Context Object). @default 'StateMachine' */
  readonly name?: string;
  /** @default 'STANDARD' */
  readonly type?: 'STANDARD' | 'EXPRESS';
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

/** A child workflow with the mocks its own Tasks use. */
export interface NestedWorkflow {
  readonly workflow: Workflow;
  readonly mocks?: MockTable<Mock>;
  readonly mockConfig?: MockConfigOptions;
  /** @default - the parent run's policy */
  readonly unmocked?: UnmockedPolicy;
}

/** Child workflows for `states:startExecution` Tasks, by state machine ARN (a list is keyed by each workflow's `arn`). */
export type WorkflowRegistry = ReadonlyArray<Workflow | NestedWorkflow> | Readonly<Record<string, Workflow | NestedWorkflow>>;

/** Options of {@link Workflow.run} and {@link Workflow.start}. */
export interface RunOptions {
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
   * not sent. Supported: `lambda`, `sqs`, `sns`, `dynamodb`.
   * @default - no Task is sent anywhere
   * @example await wf.run(input, { endpoints: { lambda: 'http://127.0.0.1:3001', dynamodb: 'http://127.0.0.1:8000' } })
   * @throws EndpointError for a service not supported, or a URL that is not http(s)
   */
  readonly endpoints?: ServiceEndpoints;
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
  readonly workflows?: WorkflowRegistry;
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
   * Deliver Tasks at least once, as AWS may for an Express workflow: re-deliver Task
   * invocations (the handler or mock is called again with the same input) and, for an EXPRESS
   * workflow, start the execution over before the run returned, all chosen from a seed. A test
   * then checks that the side effects stayed right: a payment charged once, a row written once.
   * `run.redeliveries` and `run.restarts` tell what was delivered again.
   * @default - every Task invocation delivered once
   * @example
   * const run = await wf.run(input, { mocks: { Charge: charge }, delivery: { atLeastOnce: { duplicates: 1, seed: 7 } } });
   * expect(charges.size).toBe(1);
   */
  readonly delivery?: DeliveryOptions;
}

/**
 * The outcome of one run: the interpreter's ExecutionResult (status, output,
 * error, cause, path, history) with helpers to read it.
 */
export class WorkflowRun implements ExecutionResult {
  public readonly status: ExecutionStatus;
  public readonly output?: JsonValue;
  public readonly error?: string;
  public readonly cause?: string;
  public readonly path: string[];
  public readonly executionArn: string;
  // Private fields stay out of equality checks and snapshots.
  readonly #result: ExecutionResult;
  readonly #calls: readonly TaskCall[];
  readonly #children: WorkflowRun[];
  readonly #definition?: StateMachineDefinition;
  #redeliveries: readonly Redelivery[] = [];
  #restarts: readonly WorkflowRun[] = [];

  /** @internal */
  constructor(result: ExecutionResult, calls: readonly TaskCall[], children: WorkflowRun[], definition?: StateMachineDefinition) {
    this.status = result.status;
    if (result.output !== undefined) this.output = result.output;
    if (result.error !== undefined) this.error = result.error;
    if (result.cause !== undefined) this.cause = result.cause;
    this.path = result.path;
    this.executionArn = result.executionArn;
    this.#result = result;
    this.#calls = calls;
    this.#children = children;
    this.#definition = definition;
  }

  /**
   * The run drawn as a Mermaid flowchart: its state machine with the states
   * entered and transitions taken highlighted, the failed state red with its
   * error, and retries and Map items noted.
   * @example console.log(run.toMermaid());   // paste into Markdown or mermaid.live
   */
  toMermaid(options: Omit<RenderOptions, 'run'> = {}): string {
    if (!this.#definition) throw new Error('this run has no definition to draw; runs from Workflow.run and Workflow.start have one');
    return renderMermaid(this.#definition, { ...options, run: this });
  }

  /**
   * The execution history, shaped as GetExecutionHistory returns it and typed
   * as the AWS SDK's `HistoryEvent`. {@link WorkflowRun.eventsOf} and
   * {@link WorkflowRun.attempts} read the usual questions out of it.
   */
  get history(): RunHistoryEvent[] { return this.#result.history as unknown as RunHistoryEvent[]; }
  get startDate(): Date { return this.#result.startDate; }
  get stopDate(): Date { return this.#result.stopDate; }
  /** The child executions DISTRIBUTED Map states started, added up per Map state (absent when none). */
  get childExecutions(): readonly ChildExecutionUsage[] | undefined { return this.#result.childExecutions; }
  /** Runs of child workflows started by `states:startExecution` Tasks, in start order. */
  get children(): readonly WorkflowRun[] { return this.#children; }
  /** The Task invocations delivered more than once (`delivery: { atLeastOnce }`), in call order. */
  get redeliveries(): readonly Redelivery[] { return this.#redeliveries; }
  /** The earlier runs of this EXPRESS execution, started over by at-least-once delivery, in order. */
  get restarts(): readonly WorkflowRun[] { return this.#restarts; }

  /** @internal */
  keepDeliveries(redeliveries: readonly Redelivery[], restarts: readonly WorkflowRun[]): void {
    this.#redeliveries = redeliveries;
    this.#restarts = restarts;
  }

  /**
   * What this run would cost on AWS: its state transitions as a Standard workflow (retries and
   * DISTRIBUTED Map children included), and its request, billed duration and memory as an
   * Express one, at the region's prices.
   * @example
   * const { standard, express } = run.cost();
   * console.log(standard.stateTransitions, express?.billedDurationMs);
   */
  cost(options: CostOptions = {}): RunCost {
    return runCost(this, { ...options, ...(this.#definition ? { definition: this.#definition } : {}) });
  }

  /** True when the run entered the state. */
  visited(state: string): boolean {
    return this.path.includes(state);
  }

  /**
   * The input of the state when entered, from the history.
   * @param occurrence - which entry, 0-based; negative counts from the end
   * @default occurrence -1 (the last)
   * @throws Error when the state was never entered
   */
  inputOf(state: string, occurrence = -1): JsonValue {
    return this.detail(state, occurrence, 'stateEnteredEventDetails', 'input');
  }

  /**
   * The output of the state when it exited, from the history.
   * @default occurrence -1 (the last)
   * @throws Error when the state never exited (it failed, or was never entered)
   */
  outputOf(state: string, occurrence = -1): JsonValue {
    return this.detail(state, occurrence, 'stateExitedEventDetails', 'output');
  }

  /**
   * How many times the state was retried in this run (all its visits together):
   * a Task called again by its Retry, or a Parallel or Map run again by its own
   * Retry. Counted from the history, as `toHaveRetried` counts; a Task retried
   * inside a branch counts for the Task, not for the Parallel or Map around it.
   * @example expect(run.retries('ChargeCard')).toBe(2);
   */
  retries(state: string): number {
    return traceExecution(undefined, this.history).retries.get(state) ?? 0;
  }

  /**
   * The history events of every visit of a state, in order: from its
   * `…StateEntered` to its `…StateExited`, with the Task, retry, Map and
   * Parallel events in between (followed along `previousEventId`, so other
   * branches running at the same time do not mix in).
   * @example expect(run.eventsOf('ChargeCard').map((e) => e.type)).toContain('TaskTimedOut');
   */
  eventsOf(state: string): RunHistoryEvent[] {
    return visitsOf(this.history, state).flat();
  }

  /**
   * Each attempt at a Task (or Map or Parallel) state: the first try of every
   * visit and each retry, with its virtual start time, the back-off before it
   * (`waitedSeconds`), how it ended, and its error or output.
   * @example expect(run.attempts('ChargeCard').map((a) => a.waitedSeconds)).toEqual([0, 2, 4]);
   */
  attempts(state: string): StateAttempt[] {
    return attemptsOf(this.history, state);
  }

  /** What the mocks of a Task received, one entry per call (for `lambda:invoke`, the Payload). */
  taskCalls(state: string): JsonValue[] {
    return this.#calls.filter((c) => c.stateName === state).map((c) => c.input);
  }

  private detail(state: string, occurrence: number, key: 'stateEnteredEventDetails' | 'stateExitedEventDetails', field: 'input' | 'output'): JsonValue {
    const found = this.history.filter((e) => (e[key] as { name?: string } | undefined)?.name === state);
    const event = found[occurrence < 0 ? found.length + occurrence : occurrence];
    if (!event) {
      const what = key === 'stateEnteredEventDetails' ? 'entered' : 'exited';
      throw new Error(`state '${state}' was ${what} ${found.length} time(s), so occurrence ${occurrence} does not exist; path: ${this.path.join(' → ') || '(empty)'}`);
    }
    return JSON.parse((event[key] as unknown as Record<string, string>)[field]) as JsonValue;
  }
}

/**
 * A running execution started with {@link Workflow.start}: complete its
 * callbacks step by step. While a callback task waits for the test, virtual
 * time stands still; {@link WorkflowExecution.advanceTime} moves it (to reach
 * a timeout).
 */
export class WorkflowExecution {
  /** Resolves with the run when the execution ends. */
  public readonly result: Promise<WorkflowRun>;
  /** @internal */
  constructor(private readonly execution: Execution, result: Promise<WorkflowRun>, private readonly clock: Clock) {
    this.result = result;
  }

  /** ARN of the execution. */
  get executionArn(): string { return this.execution.executionArn; }

  /** The status now: RUNNING until the execution ends. */
  get status(): ExecutionStatus { return this.execution.status; }

  /**
   * Resolves with the task token when the state issues one (a
   * `.waitForTaskToken` Task or an activity); rejects when the execution ends
   * first. The same name as the interpreter's `Execution.waitForTaskToken`.
   * @example
   * const token = await execution.waitForTaskToken('Approve');
   * execution.sendTaskSuccess(token, { approved: true });
   */
  waitForTaskToken(stateName?: string): Promise<string> {
    const ended = this.result.then((run) => {
      throw new Error(`the execution ended ${run.status} before ${stateName ? `state '${stateName}'` : 'any state'} issued a task token; path: ${run.path.join(' → ')}`);
    });
    return Promise.race([this.execution.waitForTaskToken(stateName), ended]);
  }

  /** @deprecated use {@link WorkflowExecution.waitForTaskToken}, the interpreter's name for it */
  waitForTask(stateName?: string): Promise<string> {
    return this.waitForTaskToken(stateName);
  }

  /** Completes the callback task holding `token` with `output`. */
  sendTaskSuccess(token: string, output: JsonValue): void { this.execution.sendTaskSuccess(token, output); }
  /** Fails the callback task holding `token`. */
  sendTaskFailure(token: string, error?: string | null, cause?: string | null): void { this.execution.sendTaskFailure(token, error, cause); }
  /** Resets the HeartbeatSeconds timer of the task holding `token`. */
  sendTaskHeartbeat(token: string): void { this.execution.sendTaskHeartbeat(token); }
  /** Stops the execution: it ends ABORTED. */
  stop(error?: string, cause?: string): void { this.execution.stop(error, cause); }

  /**
   * Moves the virtual clock forward, firing timeouts, heartbeat timeouts and
   * Waits that fall due.
   * @throws Error when the run was given a clock that is not a VirtualClock
   */
  advanceTime(seconds: number): void {
    if (!(this.clock instanceof VirtualClock)) throw new Error('advanceTime needs the run to use a VirtualClock (the default)');
    this.clock.advance(seconds * 1000);
  }
}

interface Launched {
  readonly execution: Execution;
  readonly result: Promise<WorkflowRun>;
  readonly clock: HarnessClock;
}

interface LaunchInternals {
  /** A restarted (lost) run: ends after a Task invocation this chooses. */
  readonly cut?: RestartCut;
  /** Which run of a delivery this is (restarts first), to draw each one's own choices. */
  readonly deliveryRun?: number;
  readonly clock?: HarnessClock;
  readonly random?: RandomSource;
  readonly interactive: boolean;
  readonly inheritedUnmocked?: UnmockedPolicy;
  readonly inheritedWorkflows?: WorkflowRegistry;
  /** Count the run in test coverage. @default true */
  readonly recordCoverage?: boolean;
  /** StartOptions.inlineChildEvents: what DISTRIBUTED Map children do is recorded in the run's history. @default false */
  readonly inlineChildEvents?: boolean;
}

/**
 * A state machine taken out of a CDK stack, a template, a cloud assembly or
 * plain ASL, compiled once, ready to run with mocked Tasks.
 *
 * @example
 * const wf = Workflow.fromStack(stack);
 * expect(wf.definition).toMatchSnapshot();
 * const run = await wf.run({ orderId: 'o-1' }, {
 *   mocks: { Charge: [fail('Payment.Declined'), succeed({ id: 'ch_1' })] },
 * });
 * expect(run.status).toBe('SUCCEEDED');
 */
export class Workflow {
  /**
   * Synthesizes the stack's app and takes a state machine out of it.
   * @throws TemplateError listing the state machines when there are none, or several and no selector
   */
  static fromStack(stack: Stack, options: FromStackOptions = {}): Workflow {
    const { silenceSynthWarnings, ...selection } = options;
    const source = templateFromStack(stack, { silenceSynthWarnings });
    const workflow = Workflow.fromTemplate(source.template, withSourceOptions(source, selection));
    const states = allStates(workflow.definition);
    for (const [state, why] of leftOutStates(stack)) if (!states.has(state)) workflow.mockKeyHints.set(state, why);
    return workflow;
  }

  /**
   * Takes a state machine out of a synthesized CloudFormation template: the
   * template as an object, as JSON text (a string starting with `{`), or the
   * path of a template file (any other string), as `stepwright run` takes it.
   * Read from a file, `AWS::StackName` is the file name without `.template.json`.
   * @example Workflow.fromTemplate('cdk.out/OrdersStack.template.json')
   * @throws TemplateError listing the state machines when there are none, or several and no selector;
   *   naming what it was given (JSON text or a path) when it cannot read it
   */
  static fromTemplate(template: object | string, options: WorkflowOptions = {}): Workflow {
    if (typeof template === 'string' && !looksLikeJson(template)) {
      const source = readTemplateArgument('fromTemplate', template);
      return Workflow.fromTemplate(source.template, withSourceOptions(source, options));
    }
    const parsed = typeof template === 'string' ? parseJson('fromTemplate', template) : template;
    const { stateMachine, type, version, alias, ...resolve } = options;
    const machines = extractStateMachines(parsed, resolve);
    const selector = stateMachine === undefined || typeof stateMachine === 'string' ? stateMachine : stateMachine.node.path;
    const chosen = version === undefined && alias === undefined
      ? selectStateMachine(machines, selector)
      : selectQualified(parsed, resolve, machines, selector, { version, alias });
    const workflow = new Workflow(chosen.definition, chosen.resources, arnParts(chosen.arn), type ?? chosen.type, chosen, machines);
    recordWorkflowSource(workflow, { template: parsed, options: resolve });
    return workflow;
  }

  /**
   * Takes a state machine out of a cloud assembly (`cdk.out`).
   * @throws TemplateError when the stack or state machine is not found
   */
  static fromCdkOut(dir: string, stackName: string, options: WorkflowOptions = {}): Workflow {
    const source = templateFromCdkOut(dir, stackName);
    return Workflow.fromTemplate(source.template, withSourceOptions(source, options));
  }

  /**
   * A workflow from plain ASL: an object, JSON text (a string starting with
   * `{`), or the path of an ASL file (any other string).
   * @example Workflow.fromDefinition('statemachine/orders.asl.json')
   * @throws TemplateError naming what it was given (JSON text or a path) when it cannot read it
   */
  static fromDefinition(definition: StateMachineDefinition | string, options: DefinitionOptions = {}): Workflow {
    const parsed = typeof definition !== 'string' ? definition
      : looksLikeJson(definition) ? parseJson('fromDefinition', definition) as StateMachineDefinition
        : readTemplateArgument('fromDefinition', definition).template as StateMachineDefinition;
    const region = options.region ?? 'us-east-1';
    const account = options.account ?? '123456789012';
    return new Workflow(parsed, new Map(), { region, account, name: options.name ?? 'StateMachine' }, options.type ?? 'STANDARD', undefined, []);
  }

  /** The definition as plain ASL with stable placeholder ARNs, fit for `toMatchSnapshot()`. */
  public readonly definition: StateMachineDefinition;
  /** Each placeholder in the definition mapped to the resource behind it. */
  public readonly resources: ReadonlyMap<string, ResourceRef>;
  /** Name of the state machine (from its ARN). */
  public readonly name: string;
  /** ARN of the state machine; `Ref` to it elsewhere in the template resolves to this. */
  public readonly arn: string;
  /** STANDARD or EXPRESS. */
  public readonly type: 'STANDARD' | 'EXPRESS';
  /** Logical id, when the workflow came from a template. */
  public readonly logicalId?: string;
  /** Construct path, when known. */
  public readonly cdkPath?: string;
  /** The version (and alias) executions start on, when loaded with `version` or `alias`; `arn` is then the qualified ARN. */
  public readonly qualifier?: WorkflowQualifier;

  private readonly machine: StateMachine;
  private readonly where: { region: string; account: string; name: string };
  /** The definition compiled with other limits, by their JSON: compiled once per set of limits. */
  private readonly limitedMachines = new Map<string, StateMachine>();
  private readonly contexts = new WeakMap<object, RunContext>();
  private readonly denials = new WeakMap<object, ReadonlyMap<string, AccessDeniedError>>();
  private readonly deliverers = new WeakMap<object, Deliverer>();
  private readonly cuts = new WeakMap<object, RestartCut>();
  private readonly registered = new Map<string, Workflow | NestedWorkflow>();
  private readonly siblings: readonly ExtractedStateMachine[];
  private readonly allMachines: readonly ExtractedStateMachine[];
  private readonly siblingWorkflows = new Map<string, Workflow>();
  /** Why a state name a mock key may use is not in the definition, by state name (from the construct tree). */
  private readonly mockKeyHints = new Map<string, string>();

  private constructor(
    definition: StateMachineDefinition,
    resources: ReadonlyMap<string, ResourceRef>,
    where: { region: string; account: string; name: string },
    type: 'STANDARD' | 'EXPRESS',
    extracted: ExtractedStateMachine | undefined,
    siblings: readonly ExtractedStateMachine[],
  ) {
    this.definition = definition;
    this.resources = resources;
    this.name = where.name;
    this.type = type;
    this.arn = `arn:aws:states:${where.region}:${where.account}:stateMachine:${where.name}`;
    if (extracted) {
      this.logicalId = extracted.logicalId;
      if (extracted.path) this.cdkPath = extracted.path;
      this.arn = extracted.arn;
      const qualifier = (extracted as { qualifier?: WorkflowQualifier }).qualifier;
      if (qualifier) this.qualifier = qualifier;
    }
    this.allMachines = siblings;
    this.siblings = siblings.filter((m) => !refersTo(extracted?.arn ?? '', m.arn));
    this.machine = this.compile(where, undefined);
    this.where = where;
  }

  private compile(where: { region: string; account: string; name: string }, limits: ExecutionLimits | undefined): StateMachine {
    return compileStateMachine(this.definition, {
      defaultTaskHandler: (input, request) => this.dispatch(input, request),
      stateMachineName: where.name,
      region: where.region,
      accountId: where.account,
      type: this.type,
      ...(limits ? { limits } : {}),
    });
  }

  /** The compiled machine that enforces `limits`. */
  private machineWith(limits: ExecutionLimits | undefined): StateMachine {
    if (limits === undefined) return this.machine;
    const key = JSON.stringify(limits);
    let machine = this.limitedMachines.get(key);
    if (!machine) {
      machine = this.compile(this.where, limits);
      this.limitedMachines.set(key, machine);
    }
    return machine;
  }

  /**
   * Registers the child workflow a `states:startExecution` Task starts: by its
   * construct, its ARN, or (without `child`) a state machine of the same template.
   * @example wf.register(childStateMachine, { workflow: childWf, mocks: { Step: 1 } })
   * @throws MockKeyError when the target is not a state machine of this template and no child is given
   */
  register(target: IConstruct | string | Workflow, child?: Workflow | NestedWorkflow): this {
    if (target instanceof Workflow) {
      this.registered.set(target.arn, child ?? target);
      return this;
    }
    const arns = typeof target === 'string' ? [target] : this.arnsOfConstruct(target);
    if (arns.length === 0) {
      throw new MockKeyError(`construct '${(target as IConstruct).node.path}' is not a state machine of this template; pass its ARN, or register(arn, childWorkflow)`);
    }
    for (const arn of arns) {
      const wf = child ?? this.siblingWorkflow(arn);
      if (!wf) throw new MockKeyError(`no state machine of this template has ARN '${arn}'; pass the child workflow: register(arn, childWorkflow)`);
      this.registered.set(arn, wf);
    }
    return this;
  }

  /** Runs an execution to its end. Never rejects for a failed execution: inspect `status`, `error` and `cause`. */
  async run(input: JsonValue = {}, options: RunOptions = {}): Promise<WorkflowRun> {
    const plan = deliveryPlan(options.delivery, this.type, false);
    const restarts: WorkflowRun[] = [];
    for (let k = 0; k < (plan?.restarts ?? 0); k++) {
      restarts.push(await this.launch(input, options, { interactive: false, cut: new RestartCut(plan!.seed, k), deliveryRun: k + 1 }).result);
    }
    const run = await this.launch(input, options, { interactive: false, deliveryRun: 0 }).result;
    if (restarts.length > 0) run.keepDeliveries(run.redeliveries, restarts);
    return run;
  }

  /**
   * Runs an execution to its end without counting it in test coverage (the
   * runs explore makes to search are not the tests'). With `childEvents`, what
   * the child executions of DISTRIBUTED Maps do is recorded in its history,
   * where explore reads it; the run is otherwise the one `run` makes (same
   * path, outcome and Task calls), but its event ids, and the causes that
   * name them, are not.
   * @internal
   */
  async runUncounted(input: JsonValue, options: RunOptions = {}, childEvents = false): Promise<WorkflowRun> {
    return this.launch(input, options, { interactive: false, recordCoverage: false, inlineChildEvents: childEvents }).result;
  }

  /**
   * Searches for execution inputs and Task answers that together reach every
   * state, every transition, both sides of every Choice rule, every Catch and
   * Retry and every outcome of every callback Task, and reports them as
   * scenarios (input, mocks, path, status, output or error), with the goals no
   * input can reach and why, and findings: errors nothing handles, loops that
   * run into AWS's history limit, payloads that outgrow 256 KiB, EXPRESS runs
   * past 5 minutes. Every scenario is run again with its reported mocks before
   * it is reported. The runs are not counted in test coverage.
   * @example
   * const report = await Workflow.fromDefinition(definition).explore({ budgetSeconds: 10 });
   * for (const s of report.scenarios) {
   *   const run = await wf.run(s.input, { mocks: mocksFromJson(s.mocks, s.name) });
   *   expect(run.status).toBe(s.status);
   * }
   */
  async explore(options: ExploreOptions = {}): Promise<ExploreReport> {
    return exploreWorkflow(this, options);
  }

  /**
   * Starts an execution and returns a handle to drive its callbacks: tasks
   * with a task token and no mock wait for `sendTaskSuccess` / `sendTaskFailure`.
   * @example
   * const exec = wf.start(input);
   * const token = await exec.waitForTaskToken('Approve');
   * exec.sendTaskSuccess(token, { approved: true });
   * const run = await exec.result;
   */
  start(input: JsonValue = {}, options: RunOptions = {}): WorkflowExecution {
    const { execution, result, clock } = this.launch(input, options, { interactive: true });
    return new WorkflowExecution(execution, result, clock.inner);
  }

  private launch(input: JsonValue, options: RunOptions, internals: LaunchInternals): Launched {
    const clock = internals.clock ?? new HarnessClock(options.clock ?? new VirtualClock());
    const random = options.random ?? internals.random ?? seededRandom(options.seed ?? 0);
    // A separate stream for request ids and child names, so mocks do not shift the machine's UUIDs.
    const harnessRandom = seededRandom(Math.floor(random.next() * 2 ** 31));
    const registry = this.registryOf(options.workflows ?? internals.inheritedWorkflows);
    const unmocked = options.unmocked ?? internals.inheritedUnmocked ?? 'error';
    const constructArns = (key: unknown): string[] => this.arnsOfConstruct(key as IConstruct);
    const mocks = resolveMocks(options.mocks, this.definition, this.resources, this.name, constructArns, this.mockKeyHints);
    checkMocks(mocks);
    const config = options.mockConfig ? this.configFor(options.mockConfig) : undefined;
    const endpoints = checkEndpoints(options.endpoints);
    const children: Array<Promise<WorkflowRun>> = [];
    const ctx = new RunContext({
      mocks,
      config,
      unmocked,
      inlineCode: options.inlineCode ?? true,
      ...(endpoints.size > 0 ? { forwarder: new EndpointForwarder(endpoints, /^arn:[^:]+:states:([^:]+):/.exec(this.arn)?.[1] ?? 'us-east-1') } : {}),
      clock,
      random: harnessRandom,
      resources: this.resources,
      interactive: internals.interactive,
      nested: (payload, request) => {
        const pattern = startExecutionPattern(request.resource);
        if (!pattern) return undefined;
        const req = readStartExecution(request.stateName, payload);
        const entry = registry.get(req.stateMachineArn) ?? this.registered.get(req.stateMachineArn) ?? this.siblingWorkflow(req.stateMachineArn);
        if (!entry) return undefined;
        const child = entry instanceof Workflow ? { workflow: entry } : entry;
        const launched = child.workflow.launch(req.input, {
          ...(child.mocks ? { mocks: child.mocks } : {}),
          ...(child.mockConfig ? { mockConfig: child.mockConfig } : {}),
          name: req.name ?? harnessRandom.uuid(),
        }, {
          clock,
          random: seededRandom(Math.floor(harnessRandom.next() * 2 ** 31)),
          interactive: internals.interactive,
          inheritedUnmocked: child.unmocked ?? unmocked,
          inheritedWorkflows: options.workflows ?? internals.inheritedWorkflows,
        });
        children.push(launched.result);
        return nestedResult(pattern, {
          executionArn: launched.execution.executionArn,
          name: launched.execution.name,
          stateMachineArn: child.workflow.arn,
          input: req.input,
          startMs: clock.now(),
          result: launched.result,
        });
      },
    });
    const execution = this.machineWith(options.limits).start(input, {
      clock,
      random,
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.variables ? { variables: options.variables } : {}),
      ...(internals.inlineChildEvents ? { inlineChildEvents: true } : {}),
    });
    this.contexts.set(execution, ctx);
    if (options.permissions) this.denials.set(execution, deniedTasks(this, options.permissions));
    const plan = deliveryPlan(options.delivery, this.type, internals.interactive);
    const deliverer = plan ? new Deliverer(plan, internals.deliveryRun ?? 0) : undefined;
    if (deliverer) {
      this.deliverers.set(execution, deliverer);
      ctx.onCallbackRefused = (request, error) => noteRefusedCallback(deliverer, request, error);
    }
    if (internals.cut) this.cuts.set(execution, internals.cut);
    const result = execution.result.then(async (r) => {
      if (internals.recordCoverage !== false) recordExecution(this.definition, r, { name: this.name, ...(this.cdkPath ? { path: this.cdkPath.replace(/\/Resource$/, '') } : {}) });
      // Fire-and-forget children may still be running; only the settled ones are listed.
      const settled = await Promise.all(children.map((c) => Promise.race([c, Promise.resolve(undefined)])));
      const run = new WorkflowRun(r, ctx.calls, settled.filter((c): c is WorkflowRun => c !== undefined), this.definition);
      if (deliverer) run.keepDeliveries(deliverer.redeliveries, []);
      return run;
    });
    return { execution, result, clock };
  }

  private dispatch(input: JsonValue, request: TaskRequest): JsonValue | Promise<JsonValue> {
    const ctx = this.contexts.get(request.execution);
    if (!ctx) throw new Error(`internal: no run context for an execution of workflow '${this.name}'`);
    const denied = this.denials.get(request.execution)?.get(request.stateName);
    if (denied) throw new StatesError(denied.error, denied.cause);
    const deliverer = this.deliverers.get(request.execution);
    const answer = deliverer ? deliverer.deliver(input, request, ctx) : ctx.handle(input, request);
    const cut = this.cuts.get(request.execution);
    if (cut?.cutsHere()) {
      // The execution loses its state after this call: AWS starts it over (the next run).
      // Stopped once the answer is in, with the run waiting on it, so that it ends ABORTED.
      const lose = (): void => request.execution.stop('States.Restarted', 'at-least-once delivery: the execution was started over after this Task');
      return Promise.resolve(answer).then((v) => { lose(); return v; }, (e: unknown) => { lose(); throw e; });
    }
    return answer;
  }

  private configFor(options: MockConfigOptions): ReturnType<typeof mockResponsesFor> {
    let config: MockConfig;
    if (options.config !== undefined) config = parseMockConfig(options.config);
    else if (options.file !== undefined) config = loadMockConfig(options.file);
    else throw new TypeError('mockConfig needs a file or a config');
    const responses = mockResponsesFor(config, options.stateMachine ?? this.mockConfigMachine(config, options.testCase), options.testCase);
    const states = allStates(this.definition);
    for (const state of responses.keys()) {
      if (!states.has(state)) {
        throw new MockKeyError(`MockConfigFile test case '${options.testCase}' mocks state '${state}', which workflow '${this.name}' does not have; its states: ${[...states.keys()].join(', ')}`);
      }
    }
    return responses;
  }

  /**
   * The `StateMachines` entry of a MockConfigFile for this workflow when none
   * is named: the only one, the one named as the workflow, or the only one
   * that holds the test case.
   */
  private mockConfigMachine(config: MockConfig, testCase: string): string {
    const names = Object.keys(config.StateMachines);
    if (names.length === 1) return names[0];
    if (names.includes(this.name)) return this.name;
    const holding = names.filter((n) => Object.prototype.hasOwnProperty.call(config.StateMachines[n].TestCases, testCase));
    if (holding.length === 1) return holding[0];
    const why = holding.length === 0 ? `no state machine in it has test case '${testCase}'` : `test case '${testCase}' exists for ${holding.join(', ')}`;
    throw new MockConfigError('UNKNOWN_STATE_MACHINE', 'StateMachines',
      `${why}; name the state machine to use (mockConfig.stateMachine; --mock-state-machine on the command line) among ${names.join(', ') || 'none'}`);
  }

  private registryOf(workflows: WorkflowRegistry | undefined): Map<string, Workflow | NestedWorkflow> {
    const out = new Map<string, Workflow | NestedWorkflow>();
    if (!workflows) return out;
    if (Array.isArray(workflows)) {
      for (const entry of workflows as ReadonlyArray<Workflow | NestedWorkflow>) {
        out.set(entry instanceof Workflow ? entry.arn : entry.workflow.arn, entry);
      }
    } else {
      for (const [arn, entry] of Object.entries(workflows)) out.set(arn, entry as Workflow | NestedWorkflow);
    }
    return out;
  }

  /** ARNs of sibling state machines (same template) that a construct stands for. */
  private arnsOfConstruct(construct: IConstruct): string[] {
    if (!construct || typeof construct !== 'object' || !('node' in construct)) return [];
    const path = construct.node.path;
    return this.siblings
      .filter((m) => m.path !== undefined && (m.path === path || m.path.startsWith(`${path}/`)))
      .map((m) => m.arn);
  }

  private siblingWorkflow(arn: string): Workflow | undefined {
    const found = this.siblings.find((m) => refersTo(arn, m.arn));
    if (!found) return undefined;
    let wf = this.siblingWorkflows.get(found.arn);
    if (!wf) {
      wf = new Workflow(found.definition, found.resources, arnParts(found.arn), found.type, found, this.allMachines);
      this.siblingWorkflows.set(found.arn, wf);
    }
    return wf;
  }
}

/** Written on a Saga's node by constructs/saga.ts for the compensation of its last step, which it leaves out. */
const UNREACHABLE_COMPENSATION_METADATA = 'stepwright:saga-unreachable-compensation';

/** States the stack's constructs built but left out of every state machine, with why, by state name. */
function leftOutStates(stack: Stack): Map<string, string> {
  const out = new Map<string, string>();
  for (const construct of stack.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== UNREACHABLE_COMPENSATION_METADATA) continue;
      const { saga, step, states } = entry.data as { saga: string; step: string; states: string[] };
      for (const state of states) {
        out.set(state, `'${state}' belongs to the compensation of step '${step}', the last step of Saga '${saga}', which the Saga leaves out of the state machine `
          + 'because it can never run: a step is undone when a later step fails, and no step comes after the last. '
          + `Remove this mock key, or set compensateFailedStep: true on the Saga if '${step}' can fail after doing part of its work.`);
      }
    }
  }
  return out;
}

/** Refuses, before anything runs, a mock that could be read two ways, naming its key and the Tasks it answers. */
function checkMocks(mocks: ResolvedMocks<Mock>): void {
  const statesOf = new Map<KeyMatch<Mock>, string[]>();
  for (const [state, match] of mocks.byState) statesOf.set(match, [...(statesOf.get(match) ?? []), state]);
  for (const match of mocks.byArn) if (!statesOf.has(match)) statesOf.set(match, []);
  for (const [match, states] of statesOf) {
    const problem = mockProblem(match.mock);
    if (problem) throw new InvalidMockError(match.label, states, problem);
  }
}

function arnParts(arn: string): { region: string; account: string; name: string } {
  // A version or alias ARN carries a qualifier after the name.
  const m = /^arn:[^:]+:states:([^:]*):([^:]*):stateMachine:([^:]+)(?::[^:]+)?$/.exec(arn);
  if (!m) return { region: 'us-east-1', account: '123456789012', name: arn.split(':').pop() || 'StateMachine' };
  return { region: m[1], account: m[2], name: m[3] };
}

/** JSON text of an object starts with `{` (after white space or a byte order mark); anything else given as a string is a path. */
function looksLikeJson(text: string): boolean {
  return /^[\s\uFEFF]*\{/.test(text);
}

function parseJson(method: string, text: string): object {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as object;
  } catch (e) {
    throw new TemplateError('NOT_A_TEMPLATE', `${method} was given JSON text (a string starting with '{') that is not valid JSON: ${(e as Error).message}`);
  }
}

/** Reads the file a string names, saying it was taken as a path when it cannot be read. */
function readTemplateArgument(method: string, file: string): TemplateSource {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch {
    stat = undefined;
  }
  const shown = file.length > 200 ? `${file.slice(0, 200)}…` : file;
  const given = `${method} was given a string that does not start with '{', so it was read as a file path`;
  if (stat === undefined) {
    throw new TemplateError('CDK_OUT_NOT_FOUND', `${given}, and there is no file '${shown}' (from ${process.cwd()}); `
      + 'pass the path of a synthesized template (cdk.out/<Stack>.template.json), JSON text, or the parsed object');
  }
  if (stat.isDirectory()) {
    throw new TemplateError('NOT_A_TEMPLATE', `${given}, and '${shown}' is a directory; for a cloud assembly use Workflow.fromCdkOut('${shown}', '<stack name>')`);
  }
  try {
    return templateFromFile(file);
  } catch (e) {
    if (e instanceof TemplateError) throw new TemplateError(e.code, `${given}: ${e.message}`);
    throw e;
  }
}

