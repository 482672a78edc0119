import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Annotations, Duration, Token } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { BuilderValidationError } from './common';
import { findUnqualifiedLambdaReferences } from './lambda-pinning';
import { QualifiedStateMachineBase } from './qualified-state-machine';
import { StateMachineVersion, type IStateMachineVersion } from './state-machine-version';
import { AwsLimits } from '../asl/limits';

/** How CloudFormation moves an alias to a new version. */
export type DeploymentType = 'ALL_AT_ONCE' | 'CANARY' | 'LINEAR';

/** Options of {@link Deployment.allAtOnce}. */
export interface AllAtOnceDeploymentOptions {
  /**
   * Alarms watched after the switch; CloudFormation rolls the alias back to
   * the previous version if one goes into ALARM.
   * @default - none
   */
  readonly alarms?: cloudwatch.IAlarm[];
}

/** Options of {@link Deployment.canary} and {@link Deployment.linear}. */
export interface GradualDeploymentOptions {
  /**
   * Percentage of executions sent to the new version: the first step of a
   * canary, or each increment of a linear deployment. 1 to 99.
   */
  readonly percentage: number;
  /**
   * Time between increments (canary: before the remaining traffic moves), in
   * whole minutes from 1 to 2,100.
   */
  readonly interval: Duration;
  /**
   * Alarms that roll the alias back to the previous version when one goes
   * into ALARM. Required: a gradual deployment without alarms shifts all
   * traffic in the end whatever happens, which is what it is meant to avoid.
   * Give alarm constructs, not ARNs: CloudFormation takes alarm names, and an
   * unknown name counts as OK, so a wrong one never rolls back.
   */
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * How an alias shifts executions to a new version
 * (`DeploymentPreference` of `AWS::StepFunctions::StateMachineAlias`).
 *
 * @example
 * Deployment.canary({ percentage: 10, interval: Duration.minutes(15), alarms: [failedAlarm] })
 */
export class Deployment {
  /** All executions move to the new version at once; the alarms can still roll it back. */
  public static allAtOnce(options: AllAtOnceDeploymentOptions = {}): Deployment {
    return new Deployment('ALL_AT_ONCE', options.alarms ?? [], undefined, undefined);
  }

  /** `percentage` of executions go to the new version for `interval`, then all of them. */
  public static canary(options: GradualDeploymentOptions): Deployment {
    return new Deployment('CANARY', options.alarms ?? [], options.percentage, options.interval);
  }

  /** Executions move to the new version `percentage` more every `interval`. */
  public static linear(options: GradualDeploymentOptions): Deployment {
    return new Deployment('LINEAR', options.alarms ?? [], options.percentage, options.interval);
  }

  private constructor(
    /** The deployment type. */
    public readonly type: DeploymentType,
    /** Alarms that roll the deployment back. */
    public readonly alarms: readonly cloudwatch.IAlarm[],
    /** Percentage per step (CANARY, LINEAR). */
    public readonly percentage: number | undefined,
    /** Time between steps (CANARY, LINEAR). */
    public readonly interval: Duration | undefined,
  ) {}

  /** True for CANARY and LINEAR, which run old and new versions side by side. */
  public get isGradual(): boolean {
    return this.type !== 'ALL_AT_ONCE';
  }
}

/** One version an alias routes to, with the share of executions it gets. */
export interface VersionWeight {
  /** The version. */
  readonly version: IStateMachineVersion;
  /** Percentage of executions started through the alias that run this version, 0 to 100. */
  readonly weight: number;
}

/** Props of {@link StateMachineAlias}. */
export interface StateMachineAliasProps {
  /**
   * Name of the alias, the qualifier in its ARN (`…:stateMachine:Orders:live`).
   * Letters, digits, `_`, `-` and `.`, at most 80, not only digits.
   */
  readonly aliasName: string;
  /**
   * Description of the alias.
   * @default - none
   */
  readonly description?: string;
  /**
   * The version the alias points to (after the deployment, with `deployment`).
   * Give this or `routing`.
   * @default - `routing`
   */
  readonly version?: IStateMachineVersion;
  /**
   * One version with weight 100, or two versions whose weights add up to 100,
   * to split executions by hand. Cannot be combined with `deployment`. Two
   * `StateMachineVersion`s of one machine publish the same revision (the same
   * version), so the other route is usually a version of an earlier deploy:
   * `StateMachineVersion.fromVersionArn`.
   * @default - `version` with weight 100
   * @example routing: [{ version: v2, weight: 90 }, { version: v3, weight: 10 }]
   */
  readonly routing?: VersionWeight[];
  /**
   * How CloudFormation moves the alias to `version` when it changes.
   * @default - the alias switches at once, with no alarms (RoutingConfiguration)
   * @example deployment: Deployment.linear({ percentage: 20, interval: Duration.minutes(10), alarms: [failedAlarm] })
   */
  readonly deployment?: Deployment;
}

const ALIAS_NAME = new RegExp(`^(?=.*[a-zA-Z_.-])[a-zA-Z0-9_.-]{1,${AwsLimits.NAME_CHARS}}$`);

/**
 * A state machine alias (`AWS::StepFunctions::StateMachineAlias`): a stable
 * ARN (`…:stateMachine:Orders:live`) whose executions run one version, or
 * two by weight, and that CloudFormation can move to a new version all at
 * once, as a canary or linearly, rolling back on alarms.
 *
 * Start executions through the alias (its `qualifiedArn`) and grant with the
 * alias' methods: they name the state machine ARN with a
 * `states:StateMachineQualifier` condition, which is what Step Functions checks.
 *
 * Synth fails for routing weights that do not add up to 100, the same
 * version twice, versions of different machines, or a CANARY/LINEAR
 * deployment without alarms; it warns when a gradual deployment meets a
 * Task that calls a Lambda function without a version or alias.
 *
 * @example
 * const version = new StateMachineVersion(this, 'Version', { stateMachine: machine });
 * const live = new StateMachineAlias(this, 'Live', {
 *   aliasName: 'live',
 *   version,
 *   deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(10), alarms: [alarm] }),
 * });
 * live.grantStartExecution(apiHandler);
 */
export class StateMachineAlias extends QualifiedStateMachineBase implements sfn.IStateMachineAliasRef {
  /** ARN of the alias. */
  public readonly aliasArn: string;
  public readonly qualifiedArn: string;
  public readonly stateMachineArn: string;
  /** The alias name. */
  public readonly qualifier: string;
  /** The alias name. */
  public readonly aliasName: string;
  /** Versions the alias routes to once any deployment is complete. */
  public readonly routing: readonly VersionWeight[];
  /** The deployment preference, when given. */
  public readonly deployment?: Deployment;

