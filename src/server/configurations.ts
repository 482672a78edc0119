/*
 * The configuration structures of a request (logging, tracing, encryption),
 * read member by member as the service model declares them, with AWS's own
 * refusals where AWS adds a rule of its own (a log level without exactly one
 * destination).
 */
import type * as sdk from '@aws-sdk/client-sfn';
import { ApiError } from './api-errors';
import type { LoggingConfiguration } from './model';
import { ApiErrors } from '../asl/api-errors';

/** An encryption configuration, kept and echoed as given. @internal */
export interface EncryptionConfiguration {
  readonly type: sdk.EncryptionType;
  readonly kmsKeyId?: string;
  readonly kmsDataKeyReusePeriodSeconds?: number;
}

/**
 * `loggingConfiguration`: a level, whether to include execution data, and the
 * log group to write to. AWS refuses a level other than OFF without exactly one
 * destination with InvalidLoggingConfiguration, in these words (recorded), and
 * one whose log group ARN lacks the `:*` qualifier.
 * @internal
 */
export function readLogging(p: { readonly loggingConfiguration?: sdk.LoggingConfiguration }): LoggingConfiguration | undefined {
  const config = p.loggingConfiguration;
  if (config === undefined) return undefined;
  const { level, includeExecutionData } = config;
  const destinations = config.destinations?.map((d): sdk.LogDestination => {
    const logGroupArn = d.cloudWatchLogsLogGroup?.logGroupArn;
    if (d.cloudWatchLogsLogGroup === undefined) return {};
    return { cloudWatchLogsLogGroup: logGroupArn === undefined ? {} : { logGroupArn } };
  });
  if ((level !== undefined && level !== 'OFF' && destinations?.length !== 1) || (destinations?.length ?? 0) > 1) {
    throw new ApiError(ApiErrors.InvalidLoggingConfiguration, 'Invalid Logging Configuration: Must specify exactly one Log Destination.');
  }
  // "The ARN must end with :*" (the model's CloudWatchLogsLogGroup.logGroupArn); AWS refuses a log group's own ARN
  // in these words (InvalidLoggingConfiguration, as reported in hashicorp/terraform-provider-aws#17682).
  const logGroupArn = destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
  if (level !== undefined && level !== 'OFF' && logGroupArn !== undefined && !logGroupArn.endsWith(':*')) {
    throw new ApiError(ApiErrors.InvalidLoggingConfiguration, "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.");
  }
  return {
    ...(level !== undefined ? { level } : {}),
    ...(includeExecutionData !== undefined ? { includeExecutionData } : {}),
    ...(destinations !== undefined ? { destinations } : {}),
  };
}

/** `tracingConfiguration`: whether X-Ray tracing is on. @internal */
export function readTracing(p: { readonly tracingConfiguration?: sdk.TracingConfiguration }): { enabled?: boolean } | undefined {
  const config = p.tracingConfiguration;
  if (config === undefined) return undefined;
  return config.enabled === undefined ? {} : { enabled: config.enabled };
}

/**
 * `encryptionConfiguration`: the server encrypts nothing, and AWS's own refusal of a
 * customer-managed key without its id is kept (InvalidEncryptionConfiguration).
 * @internal
 */
export function readEncryption(p: { readonly encryptionConfiguration?: sdk.EncryptionConfiguration }): EncryptionConfiguration | undefined {
  const config = p.encryptionConfiguration;
  if (config === undefined) return undefined;
  const { type, kmsKeyId, kmsDataKeyReusePeriodSeconds: period } = config;
  if (type === 'CUSTOMER_MANAGED_KMS_KEY' && kmsKeyId === undefined) {
    throw new ApiError(ApiErrors.InvalidEncryptionConfiguration, 'Invalid Encryption Configuration: kmsKeyId must be specified with the encryption type CUSTOMER_MANAGED_KMS_KEY');
  }
  return { type: type!, ...(kmsKeyId !== undefined ? { kmsKeyId } : {}), ...(period !== undefined ? { kmsDataKeyReusePeriodSeconds: period } : {}) };
}
