/**
 * The rules of ASL error names: which `ErrorEquals` list names an error, and
 * which Catch takes it. The interpreter applies them as it runs; explore, the
 * coverage trace and the harness read histories and definitions by them.
 */
import { StatesErrors } from './states-errors';
import { taskResource } from './task-resource';

/**
 * True when an error name matches a Retry or Catch `ErrorEquals` list.
 * `States.Runtime` matches nothing: AWS neither retries nor catches it, not
 * even where a Retry or Catch names it (recorded: a Catch on `States.Runtime`
 * around an OutputPath that names nothing, and the execution failed).
 * `States.ALL` matches every other error, and `States.TaskFailed` every other
 * error but `States.Timeout`.
 * @internal
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (error === UNCATCHABLE) return false;
  for (const name of errorEquals) {
    if (name === error || name === 'States.ALL') return true;
    if (name === 'States.TaskFailed' && error !== 'States.Timeout') return true;
  }
  return false;
}

// The one error no Retry or Catch handles. (States.DataLimitExceeded needs no entry: a state's
// own output over the limit fails the execution without consulting catchers, and a Task result
// over the limit is a task failure that States.ALL catches.)
const UNCATCHABLE = StatesErrors.RUNTIME;

/**
 * The errors that may end a run past every Catch, States.ALL's included, for a reader that knows an
 * error's name but not what raised it: States.Runtime always (errorMatches), and
 * States.DataLimitExceeded where a state's own input, output or variables pass the limit, which
 * fails the execution without consulting catchers ("States.ALL ... can't catch the
 * States.DataLimitExceeded terminal error type and runtime error types", Step Functions Developer
 * Guide, "Error handling in Step Functions"). A Task's result over the limit is a task failure
 * States.ALL catches (recorded), so errorMatches does not refuse States.DataLimitExceeded.
 * @internal
 */
export const TERMINAL_ERRORS: ReadonlySet<string> = new Set([StatesErrors.RUNTIME, StatesErrors.DATA_LIMIT_EXCEEDED]);

/** Finds the catcher for an error, if any. @internal */
export function findCatcher<C extends { readonly ErrorEquals: readonly string[] }>(catchers: readonly C[], error: string): C | undefined {
  for (const c of catchers) if (errorMatches(c.ErrorEquals, error)) return c;
  return undefined;
}

/**
 * The error a Task of this Resource fails with when its heartbeats stop (HeartbeatSeconds): a
 * callback (`.waitForTaskToken`) or `.sync` Task fails with States.Timeout (recorded: LocalStack's
 * AWS-validated test_heartbeats, TaskTimedOut and ExecutionFailed with States.Timeout; the Task
 * state page: "this state fails with a States.Timeout error name"), which a Retry or Catch of
 * States.HeartbeatTimeout does not take; an activity with States.HeartbeatTimeout, as the
 * error-handling guide names it. A request-response call sends no heartbeat: what AWS does when
 * its answer comes after HeartbeatSeconds is not recorded, and it is left as
 * States.HeartbeatTimeout, the name a handler may give.
 * @internal
 */
export function heartbeatLapseError(resource: string): typeof StatesErrors.TIMEOUT | typeof StatesErrors.HEARTBEAT_TIMEOUT {
  const r = taskResource(resource);
  return r.kind !== 'activity' && r.pattern !== 'request' ? StatesErrors.TIMEOUT : StatesErrors.HEARTBEAT_TIMEOUT;
}

