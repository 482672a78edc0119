import type { TaskInvocation } from './task';
import { StatesErrors } from '../../asl/states-errors';
import { noteUnrecorded, type ExecutionRuntime } from '../runtime';

/**
 * A Task with `HeartbeatSeconds` but no task token (a Lambda function, any request-response
 * call) that answered later than them. It has nothing to send SendTaskHeartbeat with ("Used by
 * activity workers, Task states using the callback pattern, and optionally Task states using the
 * job run pattern", API reference), and stepwright lets it run to its TimeoutSeconds; whether AWS
 * fails it with States.HeartbeatTimeout once the HeartbeatSeconds pass is recorded nowhere (a
 * third-party page says so for a Lambda function). The run goes on and its advice says so.
 * @internal
 */
export function noteSilentHeartbeat(rt: ExecutionRuntime, inv: TaskInvocation, started: number, now: number): void {
  const beat = inv.heartbeatSeconds;
  if (beat === undefined || inv.token !== undefined || now - started <= beat * 1000) return;
  noteUnrecorded(rt, inv.stateName, `Task '${inv.stateName}' answered ${(now - started) / 1000} s after it started, past its HeartbeatSeconds `
    + `(${beat}), with no task token to send a heartbeat with: stepwright lets it run to its TimeoutSeconds, and whether AWS fails it with `
    + `${StatesErrors.HEARTBEAT_TIMEOUT} once its HeartbeatSeconds pass is not recorded. Drop HeartbeatSeconds from a Task that cannot send heartbeats, `
    + 'or keep its answers within them.');
}
