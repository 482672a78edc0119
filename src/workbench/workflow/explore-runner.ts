import type { JsonValue, StateMachineDefinition } from '../../asl';
import { isS3ItemRead, isS3ResultWrite, taskResource } from '../../asl/task-resource';
import { exploreClock, exploreMachine, isPositive, positiveRule, verifyMachine } from '../../explore';
import type { EngineOptions, ExploreReport, Outcome, ScenarioRunner, TaskCallInfo, VerifyProperty, VerifyReport } from '../../explore';
import type { ExecutionLimits, ExecutionResult, ObjectStore } from '../../interpreter';
import {
  checkOptionsOf, lambdaShapeOf, delay, fail, loadMockConfig, succeed, type Mock, MockKeyError, mockableStates, resolveMocks, runChecks,
  type MockDoor, type MockTable, type RunCheckOptions, type RunChecks,
} from '../mocks';
import { mocksFromJson, refuseUncarriedAnswers } from '../mocks/json';
import { FolderObjectStore } from '../s3';
import { ReadOnlyObjectStore } from '../s3/read-only-store';
import type { ResourceRef } from '../template';
import type { UncountedRun } from './engine';
import type { MockConfigOptions, WorkflowExploreOptions, WorkflowVerifyOptions } from './options';
import { testCaseResponses } from './session';
import type { MachineType } from '../../asl/aws-defaults';
import { DEFAULT_SEED } from '../../asl/random';

/**
 * explore makes up its answers and errors: one AWS would never give (an error the integration
 * never raises, a field its model does not define) must not count as reaching a state, so the
 * states it answers itself (`madeUp`) fail on the checks' advice, STRICT, where a user's run only
 * hears of it. The answers its user gave (its `mocks`, a MockConfigFile's) and the requests every
 * Task sends are judged by the user's own check options (`user`), as the user's run judges them
 * in `run`, the harness and serve, so that one ends the same way in explore.
 */
function exploreChecks(user: RunCheckOptions, madeUp: ReadonlySet<string>, door: MockDoor): RunChecks {
  return { ...runChecks(user, door), ...(madeUp.size > 0 ? { madeUp: { states: madeUp, advice: 'fail', validation: 'STRICT' } } : {}) };
}

/**
 * A workflow as explore runs it: its definition and resources, and runs that do not count in
 * test coverage. The jest `Workflow` and the workbench's engine are both one.
 * @internal
 */
export interface ExplorableWorkflow {
  readonly definition: StateMachineDefinition;
  readonly resources: ReadonlyMap<string, ResourceRef>;
  readonly name: string;
  readonly type: MachineType;
  runUncounted(input: JsonValue, options: ExploreRunOptions, uncounted?: UncountedRun): Promise<ExecutionResult>;
}

/** What explore sets of a run. @internal */
export interface ExploreRunOptions {
  readonly mocks?: MockTable<Mock>;
  readonly seed?: number;
  readonly limits?: ExecutionLimits;
  readonly s3?: ObjectStore;
  readonly mockConfig?: MockConfigOptions;
}

/**
 * Runs explore's executions through the harness, so a scenario's mocks mean
 * what they mean in a test: a `lambda:invoke` Task's answer is the function's
 * return value inside the invoke envelope, a callback Task's answer completes
 * its callback.
 * @internal
 */
export class HarnessRunner implements ScenarioRunner {
  private readonly mockable: string[];
  /**
   * The Maps whose ItemReader or ResultWriter the local S3 answers (none given an answer): their
   * items come from the folder, or their results go to it.
   */
  readonly itemsFromS3: readonly string[];
  /** The checks of explore's runs: failing on the advice of its own answers, not of the ones its user gave. */
  private readonly checks: RunChecks;
  /** The checks of a run as its user's test makes it (a counterexample confirmed): the user's options, no state made up. */
  private readonly testChecks: RunChecks;

