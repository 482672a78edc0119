import type { RunAdvice } from './validation';
import { AwsLimits } from '../../asl/limits';
import type { StatesError } from '../../asl/states-errors';
import type { TaskRequest } from '../../interpreter';

/*
 * Advice on what a Task met at run time that AWS bounds but whose handling at run time is recorded
 * nowhere: the run goes on as it is, rather than fail on a guess, and says what may differ on AWS.
 */

const n = (count: number): string => count.toLocaleString('en-US');

/**
 * A Task's failure whose error name or cause is longer than the API lets one be (SensitiveError,
 * 256 characters; SensitiveCause, 32,768): SendTaskFailure refuses such a one, but what AWS does
 * with a longer one a service gives (cut it, or fail otherwise) is recorded nowhere. The run keeps
 * it whole. Undefined within both bounds.
 * @internal
 */
export function longFailureAdvice(stateName: string, e: StatesError): RunAdvice | undefined {
  const over = [
    ...(e.error.length > AwsLimits.ERROR_CHARS ? [`an error name of ${n(e.error.length)} characters (the API's SensitiveError holds ${n(AwsLimits.ERROR_CHARS)})`] : []),
    ...((e.cause?.length ?? 0) > AwsLimits.CAUSE_CHARS ? [`a cause of ${n(e.cause!.length)} characters (the API's SensitiveCause holds ${n(AwsLimits.CAUSE_CHARS)})`] : []),
  ];
  if (over.length === 0) return undefined;
  return {
    state: stateName,
    message: `Task '${stateName}' failed with ${over.join(' and ')}: what AWS does with a longer one a service gives is not recorded, `
      + 'so the run keeps it whole; a Catch, a Retry or an assertion on it may not see the same on AWS. Keep errors and causes within those bounds.',
  };
}

/**
 * A Task whose TimeoutSeconds or HeartbeatSeconds, read as it runs (a `…Path` or a JSONata
 * expression), is over the 99,999,999 a definition may give (the Task state page; the validator
 * refuses a larger literal): what AWS does with it at run time is recorded nowhere. The run takes
 * it as it is. Undefined within the bound.
 * @internal
 */
export function longClockAdvice(request: TaskRequest): RunAdvice | undefined {
  const over = ([['TimeoutSeconds', request.timeoutSeconds], ['HeartbeatSeconds', request.heartbeatSeconds]] as const)
    .filter(([, v]) => v !== undefined && v > AwsLimits.SECONDS)
    .map(([field, v]) => `${field} ${n(v!)}`);
  if (over.length === 0) return undefined;
  return {
    state: request.stateName,
    message: `Task '${request.stateName}' runs with ${over.join(' and ')}, over the ${n(AwsLimits.SECONDS)} a definition may give: `
      + 'what AWS does with such a value read at run time is not recorded, so the run takes it as it is. Keep it within that bound.',
  };
}
