import type { IConstruct } from 'constructs';
import { deliveryPlan, RestartCut } from './delivery';
import type { ChildRegistry, ChildWorkflow, RunSettings, WorkflowExploreOptions, WorkflowVerifyOptions } from './options';
import { RunSession, type Launched, type LaunchInternals } from './session';
import { WorkflowRun } from './workflow-run';
import type { JsonValue, StateMachineDefinition } from '../../asl';
import { AwsDefaults, statesArn, type MachineType } from '../../asl/aws-defaults';
import { checkedDefinition } from '../../asl/validate';
import type { ExploreReport, VerifyProperty, VerifyReport } from '../../explore';
import { asTaskHandler, type ExecutionLimits, type TaskAnswer, type TaskRequest } from '../../interpreter/execution-types';
import { compileStateMachine, type StateMachine } from '../../interpreter/state-machine';
import type { CoverageHits } from '../coverage';
import { RunExercise } from '../coverage/exercised';
import { MockKeyError, refersTo } from '../mocks';
import { runChecks, type MockDoor, type RunChecks } from '../mocks';
import type { ExtractedStateMachine, ResourceRef, WorkflowQualifier } from '../template';

/**
 * Told of each run of a workflow that counts in test coverage, when it ends: the run whole (its
 * advice goes to the jest reporter with its coverage), and what it exercised (its DISTRIBUTED
 * Map children included, whose histories are not the run's).
 */
export type RunObserver = (workflow: WorkflowEngine, run: WorkflowRun, exercised: CoverageHits) => void | Promise<void>;

/** How {@link WorkflowEngine.runUncounted} runs beyond its settings. @internal */
export interface UncountedRun {
  /** Record what the child executions of DISTRIBUTED Maps do in the run's history (StartOptions.inlineChildEvents). @default false */
  readonly childEvents?: boolean;
  /** StartOptions.interrupt: the run ends as soon as it throws, and the promise rejects with what it threw. */
  readonly interrupt?: () => void;
  /** The run's checks, whole (explore's). @default - runChecks(settings, 'jest') */
  readonly checks?: RunChecks;
  /**
   * Record the run's history (CompileOptions.recordHistory). Off, the run is the same (path,
   * outcome, Task calls, event ids and the causes that name them) with an empty history: for a
   * run whose outcome alone is read, as explore's confirmation of a loop to AWS's history limit.
   * @default true
   */
  readonly history?: boolean;
  /**
   * Keep the documents of its history's events (StartOptions.historyDocuments): off, a recorded
   * history tells where the run went (states, errors, retries) but holds no input or output.
   * @default true
   */
  readonly documents?: boolean;
}

/** The region, account and name of a state machine's ARN. @internal */
export interface MachinePlace {
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

/** How a door that keeps state machines of its own (serve) has an engine compile one. @internal */
export interface EngineCompileOptions {
  /** The execution role in the Context Object. @default - the interpreter's */
  readonly roleArn?: string;
  /** CompileOptions.activityExists: whether an activity a Task reaches exists. @default - every activity exists */
  readonly activityExists?: (activityArn: string) => boolean;
}

/**
 * What an engine is built from, by name: the loaders' (load.ts), whose definition the engine checks
 * before it compiles it, and serve's (server/runner.ts), checked when CreateStateMachine took it.
 * @internal
 */
export type EngineParts = LoadedEngineParts | CheckedEngineParts;

/** A definition as a loader read it: the engine checks it (an InvalidDefinitionError lists what is wrong). @internal */
export interface LoadedEngineParts extends EnginePartsBase {
  readonly definition: unknown;
  readonly checked?: false;
}

/** A definition the door checked when it took it (serve's CreateStateMachine): it is not checked again. @internal */
export interface CheckedEngineParts extends EnginePartsBase {
  readonly definition: StateMachineDefinition;
  readonly checked: true;
}

/** What every engine is built from but its definition. @internal */
export interface EnginePartsBase {
  /** Each placeholder in the definition mapped to the resource behind it. */
  readonly resources: ReadonlyMap<string, ResourceRef>;
  /** The region, account and name of its ARN (the template's ARN wins, when it came from one). */
  readonly where: MachinePlace;
  readonly type: MachineType;
  /** The template's state machine it is. @default - none: plain ASL, or a door's own */
  readonly extracted?: ExtractedStateMachine;
  /** The state machines of its template, which its `states:startExecution` Tasks may start. @default - none */
  readonly siblings?: readonly ExtractedStateMachine[];
  /** How a door that keeps state machines of its own has it compiled. @default - as the loaders compile */
  readonly compiling?: EngineCompileOptions;
}

/** Which state machine an engine runs: the fields the jest `Workflow` shows its users. */
export interface MachineIdentity {
  /** The definition as plain ASL with stable placeholder ARNs. */
  readonly definition: StateMachineDefinition;
  /** Each placeholder in the definition mapped to the resource behind it. */
  readonly resources: ReadonlyMap<string, ResourceRef>;
  /** Name of the state machine (from its ARN). */
  readonly name: string;
  /** ARN of the state machine; `Ref` to it elsewhere in the template resolves to this. */
  readonly arn: string;
  /** STANDARD or EXPRESS. */
  readonly type: MachineType;
  /** Logical id, when the workflow came from a template. */
  readonly logicalId?: string;
  /** Construct path, when known. */
  readonly cdkPath?: string;
  /** The version (and alias) executions start on, when loaded with `version` or `alias`; `arn` is then the qualified ARN. */
  readonly qualifier?: WorkflowQualifier;
}

/**
 * A state machine taken out of a CDK stack, a template, a cloud assembly or plain ASL, compiled
 * once, ready to run with mocked Tasks: what `stepwright run`, `explore` and `cost` run, and what
 * the jest `Workflow` of stepwright/testing stands on. Load one with the functions of load.ts.
 */
export class WorkflowEngine implements MachineIdentity {
  public readonly definition: StateMachineDefinition;
  public readonly resources: ReadonlyMap<string, ResourceRef>;
  public readonly name: string;
  public readonly arn: string;
  public readonly type: MachineType;
  public readonly logicalId?: string;
  public readonly cdkPath?: string;
  public readonly qualifier?: WorkflowQualifier;
  /** Why a state name a mock key may use is not in the definition, by state name (from the construct tree). */
  public readonly mockKeyHints = new Map<string, string>();

