import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '../../asl/definition-types';
import { StatesError } from '../../asl/states-errors';
import { checkObjectKey, ObjectStoreError, type ObjectStore } from '../object-store';
import type { Failure } from '../runtime';

/** A ResultWriter's WriterConfig, read. @internal */
export interface WriterConfig {
  readonly outputType: 'JSON' | 'JSONL';
  readonly transformation: 'NONE' | 'COMPACT' | 'FLATTEN';
}

const writerFailed = (cause: string): StatesError => new StatesError('States.ResultWriterFailed', cause);

/**
 * Reads WriterConfig: OutputType JSON or JSONL, Transformation NONE, COMPACT or FLATTEN. Without
 * one, results written to S3 are NONE (each child execution described) and results returned as
 * the state's output are COMPACT (the outputs alone), as AWS documents.
 * @internal
 */
export function writerConfigOf(config: JsonValue | undefined, writesToS3: boolean): WriterConfig {
  const c = config !== null && typeof config === 'object' && !Array.isArray(config) ? config : {};
  const outputType = Object.hasOwn(c, 'OutputType') ? c.OutputType : 'JSON';
  const transformation = Object.hasOwn(c, 'Transformation') ? c.Transformation : writesToS3 ? 'NONE' : 'COMPACT';
  if (outputType !== 'JSON' && outputType !== 'JSONL') throw writerFailed(`WriterConfig.OutputType ${JSON.stringify(outputType)} is not JSON or JSONL.`);
  if (transformation !== 'NONE' && transformation !== 'COMPACT' && transformation !== 'FLATTEN') {
    throw writerFailed(`WriterConfig.Transformation ${JSON.stringify(transformation)} is not NONE, COMPACT or FLATTEN.`);
  }
  return { outputType, transformation };
}

/** What one Map Run did, item by item, for the result files. @internal */
export interface MapRunRecord {
  readonly mapRunArn: string;
  /** `arn:…:stateMachine:<machine>/<label>`: the child executions' state machine. */
  readonly stateMachineArn: string;
  readonly count: number;
  input(i: number): JsonValue;
  /** The child's output, or its failure; undefined for one that never ran (PENDING). */
  outcome(i: number): { readonly output: JsonValue } | { readonly failure: Failure } | undefined;
  startMs(i: number): number;
  stopMs(i: number): number;
}

/** The id that ends a Map Run's ARN: the folder AWS writes its results under. @internal */
export function mapRunIdOf(mapRunArn: string): string {
  return mapRunArn.slice(mapRunArn.lastIndexOf(':') + 1);
}

/**
 * The name of child execution `i` of a Map Run: a UUID, derived from the Map Run and the index
 * so that runs repeat exactly and the execution's own random draws are untouched.
 */
