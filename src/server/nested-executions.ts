/*
 * Nested executions: a `states:startExecution` Task of a served execution starts an execution of
 * a state machine serve holds, as AWS does ("Start a new AWS Step Functions state machine from a
 * running execution", connect-stepfunctions.html), and as jest, `stepwright run` and MCP run the
 * child workflows of a template: the request-response pattern answers `{ExecutionArn, StartDate}`
 * at once and the child runs on; `.waitForTaskToken` starts it alike (that answer is what the Task
 * submitted) and the Task waits for SendTaskSuccess, SendTaskFailure or its clock, with the token
 * its Input passed on (concepts-nested-workflows.html); `.sync` and `.sync:2` wait for the child and answer its
 * DescribeExecution (Input and Output as JSON text, or parsed), and a child that does not succeed
 * fails the Task with States.TaskFailed and that description as the cause (recorded:
 * test_start_execution_sync_delegate_failure). The child is an execution of its own: its ARN, its
 * history, ListExecutions and DescribeExecution, StopExecution. A mock, a MockConfigFile test case
 * or a handler of the Task answers it first, as for every Task (the dispatcher's order).
 */
import { ApiError } from './api-errors';
import { nested } from './lazy';
import type { ExecutionRecord } from './model';
import { applyStop, executionNamed, startNew } from './operations/executions';
import type { RecordOf } from './records';
import type { StepFunctionsService } from './service';
import type { StartTarget } from './store';
import { resultKey, stableRequestId } from './tasks';
import type { JsonObject, JsonValue } from '../asl';
import { ApiErrors } from '../asl/api-errors';
import type { TaskRequest } from '../interpreter/execution-types';
import type { ChildOutcome, NestedPattern } from '../workbench/workflow/nested';

/**
 * Starts (or, when the parent runs again after a restart, finds) the child execution a
 * `states:startExecution` Task of execution `parent` asks for, and answers the Task as AWS does.
 * Undefined when the Task is no such Task, or names a state machine serve does not hold: it is
 * then answered as any other (a forwarding endpoint, else the failure naming what would answer it).
 * @internal
 */
export function startChild(
  s: StepFunctionsService, parent: ExecutionRecord, payload: JsonValue, request: TaskRequest,
): JsonValue | Promise<JsonValue> | undefined {
  const { startExecutionPattern, readStartExecution, startExecutionError } = nested();
  const pattern = startExecutionPattern(request.resource);
  if (pattern === undefined) return undefined;
  const asked = readStartExecution(request.stateName, payload);
  let target: StartTarget;
  try {
    target = s.store.target(asked.stateMachineArn);
  } catch (e) {
    if (e instanceof ApiError && e.type === ApiErrors.StateMachineDoesNotExist) return undefined;
    throw e instanceof ApiError ? startExecutionError(e.type, e.message) : e;
  }
  // The call's name in the parent's journal, taken now: calls are named in the order the parent makes them.
  const call = resultKey(parent, request);
  const given = (payload as JsonObject | null)?.Input;
  const input = typeof given === 'string' ? given : JSON.stringify(asked.input);
  const start = (): JsonValue | Promise<JsonValue> => {
    try {
      return answer(s, parent, target, { name: asked.name, input, call, pattern }, request);
    } catch (e) {
      throw e instanceof ApiError ? startExecutionError(e.type, e.message) : e;
    }
  };
  // Each start waits for a turn of the event loop: a machine that starts itself (or a chain of
  // machines that start each other) would otherwise start its children in one unbroken run of
  // microtasks, and serve would answer no request and no signal until the quota of open executions
  // stopped it. While the journal is read back, this also lets a parent that runs again reach its
  // Task before the child's own start record is applied: the child is looked for once every record is.
  // Once serve stops, no child is started: the parent is left waiting, as every running execution is
  // left, and runs on from the journal when serve starts again.
  return new Promise<void>((resolve) => { setImmediate(resolve); }).then(() => s.closing ? new Promise<JsonValue>(() => undefined) : start());
}

