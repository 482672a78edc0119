import type { JsonObject, JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { compileStateMachine } from '../../src/interpreter';
import type { ChildExecutionInfo } from '../../src/interpreter/execution-types';
import { MemoryObjectStore } from '../../src/workbench/s3/memory-store';

/*
 * A Distributed Map's children are executions of their own on AWS: each has its own ARN
 * (`…:execution:<machine>/<label>:<name>`), Context Object and history. Checked against a
 * capture of AWS result files (a project's tests of the SUCCEEDED_0.json and FAILED_0.json AWS
 * wrote: `ExecutionArn` `arn:aws:states:eu-west-2:…:execution:bods-backend-dev-tt-sm/8c9dd6c6-f907-
 * 3584-9153-f8a2f1bfe7ce:55334b15-7c04-3b8d-8ee4-5c6f72f90dbc`, `StateMachineArn`
 * `…:stateMachine:bods-backend-dev-tt-sm/8c9dd6c6-…`, and the manifest's `MapRunArn`
 * `…:mapRun:bods-backend-dev-tt-sm/8c9dd6c6-…:25bc2fbb-6f60-4c44-876b-3cc9586fc435`, the same
 * generated label two days apart) and the Context object page of the developer guide.
 */

const UUID_V3 = /^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A machine named Orders with one DISTRIBUTED Map `Process` running `states`. */
function orders(states: JsonObject, extra: JsonObject = {}, options: { stateMachineName?: string } = {}) {
  const definition = {
    StartAt: 'Process',
    States: {
      Process: {
        Type: 'Map',
        ...(extra.ItemReader ? {} : { ItemsPath: '$.items' }),
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: Object.keys(states)[0], States: states },
        ...extra,
        End: true,
      },
    },
  } as unknown as StateMachineDefinition;
  return compileStateMachine(definition, { stateMachineName: options.stateMachineName ?? 'Orders', roleArn: 'arn:aws:iam::123456789012:role/OrdersRole' });
}

const contextOut = { Show: { Type: 'Pass', Parameters: { 'execution.$': '$$.Execution', 'machine.$': '$$.StateMachine' }, End: true } };