  /**
   * @param s3 the local S3 the runs read: a Map state whose ItemReader reads S3 is then not
   *   answered by explore (unless `given` names it), so the store gives its items
   * @param mockConfig a MockConfigFile test case: the states it answers are not answered by
   *   explore (unless `given` names them), so its responses answer them in every run
   * @param userChecks the check options the user's runs take (mockValidation, mockAdvice,
   *   requestChecks): the user's answers and every request are judged by them
   * @param door the door the search came through: its messages spell the check options as that door does
   */
  constructor(
    private readonly workflow: ExplorableWorkflow,
    private readonly seed: number,
    private readonly s3?: ObjectStore,
    given: ReadonlySet<string> = new Set(),
    private readonly mockConfig?: { readonly options: MockConfigOptions; readonly states: ReadonlySet<string> },
    userChecks: RunCheckOptions = {},
    door: MockDoor = 'jest',
  ) {
    const states = mockableStates(workflow.definition);
    // A Map's ItemReader and ResultWriter calls to S3 (either alone) the store answers, at once.
    const s3Call = (r: string): boolean => isS3ItemRead(taskResource(r)) || isS3ResultWrite(taskResource(r));
    const readsS3 = new Set(s3 ? states.filter((s) => s.type === 'Map' && s3Call(s.resource)).map((s) => s.name) : []);
    const answered = (name: string): boolean => readsS3.has(name) || mockConfig?.states.has(name) === true;
    this.mockable = [...new Set(states.map((s) => s.name))].filter((name) => !answered(name) || given.has(name));
    this.itemsFromS3 = [...readsS3].filter((name) => !given.has(name) && mockConfig?.states.has(name) !== true);
    this.checks = exploreChecks(userChecks, new Set(this.mockable.filter((name) => !given.has(name))), door);
    this.testChecks = runChecks(userChecks, door);
  }

  /** What every run is given beside its mocks. */
  private settings(limits?: ExecutionLimits) {
    return {
      seed: this.seed,
      ...(limits ? { limits } : {}),
      ...(this.s3 ? { s3: this.s3 } : {}),
      ...(this.mockConfig ? { mockConfig: this.mockConfig.options } : {}),
    };
  }

  get definition() { return this.workflow.definition; }
  get type() { return this.workflow.type; }

  async run(
    input: JsonValue, answer: (call: TaskCallInfo) => Outcome, limits?: ExecutionLimits, interrupt?: () => void, history: boolean | 'outline' = true,
  ): Promise<ExecutionResult> {
    const mocks: Record<string, Mock> = {};
    for (const state of this.mockable) {
      const mock: Mock = (_event, context) => {
        const outcome = answer({ state, invocation: context.invocation, resource: context.resource });
        const step = outcome.kind === 'return' ? succeed(outcome.value) : fail(outcome.error, outcome.cause);
        return outcome.delay === undefined ? step : delay(outcome.delay, step, outcome.heartbeats ? { heartbeats: outcome.heartbeats } : {});
      };
      Object.defineProperty(mocks, state, { value: mock, enumerable: true, writable: true, configurable: true });
    }
    const recording = history === false ? { history: false } : history === 'outline' ? { documents: false } : {};
    return this.workflow.runUncounted(input, { mocks, ...this.settings(limits) }, { childEvents: true, ...this.uncounted(interrupt), ...recording });
  }

  async replay(
    input: JsonValue, mocks: Readonly<Record<string, JsonValue>>, childEvents = false, interrupt?: () => void, history: 'full' | 'outline' | 'none' = 'full',
  ): Promise<ExecutionResult> {
    const recording = history === 'none' ? { history: false } : history === 'outline' ? { documents: false } : {};
    return this.workflow.runUncounted(input, { mocks: mocksFromJson(mocks, 'scenario'), ...this.settings() }, { childEvents, ...this.uncounted(interrupt), ...recording });
  }

  async replayAsTest(input: JsonValue, mocks: Readonly<Record<string, JsonValue>>): Promise<ExecutionResult> {
    // The checks a test runs with (the user's), not explore's, which fail on advice.
    return this.workflow.runUncounted(input, { mocks: mocksFromJson(mocks, 'counterexample'), ...this.settings() }, { checks: this.testChecks });
  }

  resultPrefix(resource: string): ReadonlyArray<string | number> {
    return lambdaShapeOf(resource) === 'invoke' && taskResource(resource).pattern !== 'waitForTaskToken' ? ['Payload'] : [];
  }

  /** How explore's runs run beside their settings: failing on the advice of explore's answers, and ended by `interrupt` when given. */
  private uncounted(interrupt: (() => void) | undefined): UncountedRun {
    return { checks: this.checks, ...(interrupt ? { interrupt } : {}) };
  }
}

