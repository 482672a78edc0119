import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { StateMachineReference } from 'aws-cdk-lib/aws-stepfunctions';
import { ArnFormat, Duration, Resource, Stack, Token } from 'aws-cdk-lib/core';
import type { IConstruct } from 'constructs';

/**
 * The IAM condition key Step Functions sets to the version number or alias
 * name of a request made with a qualified ARN.
 */
export const STATE_MACHINE_QUALIFIER_KEY = 'states:StateMachineQualifier';

/**
 * A version or an alias of a state machine: something an execution can be
 * started on with a qualified ARN (`arn:…:stateMachine:<name>:<qualifier>`).
 *
 * Step Functions authorizes every request made with a qualified ARN against
 * the state machine's own (unqualified) ARN and passes the qualifier in the
 * `states:StateMachineQualifier` condition key. The grants of a qualified
 * state machine follow that rule, so they work where a policy naming the
 * alias ARN (aws/aws-cdk#30265) does not.
 */
export interface IQualifiedStateMachine extends IConstruct {
  /** The qualified ARN: a version ARN (`…:stateMachine:Orders:3`) or an alias ARN (`…:stateMachine:Orders:live`). */
  readonly qualifiedArn: string;
  /** The ARN of the state machine itself, without the qualifier. */
  readonly stateMachineArn: string;
  /** The version number or the alias name (a token for a version published at deploy time). */
  readonly qualifier: string;
  /** Lets aws-cdk-lib tasks (`StepFunctionsStartExecution`) target the qualified ARN. */
  readonly stateMachineRef: StateMachineReference;

  /** Allows `states:StartExecution` through this version or alias only. */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant;
  /** Allows `states:StartSyncExecution` (EXPRESS) through this version or alias only. */
  grantStartSyncExecution(grantee: iam.IGrantable): iam.Grant;
  /** Allows describing this version or alias and reading the machine's executions and their history. */
  grantRead(grantee: iam.IGrantable): iam.Grant;
  /** Allows `SendTaskSuccess`, `SendTaskFailure` and `SendTaskHeartbeat` for the machine's tasks. */
  grantTaskResponse(grantee: iam.IGrantable): iam.Grant;
  /** Allows the given actions on the state machine's executions (`arn:…:execution:<name>:*`). */
  grantExecution(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;
  /** Allows the given actions on the state machine, scoped to this qualifier. */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /** A CloudWatch metric (namespace `AWS/States`) of the executions started through this version or alias. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * Grants and metrics shared by {@link StateMachineVersion} and
 * {@link StateMachineAlias}; not meant to be extended outside stepwright.
 */
export abstract class QualifiedStateMachineBase extends Resource implements IQualifiedStateMachine {
  public abstract readonly qualifiedArn: string;
  public abstract readonly stateMachineArn: string;
  public abstract readonly qualifier: string;

  public get stateMachineRef(): StateMachineReference {
    return { stateMachineArn: this.qualifiedArn };
  }

  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'states:StartExecution');
  }

  public grantStartSyncExecution(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'states:StartSyncExecution');
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const onMachine = this.grant(grantee, ...this.readActions());
    const onExecutions = this.grantExecution(grantee, 'states:DescribeExecution', 'states:DescribeStateMachineForExecution', 'states:GetExecutionHistory');
    return onMachine.combine(onExecutions);
  }

  public grantTaskResponse(grantee: iam.IGrantable): iam.Grant {
    // Task tokens carry no qualifier, so these are checked against the machine alone.
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
      resourceArns: [this.stateMachineArn],
    });
  }

  public grantExecution(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [executionArnPattern(this, this.stateMachineArn)] });
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.stateMachineArn], conditions: qualifierCondition(this.qualifier) });
  }

  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/States',
      metricName,
      dimensionsMap: { StateMachineArn: this.qualifiedArn },
      statistic: 'sum',
      period: Duration.minutes(5),
      ...props,
    }).attachTo(this);
  }

  /** Executions that failed. @default sum over 5 minutes */
  public metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric { return this.metric('ExecutionsFailed', props); }
  /** Executions that started. @default sum over 5 minutes */
  public metricStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric { return this.metric('ExecutionsStarted', props); }
  /** Executions that succeeded. @default sum over 5 minutes */
  public metricSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric { return this.metric('ExecutionsSucceeded', props); }
  /** Executions that timed out. @default sum over 5 minutes */
  public metricTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric { return this.metric('ExecutionsTimedOut', props); }
  /** Executions that were aborted. @default sum over 5 minutes */
  public metricAborted(props?: cloudwatch.MetricOptions): cloudwatch.Metric { return this.metric('ExecutionsAborted', props); }
  /** Executions that were throttled. @default sum over 5 minutes */
  public metricThrottled(props?: cloudwatch.MetricOptions): cloudwatch.Metric { return this.metric('ExecutionThrottled', props); }
  /** Time from start to end of executions, in milliseconds. @default average over 5 minutes */
  public metricTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric { return this.metric('ExecutionTime', { statistic: 'avg', ...props }); }

  /** Actions `grantRead` allows on the machine, scoped to the qualifier. */
  protected abstract readActions(): string[];
}

/**
 * The condition that limits a statement on the state machine ARN to requests
 * made through one qualifier, in the form the Step Functions guide uses.
 * @internal
 */
export function qualifierCondition(qualifier: string): Record<string, Record<string, string[]>> {
  return { 'ForAnyValue:StringEquals': { [STATE_MACHINE_QUALIFIER_KEY]: [qualifier] } };
}

/**
 * `arn:<partition>:states:<region>:<account>:execution:<machine name>:*`:
 * executions are named after the state machine, never after a version or alias.
 * @internal
 */
export function executionArnPattern(scope: IConstruct, stateMachineArn: string): string {
  const stack = Stack.of(scope);
  const parts = stack.splitArn(stateMachineArn, ArnFormat.COLON_RESOURCE_NAME);
  return stack.formatArn({
    service: 'states',
    resource: 'execution',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    resourceName: `${parts.resourceName}:*`,
    ...(parts.region !== undefined ? { region: parts.region } : {}),
    ...(parts.account !== undefined ? { account: parts.account } : {}),
  });
}

/**
 * Splits a literal qualified state machine ARN into the machine ARN and the
 * qualifier; undefined for tokens and unqualified ARNs.
 * @internal
 */
export function splitQualifiedArn(arn: string): { stateMachineArn: string; qualifier: string } | undefined {
  if (Token.isUnresolved(arn)) return undefined;
  const parts = arn.split(':');
  if (parts.length !== 8 || parts[2] !== 'states' || parts[5] !== 'stateMachine') return undefined;
  return { stateMachineArn: parts.slice(0, 7).join(':'), qualifier: parts[7] };
}
