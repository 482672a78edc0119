/*
 * The task tokens of closed tasks a run remembers: an answer sent late to one of them is refused
 * as AWS refuses it, `TaskTimedOut` ("the task token has either expired or the task associated
 * with the token has already been closed", SendTaskSuccess in the API reference), and not as a
 * token never issued (`TaskDoesNotExist`). The execution handle keeps them for its own tasks and
 * for those of its DISTRIBUTED Map's children, the harness for every execution of one run
 * (workbench/mocks/run-task-tokens.ts). A token is remembered from the moment its task closes, and
 * only the last CLOSED_TOKENS_KEPT of them: a run of a million callbacks holds as many tokens as
 * one of ten thousand (docs/limits.md, "Callbacks").
 */
import { TaskTimedOutError } from './execution-errors';
import type { ExecutionControl } from './execution-types';
import { checkTaskOutput, taskFailureOf } from './start-checks';

/**
 * How many closed tasks' tokens a run remembers, the last closed first kept. stepwright's own
 * bound: AWS's tokens expire too, when is not documented. An answer to a token closed before the
 * last ones is refused as one no task holds (`TaskDoesNotExist`).
 * @internal
 */
export const CLOSED_TOKENS_KEPT = 10_000;

/** The tokens of the last tasks closed, at most `kept` of them. @internal */
export class ClosedTokens {
  private readonly set = new Set<string>();
  /** The tokens in the order their tasks closed, as a ring: `oldest` is the next one forgotten. */
  private readonly ring: string[] = [];
  private oldest = 0;

  constructor(private readonly kept: number = CLOSED_TOKENS_KEPT) {}

  /** A task has closed: its token is remembered, and the token closed longest ago is forgotten once `kept` are. */
  add(token: string): void {
    if (this.set.has(token)) return;
    this.set.add(token);
    if (this.ring.length < this.kept) {
      this.ring.push(token);
      return;
    }
    this.set.delete(this.ring[this.oldest]);
    this.ring[this.oldest] = token;
    this.oldest = (this.oldest + 1) % this.kept;
  }

  has(token: string): boolean {
    return this.set.has(token);
  }

  /** How many tokens are remembered. */
  get size(): number {
    return this.set.size;
  }
}

/**
 * What an execution answers for a token of one of its tasks that has closed: the answer's own
 * values are checked first, as for an open task (an output that is not JSON, or too long, is
 * refused as such), then the token is refused with TaskTimedOutError.
 * @internal
 */
export const CLOSED_TASK: Pick<ExecutionControl, 'sendTaskSuccess' | 'sendTaskFailure' | 'sendTaskHeartbeat'> = {
  sendTaskSuccess(taskToken, output) {
    checkTaskOutput(output);
    throw new TaskTimedOutError(taskToken);
  },
  sendTaskFailure(taskToken, error, cause) {
    taskFailureOf(error, cause);
    throw new TaskTimedOutError(taskToken);
  },
  sendTaskHeartbeat(taskToken) {
    throw new TaskTimedOutError(taskToken);
  },
};