interface ChildRequest {
  readonly name: string | undefined;
  readonly input: string;
  readonly call: string;
  readonly pattern: NestedPattern;
}

function answer(
  s: StepFunctionsService, parent: ExecutionRecord, target: StartTarget, asked: ChildRequest, request: TaskRequest,
): JsonValue | Promise<JsonValue> {
  // Without a Name, AWS names the child with a UUID: one made from the parent and the call, so that the parent run again finds it.
  const seed = `${parent.arn}\n${asked.call}`;
  const name = asked.name ?? stableRequestId(seed);
  const { arn, existing } = executionNamed(s, target, name, stableRequestId(`${seed}\nexpress`));
  let child: ExecutionRecord;
  let persisted: Promise<void> = Promise.resolve();
  if (existing) {
    const ours = existing.startedBy?.parent === parent.arn && existing.startedBy.call === asked.call;
    // StartExecution with the name and input of a running execution answers that execution, as AWS's is idempotent.
    if (!ours && !(existing.status === 'RUNNING' && existing.input === asked.input)) {
      throw new ApiError(ApiErrors.ExecutionAlreadyExists, `Execution Already Exists: '${arn}'`);
    }
    child = existing;
  } else {
    // A call the journal has no child for is made now: the parent's time runs on from now.
    parent.clock.goLive();
    // Compiled before the startDate is taken, as StartExecution's own: the child's time counts its run only.
    s.prepare(target);
    const at = Math.max(s.now(), parent.clock.now());
    ({ record: child, persisted } = startNew(s, target, { arn, name, input: asked.input, at, startedBy: { parent: parent.arn, call: asked.call } }));
  }
  if (nested().stopsChildWithTask(asked.pattern)) stopWithTask(s, child, request);
  const outcome = (): Promise<ChildOutcome> => child.done.then(() => outcomeOf(child));
  const answered = persisted.then(() => nested().nestedResult(asked.pattern, {
    executionArn: child.arn,
    name: child.name,
    stateMachineArn: child.machine.arn,
    input: JSON.parse(child.input) as JsonValue,
    startMs: child.startDate,
    result: outcome(),
  }));
  if (asked.pattern !== 'callback') return answered;
  // A parent run again from the journal gets the answer its token was given before the restart, as any callback Task.
  return answered.then((submitted) => {
    s.router.replayCallback(request);
    return submitted;
  });
}

/**
 * A `.sync` Task that stops waiting for its child (the parent stopped, or timed out, or a sibling
 * branch failed) stops the child, as AWS does with the `states:StopExecution` permission the
 * pattern's IAM policy grants it on the child's executions (stepfunctions-iam.html, Synchronous).
 * AWS refuses StopExecution on an EXPRESS execution: such a child runs to its end.
 */
function stopWithTask(s: StepFunctionsService, child: ExecutionRecord, request: TaskRequest): void {
  if (child.express) return;
  const stop = (): void => {
    // The Task also stops waiting once the child has ended: nothing to stop then.
    if (child.status !== 'RUNNING') return;
    const record: RecordOf<'stop'> = { t: 'stop', arn: child.arn };
    applyStop(s, record);
    void s.persist(record).catch((e: unknown) => s.options.log(`execution ${child.arn}: could not journal its stop with its parent's Task: ${String(e)}`));
  };
  if (request.signal.aborted) stop();
  else request.signal.addEventListener('abort', stop, { once: true });
}

/** How a child ended, from its record once its run has closed. */
function outcomeOf(child: ExecutionRecord): ChildOutcome {
  return {
    status: child.status,
    ...(child.output !== undefined ? { output: JSON.parse(child.output) as JsonValue } : {}),
    ...(child.error !== undefined ? { error: child.error } : {}),
    ...(child.cause !== undefined ? { cause: child.cause } : {}),
    stopDate: new Date(child.stopDate ?? child.startDate),
  };
}
