import type { IConstruct } from 'constructs';
import { Deliverer, deliveryPlan, noteRefusedCallback, type DeliveryPlan, type RestartCut } from './delivery';
import type { WorkflowEngine } from './engine';
import { distributedMapErrorAdvice } from './map-error-advice';
import { nestedResult, readStartExecution, startExecutionError, startExecutionPattern, stopsChildWithTask } from './nested';
import type { ChildRegistry, ChildWorkflow, MockConfigOptions, RunSettings } from './options';
import { RunExecutions } from './run-executions';
import { WorkflowRun } from './workflow-run';
import type { JsonValue, StateMachineDefinition } from '../../asl';
import { ApiErrors } from '../../asl/api-errors';
import { AwsDefaults } from '../../asl/aws-defaults';
import { DEFAULT_SEED, SEED_BOUND, seededRandom, type RandomSource } from '../../asl/random';
import { allStates } from '../../asl/state-tree';
import { InternalErrors, StatesError, StatesErrors } from '../../asl/states-errors';
import type { AccessDeniedError } from '../../iam';
import type { LocalS3, ObjectStore, Execution } from '../../interpreter';
import { VirtualClock } from '../../interpreter/clock';
import type { ExecutionResult, MapRunCounts, RequestCheck, StartOptions, TaskAnswer, TaskRequest, UnrecordedValue } from '../../interpreter/execution-types';
import { loadMockConfig, MockConfigError, mockResponsesFor, parseMockConfig, type MockConfig, InvalidMockError, mockProblem, type Mock, HarnessClock, RunContext, type RunContextProps, type UnmockedPolicy, resolveMocks, type KeyMatch, type ResolvedMocks, AdviceLog, childChecks, runChecks, type RunChecks, TaskTokens, type RunAdvice, absentStateAdvice } from '../mocks';
import { checkEndpoints, EndpointForwarder, localS3FolderAt } from '../mocks';
import { templateLocalS3Of } from '../s3';
import { iamWorkflow as roleCheck } from './lazy-rooms';

/** An execution just started, with its outcome as a run and the clock it runs on. @internal */
export interface Launched {
  readonly execution: Execution;
  readonly result: Promise<WorkflowRun>;
  readonly clock: HarnessClock;
  readonly session: RunSession;
}

/** How the engine starts a run beyond its settings: for restarts, child workflows, explore and `start()`. @internal */
export interface LaunchInternals {
  /** A restarted (lost) run: ends after a Task invocation this chooses. */
  readonly cut?: RestartCut;
  /** Which run of a delivery this is (restarts first), to draw each one's own choices. */
  readonly deliveryRun?: number;
  readonly clock?: HarnessClock;
  readonly random?: RandomSource;
  /** Driven by the test (`start()`): a callback Task with no mock waits for its answer. */
  readonly interactive: boolean;
  /**
   * How the run checks its mocks and requests, whole, as the door it came through resolved them
   * (runChecks): the settings' own check options are not read then.
   * @default - runChecks(settings, 'jest')
   */
  readonly checks?: RunChecks;
  /** A child run's: what it takes from the run that started it. */
  readonly parent?: InheritedSettings;
  /** Tell the workflow's observer of the run (it counts in test coverage). @default true */
  readonly observed?: boolean;
  /** StartOptions.inlineChildEvents: what DISTRIBUTED Map children do is recorded in the run's history. @default false */
  readonly inlineChildEvents?: boolean;
  /** CompileOptions.recordHistory: false runs a machine compiled without recording events (UncountedRun.history). @default true */
  readonly recordHistory?: boolean;
  /** StartOptions.historyDocuments (UncountedRun.documents). @default true */
  readonly historyDocuments?: boolean;
  /** StartOptions.interrupt, of the run and of the child workflows it starts: explore's deadline. */
  readonly interrupt?: () => void;
  /** A door that runs executions of its own (serve): what it gives the run in place of the harness's mocks, endpoints and S3. */
  readonly hosted?: DoorLaunch;
}

/**
 * What a child run started by a `states:startExecution` Task takes from its parent run, as one
 * object: its checks, its unmocked policy (unless the child workflow names its own) and its child
 * workflows.
 * @internal
 */
export interface InheritedSettings {
  readonly checks: RunChecks;
  readonly unmocked: UnmockedPolicy;
  readonly workflows?: ChildRegistry;
  /** The executions of the run the root started, which every child counts in, against the root's bound. */
  readonly executions: RunExecutions;
  /** Where the child stands in its chain of executions, each started by a Task of the one before: the root is the first. */
  readonly position: number;
  /** The tokens the run's executions issued, which a child's `aws-sdk:sfn:sendTask*` Task answers. */
  readonly taskTokens: TaskTokens;
}