describe('a Distributed Map\'s child executions have their own Context Object, as on AWS', () => {
  it('gives each child its own $$.Execution: Id …:execution:<machine>/<label>:<name>, its Input, Name, StartTime, the parent\'s role', async () => {
    const result = await orders(contextOut, { Label: 'Batch', ItemSelector: { 'n.$': '$$.Map.Item.Value' } }).start({ items: [1, 2] }).result;
    expect(result.status).toBe('SUCCEEDED');
    const [first, second] = result.output as Array<{ execution: JsonObject; machine: JsonObject }>;
    expect(Object.keys(first.execution)).toEqual(['Id', 'Input', 'StartTime', 'Name', 'RoleArn', 'RedriveCount']);
    expect(first.execution.Name).toMatch(UUID_V3);
    expect(first.execution.Id).toBe(`arn:aws:states:us-east-1:123456789012:execution:Orders/Batch:${String(first.execution.Name)}`);
    expect(first.execution).toMatchObject({ Input: { n: 1 }, RoleArn: 'arn:aws:iam::123456789012:role/OrdersRole', RedriveCount: 0 });
    expect(first.execution.StartTime).toBe(new Date(result.startDate).toISOString());
    expect(second.execution.Input).toEqual({ n: 2 });
    expect(second.execution.Name).not.toBe(first.execution.Name);
  });

  it('gives each child $$.StateMachine of the children\'s machine: <machine>/<label>', async () => {
    const result = await orders(contextOut, { Label: 'Batch' }).start({ items: [1] }).result;
    expect((result.output as Array<{ machine: JsonObject }>)[0].machine).toEqual({
      Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders/Batch', Name: 'Orders/Batch',
    });
  });

  it('names a child in the result files as its own $$.Execution names it', async () => {
    const s3 = new MemoryObjectStore();
    s3.createBucket('results');
    const writer = { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'r' } } };
    const result = await orders({ Show: { Type: 'Pass', Parameters: { 'id.$': '$$.Execution.Id' }, End: true } }, writer).start({ items: [1] }, { localS3: { store: s3 } }).result;
    const manifest = JSON.parse(new TextDecoder().decode(s3.read('results', (result.output as { ResultWriterDetails: { Key: string } }).ResultWriterDetails.Key, 1e6))) as {
      ResultFiles: { SUCCEEDED: Array<{ Key: string }> };
    };
    const [entry] = JSON.parse(new TextDecoder().decode(s3.read('results', manifest.ResultFiles.SUCCEEDED[0].Key, 1e6))) as Array<{ ExecutionArn: string; Output: string }>;
    expect(JSON.parse(entry.Output)).toEqual({ id: entry.ExecutionArn });
  });

  it('tells StartOptions.onChildExecution of each child, with a history from ExecutionStarted to how it ended', async () => {
    const children: ChildExecutionInfo[] = [];
    const states = {
      Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Boom' }], Default: 'Done' },
      Boom: { Type: 'Fail', Error: 'Item.Bad', Cause: 'two' },
      Done: { Type: 'Pass', End: true },
    };
    const result = await orders(states, { Label: 'Batch', ToleratedFailureCount: 1 }).start({ items: [1, 2] }, { onChildExecution: (c) => children.push(c) }).result;
    expect(result.status).toBe('SUCCEEDED');
    expect(children.map((c) => [c.input, c.status, c.error, c.cause])).toEqual([[1, 'SUCCEEDED', undefined, undefined], [2, 'FAILED', 'Item.Bad', 'two']]);
    const mapRunArn = (result.history.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
    expect(children[0]).toMatchObject({ mapRunArn, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders/Batch', output: 1 });
    expect(children[0].executionArn).toBe(`arn:aws:states:us-east-1:123456789012:execution:Orders/Batch:${children[0].name}`);
    expect(children[0].historyRecorder.toEvents().map((e) => e.type)).toEqual([
      'ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
    const failed = children[1].historyRecorder.toEvents();
    expect(failed.map((e) => e.type)).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'FailStateEntered', 'ExecutionFailed']);
    expect(failed[0].executionStartedEventDetails).toMatchObject({ input: '2', roleArn: 'arn:aws:iam::123456789012:role/OrdersRole' });
    expect(failed[4]).toMatchObject({ previousEventId: 4, executionFailedEventDetails: { error: 'Item.Bad', cause: 'two' } });
    // The parent's history holds none of its children's events.
    expect(result.history.map((e) => e.type)).not.toContain('ChoiceStateEntered');
  });

  it('records an ExecutionAborted for a child its Map Run\'s failure stopped', async () => {
    const children: ChildExecutionInfo[] = [];
    const states = {
      Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 1, Next: 'Boom' }], Default: 'Hold' },
      Boom: { Type: 'Fail', Error: 'Item.Bad' },
      Hold: { Type: 'Wait', Seconds: 60, End: true },
    };
    const result = await orders(states, { Label: 'Batch' }).start({ items: [2, 1] }, { onChildExecution: (c) => children.push(c) }).result;
    expect(result.status).toBe('FAILED');
    expect(children.map((c) => c.status)).toEqual(['ABORTED', 'FAILED']);
    expect(children[0].historyRecorder.toEvents().map((e) => e.type).slice(-1)).toEqual(['ExecutionAborted']);
  });

  /*
   * StopExecution on the parent: its running children are stopped, which MapRunExecutionCounts
   * counts as aborted ("stopped by the user"); the parent's history ends at its ExecutionAborted,
   * its closing event (nothing of the Map Run follows it).
   */
  it('ends the running children of a stopped parent ABORTED, counted aborted, and records nothing after the parent\'s ExecutionAborted', async () => {
    const children: ChildExecutionInfo[] = [];
    const states = { Hold: { Type: 'Wait', Seconds: 60, End: true } };
    const execution = orders(states, { Label: 'Batch', MaxConcurrency: 2 }).start({ items: [1, 2, 3] }, {
      onChildExecution: (c) => {
        // Once both children run, each waiting in its Wait.
        if (children.push(c) === 2) void Promise.resolve().then(() => execution.stop('By.Hand', 'stopped'));
      },
    });
    const result = await execution.result;
    expect(result.status).toBe('ABORTED');
    expect(result.history.map((e) => e.type).slice(-1)).toEqual(['ExecutionAborted']);
    expect(children.map((c) => [c.status, c.historyRecorder.toEvents().map((e) => e.type).slice(-1)[0]])).toEqual([
      ['ABORTED', 'ExecutionAborted'], ['ABORTED', 'ExecutionAborted'],
    ]);
    expect([...execution.mapRuns.values()][0]).toMatchObject({ total: 3, running: 0, aborted: 2, failed: 0, succeeded: 0 });
  });

  it('ends the running children of a parent that times out ABORTED too, counted aborted, its history ending at ExecutionTimedOut', async () => {
    const children: ChildExecutionInfo[] = [];
    const definition = {
      TimeoutSeconds: 5,
      StartAt: 'Process',
      States: {
        Process: {
          Type: 'Map',
          ItemsPath: '$.items',
          Label: 'Batch',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 60, End: true } } },
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;
    const execution = compileStateMachine(definition, { stateMachineName: 'Orders' }).start({ items: [1, 2] }, { onChildExecution: (c) => children.push(c) });
    const result = await execution.result;
    expect(result.status).toBe('TIMED_OUT');
    expect(result.history.map((e) => e.type).slice(-1)).toEqual(['ExecutionTimedOut']);
    expect(children.map((c) => c.status)).toEqual(['ABORTED', 'ABORTED']);
    expect([...execution.mapRuns.values()][0]).toMatchObject({ total: 2, running: 0, aborted: 2 });
  });

  /*
   * StopExecution on one child (MapRunExecutionCounts.aborted: children "stopped by the user"):
   * how AWS's Map then counts it against ToleratedFailureCount is not documented, so it uses up
   * none (docs/distributed-map.md) and the Map goes on with the others.
   */
  it('stops one child waiting in a Wait by ChildExecutionInfo.stop: ABORTED, counted aborted, its siblings run on and the Map succeeds', async () => {
    const children: ChildExecutionInfo[] = [];
    const states = { Hold: { Type: 'Wait', Seconds: 60, End: true } };
    const execution = orders(states, { Label: 'Batch', ToleratedFailureCount: 0 }).start({ items: [1, 2, 3] }, {
      onChildExecution: (c) => {
        children.push(c);
        if (c.input === 2) void Promise.resolve().then(() => c.stop('By.Hand', 'not needed'));
      },
    });
    const result = await execution.result;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([1, { Error: 'States.Stopped' }, 3]);
    expect(children.map((c) => c.status)).toEqual(['SUCCEEDED', 'ABORTED', 'SUCCEEDED']);
    const stopped = children[1].historyRecorder.toEvents();
    expect(stopped.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
    expect(stopped[2]).toMatchObject({ previousEventId: 0, executionAbortedEventDetails: { error: 'By.Hand', cause: 'not needed' } });
    expect(children[1].stopDate).toEqual(new Date(result.startDate));
    const mapRun = [...execution.mapRuns.values()][0];
    expect(mapRun).toMatchObject({ total: 3, succeeded: 2, aborted: 1, failed: 0, running: 0 });
  });

  it('writes a child stopped by itself to FAILED_n.json with Status ABORTED, and the others to SUCCEEDED_n.json', async () => {
    const s3 = new MemoryObjectStore();
    s3.createBucket('results');
    const writer = { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'r' } } };
    const read = (key: string): unknown => JSON.parse(new TextDecoder().decode(s3.read('results', key, 1e6)));
    const result = await orders({ Hold: { Type: 'Wait', Seconds: 60, End: true } }, writer).start({ items: [1, 2] }, {
      localS3: { store: s3 },
      onChildExecution: (c) => { if (c.input === 1) void Promise.resolve().then(() => c.stop()); },
    }).result;
    expect(result.status).toBe('SUCCEEDED');
    const manifest = read((result.output as { ResultWriterDetails: { Key: string } }).ResultWriterDetails.Key) as {
      ResultFiles: { SUCCEEDED: Array<{ Key: string }>; FAILED: Array<{ Key: string }> };
    };
    expect((read(manifest.ResultFiles.FAILED[0].Key) as Array<{ Input: string; Status: string }>).map((e) => [e.Input, e.Status])).toEqual([['1', 'ABORTED']]);
    expect((read(manifest.ResultFiles.SUCCEEDED[0].Key) as Array<{ Input: string; Status: string }>).map((e) => [e.Input, e.Status])).toEqual([['2', 'SUCCEEDED']]);
  });

  it('leaves a child that has ended as it ended when asked to stop it', async () => {
    const children: ChildExecutionInfo[] = [];
    const result = await orders({ Done: { Type: 'Pass', End: true } }).start({ items: [1] }, { onChildExecution: (c) => children.push(c) }).result;
    children[0].stop('By.Hand');
    expect(result.status).toBe('SUCCEEDED');
    expect(children[0]).toMatchObject({ status: 'SUCCEEDED', output: 1, error: undefined });
    expect(children[0].historyRecorder.toEvents().map((e) => e.type).slice(-1)).toEqual(['ExecutionSucceeded']);
  });
});

