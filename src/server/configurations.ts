/*
 * The configuration structures of a request (logging, tracing, encryption),
 * read member by member as the service model declares them, with AWS's own
 * refusals where AWS adds a rule of its own (a log level without exactly one
 * destination).
 */
import type * as sdk from '@aws-sdk/client-sfn';
import { ApiError, validationError } from './api-errors';
import type { LoggingConfiguration } from './model';
import type { Unchecked } from './operations/operation-table';
import { BOUNDS, checkStructure, optionalBoolean, optionalEnum, optionalList, optionalNumber, optionalString, optionalStructure } from './params';

const LOG_LEVELS = ['ALL', 'ERROR', 'FATAL', 'OFF'] as const;
const ENCRYPTION_TYPES = ['AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KMS_KEY'] as const;

/** An encryption configuration, kept and echoed as given. @internal */
export interface EncryptionConfiguration {
  readonly type: sdk.EncryptionType;
  readonly kmsKeyId?: string;
  readonly kmsDataKeyReusePeriodSeconds?: number;
}

/**
 * `loggingConfiguration`: a level, whether to include execution data, and the
 * log group to write to. AWS refuses a level other than OFF without exactly one
 * destination with InvalidLoggingConfiguration, in these words (recorded).
 * @internal
 */
export function readLogging(p: Unchecked<{ loggingConfiguration?: sdk.LoggingConfiguration }>): LoggingConfiguration | undefined {
  const config = optionalStructure(p, 'loggingConfiguration');
  if (config === undefined) return undefined;
  const level = optionalEnum(config, 'level', LOG_LEVELS, 'loggingConfiguration.level');
  const includeExecutionData = optionalBoolean(config, 'includeExecutionData', 'loggingConfiguration.includeExecutionData');
  const destinations = optionalList(config, 'destinations', {}, 'loggingConfiguration.destinations')?.map((d, i): sdk.LogDestination => {
    const path = `loggingConfiguration.destinations.${i + 1}.member`;
    const group = optionalStructure(checkStructure<sdk.LogDestination>(d, path), 'cloudWatchLogsLogGroup', `${path}.cloudWatchLogsLogGroup`);
    if (!group) return {};
    const logGroupArn = optionalString(group, 'logGroupArn', BOUNDS.arn, `${path}.cloudWatchLogsLogGroup.logGroupArn`);
    return { cloudWatchLogsLogGroup: logGroupArn === undefined ? {} : { logGroupArn } };
  });
  if ((level !== undefined && level !== 'OFF' && destinations?.length !== 1) || (destinations?.length ?? 0) > 1) {
    throw new ApiError('InvalidLoggingConfiguration', 'Invalid Logging Configuration: Must specify exactly one Log Destination.');
  }
  return {
    ...(level !== undefined ? { level } : {}),
    ...(includeExecutionData !== undefined ? { includeExecutionData } : {}),
    ...(destinations !== undefined ? { destinations } : {}),
  };
}

/** `tracingConfiguration`: whether X-Ray tracing is on. @internal */
export function readTracing(p: Unchecked<{ tracingConfiguration?: sdk.TracingConfiguration }>): { enabled?: boolean } | undefined {
  const config = optionalStructure(p, 'tracingConfiguration');
  if (config === undefined) return undefined;
  const enabled = optionalBoolean(config, 'enabled', 'tracingConfiguration.enabled');
  return enabled === undefined ? {} : { enabled };
}

/**
 * `encryptionConfiguration`: checked as the model declares it; the server
 * encrypts nothing, and AWS's own refusal of a customer-managed key without its
 * id is kept (InvalidEncryptionConfiguration).
 * @internal
 */
export function readEncryption(p: Unchecked<{ encryptionConfiguration?: sdk.EncryptionConfiguration }>): EncryptionConfiguration | undefined {
  const config = optionalStructure(p, 'encryptionConfiguration');
  if (config === undefined) return undefined;
  const type = optionalEnum(config, 'type', ENCRYPTION_TYPES, 'encryptionConfiguration.type');
  if (type === undefined) {
    throw validationError('encryptionConfiguration.type', 'Member must not be null');
  }
  const kmsKeyId = optionalString(config, 'kmsKeyId', BOUNDS.kmsKeyId, 'encryptionConfiguration.kmsKeyId');
  const period = optionalNumber(config, 'kmsDataKeyReusePeriodSeconds', { min: 60, max: 900, integer: true }, 'encryptionConfiguration.kmsDataKeyReusePeriodSeconds');
  if (type === 'CUSTOMER_MANAGED_KMS_KEY' && kmsKeyId === undefined) {
    throw new ApiError('InvalidEncryptionConfiguration', 'Invalid Encryption Configuration: kmsKeyId must be specified with the encryption type CUSTOMER_MANAGED_KMS_KEY');
  }
  return { type, ...(kmsKeyId !== undefined ? { kmsKeyId } : {}), ...(period !== undefined ? { kmsDataKeyReusePeriodSeconds: period } : {}) };
}
