import type { ResolveOptions } from './resolver';

/**
 * What of a CDK `Stack` the resolver needs, typed by shape so that this layer
 * does not load aws-cdk-lib.
 * @internal
 */
export interface StackLike {
  readonly stackName: string;
  readonly region: string;
  readonly account: string;
  readonly node: { readonly id: string };
}

/** The {@link ResolveOptions} a stack fixes. @internal */
export interface StackResolveOptions extends Pick<ResolveOptions, 'region' | 'account'> {
  readonly stackName: string;
}

/**
 * The pseudo-parameter values of a CDK stack: its name, and its region and
 * account when they are concrete. An environment-agnostic stack keeps the
 * resolver's defaults, and a stack whose name is a token is named by its
 * construct id, as `cdk synth` names its template.
 * @param isUnresolved `Token.isUnresolved` of the caller's aws-cdk-lib
 * @internal
 */
export function stackResolveOptions(stack: StackLike, isUnresolved: (value: string) => boolean): StackResolveOptions {
  return {
    stackName: isUnresolved(stack.stackName) ? stack.node.id : stack.stackName,
    ...(isUnresolved(stack.region) ? {} : { region: stack.region }),
    ...(isUnresolved(stack.account) ? {} : { account: stack.account }),
  };
}
