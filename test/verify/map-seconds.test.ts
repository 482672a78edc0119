import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { secondsBound } from '../../src/explore/verify-seconds';
import { delay, succeed } from '../../src/testing';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { reproduced, runThroughCli, secondsOf } from './verify-setup';

/*
 * maxSeconds over a Map whose iterations run side by side (MaxConcurrency 0 or more than 1), Waits
 * in them overlapping on the virtual clock. verify once bounded such a Map by its items times its
 * iteration, as if one ran after another, and left a limit between the two UNKNOWN. The bound is
 * now its rounds of items run at once (items over MaxConcurrency, cut at AWS's cap of 40 inline
 * iterations, rounded up) times its iteration: what the interpreter's schedule gives (its workers
 * take the items in order, each as the last ends), checked here against runs of it.
 */

stopExploreClock();

/** A JSONata Map over `items` written in the definition: a "slow" item waits 10 s, any other passes. */
function waits(items: unknown[], fields: Record<string, unknown> = {}, mode: 'INLINE' | 'DISTRIBUTED' = 'INLINE'): StateMachineDefinition {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        Items: items,
        ItemProcessor: {
          ProcessorConfig: mode === 'DISTRIBUTED' ? { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } : { Mode: 'INLINE' },
          StartAt: 'Slow?',
          States: {
            'Slow?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input = "slow" %}', Next: 'Hold' }], Default: 'Quick' },
            'Hold': { Type: 'Wait', Seconds: 10, End: true },
            'Quick': { Type: 'Pass', End: true },
          },
        },
        ...fields,
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}

const slow = (n: number): string[] => Array.from({ length: n }, () => 'slow');

async function seconds(def: StateMachineDefinition): Promise<number> {
  const run = await Workflow.fromDefinition(def).run({});
  expect(run.status).toBe('SUCCEEDED');
  return secondsOf(run);
}

describe('the seconds bound of a Map whose iterations run side by side', () => {
  it.each([
    ['every item at once (MaxConcurrency 0, 3 items)', waits(slow(3)), 10],
    ['two at a time, 3 items', waits(slow(3), { MaxConcurrency: 2 }), 20],
    ['two at a time, a quick item among slow ones', waits(['slow', 'quick', 'slow', 'slow'], { MaxConcurrency: 2 }), 20],
    ['MaxConcurrency 0 past the inline cap of 40: 41 items', waits(slow(41)), 20],
    ['MaxConcurrency 0 past the inline cap: 100 items', waits(slow(100)), 30],
    ['MaxConcurrency 50 cut at the inline cap: 41 items', waits(slow(41), { MaxConcurrency: 50 }), 20],
    ['a DISTRIBUTED Map, 100 items at once', waits(slow(100), {}, 'DISTRIBUTED'), 10],
    ['one at a time (MaxConcurrency 1)', waits(slow(3), { MaxConcurrency: 1 }), 30],
  ])('is what the longest run of the interpreter lasts: %s', async (_what, def, expected) => {
    expect(secondsBound(def, false)).toMatchObject({ seconds: expected });
    // Every item slow is the longest run: the bound is met, not only not passed.
    expect(await seconds(def)).toBe(expected);
  });

  it('takes one at a time where the definition does not fix MaxConcurrency (MaxConcurrencyPath, a JSONata expression)', () => {
    expect(secondsBound(waits(slow(3), { MaxConcurrency: '{% $states.context.Execution.Input.n %}' }), false)).toMatchObject({ seconds: 30 });
    const jsonPath = { ...waits(slow(3)), QueryLanguage: undefined } as unknown as { States: { Each: Record<string, unknown> } };
    jsonPath.States.Each.MaxConcurrencyPath = '$.n';
    expect(secondsBound(jsonPath as unknown as StateMachineDefinition, false)).toMatchObject({ seconds: 30 });
  });

  it('keeps a Map\'s Retry around all its rounds', () => {
    const def = waits(slow(3), { MaxConcurrency: 2, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1, IntervalSeconds: 5 }] });
    expect(secondsBound(def, false)).toMatchObject({ seconds: 2 * 20 + 5 });
  });
});

describe('verify of maxSeconds over a Map whose iterations run side by side', () => {
  it.each([
    ['every item at once', waits(slow(3)), 10],
    ['two at a time', waits(slow(3), { MaxConcurrency: 2 }), 20],
  ])('HOLDS at the bound and is VIOLATED under it, reproduced by the harness and stepwright run: %s', async (_what, def, bound) => {
    const wf = Workflow.fromDefinition(def);
    const report = await wf.verify({ atBound: Property.maxSeconds(bound), under: Property.maxSeconds(bound - 1) });
    expect(report.properties.atBound).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining(`no run lasts more than ${bound} s`) });
    const again = await reproduced(wf, def, report.properties.under, 'under');
    expect({ harness: secondsOf(again.run), cli: secondsOf(again.cli) }).toEqual({ harness: bound, cli: bound });
  });
});

