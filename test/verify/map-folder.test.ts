import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { folderItems } from '../../src/explore/verify-folder';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { FolderObjectStore } from '../../src/workbench/s3';
import { cli } from '../cli/run-cli';
import { stopExploreClock } from '../explore-clock';
import { runThroughCli, secondsOf } from './verify-setup';

/*
 * The S3 folder's own items as the bound on a Map's iterations where its ItemReader has no
 * ReaderConfig.MaxItems. Under --s3-dir (s3Dir) every run reads the folder, so it runs no more
 * iterations than the interpreter's reader gives there: verify counts them with that reader, and
 * says in its reason that it holds for that folder's contents. A state that can write where the
 * reader reads (before the Map, or on a loop back to it) leaves it UNKNOWN, naming that state.
 */

stopExploreClock();

const LIST = 'arn:aws:states:::s3:listObjectsV2';
const GET = 'arn:aws:states:::s3:getObject';

/**
 * A DISTRIBUTED Map reading its items with `reader`, one at a time, each iteration a 10 s Wait
 * ('Hold'); `before`, when given, is a state the run enters first (named by `before.name`).
 */
function reading(
  reader: Record<string, unknown>, fields: Record<string, unknown> = {}, before?: { name: string; state: Record<string, unknown> },
): StateMachineDefinition {
  return {
    StartAt: before ? before.name : 'Each',
    States: {
      ...(before ? { [before.name]: { ...before.state, Next: 'Each' } } : {}),
      Each: {
        Type: 'Map',
        ItemReader: reader,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Hold',
          States: { Hold: { Type: 'Wait', Seconds: 10, End: true } },
        },
        MaxConcurrency: 1,
        ResultPath: null,
        ...fields,
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}

const json = (key: string, config: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ Resource: GET, ReaderConfig: { InputType: 'JSON', ...config }, Parameters: { Bucket: 'data', Key: key } });

/** A Task writing `key` of `bucket` through the aws-sdk S3 integration. */
const putObject = (bucket: Record<string, unknown>, key: string): { name: string; state: Record<string, unknown> } =>
  ({ name: 'Put', state: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:putObject', Parameters: { ...bucket, Key: key, Body: '[6]' }, TimeoutSeconds: 5, ResultPath: null } });

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-map-folder-'));
  const put = (key: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
    fs.writeFileSync(path.join(dir, key), text);
  };
  put('data/items.json', JSON.stringify([1, 2, 3, 4, 5]));
  put('data/nested.json', JSON.stringify({ rows: [1, 2] }));
  put('data/items.jsonl', '{"a":1}\n{"a":2}\n{"a":3}\n{"a":4}\n');
  put('data/items.csv', 'id,name\n1,a\n2,b\n3,c\n');
  put('data/in/a.json', '[1]');
  put('data/in/b.json', '[2, 3]');
  put('data/inventory/manifest.json', JSON.stringify({ fileFormat: 'CSV', fileSchema: 'Bucket, Key', files: [{ key: 'inventory/part.csv' }] }));
  put('data/inventory/part.csv', 'data,x\ndata,y\ndata,z\n');
  put('data/bad.csv', 'id,id\n1,2\n');
  put('data/bad.jsonl', '{"a":1}\n{"a":2}\n{"a":3}\n{oops\n');
  fs.mkdirSync(path.join(dir, 'out'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const store = (): FolderObjectStore => new FolderObjectStore(dir, undefined, { readOnly: true });

describe('the items the S3 folder holds, counted with the interpreter\'s reader', () => {
  it.each([
    ['a JSON array', json('items.json'), 5],
    ['a JSON array an ItemsPointer points to', json('nested.json', { ItemsPointer: '/rows' }), 2],
    ['JSON Lines', { Resource: GET, ReaderConfig: { InputType: 'JSONL' }, Parameters: { Bucket: 'data', Key: 'items.jsonl' } }, 4],
    ['CSV with its header row', { Resource: GET, ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: 'data', Key: 'items.csv' } }, 3],
    ['an S3 Inventory manifest', { Resource: GET, ReaderConfig: { InputType: 'MANIFEST' }, Parameters: { Bucket: 'data', Key: 'inventory/manifest.json' } }, 3],
    ['a ListObjectsV2 prefix listing', { Resource: LIST, Parameters: { Bucket: 'data', Prefix: 'in/' } }, 2],
    ['a listing with LOAD_AND_FLATTEN', { Resource: LIST, ReaderConfig: { InputType: 'JSON', Transformation: 'LOAD_AND_FLATTEN' }, Parameters: { Bucket: 'data', Prefix: 'in/' } }, 3],
  ])('are as many as a run\'s iterations: %s', async (_what, reader, items) => {
    const def = reading(reader);
    const bound = (await folderItems(def, ['Each'], store())).get('Each');
    expect(bound).toMatchObject({ items, how: expect.stringContaining(`bounded by the ${items} item${items === 1 ? '' : 's'} the folder holds at s3://data/`) });
    const run = await Workflow.fromDefinition(def).run({}, { s3: { dir, readOnly: true } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.path.filter((s) => s === 'Hold')).toHaveLength(items);
  });

  it('counts an ItemBatcher\'s batches as the iterations, and the items where a byte limit may cut a batch short', async () => {
    const batched = reading(json('items.json'), { ItemBatcher: { MaxItemsPerBatch: 2 } });
    expect((await folderItems(batched, ['Each'], store())).get('Each')).toMatchObject({ items: 3 });
    const run = await Workflow.fromDefinition(batched).run({}, { s3: { dir, readOnly: true } });
    expect(run.path.filter((s) => s === 'Hold')).toHaveLength(3);
    const bytes = reading(json('items.json'), { ItemBatcher: { MaxItemsPerBatch: 2, MaxInputBytesPerBatch: 1024 } });
    expect((await folderItems(bytes, ['Each'], store())).get('Each')).toMatchObject({ items: 5 });
  });

  it('leaves a smaller ReaderConfig.MaxItems to bound the Map, and takes the folder where it holds fewer', async () => {
    expect((await folderItems(reading(json('items.json', { MaxItems: 3 })), ['Each'], store())).has('Each')).toBe(false);
    expect((await folderItems(reading(json('items.json', { MaxItems: 9 })), ['Each'], store())).get('Each')).toMatchObject({ items: 5 });
  });

  it('bounds nothing where the reader\'s Parameters are read from the run, a mock answers the reader, or it reads no S3', async () => {
    const dynamic = reading({ Resource: GET, ReaderConfig: { InputType: 'JSON' }, Parameters: { 'Bucket': 'data', 'Key.$': '$.key' } });
    expect((await folderItems(dynamic, ['Each'], store())).get('Each')).toMatchObject({ unbounded: expect.stringContaining('is not fixed in the definition') });
    expect((await folderItems(reading(json('items.json')), [], store())).size).toBe(0);
    // Listed for its ResultWriter, the folder answers that alone: its reader, no S3 read, is not the folder's.
    const elsewhere = reading({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'list' } }, {
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out', Prefix: 'results' } },
    });
    expect((await folderItems(elsewhere, ['Each'], store())).has('Each')).toBe(false);
  });

  it('bounds nothing where a state can write where the reader reads, or to a bucket the definition does not fix', async () => {
    const same = reading(json('items.json'), {}, putObject({ Bucket: 'data' }, 'items.json'));
    expect((await folderItems(same, ['Each'], store())).get('Each')).toMatchObject({ unbounded: expect.stringContaining('Task \'Put\' calls s3:putObject, which can write there, to bucket \'data\' at key \'items.json\'') });
    const unfixed = reading(json('items.json'), {}, putObject({ 'Bucket.$': '$.bucket' }, 'items.json'));
    expect((await folderItems(unfixed, ['Each'], store())).get('Each')).toMatchObject({ unbounded: expect.stringContaining('to a bucket the definition does not fix at key \'items.json\'') });
    // In whatever bucket, a constant Key the reader does not read is no write where it reads.
    const unfixedElsewhere = reading(json('items.json'), {}, putObject({ 'Bucket.$': '$.bucket' }, 'other.json'));
    expect((await folderItems(unfixedElsewhere, ['Each'], store())).get('Each')).toMatchObject({ items: 5 });
    const elsewhere = reading(json('items.json'), {}, putObject({ Bucket: 'out' }, 'items.json'));
    expect((await folderItems(elsewhere, ['Each'], store())).get('Each')).toMatchObject({ items: 5 });
    // A manifest's files are read from the buckets it names: a write to one of them counts.
    const manifest = (prefix?: string): StateMachineDefinition => reading({ Resource: GET, ReaderConfig: { InputType: 'MANIFEST' }, Parameters: { Bucket: 'data', Key: 'inventory/manifest.json' } }, {
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'data', ...(prefix !== undefined ? { Prefix: prefix } : {}) } },
    });
    for (const [prefix, at] of [['inventory', ' at keys starting \'inventory\''], [undefined, ' at any key'], ['', ' at any key']] as const) {
      expect((await folderItems(manifest(prefix), ['Each'], store())).get('Each')).toMatchObject({ unbounded: expect.stringContaining(`Map 'Each' writes its results there (its ResultWriter), to bucket 'data'${at}`) });
    }
  });

  /** A Task writing to bucket `data` with its Key given by `key` (`Key` or `Key.$`), or its Arguments in JSONata. */
  const writing = (reader: Record<string, unknown>, key: Record<string, unknown>, jsonata = false): StateMachineDefinition => {
    const def = reading(reader, {}, {
      name: 'Put',
      state: jsonata
        ? { Type: 'Task', QueryLanguage: 'JSONata', Resource: 'arn:aws:states:::aws-sdk:s3:putObject', Arguments: { Bucket: 'data', Body: '[6]', ...key }, TimeoutSeconds: 5 }
        : { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:putObject', Parameters: { 'Bucket': 'data', 'Body.$': '$', ...key }, TimeoutSeconds: 5, ResultPath: null },
    });
    return def;
  };
  const listing = { Resource: LIST, Parameters: { Bucket: 'data', Prefix: 'in/' } };

  it.each([
    ['a constant Key the reader does not read', json('items.json'), { Key: 'other.json' }, false],
    ['a Key built by States.Format from a start the reader does not read', json('items.json'), { 'Key.$': "States.Format('out/{}.json', $.id)" }, false],
    ['a Key built by States.Format outside the prefix listed', listing, { 'Key.$': "States.Format('out/{}.json', $.id)" }, false],
    ['a JSONata Key that starts outside the prefix listed', listing, { Key: "{% 'out/' & $states.input.id %}" }, true],
    ['a constant Key outside the prefix listed', listing, { Key: 'inx/c.json' }, false],
  ])('bounds the Map where a write to its bucket cannot land where it reads: %s', async (_what, reader, key, jsonata) => {
    const bound = (await folderItems(writing(reader, key, jsonata), ['Each'], store())).get('Each');
    expect(bound).toMatchObject({ items: reader === listing ? 2 : 5 });
  });

  it.each([
    ['a constant Key the listing lists', listing, { Key: 'in/c.json' }, false, "at key 'in/c.json'"],
    ['a States.Format Key under the prefix listed', listing, { 'Key.$': "States.Format('in/{}.json', $.id)" }, false, "at keys starting 'in/'"],
    ['a States.Format Key whose start the prefix listed extends', listing, { 'Key.$': "States.Format('i{}.json', $.id)" }, false, "at keys starting 'i'"],
    ['a States.Format Key with an escape before its placeholder', json('items.json'), { 'Key.$': "States.Format('items\\{}{}', $.id)" }, false, "at keys starting 'items'"],
    ['a Key read from the run', json('items.json'), { 'Key.$': '$.key' }, false, 'at any key'],
    ['a JSONata Key read from the run', listing, { Key: '{% $states.input.key %}' }, true, 'at any key'],
    ['a JSONata Key that starts under the prefix listed', listing, { Key: "{% 'in/' & $states.input.id %}" }, true, "at keys starting 'in/'"],
    ['a JSONata Key of more than a start and a value', json('items.json'), { Key: "{% 'out/' & $states.input.id & '.json' %}" }, true, 'at any key'],
  ])('bounds nothing where a write to its bucket can land where it reads, naming where: %s', async (_what, reader, key, jsonata, at) => {
    const bound = (await folderItems(writing(reader, key, jsonata), ['Each'], store())).get('Each');
    expect(bound).toMatchObject({ unbounded: expect.stringContaining(`Task 'Put' calls s3:putObject, which can write there, to bucket 'data' ${at}`) });
  });

  it('bounds nothing where an S3 call names no single key (deleteObjects), nor a copy onto what the reader reads', async () => {
    const many = reading(json('items.json'), {}, { name: 'Put', state: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:deleteObjects', Parameters: { Bucket: 'data', Delete: { Objects: [{ Key: 'x' }] } }, ResultPath: null } });
    expect((await folderItems(many, ['Each'], store())).get('Each')).toMatchObject({ unbounded: expect.stringContaining("calls s3:deleteObjects, which can write there, to bucket 'data' at any key") });
    const copy = reading(json('items.json'), {}, { name: 'Put', state: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:copyObject', Parameters: { Bucket: 'data', Key: 'items.json', CopySource: 'data/other.json' }, ResultPath: null } });
    expect((await folderItems(copy, ['Each'], store())).get('Each')).toMatchObject({ unbounded: expect.stringContaining("calls s3:copyObject, which can write there, to bucket 'data' at key 'items.json'") });
  });
});

describe('verify of a Map that reads the S3 folder without ReaderConfig.MaxItems', () => {
  it('HOLDS at the folder\'s items, saying so, and is VIOLATED under them, reproduced with the folder', async () => {
    const def = reading(json('items.json'));
    const wf = Workflow.fromDefinition(def);
    const report = await wf.verify({
      seconds: Property.maxSeconds(50), under: Property.maxSeconds(49), holds: Property.atMost('Hold', 5), fewer: Property.atMost('Hold', 4), steps: Property.maxTransitions(100),
    }, { s3Dir: dir });
    const folder = 'bounded by the 5 items the folder holds at s3://data/items.json';
    expect(report.properties.seconds).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining(folder) });
    expect(report.properties.holds).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining(folder) });
    expect(report.properties.steps).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining(folder) });
    for (const name of ['under', 'fewer']) {
      const verdict = report.properties[name];
      expect(verdict.verdict).toBe('VIOLATED');
      const { input, mocks, path: seen } = verdict.counterexample!;
      const run = await wf.run(input, { mocks: mocksFromJson(mocks, name), s3: { dir, readOnly: true } });
      expect({ path: run.path, seconds: secondsOf(run) }).toEqual({ path: seen, seconds: 50 });
      const out = await runThroughCli(def, input, mocks, '--s3-dir', dir);
      expect({ path: out.path, seconds: secondsOf(out) }).toEqual({ path: seen, seconds: 50 });
    }
  });

  it('says the same through stepwright verify --s3-dir', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-map-folder-cli-'));
    try {
      const machine = path.join(work, 'm.asl.json');
      fs.writeFileSync(machine, JSON.stringify(reading(json('items.json'))));
      const properties = path.join(work, 'p.properties.js');
      fs.writeFileSync(properties, 'exports.seconds = { kind: \'maxSeconds\', limit: 50 };\n');
      const out = JSON.parse((await cli('verify', machine, '--property', properties, '--s3-dir', dir, '--json')).out) as Record<string, { verdict: string; reason: string }>;
      expect(out.seconds).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining('bounded by the 5 items the folder holds at s3://data/items.json') });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('stays UNKNOWN where a Task writes to the bucket it lists before the Map, naming it: a run that writes reads more', async () => {
    const def = reading({ Resource: LIST, Parameters: { Bucket: 'data', Prefix: 'in/' } }, {}, putObject({ Bucket: 'data' }, 'in/c.json'));
    // Were the folder's 2 objects under in/ a bound, a run would last 5 + 20 s at most and enter 'Hold' twice.
    const report = await Workflow.fromDefinition(def).verify({ seconds: Property.maxSeconds(25), entries: Property.atMost('Hold', 2) }, { s3Dir: dir });
    for (const name of ['seconds', 'entries']) {
      expect(report.properties[name]).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringContaining('Task \'Put\' calls s3:putObject, which can write there, to bucket \'data\'') });
    }
    // A run whose Put the local S3 answers (kept in memory for the run) lists 3.
    const run = await Workflow.fromDefinition(def).run({}, { s3: { dir, readOnly: true } });
    expect({ status: run.status, seconds: secondsOf(run), holds: run.path.filter((s) => s === 'Hold').length }).toEqual({ status: 'SUCCEEDED', seconds: 30, holds: 3 });
  });

  it('HOLDS where a Task writes to the bucket it lists but outside the prefix, and a run with that write reads the folder\'s items', async () => {
    const def = reading({ Resource: LIST, Parameters: { Bucket: 'data', Prefix: 'in/' } }, {}, putObject({ Bucket: 'data' }, 'out/c.json'));
    const report = await Workflow.fromDefinition(def).verify({ seconds: Property.maxSeconds(25), entries: Property.atMost('Hold', 2) }, { s3Dir: dir });
    for (const name of ['seconds', 'entries']) {
      expect(report.properties[name]).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining('bounded by the 2 items the folder holds at s3://data/in/') });
    }
    const run = await Workflow.fromDefinition(def).run({}, { s3: { dir, readOnly: true } });
    expect({ status: run.status, holds: run.path.filter((s) => s === 'Hold').length }).toEqual({ status: 'SUCCEEDED', holds: 2 });
    expect(secondsOf(run)).toBeLessThanOrEqual(25);
  });

  it('stays UNKNOWN where the Map writes its results where it lists and a loop comes back to it, naming the Map', async () => {
    const looped = {
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: {
        'Each': {
          Type: 'Map',
          ItemReader: { Resource: LIST, Arguments: { Bucket: 'data', Prefix: 'in/' } },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Hold',
            States: { Hold: { Type: 'Wait', Seconds: 10, End: true } },
          },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Arguments: { Bucket: 'data', Prefix: 'in/results' } },
          MaxConcurrency: 1,
          Output: '{% $states.input %}',
          Assign: { turns: '{% ($turns ? $turns : 0) + 1 %}' },
          Next: 'Again?',
        },
        'Again?': { Type: 'Choice', Choices: [{ Condition: '{% $turns < 2 %}', Next: 'Each' }], Default: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const report = await Workflow.fromDefinition(looped).verify({ seconds: Property.maxSeconds(40), entries: Property.atMost('Hold', 4) }, { s3Dir: dir });
    for (const name of ['seconds', 'entries']) {
      expect(report.properties[name]).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringContaining('Map \'Each\' writes its results there (its ResultWriter), to bucket \'data\'') });
    }
    // Twice over the 2 objects the folder holds would be 4 iterations; the second turn also lists the first turn's result files.
    const run = await Workflow.fromDefinition(looped).run({}, { s3: { dir, readOnly: true } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.path.filter((s) => s === 'Hold').length).toBeGreaterThan(4);
  });

  it.each([
    ['a CSV whose header repeats a name, refused at its first row', 'bad.csv', 'CSV', 0, 'CSV headers cannot contain duplicates.'],
    ['JSON Lines whose fourth line is no JSON, refused after three items', 'bad.jsonl', 'JSONL', 3, 'Line 4 of the JSONL object could not be parsed as JSON'],
  ])('judges a folder the reader refuses on the runs, which fail, and never crashes: %s', async (_what, key, type, items, refusal) => {
    const def = reading({ Resource: GET, ReaderConfig: { InputType: type }, Parameters: { Bucket: 'data', Key: key } });
    const wf = Workflow.fromDefinition(def);
    const report = await wf.verify({ seconds: Property.maxSeconds(items * 10), ok: Property.endsWith({ statuses: ['SUCCEEDED'] }) }, { s3Dir: dir });
    expect(report.properties.seconds).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining(`bounded by the ${items} item${items === 1 ? '' : 's'} the folder holds at s3://data/${key} before its reader refuses the next (${refusal}`) });
    const verdict = report.properties.ok;
    expect(verdict.verdict).toBe('VIOLATED');
    const { input, mocks, path: seen } = verdict.counterexample!;
    const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'ok'), s3: { dir, readOnly: true } });
    expect({ path: run.path, status: run.status, error: run.error }).toEqual({ path: seen, status: 'FAILED', error: 'States.ItemReaderFailed' });
    expect(secondsOf(run)).toBeLessThanOrEqual(items * 10);
    const out = await runThroughCli<{ path: string[]; status: string }>(def, input, mocks, '--s3-dir', dir);
    expect({ path: out.path, status: out.status }).toEqual({ path: seen, status: 'FAILED' });
  });
});
