// Map at scale: time and peak memory of one Express execution whose Map runs a
// Task and a Choice per item, inline and distributed, over 100,000 items by
// default. Each scenario runs in its own process, so its peak RSS
// (process.resourceUsage().maxRSS) is its own. Needs the compiled library:
// `npx tsc -p tsconfig.json` (or `npx projen compile`).
//
//   node bench/map-scale.mjs [--items 100000] [--concurrency 0] [--async] [--no-history]
//   node bench/map-scale.mjs --items 1000000 --concurrency 40 --no-history   (the 10^6 memory check)
//   node bench/map-scale.mjs --items 1000000 --concurrency 40 --no-history --s3
//     also a DISTRIBUTED Map whose ItemReader reads the items from a JSON Lines file in a local
//     S3 folder (the file is written to a temporary folder first), and one over a listing of
//     --keys keys (default 100,000), one file each; both write their results with a ResultWriter
//     to the same local S3 (SUCCEEDED_0.json), so no result is held
//     and the JSON Lines Map again in `stepwright serve` (SERVE-S3-JSONL: startServer with the
//     folder, the execution started and awaited through the SFN API; its history is kept, as serve keeps it)
//   node bench/map-scale.mjs --only S3-JSONL --items 100000 --concurrency 40 --no-history
//     one scenario
//   node bench/map-scale.mjs --only S3-CSV --items 1000000 --concurrency 40 --no-history --s3 --pass --heap 48
//     --pass: each child is one Pass state; --heap <MB>: the scenario's process gets that old space
//     (--max-old-space-size), so a run that held anything per item would end with "heap out of
//     memory": a million items read from a file and written to result files fit in 48 MB
//   CLI-S3-JSONL: the S3-JSONL Map through `stepwright run --s3-dir --json`, its JSON answer included
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { answerHelp } from './cli-options.mjs';

answerHelp();

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = path.join(here, '..', 'lib', 'interpreter', 'index.js');
const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

/** A Map over $.items: Work (a Task) then Check (a Choice) per item. */
function definition(mode, concurrency) {
  return {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: concurrency,
        ItemProcessor: {
          ProcessorConfig: mode === 'DISTRIBUTED' ? { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } : { Mode: 'INLINE' },
          StartAt: 'Work',
          States: {
            Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Work', Next: 'Check' },
            Check: {
              Type: 'Choice',
              Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }],
              Default: 'Bad',
            },
            Done: { Type: 'Succeed' },
            Bad: { Type: 'Fail', Error: 'Bad' },
          },
        },
        // The results are not the point: keep the output small, as a real workflow would.
        ResultSelector: { 'count.$': 'States.ArrayLength($)' },
        End: true,
      },
    },
  };
}

const asyncHandler = process.argv.includes('--async');
const noHistory = process.argv.includes('--no-history');
const passProcessor = process.argv.includes('--pass');

/** The items of the S3 scenarios: a JSONL file of `items` lines, or a bucket of `items` keys. */
function s3Fixture(mode, items) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-bench-s3-'));
  fs.mkdirSync(path.join(dir, 'data', 'keys'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'results'));
  if (mode === 'S3-JSONL' || mode === 'S3-CSV') {
    const csv = mode === 'S3-CSV';
    const fd = fs.openSync(path.join(dir, 'data', csv ? 'items.csv' : 'items.jsonl'), 'w');
    if (csv) fs.writeSync(fd, 'id,sku,qty\n');
    const chunk = 10_000;
    for (let i = 0; i < items; i += chunk) {
      const lines = [];
      for (let j = i; j < Math.min(items, i + chunk); j++) {
        lines.push(csv ? `${j},sku-${j % 977},${j % 7}` : JSON.stringify({ id: j, sku: `sku-${j % 977}`, qty: j % 7 }));
      }
      fs.writeSync(fd, `${lines.join('\n')}\n`);
    }
    fs.closeSync(fd);
  } else {
    for (let i = 0; i < items; i++) fs.writeFileSync(path.join(dir, 'data', 'keys', `k${String(i).padStart(7, '0')}`), String(i));
  }
  return dir;
}