/**
 * What a door that runs executions of its own (serve) gives one run of an execution: the
 * execution's own start, its at-least-once delivery, and a factory, which the door owns, of what
 * the run's dispatcher answers with in place of the harness's mocks, endpoints and S3 (serve's
 * MockConfigFile test case, handlers, endpoints, local S3 and loaded resources). The run's
 * settings give its clock, random source and name.
 * @internal
 */
export interface DoorLaunch {
  /** The execution's own start: its ARN, and for a redrive the state it starts again at. */
  readonly start: Pick<StartOptions, 'executionArn' | 'startAt' | 'redriveCount' | 'resume' | 'onChildExecution'>;
  /** At-least-once delivery of this run, when the door delivers so. */
  readonly delivery?: DeliveryPlan;
  /** The run's dispatcher as the door builds it, from the session's parts; and its local S3, when the door has one. */
  dispatcher(parts: SessionParts): DoorDispatcher;
}

/** What the session gives the door's dispatcher: the run's checks and clock. @internal */
export interface SessionParts {
  readonly checks: RunChecks;
  readonly clock: HarnessClock;
}

/** The dispatcher a door builds for a run (DoorLaunch.dispatcher). @internal */
export interface DoorDispatcher {
  readonly props: RunContextProps;
  /** The local S3 and which Map states a handler of the door answers before it. */
  readonly localS3?: LocalS3;
}

/**
 * One run of a workflow: it answers the run's Tasks through its dispatcher (mocks, the
 * MockConfigFile test case, child workflows, endpoints, callbacks, the unmocked policy), fails
 * first the Tasks the role denies, delivers again what at-least-once delivery chooses, and for a
 * restarted run loses the execution after the Task its cut chooses. Everything a run owns lives
 * here, so that runs of one workflow at the same time never share it.
 * @internal
 */
export class RunSession {
  public readonly clock: HarnessClock;
  /** The execution's random source (UUIDs, jitter, its name). */
  public readonly random: RandomSource;
  /** Runs of the child workflows its Tasks started, in start order. */
  private readonly children: Array<Promise<WorkflowRun>> = [];
  /** The children of `.sync` Tasks that stopped waiting for them, stopped with them. */
  private readonly stopped: Array<Promise<WorkflowRun>> = [];
  /** The run's local S3 (RunSettings.s3), with the Map states whose mocks answer first. */
  public readonly localS3: LocalS3 | undefined;
  private readonly context: RunContext;
  /** How the run checks its mocks and requests: its door's, its parent's, or its settings'. */
  private readonly checks: RunChecks;
  /** What the run's checks noticed and let through. */
  private readonly advice = new AdviceLog();
  /** The executions of the run the root started (RunSettings.openExecutionLimit bounds them). */
  private readonly executions: RunExecutions;
  /** Where this execution stands in its chain: its Tasks start the next. */
  private readonly position: number;
  /** The execution's ARN, once it has started: a refused start of a child names it. */
  private executionArn = '';
  /** Where the run's advice is told: its own log, or its door's (serve's log). */
  private readonly tell: Pick<AdviceLog, 'add'>;
  private denials: ReadonlyMap<string, AccessDeniedError> | undefined;
  private deliverer: Deliverer | undefined;
  /** A restarted (lost) run: the Task after whose call it was cut, once it was. */
  public cutAfter: string | undefined;
  /** The tokens the run and its children issued (its parent's, for a child): one table for the whole run. */
  private readonly taskTokens: TaskTokens;

