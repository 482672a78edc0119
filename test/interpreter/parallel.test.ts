import { clock, failureOf, outputOf, run, single, types } from './helpers';
import { StatesError } from '../../src/interpreter';

const R = 'arn:aws:states:::x:y';
const branch = (name: string, state: Record<string, unknown>) => ({ StartAt: name, States: { [name]: state.Type === 'Fail' ? state : { End: true, ...state } } });

describe('Parallel state', () => {
  it('outputs the branch outputs in branch order, whatever order they finish in', async () => {
    const c = clock();
    const out = await outputOf(single({
      Type: 'Parallel',
      Branches: [
        { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, Next: 'A' }, A: { Type: 'Pass', Result: 'slow', End: true } } },
        branch('B', { Type: 'Pass', Result: 'fast' }),
      ],
    }), {}, { clock: c });
    expect(out).toEqual(['slow', 'fast']);
  });

  it('gives every branch the same effective input (after InputPath and Parameters)', async () => {
    const out = await outputOf(single({
      Type: 'Parallel',
      InputPath: '$.in',
      Parameters: { 'v.$': '$.v' },
      Branches: [branch('A', { Type: 'Pass' }), branch('B', { Type: 'Pass', OutputPath: '$.v' })],
    }), { in: { v: 1 } });
    expect(out).toEqual([{ v: 1 }, 1]);
  });

  it('applies ResultSelector, ResultPath and OutputPath to the array of outputs', async () => {
    const out = await outputOf(single({
      Type: 'Parallel',
      ResultSelector: { 'first.$': '$[0]' },
      ResultPath: '$.r',
      Branches: [branch('A', { Type: 'Pass', Result: 1 }), branch('B', { Type: 'Pass', Result: 2 })],
    }), { keep: true });
    expect(out).toEqual({ keep: true, r: { first: 1 } });
  });

  it("fails with the failing branch's own error and cause", async () => {
    const f = await failureOf(single({
      Type: 'Parallel', Branches: [branch('A', { Type: 'Pass' }), branch('B', { Type: 'Fail', Error: 'Branch.Broke', Cause: 'why' })],
    }));
    expect(f).toEqual({ error: 'Branch.Broke', cause: 'why' });
  });

  it('stops the other branches when one fails, even one that is waiting', async () => {
    const c = clock();
    let reachedAfterWait = false;
    const r = await run(single({
      Type: 'Parallel',
      Branches: [
        { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, Next: 'T' }, T: { Type: 'Task', Resource: R, End: true } } },
        branch('F', { Type: 'Task', Resource: R }),
      ],
    }), {}, { clock: c, taskHandlers: { T: () => { reachedAfterWait = true; return 1; }, F: () => { throw new StatesError('Boom'); } } });
    expect(r.error).toBe('Boom');
    expect(reachedAfterWait).toBe(false);
    expect(r.path).not.toContain('T');
  });

  it('aborts the signal of a task still running in another branch when one fails', async () => {
    let signal: AbortSignal | undefined;
    await run(single({
      Type: 'Parallel',
      Branches: [
        branch('Slow', { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'token.$': '$$.Task.Token' } }),
        { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, Next: 'F' }, F: { Type: 'Fail', Error: 'Boom' } } },
      ],
    }), {}, { clock: clock(), taskHandlers: { Slow: (_i, req) => { signal = req.signal; return {}; } } });
    expect(signal!.aborted).toBe(true);
  });

  // AWS records ParallelStateSucceeded; LocalStack's snapshots drop it, but their event ids
  // keep its place (ParallelStateExited's id is one past its previousEventId + 1).
  it('records ParallelStateStarted before the branches and ParallelStateSucceeded after them', async () => {
    const r = await run(single({ Type: 'Parallel', Branches: [branch('A', { Type: 'Pass' })] }));
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'PassStateEntered', 'PassStateExited', 'ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('records ParallelStateFailed when a branch fails', async () => {
    const r = await run(single({ Type: 'Parallel', Branches: [branch('A', { Type: 'Fail', Error: 'E' })] }));
    expect(types(r.history)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'FailStateEntered', 'ParallelStateFailed', 'ExecutionFailed']);
  });

  it('records a failed Task that fails its branch as aborted, after TaskFailed and before ParallelStateFailed, as AWS does', async () => {
    const def = single({ Type: 'Parallel', Branches: [branch('T', { Type: 'Task', Resource: R })] });
    const r = await run(def, {}, { taskHandlers: { T: () => { throw new StatesError('Boom', 'it broke'); } } });
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskFailed',
      'TaskStateAborted', 'ParallelStateFailed', 'ExecutionFailed',
    ]);
    const ids = r.history.map((e) => [e.type, e.id, e.previousEventId]);
    const failed = ids.find(([t]) => t === 'TaskFailed')!;
    expect(ids.find(([t]) => t === 'TaskStateAborted')![2]).toBe(failed[1]);
  });

  // Recorded: callback/test_sqs_failure_in_wait_for_task_tok_no_error_field[SQS_PARALLEL_WAIT_FOR_TASK_TOKEN]
  // (TaskFailed 8, TaskStateAborted 9 after 8, ParallelStateFailed 10 after 8).
  it('links ParallelStateFailed to the TaskFailed that failed the branch, not to the abort recorded after it', async () => {
    const def = single({ Type: 'Parallel', Branches: [branch('T', { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' } })] });
    const r = await run(def, {}, { taskHandlers: { T: () => { throw new StatesError('Boom', 'it broke'); } } });
    const event = (type: string) => r.history.find((e) => e.type === type)!;
    expect(event('ParallelStateFailed').previousEventId).toBe(event('TaskFailed').id);
    expect(event('ExecutionFailed').previousEventId).toBe(event('ParallelStateFailed').id);
  });

  // No recording shows a Parallel of two branches or more where one fails (docs/fidelity.md, "Parallel
  // branches and Map iterations"): these pin what the interpreter does there, so that a change is deliberate.
  describe('where one branch fails before the others wait (not recorded on AWS: docs/fidelity.md)', () => {
    const L = 'arn:aws:states:::lambda:invoke';
    const later = { StartAt: 'C', States: { C: { Type: 'Pass', Next: 'T' }, T: { Type: 'Task', Resource: L, Parameters: { FunctionName: 'f' }, End: true } } };

    it('runs the branches in branch order, each until it waits: a first branch failing at once stops the later ones before they enter a state or call a Task', async () => {
      const calls: string[] = [];
      const r = await run(single({ Type: 'Parallel', Branches: [branch('X', { Type: 'Fail', Error: 'Boom' }), later] }), {}, {
        taskHandlers: { T: () => { calls.push('T'); return 1; } },
      });
      expect({ error: r.error, calls, path: r.path }).toEqual({ error: 'Boom', calls: [], path: ['S', 'X'] });
      expect(types(r.history)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'FailStateEntered', 'ParallelStateFailed', 'ExecutionFailed']);
    });

    it('enters a later branch and calls its Task when the branch before it waits first, whether or not it then fails', async () => {
      const calls: string[] = [];
      const waitsThenFails = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, Next: 'X' }, X: { Type: 'Fail', Error: 'Boom' } } };
      const r = await run(single({ Type: 'Parallel', Branches: [waitsThenFails, later] }), {}, {
        clock: clock(), taskHandlers: { T: () => { calls.push('T'); return 1; } },
      });
      expect({ error: r.error, calls, path: r.path }).toEqual({ error: 'Boom', calls: ['T'], path: ['S', 'W', 'C', 'T', 'X'] });
    });

    it('fails with the error of the branch that fails first in that order when two fail, though the later one fails in fewer states', async () => {
      const twoStates = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'X' }, X: { Type: 'Fail', Error: 'First' } } };
      const f = await failureOf(single({ Type: 'Parallel', Branches: [twoStates, branch('Y', { Type: 'Fail', Error: 'Second' })] }));
      expect(f.error).toBe('First');
    });
  });

  it('includes branch states in result.path', async () => {
    const r = await run(single({ Type: 'Parallel', Branches: [branch('A', { Type: 'Pass' }), branch('B', { Type: 'Pass' })] }));
    expect(r.path).toEqual(['S', 'A', 'B']);
  });
});
