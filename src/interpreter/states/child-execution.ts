/*
 * One child execution of a Map Run as an execution of its own: its ARN and name, the Context
 * Object its states read (`$$.Execution` and `$$.StateMachine` are the child's, not the
 * parent's), and, when someone asks for it (StartOptions.onChildExecution), its history from
 * ExecutionStarted to how it ended and its status.
 */
import type { JsonObject, JsonValue } from '../../asl';
import { nameBasedUuid } from '../../asl/map-run-label';
import { StatesErrors } from '../../asl/states-errors';
import type { ChildExecutionInfo, ExecutionStatus } from '../execution-types';
import type { HistoryRecorder } from '../history-recorder';
import { isoTime, type ExecutionRuntime, type Failure } from '../runtime';

/**
 * The name of child execution `index` of a Map Run: a name-based UUID of the Map Run and the
 * index, so that runs repeat exactly and the execution's own random draws are untouched.
 * @internal
 */
export function childExecutionName(mapRunArn: string, index: number): string {
  return nameBasedUuid(`${mapRunArn}#${index}`);
}

/**
 * A child execution's ARN: its state machine's (`…:stateMachine:<machine>/<label>`) with
 * `execution` for `stateMachine` and its name after it, as AWS names them
 * (`…:execution:<machine>/<label>:<name>` in the result files AWS writes).
 * @internal
 */
export function childExecutionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** What makes a child's runtime its own execution: the fields of its Context Object. @internal */
export interface ChildContext {
  readonly executionArn: string;
  readonly contextStateMachine: JsonObject;
  readonly executionContext: () => JsonObject;
}

/**
 * The Context Object fields of child execution `name` of a Map Run, as AWS gives each child its
 * own: `$$.Execution` (its ARN, its input, its name, when it started, the parent's role) and
 * `$$.StateMachine` (`<machine>/<label>`: the state machine the children run). A STANDARD child
 * has a RedriveCount, an EXPRESS one none (as an Express execution's Context Object).
 * @internal
 */
export function childContext(
  parent: ExecutionRuntime, stateMachineArn: string, name: string, input: JsonValue, startMs: number, express: boolean,
): ChildContext {
  const executionArn = childExecutionArn(stateMachineArn, name);
  const roleArn = parent.executionContext().RoleArn ?? null;
  let context: JsonObject | undefined;
  return {
    executionArn,
    contextStateMachine: { Id: stateMachineArn, Name: stateMachineArn.slice(stateMachineArn.indexOf(':stateMachine:') + ':stateMachine:'.length) },
    executionContext: () => {
      if (context === undefined) {
        // Fields in the order AWS gives an execution's `$$.Execution`. Not a draw a replay answers:
        // the child's start shows in no event of the parent's history it learns from.
        const startedAt = isoTime(startMs);
        context = express
          ? { Id: executionArn, Input: input, StartTime: startedAt, Name: name, RoleArn: roleArn }
          : { Id: executionArn, Input: input, StartTime: startedAt, Name: name, RoleArn: roleArn, RedriveCount: 0 };
      }
      return context;
    },
  };
}

/** A child execution as StartOptions.onChildExecution sees it. @internal */
export class ChildExecution implements ChildExecutionInfo {
  status: ExecutionStatus = 'RUNNING';
  stopDate: Date | undefined;
  output: JsonValue | undefined;
  error: string | undefined;
  cause: string | undefined;
  private listeners: Array<() => void> | undefined = [];
  /** What StopExecution gave, once this child is stopped by itself. */
  private stopped: { readonly error: string | undefined; readonly cause: string | undefined } | undefined;
  /** Set by the Map Run that runs it: stops its run. */
  stopRun: (() => void) | undefined;

  constructor(
    readonly executionArn: string,
    readonly name: string,
    readonly stateMachineArn: string,
    readonly mapRunArn: string,
    readonly input: JsonValue,
    readonly startDate: Date,
    readonly historyRecorder: HistoryRecorder,
  ) {}

  stop(error?: string, cause?: string): void {
    if (!this.listeners || this.stopped || !this.stopRun) return;
    this.stopped = { error: error || undefined, cause };
    this.stopRun();
  }

  /** True once stop() has been asked of this child: its run is ending by itself, its siblings go on. */
  get stoppedAlone(): boolean {
    return this.stopped !== undefined;
  }

  onEnd(listener: () => void): void {
    if (this.listeners) this.listeners.push(listener);
    else listener();
  }

  /**
   * The child has ended: with its output, its failure, or (neither) stopped. Records the closing
   * event of its history after event `lastEventId`, as the top level records its own; a stop
   * comes from outside and follows no event.
   */
  end(stopMs: number, lastEventId: number, outcome: { readonly output: JsonValue } | { readonly failure: Failure } | undefined): void {
    if (!this.listeners) return;
    const h = this.historyRecorder;
    if (outcome === undefined) {
      this.status = 'ABORTED';
      // Stopped by itself: with StopExecution's error and cause, as a top-level execution's stop records them.
      this.error = this.stopped?.error;
      this.cause = this.stopped?.cause;
      h.add('ExecutionAborted', 0, 'executionAbortedEventDetails', { error: this.error, cause: this.cause });
    } else if ('output' in outcome) {
      this.status = 'SUCCEEDED';
      this.output = outcome.output;
      h.add('ExecutionSucceeded', lastEventId, 'executionSucceededEventDetails', { output: outcome.output });
    } else if (outcome.failure instanceof ChildTimedOut) {
      // As a top-level execution's timeout is recorded: from the clock, linked to no earlier event,
      // States.Timeout named in the event only.
      this.status = 'TIMED_OUT';
      h.add('ExecutionTimedOut', 0, 'executionTimedOutEventDetails', { error: StatesErrors.TIMEOUT });
    } else {
      this.status = 'FAILED';
      if (outcome.failure.error !== '') this.error = outcome.failure.error;
      this.cause = outcome.failure.cause;
      h.add('ExecutionFailed', lastEventId, 'executionFailedEventDetails', { error: this.error, cause: this.cause });
    }
    this.stopDate = new Date(stopMs);
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const l of listeners) l();
  }
}

/**
 * A child that ran past its maximum duration: it ended TIMED_OUT, with no error of its own. A
 * Map Run counts it among the children that did not succeed ("the workflow fails if any one of
 * its child workflow executions fails or times out", Tolerated failure threshold page).
 * @internal
 */
export class ChildTimedOut implements Failure {
  readonly error = StatesErrors.TIMEOUT;
  constructor(readonly cause: string) {}
}
