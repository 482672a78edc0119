import type { MachineType } from '../asl/aws-defaults';

/** One route of a loaded alias. */
export interface LoadedRoute {
  /** The version ARN on the server. */
  readonly stateMachineVersionArn: string;
  /** Percentage of the alias' executions that run it. */
  readonly weight: number;
}

/** An alias that `load` created or found. */
export interface LoadedAlias {
  /** The alias name. */
  readonly name: string;
  /** The ARN to start executions with. */
  readonly stateMachineAliasArn: string;
  /** Where its executions go. */
  readonly routingConfiguration: readonly LoadedRoute[];
}

/** A state machine that `load` created or found, with the versions and aliases its templates declare. */
export interface LoadedStateMachine {
  /** The name: `StateMachineName`, else the logical id (as in the harness's placeholder ARNs). */
  readonly name: string;
  /** Its ARN on the server. */
  readonly stateMachineArn: string;
  /** STANDARD or EXPRESS, from the template. */
  readonly type: MachineType;
  /** The template it was last declared in (for a cdk.out, the directory and the stack). */
  readonly source: string;
  /** The ARNs of its declared versions on the server, in template order. */
  readonly versionArns: readonly string[];
  /** Its declared aliases. */
  readonly aliases: readonly LoadedAlias[];
}

/**
 * A `load` path or `loadStateMachines` selector that cannot be served: the
 * option, the value and why, with how to fix it when that is known.
 */
export class TemplateLoadError extends Error {
  constructor(
    /** The option at fault. */
    public readonly option: 'load' | 'loadStateMachines' | 'loadParameters',
    /** The path or selector given. */
    public readonly value: string,
    /** What is wrong with it. */
    public readonly reason: string,
  ) {
    super(`${option} '${value}': ${reason}`);
    this.name = 'TemplateLoadError';
  }
}
