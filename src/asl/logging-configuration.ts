/*
 * What AWS refuses in a state machine's LoggingConfiguration, written once: CreateStateMachine and
 * UpdateStateMachine at serve, serve --load (CloudFormation's deploy calls them) and
 * `stepwright validate` of a template all read it here.
 */

/**
 * A LoggingConfiguration, the members AWS's refusals read, as CreateStateMachine takes it
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_LoggingConfiguration.html).
 * @internal
 */
export interface LoggingConfigurationFacts {
  readonly level?: string;
  readonly destinations?: ReadonlyArray<{ readonly cloudWatchLogsLogGroup?: { readonly logGroupArn?: string } }>;
}

/**
 * Why AWS refuses a LoggingConfiguration, in AWS's words (InvalidLoggingConfiguration).
 * @internal
 */
export const LoggingRefusals = {
  /** A level other than OFF without exactly one destination, or more than one destination (recorded). */
  ONE_DESTINATION: 'Invalid Logging Configuration: Must specify exactly one Log Destination.',
  /**
   * A log group ARN without the `:*` qualifier: "The ARN must end with :*"
   * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CloudWatchLogsLogGroup.html),
   * refused in these words (as reported in hashicorp/terraform-provider-aws#17682).
   */
  QUALIFIER: "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.",
} as const;

/** One of {@link LoggingRefusals}. @internal */
export type LoggingRefusal = (typeof LoggingRefusals)[keyof typeof LoggingRefusals];

/**
 * Why AWS refuses `config` (InvalidLoggingConfiguration), or undefined when it takes it. A level of
 * OFF with an unqualified log group is taken: what AWS does there is not known.
 * @internal
 */
export function loggingRefusal(config: LoggingConfigurationFacts): LoggingRefusal | undefined {
  const { level, destinations } = config;
  const logs = level !== undefined && level !== 'OFF';
  if ((logs && destinations?.length !== 1) || (destinations?.length ?? 0) > 1) return LoggingRefusals.ONE_DESTINATION;
  const logGroupArn = destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
  if (logs && logGroupArn !== undefined && !logGroupArn.endsWith(':*')) return LoggingRefusals.QUALIFIER;
  return undefined;
}
