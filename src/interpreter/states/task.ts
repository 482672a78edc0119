import type { JsonValue, TaskState } from '../../asl';
import { answerJudge } from '../../asl/answer-outcomes';
import { heartbeatLapseError } from '../../asl/error-rules';
import { detailsKeyOf, type HistoryEventDetailsKey, type HistoryEventType } from '../../asl/history-events';
import { describeNonJson, jsonTextOf } from '../../asl/json-value';
import { AwsLimits } from '../../asl/limits';
import { remember } from '../../asl/memo';
import { compilePayloadTemplate, type CompiledTemplate } from '../../asl/payload';
import { drawnValue } from '../../asl/random';
import { StatesErrors, InternalErrors, isTimeoutError, StatesError } from '../../asl/states-errors';
import { eventNamesOf, taskResource } from '../../asl/task-resource';
import { CancelSource } from '../cancel';
import type { CompiledState } from '../engine';
import { countUnrecordedEvents, toStatesError } from '../engine';
import type { DeferringTaskHandler, ExecutionControl, TaskAnswer, TaskHandler, TaskRequest } from '../execution-types';
import { compileParameterCheck } from '../integration-parameters';
import { compileFinish, compileJsonPathIO, compileNumberField, scopeOf, type Finish, type JsonPathIO } from '../io';
import { closeCallback, isStopped, stateError, type AttemptResult, type StateCall, type TaskHandlerTable } from '../runtime';
import { effectiveInputOverLimit, jsonByteLengthWithin } from '../size';
import { baseState, nextOf, type CompileContext } from './common';
import { noteSilentHeartbeat } from './silent-heartbeat';
import { lapsed, timeoutDeadline, Waiter } from './task-waiter';
import { unsettledWatch } from './unsettled-watch';


/** How a resource ARN is called, which decides its history events. @internal */
export interface ResourceKind {
  /** `lambda` (a function ARN), `activity`, or `service` (an `arn:aws:states:::` integration). */
  readonly kind: 'lambda' | 'activity' | 'service';
  /** For service integrations: the service (`sqs`, `lambda`, `aws-sdk:s3`, ...). */
  readonly resourceType: string;
  /** For service integrations: the action with its suffix (`sendMessage.waitForTaskToken`). */
  readonly resource: string;
  readonly pattern: 'request-response' | 'sync' | 'callback';
}

const resourceKinds = new Map<string, ResourceKind>();

/** Classifies a Task resource ARN; the answer for an ARN is kept, as many states call the same one. @internal */
export function classifyResource(arn: string): ResourceKind {
  return remember(resourceKinds, arn, classifyResourceOnce);
}

function classifyResourceOnce(arn: string): ResourceKind {
  const r = taskResource(arn);
  if (r.kind === 'lambda-arn') return { kind: 'lambda', resourceType: 'lambda', resource: arn, pattern: 'request-response' };
  if (r.kind === 'activity') return { kind: 'activity', resourceType: 'activity', resource: arn, pattern: 'callback' };
  const names = eventNamesOf(r);
  if (names === undefined) return { kind: 'service', resourceType: 'unknown', resource: arn, pattern: 'request-response' };
  const pattern = r.pattern === 'waitForTaskToken' ? 'callback' : r.pattern === 'request' ? 'request-response' : 'sync';
  return { kind: 'service', ...names, pattern };
}

/** The handler of an activity nobody answers: no answer yet, so the task waits for a worker. */
const awaitWorker: DeferringTaskHandler = () => undefined;

/** Finds the handler for a call: by state name, then by resource ARN, then the default. @internal */
export function findHandler(call: StateCall, stateName: string, resource: string): TaskHandler | undefined {
  const handlers = call.frame.rt.handlers;
  return handlers.byName.get(stateName) ?? handlers.byName.get(resource) ?? handlers.fallback;
}

/**
 * Task: calls its resource through the injected handlers, with TimeoutSeconds
 * and HeartbeatSeconds on the execution's clock, and callbacks
 * (`.waitForTaskToken`, activities) completed through the execution handle.
 * @internal
 */
