import type { JsonValue } from '../../../src/asl/definition-types';
import { StatesError } from '../../../src/asl/states-errors';
import { ResultFiles, writerConfigOf } from '../../../src/interpreter/states/result-writer';
import { MemoryObjectStore } from '../../../src/workbench/s3/memory-store';
import { MapResultsError, readMapRunResults } from '../../../src/workbench/s3/result-files';

// What one Map Run's result files may hold, written, carried over by a redrive and read back, is bounded in total:
// AWS only bounds each file (5 GB), and the local S3 may be memory; a manifest.json in the user's folder is hostile.
const ARN = 'arn:aws:states:us-east-1:123456789012:mapRun:Orders/Process:0f2d6b8e-4c1a-4e49-9d2c-8a1b7e5c3f10';
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders/Process';
const FOLDER = 'runs/0f2d6b8e-4c1a-4e49-9d2c-8a1b7e5c3f10';

function store(): MemoryObjectStore {
  const s = new MemoryObjectStore();
  s.createBucket('results');
  return s;
}

function files(s: MemoryObjectStore, maxRunBytes?: number): ResultFiles {
  return new ResultFiles(s, { Bucket: 'results', Prefix: 'runs' }, ARN, MACHINE, writerConfigOf({ Transformation: 'COMPACT' }, true), undefined, maxRunBytes);
}

function failure(f: () => unknown): StatesError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(StatesError);
    return e as StatesError;
  }
  throw new Error('expected a StatesError');
}

const keys = (s: MemoryObjectStore): string[] => s.list('results', { maxKeys: 100 }).objects.map((o) => o.key);
const text = (s: MemoryObjectStore, key: string): string => new TextDecoder().decode(s.read('results', key, 1e6));
const ended = (f: ResultFiles, i: number, output: JsonValue): void => f.ended({ index: i, input: i, startMs: 0, stopMs: 0, outcome: { output } });

describe('ResultWriter: what one Map Run writes, in total', () => {
  it('fails with States.ResultWriterFailed naming the bound once the files would hold more than it, and leaves nothing', () => {
    const s = store();
    const f = files(s, 200);
    for (let i = 0; i < 30; i++) ended(f, i, { item: i });
    const e = failure(() => f.finish());
    expect(e.error).toBe('States.ResultWriterFailed');
    expect(e.cause).toContain("The Map Run's result files written would hold more than 200 bytes, the most stepwright writes for one Map Run");
    expect(keys(s)).toEqual([]);
  });

  it('writes files that hold exactly as much as the bound', () => {
    const s = store();
    // `[{"item":0}]` is 12 bytes: the entry's 11 and its comma or bracket.
    const f = files(s, 12);
    ended(f, 0, { item: 0 });
    f.finish();
    expect(text(s, `${FOLDER}/SUCCEEDED_0.json`)).toBe('[{"item":0}]');
  });
});

describe('ResultWriter: a redrive reads back only its own Map Run\'s files', () => {
  const manifest = (succeeded: string[], failed: string[] = []): string => JSON.stringify({
    DestinationBucket: 'results',
    MapRunArn: ARN,
    ResultFiles: { FAILED: failed.map((Key) => ({ Key, Size: 1 })), PENDING: [], SUCCEEDED: succeeded.map((Key) => ({ Key, Size: 1 })) },
  });

  it('neither carries nor deletes an object of another folder that a manifest.json put there by hand lists', () => {
    const s = store();
    s.write('results', 'other/keep.json', '[{"stolen":1}]');
    s.write('results', `${FOLDER}/manifest.json`, manifest(['other/keep.json'], ['other/keep.json']));
    const f = files(s);
    f.carryOver();
    ended(f, 0, { item: 0 });
    f.finish();
    expect(text(s, 'other/keep.json')).toBe('[{"stolen":1}]');
    expect(JSON.parse(text(s, `${FOLDER}/SUCCEEDED_0.json`))).toEqual([{ item: 0 }]);
  });

  it('carries a file of its own that the manifest lists three times once', () => {
    const s = store();
    s.write('results', `${FOLDER}/SUCCEEDED_0.json`, '[{"item":0}]');
    const key = `${FOLDER}/SUCCEEDED_0.json`;
    s.write('results', `${FOLDER}/manifest.json`, manifest([key, key, key]));
    const f = files(s);
    f.carryOver();
    ended(f, 1, { item: 1 });
    f.finish();
    expect(JSON.parse(text(s, key))).toEqual([{ item: 0 }, { item: 1 }]);
  });

  it('fails with States.ResultWriterFailed, before reading it, when a file to carry over passes the bound', () => {
    const s = store();
    const key = `${FOLDER}/SUCCEEDED_0.json`;
    s.write('results', key, JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ item: i }))));
    s.write('results', `${FOLDER}/manifest.json`, manifest([key]));
    const f = files(s, 100);
    const read = jest.spyOn(s, 'read');
    f.carryOver();
    // Its size is all that is looked at: the only object read is the manifest that lists it.
    expect(read.mock.calls.map(([, readKey]) => readKey)).toEqual([`${FOLDER}/manifest.json`]);
    const e = failure(() => f.finish());
    expect(e.error).toBe('States.ResultWriterFailed');
    expect(e.cause).toContain("The Map Run's result files carried over by the redrive would hold more than 100 bytes");
  });
});

describe('mapResults: what is read back from one Map Run, in total', () => {
  it('refuses a manifest whose files together pass the bound, naming the file and the bound', () => {
    const s = store();
    const key = `${FOLDER}/SUCCEEDED_0.json`;
    s.write('results', key, JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ item: i }))));
    s.write('results', `${FOLDER}/manifest.json`, JSON.stringify({
      DestinationBucket: 'results', MapRunArn: ARN, ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: Array.from({ length: 100 }, () => ({ Key: key, Size: 1 })) },
    }));
    const details = { Bucket: 'results', Key: `${FOLDER}/manifest.json` };
    expect(readMapRunResults(s, details, 1e6).succeeded).toHaveLength(1_000);
    const e = (() => {
      try {
        readMapRunResults(s, details, 10_000);
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected a MapResultsError');
    })();
    expect(e).toBeInstanceOf(MapResultsError);
    expect(e.message).toContain(`s3://results/${key} would take what mapResults reads from one Map Run past 10,000 bytes`);
  });
});