  constructor(
    private readonly engine: WorkflowEngine,
    private readonly settings: RunSettings,
    private readonly internals: LaunchInternals,
    registry: ReadonlyMap<string, WorkflowEngine | ChildWorkflow>,
  ) {
    this.clock = internals.clock ?? new HarnessClock(settings.clock ?? new VirtualClock());
    this.random = settings.random ?? internals.random ?? seededRandom(settings.seed ?? DEFAULT_SEED);
    const checks = internals.parent?.checks ?? internals.checks ?? runChecks(settings, 'jest');
    this.checks = checks;
    this.executions = internals.parent?.executions ?? new RunExecutions(settings.openExecutionLimit, checks.door);
    this.position = internals.parent?.position ?? 1;
    this.taskTokens = internals.parent?.taskTokens ?? new TaskTokens();
    const hosted = internals.hosted?.dispatcher({ checks, clock: this.clock });
    this.tell = hosted?.props.advice ?? this.advice;
    if (hosted) {
      this.localS3 = hosted.localS3;
      this.context = new RunContext(hosted.props);
      return;
    }
    // A separate stream for request ids and child names, so mocks do not shift the machine's UUIDs.
    const harnessRandom = seededRandom(Math.floor(this.random.next() * SEED_BOUND));
    const unmocked = settings.unmocked ?? internals.parent?.unmocked ?? 'error';
    const constructArns = (key: unknown): string[] => engine.arnsOfConstruct(key as IConstruct);
    const mocks = resolveMocks(settings.mocks, engine.definition, engine.resources, engine.name, constructArns, engine.mockKeyHints);
    checkMocks(mocks);
    const config = settings.mockConfig ? testCaseResponses(engine, settings.mockConfig, this.advice.add) : undefined;
    const endpoints = checkEndpoints(settings.endpoints);
    const region = /^arn:[^:]+:states:([^:]+):/.exec(engine.arn)?.[1] ?? AwsDefaults.REGION;
    // A bucket the template names without a BucketName: its NoSuchBucket says how the run named it.
    const store: ObjectStore | undefined = templateLocalS3Of(
      settings.s3, endpoints.get('s3'), region, () => this.clock.now(), engine.resources, localS3FolderAt(checks.door),
    );
    this.localS3 = store ? {
      store,
      handled: (state, resource) => mocks.byState.has(state) || config?.has(state) === true || mocks.byArn.some((m) => m.arns.includes(resource)),
    } : undefined;
    this.context = new RunContext({
      mocks,
      config,
      ...(settings.mockConfig?.testCase !== undefined ? { testCase: settings.mockConfig.testCase } : {}),
      unmocked,
      checks,
      advice: this.advice,
      inlineCode: settings.inlineCode ?? true,
      ...(endpoints.size > 0 ? { forwarder: new EndpointForwarder(endpoints, region) } : {}),
      ...(store ? { s3: store } : {}),
      clock: this.clock,
      requestId: () => harnessRandom.uuid(),
      refusalRequestId: () => harnessRandom.uuid(),
      resources: engine.resources,
      interactive: internals.interactive,
      nested: (payload, request, ended) => this.startChild(payload, request, registry, unmocked, harnessRandom, ended),
      taskTokens: this.taskTokens,
    });
  }

  /**
   * Reads the role's denials and the delivery plan, once the execution has started: start()
   * refuses an input that is not JSON first, and that is the error to report.
   */
  arm(): void {
    if (this.settings.permissions) this.denials = roleCheck().deniedTasks(this.engine, this.settings.permissions);
    const hosted = this.internals.hosted;
    const plan = hosted ? hosted.delivery : deliveryPlan(this.settings.delivery, this.engine.type, this.internals.interactive);
    const deliverer = plan ? new Deliverer(plan, this.internals.deliveryRun ?? 0) : undefined;
    if (deliverer) {
      this.deliverer = deliverer;
      this.context.onCallbackRefused = (request, error) => noteRefusedCallback(deliverer, request, error);
    }
  }

  /**
   * A Task's request checked as AWS checks it (StartOptions.requestCheck): Step Functions'
   * refusal before it calls the service is thrown, the service's refusal returned.
   */
  readonly requestCheck: RequestCheck = (stateName, resource, payload, field) => {
    const verdict = this.context.checkRequest(stateName, resource, payload, field);
    if (verdict.beforeCall !== undefined) throw verdict.beforeCall;
    return verdict.byService;
  };

  /** Answers one Task call of the run. */
  dispatch(input: JsonValue, request: TaskRequest): TaskAnswer | Promise<TaskAnswer> {
    const denied = this.denials?.get(request.stateName);
    if (denied) throw new StatesError(denied.error, denied.cause);
    const answer = this.deliverer ? this.deliverer.deliver(input, request, this.context) : this.context.handle(input, request);
    if (this.cutAfter === undefined && this.internals.cut?.cutsHere()) {
      // The execution loses its state after this call: AWS starts it over (the next run).
      // Stopped once the answer is in, with the run waiting on it, so that it ends ABORTED.
      this.cutAfter = request.stateName;
      const lose = (): void => request.execution.stop(InternalErrors.RESTARTED, 'at-least-once delivery: the execution was started over after this Task');
      return Promise.resolve(answer).then((v) => { lose(); return v; }, (e: unknown) => { lose(); throw e; });
    }
    return answer;
  }