  private readonly machine: StateMachine;
  private readonly where: MachinePlace;
  /** The role the template gives the machine, which its executions run with. */
  private readonly roleArn: string | undefined;
  /** The definition compiled with other limits, by their JSON: compiled once per set of limits. */
  private readonly limitedMachines = new Map<string, StateMachine>();
  /** The session of each execution this workflow started, which its Tasks are dispatched to. */
  private readonly sessions = new WeakMap<object, RunSession>();
  private readonly registered = new Map<string, WorkflowEngine | ChildWorkflow>();
  private readonly siblings: readonly ExtractedStateMachine[];
  private readonly allMachines: readonly ExtractedStateMachine[];
  private readonly siblingWorkflows = new Map<string, WorkflowEngine>();
  private observer: RunObserver | undefined;

  private readonly compiling: EngineCompileOptions | undefined;

  /** @internal */
  constructor(parts: EngineParts) {
    const { resources, where, type, extracted, siblings = [] } = parts;
    this.compiling = parts.compiling;
    // One check, here or at the door: the compiles below do not check again.
    // A template's definition is checked as CloudFormation hands it to Step Functions, its substitutions made.
    this.definition = parts.checked === true ? parts.definition
      : checkedDefinition(parts.definition, { type, warnings: false, substituted: extracted !== undefined });
    this.resources = resources;
    this.name = where.name;
    this.type = type;
    this.arn = statesArn(where.region, where.account, 'stateMachine', where.name);
    if (extracted) {
      this.logicalId = extracted.logicalId;
      if (extracted.path) this.cdkPath = extracted.path;
      this.arn = extracted.arn;
      const qualifier = (extracted as { qualifier?: WorkflowQualifier }).qualifier;
      if (qualifier) this.qualifier = qualifier;
    }
    this.allMachines = siblings;
    this.siblings = siblings.filter((m) => !refersTo(extracted?.arn ?? '', m.arn));
    this.roleArn = parts.compiling?.roleArn ?? extracted?.roleArn;
    this.machine = this.compile(where, undefined);
    this.where = where;
  }

  /**
   * Tells `observer` of every run that counts in test coverage (not explore's), this workflow's
   * and those of the sibling state machines it starts as children.
   */
  observe(observer: RunObserver): void {
    this.observer = observer;
  }

