import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, single } from './helpers';
import { StatesError } from '../../src/asl/states-errors';
import type { HistoryEvent, StateMachineDefinition } from '../../src/interpreter';

/*
 * History as AWS records it, each behaviour read off the GetExecutionHistory
 * recordings in ../shared/conformance (cited by test) and the API reference's
 * HistoryEvent (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html).
 */

const types = (h: readonly HistoryEvent[]) => h.map((e) => e.type);
const byType = (h: readonly HistoryEvent[], type: string) => h.filter((e) => e.type === type);
const one = (h: readonly HistoryEvent[], type: string) => {
  const found = byType(h, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, got ${found.length}: ${types(h).join(' ')}`);
  return found[0];
};
const failItem = { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E', Cause: 'C' } } };

describe('history of Map and Parallel failures (recorded: scenarios/test_map_state_retry, test_parallel_state_retry, test_map_state_catch)', () => {
  it('records MapStateFailed once, after the last attempt, not before each retry', async () => {
    const r = await run(single({ Type: 'Map', ItemProcessor: failItem, Retry: [{ ErrorEquals: ['E'], MaxAttempts: 2, IntervalSeconds: 1 }] }), [1]);
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'MapStateEntered',
      'MapStateStarted', 'MapIterationStarted', 'FailStateEntered', 'MapIterationFailed',
      'MapStateStarted', 'MapIterationStarted', 'FailStateEntered', 'MapIterationFailed',
      'MapStateStarted', 'MapIterationStarted', 'FailStateEntered', 'MapIterationFailed',
      'MapStateFailed', 'ExecutionFailed',
    ]);
  });

  it('records ParallelStateFailed once, after the last attempt', async () => {
    const r = await run(single({ Type: 'Parallel', Branches: [failItem], Retry: [{ ErrorEquals: ['E'], MaxAttempts: 1 }] }));
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'FailStateEntered', 'ParallelStateStarted', 'FailStateEntered', 'ParallelStateFailed', 'ExecutionFailed',
    ]);
  });

  it('records MapStateFailed before the caught Map exits', async () => {
    const r = await run({
      StartAt: 'M',
      States: { M: { Type: 'Map', ItemProcessor: failItem, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }], Next: 'Done' }, Done: { Type: 'Succeed' } },
    } as StateMachineDefinition, [1]);
    expect(types(r.history).slice(2, 8)).toEqual(['MapStateStarted', 'MapIterationStarted', 'FailStateEntered', 'MapIterationFailed', 'MapStateFailed', 'MapStateExited']);
  });

  it('chains MapIterationFailed off the iteration: the Map failure points at the failed state, not at it', async () => {
    const r = await run(single({ Type: 'Map', ItemProcessor: failItem }), [1]);
    const failState = one(r.history, 'FailStateEntered');
    expect(one(r.history, 'MapIterationFailed').previousEventId).toBe(failState.id);
    expect(one(r.history, 'MapStateFailed').previousEventId).toBe(failState.id);
  });

  // scenarios/test_map_state_tolerated_failure_count_path[-1]: "MapStateEntered MapStateStarted ExecutionFailed"
  it('ends with ExecutionFailed right after MapStateStarted when ToleratedFailureCount is negative (States.Runtime)', async () => {
    const r = await run(single({ Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, ToleratedFailureCountPath: '$.n', ItemsPath: '$.items' }), { items: [0], n: -1 });
    expect(types(r.history)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'ExecutionFailed']);
    expect(r.error).toBe('States.Runtime');
  });

  // scenarios/test_map_state_items_eval_jsonata_fail: EvaluationFailed (location Items), MapStateFailed
  it('records EvaluationFailed naming the field, then MapStateFailed, when a JSONata Items is not an array', async () => {
    const r = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: { M: { Type: 'Map', Items: '{% 1 %}', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
    } as StateMachineDefinition);
    expect(types(r.history)).toEqual(['ExecutionStarted', 'MapStateEntered', 'EvaluationFailed', 'MapStateFailed', 'ExecutionFailed']);
    const evaluation = one(r.history, 'EvaluationFailed');
    expect(evaluation.evaluationFailedEventDetails).toEqual({
      error: 'States.QueryEvaluationError', cause: r.cause, location: 'Items', state: 'M',
    });
    // It follows what preceded the state's entry, as recorded.
    expect(evaluation.previousEventId).toBe(one(r.history, 'MapStateEntered').previousEventId);
  });

  // states_variables/test_error_output[MAP_CATCH_ERROR_OUTPUT_WITH_RETRY]: one EvaluationFailed, in the inner state
  it('records EvaluationFailed once, in the state whose expression failed, not again in the Map it fails', async () => {
    const r = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: { M: { Type: 'Map', Items: '{% [1] %}', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $nothing %}', End: true } } }, End: true } },
    } as StateMachineDefinition);
    expect(byType(r.history, 'EvaluationFailed')).toHaveLength(1);
    expect(one(r.history, 'EvaluationFailed').evaluationFailedEventDetails).toMatchObject({ state: 'P', location: 'Output' });
  });

  // scenarios/test_wait_timestamp_jsonata[INVALID_DATE]: EvaluationFailed follows WaitStateEntered
  it('chains a Wait state\'s EvaluationFailed to its WaitStateEntered', async () => {
    const r = await run({ QueryLanguage: 'JSONata', StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: '{% "2016-13-05T21:29:29Z" %}', End: true } } } as StateMachineDefinition);
    expect(one(r.history, 'EvaluationFailed').previousEventId).toBe(one(r.history, 'WaitStateEntered').id);
    expect(one(r.history, 'EvaluationFailed').evaluationFailedEventDetails).toMatchObject({ location: 'Timestamp' });
  });
});

describe('history of distributed Maps (recorded: scenarios/test_map_item_reader_*, test_map_state_legacy)', () => {
  const distributed = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

  it('starts the Map Run before reading items and ends it with MapRunFailed when the reader fails', async () => {
    const r = await run(single({
      Type: 'Map',
      ItemProcessor: distributed,
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'b', Key: 'k' } },
    }), {}, { taskHandlers: { 'arn:aws:states:::s3:getObject': () => '{"not":"a list"}' } });
    expect(types(r.history)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);
    expect(one(r.history, 'MapStateStarted').mapStateStartedEventDetails).toEqual({ length: 0 });
    expect(one(r.history, 'MapRunFailed').mapRunFailedEventDetails).toEqual({ error: r.error, cause: r.cause });
  });

  it('names the Map Run as AWS does: mapRun:<state machine>/<label>:<id>', async () => {
    const r = await run(single({ Type: 'Map', Label: 'S', ItemProcessor: distributed }), [1], { stateMachineName: 'Orders' });
    const arn = (one(r.history, 'MapRunStarted').mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
    expect(arn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:Orders\/S:[0-9a-f-]{36}$/);
  });
});

describe('chain of previousEventIds (recorded: evaluate_jsonata/test_base_map_from_input[ITEMS], scenarios/test_parallel_state)', () => {
  it('chains each Map iteration to the last state event of the one before, and the Map\'s end to the last iteration', async () => {
    const r = await run(single({ Type: 'Map', MaxConcurrency: 1, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }), [1, 2]);
    const h = r.history;
    const [firstExit] = byType(h, 'PassStateExited');
    const [, second] = byType(h, 'MapIterationStarted');
    expect(second.previousEventId).toBe(firstExit.id);
    const lastSucceeded = byType(h, 'MapIterationSucceeded')[1];
    expect(one(h, 'MapStateSucceeded').previousEventId).toBe(lastSucceeded.id);
    // MapStateSucceeded hangs off the chain: the exit points past it.
    expect(one(h, 'MapStateExited').previousEventId).toBe(lastSucceeded.id);
  });

  it('records ParallelStateSucceeded off the chain: ParallelStateExited points at the last branch event', async () => {
    const r = await run(single({ Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }] }));
    const exited = one(r.history, 'PassStateExited');
    expect(one(r.history, 'ParallelStateSucceeded').previousEventId).toBe(exited.id);
    expect(one(r.history, 'ParallelStateExited').previousEventId).toBe(exited.id);
  });
});

describe('event details (recorded: assign/*, credentials/*, callback/test_start_execution_sync_delegate_failure)', () => {
  it('shows the variables a state assigned on its exit, each as JSON text', async () => {
    const r = await run(single({ Type: 'Pass', Assign: { x: 42, s: 'a' } }));
    expect(one(r.history, 'PassStateExited').stateExitedEventDetails).toEqual({
      name: 'S',
      output: '{}',
      outputDetails: { truncated: false },
      assignedVariables: { x: '42', s: '"a"' },
      assignedVariablesDetails: { truncated: false },
    });
  });

  it('shows no assignedVariables for an empty Assign', async () => {
    const r = await run(single({ Type: 'Pass', Assign: {} }));
    expect(one(r.history, 'PassStateExited').stateExitedEventDetails).not.toHaveProperty('assignedVariables');
  });

  it('names the role of a Task\'s Credentials in taskCredentials', async () => {
    const r = await run(single({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, Credentials: { 'RoleArn.$': '$.role' } }),
      { role: 'arn:aws:iam::1:role/R' }, { defaultTaskHandler: () => ({}) });
    expect(one(r.history, 'TaskScheduled').taskScheduledEventDetails).toMatchObject({ taskCredentials: { roleArn: 'arn:aws:iam::1:role/R' } });
    expect(one(r.history, 'TaskScheduled').taskScheduledEventDetails).not.toHaveProperty('parametersDetails');
  });

  it('records TaskSubmitted before the TaskFailed of a .sync job that ran and failed (States.TaskFailed)', async () => {
    const r = await run(single({ Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:x' } }),
      {}, { defaultTaskHandler: () => { throw new StatesError('States.TaskFailed', '{"Status":"FAILED"}'); } });
    expect(types(r.history)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskFailed', 'ExecutionFailed']);
  });

  it('records no TaskSubmitted when the .sync call itself was refused', async () => {
    const r = await run(single({ Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:x' } }),
      {}, { defaultTaskHandler: () => { throw new StatesError('SFN.StateMachineDoesNotExistException', 'no such machine'); } });
    expect(byType(r.history, 'TaskSubmitted')).toHaveLength(0);
  });

  it('leaves error out of ExecutionFailed when the Fail state gave none', async () => {
    const r = await run(single({ Type: 'Fail' }));
    expect(one(r.history, 'ExecutionFailed').executionFailedEventDetails).toEqual({});
  });
});

/** Property names of each interface of @aws-sdk/client-sfn's models, whether each is required, and its type's name. */
function sdkInterfaces(): Map<string, Map<string, { required: boolean; type: string }>> {
  const file = path.join(path.dirname(require.resolve('@aws-sdk/client-sfn/package.json')), 'dist-types', 'models', 'models_0.d.ts');
  const text = fs.readFileSync(file, 'utf8');
  const out = new Map<string, Map<string, { required: boolean; type: string }>>();
  for (const m of text.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g)) {
    const props = new Map<string, { required: boolean; type: string }>();
    for (const p of m[2].matchAll(/^ {4}(\w+)(\??): (\w+)/gm)) props.set(p[1], { required: p[2] !== '?', type: p[3] });
    out.set(m[1], props);
  }
  return out;
}

describe('event shapes are those of the AWS SDK (@aws-sdk/client-sfn HistoryEvent)', () => {
  const sdk = sdkInterfaces();
  const check = (history: readonly HistoryEvent[]) => {
    const event = sdk.get('HistoryEvent')!;
    for (const e of history) {
      for (const key of Object.keys(e)) expect({ event: e.type, key, known: event.has(key) }).toEqual({ event: e.type, key, known: true });
      for (const [key, value] of Object.entries(e)) {
        if (!key.endsWith('EventDetails')) continue;
        const shape = sdk.get(event.get(key)!.type)!;
        for (const field of Object.keys(value as object)) expect({ key, field, known: shape.has(field) }).toEqual({ key, field, known: true });
        for (const [field, { required }] of shape) {
          if (required) expect({ key, field, present: field in (value as object) }).toEqual({ key, field, present: true });
        }
      }
    }
  };

  it('uses only the fields the SDK knows, with the required ones, across states, tasks, Maps and failures', async () => {
    const histories = await Promise.all([
      run({
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Assign: { v: 1 }, Next: 'T' },
          T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, TimeoutSeconds: 5, Credentials: { RoleArn: 'arn:aws:iam::1:role/R' }, Next: 'L' },
          L: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f', Next: 'M' },
          M: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, ItemsPath: '$.items', ResultPath: null, Next: 'D' },
          D: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Q', States: { Q: { Type: 'Pass', End: true } } }, ItemsPath: '$.items', ResultPath: null, Next: 'Par' },
          Par: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Wait', Seconds: 1, End: true } } }], Next: 'F' },
          F: { Type: 'Fail', Error: 'E', Cause: 'C' },
        },
      } as StateMachineDefinition, { items: [1] }, { defaultTaskHandler: () => ({ items: [1, 2] }) }),
      run({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $x %}', End: true } } } as StateMachineDefinition),
      run(single({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'T.$': '$$.Task.Token' } }, TimeoutSeconds: 1 }),
        {}, { defaultTaskHandler: () => ({}) }),
      run(single({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f' }), {}, { defaultTaskHandler: () => { throw new StatesError('Boom', 'c'); } }),
    ]);
    expect(histories.map((h) => h.status)).toEqual(['FAILED', 'FAILED', 'FAILED', 'FAILED']);
    for (const h of histories) check(h.history);
  });
});

/*
 * When a Parallel branch or Map iteration fails, AWS stops the others and records the state each
 * was in as aborted: the HistoryEventType enum of the API reference has TaskStateAborted,
 * WaitStateAborted, ParallelStateAborted, MapStateAborted and MapIterationAborted for this.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
describe('branches stopped by a failing sibling', () => {
  const waiting = { StartAt: 'Wait', States: { Wait: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'T.$': '$$.Task.Token' }, End: true } } };
  const failing = { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'E' } } };

  // Among branches that run at once, a Task starts its call once its siblings have scheduled
  // theirs (as AWS records a concurrent Map's iterations: test_service_lambda_map_timeout): a
  // sibling that fails at once stops it scheduled, before its TaskStarted.
  it('records TaskStateAborted for the Task a sibling branch was waiting on, before ParallelStateFailed', async () => {
    const r = await run(single({ Type: 'Parallel', Branches: [waiting, failing] }), {}, { defaultTaskHandler: () => ({}) });
    const h = types(r.history);
    expect(h.slice(h.indexOf('FailStateEntered'))).toEqual(['FailStateEntered', 'TaskStateAborted', 'ParallelStateFailed', 'ExecutionFailed']);
    // It follows the last event of its own branch.
    expect(one(r.history, 'TaskStateAborted').previousEventId).toBe(one(r.history, 'TaskScheduled').id);
    expect(byType(r.history, 'TaskStarted')).toHaveLength(0);
  });

  // Recorded (LocalStack's timeouts/test_service_lambda_map_timeout): after MapIterationFailed, each
  // iteration stopped records MapIterationAborted and then its state's Aborted event, all following
  // the event that failed the Map, as MapStateFailed does.
  it('records MapIterationAborted, then WaitStateAborted, for a Map iteration stopped in a Wait, each following the failing event', async () => {
    const r = await run(single({
      Type: 'Map',
      ItemProcessor: { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 1, Next: 'Boom' }], Default: 'Nap' }, Nap: { Type: 'Wait', Seconds: 60, End: true }, Boom: { Type: 'Fail', Error: 'E' } } },
    }), [0, 1]);
    expect(types(r.history).slice(-5)).toEqual(['MapIterationFailed', 'MapIterationAborted', 'WaitStateAborted', 'MapStateFailed', 'ExecutionFailed']);
    expect(one(r.history, 'MapIterationAborted').mapIterationAbortedEventDetails).toEqual({ name: 'S', index: 0 });
    const failedAt = one(r.history, 'FailStateEntered').id;
    expect(r.history.slice(-5, -1).map((e) => e.previousEventId)).toEqual([failedAt, failedAt, failedAt, failedAt]);
  });

  it('aborts only the branches still waiting, in branch order, not those that already ran through', async () => {
    const done = { StartAt: 'Quick', States: { Quick: { Type: 'Pass', End: true } } };
    const waitingTwo = { StartAt: 'Wait2', States: { Wait2: { ...waiting.States.Wait } } };
    const r = await run(single({ Type: 'Parallel', Branches: [waiting, done, waitingTwo, failing] }), {}, { defaultTaskHandler: () => ({}) });
    const aborted = byType(r.history, 'TaskStateAborted');
    expect(aborted).toHaveLength(2);
    // Each follows the last event of its own branch, the first branch's first.
    const scheduled = byType(r.history, 'TaskScheduled');
    expect(aborted.map((e) => e.previousEventId)).toEqual(scheduled.map((e) => e.id));
    expect(byType(r.history, 'PassStateExited')).toHaveLength(1);
  });

  it('records nothing more for the stopped branch when its task answers later', async () => {
    let answer!: (v: never) => void;
    const lambda = (name: string) => ({ StartAt: name, States: { [name]: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } } });
    const r = await run(single({ Type: 'Parallel', Branches: [lambda('Slow'), lambda('Boom')] }), {}, {
      taskHandlers: {
        Slow: () => new Promise<never>((resolve) => { answer = resolve; }),
        Boom: () => Promise.reject(new StatesError('E', 'boom')),
      },
    });
    answer({} as never);
    await new Promise((resolve) => setImmediate(resolve));
    expect(byType(r.history, 'TaskSucceeded')).toHaveLength(0);
    // One for the failed Task itself (after its TaskFailed), one for Slow: nothing after them.
    expect(types(r.history).slice(-5)).toEqual(['TaskFailed', 'TaskStateAborted', 'TaskStateAborted', 'ParallelStateFailed', 'ExecutionFailed']);
  });

  // Inferred, not recorded for a Parallel: as AWS links a Map's failure and its stopped iterations
  // (test_service_lambda_map_timeout) and a Parallel's failure after its failed Task's abort
  // (test_sqs_failure_in_wait_for_task_tok_no_error_field), ParallelStateFailed follows the event
  // that failed the branch; each stopped sibling's abort follows its own branch's last event.
  it('links ParallelStateFailed to the failing TaskFailed when a sibling waiting for a callback is aborted', async () => {
    const r = await run(single({ Type: 'Parallel', Branches: [waiting, { StartAt: 'Boom', States: { Boom: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } } }] }), {}, {
      taskHandlers: { Wait: () => new Promise<never>(() => undefined), Boom: () => Promise.reject(new StatesError('E', 'boom')) },
    });
    const failed = one(r.history, 'TaskFailed');
    const [own, sibling] = byType(r.history, 'TaskStateAborted');
    expect(types(r.history).slice(-5)).toEqual(['TaskFailed', 'TaskStateAborted', 'TaskStateAborted', 'ParallelStateFailed', 'ExecutionFailed']);
    expect(own.previousEventId).toBe(failed.id);
    expect(sibling.previousEventId).toBe(byType(r.history, 'TaskStarted')[0].id);
    expect(one(r.history, 'ParallelStateFailed').previousEventId).toBe(failed.id);
  });
});
