import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { traceExecution } from '../../src/explore/trace';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';

describe('traceExecution', () => {
  // The interpreter retries a state's data error like any other (engine.ts, settle), though no event shows the attempt.
  const retried = (fields: object) => ({
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Next: 'Done',
        Retry: [{ ErrorEquals: ['Custom'], MaxAttempts: 1 }, { ErrorEquals: ['States.IntrinsicFailure'], MaxAttempts: 1 }],
        ...fields,
      },
      Done: { Type: 'Succeed' },
    },
  }) as unknown as StateMachineDefinition;

  it("counts no retrier of a Parameters' failed intrinsic: AWS reports it as States.Runtime, which no Retry takes", async () => {
    const definition = retried({ Parameters: { 'FunctionName': 'f', 'Payload.$': 'States.Base64Decode($.data)' } });
    const run = await Workflow.fromDefinition(definition).run({ data: 0 }, { mocks: mocksFromJson({ Call: { Return: {} } }, 'test') });
    expect(run.error).toBe('States.Runtime');
    expect(run.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
    expect([...traceExecution(definition, run.history).retriers]).toEqual([]);
  });

  it("counts the retrier of a JSONata Arguments' data error, which fails every attempt before the call", async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'f', Payload: { n: '{% $number($states.input.data) %}' } },
          Retry: [{ ErrorEquals: ['Custom'], MaxAttempts: 1 }, { ErrorEquals: ['States.QueryEvaluationError'], MaxAttempts: 1 }],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const run = await Workflow.fromDefinition(definition).run({ data: 'abc' }, { mocks: mocksFromJson({ Call: { Return: {} } }, 'test') });
    expect(run.error).toBe('States.QueryEvaluationError');
    expect([...traceExecution(definition, run.history).retriers]).toEqual([['Call#1', 1]]);
    // With MaxAttempts 0 the retrier never retries.
    const never = { ...definition, States: { ...definition.States, Call: { ...definition.States.Call, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }] } } } as StateMachineDefinition;
    const once = await Workflow.fromDefinition(never).run({ data: 'abc' }, { mocks: mocksFromJson({ Call: { Return: {} } }, 'test') });
    expect([...traceExecution(never, once.history).retriers]).toEqual([]);
  });

  it("counts no retrier of a ResultSelector's failed intrinsic: the run fails at the first answer it refuses", async () => {
    const definition = retried({ Parameters: { FunctionName: 'f' }, ResultSelector: { 'n.$': 'States.MathAdd($.Payload.count, 1)' } });
    const run = await Workflow.fromDefinition(definition).run({}, { mocks: mocksFromJson({ Call: [{ Return: { count: 'text' } }, { Return: { count: 1 } }] }, 'test') });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Runtime');
    expect([...traceExecution(definition, run.history).retriers]).toEqual([]);
  });

  it('counts the Catch a JSONata Task takes on the States.QueryEvaluationError of its Arguments or Assign, which AWS records chained to the event before the state', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Load',
      States: {
        Load: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'load', Payload: { id: '{% $states.input.id %}' } },
          Assign: { name: '{% $states.result.Payload.name %}' },
          // The Catch goes where Next goes: only the error tells them apart.
          Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'After' }],
          Next: 'After',
        },
        After: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const wf = Workflow.fromDefinition(definition);
    const noId = await wf.run({}, { mocks: mocksFromJson({ Load: { Return: { name: 'x' } } }, 'test') });
    expect(noId.history.find((e) => e.type === 'EvaluationFailed')?.previousEventId).toBe(0);
    expect([...traceExecution(definition, noId.history).catches]).toEqual([['Load#0', 1]]);
    const noName = await wf.run({ id: 'a' }, { mocks: mocksFromJson({ Load: { Return: {} } }, 'test') });
    expect([...traceExecution(definition, noName.history).catches]).toEqual([['Load#0', 1]]);
    const named = await wf.run({ id: 'a' }, { mocks: mocksFromJson({ Load: { Return: { name: 'x' } } }, 'test') });
    expect([...traceExecution(definition, named.history).catches]).toEqual([]);
  });

  it('counts the Catch of a failure-tolerating DISTRIBUTED Map whose ItemReader failed, by the error its MapRunFailed names', async () => {
    const definition = {
      StartAt: 'Files',
      States: {
        Files: {
          Type: 'Map',
          ToleratedFailurePercentage: 100,
          ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Handle', States: { Handle: { Type: 'Pass', End: true } } },
          // The Catch goes where Next goes: only the error tells them apart.
          Catch: [{ ErrorEquals: ['States.ItemReaderFailed'], Next: 'After' }],
          Next: 'After',
        },
        After: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const wf = Workflow.fromDefinition(definition);
    const failed = await wf.run({}, { mocks: mocksFromJson({ Files: { Throw: { Error: 'States.Permissions' } } }, 'test') });
    expect(failed.status).toBe('SUCCEEDED');
    expect([...traceExecution(definition, failed.history).catches]).toEqual([['Files#0', 1]]);
    const read = await wf.run({}, { mocks: mocksFromJson({ Files: { Return: [] } }, 'test') });
    expect([...traceExecution(definition, read.history).catches]).toEqual([]);
  });

  it.each([
    ['its Error', { Type: 'Fail', Error: 'Quorum.Met' }],
    ['what its ErrorPath finds', { Type: 'Fail', ErrorPath: '$.why' }],
  ])('counts the Catch of a Parallel that a Fail state in a branch failed, by %s, when the Catch goes where Next goes', async (_how, fail) => {
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Next: 'After',
          Catch: [{ ErrorEquals: ['Other'], Next: 'After' }, { ErrorEquals: ['Quorum.Met'], Next: 'After' }],
          Branches: [{ StartAt: 'Met', States: { Met: fail } }],
        },
        After: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const run = await Workflow.fromDefinition(definition).run({ why: 'Quorum.Met' });
    expect(run.status).toBe('SUCCEEDED');
    expect([...traceExecution(definition, run.history).catches]).toEqual([['Both#1', 1]]);
  });

  it('counts the Catch of a Parallel by the error of the branch that failed it, when the failure event follows a stopped sibling\'s abort', async () => {
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Next: 'After',
          Catch: [{ ErrorEquals: ['Quorum.Met'], Next: 'After' }],
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 60, End: true } } },
            { StartAt: 'Count', States: { Count: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 't', Key: {} }, End: true } } },
          ],
        },
        After: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    // DynamoDB never raises Quorum.Met: the made-up error is only there to be caught.
    const run = await Workflow.fromDefinition(definition).run({}, { mocks: mocksFromJson({ Count: { Throw: { Error: 'Quorum.Met' } } }, 'test'), mockValidation: 'NONE' });
    expect(run.history.map((e) => e.type)).toContain('WaitStateAborted');
    expect([...traceExecution(definition, run.history).catches]).toEqual([['Both#0', 1]]);
  });
});
