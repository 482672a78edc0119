import { createHash } from 'node:crypto';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Fn, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { BuilderValidationError } from './common';
import { IQualifiedStateMachine, QualifiedStateMachineBase, splitQualifiedArn } from './qualified-state-machine';

/** A published version of a state machine: an immutable snapshot of its definition and role. */
export interface IStateMachineVersion extends IQualifiedStateMachine, sfn.IStateMachineVersionRef {
  /** ARN of the version, `arn:…:stateMachine:<name>:<number>`. */
  readonly versionArn: string;
}

/** Props of {@link StateMachineVersion}. */
export interface StateMachineVersionProps {
  /** The state machine to publish a version of. It must be defined in this app (not imported). */
  readonly stateMachine: sfn.StateMachine;
  /**
   * Description of the version.
   * @default - none
   */
  readonly description?: string;
  /**
   * What happens to a version when a later deploy publishes the next one (or
   * the stack is deleted). RETAIN keeps it, so executions running on it, and
   * aliases still routing to it during a gradual deployment, keep their
   * definition. Step Functions keeps up to 1,000 versions per state machine;
   * delete old ones with `DeleteStateMachineVersion` once nothing runs on them.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Publishes a version of a state machine (`AWS::StepFunctions::StateMachineVersion`)
 * each time its definition changes, like `lambda.Function.currentVersion`:
 * the logical id ends with a hash of the definition, substitutions, role,
 * type, logging, tracing and encryption, so a changed machine gets a new
 * version resource and an unchanged one keeps its version. The version is
 * published for the revision just deployed (`StateMachineRevisionId`).
 *
 * Old versions are retained by default, so executions already running on
 * them finish on the definition they started with.
 *
 * @example
 * const machine = new sfn.StateMachine(this, 'Orders', { definitionBody });
 * const version = new StateMachineVersion(this, 'OrdersVersion', { stateMachine: machine, description: 'orders v2' });
 * new StateMachineAlias(this, 'Live', { aliasName: 'live', version, deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(10), alarms: [failures] }) });
 */
export class StateMachineVersion extends QualifiedStateMachineBase implements IStateMachineVersion {
  /**
   * A version published outside this stack (an earlier deploy, the console),
   * for alias routing and nested executions.
   * @example StateMachineVersion.fromVersionArn(this, 'V3', 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders:3')
   * @throws BuilderValidationError when the ARN is not a version ARN
   */
  public static fromVersionArn(scope: Construct, id: string, versionArn: string): IStateMachineVersion {
    const split = splitQualifiedArn(versionArn);
    if (!split || !/^\d+$/.test(split.qualifier)) {
      throw new BuilderValidationError(scope, 'versionArn',
        `'${versionArn}' is not a state machine version ARN; expected arn:<partition>:states:<region>:<account>:stateMachine:<name>:<number>`);
    }
    class Imported extends QualifiedStateMachineBase implements IStateMachineVersion {
      public readonly stateMachineVersionRef = { stateMachineVersionArn: versionArn };
      public readonly qualifiedArn = versionArn;
      public readonly versionArn = versionArn;
      public readonly stateMachineArn = split!.stateMachineArn;
      public readonly qualifier = split!.qualifier;
      protected readActions(): string[] { return VERSION_READ_ACTIONS; }
    }
    return new Imported(scope, id);
  }

  /** ARN of the version. */
  public readonly versionArn: string;
  public readonly qualifiedArn: string;
  public readonly stateMachineArn: string;
  /** The version number, known at deploy time (a token). */
  public readonly qualifier: string;
  /** The state machine this is a version of. */
  public readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: StateMachineVersionProps) {
    super(scope, id);
    const machine = props.stateMachine.node.defaultChild;
    if (!(machine instanceof sfn.CfnStateMachine)) {
      throw new BuilderValidationError(this, 'stateMachine',
        `'${props.stateMachine.node.path}' has no AWS::StepFunctions::StateMachine of its own (is it imported?); `
        + 'publish versions of machines defined in this app, or use StateMachineVersion.fromVersionArn for one published elsewhere');
    }
    this.stateMachine = props.stateMachine;
    const resource = new sfn.CfnStateMachineVersion(this, 'Resource', {
      stateMachineArn: props.stateMachine.stateMachineArn,
      stateMachineRevisionId: machine.attrStateMachineRevisionId,
      ...(props.description !== undefined ? { description: props.description } : {}),
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    const stack = Stack.of(this);
    const original = stack.resolve(resource.logicalId) as string;
    // Computed at synth time, after every change to the machine has been made.
    resource.overrideLogicalId(Lazy.uncachedString({ produce: () => `${original}${revisionHash(machine)}` }));
    this.versionArn = resource.ref;
    this.qualifiedArn = resource.ref;
    this.stateMachineArn = props.stateMachine.stateMachineArn;
    this.qualifier = Fn.select(7, Fn.split(':', resource.ref));
  }

  /** The version as aws-cdk-lib references it. */
  public get stateMachineVersionRef(): sfn.StateMachineVersionReference {
    return { stateMachineVersionArn: this.versionArn };
  }

  protected readActions(): string[] { return VERSION_READ_ACTIONS; }
}

const VERSION_READ_ACTIONS = ['states:DescribeStateMachine', 'states:ListExecutions'];

/**
 * A hash of everything that makes a state machine revision. Tokens are
 * resolved first, so a machine that calls `fn.currentVersion` changes hash
 * when the function's code changes.
 */
function revisionHash(machine: sfn.CfnStateMachine): string {
  const stack = Stack.of(machine);
  const revision = stack.resolve({
    definitionString: machine.definitionString,
    definition: machine.definition,
    definitionSubstitutions: machine.definitionSubstitutions,
    roleArn: machine.roleArn,
    stateMachineType: machine.stateMachineType,
    loggingConfiguration: machine.loggingConfiguration,
    tracingConfiguration: machine.tracingConfiguration,
    encryptionConfiguration: machine.encryptionConfiguration,
  });
  return createHash('sha256').update(JSON.stringify(revision)).digest('hex').slice(0, 32).toUpperCase();
}