describe('the label and id of a Map Run, as AWS forms them', () => {
  const arnOf = (history: ReadonlyArray<{ type: string; mapRunStartedEventDetails?: unknown }>): string => (history.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
  const pass = { P: { Type: 'Pass', End: true } };

  it('gives a Map without Label a generated label, a name-based UUID, not the state\'s name', async () => {
    const arn = arnOf((await orders(pass).start({ items: [1] }).result).history);
    const m = /^arn:aws:states:us-east-1:123456789012:mapRun:Orders\/([^:]+):([^:]+)$/.exec(arn);
    expect(m).not.toBeNull();
    expect(m![1]).toMatch(UUID_V3);
    expect(m![2]).toMatch(UUID_V4);
  });

  it('keeps a Map\'s generated label from one execution of the machine to the next, and gives another machine another', async () => {
    const label = (arn: string): string => arn.split('/')[1].split(':')[0];
    const machine = orders(pass);
    const first = arnOf((await machine.start({ items: [1] }).result).history);
    const second = arnOf((await machine.start({ items: [1] }).result).history);
    const other = arnOf((await orders(pass, {}, { stateMachineName: 'Invoices' }).start({ items: [1] }).result).history);
    expect(label(second)).toBe(label(first));
    expect(label(other)).not.toBe(label(first));
  });

  it('uses the Map\'s Label when it has one', async () => {
    expect(arnOf((await orders(pass, { Label: 'Nightly' }).start({ items: [1] }).result).history)).toMatch(/:mapRun:Orders\/Nightly:[0-9a-f-]{36}$/);
  });

  it('gives each execution\'s Map Run an id of its own', async () => {
    const machine = orders(pass);
    const first = arnOf((await machine.start({ items: [1] }).result).history);
    const second = arnOf((await machine.start({ items: [1] }).result).history);
    expect(second).not.toBe(first);
  });

  it('never writes a second run\'s results into the folder of the first, even on the same seed', async () => {
    const { seededRandom } = await import('../../src/asl/random');
    const s3 = new MemoryObjectStore();
    s3.createBucket('results');
    const writer = { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'r' } } };
    const machine = orders(pass, writer);
    const keyOf = async (): Promise<string> => {
      const r = await machine.start({ items: [1] }, { random: seededRandom(7), localS3: { store: s3 } }).result;
      return (r.output as { ResultWriterDetails: { Key: string } }).ResultWriterDetails.Key;
    };
    const first = await keyOf();
    const before = new TextDecoder().decode(s3.read('results', first, 1e6));
    const second = await keyOf();
    expect(second).not.toBe(first);
    expect(new TextDecoder().decode(s3.read('results', first, 1e6))).toBe(before);
  });
});

