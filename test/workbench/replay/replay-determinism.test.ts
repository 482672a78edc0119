import type { JsonObject, JsonValue, StateMachineDefinition } from '../../../src/asl/definition-types';
import { seededRandom } from '../../../src/asl/random';
import { compileStateMachine, VirtualClock, type CompileOptions, type ExecutionResult, type HistoryEvent } from '../../../src/interpreter';
import { HarnessClock } from '../../../src/workbench/mocks/dispatch';
import { replay, type Recording, type RecordedEvent } from '../../../src/workbench/replay';

/*
 * A recorded execution replays exactly even where its definition draws values that differ on
 * every run: each is taken from the recording (the state's recorded output, a Task's recorded
 * parameters, the recorded time of a state's entry), so that a divergence can only come from the
 * definition's own logic. And a replay compares every event of the history, not only the outcome.
 *
 * "AWS" here is an execution run with another seed and a clock on which the Tasks took time, as
 * they do on AWS: what it drew and when its states were entered differ from any local run's.
 */

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine';

/** Runs `definition` as AWS would have (seed 42; each Task takes `taskSeconds` of time) and records it. */
async function recorded(
  definition: StateMachineDefinition, input: JsonValue, answers: Record<string, JsonValue> = {}, taskSeconds = 30,
): Promise<Recording> {
  // A call that waits on the clock must not hold it still (as the harness's delay() does).
  const clock = new HarnessClock(new VirtualClock({ start: T0 }));
  const options: CompileOptions = {
    random: seededRandom(42),
    clock,
    defaultTaskHandler: (_i, request) => {
      clock.skipNextHold();
      return clock.sleepUntil(clock.now() + taskSeconds * 1000).then(() => answers[request.stateName] ?? {});
    },
  };
  const run = await compileStateMachine(definition, options).start(input, { name: 'rec-1' }).result;
  return recordingOf(definition, input, run);
}

function recordingOf(definition: StateMachineDefinition, input: JsonValue, run: ExecutionResult): Recording {
  return {
    format: 'stepwright-recording',
    version: 1,
    stateMachine: { arn: MACHINE, definition },
    execution: {
      arn: run.executionArn,
      status: run.status as Recording['execution']['status'],
      input,
      ...(run.output !== undefined ? { output: run.output } : {}),
      ...(run.error !== undefined ? { error: run.error } : {}),
      ...(run.cause !== undefined ? { cause: run.cause } : {}),
      startDate: run.startDate.toISOString(),
    },
    events: JSON.parse(JSON.stringify(run.history)) as RecordedEvent[],
  };
}

const exitOf = (h: readonly HistoryEvent[] | readonly RecordedEvent[], name: string): JsonValue =>
  JSON.parse(((h as RecordedEvent[]).find((e) => e.type.endsWith('StateExited') && (e.stateExitedEventDetails as { name: string }).name === name)!
    .stateExitedEventDetails as { output: string }).output) as JsonValue;

