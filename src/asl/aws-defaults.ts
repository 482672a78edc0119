/**
 * The account and region a run, a loaded template or a built ARN takes when the user gives none: the
 * one place they are written (an eslint rule refuses the account's literal elsewhere). The account is
 * the one AWS's own documentation writes its example ARNs with; the region is the one AWS's
 * examples and the SDKs' documentation use. Every door (jest, the CLI, serve, MCP) defaults to
 * these two, so an ARN a test asserts on is the same at all four.
 * @internal
 */
export const AwsDefaults = {
  ACCOUNT: '123456789012',
  REGION: 'us-east-1',
  /** The partition of every ARN a run, serve or a template without `AWS::Partition` mints: AWS's commercial one. */
  PARTITION: 'aws',
  /**
   * A state machine's type when the request, the template or the option gives none: CreateStateMachine
   * (API reference, `type`): "The default is STANDARD"; AWS::StepFunctions::StateMachine's
   * `StateMachineType` the same. Every door (jest, the CLI, serve, MCP) and the validator take it here.
   */
  MACHINE_TYPE: 'STANDARD',
} as const;

/**
 * A state machine's type, as AWS's API names it (`StateMachineType`: STANDARD or EXPRESS) and a
 * template's `StateMachineType` gives it: the one place the two are written as a type.
 */
export type MachineType = 'STANDARD' | 'EXPRESS';

/**
 * The state machine types, in the order AWS's model lists them: what a schema or a reader of a
 * type offers, and a Distributed Map's `ProcessorConfig.ExecutionType` takes.
 * @internal
 */
export const MACHINE_TYPES = ['STANDARD', 'EXPRESS'] as const satisfies readonly MachineType[];

/** How much a TestState call reports, as AWS's TestState API names its levels (`InspectionLevel`). */
export type InspectionLevel = 'INFO' | 'DEBUG' | 'TRACE';

/** TestState's inspection levels, in the order AWS's model lists them. @internal */
export const INSPECTION_LEVELS = ['INFO', 'DEBUG', 'TRACE'] as const satisfies readonly InspectionLevel[];

/**
 * TestState's level when a call names none: "By default, Step Functions sets inspectionLevel to INFO
 * if you don't specify a level" (API reference, TestState). Every door (jest's testState, serve's
 * TestState, a parity case file) takes it here.
 * @internal
 */
export const DEFAULT_INSPECTION_LEVEL: InspectionLevel = 'INFO';

/** Whether a value read from outside is one of TestState's inspection levels. @internal */
export function isInspectionLevel(value: unknown): value is InspectionLevel {
  return (INSPECTION_LEVELS as readonly unknown[]).includes(value);
}

/**
 * An ARN from its parts, `arn:<partition>:<service>:<region>:<account>:<resource>` (the AWS General
 * Reference, "Amazon Resource Names (ARNs)"): the one place the format is written (an eslint rule
 * refuses a template that starts with `arn:` elsewhere). A global service's ARN (IAM's, S3's) gives
 * `''` for the region, an S3 ARN `''` for the account too.
 * @internal
 */
export function awsArn(partition: string, service: string, region: string, account: string, resource: string): string {
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

/** The resource types of a Step Functions ARN stepwright mints. @internal */
export type StatesArnType = 'stateMachine' | 'execution' | 'express' | 'activity' | 'mapRun';

/**
 * A Step Functions ARN in the default partition: `arn:aws:states:<region>:<account>:<type>:<parts>`,
 * the parts joined by `:` (a machine's name, then an execution's: `execution:<machine>:<name>`).
 * @internal
 */
export function statesArn(region: string, account: string, type: StatesArnType, ...parts: string[]): string {
  return awsArn(AwsDefaults.PARTITION, 'states', region, account, `${type}:${parts.join(':')}`);
}

/** An ARN in the default partition, region and account: `arn:aws:<service>:us-east-1:123456789012:<resource>`. @internal */
export function defaultArn(service: string, resource: string): string {
  return awsArn(AwsDefaults.PARTITION, service, AwsDefaults.REGION, AwsDefaults.ACCOUNT, resource);
}