export function compileTask(name: string, def: TaskState, ctx: CompileContext): CompiledState {
  const io = compileJsonPathIO(def);
  const kind = classifyResource(def.Resource);
  const task: TaskParts = {
    name,
    resource: def.Resource,
    kind,
    io,
    timeout: compileSeconds(def.TimeoutSeconds, def.TimeoutSecondsPath, 'TimeoutSeconds'),
    heartbeat: compileSeconds(def.HeartbeatSeconds, def.HeartbeatSecondsPath, 'HeartbeatSeconds'),
    checkParameters: compileParameterCheck(kind, 'Parameters'),
    credentials: def.Credentials !== undefined ? compilePayloadTemplate(def.Credentials) : undefined,
    finish: compileFinish(io, def, nextOf(def)),
    routedFor: undefined,
    routed: undefined,
  };
  // One function for every Task state, bound to the state's parts (see compilePayloadTemplate).
  return baseState(name, def, ctx, attemptTask.bind(undefined, task) as CompiledState['attempt']);
}

/** What one Task state runs with. */
interface TaskParts {
  readonly name: string;
  readonly resource: string;
  readonly kind: ResourceKind;
  readonly io: JsonPathIO;
  readonly timeout: ((input: JsonValue, call: StateCall) => number) | undefined;
  readonly heartbeat: ((input: JsonValue, call: StateCall) => number) | undefined;
  readonly checkParameters: ((parameters: JsonValue) => void) | undefined;
  readonly credentials: CompiledTemplate | undefined;
  readonly finish: Finish;
  // The handler is looked up once, not on every call: the handlers are the state machine's own.
  routedFor: TaskHandlerTable | undefined;
  routed: TaskHandler | undefined;
}

function attemptTask(task: TaskParts, input: JsonValue, call: StateCall): AttemptResult | Promise<AttemptResult> {
  const rt = call.frame.rt;
  if (rt.handlers !== task.routedFor) {
    task.routedFor = rt.handlers;
    task.routed = findHandler(call, task.name, task.resource);
  }
  const io = task.io;
  const effective = io.inputPath ? io.inputPath(input, call) : input;
  const scope = scopeOf(effective, call);
  const timeoutSeconds = task.timeout ? task.timeout(effective, call) : undefined;
  const heartbeatSeconds = task.heartbeat ? task.heartbeat(effective, call) : undefined;
  // AWS issues a task token to callback and .sync integrations (a .sync call may pass it on).
  const token = task.kind.pattern !== 'request-response' ? newTaskToken(call) : undefined;
  if (token !== undefined) call.setTaskToken(token);
  const parameters = io.parameters ? io.parameters(scope) : effective;
  if (task.checkParameters) task.checkParameters(parameters);
  const refused = io.parameters && rt.requestCheck !== undefined ? rt.requestCheck(task.name, task.resource, parameters, 'Parameters') : undefined;
  const result = invokeTask(call, {
    ...(refused !== undefined ? { refused } : {}),
    stateName: task.name,
    resourceArn: task.resource,
    kind: task.kind,
    payload: parameters,
    token,
    timeoutSeconds,
    heartbeatSeconds,
    roleArn: task.credentials ? roleArnOf(task.credentials(scope)) : undefined,
    handler: task.routed,
  });
  if (result instanceof Promise) return result.then((r) => task.finish(input, r, call));
  return task.finish(input, result, call);
}

/** A Task call: what to invoke and how long it may take. @internal */
export interface TaskInvocation {
  readonly stateName: string;
  readonly resourceArn: string;
  readonly kind: ResourceKind;
  readonly payload: JsonValue;
  readonly token: string | undefined;
  readonly timeoutSeconds: number | undefined;
  readonly heartbeatSeconds: number | undefined;
  /** The role of the Task's `Credentials`, evaluated: the scheduled event names it (`taskCredentials`). */
  readonly roleArn?: string;
  /** Record Task events in the history. @default true */
  readonly events?: boolean;
  /** The handler, when the caller has already found it (see findHandler). */
  readonly handler?: TaskHandler;
  /** The service's refusal of the request (StartOptions.requestCheck): the Task fails with it once started, and no handler is called. */
  readonly refused?: StatesError;
}

/** The `RoleArn` of an evaluated `Credentials` field. @internal */
export function roleArnOf(credentials: JsonValue): string | undefined {
  const role = credentials !== null && typeof credentials === 'object' && !Array.isArray(credentials) ? credentials.RoleArn : undefined;
  return typeof role === 'string' ? role : undefined;
}