describe('the result files of a redriven Map Run', () => {
  /** Children that fail where their item is `bad`, and a ResultWriter to the bucket `results`. */
  const states = {
    Check: { Type: 'Choice', Choices: [{ Variable: '$.bad', BooleanEquals: true, Next: 'Boom' }], Default: 'Done' },
    Boom: { Type: 'Fail', Error: 'Item.Bad' },
    Done: { Type: 'Pass', End: true },
  };
  const writer = { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'r' } } };
  /*
   * A redrive reruns only the children that did not succeed ("Redriving Map Runs", developer
   * guide) and resumes the same Map Run, with its result folder: the results of those that
   * succeeded before are still the Map Run's, as DescribeMapRun's resultsWritten counts them.
   */
  it('keeps the earlier successes in SUCCEEDED_n.json beside the rerun ones, and leaves no file the new manifest does not list', async () => {
    const s3 = new MemoryObjectStore();
    s3.createBucket('results');
    const select = { ItemSelector: { 'n.$': '$$.Map.Item.Value.n', 'bad.$': '$$.Map.Item.Value.bad' } };
    const machine = orders(states, { MaxConcurrency: 1, ...select, ...writer });
    const items = [{ n: 1, bad: false }, { n: 2, bad: true }, { n: 3, bad: false }];
    const failed = await machine.start({ items }, { localS3: { store: s3 } }).result;
    expect(failed.status).toBe('FAILED');
    const fixed = items.map((i) => ({ ...i, bad: false }));
    const execution = machine.start({ items: fixed }, { localS3: { store: s3 }, startAt: 'Process', resume: failed.completedChildren });
    const redriven = await execution.result;
    expect(redriven.status).toBe('SUCCEEDED');
    const { Key } = (redriven.output as { ResultWriterDetails: { Key: string } }).ResultWriterDetails;
    const read = (key: string): JsonValue => JSON.parse(new TextDecoder().decode(s3.read('results', key, 1e6))) as JsonValue;
    const manifest = read(Key) as { ResultFiles: Record<string, Array<{ Key: string }>> };
    const listed = Object.values(manifest.ResultFiles).flat().map((f) => f.Key);
    const succeeded = manifest.ResultFiles.SUCCEEDED.flatMap((f) => read(f.Key) as Array<{ Input: string }>)
      .map((e) => (JSON.parse(e.Input) as { n: number }).n);
    expect(succeeded.sort()).toEqual([1, 2, 3]);
    expect([...execution.mapRuns.values()][0]).toMatchObject({ succeeded: 3, resultsWritten: 3 });
    const folder = Key.slice(0, Key.lastIndexOf('/') + 1);
    const stored = s3.list('results', { prefix: folder, maxKeys: 100 }).objects.map((o) => o.key);
    expect(stored.sort()).toEqual([...listed, Key].sort());
  });

  it('lists an earlier success under SUCCEEDED, not PENDING, when the redrive fails again', async () => {
    const s3 = new MemoryObjectStore();
    s3.createBucket('results');
    const machine = orders(states, { MaxConcurrency: 1, ...writer });
    const input = { items: [{ n: 1, bad: false }, { n: 2, bad: true }, { n: 3, bad: false }] };
    const failed = await machine.start(input, { localS3: { store: s3 } }).result;
    const again = await machine.start(input, { localS3: { store: s3 }, startAt: 'Process', resume: failed.completedChildren }).result;
    expect(again.status).toBe('FAILED');
    const arn = (failed.history.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
    const read = (key: string): JsonValue => JSON.parse(new TextDecoder().decode(s3.read('results', key, 1e6))) as JsonValue;
    const manifest = read(`r/${arn.split(':').pop()!}/manifest.json`) as { ResultFiles: Record<string, Array<{ Key: string }>> };
    const ns = (status: string): number[] => manifest.ResultFiles[status].flatMap((f) => read(f.Key) as Array<{ Input: string }>)
      .map((e) => (JSON.parse(e.Input) as { n: number }).n);
    expect({ SUCCEEDED: ns('SUCCEEDED'), FAILED: ns('FAILED'), PENDING: ns('PENDING') }).toEqual({ SUCCEEDED: [1], FAILED: [2], PENDING: [3] });
  });
});