  constructor(scope: Construct, id: string, props: StateMachineAliasProps) {
    super(scope, id);
    checkAliasName(this, props.aliasName);
    this.routing = checkRouting(this, props);
    if (props.deployment) checkDeployment(this, props.deployment);
    this.deployment = props.deployment;
    this.aliasName = props.aliasName;
    this.qualifier = props.aliasName;
    this.stateMachineArn = this.routing[0].version.stateMachineArn;

    const resource = new sfn.CfnStateMachineAlias(this, 'Resource', {
      name: props.aliasName,
      ...(props.description !== undefined ? { description: props.description } : {}),
      ...(props.deployment
        ? { deploymentPreference: renderDeployment(props.deployment, this.routing[0].version) }
        : { routingConfiguration: this.routing.map((r) => ({ stateMachineVersionArn: r.version.versionArn, weight: r.weight })) }),
    });
    this.aliasArn = resource.ref;
    this.qualifiedArn = resource.ref;

    if (props.deployment?.isGradual) warnOnUnpinnedLambdas(this, props.deployment);
  }

  /** The alias as aws-cdk-lib references it. */
  public get stateMachineAliasRef(): sfn.StateMachineAliasReference {
    return { stateMachineAliasArn: this.aliasArn };
  }

  protected readActions(): string[] {
    return ['states:DescribeStateMachine', 'states:DescribeStateMachineAlias', 'states:ListExecutions'];
  }
}

function checkAliasName(scope: Construct, name: string): void {
  if (Token.isUnresolved(name)) return;
  if (!ALIAS_NAME.test(name)) {
    throw new BuilderValidationError(scope, 'aliasName',
      `'${name}' is not a valid alias name: use 1 to ${AwsLimits.NAME_CHARS} letters, digits, '_', '-' or '.', with at least one that is not a digit (a number would read as a version)`);
  }
}

function checkRouting(scope: Construct, props: StateMachineAliasProps): VersionWeight[] {
  if (props.version && props.routing) {
    throw new BuilderValidationError(scope, 'routing',
      'give either version (with an optional deployment) or routing, not both: CloudFormation takes DeploymentPreference or RoutingConfiguration');
  }
  if (!props.version && !props.routing) {
    throw new BuilderValidationError(scope, 'version', 'the alias needs a version to point to, or routing with one or two weighted versions');
  }
  if (props.routing && props.deployment) {
    throw new BuilderValidationError(scope, 'deployment',
      'a deployment moves the alias to one version; pass it as version, not routing (CloudFormation rejects DeploymentPreference with RoutingConfiguration)');
  }
  const routing = props.routing ?? [{ version: props.version!, weight: 100 }];
  if (routing.length < 1 || routing.length > 2) {
    throw new BuilderValidationError(scope, 'routing', `an alias routes to one or two versions, got ${routing.length}`);
  }
  routing.forEach((r, i) => {
    if (!Number.isInteger(r.weight) || r.weight < 0 || r.weight > 100) {
      throw new BuilderValidationError(scope, `routing[${i}].weight`, `weight must be a whole number from 0 to 100, got ${r.weight}`);
    }
  });
  const total = routing.reduce((sum, r) => sum + r.weight, 0);
  if (total !== 100) {
    throw new BuilderValidationError(scope, 'routing',
      `weights must add up to 100, got ${routing.map((r) => r.weight).join(' + ')} = ${total}`);
  }
  if (routing.length === 2) {
    const [a, b] = routing.map((r) => r.version);
    if (a === b || (!Token.isUnresolved(a.versionArn) && a.versionArn === b.versionArn)) {
      throw new BuilderValidationError(scope, 'routing',
        `both routes point at the same version (${a.node.path}); route to two different versions, or to one with weight 100`);
    }
    if (a instanceof StateMachineVersion && b instanceof StateMachineVersion && a.stateMachine === b.stateMachine) {
      throw new BuilderValidationError(scope, 'routing',
        `${a.node.path} and ${b.node.path} both publish the current revision of ${a.stateMachine.node.path}, so they are the same version; `
        + 'route the second share to a version published by an earlier deploy: StateMachineVersion.fromVersionArn(this, id, arn)');
    }
    if (differentMachines(a, b)) {
      throw new BuilderValidationError(scope, 'routing', `the two versions belong to different state machines (${a.node.path}, ${b.node.path}); an alias routes within one state machine`);
    }
  }
  return routing;
}

function differentMachines(a: IStateMachineVersion, b: IStateMachineVersion): boolean {
  if (a instanceof StateMachineVersion && b instanceof StateMachineVersion) return a.stateMachine !== b.stateMachine;
  if (Token.isUnresolved(a.stateMachineArn) || Token.isUnresolved(b.stateMachineArn)) return false;
  return a.stateMachineArn !== b.stateMachineArn;
}

function checkDeployment(scope: Construct, deployment: Deployment): void {
  if (deployment.isGradual && deployment.alarms.length === 0) {
    throw new BuilderValidationError(scope, 'deployment.alarms',
      `a ${deployment.type} deployment needs alarms to roll back on: without them it shifts all traffic to the new version whatever happens. `
      + 'Pass alarms, e.g. [version.metricFailed().createAlarm(this, \'Failures\', { threshold: 1, evaluationPeriods: 1 })], or use Deployment.allAtOnce()');
  }
  if (deployment.alarms.length > 100) {
    throw new BuilderValidationError(scope, 'deployment.alarms', `at most 100 alarms, got ${deployment.alarms.length}`);
  }
  if (!deployment.isGradual) return;
  const pct = deployment.percentage!;
  if (!Token.isUnresolved(pct) && (!Number.isInteger(pct) || pct < 1 || pct > 99)) {
    throw new BuilderValidationError(scope, 'deployment.percentage', `percentage must be a whole number from 1 to 99, got ${pct}`);
  }
  const minutes = intervalMinutes(deployment.interval!);
  if (minutes === undefined || minutes < 1 || minutes > 2100) {
    throw new BuilderValidationError(scope, 'deployment.interval',
      `interval must be whole minutes from 1 to 2,100, got ${deployment.interval!.toHumanString()}`);
  }
}

function intervalMinutes(interval: Duration): number | undefined {
  try {
    return interval.toMinutes();
  } catch {
    // A Duration that is not a whole number of minutes.
    return undefined;
  }
}

function renderDeployment(deployment: Deployment, version: IStateMachineVersion): sfn.CfnStateMachineAlias.DeploymentPreferenceProperty {
  return {
    stateMachineVersionArn: version.versionArn,
    type: deployment.type,
    ...(deployment.isGradual ? { percentage: deployment.percentage, interval: deployment.interval!.toMinutes() } : {}),
    ...(deployment.alarms.length > 0 ? { alarms: deployment.alarms.map((a) => a.alarmName) } : {}),
  };
}

/**
 * During a CANARY or LINEAR deployment old and new versions run side by
 * side, and executions of the old one can run for a year: a Task that calls
 * a Lambda function's unqualified ARN runs whatever code was deployed last,
 * so old executions call new code. Warned at validation time, when the
 * definition is final.
 */
function warnOnUnpinnedLambdas(alias: StateMachineAlias, deployment: Deployment): void {
  const version = alias.routing[0].version;
  if (!(version instanceof StateMachineVersion)) return;
  const machine = version.stateMachine.node.defaultChild as sfn.CfnStateMachine;
  alias.node.addValidation({
    validate: () => {
      for (const ref of findUnqualifiedLambdaReferences(machine)) {
        Annotations.of(alias).addWarningV2('stepwright:alias-unpinned-lambda',
          `alias '${alias.aliasName}' shifts executions gradually (${deployment.type}), but state machine '${version.stateMachine.node.path}' calls Lambda ${ref.label} `
          + 'without a version or alias: executions still running on the old version will call the new code. '
          + 'Fix: use Task.lambdaInvoke (it pins fn.currentVersion by default), pass fn.currentVersion or a lambda.Alias, '
          + "or add Aspects.of(stack).add(new PinLambdaVersions({ mode: 'rewrite' })).");
      }
      return [];
    },
  });
}
