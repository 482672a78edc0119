/*
 * The account's quotas serve keeps of resources a request adds ("Step Functions service quotas"):
 * registered state machines, registered activities and GetActivityTask calls waiting on one
 * activity. Each is AWS's default (asl/limits.ts) unless the server is given another, as AWS
 * raises one on request. Past one, the error the model declares for it, in the words of its
 * documentation; AWS's own words are not recorded.
 */
import { ApiError } from './api-errors';
import { ApiErrors, type ApiErrorName } from '../asl/api-errors';
import { AwsLimits } from '../asl/limits';

/**
 * Quotas other than AWS's defaults, as an account may have them raised (or, in a test, lowered).
 * @internal
 */
export interface ServeQuotas {
  /** Registered state machines. @default AwsLimits.STATE_MACHINES */
  readonly stateMachines?: number;
  /** Registered activities. @default AwsLimits.ACTIVITIES */
  readonly activities?: number;
  /** GetActivityTask calls waiting on one activity at once. @default AwsLimits.ACTIVITY_POLLERS */
  readonly activityPollers?: number;
}

/** A quota: its default, its error, the words of the error's documentation and the quota's name. */
interface Quota { readonly limit: number; readonly error: ApiErrorName; readonly words: string; readonly quota: string }

const QUOTAS: Readonly<Record<keyof ServeQuotas, Quota>> = {
  stateMachines: {
    limit: AwsLimits.STATE_MACHINES,
    error: ApiErrors.StateMachineLimitExceeded,
    words: 'The maximum number of state machines has been reached. Existing state machines must be deleted before a new state machine can be created.',
    quota: 'Maximum number of registered state machines',
  },
  activities: {
    limit: AwsLimits.ACTIVITIES,
    error: ApiErrors.ActivityLimitExceeded,
    words: 'The maximum number of activities has been reached. Existing activities must be deleted before a new activity can be created.',
    quota: 'Maximum number of registered activities',
  },
  activityPollers: {
    limit: AwsLimits.ACTIVITY_POLLERS,
    error: ApiErrors.ActivityWorkerLimitExceeded,
    words: 'The maximum number of workers concurrently polling for activity tasks has been reached.',
    quota: 'Maximum number of pollers per Activity ARN',
  },
};

/**
 * Refuses one more of what `kind` counts when `count` are already there: the quota's error, in the
 * words of its documentation (the model), with the count, the quota and the region.
 * @internal
 */
export function checkQuota(kind: keyof ServeQuotas, count: number, given: ServeQuotas | undefined, where: string): void {
  const { limit: standard, error, words, quota } = QUOTAS[kind];
  const limit = given?.[kind] ?? standard;
  if (count < limit) return;
  throw new ApiError(error, `${words} ${where} has ${count}, the most this account may have (Step Functions quota "${quota}", ${limit})`);
}