describe('replay takes the values that differ on every run from the recording', () => {
  it('replays States.MathRandom, seeded and unseeded, and what the definition built from them, exactly', async () => {
    const definition = {
      StartAt: 'Draw',
      States: {
        Draw: { Type: 'Pass', Parameters: { 'n.$': 'States.MathRandom(1, 1000000)', 's.$': 'States.MathRandom(1, 1000000, 7)' }, Next: 'Use' },
        Use: { Type: 'Pass', Parameters: { 'label.$': "States.Format('n={} s={}', $.n, $.s)", 'n.$': '$.n' }, End: true },
      },
    } as StateMachineDefinition;
    const rec = await recorded(definition, {});
    const result = await replay(rec);
    expect(result.describe()).toMatch(/equals the recording/);
    expect(result.run.output).toEqual(rec.execution.output);
    expect(exitOf(result.run.history, 'Draw')).toEqual(exitOf(rec.events, 'Draw'));
  });

  it('replays JSONata $random(), $uuid(), $now() and $millis() with the values AWS drew, also where they were assigned', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Work',
      States: {
        Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'f' }, Next: 'Draw' },
        Draw: {
          Type: 'Pass',
          Assign: { picked: '{% $random() %}' },
          Output: { r: '{% $random() %}', u: '{% $uuid() %}', t: '{% $now() %}', m: '{% $millis() %}', id: "{% 'id-' & $uuid() %}" },
          Next: 'Use',
        },
        Use: { Type: 'Pass', Output: { picked: '{% $picked %}', at: '{% $states.input.t %}' }, End: true },
      },
    } as unknown as StateMachineDefinition;
    const rec = await recorded(definition, {});
    const result = await replay(rec);
    expect(result.describe()).toMatch(/equals the recording/);
    const aws = exitOf(rec.events, 'Draw') as JsonObject;
    expect(exitOf(result.run.history, 'Draw')).toEqual(aws);
    // The time AWS read, 30 s after the start (the Task took that long there), not the local clock's.
    expect(aws.t).toBe(new Date(T0 + 30_000).toISOString());
    expect(result.run.output).toEqual(rec.execution.output);
  });

  it('decides a Choice on $$.State.EnteredTime as AWS did: the state was entered when AWS recorded it', async () => {
    const definition = {
      StartAt: 'Work',
      States: {
        Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, ResultPath: null, Next: 'Check' },
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$$.State.EnteredTime', TimestampGreaterThanPath: '$.deadline', Next: 'Late' }],
          Default: 'OnTime',
        },
        Late: { Type: 'Pass', Result: 'late', End: true },
        OnTime: { Type: 'Pass', Result: 'on time', End: true },
      },
    } as StateMachineDefinition;
    // On AWS the Task took 30 s, past the deadline 10 s after the start; locally it answers at once.
    const rec = await recorded(definition, { deadline: new Date(T0 + 10_000).toISOString() });
    expect(rec.execution.output).toBe('late');
    const result = await replay(rec);
    expect(result.describe()).toMatch(/equals the recording/);
    expect(result.run.path).toEqual(['Work', 'Check', 'Late']);
  });

  it('sends the task token AWS issued, in the Task\'s recorded parameters', async () => {
    const definition = {
      StartAt: 'Ask',
      States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true } },
    } as StateMachineDefinition;
    const clock = new VirtualClock({ start: T0 });
    const run = await compileStateMachine(definition, {
      random: seededRandom(42),
      clock,
      defaultTaskHandler: (_i, req) => {
        req.recordSubmission({ MessageId: 'm-1', MD5OfMessageBody: 'abc' });
        queueMicrotask(() => req.execution.sendTaskSuccess(req.taskToken!, { approved: true }));
        return {};
      },
    }).start({}, { name: 'rec-1' }).result;
    const rec = recordingOf(definition, {}, run);
    const result = await replay(rec);
    expect(result.describe()).toMatch(/equals the recording/);
    const params = (h: readonly unknown[]) => JSON.parse(((h as RecordedEvent[]).find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails as { parameters: string }).parameters) as JsonValue;
    expect(params(result.run.history)).toEqual(params(rec.events));
    // What SQS answered on AWS is replayed from the recording too.
    expect(result.run.history.find((e) => e.type === 'TaskSubmitted')!.taskSubmittedEventDetails).toMatchObject({ output: '{"MessageId":"m-1","MD5OfMessageBody":"abc"}' });
  });

  it('still reports where the definition\'s own logic differs, in a state that also draws', async () => {
    const definition = {
      StartAt: 'Draw',
      States: { Draw: { Type: 'Pass', Parameters: { 'n.$': 'States.MathRandom(1, 1000000)', 'k.$': 'States.MathAdd($.base, 1)' }, End: true } },
    } as StateMachineDefinition;
    const rec = await recorded(definition, { base: 1 });
    const changed = { StartAt: 'Draw', States: { Draw: { Type: 'Pass', Parameters: { 'n.$': 'States.MathRandom(1, 1000000)', 'k.$': 'States.MathAdd($.base, 2)' }, End: true } } };
    const result = await replay(rec, { definition: changed as StateMachineDefinition });
    expect(result.equal).toBe(false);
    expect(result.divergence).toMatchObject({ kind: 'output', path: '$.k' });
    expect(result.divergence!.message).toMatch(/AWS: {3}2\n {2}local: 3/);
  });
});