/** A fresh task token: random (seedable) and numbered within its execution, so runs repeat. @internal */
export function newTaskToken(call: StateCall): string {
  const rt = call.frame.rt;
  rt.tokensIssued++;
  return drawnValue(rt.random, `${rt.random.uuid()}-${rt.tokensIssued.toString(36)}`, 'taskToken');
}

/**
 * Invokes a resource and records its events the way AWS does for its kind
 * (LambdaFunction*, Activity*, or Task* events). Returns the result, or throws a
 * StatesError (the handler's error, States.Timeout, States.HeartbeatTimeout).
 * @internal
 */
export function invokeTask(call: StateCall, inv: TaskInvocation): JsonValue | Promise<JsonValue> {
  const rt = call.frame.rt;
  const { kind } = inv;
  // The effective input (after Parameters or Arguments) is held to the payload limit like any output.
  const size = effectiveInputOverLimit(inv.payload, rt.maxPayloadBytes);
  if (size !== undefined) {
    throw new StatesError(StatesErrors.DATA_LIMIT_EXCEEDED, `The input of the task of state '${inv.stateName}' is ${size} bytes, over the maximum of ${rt.maxPayloadBytes} bytes.`);
  }
  const events = inv.events !== false;
  // Recorded (LocalStack's test_activity_task_on_deleted): no ActivityScheduled, the execution fails at once.
  if (kind.kind === 'activity' && rt.activityExists && !rt.activityExists(inv.resourceArn)) {
    throw stateError(StatesErrors.RUNTIME, `The activity ${inv.resourceArn} does not exist.`);
  }
  // Unrecorded events are still counted (towards the history limit), but their details are not built.
  if (events && !rt.recordHistory) {
    countUnrecordedEvents(call.frame, 2); // …Scheduled, …Started
  } else if (events) {
    if (kind.kind === 'lambda') {
      call.event('LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', {
        resource: inv.resourceArn, input: inv.payload, timeoutInSeconds: inv.timeoutSeconds, taskCredentials: credentialsOf(inv),
      });
    } else if (kind.kind === 'activity') {
      call.event('ActivityScheduled', 'activityScheduledEventDetails', { resource: inv.resourceArn, input: inv.payload, timeoutInSeconds: inv.timeoutSeconds, heartbeatInSeconds: inv.heartbeatSeconds });
      // ActivityStarted follows once the worker (the handler) has taken the task, naming itself if it likes.
    } else {
      call.event('TaskScheduled', 'taskScheduledEventDetails', {
        resourceType: kind.resourceType,
        resource: kind.resource,
        region: rt.region,
        parameters: inv.payload,
        timeoutInSeconds: inv.timeoutSeconds,
        heartbeatInSeconds: inv.heartbeatSeconds,
        taskCredentials: credentialsOf(inv),
      });
    }
  }
  // Among siblings that run at once, a call starts once the others have scheduled theirs: AWS
  // records each iteration's TaskStateEntered and TaskScheduled before the first TaskStarted
  // (recorded: LocalStack's timeouts/test_service_lambda_map_timeout). Alone, it starts at once.
  if (call.frame.group?.concurrent === true) return Promise.resolve().then(() => startCall(call, inv));
  return startCall(call, inv);
}

/** Records the call's start (…Started; an activity's when its worker has taken it) and makes it. */
function startCall(call: StateCall, inv: TaskInvocation): JsonValue | Promise<JsonValue> {
  if (isStopped(call.frame)) throw new StatesError(InternalErrors.STOPPED, 'The execution or branch stopped');
  const { kind } = inv;
  if (inv.events !== false && call.frame.rt.recordHistory) {
    if (kind.kind === 'lambda') call.event('LambdaFunctionStarted');
    else if (kind.kind === 'service') call.event('TaskStarted', 'taskStartedEventDetails', { resourceType: kind.resourceType, resource: kind.resource });
  }
  if (inv.refused !== undefined) throw recordFailure(call, inv, inv.refused);
  let answer: JsonValue | Promise<JsonValue>;
  try {
    answer = runWithTimeouts(call, inv);
  } catch (e) {
    throw recordFailure(call, inv, e);
  }
  if (answer instanceof Promise) {
    return answer.then((output) => recordSuccess(call, inv, output), (e: unknown) => { throw recordFailure(call, inv, e); });
  }
  return recordSuccess(call, inv, answer);
}

