// `node bench/serve.mjs [--executions 2000] [--concurrency 200] [--data-dir]`: figures of
// `stepwright serve` (run `npx projen compile` first). Prints: server start time (spawn to first
// answered request); Standard executions/s and StartExecution→SUCCEEDED latency p50/p99 (client
// send time to the execution's stopDate, same host clock, so no polling skews it); Express
// StartSyncExecution round trips; ListStateMachines answered while a Distributed Map's ItemReader
// reads 128 MiB of blank JSONL lines out of 4 KB of ZSTD (issue 74: readers yield). The load is sent as plain AWS JSON 1.0 requests, because the
// SDK's own per-request cost would otherwise be what is measured; the last line measures the same
// StartExecution load through @aws-sdk/client-sfn, and the SDK alone against a server that does nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Agent, request, createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, SFNClient, StartExecutionCommand, StartSyncExecutionCommand,
} from '@aws-sdk/client-sfn';
import { answerHelp } from './cli-options.mjs';

answerHelp();

const here = path.dirname(fileURLToPath(import.meta.url));
const main = path.join(here, '..', 'lib', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  console.error('bench/serve: lib/ is missing; run `npx projen compile` first');
  process.exit(2);
}
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const EXECUTIONS = arg('executions', 2000);
const CONCURRENCY = arg('concurrency', 200);
const durable = process.argv.includes('--data-dir');
const ROLE = 'arn:aws:iam::123456789012:role/StepFunctionsRole';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-bench-serve-'));
const handlers = path.join(tmp, 'handlers.cjs');
fs.writeFileSync(handlers, 'exports.Work = (input) => ({ n: input.n, doubled: input.n * 2 });\n');
const s3Dir = path.join(tmp, 's3');
const BLANK_BYTES = 128 * 1024 * 1024;
/** `bytes` line feeds as ZSTD run-length blocks of 128 KiB: a few KB (as test/workbench/s3/bombs.ts). */
function zstdNewlines(bytes) {
  const block = 128 * 1024;
  const parts = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x50])];
  for (let left = bytes; left > 0; left -= block) {
    const size = Math.min(block, left);
    const header = (left <= block ? 1 : 0) + 2 + size * 8;
    parts.push(Buffer.from([header % 256, Math.floor(header / 256) % 256, Math.floor(header / 65536) % 256, 0x0a]));
  }
  return Buffer.concat(parts);
}
fs.mkdirSync(path.join(s3Dir, 'data'), { recursive: true });
fs.writeFileSync(path.join(s3Dir, 'data', 'blank.jsonl.zst'), zstdNewlines(BLANK_BYTES));

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function startChild() {
  const args = [main, 'serve', '--port', '0', '--handlers', handlers, '--s3-dir', s3Dir, ...(durable ? ['--data-dir', path.join(tmp, 'data')] : [])];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout.once('data', async (d) => {
      const endpoint = String(d).trim();
      endpointUrl = endpoint;
      const printed = performance.now() - t0;
      const sfn = new SFNClient({
        endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, disableHostPrefix: true,
        requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) },
      });
      await sfn.send(new ListStateMachinesCommand({}));
      resolve({ child, sfn, printed, answering: performance.now() - t0 });
    });
  });
}