  /**
   * Marks the execution just started until it has run its first states: a time jump the test
   * asks for at once (`start()`, then `advanceTime(61)`) then begins at the execution's start,
   * with the timers those states set (a heartbeat, a Wait), not before it. The execution runs
   * from a microtask queued when it was made; the release is queued after it.
   */
  holdUntilRunning(): void {
    const inner = this.clock.inner;
    if (!(inner instanceof VirtualClock)) return;
    void Promise.resolve().then(inner.holdStart());
  }

  /**
   * Counts the execution just started among its run's open executions until it ends; a door that
   * runs executions of its own (serve) counts them itself.
   */
  opened(execution: Execution): void {
    this.executionArn = execution.executionArn;
    if (!this.internals.hosted) this.executions.opened(this.engine.type, execution.result);
  }

  /** Tells what the ended execution's own result calls for: its Distributed Maps' errors AWS may raise otherwise, the values it met whose handling AWS does not record. */
  adviseOn(result: ExecutionResult, definition: StateMachineDefinition): void {
    for (const advice of distributedMapErrorAdvice(definition, result.childExecutions)) this.tell.add(advice);
    // The values it met that AWS bounds but whose handling no recording gives: the interpreter's result holds them.
    for (const value of (result as { readonly unrecorded?: readonly UnrecordedValue[] }).unrecorded ?? []) this.tell.add(value);
  }

  /** The run the execution's result makes, with its Task calls, its settled children and what was delivered again. */
  async runOf(
    result: ExecutionResult, definition: StateMachineDefinition, mapRuns?: ReadonlyMap<string, Readonly<MapRunCounts>>,
  ): Promise<WorkflowRun> {
    // Fire-and-forget children may still be running; only the settled ones are listed. A child
    // stopped with its Task is one: it ends as soon as its stop is written.
    await Promise.all(this.stopped);
    const settled = await Promise.all(this.children.map((c) => Promise.race([c, Promise.resolve(undefined)])));
    const run = new WorkflowRun(result, this.context.calls, settled.filter((c): c is WorkflowRun => c !== undefined), definition);
    if (this.deliverer) run.keepDeliveries(this.deliverer.redeliveries, []);
    run.keepAdvice(this.advice.all);
    run.keepS3(this.localS3?.store);
    if (mapRuns && mapRuns.size > 0) run.keepMapRuns(mapRuns, definition);
    return run;
  }

  /**
   * The MockConfigFile test case a child started as `<stateMachineArn>#<TestCase>` runs with, as
   * Step Functions Local runs an execution started so ("Step 3: Run Mocked Service Integration
   * Tests", sfn-local-test-sm-exec.html): the test case of the run's own MockConfigFile, under the
   * child's name there. A run without a MockConfigFile has no test case to give it: the Task
   * fails saying so.
   */
  private childTestCase(testCase: string, state: string, asked: string): MockConfigOptions {
    const own = this.settings.mockConfig;
    if (own === undefined || testCase === '') {
      throw new StatesError(StatesErrors.RUNTIME, `Task '${state}' starts ${JSON.stringify(asked)}, a state machine ARN naming a MockConfigFile test case `
        + `('#${testCase}'), but ${testCase === '' ? 'the name after # is empty' : 'this run has no MockConfigFile'}: give the run the MockConfigFile that holds the `
        + "child's test case (mockConfig in a test, --mocks <MockConfigFile> --test-case on the command line), or start the child's ARN without '#'");
    }
    return { ...(own.file !== undefined ? { file: own.file } : {}), ...(own.config !== undefined ? { config: own.config } : {}), testCase };
  }

