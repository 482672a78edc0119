// Map at scale: time and peak memory of one Express execution whose Map runs a
// Task and a Choice per item, inline and distributed, over 100,000 items by
// default. Each scenario runs in its own process, so its peak RSS
// (process.resourceUsage().maxRSS) is its own. Needs the compiled library:
// `npx tsc -p tsconfig.json` (or `npx projen compile`).
//
//   node bench/map-scale.mjs [--items 100000] [--concurrency 0] [--async] [--no-history]
//   node bench/map-scale.mjs --items 1000000 --concurrency 40 --no-history   (the 10^6 memory check)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

async function scenario(mode, items, concurrency) {
  const { compileStateMachine } = await import(pathToFileURL(lib).href);
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
  for (const mode of ['INLINE', 'DISTRIBUTED']) {
    const args = [fileURLToPath(import.meta.url), '--scenario', mode, String(items), String(concurrency), ...process.argv.filter((a) => a === '--async' || a === '--no-history')];
    const run = spawnSync(process.execPath, args, { encoding: 'utf-8' });
    process.stdout.write(run.stdout);
    if (run.status !== 0) {
      process.stderr.write(run.stderr);
      process.exit(run.status ?? 1);
    }
  }
}