describe('$$.Map.Item.Source, as the Context object page gives it', () => {
  const source = { ItemSelector: { 'source.$': '$$.Map.Item.Source', 'value.$': '$$.Map.Item.Value' } };
  const echo = { P: { Type: 'Pass', End: true } };

  it('is STATE_DATA for items from the state input', async () => {
    const result = await orders(echo, source).start({ items: ['a'] }).result;
    expect(result.output).toEqual([{ source: 'STATE_DATA', value: 'a' }]);
  });

  it('is STATE_DATA in an INLINE Map too', async () => {
    const definition = {
      StartAt: 'M',
      States: { M: { Type: 'Map', ItemsPath: '$.items', ...source, ItemProcessor: { StartAt: 'P', States: echo }, End: true } },
    } as unknown as StateMachineDefinition;
    expect((await compileStateMachine(definition).start({ items: [1] }).result).output).toEqual([{ source: 'STATE_DATA', value: 1 }]);
  });

  it('is s3://<bucket>/<key> for items read from an object, and s3://<bucket> for a listing', async () => {
    const s3 = new MemoryObjectStore();
    s3.createBucket('data');
    s3.write('data', 'in/items.jsonl', '{"id":1}\n');
    const read = (reader: JsonObject): Promise<JsonValue | undefined> => orders(echo, { ...source, ItemReader: reader })
      .start({}, { localS3: { store: s3 } }).result.then((r) => r.output);
    const object = await read({ Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Parameters: { Bucket: 'data', Key: 'in/items.jsonl' } });
    expect(object).toEqual([{ source: 's3://data/in/items.jsonl', value: { id: 1 } }]);
    const listing = await read({ Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'data', Prefix: 'in/' } }) as Array<{ source: string }>;
    expect(listing.map((i) => i.source)).toEqual(['s3://data']);
  });

  it('is $states.context.Map.Item.Source in a JSONata ItemSelector', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          Items: '{% $states.input.items %}',
          ItemSelector: { source: '{% $states.context.Map.Item.Source %}' },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: echo },
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;
    expect((await compileStateMachine(definition).start({ items: [1] }).result).output).toEqual([{ source: 'STATE_DATA' }]);
  });
});