  /** Starts the child workflow of a `states:startExecution` Task; undefined when no workflow is known for its ARN. */
  private startChild(payload: JsonValue, request: TaskRequest, registry: ReadonlyMap<string, WorkflowEngine | ChildWorkflow>,
    unmocked: UnmockedPolicy, harnessRandom: RandomSource, ended?: (end: Promise<unknown>) => void): JsonValue | Promise<JsonValue> | undefined {
    const pattern = startExecutionPattern(request.resource);
    if (!pattern) return undefined;
    const req = readStartExecution(request.stateName, payload);
    // Step Functions Local's `<stateMachineArn>#<TestCase>`: the child runs with that test case of the run's MockConfigFile.
    const hash = req.stateMachineArn.indexOf('#');
    const arn = hash < 0 ? req.stateMachineArn : req.stateMachineArn.slice(0, hash);
    const child = this.engine.childFor(arn, registry);
    if (!child) return undefined;
    const mockConfig = hash < 0 ? child.mockConfig : this.childTestCase(req.stateMachineArn.slice(hash + 1), request.stateName, req.stateMachineArn);
    const refused = this.executions.refusal(child.workflow.type, this.position, this.executionArn);
    if (refused !== undefined) throw startExecutionError(ApiErrors.ExecutionLimitExceeded, refused);
    const launched = child.workflow.launch(req.input, {
      ...(child.mocks ? { mocks: child.mocks } : {}),
      ...(mockConfig ? { mockConfig } : {}),
      name: req.name ?? harnessRandom.uuid(),
    }, {
      clock: this.clock,
      random: seededRandom(Math.floor(harnessRandom.next() * SEED_BOUND)),
      interactive: this.internals.interactive,
      parent: {
        checks: childChecks(this.checks),
        unmocked: child.unmocked ?? unmocked,
        workflows: this.settings.workflows ?? this.internals.parent?.workflows,
        executions: this.executions,
        position: this.position + 1,
        taskTokens: this.taskTokens,
      },
      ...(this.internals.hosted !== undefined ? { hosted: this.internals.hosted } : {}),
      ...(this.internals.interrupt ? { interrupt: this.internals.interrupt } : {}),
    });
    this.children.push(launched.result);
    ended?.(launched.result);
    if (stopsChildWithTask(pattern) && child.workflow.type !== 'EXPRESS') {
      stopWithTask(launched.execution, request, () => this.stopped.push(launched.result));
    }
    return nestedResult(pattern, {
      executionArn: launched.execution.executionArn,
      name: launched.execution.name,
      stateMachineArn: child.workflow.arn,
      input: req.input,
      startMs: this.clock.now(),
      result: launched.result,
    });
  }
}

/**
 * A `.sync` Task that stops waiting for its child (the parent stopped or timed out, or a sibling
 * branch failed) stops the child, as AWS does with the `states:StopExecution` permission the
 * pattern's IAM policy grants it on the child's executions (stepfunctions-iam.html, Synchronous),
 * and as serve does (server/nested-executions.ts). AWS refuses StopExecution on an EXPRESS
 * execution: such a child runs to its end, and the caller leaves it be.
 */
function stopWithTask(child: Execution, request: TaskRequest, stopped: () => void): void {
  // The Task also stops waiting once the child has ended: nothing to stop then.
  const stop = (): void => {
    if (child.status !== 'RUNNING') return;
    child.stop();
    stopped();
  };
  if (request.signal.aborted) stop();
  else request.signal.addEventListener('abort', stop, { once: true });
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

/**
 * The answers a MockConfigFile test case gives the workflow's states. A state the workflow lacks
 * (renamed since the file was written, misspelt, or listed by a file generated for every state)
 * is told as advice and left out: Step Functions Local looks a test case's states up as its Tasks
 * run, so such an entry answers nothing there and the execution runs
 * (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html names no
 * check of them); serve, whose executions Step Functions Local's suites start, runs it too.
 * @internal
 */
export function testCaseResponses(workflow: Pick<WorkflowEngine, 'name' | 'definition'>, options: MockConfigOptions,
  advise: (advice: RunAdvice) => void): ReturnType<typeof mockResponsesFor> {
  let config: MockConfig;
  if (options.config !== undefined) config = parseMockConfig(options.config);
  else if (options.file !== undefined) config = loadMockConfig(options.file);
  else throw new TypeError('mockConfig needs a file or a config');
  const machine = options.stateMachine ?? mockConfigMachine(workflow.name, config, options.testCase);
  const responses = mockResponsesFor(config, machine, options.testCase);
  const states = allStates(workflow.definition);
  for (const state of [...responses.keys()]) {
    if (states.has(state)) continue;
    responses.delete(state);
    advise({ state, message: absentStateAdvice(options.testCase, state, machine, [...states.keys()]) });
  }
  return responses;
}

/**
 * The `StateMachines` entry of a MockConfigFile for a workflow when none is named: the only
 * one, the one named as the workflow, or the only one that holds the test case.
 * @internal
 */
export function mockConfigMachine(name: string, config: MockConfig, testCase: string): string {
  const names = Object.keys(config.StateMachines);
  if (names.length === 1) return names[0];
  if (names.includes(name)) return name;
  const holding = names.filter((n) => Object.prototype.hasOwnProperty.call(config.StateMachines[n].TestCases, testCase));
  if (holding.length === 1) return holding[0];
  const why = holding.length === 0 ? `no state machine in it has test case '${testCase}'` : `test case '${testCase}' exists for ${holding.join(', ')}`;
  throw new MockConfigError('UNKNOWN_STATE_MACHINE', 'StateMachines',
    `${why}; name the state machine to use (mockConfig.stateMachine; --mock-state-machine on the command line) among ${names.join(', ') || 'none'}`);
}
