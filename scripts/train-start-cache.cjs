'use strict';
// Makes lib/cli/start.v8cache, the V8 code cache of the modules `stepwright serve` runs before its
// first answer (src/cli/start-cache.ts says why and how it is read). Run by
// scripts/bundle-entries.mjs, after tsc. V8's cache holds the functions compiled by the time it is
// made, so serve is started in this process, as `stepwright serve --port 0` starts it, and
// answers one ListStateMachines first: what its start and first answer compile, and no more (every
// function in the cache is read back at each start, used or not).
//   node scripts/train-start-cache.cjs
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const lib = path.join(__dirname, '..', 'lib');
const startCache = require(path.join(lib, 'cli', 'start-cache.js'));
const file = path.join(lib, 'cli', startCache.START_CACHE_FILE);
// Made afresh: main.js, when it loads, must find no older cache to install.
fs.rmSync(file, { force: true });
startCache.installStartCache(lib, file, true);

function writeCache() {
  const parts = [];
  const files = [];
  let offset = 0;
  for (const { file: name, script, sourceLength } of startCache.trained) {
    const data = script.createCachedData();
    files.push([name, offset, data.length, sourceLength]);
    parts.push(data);
    offset += data.length;
  }
  const header = { ...startCache.startCacheRuntime(), files };
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'latin1'), ...parts]));
  return { files: files.length, bytes: offset };
}

async function answerOnce(endpoint) {
  const res = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.ListStateMachines' },
    body: '{}',
  });
  await res.text();
  if (res.status !== 200) throw new Error(`ListStateMachines: HTTP ${res.status}`);
}

// serve prints its endpoint first, then its notes on stderr: kept, and shown only if it fails.
const write = process.stdout.write.bind(process.stdout);
let printed = '';
let notes = '';
process.stderr.write = (chunk) => { notes += String(chunk); return true; };
process.stdout.write = (chunk) => {
  if (printed.includes('\n')) return true;
  printed += String(chunk);
  if (printed.includes('\n')) {
    answerOnce(printed.split('\n')[0]).then(() => {
      const { files, bytes } = writeCache();
      write(`train-start-cache: ${files} modules, ${(bytes / 1024).toFixed(0)} KiB in lib/cli/${startCache.START_CACHE_FILE}\n`);
      process.exit(0);
    }, (e) => {
      write(`train-start-cache: ${e.stack ?? e}\n${notes}`);
      process.exit(1);
    });
  }
  return true;
};
// A serve that stops before it answers (its error went to the notes).
process.on('exit', (code) => { if (code !== 0) write(`train-start-cache: serve ended with ${code} before its first answer\n${notes}`); });
process.chdir(os.tmpdir());
process.argv = [process.argv[0], path.join(lib, 'cli', 'main.js'), 'serve', '--port', '0'];
require(path.join(lib, 'cli', 'main.js'));