const definition = JSON.stringify({
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Parameters: { 'n.$': '$.n' }, Next: 'Work' },
    Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'work', Payload: { 'n.$': '$.n' } }, Next: 'Done' },
    Done: { Type: 'Pass', End: true },
  },
});

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
let endpointUrl;
/** One AWS JSON 1.0 call, as the SDK sends it, without the SDK. */
function call(operation, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${endpointUrl}/`, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${operation}`, 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const out = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (res.statusCode !== 200) reject(new Error(`${operation}: ${out.__type}: ${out.message}`));
        else resolve(out);
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function pool(count, run) {
  let next = 0;
  const worker = async () => { while (next < count) await run(next++); };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
}

const { child, sfn, printed, answering } = await startChild();
try {
  const standard = (await sfn.send(new CreateStateMachineCommand({ name: 'bench', definition, roleArn: ROLE }))).stateMachineArn;
  const express = (await sfn.send(new CreateStateMachineCommand({ name: 'bench-express', definition, roleArn: ROLE, type: 'EXPRESS' }))).stateMachineArn;

  // Standard: StartExecution from CONCURRENCY clients at once, then read each stopDate.
  const sent = new Array(EXECUTIONS);
  const arns = new Array(EXECUTIONS);
  const t0 = Date.now();
  await pool(EXECUTIONS, async (i) => {
    sent[i] = Date.now();
    arns[i] = (await call('StartExecution', { stateMachineArn: standard, input: JSON.stringify({ n: i }) })).executionArn;
  });
  const startsDone = Date.now();
  const stops = new Array(EXECUTIONS);
  await pool(EXECUTIONS, async (i) => {
    for (;;) {
      const d = await call('DescribeExecution', { executionArn: arns[i] });
      if (d.status === 'SUCCEEDED') { stops[i] = d.stopDate * 1000; return; }
      if (d.status !== 'RUNNING') throw new Error(`${arns[i]} ended ${d.status}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  const lastStop = Math.max(...stops);
  const latencies = stops.map((s, i) => s - sent[i]).sort((a, b) => a - b);

  // Express: StartSyncExecution round trips.
  const syncLatencies = [];
  const s0 = Date.now();
  await pool(EXECUTIONS, async (i) => {
    const t = performance.now();
    const out = await call('StartSyncExecution', { stateMachineArn: express, input: JSON.stringify({ n: i }) });
    if (out.status !== 'SUCCEEDED') throw new Error(`sync execution ${out.status}`);
    syncLatencies.push(performance.now() - t);
  });
  const syncElapsed = Date.now() - s0;
  syncLatencies.sort((a, b) => a - b);

  // The same StartExecution load through the SDK, and the SDK alone against a server that answers at once.
  const sdkRate = async (client, command) => {
    const t = Date.now();
    await pool(EXECUTIONS, () => client.send(command()));
    return (EXECUTIONS * 1000) / (Date.now() - t);
  };
  const viaSdk = await sdkRate(sfn, () => new StartExecutionCommand({ stateMachineArn: standard, input: '{"n":1}' }));
  const nothing = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }); res.end('{}'); }); });
  await new Promise((r) => nothing.listen(0, '127.0.0.1', r));
  const nullClient = new SFNClient({
    endpoint: `http://127.0.0.1:${nothing.address().port}`, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) },
  });
  const sdkAlone = await sdkRate(nullClient, () => new ListStateMachinesCommand({}));
  nullClient.destroy();
  nothing.close();

  // ListStateMachines while an ItemReader reads blank lines: answers that came while the execution ran.
  const reader = (await sfn.send(new CreateStateMachineCommand({
    name: 'bench-blank-lines', roleArn: ROLE,
    definition: JSON.stringify({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'data', Key: 'blank.jsonl.zst' }, ReaderConfig: { InputType: 'JSONL' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    }),
  }))).stateMachineArn;
  const idleAnswers = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await call('ListStateMachines', {});
    idleAnswers.push(performance.now() - t);
  }
  idleAnswers.sort((a, b) => a - b);
  const r0 = performance.now();
  const readerArn = (await call('StartExecution', { stateMachineArn: reader, input: '{}' })).executionArn;
  const readAnswers = [];
  for (let status = 'RUNNING'; status === 'RUNNING';) {
    const t = performance.now();
    await call('ListStateMachines', {});
    const took = performance.now() - t;
    status = (await call('DescribeExecution', { executionArn: readerArn })).status;
    if (status === 'RUNNING') readAnswers.push(took);
    else if (status !== 'SUCCEEDED') throw new Error(`the reader's execution ended ${status}`);
  }
  const readElapsed = performance.now() - r0;
  readAnswers.sort((a, b) => a - b);

  const f = (n) => n.toFixed(1);
  console.log(`stepwright serve — ${EXECUTIONS} executions, ${CONCURRENCY} concurrent clients, ${durable ? 'journaled (--data-dir, fsync)' : 'in memory'}, Node ${process.version}, ${os.cpus().length} CPUs`);
  console.log(`  server start: endpoint printed ${f(printed)} ms, first request answered ${f(answering)} ms after spawn`);
  console.log(`  Standard StartExecution: ${f((EXECUTIONS * 1000) / (startsDone - t0))} starts/s; ${f((EXECUTIONS * 1000) / (lastStop - t0))} executions/s to SUCCEEDED`);
  console.log(`  StartExecution→SUCCEEDED latency: p50 ${f(percentile(latencies, 50))} ms, p99 ${f(percentile(latencies, 99))} ms`);
  console.log(`  Express StartSyncExecution: ${f((EXECUTIONS * 1000) / syncElapsed)} executions/s; round trip p50 ${f(percentile(syncLatencies, 50))} ms, p99 ${f(percentile(syncLatencies, 99))} ms`);
  console.log(`  ListStateMachines while an ItemReader reads ${BLANK_BYTES / 1024 / 1024} MiB of blank lines (${f(readElapsed / 1000)} s): `
    + `${readAnswers.length} answered, p50 ${f(percentile(readAnswers, 50))} ms, max ${f(readAnswers.at(-1) ?? NaN)} ms (idle p50 ${f(percentile(idleAnswers, 50))} ms)`);
  console.log(`  through @aws-sdk/client-sfn: ${f(viaSdk)} StartExecution/s (the SDK alone, against a server that does nothing: ${f(sdkAlone)} requests/s)`);
} finally {
  sfn.destroy();
  agent.destroy();
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(tmp, { recursive: true, force: true });
}