describe('verify of maxSeconds over a Map that reads its items with an ItemReader', () => {
  /** A DISTRIBUTED Map reading data/items.json, one item at a time, each waiting 10 s; `readerConfig` beside InputType. */
  const reading = (readerConfig: Record<string, unknown>): StateMachineDefinition => ({
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON', ...readerConfig }, Parameters: { Bucket: 'data', Key: 'items.json' } },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Hold',
          States: { Hold: { Type: 'Wait', Seconds: 10, End: true } },
        },
        MaxConcurrency: 1,
        ResultPath: null,
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  }) as unknown as StateMachineDefinition;
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-map-reader-'));
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'items.json'), JSON.stringify([1, 2, 3, 4, 5]));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('HOLDS at MaxItems\' rounds where the local S3 folder answers the reader, and is VIOLATED under it, reproduced with the folder', async () => {
    const def = reading({ MaxItems: 3 });
    expect(secondsBound(def, false, { fromS3Folder: new Set(['Each']) })).toMatchObject({ seconds: 30 });
    const wf = Workflow.fromDefinition(def);
    const report = await wf.verify({ atBound: Property.maxSeconds(30), under: Property.maxSeconds(29) }, { s3Dir: dir });
    expect(report.properties.atBound).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining('no run lasts more than 30 s') });
    const verdict = report.properties.under;
    expect(verdict.verdict).toBe('VIOLATED');
    const { input, mocks, path: seen } = verdict.counterexample!;
    const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'under'), s3: { dir } });
    expect(run.path).toEqual(seen);
    expect(secondsOf(run)).toBe(30);
    const out = await runThroughCli(def, input, mocks, '--s3-dir', dir);
    expect({ path: out.path, seconds: secondsOf(out) }).toEqual({ path: seen, seconds: 30 });
  });

  it('stays UNKNOWN where a handler answers the reader: it may answer late, and a run that does lasts longer', async () => {
    const def = reading({ MaxItems: 3 });
    const report = await Workflow.fromDefinition(def).verify({ atBound: Property.maxSeconds(30) });
    expect(report.properties.atBound).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringContaining('may answer late') });
    const late = await Workflow.fromDefinition(def).run({}, { mocks: { Each: delay(100, succeed([1, 2, 3])) } });
    expect(secondsOf(late)).toBe(130);
  });

  it('bounds a Map of MaxItems 0, which limits nothing, by the folder\'s items alone: HOLDS at 0 s for an empty folder, saying so, while a run on a full one lasts 50 s', async () => {
    const def = reading({ MaxItems: 0 });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-map-reader-empty-'));
    try {
      fs.mkdirSync(path.join(empty, 'data'));
      fs.writeFileSync(path.join(empty, 'data', 'items.json'), '[]');
      expect(secondsBound(def, false, { fromS3Folder: new Set(['Each']) })).toMatchObject({ unbounded: expect.stringContaining('ReaderConfig.MaxItems') });
      const report = await Workflow.fromDefinition(def).verify({ none: Property.maxSeconds(0) }, { s3Dir: empty });
      expect(report.properties.none).toMatchObject({
        verdict: 'HOLDS', reason: expect.stringContaining('bounded by the 0 items the folder holds at s3://data/items.json: it holds for that folder\'s contents only'),
      });
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    const full = await Workflow.fromDefinition(def).run({}, { s3: { dir } });
    expect(secondsOf(full)).toBe(50);
  });

  it('HOLDS without MaxItems only for the folder it was given, saying so: a folder given more items makes a longer run', async () => {
    const report = await Workflow.fromDefinition(reading({})).verify({ atBound: Property.maxSeconds(50) }, { s3Dir: dir });
    expect(report.properties.atBound).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining('bounded by the 5 items the folder holds at s3://data/items.json') });
    const more = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-map-reader-more-'));
    try {
      fs.mkdirSync(path.join(more, 'data'));
      fs.writeFileSync(path.join(more, 'data', 'items.json'), JSON.stringify([1, 2, 3, 4, 5, 6]));
      expect(secondsOf(await Workflow.fromDefinition(reading({})).run({}, { s3: { dir: more, readOnly: true } }))).toBe(60);
    } finally {
      fs.rmSync(more, { recursive: true, force: true });
    }
  });
});

describe('verify of maxSeconds over a Map that writes its results with a ResultWriter and no ItemReader', () => {
  /** A DISTRIBUTED Map over 3 slow items written in the definition, one at a time, writing its results to out/res. */
  const writing = waits(slow(3), {
    MaxConcurrency: 1,
    ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Arguments: { Bucket: 'out', Prefix: 'res' } },
  }, 'DISTRIBUTED');
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-map-writer-'));
    fs.mkdirSync(path.join(dir, 'out'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('HOLDS at its rounds where the local S3 folder answers the writer, and is VIOLATED under it, reproduced with the folder', async () => {
    const wf = Workflow.fromDefinition(writing);
    const report = await wf.verify({ atBound: Property.maxSeconds(30), under: Property.maxSeconds(29) }, { s3Dir: dir });
    expect(report.properties.atBound).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining('no run lasts more than 30 s') });
    const verdict = report.properties.under;
    expect(verdict.verdict).toBe('VIOLATED');
    const { input, mocks, path: seen } = verdict.counterexample!;
    const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'under'), s3: { dir } });
    expect(run.path).toEqual(seen);
    expect(secondsOf(run)).toBe(30);
    const out = await runThroughCli(writing, input, mocks, '--s3-dir', dir);
    expect({ path: out.path, seconds: secondsOf(out) }).toEqual({ path: seen, seconds: 30 });
  });

  it('stays UNKNOWN where a handler answers the writer: it may answer late, and a run that does lasts longer', async () => {
    const report = await Workflow.fromDefinition(writing).verify({ atBound: Property.maxSeconds(30) });
    expect(report.properties.atBound).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringContaining('writes its results') });
    const late = await Workflow.fromDefinition(writing).run({}, { mocks: { Each: delay(100, succeed({ MapRunArn: 'arn', ResultWriterDetails: { Bucket: 'out', Key: 'res/manifest.json' } })) } });
    expect(secondsOf(late)).toBe(130);
  });
});
