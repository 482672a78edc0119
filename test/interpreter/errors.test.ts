import { failureOf, outputOf, single } from './helpers';
import { StatesError, StatesErrors } from '../../src/interpreter';

const R = 'arn:aws:states:::x:y';

describe('Error names the interpreter raises', () => {
  it('raises States.Runtime, not States.ParameterPathFailure, for a Parameters path that names nothing (as recorded on AWS)', async () => {
    expect((await failureOf(single({ Type: 'Pass', Parameters: { 'a.$': '$.nope' } }))).error).toBe(StatesErrors.RUNTIME);
  });

  it("fails a Parallel state with the branch's own error rather than States.BranchFailed (as recorded on AWS)", async () => {
    const f = await failureOf(single({ Type: 'Parallel', Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Own.Error' } } }] }));
    expect(f.error).toBe('Own.Error');
  });

  it('lets a catcher on States.TaskFailed handle any task error', async () => {
    const out = await outputOf({
      StartAt: 'S',
      States: { S: { Type: 'Task', Resource: R, Catch: [{ ErrorEquals: [StatesErrors.TASK_FAILED], Next: 'H' }], End: true }, H: { Type: 'Pass', End: true } },
    }, {}, { taskHandlers: { S: () => { throw new StatesError('Lambda.Unknown', 'x'); } } });
    expect(out).toEqual({ Error: 'Lambda.Unknown', Cause: 'x' });
  });

  it('raises States.ResultWriterFailed when the ResultWriter handler fails', async () => {
    const f = await failureOf(single({
      Type: 'Map',
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
    }), [1], { taskHandlers: { S: () => { throw new StatesError('S3.AccessDenied', 'denied'); } } });
    expect(f).toEqual({ error: 'States.ResultWriterFailed', cause: 'denied' });
  });

  it('names a thrown non-Error value "Error" with its JSON as cause', async () => {
    const f = await failureOf(single({ Type: 'Task', Resource: R }), {}, { taskHandlers: { S: () => { throw { code: 1 }; } } });
    expect(f).toEqual({ error: 'Error', cause: '{"code":1}' });
  });
});