function credentialsOf(inv: TaskInvocation): { roleArn: string } | undefined {
  return inv.roleArn === undefined ? undefined : { roleArn: inv.roleArn };
}

/** Invocations whose TaskSubmitted event is recorded. */
const submittedCalls = new WeakSet<TaskInvocation>();

/** Records what a .sync or callback integration handed back when it accepted the work, once per call. */
function recordSubmitted(call: StateCall, inv: TaskInvocation, submitted: JsonValue | undefined): void {
  const { kind } = inv;
  if (inv.events !== false && kind.kind === 'service' && kind.pattern !== 'request-response' && !submittedCalls.has(inv)) {
    submittedCalls.add(inv);
    call.event('TaskSubmitted', 'taskSubmittedEventDetails', { resourceType: kind.resourceType, resource: kind.resource, output: submitted });
  }
}

/**
 * What a .sync integration answered when it accepted the job, when its handler did not say
 * (TaskRequest.recordSubmission). StartExecution answers the new execution's ExecutionArn and
 * StartDate (recorded: LocalStack's test_start_execution_sync, TaskSubmitted), which the result
 * (DescribeExecution's) or a States.TaskFailed cause (the failed execution, as JSON) repeats.
 * Of any other integration's answer nothing is known: {}.
 */
function defaultSubmission(kind: ResourceKind, result: JsonValue | undefined, cause?: string): JsonValue {
  if (kind.resourceType !== 'states' || !kind.resource.startsWith('startExecution')) return {};
  let described: JsonValue | undefined = result;
  if (described === undefined && cause !== undefined) {
    try {
      described = JSON.parse(cause) as JsonValue;
    } catch {
      described = undefined;
    }
  }
  const out: Record<string, JsonValue> = {};
  if (described !== null && typeof described === 'object' && !Array.isArray(described)) {
    if (described.ExecutionArn !== undefined) out.ExecutionArn = described.ExecutionArn;
    if (described.StartDate !== undefined) out.StartDate = described.StartDate;
  }
  return out;
}

/**
 * Records ActivityStarted once the handler, the worker, has taken the task; for a handler that
 * hands the task on to a worker yet to come (awaitActivityWorker), when that worker takes it.
 */
function recordActivityStarted(call: StateCall, inv: TaskInvocation, request: Request, taken = false): void {
  if (request.startDeferred && !taken) return;
  if (inv.kind.kind === 'activity' && inv.events !== false && call.frame.rt.recordHistory) {
    call.event('ActivityStarted', 'activityStartedEventDetails', { workerName: request.workerName });
  }
}

function eventPrefix(kind: ResourceKind): 'LambdaFunction' | 'Activity' | 'Task' {
  return kind.kind === 'lambda' ? 'LambdaFunction' : kind.kind === 'activity' ? 'Activity' : 'Task';
}

/** The success event of each kind of resource, and its details field. */
const SUCCEEDED_EVENT: Record<ResourceKind['kind'], readonly [HistoryEventType, HistoryEventDetailsKey]> = {
  lambda: ['LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails'],
  activity: ['ActivitySucceeded', 'activitySucceededEventDetails'],
  service: ['TaskSucceeded', 'taskSucceededEventDetails'],
};

function recordSuccess(call: StateCall, inv: TaskInvocation, answer: JsonValue): JsonValue {
  const { kind } = inv;
  // An answer that comes after the branch was stopped (its state recorded as aborted) is dropped.
  if (isStopped(call.frame)) throw new StatesError(InternalErrors.STOPPED, 'The execution or branch stopped');
  // A handler (or a callback) is JavaScript: what it answers must be JSON before any state reads it.
  // A service, a worker and SendTaskSuccess answer Step Functions in JSON text, which has no -0:
  // one walk checks the answer and finds any -0 in it.
  const output = jsonTextOf(answer);
  if (output === undefined) {
    throw recordFailure(call, inv, new StatesError(StatesErrors.RUNTIME, `The task handler for state '${inv.stateName}' returned a value that is not JSON: ${describeNonJson(answer)}.`));
  }
  const max = call.frame.rt.maxPayloadBytes;
  // AWS names a Lambda function ARN resource by its ARN, an integration by its service (recorded).
  if (max !== Infinity && jsonByteLengthWithin(output, max) > max) {
    throw recordFailure(call, inv, new StatesError(StatesErrors.DATA_LIMIT_EXCEEDED, `The state/task '${kind.kind === 'lambda' ? kind.resource : kind.resourceType}' returned a result with a size exceeding the maximum number of bytes service limit.`));
  }
  if (inv.events !== false) {
    if (!call.frame.rt.recordHistory) {
      countUnrecordedEvents(call.frame, 1);
    } else {
      // Names from a table, not built per call, and read by index (destructuring would step an iterator): this runs once per Task.
      const names = SUCCEEDED_EVENT[kind.kind];
      call.event(names[0], names[1], kind.kind === 'service' ? { resourceType: kind.resourceType, resource: kind.resource, output } : { output });
    }
  }
  return output;
}