  /**
   * Registers the child workflow a `states:startExecution` Task starts: by its construct, its
   * ARN, or (without `child`) a state machine of the same template.
   * @throws MockKeyError when the target is not a state machine of this template and no child is given
   */
  register(target: IConstruct | string | WorkflowEngine, child?: WorkflowEngine | ChildWorkflow): this {
    if (target instanceof WorkflowEngine) {
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

  /**
   * Runs an execution to its end. Never rejects for a failed execution: inspect `status`, `error` and `cause`.
   * @param door the door the run came through, whose options its messages name (the CLI's `--mock-validation`)
   */
  async run(input: JsonValue = {}, settings: RunSettings = {}, door?: MockDoor): Promise<WorkflowRun> {
    const plan = deliveryPlan(settings.delivery, this.type, false);
    const restarts: WorkflowRun[] = [];
    const through = door !== undefined ? { checks: runChecks(settings, door) } : {};
    for (let k = 0; k < (plan?.restarts ?? 0); k++) {
      const cut = new RestartCut(plan!.seed, k);
      restarts.push(await this.launch(input, settings, { interactive: false, cut, deliveryRun: k + 1, ...through }).result);
    }
    const run = await this.launch(input, settings, { interactive: false, deliveryRun: 0, ...through }).result;
    if (restarts.length > 0) run.keepDeliveries(run.redeliveries, restarts);
    return run;
  }

  /**
   * Runs an execution to its end without counting it in test coverage (the runs explore makes
   * to search are not the tests'). With `childEvents`, what the child executions of DISTRIBUTED
   * Maps do is recorded in its history, where explore reads it; the run is otherwise the one
   * `run` makes (same path, outcome and Task calls), but its event ids, and the causes that name
   * them, are not. With `interrupt` (StartOptions.interrupt), the run ends as soon as it throws,
   * and the promise rejects with what it threw.
   * @internal
   */
  async runUncounted(input: JsonValue, settings: RunSettings = {}, uncounted: UncountedRun = {}): Promise<WorkflowRun> {
    const { childEvents, interrupt, checks, history, documents } = uncounted;
    const internals = {
      interactive: false,
      observed: false,
      inlineChildEvents: childEvents === true,
      ...(history === false ? { recordHistory: false } : {}),
      ...(documents === false ? { historyDocuments: false } : {}),
      ...(interrupt ? { interrupt } : {}),
      ...(checks ? { checks } : {}),
    };
    return this.launch(input, settings, internals).result;
  }

  /**
   * Searches for inputs and Task answers that reach every path; see `Workflow.explore` of stepwright/testing.
   * `door`: the door the search came through, whose spelling of the check options its messages use.
   */
  async explore(options: WorkflowExploreOptions = {}, door: MockDoor = 'jest'): Promise<ExploreReport> {
    // explore's solver is loaded when a test first explores, not by every test file that runs a machine.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
    const { exploreWorkflow } = require('./explore-runner') as typeof import('./explore-runner');
    return exploreWorkflow(this, options, door);
  }

  /** Checks each property over every path explore finds; see `Workflow.verify` of stepwright/testing. `door` as in {@link explore}. */
  async verify(
    properties: Readonly<Record<string, VerifyProperty<WorkflowRun>>>, options: WorkflowVerifyOptions = {}, door: MockDoor = 'jest',
  ): Promise<VerifyReport> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
    const { verifyWorkflow } = require('./explore-runner') as typeof import('./explore-runner');
    return verifyWorkflow<WorkflowRun>(this, properties, options, door);
  }

  /**
   * Starts an execution in a session of its own, which answers its Tasks.
   * @internal
   */
  launch(input: JsonValue, settings: RunSettings, internals: LaunchInternals): Launched {
    const session = new RunSession(this, settings, internals, registryOf(settings.workflows ?? internals.parent?.workflows));
    const observer = internals.observed !== false ? this.observer : undefined;
    const exercise = observer ? new RunExercise(this.definition) : undefined;
    const execution = this.machineWith(settings.limits, internals.recordHistory !== false).start(input, {
      clock: session.clock,
      random: session.random,
      ...(settings.name !== undefined ? { name: settings.name } : {}),
      ...(settings.variables ? { variables: settings.variables } : {}),
      ...internals.hosted?.start,
      ...(internals.inlineChildEvents ? { inlineChildEvents: true } : {}),
      ...(internals.historyDocuments === false ? { historyDocuments: false } : {}),
      ...(exercise ? { childHistories: exercise.child } : {}),
      ...(session.localS3 ? { localS3: session.localS3 } : {}),
      ...(internals.interrupt ? { interrupt: internals.interrupt } : {}),
      requestCheck: session.requestCheck,
    });
    this.sessions.set(execution, session);
    session.opened(execution);
    session.arm();
    if (internals.interactive) session.holdUntilRunning();
    // Told before the run is made of the result (registered first), and for serve, which makes none.
    void execution.result.then((r) => session.adviseOn(r, this.definition), () => undefined);
    let result: Promise<WorkflowRun> | undefined;
    const run = (): Promise<WorkflowRun> => execution.result.then(async (r) => {
      const whole = await session.runOf(r, this.definition, execution.mapRuns);
      if (observer && exercise) await observer(this, whole, await exercise.total(r.history));
      return whole;
    });
    // Made when asked for: a door that reads the execution's own result (serve) makes no run of it.
    return { execution, get result() { return result ??= run(); }, clock: session.clock, session };
  }

  /**
   * The child workflow a `states:startExecution` Task starts: the run's own, a registered one,
   * a sibling state machine of the same template, or the machine itself, which AWS starts as any
   * other (its version or alias too, which run the definition loaded here).
   * @internal
   */
  childFor(arn: string, registry: ReadonlyMap<string, WorkflowEngine | ChildWorkflow>): ChildWorkflow | undefined {
    const entry = registry.get(arn) ?? this.registered.get(arn) ?? this.siblingWorkflow(arn) ?? (this.isItself(arn) ? this : undefined);
    if (!entry) return undefined;
    return entry instanceof WorkflowEngine ? { workflow: entry } : entry;
  }

  /**
   * ARNs of sibling state machines (same template) that a construct stands for.
   * @internal
   */
  arnsOfConstruct(construct: IConstruct): string[] {
    if (!construct || typeof construct !== 'object' || !('node' in construct)) return [];
    const path = construct.node.path;
    return this.siblings
      .filter((m) => m.path !== undefined && (m.path === path || m.path.startsWith(`${path}/`)))
      .map((m) => m.arn);
  }

  private compile(where: MachinePlace, limits: ExecutionLimits | undefined, recordHistory = true): StateMachine {
    return compileStateMachine(this.definition, {
      defaultTaskHandler: asTaskHandler((input, request) => this.dispatch(input, request)),
      stateMachineName: where.name,
      region: where.region,
      accountId: where.account,
      type: this.type,
      ...(this.roleArn !== undefined ? { roleArn: this.roleArn } : {}),
      // Checked when the engine was built (or by the door that built it).
      validate: false,
      ...(this.compiling?.activityExists ? { activityExists: this.compiling.activityExists } : {}),
      ...(limits ? { limits } : {}),
      ...(recordHistory ? {} : { recordHistory: false }),
    });
  }

  /** The compiled machine that enforces `limits`, and records the history unless `recordHistory` is false. */
  private machineWith(limits: ExecutionLimits | undefined, recordHistory: boolean): StateMachine {
    if (limits === undefined && recordHistory) return this.machine;
    const key = JSON.stringify([limits ?? null, recordHistory]);
    let machine = this.limitedMachines.get(key);
    if (!machine) {
      machine = this.compile(this.where, limits, recordHistory);
      this.limitedMachines.set(key, machine);
    }
    return machine;
  }

  private dispatch(input: JsonValue, request: TaskRequest): TaskAnswer | Promise<TaskAnswer> {
    const session = this.sessions.get(request.execution);
    if (!session) throw new Error(`internal: no run context for an execution of workflow '${this.name}'`);
    return session.dispatch(input, request);
  }

  /** Whether `arn` names this state machine: its ARN, or one of its versions or aliases. */
  private isItself(arn: string): boolean {
    return refersTo(arn, statesArn(this.where.region, this.where.account, 'stateMachine', this.where.name));
  }

  private siblingWorkflow(arn: string): WorkflowEngine | undefined {
    const found = this.siblings.find((m) => refersTo(arn, m.arn));
    if (!found) return undefined;
    let wf = this.siblingWorkflows.get(found.arn);
    if (!wf) {
      const { rawDefinition: definition, resources, type } = found;
      wf = new WorkflowEngine({ definition, resources, where: arnParts(found.arn), type, extracted: found, siblings: this.allMachines });
      if (this.observer) wf.observe(this.observer);
      this.siblingWorkflows.set(found.arn, wf);
    }
    return wf;
  }
}

function registryOf(workflows: ChildRegistry | undefined): Map<string, WorkflowEngine | ChildWorkflow> {
  const out = new Map<string, WorkflowEngine | ChildWorkflow>();
  if (!workflows) return out;
  if (Array.isArray(workflows)) {
    for (const entry of workflows as ReadonlyArray<WorkflowEngine | ChildWorkflow>) {
      out.set(entry instanceof WorkflowEngine ? entry.arn : entry.workflow.arn, entry);
    }
  } else {
    for (const [arn, entry] of Object.entries(workflows)) out.set(arn, entry as WorkflowEngine | ChildWorkflow);
  }
  return out;
}

/** The region, account and name of a state machine ARN (a version or alias ARN carries a qualifier after the name). @internal */
export function arnParts(arn: string): MachinePlace {
  const m = /^arn:[^:]+:states:([^:]*):([^:]*):stateMachine:([^:]+)(?::[^:]+)?$/.exec(arn);
  if (!m) return { region: AwsDefaults.REGION, account: AwsDefaults.ACCOUNT, name: arn.split(':').pop() || 'StateMachine' };
  return { region: m[1], account: m[2], name: m[3] };
}
