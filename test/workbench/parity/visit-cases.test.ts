import type { JsonValue, StateMachineDefinition } from '../../../src/asl/definition-types';
import { Workflow } from '../../../src/testing/workflow';
import type { RunOptions } from '../../../src/testing/workflow';
import { delay, fail } from '../../../src/workbench/mocks/answers';
import { runsOfRecordings, visitRequests, type ParityRun } from '../../../src/workbench/parity';
import { recordingOfExecution } from '../../../src/workbench/parity/runs';

const lambda = 'arn:aws:states:::lambda:invoke';

async function runOf(definition: object, input: JsonValue, options: RunOptions = {}): Promise<ParityRun> {
  const wf = Workflow.fromDefinition(definition as StateMachineDefinition, { name: 'M' });
  const run = await wf.run(input, options);
  return runsOfRecordings([recordingOfExecution(wf.definition, run as never, 'M')])[0];
}

function read(run: ParityRun) {
  return visitRequests(run, { inspectionLevel: 'DEBUG', visitCounts: new Map() });
}

describe('the TestState requests a run stands for', () => {
  it('sends each attempt of a retried Task: the error with the count of its retrier\'s earlier retries, then the result', async () => {
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: lambda, Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 3 }, { ErrorEquals: ['Slow'], MaxAttempts: 3 }], Next: 'P' },
        P: { Type: 'Pass', End: true },
      },
    };
    const run = await runOf(def, { a: 1 }, { mocks: { T: [fail('Busy', 'b1'), fail('Slow', 's1'), fail('Busy', 'b2'), { ok: 1 }] } });
    const { requests, skipped } = read(run);
    expect(skipped).toEqual([]);
    const t = requests.filter((r) => r.site.state === 'T');
    expect(t.map((r) => [r.site.attempt, r.request.mock, r.request.stateConfiguration, r.facts])).toEqual([
      [1, { errorOutput: { error: 'Busy', cause: 'b1' } }, undefined, { status: 'RETRIABLE', error: 'Busy', cause: 'b1' }],
      [2, { errorOutput: { error: 'Slow', cause: 's1' } }, undefined, { status: 'RETRIABLE', error: 'Slow', cause: 's1' }],
      [3, { errorOutput: { error: 'Busy', cause: 'b2' } }, { retrierRetryCount: 1 }, { status: 'RETRIABLE', error: 'Busy', cause: 'b2' }],
      [4, { result: expect.objectContaining({ StatusCode: 200, Payload: { ok: 1 } }) }, undefined, { status: 'SUCCEEDED', output: t[3].request.mock!.result, nextState: 'P' }],
    ]);
    // The mock is what the Task's TaskSucceeded event holds: the whole lambda:invoke answer the harness made of the mock.
    expect(t[3].request.mock!.result).toEqual(JSON.parse(run.events.map((e) => e as { type: string; taskSucceededEventDetails?: { output: string } })
      .find((e) => e.type === 'TaskSucceeded')!.taskSucceededEventDetails!.output));
    expect(t.every((r) => r.request.input !== undefined && JSON.stringify(r.request.input) === '{"a":1}')).toBe(true);
  });

  it('sends a caught error with its outcome: CAUGHT_ERROR, the catcher\'s output and next state', async () => {
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: lambda, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handle' }], End: true },
        Handle: { Type: 'Pass', End: true },
      },
    };
    const run = await runOf(def, { a: 1 }, { mocks: { T: fail('Boom', 'it broke') } });
    const t = read(run).requests.find((r) => r.site.state === 'T')!;
    expect(t.facts).toEqual({ status: 'CAUGHT_ERROR', error: 'Boom', cause: 'it broke', nextState: 'Handle', output: { a: 1, error: { Error: 'Boom', Cause: 'it broke' } } });
  });

  it('sends an uncaught error as FAILED', async () => {
    const run = await runOf({ StartAt: 'T', States: { T: { Type: 'Task', Resource: lambda, End: true } } }, {}, { mocks: { T: fail('Boom', 'x') } });
    expect(read(run).requests.map((r) => r.facts)).toEqual([{ status: 'FAILED', error: 'Boom', cause: 'x' }]);
  });

  it('mocks a Map with its iterations\' outputs in item order, and a Parallel with its branches\' outputs in branch order', async () => {
    const def = {
      StartAt: 'M',
      States: {
        M: { Type: 'Map', ItemProcessor: { StartAt: 'Each', States: { Each: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } } }, Next: 'Par' },
        Par: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'B1', States: { B1: { Type: 'Pass', Result: 'one', Next: 'B1b' }, B1b: { Type: 'Pass', Result: 'one-b', End: true } } },
            { StartAt: 'B2', States: { B2: { Type: 'Pass', Result: 'two', End: true } } },
          ],
          End: true,
        },
      },
    };
    const run = await runOf(def, [3, 1, 2]);
    const { requests } = read(run);
    expect(requests.find((r) => r.site.state === 'M')!.request.mock).toEqual({ result: [{ v: 3 }, { v: 1 }, { v: 2 }] });
    expect(requests.find((r) => r.site.state === 'Par')!.request.mock).toEqual({ result: ['one-b', 'two'] });
    expect(requests.filter((r) => r.site.state === 'Each').map((r) => [r.site.visit, r.request.input])).toEqual([[1, 3], [2, 1], [3, 2]]);
  });

  it('mocks a Parallel that failed with the error of the Task inside it that raised it, naming that Task as errorCausedByState', async () => {
    const def = {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Ok', States: { Ok: { Type: 'Pass', End: true } } },
            { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: lambda, End: true } } },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'After' }],
          End: true,
        },
        After: { Type: 'Pass', End: true },
      },
    };
    const run = await runOf(def, {}, { mocks: { Call: fail('Lambda.ServiceException', 'down') } });
    const par = read(run).requests.find((r) => r.site.state === 'Par')!;
    expect(par.request.mock).toEqual({ errorOutput: { error: 'Lambda.ServiceException', cause: 'down' } });
    expect(par.request.stateConfiguration).toEqual({ errorCausedByState: 'Call' });
    expect(par.facts).toMatchObject({ status: 'CAUGHT_ERROR', error: 'Lambda.ServiceException', cause: 'down', nextState: 'After' });
  });

  it('sends a Task that failed in its own data flow with a placeholder mock, unchecked, and the error left to TestState', async () => {
    const def = {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: lambda, Parameters: { 'id.$': '$.missing' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true }, H: { Type: 'Pass', End: true } },
    };
    const run = await runOf(def, {}, { mocks: { T: { never: 'called' } } });
    const t = read(run).requests.find((r) => r.site.state === 'T')!;
    expect(t.request.mock).toEqual({ result: {}, fieldValidationMode: 'NONE' });
    // States.Runtime fails the execution: States.ALL does not catch it (Error handling in Step Functions, Developer Guide).
    expect(run.status).toBe('FAILED');
    expect(t.facts).toEqual({ status: 'FAILED', errorUnrecorded: true });
  });

  it('sends a Task whose call answered but whose ResultSelector failed with that answer, as FAILED', async () => {
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', ResultSelector: { 'id.$': '$.Nope' }, End: true } } };
    const run = await runOf(def, {}, { mocks: { T: { MessageId: 'm-1', MD5OfMessageBody: 'x' } } });
    expect(run.status).toBe('FAILED');
    expect(read(run).requests.map((r) => [r.request.mock, r.facts])).toEqual([[{ result: { MessageId: 'm-1', MD5OfMessageBody: 'x' } }, { status: 'FAILED', errorUnrecorded: true }]]);
  });

  it('sends the variables a visit sees, and the Context Object only to a state that reads it and takes a mock', async () => {
    const def = {
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { who: 'ann', n: 2 }, Next: 'T' },
        T: { Type: 'Task', Resource: lambda, Parameters: { FunctionName: 'f', Payload: { 'id.$': '$$.Execution.Id', 'who.$': '$who' } }, Next: 'Plain' },
        Plain: { Type: 'Task', Resource: lambda, Parameters: { FunctionName: 'f' }, End: true },
      },
    };
    const run = await runOf(def, { x: 1 }, { mocks: { T: { a: 1 }, Plain: { b: 2 } } });
    const { requests } = read(run);
    const t = requests.find((r) => r.site.state === 'T')!;
    expect(t.request.variables).toEqual({ who: 'ann', n: 2 });
    expect(t.request.context).toMatchObject({
      Execution: { Id: run.executionArn, Input: { x: 1 }, Name: run.name },
      StateMachine: { Name: 'M' },
      State: { Name: 'T', RetryCount: 0 },
    });
    expect(requests.find((r) => r.site.state === 'Plain')!.request.context).toBeUndefined();
    expect(requests.find((r) => r.site.state === 'Set')!.request.variables).toBeUndefined();
  });

  it('skips, with the reason, a state that reads the Context Object but takes no mock', async () => {
    const run = await runOf({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'name.$': '$$.Execution.Name' }, End: true } } }, {});
    const { requests, skipped } = read(run);
    expect(requests).toEqual([]);
    expect(skipped).toEqual([{
      site: { machine: 'M', state: 'P', visit: 1, attempt: 1, run: run.name },
      reason: 'it reads the Context Object, which TestState takes only with a mock, and a Pass state takes none',
    }]);
  });

  it('skips a visit the execution\'s timeout cut short', async () => {
    const def = { StartAt: 'T', TimeoutSeconds: 10, States: { T: { Type: 'Task', Resource: lambda, Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 60 }], End: true } } };
    const run = await runOf(def, {}, { mocks: { T: [fail('Busy', 'b'), delay(0, { ok: true })] } });
    expect(run.status).toBe('TIMED_OUT');
    const { requests, skipped } = read(run);
    expect(requests.map((r) => r.facts.status)).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual(['the execution ended TIMED_OUT before the state went on']);
  });

  it('skips a state that draws a random value or reads the clock, which TestState draws anew, and sends the states inside a Map', async () => {
    const def = {
      StartAt: 'Id',
      States: {
        Id: { Type: 'Pass', Parameters: { 'id.$': 'States.UUID()' }, Next: 'Now' },
        Now: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $now() %}', Next: 'M' },
        M: { Type: 'Map', ItemsPath: '$$.Execution.Input.xs', ItemProcessor: { StartAt: 'R', States: { R: { Type: 'Pass', Parameters: { 'r.$': 'States.MathRandom(1, 9)' }, End: true } } }, End: true },
      },
    };
    const run = await runOf(def, { xs: [1] });
    const { requests, skipped } = read(run);
    expect(skipped.map((s) => [s.site.state, s.reason])).toEqual([
      ['Id', 'it draws a random value or reads the clock (States.UUID), which TestState draws anew: no two runs of it answer alike'],
      ['Now', 'it draws a random value or reads the clock ($now), which TestState draws anew: no two runs of it answer alike'],
      ['R', 'it draws a random value or reads the clock (States.MathRandom), which TestState draws anew: no two runs of it answer alike'],
    ]);
    expect(requests.map((r) => r.site.state)).toEqual(['M']);
  });

  it('skips a Map with an ItemReader, a ResultWriter, or DISTRIBUTED iterations, saying what the history lacks', () => {
    const processor = (mode: string) => ({ ProcessorConfig: { Mode: mode, ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const maps = {
      Reader: { Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' } }, ItemProcessor: processor('DISTRIBUTED'), End: true },
      Writer: { Type: 'Map', ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } }, ItemProcessor: processor('DISTRIBUTED'), End: true },
      Distributed: { Type: 'Map', ItemProcessor: processor('DISTRIBUTED'), End: true },
    };
    const reasons = Object.entries(maps).map(([name, state]) => {
      const entered = { id: 2, previousEventId: 0, type: 'MapStateEntered', timestamp: '2024-01-01T00:00:00.000Z', stateEnteredEventDetails: { name, input: '[]' } };
      const run: ParityRun = {
        machine: 'M',
        definition: { StartAt: name, States: { [name]: state } } as unknown as StateMachineDefinition,
        name: 'r',
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:r',
        input: [],
        status: 'SUCCEEDED',
        events: [{ id: 1, previousEventId: 0, type: 'ExecutionStarted', executionStartedEventDetails: { input: '[]' } }, entered],
      };
      const { requests, skipped } = read(run);
      expect(requests).toEqual([]);
      return skipped.map((s) => s.reason);
    });
    expect(reasons).toEqual([
      ['a Map with an ItemReader is tested with the data it read (mapItemReaderData), which its history does not hold'],
      ["a Map with a ResultWriter is mocked with the writer's answer, which its history does not hold"],
      ["a DISTRIBUTED Map's iterations are child executions with histories of their own"],
    ]);
  });

  it('skips a Map that tolerates failures once an iteration failed, and still sends the states inside it', async () => {
    const def = {
      StartAt: 'M',
      States: {
        M: { Type: 'Map', ToleratedFailureCount: 0, ItemProcessor: { StartAt: 'Each', States: { Each: { Type: 'Task', Resource: lambda, End: true } } }, End: true },
      },
    };
    const run = await runOf(def, [1, 2], { mocks: { Each: [{ ok: 1 }, fail('Boom', 'x')] } });
    expect(run.status).toBe('FAILED');
    const { requests, skipped } = read(run);
    expect(skipped.map((s) => [s.site.state, s.reason])).toEqual([['M', 'a Map that tolerates failures had iterations that failed, and the history does not hold what they add to its result']]);
    expect(requests.map((r) => [r.site.state, r.facts.status]).sort()).toEqual([['Each', 'FAILED'], ['Each', 'SUCCEEDED']]);
  });

  it('skips a Wait that a failing sibling branch stopped, rather than sending it as failed', async () => {
    const def = {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 60, End: true } } },
            { StartAt: 'Boom', States: { Boom: { Type: 'Task', Resource: lambda, End: true } } },
          ],
          End: true,
        },
      },
    };
    const run = await runOf(def, {}, { mocks: { Boom: fail('Oops', 'o') } });
    expect(run.status).toBe('FAILED');
    const { requests, skipped } = read(run);
    expect(skipped.map((s) => [s.site.state, s.reason])).toEqual([['Hold', 'it was stopped (its branch or execution ended) before it went on']]);
    expect(requests.map((r) => [r.site.state, r.facts.status, r.request.stateConfiguration])).toEqual([
      ['Par', 'FAILED', { errorCausedByState: 'Boom' }], ['Boom', 'FAILED', undefined],
    ]);
  });

  it('numbers the visits of a state across the runs of its machine', async () => {
    const def = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    const counts = new Map<string, number>();
    const a = visitRequests(await runOf(def, 1), { inspectionLevel: 'INFO', visitCounts: counts });
    const b = visitRequests(await runOf(def, 2), { inspectionLevel: 'INFO', visitCounts: counts });
    expect([...a.requests, ...b.requests].map((r) => [r.site.visit, r.request.input, r.request.inspectionLevel])).toEqual([[1, 1, 'INFO'], [2, 2, 'INFO']]);
  });
});