function recordFailure(call: StateCall, inv: TaskInvocation, e: unknown): StatesError {
  const err = toStatesError(e);
  // A task cut short because its execution or branch stopped did not fail: AWS records nothing for it.
  if (inv.events !== false && !isStopped(call.frame)) {
    const { kind } = inv;
    const prefix = eventPrefix(kind);
    const what = err.error === StatesErrors.TIMEOUT || err.error === StatesErrors.HEARTBEAT_TIMEOUT ? 'TimedOut' : 'Failed';
    const type = `${prefix}${what}` as const;
    const fields = kind.kind === 'service' ? { resourceType: kind.resourceType, resource: kind.resource } : {};
    // A .sync job that ran and failed ends in States.TaskFailed: AWS submitted it first.
    if (kind.pattern === 'sync' && err.error === StatesErrors.TASK_FAILED) recordSubmitted(call, inv, defaultSubmission(kind, undefined, err.cause));
    // SendTaskFailure may name no error: the event then has none (not an empty one).
    call.event(type, detailsKeyOf(type), { ...fields, error: err.error === '' ? undefined : err.error, cause: err.cause });
  }
  return err;
}

function runWithTimeouts(call: StateCall, inv: TaskInvocation): JsonValue | Promise<JsonValue> {
  // An activity is worked by whoever holds the execution handle: with no handler, it waits for them.
  const handler: DeferringTaskHandler | undefined = inv.handler ?? findHandler(call, inv.stateName, inv.resourceArn) ?? (inv.kind.kind === 'activity' ? awaitWorker : undefined);
  if (!handler) {
    throw new StatesError(StatesErrors.RUNTIME, `No task handler for state '${inv.stateName}' (resource ${inv.resourceArn}). Add taskHandlers['${inv.stateName}'] or taskHandlers['${inv.resourceArn}'].`);
  }
  const rt = call.frame.rt;
  const started = rt.clock.now();
  // A callback may be completed from inside the handler, so it is registered first.
  let callback: Promise<JsonValue> | undefined;
  let waiter: Waiter | undefined;
  const token = inv.token;
  if (token !== undefined) {
    const w = waiter = new Waiter(inv, started);
    callback = new Promise<JsonValue>((resolve, reject) => {
      (rt.callbacks ??= new Map()).set(token, {
        resolve, reject, heartbeat: () => w.heartbeat(rt.clock.now()), timedOut: (e: StatesError) => w.timeOut(inv, e),
      });
      rt.tokenIssued(token, inv.stateName);
    });
    callback.catch(() => undefined); // observed in waitWithTimeouts; never an unhandled rejection
  }
  const request = new Request(inv, call);
  // An activity's heartbeat clock runs from ActivityStarted: a worker yet to come holds no token to send heartbeats with.
  if (waiter !== undefined) request.onTaken = () => waiter!.heartbeat(rt.clock.now());
  let answer: TaskAnswer | Promise<TaskAnswer>;
  try {
    answer = handler(inv.payload, request);
  } catch (e) {
    request.abort();
    recordActivityStarted(call, inv, request);
    if (token !== undefined) closeCallback(rt, token);
    if (e instanceof StatesError && isTimeoutError(e.error)) return ranOutOfTime(call, inv, e, started, waiter?.heartbeatAt);
    throw e;
  }
  recordActivityStarted(call, inv, request);
  if (request.startDeferred && !request.workerTook) waiter?.awaitStart();
  // Fast path: no callback to wait for, and a handler that answered at once needs no timers.
  if (callback === undefined && !(answer instanceof Promise)) {
    if (inv.kind.pattern === 'sync') recordSubmitted(call, inv, defaultSubmission(inv.kind, answer ?? null));
    request.abort();
    return answer === undefined ? null : answer;
  }
  return waitWithTimeouts(call, inv, request, answer, waiter ?? new Waiter(inv, started), callback);
}