/** The S3 scenarios' definition: the Map of `definition` reading its items with an ItemReader. */
function s3Definition(mode, concurrency) {
  const def = definition('DISTRIBUTED', concurrency);
  const map = def.States.Each;
  delete map.ItemsPath;
  map.ItemReader = mode === 'S3-JSONL'
    ? { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'data', Key: 'items.jsonl' }, ReaderConfig: { InputType: 'JSONL' } }
    : mode === 'S3-CSV'
      ? { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'data', Key: 'items.csv' }, ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' } }
      : { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'data', Prefix: 'keys/' } };
  // --pass: each child is a single Pass, so the reader, the child executions and the result files are what is measured.
  if (passProcessor) map.ItemProcessor.States = { Work: { Type: 'Pass', End: true } };
  // The results go to S3 as the children end, as a Map over a million items is written on AWS:
  // the state's output is then the manifest's location, and no result is held.
  delete map.ResultSelector;
  map.ResultWriter = { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'out' } };
  return def;
}

/**
 * SERVE-S3-JSONL: the S3-JSONL Map in `stepwright serve` (startServer with the local S3 folder and
 * a handler for Work), started with StartExecution and awaited with DescribeExecution; the peak
 * RSS is the serving process's, its execution records and history included.
 */
async function serveScenario(items, concurrency) {
  const dir = s3Fixture('S3-JSONL', items);
  const { startServer } = await import(pathToFileURL(path.join(here, '..', 'lib', 'server', 'index.js')).href);
  const sfn = await import('@aws-sdk/client-sfn');
  const server = await startServer({
    port: 0, host: '127.0.0.1', s3Dir: dir, log: () => undefined, console: false,
    handlers: { Work: (input) => ({ ok: true, n: input.id }) },
  });
  try {
    const client = server.client();
    const { stateMachineArn } = await client.send(new sfn.CreateStateMachineCommand({
      name: 'MapScale', roleArn: 'arn:aws:iam::123456789012:role/bench', definition: JSON.stringify(s3Definition('S3-JSONL', concurrency)),
    }));
    const baseline = process.memoryUsage().rss;
    const started = process.hrtime.bigint();
    const { executionArn } = await client.send(new sfn.StartExecutionCommand({ stateMachineArn }));
    let described = { status: 'RUNNING' };
    // Bounded by the run itself: a poll a second while it runs.
    while (described.status === 'RUNNING') {
      await new Promise((r) => setTimeout(r, 1000));
      described = await client.send(new sfn.DescribeExecutionCommand({ executionArn }));
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (described.status !== 'SUCCEEDED') throw new Error(`SERVE-S3-JSONL: ${described.status} ${described.error} ${described.cause}`);
    const peakMb = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ mode: 'SERVE-S3-JSONL', items, concurrency, ms: Math.round(ms), peakRssMb: Math.round(peakMb), baselineRssMb: Math.round(baseline / 2 ** 20) }));
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * CLI-S3-JSONL: `stepwright run <definition> --s3-dir <dir> --json` in this process, its answer
 * counted and parsed: the peak RSS is the command's, the run's result and its JSON included.
 */
