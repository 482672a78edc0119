import * as path from 'node:path';
import type { Stack } from 'aws-cdk-lib/core';
import type { IConstruct } from 'constructs';
import { recordExecution } from './coverage';
import { WorkflowExecution } from './workflow-execution';
import type { JsonValue, StateMachineDefinition } from '../asl';
import type { MachineType } from '../asl/aws-defaults';
import { jsonTextOf } from '../asl/json-value';
import { AwsLimits } from '../asl/limits';
import { payloadTooLargeMessage } from '../asl/validation-messages';
import type { ExploreReport, VerifyProperty, VerifyReport } from '../explore';
import { ValidationException } from '../interpreter/execution-errors';
import type { ResourceRef, WorkflowQualifier } from '../workbench/template';
import { recordWorkflowSource, workflowSourceOf } from '../workbench/template/workflow-sources';
import type {
  WorkflowEngine, ChildRegistry, ChildWorkflow, DefinitionOptions, FromStackOptions, RunSettings, UncountedRun, WorkflowExploreOptions,
  WorkflowOptions, WorkflowRun, WorkflowVerifyOptions,
} from '../workbench/workflow';
import { engineFromCdkOut, engineFromDefinition, engineFromStack, engineFromTemplate } from '../workbench/workflow';

export { MockKeyError } from '../workbench/mocks';
export { InvalidMockError } from '../workbench/mocks';
export { WorkflowRun } from '../workbench/workflow';
export { WorkflowExecution } from './workflow-execution';
export type { MockKey, MockTable } from '../workbench/mocks';
export type { TaskCall, UnmockedPolicy } from '../workbench/mocks';
export type {
  CheckSettings, WorkflowOptions, FromStackOptions, DefinitionOptions, MockConfigOptions, TemplateParameter,
  WorkflowExploreOptions, WorkflowVerifyOptions,
} from '../workbench/workflow';

/**
 * A child workflow with the mocks its own Tasks use.
 * @interface
 */
export type NestedWorkflow = Omit<ChildWorkflow, 'workflow'> & {
  readonly workflow: Workflow;
};

/** Child workflows for `states:startExecution` Tasks, by state machine ARN (a list is keyed by each workflow's `arn`). */
export type WorkflowRegistry = ReadonlyArray<Workflow | NestedWorkflow> | Readonly<Record<string, Workflow | NestedWorkflow>>;

/**
 * Options of {@link Workflow.run} and {@link Workflow.start}.
 * @interface
 */
