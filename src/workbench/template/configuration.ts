import { LoggingRefusals, loggingRefusal } from '../../asl/logging-configuration';
import { shorten } from '../../asl/shorten';
import { expandServerless, TemplateError, TemplateResolver, type CfnTemplate, type ResolveOptions } from '../../cfn';

/*
 * What a template configures of a state machine besides its definition and role, read once: serve
 * --load deploys it (CreateStateMachine, UpdateStateMachine); `stepwright validate` and the loading
 * of a workflow (the jest harness, `stepwright run`, MCP) refuse its LoggingConfiguration with AWS's
 * own rules (asl/logging-configuration.ts), in the words written once here (templateLoggingRefusal).
 */

/** A machine's `LoggingConfiguration`, as CreateStateMachine takes it. @internal */
export interface TemplateLogging {
  readonly level?: string;
  readonly includeExecutionData?: boolean;
  readonly destinations?: ReadonlyArray<{ readonly cloudWatchLogsLogGroup?: { readonly logGroupArn?: string } }>;
}

/** A machine's `EncryptionConfiguration`, as CreateStateMachine takes it. @internal */
export interface TemplateEncryption {
  readonly type: string;
  readonly kmsKeyId?: string;
  readonly kmsDataKeyReusePeriodSeconds?: number;
}

/** What a template configures of a machine besides its definition and role. @internal */
export interface TemplateMachineConfiguration {
  readonly loggingConfiguration?: TemplateLogging;
  readonly tracingConfiguration?: { readonly enabled?: boolean };
  readonly encryptionConfiguration?: TemplateEncryption;
}

/**
 * The machine's `LoggingConfiguration`, `TracingConfiguration` and `EncryptionConfiguration` (a
 * SAM machine's `Logging` and `Tracing`), as CloudFormation passes them to CreateStateMachine:
 * the CDK's `logs`, `tracingEnabled` and `encryptionConfiguration` end there, and
 * DescribeStateMachine shows them as deployed. One that cannot be resolved here (an imported log
 * group, a key whose id is not a string) is left out, as the role is: it never stops a load.
 * @internal
 */
export function templateMachineConfiguration(template: object, logicalId: string, options: ResolveOptions): TemplateMachineConfiguration {
  const cfn = expandServerless(template as CfnTemplate, options);
  const props = cfn.Resources?.[logicalId]?.Properties ?? {};
  const resolver = new TemplateResolver(cfn, options);
  const resolved = (location: string): Members | undefined => {
    if (props[location] === undefined) return undefined;
    try {
      const value = resolver.resolve(props[location], { stateMachine: logicalId, location, record: () => undefined });
      return isMembers(value) ? value : undefined;
    } catch (e) {
      if (e instanceof TemplateError) return undefined;
      throw e;
    }
  };
  const logging = resolved('LoggingConfiguration');
  const tracing = resolved('TracingConfiguration');
  const encryption = resolved('EncryptionConfiguration');
  const destinations: readonly unknown[] | undefined = Array.isArray(logging?.Destinations) ? logging.Destinations : undefined;
  return {
    ...(logging ? {
      loggingConfiguration: {
        ...(typeof logging.Level === 'string' ? { level: logging.Level } : {}),
        ...(logging.IncludeExecutionData !== undefined ? { includeExecutionData: cfnBoolean(logging.IncludeExecutionData) } : {}),
        ...(destinations ? {
          destinations: destinations.map((d) => {
            const group = isMembers(d) ? d.CloudWatchLogsLogGroup : undefined;
            if (group === undefined) return {};
            const arn = isMembers(group) ? group.LogGroupArn : undefined;
            return { cloudWatchLogsLogGroup: typeof arn === 'string' ? { logGroupArn: arn } : {} };
          }),
        } : {}),
      },
    } : {}),
    ...(tracing ? { tracingConfiguration: tracing.Enabled === undefined ? {} : { enabled: cfnBoolean(tracing.Enabled) } } : {}),
    // A customer managed key whose id did not resolve to text is left out: AWS refuses the type without it.
    ...(typeof encryption?.Type === 'string' && (encryption.Type !== 'CUSTOMER_MANAGED_KMS_KEY' || typeof encryption.KmsKeyId === 'string') ? {
      encryptionConfiguration: {
        type: encryption.Type,
        ...(typeof encryption.KmsKeyId === 'string' ? { kmsKeyId: encryption.KmsKeyId } : {}),
        ...(encryption.KmsDataKeyReusePeriodSeconds !== undefined
          ? { kmsDataKeyReusePeriodSeconds: Number(encryption.KmsDataKeyReusePeriodSeconds) } : {}),
      },
    } : {}),
  };
}

/** A template's object, its members read one by one (resolved from outside: any JSON). */
type Members = { readonly [member: string]: unknown };

function isMembers(value: unknown): value is Members {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A Boolean property as CloudFormation reads it: `true`, or the text `"true"` a YAML template may give. */
function cfnBoolean(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/** Where and why CreateStateMachine refuses a template machine's LoggingConfiguration. @internal */
export interface TemplateLoggingRefusal {
  /** JSON pointer into the template. */
  readonly location: string;
  readonly message: string;
}

/**
 * The machine's LoggingConfiguration in its template, refused as CreateStateMachine refuses it
 * (InvalidLoggingConfiguration, asl/logging-configuration.ts): CloudFormation's deploy and serve
 * --load fail on it, so `stepwright validate` reports it and loading a workflow refuses it, in
 * these words. Undefined when AWS takes it.
 * @internal
 */
export function templateLoggingRefusal(template: object, logicalId: string, options: ResolveOptions): TemplateLoggingRefusal | undefined {
  const logging = templateMachineConfiguration(template, logicalId, options).loggingConfiguration;
  const refusal = logging === undefined ? undefined : loggingRefusal(logging);
  if (logging === undefined || refusal === undefined) return undefined;
  const at = `/Resources/${logicalId}/Properties/LoggingConfiguration`;
  const said = `CreateStateMachine refuses the LoggingConfiguration with InvalidLoggingConfiguration: "${refusal}"`;
  if (refusal === LoggingRefusals.QUALIFIER) {
    const arn = logging.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn ?? '';
    return {
      location: `${at}/Destinations/0/CloudWatchLogsLogGroup/LogGroupArn`,
      message: `${said} The log group ARN ${shorten(JSON.stringify(arn), 200)} must end with ':*', as the Arn of an AWS::Logs::LogGroup (Fn::GetAtt) does.`,
    };
  }
  const count = logging.destinations?.length ?? 0;
  return {
    location: `${at}/Destinations`,
    message: `${said} It gives ${count} destination${count === 1 ? '' : 's'} at level ${logging.level ?? 'OFF'}: give exactly one CloudWatchLogsLogGroup.`,
  };
}
