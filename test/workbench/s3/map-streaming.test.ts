import type { JsonObject, JsonValue, StateMachineDefinition } from '../../../src/asl/definition-types';
import { compileStateMachine } from '../../../src/interpreter';
import type { ObjectWriter } from '../../../src/interpreter/object-store';
import { Workflow } from '../../../src/testing/workflow';
import { MemoryObjectStore } from '../../../src/workbench/s3/memory-store';

const ITEMS = 5000;

/** A local S3 whose JSON Lines object is handed out a line per chunk, counting the lines read, and whose writes are watched. */
class WatchedStore extends MemoryObjectStore {
  linesRead = 0;
  appended = new Map<string, number>();

  constructor(lines: readonly string[]) {
    super();
    this.createBucket('data');
    this.createBucket('results');
    this.write('data', 'items.jsonl', `${lines.join('\n')}\n`);
  }

  override *chunks(bucket: string, key: string): Iterable<Uint8Array> {
    const text = new TextDecoder().decode(this.read(bucket, key, Infinity));
    for (const line of text.split(/(?<=\n)/)) {
      this.linesRead++;
      yield new TextEncoder().encode(line);
    }
  }

  openWrite(bucket: string, key: string): ObjectWriter {
    const pieces: string[] = [];
    return {
      append: (piece) => {
        const text = typeof piece === 'string' ? piece : new TextDecoder().decode(piece);
        pieces.push(text);
        this.appended.set(key, (this.appended.get(key) ?? 0) + text.length);
      },
      close: () => this.write(bucket, key, pieces.join('')),
      abort: () => undefined,
    };
  }
}

const lines = (n: number, bad?: number): string[] => Array.from({ length: n }, (_, i) => (i === bad ? '{not json' : JSON.stringify({ id: i })));

/** A distributed Map over items.jsonl whose children run Work (a Task), optionally writing results to S3. */
const mapOf = (extra: JsonObject = {}): Workflow => Workflow.fromDefinition({
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      MaxConcurrency: 10,
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'data', Key: 'items.jsonl' }, ReaderConfig: { InputType: 'JSONL' } },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
        StartAt: 'Work',
        States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Work', End: true } },
      },
      ...extra,
      End: true,
    },
  },
} as unknown as StateMachineDefinition);

const toS3 = { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'out' } } };

describe('a Distributed Map over the local S3, at scale', () => {
  it('reads its items a window at a time as its children need them, not the whole file first', async () => {
    const store = new WatchedStore(lines(ITEMS));
    let readWhenFirstRan = -1;
    const run = await mapOf().run({}, {
      s3: store,
      mocks: {
        Work: (input: JsonValue) => {
          if ((input as { id: number }).id === 0) readWhenFirstRan = store.linesRead;
          return { ok: true };
        },
      },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect((run.output as JsonValue[]).length).toBe(ITEMS);
    expect(readWhenFirstRan).toBeGreaterThan(0);
    expect(readWhenFirstRan).toBeLessThan(ITEMS / 2);
    expect(store.linesRead).toBe(ITEMS);
  });

  it('writes its result files as its children end, before the last one has run', async () => {
    const store = new WatchedStore(lines(ITEMS));
    let writtenBeforeLast = 0;
    const run = await mapOf(toS3).run({}, {
      s3: store,
      mocks: {
        Work: (input: JsonValue) => {
          if ((input as { id: number }).id === ITEMS - 1) writtenBeforeLast = [...store.appended.values()].reduce((a, b) => a + b, 0);
          return { ok: true };
        },
      },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(writtenBeforeLast).toBeGreaterThan(0);
    // The output is the manifest's location alone; the results are in the file, every one of them.
    expect(Object.keys(run.output as JsonObject)).toEqual(['MapRunArn', 'ResultWriterDetails']);
    const { succeeded } = run.mapResults();
    expect(succeeded).toHaveLength(ITEMS);
    expect(succeeded.map((e) => JSON.parse((e as { Input: string }).Input).id)).toEqual(Array.from({ length: ITEMS }, (_, i) => i));
  });

  it('fails with States.ItemReaderFailed and MapRunFailed at a malformed line past the first window, and writes what the children before it did', async () => {
    const store = new WatchedStore(lines(ITEMS, 3000));
    const run = await mapOf(toS3).run({}, { s3: store, mocks: { Work: () => ({ ok: true }) } });
    expect(run.error).toBe('States.ItemReaderFailed');
    expect(run.cause).toMatch(/^Line 3001 of the JSONL object could not be parsed as JSON/);
    expect(run.history.map((e) => e.type)).toContain('MapRunFailed');
    // A failed Map Run still writes its result files and its manifest, as AWS does (docs/distributed-map.md).
    const keys = store.list('results', { maxKeys: 10 }).objects.map((o) => o.key.split('/').pop());
    expect(keys).toEqual(expect.arrayContaining(['SUCCEEDED_0.json', 'manifest.json']));
    expect(keys).not.toContain('FAILED_0.json');
  });

  it('judges ToleratedFailurePercentage against every item read, not the items read so far', async () => {
    // The first 1,100 of 2,500 children fail: every child of the first window, 44% of the items.
    const failing = (input: JsonValue) => {
      if ((input as { id: number }).id < 1100) throw Object.assign(new Error('bad'), { name: 'Item.Bad' });
      return { ok: true };
    };
    const tolerant = await mapOf({ ...toS3, ToleratedFailurePercentage: 50 })
      .run({}, { s3: new WatchedStore(lines(2500)), mocks: { Work: failing } });
    expect([tolerant.status, tolerant.error, tolerant.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    const strict = await mapOf({ ...toS3, ToleratedFailurePercentage: 40 }).run({}, { s3: new WatchedStore(lines(2500)), mocks: { Work: failing } });
    expect(strict.error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('keeps the states of the first 1,000 child executions in the run\'s path, not one per item: AWS\'s parent history holds none', async () => {
    const run = await mapOf().run({}, { s3: new WatchedStore(lines(1500)), mocks: { Work: () => ({ ok: true }) } });
    expect((run.output as JsonValue[]).length).toBe(1500);
    expect(run.path.filter((s) => s === 'Work')).toHaveLength(1000);
    expect(run.path[0]).toBe('Each');
  });

  it('keeps, for a redrive of a Standard execution, a mark per child whose result the ResultWriter wrote, not the result', async () => {
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'data', Key: 'items.jsonl' }, ReaderConfig: { InputType: 'JSONL' } },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Work',
            States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Work', End: true } },
          },
          ...toS3,
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;
    const machine = compileStateMachine(definition, {
      taskHandlers: {
        Work: (input: JsonValue) => {
          if ((input as { id: number }).id === 2) throw Object.assign(new Error('bad'), { name: 'Item.Bad' });
          return { big: 'r'.repeat(1000), id: (input as { id: number }).id };
        },
      },
    });
    const failed = await machine.start({}, { localS3: { store: new WatchedStore(lines(4)) } }).result;
    expect(failed.status).toBe('FAILED');
    expect([...failed.completedChildren!.outputs.entries()]).toEqual([[0, null], [1, null]]);
  });
});