/** Waits for an asynchronous answer or a callback, with TimeoutSeconds and HeartbeatSeconds on the execution's clock. */
async function waitWithTimeouts(
  call: StateCall, inv: TaskInvocation, request: Request, answer: TaskAnswer | Promise<TaskAnswer>,
  waiter: Waiter, callback: Promise<JsonValue> | undefined,
): Promise<JsonValue> {
  const rt = call.frame.rt;
  const clock = rt.clock;
  const started = waiter.started;
  const waitsForCallback = inv.kind.pattern === 'callback' && inv.kind.kind === 'service';
  const groupSignal = call.frame.group?.cancel;
  const onStop = () => { request.abort(); waiter.wake?.(); };
  const unsubscribe: Array<() => void> = [];
  // Without TimeoutSeconds, AWS's default (99,999,999 s) is not slept on: on a
  // virtual clock the wait would jump years ahead as soon as the test awaited
  // anything before calling sendTaskSuccess. The execution's own TimeoutSeconds still applies.
  const timeoutAt = inv.timeoutSeconds !== undefined ? started + inv.timeoutSeconds * 1000 : Infinity;
  try {
    if (groupSignal) unsubscribe.push(groupSignal.onCancel(onStop));
    unsubscribe.push(rt.stopSignal.onCancel(onStop));
    let work: Promise<JsonValue>;
    if (answer instanceof Promise) {
      const release = clock.hold();
      // Once the task stops waiting (a timeout, a stop), what it waited for no longer holds the execution's time.
      unsubscribe.push(release);
      let settled = answer.finally(release);
      // With a deadline, a handler that never settles loses its hold on the clock and the deadline fires;
      // without one, nothing would ever end the wait, so it is given the clock's hold time in real time.
      if (timeoutAt === Infinity && waiter.heartbeatAt === Infinity && clock.holdTimeoutMs !== undefined && clock.holdTimeoutMs !== Infinity) {
        const watch = unsettledWatch(settled, inv.stateName, clock.holdTimeoutMs, clock);
        unsubscribe.push(watch.cancel);
        settled = watch.settled;
      }
      // The handler's own answer (never a worker's SendTaskFailure) saying the Task timed out: the
      // Task fails when its clock says so (see timeoutDeadline), the loop's timer set for that moment.
      settled = settled.catch((e: unknown) => {
        if (!(e instanceof StatesError) || !isTimeoutError(e.error)) throw e;
        if (inv.kind.kind === 'service' && inv.kind.pattern !== 'request-response') recordSubmitted(call, inv, defaultSubmission(inv.kind, undefined));
        waiter.timeOut(inv, e);
        return new Promise<never>(() => undefined);
      });
      work = waitsForCallback
        ? settled.then((v) => { recordSubmitted(call, inv, v ?? null); return callback!; })
        : inv.kind.kind === 'activity' && callback
          ? Promise.race([settled.then((v) => (v === undefined ? callback : v)), callback])
          : settled.then((v) => { if (inv.kind.pattern === 'sync') recordSubmitted(call, inv, defaultSubmission(inv.kind, v ?? null)); return v === undefined ? null : v; });
    } else if (waitsForCallback) {
      recordSubmitted(call, inv, answer ?? null);
      work = callback!;
    } else if (answer === undefined) {
      // An activity handler that returns nothing leaves the work to a worker.
      work = callback!;
    } else {
      // An activity answered at once.
      if (inv.kind.pattern === 'sync') recordSubmitted(call, inv, defaultSubmission(inv.kind, answer));
      return answer;
    }
    // The loop below may end (a stop, a timeout) before the work settles; its failure then has nobody to tell.
    work.catch(() => undefined);
    for (;;) {
      if (groupSignal?.cancelled || rt.stopSignal.cancelled) throw new StatesError(InternalErrors.STOPPED, 'The execution or branch stopped');
      let timer: CancelSource | undefined;
      const tick = new Promise<'tick'>((resolve) => {
        const arm = (): void => {
          timer?.cancel();
          const deadline = Math.min(timeoutAt, waiter.heartbeatAt, waiter.timedOutAt);
          timer = deadline !== Infinity ? new CancelSource() : undefined;
          if (timer !== undefined) void clock.sleepUntil(deadline, timer).then(() => resolve('tick'));
        };
        waiter.rearm = arm;
        waiter.wake = () => { timer?.cancel(); resolve('tick'); };
        arm();
      });
      const winner = await Promise.race([work.then((v) => ({ v })), tick]);
      waiter.rearm = undefined;
      (timer as CancelSource | undefined)?.cancel();
      if (winner !== 'tick') {
        noteSilentHeartbeat(rt, inv, started, clock.now());
        return winner.v;
      }
      const now = clock.now();
      if (waiter.timedOut !== undefined && now >= waiter.timedOutAt) throw waiter.timedOut;
      if (now >= timeoutAt) throw new StatesError(StatesErrors.TIMEOUT, undefined);
      // A callback or .sync task whose heartbeats stop times out as States.Timeout, an activity as
      // States.HeartbeatTimeout: the name has one home, heartbeatLapseError.
      if (now >= waiter.heartbeatAt) throw new StatesError(heartbeatLapseError(inv.resourceArn), undefined);
    }
  } finally {
    request.abort();
    for (const off of unsubscribe) off();
    if (inv.token !== undefined) closeCallback(rt, inv.token);
  }
}

