import type { IConstruct } from 'constructs';
import { extractedMachine, type ExtractedStateMachine } from './extract';
import {
  selectVersionOrAlias, withVersions,
  type ExtractedStateMachineAlias, type ExtractedStateMachineVersion,
} from './versions';
import type { ResolveOptions } from '../../cfn';

/** The `version` and `alias` options of `Workflow.fromStack` / `fromTemplate` / `fromCdkOut`. */
export interface QualifiedWorkflowOptions {
  /**
   * Run a version of the state machine: executions start with its version
   * ARN. A logical id, a construct path (or its tail), the version number, or
   * the `StateMachineVersion` construct.
   * @default - the state machine itself (unqualified ARN)
   * @example Workflow.fromStack(stack, { version: ordersVersion })
   */
  readonly version?: string | IConstruct;
  /**
   * Run an alias: executions start with its alias ARN and run the version it
   * points to once any deployment is complete (for routing by weight, the
   * heaviest route declared in the template). An alias name, logical id,
   * construct path (or its tail), or the `StateMachineAlias` construct.
   * @default - the state machine itself (unqualified ARN)
   * @example Workflow.fromStack(stack, { alias: 'live' })
   */
  readonly alias?: string | IConstruct;
}

/** What a workflow loaded with `version` or `alias` runs. */
export interface WorkflowQualifier {
  /** The version whose definition runs. */
  readonly version: ExtractedStateMachineVersion;
  /** The alias executions start through, when loaded with `alias`. */
  readonly alias?: ExtractedStateMachineAlias;
}

/**
 * The state machine behind a version or alias, with `arn` set to the qualified
 * ARN executions start with.
 * @internal
 */
export function selectQualified(
  template: object,
  resolve: ResolveOptions,
  machines: readonly ExtractedStateMachine[],
  stateMachine: string | undefined,
  options: QualifiedWorkflowOptions,
): ExtractedStateMachine & { qualifier: WorkflowQualifier } {
  if (options.version !== undefined && options.alias !== undefined) {
    throw new TypeError('give version or alias, not both: an alias already decides which version runs');
  }
  const selector = (x: string | IConstruct | undefined): string | undefined => (x === undefined || typeof x === 'string' ? x : x.node.path);
  const versioned = withVersions(template, resolve, machines);
  const selected = selectVersionOrAlias(versioned, {
    ...(stateMachine !== undefined ? { stateMachine } : {}),
    ...(options.version !== undefined ? { version: selector(options.version) } : {}),
    ...(options.alias !== undefined ? { alias: selector(options.alias) } : {}),
  });
  // Not spread: spreading would read (and check) the definition, which is checked when first read.
  const m = selected.machine.machine;
  const qualified = extractedMachine({
    logicalId: m.logicalId,
    ...(m.path !== undefined ? { path: m.path } : {}),
    ...(m.name !== undefined ? { name: m.name } : {}),
    arn: selected.arn,
    type: m.type,
    ...(m.roleArn !== undefined ? { roleArn: m.roleArn } : {}),
    rawDefinition: m.rawDefinition,
    resources: m.resources,
  });
  return Object.assign(qualified, { qualifier: { version: selected.version, ...(selected.alias ? { alias: selected.alias } : {}) } });
}
