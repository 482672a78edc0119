/**
 * What the rows of the optimized integrations are made of: the row type and the
 * helpers that turn a Task's arguments into the permissions it needs.
 */
import type { CatalogueRow } from '../../asl/integrations';
import { Args, arn, roleArn, runTimeSource, text } from '../arns';
import type { IntegrationPattern, Requirement, TaskScope } from '../integrations';

/**
 * What iam/ adds to a catalogue row (asl/integrations.ts): how a Task's
 * arguments become the permissions it needs, on which resources.
 */
export interface IamEntry {
  /** The catalogue row's `service:action`. */
  readonly resource: string;
  /** The CDK call that grants these permissions, when there is one. */
  readonly grant?: string;
  readonly needs: (args: Args | undefined, ctx: TaskScope, pattern: IntegrationPattern) => Requirement[];
}

/** One optimized integration as the IAM check reads it: its catalogue row's facts, and its entry's permissions. */
export interface OptimizedIntegration extends IamEntry {
  readonly row: CatalogueRow;
  readonly service: string;
  readonly api: string;
  /** Page of the Step Functions Developer Guide (the row's). */
  readonly doc: string;
  /** Prefix of the AccessDenied error name AWS reports for this integration (`Lambda`, `DynamoDB`): the row's error prefix. */
  readonly errorService: string;
  /**
   * Set when IAM is not what authorizes the call (the Kubernetes API of
   * `eks:call` answers to the cluster's RBAC), from the row: said as a "cannot check" note.
   */
  readonly authorizedElsewhere?: string;
}

/** A requirement on the resource an argument names, with why it is unknown when it is not static. */
export function on(action: string, resource: string | undefined, why: string, args: Args | undefined, field: string[],
  extra: Partial<Requirement> = {}): Requirement {
  const unresolved = resource === undefined ? runTimeSource(args, ...field) : undefined;
  return { action, ...(resource !== undefined ? { resource } : {}), why, ...(unresolved ? { unresolved } : {}), ...extra };
}

export function each(actions: readonly string[], resource: string | undefined, why: string, extra: Partial<Requirement> = {}): Requirement[] {
  return actions.map((action) => ({ action, ...(resource !== undefined ? { resource } : {}), why, ...extra }));
}

/** The EventBridge rule Step Functions manages to learn that a `.sync` job ended. */
export function managedRule(ctx: TaskScope, rule: string, why: string): Requirement[] {
  return each(['events:PutTargets', 'events:PutRule', 'events:DescribeRule'], arn(ctx, 'events', `rule/${rule}`), why);
}

/**
 * `iam:PassRole` on a role an argument names. A role only known at run time
 * leaves the resource open, with why.
 */
export function passRole(ctx: TaskScope, args: Args | undefined, field: string[], why: string, service?: string, optional = false): Requirement[] {
  const value = text(args, ...field);
  const dynamic = runTimeSource(args, ...field);
  if (value === undefined && dynamic === undefined) return [];
  return [{
    action: 'iam:PassRole',
    ...(value !== undefined ? { resource: roleArn(ctx, value) } : { unresolved: dynamic }),
    why,
    ...(service ? { context: { 'iam:PassedToService': service } } : {}),
    ...(optional ? { optional } : {}),
  }];
}

export const isSync = (p: IntegrationPattern): boolean => p === 'sync';

export function tagsGiven(args: Args | undefined): boolean {
  return args !== undefined && (args.Tags !== undefined || args['Tags.$'] !== undefined);
}