/**
 * A handler that answered at once that its Task timed out: the Task fails with that error
 * once its clock runs out (see timeoutDeadline), on the execution's clock, so the timed-out
 * event, the states after it and the execution's duration are as late as on AWS. A callback or
 * `.sync` Task submitted its work first (TaskSubmitted, as recorded). A stop of the execution or
 * the branch ends the wait, and the Task records nothing more.
 */
function ranOutOfTime(call: StateCall, inv: TaskInvocation, error: StatesError, started: number, heartbeatAt: number | undefined): Promise<never> {
  const { kind } = inv;
  if (kind.kind === 'service' && kind.pattern !== 'request-response') recordSubmitted(call, inv, defaultSubmission(kind, undefined));
  const rt = call.frame.rt;
  const clock = rt.clock;
  const deadline = timeoutDeadline(inv, started, heartbeatAt, error.error);
  const failure = lapsed(inv, error);
  const group = call.frame.group?.cancel;
  if (deadline <= clock.now()) return Promise.reject(failure);
  return new Promise<never>((_resolve, reject) => {
    const timer = new CancelSource();
    const offs: Array<() => void> = [];
    const stop = (): void => {
      timer.cancel();
      for (const off of offs) off();
      reject(new StatesError(InternalErrors.STOPPED, 'The execution or branch stopped'));
    };
    offs.push(rt.stopSignal.onCancel(stop));
    if (group !== undefined) offs.push(group.onCancel(stop));
    void clock.sleepUntil(deadline, timer).then(() => {
      for (const off of offs) off();
      reject(failure);
    });
  });
}

/** The reason every task's signal is aborted with (see Request.abort), made at its first use. */
let taskOver: DOMException | undefined;

/** What a handler is told; the Context Object and the abort signal are built only if read. */
class Request implements TaskRequest {
  // Declared, not defined, fields (see Call in engine.ts), set in the order they were defined in.
  declare private readonly call: StateCall;
  declare public readonly stateName: string;
  declare public readonly resource: string;
  declare public readonly input: JsonValue;
  declare public readonly taskToken: string | undefined;
  declare public readonly retryCount: number;
  declare private controller: AbortController | undefined;
  declare private readonly inv: TaskInvocation;
  /** The name recordWorkerName gave, for ActivityStarted. */
  declare public workerName: string | undefined;
  /** True once awaitActivityWorker was called: ActivityStarted waits for the worker. */
  declare public startDeferred: boolean;
  /** True once the worker awaited took the task (its ActivityStarted recorded). */
  declare public workerTook: boolean;
  /** Told when the worker awaited takes the task: its heartbeat clock starts then. */
  declare public onTaken: (() => void) | undefined;
  /** True once the task is over (answered, timed out, stopped): a worker can no longer take it. */
  declare private over: boolean;

  constructor(inv: TaskInvocation, call: StateCall) {
    this.call = call;
    this.stateName = inv.stateName;
    this.resource = inv.resourceArn;
    this.input = inv.payload;
    this.taskToken = inv.token;
    this.retryCount = call.retryCount;
    this.controller = undefined;
    this.inv = inv;
    this.workerName = undefined;
    this.startDeferred = false;
    this.workerTook = false;
    this.onTaken = undefined;
    this.over = false;
  }

