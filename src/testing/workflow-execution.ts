import type { JsonValue } from '../asl';
import type { ExecutionStatus, Execution } from '../interpreter';
import { VirtualClock, type Clock } from '../interpreter/clock';
import type { WorkflowRun } from '../workbench/workflow';

/**
 * A running execution started with {@link Workflow.start}: complete its
 * callbacks step by step. While a callback task waits for the test, virtual
 * time stands still; {@link WorkflowExecution.advanceTime} moves it (to reach
 * a timeout).
 */
export class WorkflowExecution {
  /** Resolves with the run when the execution ends. */
  public readonly result: Promise<WorkflowRun>;
  /** @internal */
  constructor(private readonly execution: Execution, result: Promise<WorkflowRun>, private readonly clock: Clock) {
    this.result = result;
  }

  /** ARN of the execution. */
  get executionArn(): string { return this.execution.executionArn; }

  /** The status now: RUNNING until the execution ends. */
  get status(): ExecutionStatus { return this.execution.status; }

  /**
   * Resolves with the task token when the state issues one (a
   * `.waitForTaskToken` Task or an activity); rejects when the execution ends
   * first. The same name as the interpreter's `Execution.waitForTaskToken`.
   * @example
   * const token = await execution.waitForTaskToken('Approve');
   * execution.sendTaskSuccess(token, { approved: true });
   */
  waitForTaskToken(stateName?: string): Promise<string> {
    const ended = this.result.then((run) => {
      throw new Error(`the execution ended ${run.status} before ${stateName ? `state '${stateName}'` : 'any state'} issued a task token; path: ${run.path.join(' → ')}`);
    });
    return Promise.race([this.execution.waitForTaskToken(stateName), ended]);
  }

  /** @deprecated use {@link WorkflowExecution.waitForTaskToken}, the interpreter's name for it */
  waitForTask(stateName?: string): Promise<string> {
    return this.waitForTaskToken(stateName);
  }

  /** Completes the callback task holding `token` with `output`. */
  sendTaskSuccess(token: string, output: JsonValue): void { this.execution.sendTaskSuccess(token, output); }
  /** Fails the callback task holding `token`. */
  sendTaskFailure(token: string, error?: string | null, cause?: string | null): void { this.execution.sendTaskFailure(token, error, cause); }
  /** Resets the HeartbeatSeconds timer of the task holding `token`. */
  sendTaskHeartbeat(token: string): void { this.execution.sendTaskHeartbeat(token); }
  /** Stops the execution: it ends ABORTED. */
  stop(error?: string, cause?: string): void { this.execution.stop(error, cause); }

  /**
   * Moves the virtual clock `seconds` forward. Each timer due on the way (a HeartbeatSeconds or
   * TimeoutSeconds, a Wait, a retry's back-off, the execution's own timeout) fires at its own
   * deadline, in order, and what it causes runs before time goes on: a callback Task with
   * `HeartbeatSeconds: 60` and `advanceTime(61)` times out at +60 s, as on AWS. Await it before
   * asserting on what the jump caused.
   * @returns resolves once the clock has reached the end of the jump
   * @throws Error when the run was given a clock that is not a VirtualClock
   * @throws TypeError when `seconds` is not a number >= 0 (NaN, negative): time only moves forward
   * @example
   * await execution.advanceTime(61);
   */
  advanceTime(seconds: number): Promise<void> {
    if (!(this.clock instanceof VirtualClock)) throw new Error('advanceTime needs the run to use a VirtualClock (the default)');
    if (typeof seconds !== 'number' || !(seconds >= 0)) {
      throw new TypeError(`advanceTime(seconds): seconds must be a number >= 0, got ${String(seconds)}; time only moves forward`);
    }
    return this.clock.advance(seconds * 1000);
  }
}
