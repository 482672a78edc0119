import type { JsonObject, StateMachineDefinition } from '../../src/asl/definition-types';
import { StatesErrors } from '../../src/asl/states-errors';
import { Workflow } from '../../src/testing/workflow';
import { delay, rawResult, succeed } from '../../src/workbench/mocks/answers';

/*
 * An answer AWS turns into the Task's failure (src/asl/integrations.ts) fails it wherever the Task
 * stands and however the run goes on from there: in a JSONata state (whose Output never sees the
 * answer), under a ResultSelector, in a Map's iteration, after a Retry, given after a delay, and in
 * a child execution a `.sync` Task inside a Distributed Map waits for. A run AWS would fail is never
 * green here.
 */

const CHECKS = { requestChecks: 'warn', mockValidation: 'NONE' } as const;
const FUNCTION_ERROR = { StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST', Payload: { errorType: 'Card.Declined', errorMessage: 'expired' } };
const FAILED_ENTRY = { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' }] };
const SENT = { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] };
const PUT = { Entries: [{ Source: 'shop', DetailType: 'OrderPlaced', Detail: {} }] };

const one = (state: JsonObject, top: JsonObject = {}): Workflow =>
  Workflow.fromDefinition({ ...top, StartAt: 'Call', States: { Call: { ...state, End: true } } } as unknown as StateMachineDefinition);

describe('an answer AWS fails fails its Task wherever the Task stands', () => {
  it('in a JSONata Task, before its Output reads $states.result', async () => {
    const wf = one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'charge', Payload: {} }, Output: '{% $states.result.Payload %}' },
      { QueryLanguage: 'JSONata' });
    const run = await wf.run({}, { ...CHECKS, mocks: { Call: rawResult(FUNCTION_ERROR) } });
    expect([run.status, run.error, run.cause]).toEqual(['FAILED', 'Card.Declined', JSON.stringify(FUNCTION_ERROR.Payload)]);
  });

  it('in a JSONata .sync Task whose job ended FAILED', async () => {
    const wf = one({ Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', Arguments: { JobName: 'etl' }, Output: '{% $states.result %}' },
      { QueryLanguage: 'JSONata' });
    const run = await wf.run({}, { ...CHECKS, mocks: { Call: { JobRunState: 'FAILED' } } });
    expect([run.status, run.error]).toEqual(['FAILED', StatesErrors.TASK_FAILED]);
  });

  it('under a ResultSelector, which never sees the answer', async () => {
    const wf = one({ Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: PUT, ResultSelector: { 'count.$': '$.FailedEntryCount' } });
    const run = await wf.run({}, { ...CHECKS, mocks: { Call: FAILED_ENTRY } });
    expect([run.status, run.error]).toEqual(['FAILED', 'EventBridge.FailedEntry']);
  });

  it('in the one iteration of an inline Map that gets it, failing the Map', async () => {
    const wf = one({
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'Announce', States: { Announce: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: PUT, End: true } } },
    });
    const run = await wf.run({ items: [1, 2, 3] }, { ...CHECKS, mocks: { Announce: [succeed(SENT), succeed(FAILED_ENTRY), succeed(SENT)] } });
    expect([run.status, run.error]).toEqual(['FAILED', 'EventBridge.FailedEntry']);
  });

  it('on the attempt a Retry makes: retried when the first fails, failing the run when the last does', async () => {
    const wf = one({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'charge', Payload: {} },
      Retry: [{ ErrorEquals: ['Card.Declined'], MaxAttempts: 1, IntervalSeconds: 1 }],
    });
    const recovered = await wf.run({}, { ...CHECKS, mocks: { Call: [rawResult(FUNCTION_ERROR), succeed({ charged: true })] } });
    expect([recovered.status, recovered.output]).toEqual(['SUCCEEDED', expect.objectContaining({ Payload: { charged: true } })]);
    expect(recovered.history.filter((e) => e.type === 'TaskFailed')).toHaveLength(1);
    const exhausted = await wf.run({}, { ...CHECKS, mocks: { Call: [rawResult(FUNCTION_ERROR), rawResult(FUNCTION_ERROR)] } });
    expect([exhausted.status, exhausted.error]).toEqual(['FAILED', 'Card.Declined']);
  });

  it('given after a delay', async () => {
    const wf = one({ Type: 'Task', Resource: 'arn:aws:states:::batch:submitJob.sync', Parameters: { JobName: 'j', JobQueue: 'q', JobDefinition: 'd' } });
    const run = await wf.run({}, { ...CHECKS, mocks: { Call: delay(60, succeed({ Status: 'FAILED' })) } });
    expect([run.status, run.error]).toEqual(['FAILED', StatesErrors.TASK_FAILED]);
  });

  it.each(['.sync', '.sync:2'])('in a child execution that a %s Task of a Distributed Map waits for: the child FAILED, the Task and the Map fail', async (suffix) => {
    const child = Workflow.fromDefinition({
      StartAt: 'Announce', States: { Announce: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: PUT, End: true } },
    } as StateMachineDefinition, { name: 'Child' });
    const wf = one({
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Start child',
        States: {
          'Start child': {
            Type: 'Task',
            Resource: `arn:aws:states:::states:startExecution${suffix}`,
            Parameters: { 'StateMachineArn': 'arn:aws:states:us-east-1:123456789012:stateMachine:Child', 'Input.$': '$' },
            End: true,
          },
        },
      },
    });
    const run = await wf.run({ items: [1] }, { ...CHECKS, workflows: [{ workflow: child, mocks: { Announce: FAILED_ENTRY } }] });
    expect(run.status).toBe('FAILED');
    expect(JSON.parse(run.cause!)).toMatchObject({ Status: 'FAILED', Error: 'EventBridge.FailedEntry' });
  });
});
