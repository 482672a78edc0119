/*
 * The configuration structures of a request (logging, tracing, encryption),
 * read member by member as the service model declares them, with AWS's own
 * refusals where AWS adds a rule of its own (a LoggingConfiguration's, in
 * asl/logging-configuration.ts).
 */
import type * as sdk from '@aws-sdk/client-sfn';
import { ApiError } from './api-errors';
import type { LoggingConfiguration } from './model';
import { ApiErrors } from '../asl/api-errors';
import { loggingRefusal } from '../asl/logging-configuration';

/** Tells a piece of advice about the request being read (serve's log, as `advice: <operation>: …`). @internal */
export type Advise = (message: string) => void;

/** An encryption configuration, kept and echoed as given. @internal */
export interface EncryptionConfiguration {
  readonly type: sdk.EncryptionType;
  readonly kmsKeyId?: string;
  readonly kmsDataKeyReusePeriodSeconds?: number;
}

/**
 * `loggingConfiguration`: a level, whether to include execution data, and the
 * log group to write to, refused with InvalidLoggingConfiguration as AWS refuses
 * it (`loggingRefusal`, asl/logging-configuration.ts); a level that logs to a destination naming no
 * log group, which AWS's answer to is not recorded, is taken and advised.
 * @internal
 */
export function readLogging(p: { readonly loggingConfiguration?: sdk.LoggingConfiguration }, advise: Advise): LoggingConfiguration | undefined {
  const config = p.loggingConfiguration;
  if (config === undefined) return undefined;
  const { level, includeExecutionData } = config;
  const destinations = config.destinations?.map((d): sdk.LogDestination => {
    const logGroupArn = d.cloudWatchLogsLogGroup?.logGroupArn;
    if (d.cloudWatchLogsLogGroup === undefined) return {};
    return { cloudWatchLogsLogGroup: logGroupArn === undefined ? {} : { logGroupArn } };
  });
  const refusal = loggingRefusal({ level, destinations });
  if (refusal !== undefined) throw new ApiError(ApiErrors.InvalidLoggingConfiguration, refusal);
  if (level !== undefined && level !== 'OFF' && destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn === undefined) {
    advise(`loggingConfiguration logs at level ${level} to a destination with no cloudWatchLogsLogGroup.logGroupArn; serve takes it and logs nothing,`
      + ' but AWS\'s answer is not recorded and may be InvalidLoggingConfiguration: give the log group\'s ARN, ending in :*');
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
 * customer-managed key without its id is kept (InvalidEncryptionConfiguration). A key or a reuse
 * period given with AWS_OWNED_KEY, which AWS's answer to is not recorded, is kept and advised.
 * @internal
 */
export function readEncryption(
  p: { readonly encryptionConfiguration?: sdk.EncryptionConfiguration }, advise: Advise,
): EncryptionConfiguration | undefined {
  const config = p.encryptionConfiguration;
  if (config === undefined) return undefined;
  const { type, kmsKeyId, kmsDataKeyReusePeriodSeconds: period } = config;
  if (type === 'CUSTOMER_MANAGED_KMS_KEY' && kmsKeyId === undefined) {
    throw new ApiError(ApiErrors.InvalidEncryptionConfiguration, 'Invalid Encryption Configuration: kmsKeyId must be specified with the encryption type CUSTOMER_MANAGED_KMS_KEY');
  }
  if (type === 'AWS_OWNED_KEY' && (kmsKeyId !== undefined || period !== undefined)) {
    const given = [...kmsKeyId !== undefined ? ['a kmsKeyId'] : [], ...period !== undefined ? ['kmsDataKeyReusePeriodSeconds'] : []];
    advise(`encryptionConfiguration of type AWS_OWNED_KEY gives ${given.join(' and ')}, which ${given.length > 1 ? 'apply' : 'applies'} to`
      + ' customer managed keys only; serve keeps it as given, but AWS\'s answer is not recorded and may be InvalidEncryptionConfiguration:'
      + ' leave it out, or give the type CUSTOMER_MANAGED_KMS_KEY');
  }
  return { type: type!, ...(kmsKeyId !== undefined ? { kmsKeyId } : {}), ...(period !== undefined ? { kmsDataKeyReusePeriodSeconds: period } : {}) };
}

/**
 * How an encryptionConfiguration given again (a CreateActivity or CreateStateMachine of a name
 * there is) stands to the one kept: `same`, `other` (AWS answers ActivityAlreadyExists:
 * "EncryptionConfiguration may not be updated", the model; StateMachineAlreadyExists: the
 * EncryptionConfiguration is part of CreateStateMachine's idempotency check, API Reference), or
 * `unrecorded` where they differ only in one giving kmsDataKeyReusePeriodSeconds and the other
 * leaving it out. The API Reference states no default for the period (EncryptionConfiguration:
 * "Required: No"; the 300 seconds aws-cdk-lib documents is its own) and AWS's answer to such a
 * pair is not recorded, so serve takes it as the same and advises ({@link unrecordedEncryptionAdvice}).
 * @internal
 */
export function encryptionMatch(kept: EncryptionConfiguration, given: EncryptionConfiguration): 'same' | 'other' | 'unrecorded' {
  if (kept.type !== given.type || kept.kmsKeyId !== given.kmsKeyId) return 'other';
  if (kept.kmsDataKeyReusePeriodSeconds === given.kmsDataKeyReusePeriodSeconds) return 'same';
  return kept.kmsDataKeyReusePeriodSeconds === undefined || given.kmsDataKeyReusePeriodSeconds === undefined ? 'unrecorded' : 'other';
}

/**
 * The advice for an `unrecorded` {@link encryptionMatch}: `operation` of `arn` answered as the
 * first create did, though AWS may answer `alreadyExists`.
 * @internal
 */
export function unrecordedEncryptionAdvice(operation: string, arn: string, kept: EncryptionConfiguration, alreadyExists: string): string {
  const period = kept.kmsDataKeyReusePeriodSeconds;
  return `'${arn}' was created ${period === undefined ? 'without kmsDataKeyReusePeriodSeconds' : `with kmsDataKeyReusePeriodSeconds ${period}`}`
    + ` and is asked for again ${period === undefined ? 'with one' : 'without it'}; serve answers as the first ${operation} did and keeps its`
    + ` encryptionConfiguration, but AWS's answer is not recorded and may be ${alreadyExists}: give the same encryptionConfiguration each time`;
}