async function cliScenario(items, concurrency) {
  const dir = s3Fixture('S3-JSONL', items);
  const { main } = await import(pathToFileURL(path.join(here, '..', 'lib', 'cli', 'cli.js')).href);
  const definition = path.join(dir, 'machine.asl.json');
  fs.writeFileSync(definition, JSON.stringify(s3Definition('S3-JSONL', concurrency)));
  const chunks = [];
  const { Writable } = await import('node:stream');
  const sink = new Writable({ write(chunk, _enc, done) { chunks.push(chunk); done(); } });
  try {
    const baseline = process.memoryUsage().rss;
    const started = process.hrtime.bigint();
    const code = await main(['run', definition, '--s3-dir', dir, '--json'], sink, sink);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const text = Buffer.concat(chunks).toString();
    if (code !== 0) throw new Error(`CLI-S3-JSONL: exit ${code} ${text.slice(0, 500)}`);
    const peakMb = process.resourceUsage().maxRSS / 1024;
    const answer = JSON.parse(text);
    console.log(JSON.stringify({ mode: 'CLI-S3-JSONL', items, concurrency, ms: Math.round(ms), peakRssMb: Math.round(peakMb), baselineRssMb: Math.round(baseline / 2 ** 20), jsonMb: Math.round(text.length / 2 ** 20), pathEntries: answer.path.length }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function scenario(mode, items, concurrency) {
  if (mode === 'SERVE-S3-JSONL') return serveScenario(items, concurrency);
  if (mode === 'CLI-S3-JSONL') return cliScenario(items, concurrency);
  const { compileStateMachine } = await import(pathToFileURL(lib).href);
  if (mode.startsWith('S3-')) {
    const dir = s3Fixture(mode, items);
    try {
      const { FolderObjectStore } = await import(pathToFileURL(path.join(here, '..', 'lib', 'workbench', 's3', 'folder-store.js')).href);
      const machine = compileStateMachine(s3Definition(mode, concurrency), {
        type: 'EXPRESS',
        limits: { maxTransitions: Math.max(1_000_000, items * 4) },
        taskHandlers: { Work: (input) => ({ ok: true, n: input.id ?? input.Key }) },
        recordHistory: !noHistory,
      });
      const baseline = process.memoryUsage().rss;
      const started = process.hrtime.bigint();
      const result = await machine.start({}, { localS3: { store: new FolderObjectStore(dir) } }).result;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.status !== 'SUCCEEDED') throw new Error(`${mode}: ${result.status} ${result.error} ${result.cause}`);
      const peakMb = process.resourceUsage().maxRSS / 1024;
      // The path a run keeps: summarised for a Distributed Map's children (see docs/distributed-map.md).
      const pathEntries = result.path.length;
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'results', result.output.ResultWriterDetails.Key), 'utf-8'));
      const files = manifest.ResultFiles.SUCCEEDED.length;
      const resultMb = manifest.ResultFiles.SUCCEEDED.reduce((n, f) => n + f.Size, 0) / 2 ** 20;
      const heapLimitMb = Math.round((await import('node:v8')).getHeapStatistics().heap_size_limit / 2 ** 20);
    console.log(JSON.stringify({ mode, items, concurrency, history: !noHistory, ms: Math.round(ms), peakRssMb: Math.round(peakMb), baselineRssMb: Math.round(baseline / 2 ** 20), heapLimitMb, resultFiles: files, resultMb: Math.round(resultMb), pathEntries }));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const machine = compileStateMachine(definition(mode, concurrency), {
    type: 'EXPRESS',
    // 100,000 items inline are over AWS's 256 KiB input limit; the limit is raised so the Map itself is measured.
    // A million items enter 3 million states, past the stand-in for the EXPRESS 5-minute limit (a million states).
    limits: { maxPayloadBytes: 256 * 2 ** 20, maxTransitions: Math.max(1_000_000, items * 4) },
    taskHandlers: { Work: asyncHandler ? async (input) => ({ ok: true, n: input }) : (input) => ({ ok: true, n: input }) },
    recordHistory: !noHistory,
  });
  const input = { items: Array.from({ length: items }, (_, i) => i) };
  const baseline = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  const result = await machine.start(input).result;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 'SUCCEEDED') throw new Error(`${mode}: ${result.status} ${result.error} ${result.cause}`);
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ mode, items, concurrency, handler: asyncHandler ? 'async' : 'sync', history: !noHistory, ms: Math.round(ms), peakRssMb: Math.round(peakMb), baselineRssMb: Math.round(baseline / 2 ** 20), output: result.output }));
}

if (process.argv[2] === '--scenario') {
  await scenario(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
} else {
  if (!fs.existsSync(lib)) {
    console.error('map-scale: lib/ is missing; run `npx tsc -p tsconfig.json` first');
    process.exit(2);
  }
  const items = Number(flag('items', 100_000));
  const concurrency = Number(flag('concurrency', 0));
  const s3 = process.argv.includes('--s3');
  const keys = Number(flag('keys', 100_000));
  const only = flag('only', undefined);
  const runs = [['INLINE', items], ['DISTRIBUTED', items], ...(s3 ? [['S3-JSONL', items], ['S3-CSV', items], ['S3-LISTING', keys], ['SERVE-S3-JSONL', items], ['CLI-S3-JSONL', items]] : [])]
    .filter(([mode]) => only === undefined || mode === only);
  for (const [mode, count] of runs) {
    const heap = flag('heap', undefined);
    const args = [...(heap ? [`--max-old-space-size=${Number(heap)}`] : []), fileURLToPath(import.meta.url), '--scenario', mode, String(count), String(concurrency),
      ...process.argv.filter((a) => a === '--async' || a === '--no-history' || a === '--pass')];
    const run = spawnSync(process.execPath, args, { encoding: 'utf-8' });
    process.stdout.write(run.stdout);
    if (run.status !== 0) {
      process.stderr.write(run.stderr);
      process.exit(run.status ?? 1);
    }
  }
}