describe('replay compares every event of the history', () => {
  const definition = {
    StartAt: 'Send',
    States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$.body' }, ResultPath: '$.sent', End: true } },
  } as StateMachineDefinition;
  const base = () => recorded(definition, { body: 'hello' }, { Send: { MessageId: 'm-1' } });
  const edit = (rec: Recording, id: number, fn: (e: RecordedEvent) => RecordedEvent): Recording =>
    ({ ...rec, events: rec.events.map((e) => (e.id === id ? fn(e) : e)) });

  it('equals a recording it matches event by event', async () => {
    expect((await replay(await base())).equal).toBe(true);
  });

  it('reports a details field that differs, with the event, the path and both values', async () => {
    const rec = await base();
    const scheduled = rec.events.find((e) => e.type === 'TaskScheduled')!;
    const changed = edit(rec, scheduled.id as number, (e) => ({ ...e, taskScheduledEventDetails: { ...(e.taskScheduledEventDetails as object), region: 'eu-west-1' } }));
    const result = await replay(changed);
    expect(result.divergence).toMatchObject({ kind: 'event', path: '$.taskScheduledEventDetails.region' });
    expect(result.divergence!.message).toBe('event 3 (TaskScheduled) differs at $.taskScheduledEventDetails.region:\n  AWS:   "eu-west-1"\n  local: "us-east-1"');
  });

  it('reports an event linked to another event than the local one', async () => {
    const rec = await base();
    const changed = edit(rec, 4, (e) => ({ ...e, previousEventId: 2 }));
    const result = await replay(changed);
    expect(result.divergence?.kind).toBe('event');
    expect(result.divergence!.message).toBe("event 4 (TaskStarted) follows another event:\n  AWS:   TaskStateEntered of state 'Send'\n  local: TaskScheduled");
  });

  it('reports an event AWS recorded that the local run did not', async () => {
    const rec = await base();
    const events = [...rec.events];
    events.splice(4, 0, { ...events[3], type: 'TaskSubmitted', taskSubmittedEventDetails: { resourceType: 'sqs', resource: 'sendMessage' } });
    const shifted = (prev: unknown) => ((prev as number) >= 4 ? (prev as number) + 1 : prev);
    const renumbered = events.map((e, i) => ({ ...e, id: i + 1, previousEventId: i === 0 ? 0 : shifted(e.previousEventId) }));
    const result = await replay({ ...rec, events: renumbered });
    expect(result.divergence?.kind).toBe('event');
    expect(result.divergence!.message).toBe('event 5 differs: AWS recorded TaskSubmitted, which the local run did not (it went on with TaskSucceeded)');
  });

  it('accepts concurrent Map iterations that AWS recorded in another interleaving: AWS does not fix their order', async () => {
    // As LocalStack's timeouts/test_service_lambda_map_timeout recorded: four calls timing out at
    // once, recorded in the order 0, 2, 1, 3.
    const map = {
      StartAt: 'MapWait',
      States: {
        MapWait: {
          Type: 'Map',
          ItemsPath: '$.Inputs',
          ItemProcessor: { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 5, Parameters: { FunctionName: 'f' }, End: true } } },
          End: true,
        },
      },
    } as StateMachineDefinition;
    const clock = new VirtualClock({ start: T0, holdTimeoutMs: 50 });
    const run = await compileStateMachine(map, { clock, defaultTaskHandler: () => new Promise(() => undefined) }).start({ Inputs: [1, 2, 3, 4] }, { name: 'rec-1' }).result;
    const rec = recordingOf(map, { Inputs: [1, 2, 3, 4] }, run);
    // Swap the timeouts of iterations 1 and 2 (events 21 and 22), as AWS recorded them.
    const swapped = rec.events.map((e) => {
      if (e.id === 21) return { ...rec.events[21], id: 21 };
      if (e.id === 22) return { ...rec.events[20], id: 22 };
      return e;
    });
    const result = await replay({ ...rec, events: swapped });
    expect(result.describe()).toMatch(/equals the recording/);
    // A change inside one iteration is still found.
    const broken = swapped.map((e) => (e.id === 11 ? { ...e, taskScheduledEventDetails: { ...(e.taskScheduledEventDetails as object), parameters: '{"FunctionName":"g"}' } } : e));
    expect((await replay({ ...rec, events: broken })).divergence).toMatchObject({ kind: 'event', path: '$.taskScheduledEventDetails.parameters.FunctionName' });
  });

  it('compares only the outcome, the output and the states when asked to (compareEvents: false)', async () => {
    const rec = await base();
    const scheduled = rec.events.find((e) => e.type === 'TaskScheduled')!;
    const changed = edit(rec, scheduled.id as number, (e) => ({ ...e, taskScheduledEventDetails: { ...(e.taskScheduledEventDetails as object), region: 'eu-west-1' } }));
    expect((await replay(changed, { compareEvents: false })).equal).toBe(true);
  });

  it('replays an activity a worker failed with no error name as failing with none, as AWS recorded it', async () => {
    const activity = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:a', End: true } } } as StateMachineDefinition;
    const run = await compileStateMachine(activity, {
      defaultTaskHandler: (_i, req) => { queueMicrotask(() => req.execution.sendTaskFailure(req.taskToken!, null, 'gave up')); return undefined as unknown as JsonValue; },
    }).start({}, { name: 'rec-1' }).result;
    expect([run.status, run.error, run.cause]).toEqual(['FAILED', undefined, 'gave up']);
    const result = await replay(recordingOf(activity, {}, run));
    expect(result.describe()).toMatch(/equals the recording/);
    expect(result.run.error).toBeUndefined();
  });

  it('replays the worker name AWS recorded for an activity', async () => {
    const activity = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:a', End: true } } } as StateMachineDefinition;
    const run = await compileStateMachine(activity, { defaultTaskHandler: (i, req) => { req.recordWorkerName('worker-7'); return i; } }).start({ v: 1 }, { name: 'rec-1' }).result;
    const result = await replay(recordingOf(activity, { v: 1 }, run));
    expect(result.describe()).toMatch(/equals the recording/);
    expect(result.run.history.find((e) => e.type === 'ActivityStarted')!.activityStartedEventDetails).toEqual({ workerName: 'worker-7' });
  });
});
