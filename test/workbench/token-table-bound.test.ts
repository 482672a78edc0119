import { CLOSED_TOKENS_KEPT } from '../../src/interpreter/closed-tokens';
import { TaskTimedOutError, ValidationException } from '../../src/interpreter/execution-errors';
import type { ExecutionControl } from '../../src/interpreter/execution-types';
import { Workflow } from '../../src/testing/workflow';
import { TaskTokens } from '../../src/workbench/mocks/run-task-tokens';
import { manyCallbacks } from '../many-callbacks';

/*
 * The harness's table of the task tokens a run's executions issued (an `aws-sdk:sfn:sendTask*`
 * Task answers through it) keeps a token with its execution while its Task waits, then the token
 * alone, and only the last CLOSED_TOKENS_KEPT of those: its size does not grow with the callbacks
 * a run makes, nor does it hold the executions that ended (docs/limits.md, "Callbacks"). A late
 * answer is refused as before: TaskTimedOut for a closed token it remembers (child-sends-token.test.ts).
 */

/** An execution that holds every token it is sent, and says so. */
const holder = { sendTaskSuccess: jest.fn(), sendTaskFailure: jest.fn(), sendTaskHeartbeat: jest.fn() } as unknown as ExecutionControl;
const TOKEN = '00000000-0000-4000-8000-000000000000-1';

describe("the harness's table of a run's task tokens", () => {
  afterEach(() => jest.restoreAllMocks());

  it(`a run of 50,000 mocked callbacks leaves ${CLOSED_TOKENS_KEPT.toLocaleString('en-US')} closed tokens in it and none open`, async () => {
    const issued = jest.spyOn(TaskTokens.prototype, 'issued');
    const run = await Workflow.fromDefinition(manyCallbacks(50), { name: 'Many' }).run({}, {
      mocks: { Wait: { ok: 1 } }, limits: { maxHistoryEvents: 10_000_000 },
    });
    expect([run.status, issued.mock.calls.length]).toEqual(['SUCCEEDED', 50_000]);
    const table = issued.mock.contexts[0] as TaskTokens;
    expect(issued.mock.contexts.every((c) => c === table)).toBe(true);
    expect(table.size).toEqual({ open: 0, closed: CLOSED_TOKENS_KEPT });
  }, 120_000);

  it('sends an answer to the execution while its Task waits; once the Task ends, refuses it as closed, its values checked first', () => {
    const tokens = new TaskTokens();
    const waiting = new AbortController();
    tokens.issued(TOKEN, holder, waiting.signal);
    tokens.send({ operation: 'SendTaskSuccess', taskToken: TOKEN, output: '1' });
    expect(holder.sendTaskSuccess).toHaveBeenCalledWith(TOKEN, 1);
    waiting.abort();
    expect(tokens.size).toEqual({ open: 0, closed: 1 });
    expect(() => tokens.send({ operation: 'SendTaskSuccess', taskToken: TOKEN, output: JSON.stringify('x'.repeat(262_143)) })).toThrow(ValidationException);
    expect(() => tokens.send({ operation: 'SendTaskSuccess', taskToken: TOKEN, output: '2' })).toThrow(TaskTimedOutError);
    expect(() => tokens.send({ operation: 'SendTaskHeartbeat', taskToken: TOKEN })).toThrow(TaskTimedOutError);
    expect(() => tokens.send({ operation: 'SendTaskFailure', taskToken: TOKEN.replace(/1$/, '2') })).toThrow(expect.objectContaining({ name: 'TaskDoesNotExist' }));
  });
});