function positive(name: string, value: unknown, integer: boolean): void {
  if (value === undefined || isPositive(value, integer)) return;
  throw new RangeError(`explore: ${name} must be ${positiveRule(integer)}, got ${JSON.stringify(value)}`);
}

/** Workflow.explore. @internal */
export async function exploreWorkflow(workflow: ExplorableWorkflow, options: WorkflowExploreOptions, door: MockDoor = 'jest'): Promise<ExploreReport> {
  const { runner, engineOptions } = exploreSetUp(workflow, options, door);
  return exploreMachine(runner, engineOptions);
}

/**
 * Workflow.verify: each property checked over the runs explore makes, with explore's options.
 * @internal
 */
export async function verifyWorkflow<R extends ExecutionResult>(
  workflow: ExplorableWorkflow, properties: Readonly<Record<string, VerifyProperty<R>>>, options: WorkflowVerifyOptions, door: MockDoor = 'jest',
): Promise<VerifyReport> {
  const { onProgress, ...exploreOptions } = options;
  const { runner, engineOptions } = exploreSetUp(workflow, exploreOptions, door);
  return verifyMachine(runner, properties, { ...engineOptions, ...(onProgress ? { onProgress } : {}) });
}

/** The runner and the engine's options of an exploration, the options checked first. */
function exploreSetUp(
  workflow: ExplorableWorkflow, options: WorkflowExploreOptions, door: MockDoor,
): { runner: HarnessRunner; engineOptions: EngineOptions } {
  // The budget counts from here: checking the mocks and reading a large machine's Tasks are part of the time.
  const started = exploreClock.now();
  positive('maxScenarios', options.maxScenarios, true);
  positive('budgetSeconds', options.budgetSeconds, false);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new RangeError(`explore: seed must be an integer, got ${JSON.stringify(options.seed)}`);
  // The given answers are read as `--mocks` reads them: a malformed one, or one for no Task, is refused before anything runs.
  if (options.mocks !== undefined) {
    // As `--mocks` and MCP's mocks: an answer nested deeper than Step Functions carries is refused
    // naming its mock, before the report has to serialise it (a RangeError past a few thousand levels).
    if (options.mocks !== null && typeof options.mocks === 'object' && !Array.isArray(options.mocks)) refuseUncarriedAnswers(options.mocks, 'explore mocks');
    const given = mocksFromJson(options.mocks, 'explore mocks');
    resolveMocks<Mock>(given, workflow.definition, workflow.resources, workflow.name);
    const names = new Set(mockableStates(workflow.definition).map((s) => s.name));
    for (const key of Object.keys(given)) {
      if (!names.has(key)) {
        throw new MockKeyError(`explore's mocks are keyed by state name, and '${key}' names no Task state of workflow '${workflow.name}'; its Task states: ${[...names].join(', ') || 'none'}`);
      }
    }
  }
  const s3 = options.s3Dir !== undefined ? new ReadOnlyObjectStore(new FolderObjectStore(options.s3Dir, undefined, { readOnly: true })) : undefined;
  const given = new Set(Object.keys(options.mocks ?? {}));
  // The test case is read, and checked against the machine, once before anything runs; every run then answers from it.
  const { mockConfig: asGiven, ...engineOptions } = options;
  // A file is read once, not at every run.
  const configOptions = asGiven?.config === undefined && asGiven?.file !== undefined
    ? { ...asGiven, file: undefined, config: loadMockConfig(asGiven.file) }
    : asGiven;
  // A state the machine lacks answers nothing: each run's advice tells it, not this first read.
  const mockConfig = configOptions && { options: configOptions, states: new Set(testCaseResponses(workflow, configOptions, () => undefined).keys()) };
  const answeredByRunner = mockConfig ? [...mockConfig.states].filter((s) => !given.has(s)) : [];
  const userChecks = checkOptionsOf(options);
  // A wrong mode is refused before anything runs, as a run refuses it.
  runChecks(userChecks, door);
  const runner = new HarnessRunner(workflow, options.seed ?? DEFAULT_SEED, s3, given, mockConfig, userChecks, door);
  return {
    runner,
    engineOptions: {
      ...engineOptions,
      machine: workflow.name,
      started,
      ...(answeredByRunner.length > 0 ? { answeredByRunner } : {}),
      ...(runner.itemsFromS3.length > 0 ? { itemsFromS3Folder: runner.itemsFromS3 } : {}),
      ...(s3 ? { s3Folder: s3 } : {}),
    },
  };
}
