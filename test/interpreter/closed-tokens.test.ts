import { compileStateMachine, TaskDoesNotExistError, TaskTimedOutError, ValidationException } from '../../src/interpreter';
import { CLOSED_TASK, CLOSED_TOKENS_KEPT, ClosedTokens } from '../../src/interpreter/closed-tokens';
import type { Execution } from '../../src/interpreter/state-machine';
import { manyCallbacks } from '../many-callbacks';

/*
 * An execution remembers the tokens of its closed tasks, so that a late answer is refused as
 * closed (TaskTimedOut, "the task token has either expired or the task associated with the token
 * has already been closed", SendTaskSuccess in the API reference) rather than as never issued; it
 * remembers only the last CLOSED_TOKENS_KEPT of them, so that its table does not grow with the
 * callbacks a run makes (docs/limits.md, "Callbacks").
 */

const CALLBACKS = 20_000;

describe('the closed task tokens an execution remembers', () => {
  it('keeps the last ones closed, up to its bound, and forgets the oldest', () => {
    const closed = new ClosedTokens(3);
    for (const t of ['a', 'b', 'c', 'b', 'd']) closed.add(t);
    expect([closed.has('a'), closed.has('b'), closed.has('c'), closed.has('d'), closed.size]).toEqual([false, true, true, true, 3]);
  });

  it(`a run of ${CALLBACKS.toLocaleString('en-US')} callbacks keeps ${CLOSED_TOKENS_KEPT.toLocaleString('en-US')} closed tokens and few untaken ones; a late answer is TaskTimedOut for the last closed, TaskDoesNotExist for one forgotten`, async () => {
    const tokens: string[] = [];
    const exec: Execution = compileStateMachine(manyCallbacks(CALLBACKS / 1000), {
      limits: { maxHistoryEvents: 10_000_000 },
      taskHandlers: {
        Wait: (_input, request) => {
          tokens.push(request.taskToken!);
          request.execution.sendTaskSuccess(request.taskToken!, null);
          return {};
        },
      },
    }).start({});
    const r = await exec.result;
    expect([r.status, tokens.length]).toEqual(['SUCCEEDED', CALLBACKS]);
    // No waitForTaskToken took them: the list of untaken tokens drops those of closed tasks.
    expect(exec.keptTokens.closed).toBe(CLOSED_TOKENS_KEPT);
    expect(exec.keptTokens.untaken).toBeLessThanOrEqual(64);
    expect(() => exec.sendTaskSuccess(tokens[CALLBACKS - 1], 1)).toThrow(TaskTimedOutError);
    expect(() => exec.sendTaskHeartbeat(tokens[CALLBACKS - CLOSED_TOKENS_KEPT])).toThrow(TaskTimedOutError);
    expect(() => exec.sendTaskSuccess(tokens[CALLBACKS - CLOSED_TOKENS_KEPT - 1], 1)).toThrow(TaskDoesNotExistError);
    expect(() => exec.sendTaskFailure(tokens[0], 'E')).toThrow(TaskDoesNotExistError);
  }, 120_000);

  it('a closed task refuses an answer whose own values AWS refuses first, as an open one does, then the token as TaskTimedOut', () => {
    expect(() => CLOSED_TASK.sendTaskSuccess('t-1', 'x'.repeat(262_143))).toThrow(ValidationException);
    expect(() => CLOSED_TASK.sendTaskFailure('t-1', 'x'.repeat(257))).toThrow('at most 256 characters');
    expect(() => CLOSED_TASK.sendTaskSuccess('t-1', 1)).toThrow(TaskTimedOutError);
    expect(() => CLOSED_TASK.sendTaskFailure('t-1', 'E', 'why')).toThrow("The task holding the task token 't-1' is already closed");
    expect(() => CLOSED_TASK.sendTaskHeartbeat('t-1')).toThrow(TaskTimedOutError);
  });
});