export type RunOptions = Omit<RunSettings, 'workflows'> & {
  /** Child workflows run locally by `states:startExecution` Tasks (also `.sync` and `.sync:2`). */
  readonly workflows?: WorkflowRegistry;
};

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
   * @throws TemplateError INVALID_LOGGING_CONFIGURATION when CreateStateMachine refuses the machine's
   *   LoggingConfiguration, as CloudFormation's deploy, serve --load and `stepwright validate` do
   */
  static fromStack(stack: Stack, options: FromStackOptions = {}): Workflow {
    return new Workflow(engineFromStack(stack, options));
  }

  /**
   * Takes a state machine out of a synthesized CloudFormation template: the
   * template as an object, as JSON text (a string starting with `{`), or the
   * path of a template file (any other string), as `stepwright run` takes it.
   * Read from a file, `AWS::StackName` is the file name without `.template.json`.
   * @example Workflow.fromTemplate('cdk.out/OrdersStack.template.json')
   * @throws TemplateError listing the state machines when there are none, or several and no selector;
   *   naming what it was given (JSON text or a path) when it cannot read it
   * @throws TemplateError INVALID_LOGGING_CONFIGURATION when CreateStateMachine refuses the machine's
   *   LoggingConfiguration, as CloudFormation's deploy, serve --load and `stepwright validate` do
   */
  static fromTemplate(template: object | string, options: WorkflowOptions = {}): Workflow {
    return new Workflow(engineFromTemplate(template, options));
  }

  /**
   * Takes a state machine out of a cloud assembly (`cdk.out`). Without a stack
   * name, out of its only stack, or its only stack holding a state machine,
   * as `stepwright run cdk.out` picks it.
   * @example Workflow.fromCdkOut('cdk.out')
   * @example Workflow.fromCdkOut('cdk.out', 'OrdersStack', { stateMachine: 'Orders' })
   * @throws TemplateError when the stack or state machine is not found, or no stack is named and several hold state machines
   * @throws TemplateError INVALID_LOGGING_CONFIGURATION when CreateStateMachine refuses the machine's
   *   LoggingConfiguration, as CloudFormation's deploy, serve --load and `stepwright validate` do
   */
  static fromCdkOut(dir: string, stackName?: string, options: WorkflowOptions = {}): Workflow {
    return new Workflow(engineFromCdkOut(dir, stackName, options));
  }

  /**
   * A workflow from plain ASL: an object, JSON text (a string starting with
   * `{`), or the path of an ASL file (any other string).
   * @example Workflow.fromDefinition('statemachine/orders.asl.json')
   * @throws TemplateError naming what it was given (JSON text or a path) when it cannot read it
   */
  static fromDefinition(definition: StateMachineDefinition | string, options: DefinitionOptions = {}): Workflow {
    return new Workflow(engineFromDefinition(definition, options));
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
  public readonly type: MachineType;
  /** Logical id, when the workflow came from a template. */
  public readonly logicalId?: string;
  /** Construct path, when known. */
  public readonly cdkPath?: string;
  /** The version (and alias) executions start on, when loaded with `version` or `alias`; `arn` is then the qualified ARN. */
  public readonly qualifier?: WorkflowQualifier;

  readonly #engine: WorkflowEngine;

  private constructor(engine: WorkflowEngine) {
    this.#engine = engine;
    this.definition = engine.definition;
    this.resources = engine.resources;
    this.name = engine.name;
    this.type = engine.type;
    this.arn = engine.arn;
    if (engine.logicalId !== undefined) this.logicalId = engine.logicalId;
    if (engine.cdkPath !== undefined) this.cdkPath = engine.cdkPath;
    if (engine.qualifier !== undefined) this.qualifier = engine.qualifier;
    // The permission check reads the role of the template the workflow came from.
    const source = workflowSourceOf(engine);
    if (source) recordWorkflowSource(this, source);
    // Each run a test makes counts in its coverage, and so do the runs of the child workflows it starts.
    engine.observe((wf, result, hits) => recordExecution(wf.definition, result, {
      name: wf.name,
      ...(wf.cdkPath ? { path: wf.cdkPath.replace(/\/Resource$/, '') } : {}),
      advice: result.advice,
      hits,
    }));
  }

  /** The engine under this workflow, which the workbench runs. @internal */
  get engine(): WorkflowEngine {
    return this.#engine;
  }

  /**
   * Registers the child workflow a `states:startExecution` Task starts: by its
   * construct, its ARN, or (without `child`) a state machine of the same template.
   * @example wf.register(childStateMachine, { workflow: childWf, mocks: { Step: 1 } })
   * @throws MockKeyError when the target is not a state machine of this template and no child is given
   */
  register(target: IConstruct | string | Workflow, child?: Workflow | NestedWorkflow): this {
    this.#engine.register(target instanceof Workflow ? target.engine : target, child === undefined ? undefined : childOf(child, "register's child"));
    return this;
  }

  /**
   * Runs an execution to its end. Never rejects for a failed execution: inspect `status`, `error` and `cause`.
   * @throws ValidationException (the promise rejects) for an input over 262,144 bytes as UTF-8
   *   JSON text, which StartExecution refuses: no execution starts
   */
  async run(input: JsonValue = {}, options: RunOptions = {}): Promise<WorkflowRun> {
    return this.#engine.run(refuseOversizedInput(input, options), settingsOf(options));
  }

  /**
   * Runs an execution to its end without counting it in test coverage (the
   * runs explore makes to search are not the tests'). With `childEvents`, what
   * the child executions of DISTRIBUTED Maps do is recorded in its history,
   * where explore reads it; the run is otherwise the one `run` makes (same
   * path, outcome and Task calls), but its event ids, and the causes that
   * name them, are not. With `interrupt`, the run ends as soon as it throws, and the
   * promise rejects with what it threw.
   * @internal
   */
  async runUncounted(input: JsonValue, options: RunOptions = {}, uncounted: UncountedRun = {}): Promise<WorkflowRun> {
    return this.#engine.runUncounted(input, settingsOf(options), uncounted);
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
  async explore(options: WorkflowExploreOptions = {}): Promise<ExploreReport> {
    return this.#engine.explore(options);
  }

  /**
   * Checks each property over every path of the machine: explore's search makes the runs, and
   * each property gets a verdict. `VIOLATED` comes with a counterexample (input, mocks in the
   * `--mocks` format, path) that was run again from its mocks before it was reported; `HOLDS`
   * only once explore reached or proved unreachable every state, transition, Choice rule, Retry
   * and Catch and the property holds on every path of the machine's graph; `UNKNOWN` otherwise,
   * saying what was not covered. A function of the run is never `HOLDS`: verify cannot tell
   * what it reads. The runs are not counted in test coverage.
   *
   * Properties given as an object are called in the test's own thread: a function of the run that
   * never returns holds the test, where no timer can fire. Give the path of a property module
   * instead (what `stepwright verify --property` takes) and it is loaded, and its functions
   * called, in a worker thread bounded in time (`predicateTimeoutMs`) and memory, as the CLI
   * does: a function that does not return in time is stopped and the call rejects, naming it.
   * @example
   * const result = await wf.verify({
   *   refundsAfterCharge: Property.leadsTo('Charge', ['Ship', 'Refund']),
   *   chargesOnce: Property.atMost('Charge', 1),
   * });
   * expect(result).toHold();
   * @example
   * const result = await wf.verify(require.resolve('./order.properties.js'), { predicateTimeoutMs: 2000 });
   */
  async verify(
    properties: Readonly<Record<string, VerifyProperty<WorkflowRun>>> | string, options: WorkflowVerifyOptions = {},
  ): Promise<VerifyReport> {
    if (typeof properties !== 'string') return this.#engine.verify(properties, options);
    const { predicateTimeoutMs, ...rest } = options;
    if (predicateTimeoutMs !== undefined && !(Number.isInteger(predicateTimeoutMs) && predicateTimeoutMs > 0)) {
      throw new RangeError(`verify: predicateTimeoutMs must be a positive whole number of milliseconds, got ${JSON.stringify(predicateTimeoutMs)}`);
    }
    // Loaded only here: a test that gives its properties as an object never starts a thread.
    const { PropertyThread } = await import('../workbench/commands/verify');
    const thread = await PropertyThread.load(path.resolve(properties), {
      ...(predicateTimeoutMs !== undefined ? { limits: { callMs: predicateTimeoutMs } } : {}),
      callLimitOption: 'predicateTimeoutMs',
      loadLimitOption: 'a module whose top level finishes',
    });
    try {
      thread.definition = this.definition;
      return await this.#engine.verify(thread.properties, rest);
    } finally {
      await thread.close();
    }
  }

  /**
   * Starts an execution and returns a handle to drive its callbacks: tasks
   * with a task token and no mock wait for `sendTaskSuccess` / `sendTaskFailure`.
   * @example
   * const exec = wf.start(input);
   * const token = await exec.waitForTaskToken('Approve');
   * exec.sendTaskSuccess(token, { approved: true });
   * const run = await exec.result;
   * @throws ValidationException for an input over 262,144 bytes as UTF-8 JSON text, which
   *   StartExecution refuses: no execution starts
   */
  start(input: JsonValue = {}, options: RunOptions = {}): WorkflowExecution {
    const { execution, result, clock } = this.#engine.launch(refuseOversizedInput(input, options), settingsOf(options), { interactive: true });
    return new WorkflowExecution(execution, result, clock.inner);
  }
}

/**
 * Refuses an input StartExecution refuses for its size, in AWS's words (recorded: a StartExecution
 * past 262,144 bytes; the API reference's `input` is "up to 256 KiB", in bytes of UTF-8), as
 * `stepwright run`, MCP's `run` and serve do: no execution starts, where the interpreter alone
 * would start one that fails. A run whose `limits.maxPayloadBytes` lets more through is refused
 * only past it; one that lets less through fails as the interpreter fails it. An input that is not
 * JSON is left to the interpreter, which refuses it with InvalidExecutionInput. Gives the input as
 * its JSON text carries it, for the run to start with.
 */
function refuseOversizedInput(input: JsonValue, options: RunOptions): JsonValue {
  const most = Math.max(AwsLimits.PAYLOAD_BYTES, options.limits?.maxPayloadBytes ?? 0);
  // The input as its JSON text carries it (a toJSON of its own called here, once), within MAX_JSON_VALUES values.
  const json = jsonTextOf(input);
  if (json === undefined) return input;
  if (Buffer.byteLength(JSON.stringify(json)) > most) {
    throw new ValidationException(payloadTooLargeMessage('input', most));
  }
  return json;
}

/** The run options as the engine takes them: child workflows given by their engines. */
function settingsOf(options: RunOptions): RunSettings {
  const workflows = options.workflows;
  if (workflows === undefined) return options as RunSettings;
  const byArn = workflows as Readonly<Record<string, Workflow | NestedWorkflow>>;
  const children: ChildRegistry = Array.isArray(workflows)
    ? (workflows as ReadonlyArray<Workflow | NestedWorkflow>).map((entry, i) => childOf(entry, `options.workflows[${i}]`))
    : Object.fromEntries(Object.entries(byArn).map(([arn, entry]) => [arn, childOf(entry, `options.workflows['${arn}']`)]));
  return { ...options, workflows: children };
}

/**
 * A child workflow as the engine takes it.
 * @throws TypeError when the entry (from JavaScript, or cast) is neither a Workflow nor one with its mocks
 */
function childOf(entry: Workflow | NestedWorkflow, at: string): WorkflowEngine | ChildWorkflow {
  if (entry instanceof Workflow) return entry.engine;
  if (entry !== null && typeof entry === 'object' && entry.workflow instanceof Workflow) return { ...entry, workflow: entry.workflow.engine };
  throw new TypeError(`${at} is neither a Workflow nor { workflow: Workflow, mocks? }: give the child's Workflow (Workflow.fromStack, fromDefinition, ...)`);
}