function childName(mapRunArn: string, i: number): string {
  const h = createHash('md5').update(`${mapRunArn}#${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Child execution `i` as a result file describes it (Transformation NONE), fields in AWS's order. */
function described(run: MapRunRecord, i: number, outcome: { output: JsonValue } | { failure: Failure }): JsonObject {
  const name = childName(run.mapRunArn, i);
  const executionArn = `${run.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  const head: JsonObject = 'failure' in outcome
    ? { ...(outcome.failure.cause !== undefined ? { Cause: outcome.failure.cause } : {}), Error: outcome.failure.error }
    : {};
  const out: JsonObject = { ...head, ExecutionArn: executionArn, Input: JSON.stringify(run.input(i)), InputDetails: { Included: true }, Name: name };
  if ('output' in outcome) {
    out.Output = JSON.stringify(outcome.output);
    out.OutputDetails = { Included: true };
  }
  out.RedriveCount = 0;
  out.RedriveStatus = 'NOT_REDRIVABLE';
  out.RedriveStatusReason = 'failure' in outcome ? 'Execution is a child of a Map Run; redrive the parent execution' : 'Execution is SUCCEEDED and cannot be redriven';
  out.StartDate = iso(run.startMs(i));
  out.StateMachineArn = run.stateMachineArn;
  out.Status = 'failure' in outcome ? 'FAILED' : 'SUCCEEDED';
  out.StopDate = iso(run.stopMs(i));
  return out;
}

/** The entries of one item's result under a transformation; FLATTEN spreads an array output. */
function entries(run: MapRunRecord, i: number, outcome: { output: JsonValue } | { failure: Failure }, config: WriterConfig): JsonValue[] {
  // A failed child is always described whole, whatever the transformation.
  if (config.transformation === 'NONE' || 'failure' in outcome) return [described(run, i, outcome)];
  if (config.transformation === 'FLATTEN' && Array.isArray(outcome.output)) return outcome.output;
  return [outcome.output];
}

/**
 * The Map's results, transformed (WriterConfig without Resource): what the state outputs.
 * @internal
 */
export function transformedResults(run: MapRunRecord, config: WriterConfig): JsonValue[] {
  const out: JsonValue[] = [];
  for (let i = 0; i < run.count; i++) {
    const o = run.outcome(i);
    if (o) for (const e of entries(run, i, o, config)) out.push(e);
  }
  return out;
}

/**
 * Writes a Map Run's results as AWS does: `<Prefix>/<MapRunId>/SUCCEEDED_0.json`,
 * `FAILED_0.json` and `PENDING_0.json` (those with entries), then `manifest.json` listing them;
 * returns the Map's output, `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`. Every key
 * is checked before anything is written.
 * @internal
 */
export function writeResultFiles(store: ObjectStore, parameters: JsonValue, run: MapRunRecord, config: WriterConfig): JsonObject {
  const p = parameters !== null && typeof parameters === 'object' && !Array.isArray(parameters) ? parameters : {};
  const bucket = Object.hasOwn(p, 'Bucket') ? p.Bucket : undefined;
  const prefix = Object.hasOwn(p, 'Prefix') ? p.Prefix : undefined;
  if (typeof bucket !== 'string' || bucket === '') throw writerFailed(`The ResultWriter's Parameters need a Bucket (a string), got ${JSON.stringify(bucket ?? null)}.`);
  if (prefix !== undefined && typeof prefix !== 'string') throw writerFailed(`The ResultWriter's Prefix must be a string, got ${JSON.stringify(prefix)}.`);
  const folder = `${prefix ? `${prefix.replace(/\/+$/, '')}/` : ''}${mapRunIdOf(run.mapRunArn)}`;
  const extension = config.outputType === 'JSONL' ? 'jsonl' : 'json';
  const keys = { SUCCEEDED: `${folder}/SUCCEEDED_0.${extension}`, FAILED: `${folder}/FAILED_0.${extension}`, PENDING: `${folder}/PENDING_0.${extension}` };
  const manifestKey = `${folder}/manifest.json`;
  try {
    for (const key of [...Object.values(keys), manifestKey]) checkObjectKey(key);
  } catch (e) {
    throw writerFailed(e instanceof Error ? `${e.message}; fix the ResultWriter's Prefix.` : String(e));
  }
  const groups: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', JsonValue[]> = { SUCCEEDED: [], FAILED: [], PENDING: [] };
  for (let i = 0; i < run.count; i++) {
    const o = run.outcome(i);
    if (!o) {
      groups.PENDING.push({ Input: JSON.stringify(run.input(i)), InputDetails: { Included: true }, Status: 'PENDING' });
      continue;
    }
    groups['failure' in o ? 'FAILED' : 'SUCCEEDED'].push(...entries(run, i, o, config));
  }
  const files: Record<'FAILED' | 'PENDING' | 'SUCCEEDED', JsonValue[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  try {
    for (const status of ['SUCCEEDED', 'FAILED', 'PENDING'] as const) {
      const list = groups[status];
      if (list.length === 0) continue;
      const body = config.outputType === 'JSONL' ? list.map((e) => JSON.stringify(e)).join('\n') + '\n' : JSON.stringify(list);
      const written = store.write(bucket, keys[status], body);
      files[status].push({ Key: keys[status], Size: written.size });
    }
    store.write(bucket, manifestKey, JSON.stringify({ DestinationBucket: bucket, MapRunArn: run.mapRunArn, ResultFiles: files }));
  } catch (e) {
    if (e instanceof ObjectStoreError) throw writerFailed(`${e.message} (S3.${e.code})`);
    throw e;
  }
  return { MapRunArn: run.mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: manifestKey } };
}