describe('a Distributed Map\'s failed children, reachable from the execution\'s result', () => {
  const checked = {
    Check: { Type: 'Choice', Choices: [{ Variable: '$.bad', IsPresent: true, Next: 'Refuse' }], Default: 'Ok' },
    Refuse: { Type: 'Fail', ErrorPath: '$.bad', Cause: 'the item is refused' },
    Ok: { Type: 'Pass', End: true },
  };

  it('keeps each failed child\'s own error, cause, name, ARN and input, though the Map fails with States.ExceedToleratedFailureThreshold', async () => {
    const result = await orders(checked, { ToleratedFailureCount: 1 }).start({ items: [{ n: 1 }, { bad: 'Item.Invalid' }, { bad: 'Item.Stale' }] }).result;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    const [usage] = result.childExecutions!;
    expect(usage.failures).toEqual([
      { mapState: 'Process', name: expect.stringMatching(UUID_V3), executionArn: expect.stringMatching(/^arn:aws:states:us-east-1:123456789012:execution:Orders\/[^:]+:/), input: { bad: 'Item.Invalid' }, error: 'Item.Invalid', cause: 'the item is refused' },
      { mapState: 'Process', name: expect.stringMatching(UUID_V3), executionArn: expect.any(String), input: { bad: 'Item.Stale' }, error: 'Item.Stale', cause: 'the item is refused' },
    ]);
    expect(usage.failures![0].executionArn.endsWith(`:${usage.failures![0].name}`)).toBe(true);
    // The parent's history, as AWS's, holds no child's error (its input only).
    expect(result.history.flatMap((e) => Object.values(e).map((d) => (d as { error?: string } | null)?.error)).filter(Boolean))
      .toEqual(['States.ExceedToleratedFailureThreshold', 'States.ExceedToleratedFailureThreshold']);
  });

  it('keeps them when the Map tolerates them and succeeds, and has none when no child failed', async () => {
    const tolerated = await orders(checked, { ToleratedFailureCount: 5 }).start({ items: [{ bad: 'Item.Invalid' }, { n: 2 }] }).result;
    expect(tolerated.status).toBe('SUCCEEDED');
    expect(tolerated.childExecutions![0].failures!.map((f) => f.error)).toEqual(['Item.Invalid']);
    const clean = await orders(checked).start({ items: [{ n: 1 }] }).result;
    expect(clean.childExecutions![0]).not.toHaveProperty('failures');
  });

  it('keeps the first 25 of a Map state\'s failed children, however many fail', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ bad: `Item.${i}` }));
    const result = await orders(checked, { ToleratedFailurePercentage: 100, MaxConcurrency: 1 }).start({ items }).result;
    expect(result.status).toBe('SUCCEEDED');
    const failures = result.childExecutions![0].failures!;
    expect(failures).toHaveLength(25);
    expect(failures.map((f) => f.error)).toEqual(items.slice(0, 25).map((i) => i.bad));
  });
});