  get timeoutSeconds(): number | undefined { return this.inv.timeoutSeconds; }
  get heartbeatSeconds(): number | undefined { return this.inv.heartbeatSeconds; }
  get context(): JsonValue { return this.call.context(); }
  get execution(): ExecutionControl { return this.call.frame.rt.control; }
  get signal(): AbortSignal { return (this.controller ??= new AbortController()).signal; }

  recordSubmission(answer: JsonValue): void {
    const { kind } = this.inv;
    if (kind.kind !== 'service' || kind.pattern === 'request-response') {
      throw new StatesError(StatesErrors.RUNTIME, `The task handler of state '${this.stateName}' called recordSubmission, but ${this.resource} is not a .sync or .waitForTaskToken integration: only those record TaskSubmitted.`);
    }
    const problem = describeNonJson(answer);
    if (problem !== undefined) throw new StatesError(StatesErrors.RUNTIME, `The task handler of state '${this.stateName}' passed recordSubmission a value that is not JSON: ${problem}.`);
    // The call's own answer, judged as every answer is (asl/answer-outcomes.ts): one AWS turns into the
    // Task's failure (an invoke's FunctionError, RunTask's Failures) fails the call, whoever records it.
    const failure = answerJudge(this.resource)?.(answer);
    if (failure) throw failure;
    if (submittedCalls.has(this.inv)) {
      throw new StatesError(StatesErrors.RUNTIME, `The task handler of state '${this.stateName}' called recordSubmission after the submission was recorded; call it once, before the task's result.`);
    }
    if (!isStopped(this.call.frame)) recordSubmitted(this.call, this.inv, answer);
  }

  reportTimedOut(error: StatesError): void {
    const token = this.taskToken;
    const pending = token !== undefined ? this.call.frame.rt.callbacks?.get(token) : undefined;
    // A task that ended meanwhile (a callback answered, a stop) has nothing left to time out.
    pending?.timedOut(error);
  }

  recordWorkerName(name: string): void {
    if (this.inv.kind.kind !== 'activity') {
      throw new StatesError(StatesErrors.RUNTIME, `The task handler of state '${this.stateName}' called recordWorkerName, but ${this.resource} is not an activity: only activities have workers.`);
    }
    // GetActivityTask's workerName: 1 to 80 characters.
    if (typeof name !== 'string' || name.length < 1 || name.length > AwsLimits.NAME_CHARS) {
      throw new StatesError(StatesErrors.RUNTIME, `The task handler of state '${this.stateName}' called recordWorkerName with ${JSON.stringify(name)}; a worker name is a string of 1 to ${AwsLimits.NAME_CHARS} characters, as GetActivityTask takes it.`);
    }
    this.workerName = name;
  }

  awaitActivityWorker(): (workerName: string | undefined) => void {
    if (this.inv.kind.kind !== 'activity') {
      throw new StatesError(StatesErrors.RUNTIME, `The task handler of state '${this.stateName}' called awaitActivityWorker, but ${this.resource} is not an activity: only activities have workers.`);
    }
    this.startDeferred = true;
    let taken = false;
    return (workerName) => {
      if (taken || this.over || isStopped(this.call.frame)) return;
      taken = true;
      if (workerName !== undefined) this.recordWorkerName(workerName);
      recordActivityStarted(this.call, this.inv, this, true);
      this.workerTook = true;
      this.onTaken?.();
    };
  }

  /** Aborts the signal, if the handler ever asked for it: the task is over. */
  abort(): void {
    this.over = true;
    // One reason for every task: abort() without one builds a DOMException (and its stack) per call,
    // which on a run of thousands of callback Tasks is most of the run's time.
    this.controller?.abort(taskOver ??= new DOMException('This operation was aborted', 'AbortError'));
  }
}

/** TimeoutSeconds / HeartbeatSeconds (or their Path forms): positive integers. @internal */
export function compileSeconds(
  value: number | string | undefined, pathSource: string | undefined, field: string,
): ((input: JsonValue, call: StateCall) => number) | undefined {
  return compileNumberField(value, pathSource, field, { kind: 'positive integer', acceptsNumericString: false, missingPathIsInvalid: true });
}
