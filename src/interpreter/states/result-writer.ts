import { childExecutionArn, childExecutionName } from './child-execution';
import type { ResultFolder } from './map-run';
import type { JsonObject, JsonValue, MapRunManifest, MapRunResultFile } from '../../asl';
import { AwsLimits } from '../../asl/limits';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { checkObjectKey, ObjectStoreError, openObjectWriter, type ObjectStore, type ObjectWriter } from '../object-store';
import type { Failure } from '../runtime';

/** A ResultWriter's WriterConfig, read. @internal */
export interface WriterConfig {
  readonly outputType: 'JSON' | 'JSONL';
  readonly transformation: 'NONE' | 'COMPACT' | 'FLATTEN';
}

const writerFailed = (cause: string): StatesError => new StatesError(StatesErrors.RESULT_WRITER_FAILED, cause);

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
  outcome(i: number): ChildOutcome | undefined;
  startMs(i: number): number;
  stopMs(i: number): number;
}

/** How one child execution ended: with its output, its failure, or stopped by its Map Run's failure. @internal */
export type ChildOutcome = { readonly output: JsonValue } | { readonly failure: Failure } | { readonly aborted: true };

/** One child execution that ended, as a result file describes it. @internal */
export interface EndedChild {
  readonly index: number;
  readonly input: JsonValue;
  readonly startMs: number;
  readonly stopMs: number;
  readonly outcome: ChildOutcome;
}

/** The id that ends a Map Run's ARN: the folder AWS writes its results under. @internal */
export function mapRunIdOf(mapRunArn: string): string {
  return mapRunArn.slice(mapRunArn.lastIndexOf(':') + 1);
}

/**
 * The Bucket and the Prefix folder (`<Prefix>/`, or none) a ResultWriter's Parameters name, when
 * they are well formed; a new Map Run's id must name a folder under them that holds no files.
 * @internal
 */
export function resultFolderOf(store: ObjectStore, parameters: JsonValue): ResultFolder | undefined {
  const p = parameters !== null && typeof parameters === 'object' && !Array.isArray(parameters) ? parameters : {};
  const bucket = Object.hasOwn(p, 'Bucket') ? p.Bucket : undefined;
  const prefix = Object.hasOwn(p, 'Prefix') ? p.Prefix : undefined;
  if (typeof bucket !== 'string' || bucket === '' || (prefix !== undefined && typeof prefix !== 'string')) return undefined;
  return { store, bucket, prefix: prefixFolder(prefix) };
}

/** `<Prefix>/` without the slashes that end it, or nothing. */
function prefixFolder(prefix: string | undefined): string {
  return prefix ? `${prefix.replace(/\/+$/, '')}/` : '';
}

let lastMs = NaN;
let lastIso = '';
/** ISO text of a time; children on the virtual clock mostly share one, so the last is kept. */
const iso = (ms: number): string => {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
};

/**
 * A child execution as a result file describes it (Transformation NONE), fields in AWS's order.
 * As AWS writes them (a capture of AWS's SUCCEEDED_0.json and FAILED_0.json): a child that
 * succeeded is NOT_REDRIVABLE, "Execution is SUCCEEDED and cannot be redriven"; one that failed
 * has its Error and Cause first, OutputDetails but no Output, and is REDRIVABLE_BY_MAP_RUN with no
 * reason. One stopped by its Map Run's failure is written as a failed one with status ABORTED and
 * no Error (what AWS writes for it is not recorded).
 */
function described(mapRunArn: string, stateMachineArn: string, child: EndedChild): JsonObject {
  const { outcome } = child;
  const name = childExecutionName(mapRunArn, child.index);
  const out: JsonObject = 'failure' in outcome
    ? { ...(outcome.failure.cause !== undefined ? { Cause: outcome.failure.cause } : {}), ...(outcome.failure.error !== '' ? { Error: outcome.failure.error } : {}) }
    : {};
  out.ExecutionArn = childExecutionArn(stateMachineArn, name);
  out.Input = JSON.stringify(child.input);
  out.InputDetails = { Included: true };
  out.Name = name;
  if ('output' in outcome) out.Output = JSON.stringify(outcome.output);
  out.OutputDetails = { Included: true };
  out.RedriveCount = 0;
  if ('output' in outcome) {
    out.RedriveStatus = 'NOT_REDRIVABLE';
    out.RedriveStatusReason = 'Execution is SUCCEEDED and cannot be redriven';
  } else {
    out.RedriveStatus = 'REDRIVABLE_BY_MAP_RUN';
  }
  out.StartDate = iso(child.startMs);
  out.StateMachineArn = stateMachineArn;
  out.Status = 'output' in outcome ? 'SUCCEEDED' : 'failure' in outcome ? 'FAILED' : 'ABORTED';
  out.StopDate = iso(child.stopMs);
  return out;
}

/** The entries of one child's result under a transformation; FLATTEN spreads an array output. */
function entries(mapRunArn: string, stateMachineArn: string, child: EndedChild, config: WriterConfig): JsonValue[] {
  const { outcome } = child;
  // A failed child is always described whole, whatever the transformation.
  if (config.transformation === 'NONE' || !('output' in outcome)) return [described(mapRunArn, stateMachineArn, child)];
  if (config.transformation === 'FLATTEN' && Array.isArray(outcome.output)) return outcome.output;
  return [outcome.output];
}

function endedChild(run: MapRunRecord, i: number, outcome: ChildOutcome): EndedChild {
  return { index: i, input: run.input(i), startMs: run.startMs(i), stopMs: run.stopMs(i), outcome };
}

/**
 * The Map's results, transformed (WriterConfig without Resource): what the state outputs.
 * @internal
 */
export function transformedResults(run: MapRunRecord, config: WriterConfig): JsonValue[] {
  const out: JsonValue[] = [];
  for (let i = 0; i < run.count; i++) {
    const o = run.outcome(i);
    if (o) for (const e of entries(run.mapRunArn, run.stateMachineArn, endedChild(run, i, o), config)) out.push(e);
  }
  return out;
}

/**
 * The most one Map Run's result files hold together, its manifest aside: 1 GiB. AWS states no total
 * (a file is at most {@link AwsLimits.RESULT_FILE_BYTES}, then it writes another); this is
 * stepwright's, as the local S3 may be memory, and a Map over a large ItemReader could otherwise
 * write without end. Past it the Map fails with States.ResultWriterFailed, the error AWS gives a
 * ResultWriter that cannot write.
 * @internal
 */
export const MAX_MAP_RUN_RESULT_BYTES = 1024 ** 3;

/** Text gathered before it is handed to the store, so a million small entries are not a million writes: 256 Ki characters. */
const FLUSH_CHARS = 2 ** 18;

type ResultStatus = 'SUCCEEDED' | 'FAILED' | 'PENDING';

/** One result file being written. */
interface OpenFile {
  readonly key: string;
  readonly writer: ObjectWriter;
  /** Bytes written or gathered so far. */
  bytes: number;
  entries: number;
  pending: string[];
  pendingChars: number;
}

/**
 * A Map Run's result files, written as its children end: `<Prefix>/<MapRunId>/SUCCEEDED_n.json`,
 * `FAILED_n.json` and `PENDING_n.json` (`.jsonl` with OutputType JSONL; a new file past
 * {@link AwsLimits.RESULT_FILE_BYTES}), then `manifest.json` listing them. Nothing is held but the
 * text not yet handed to the store. A bad Bucket or Prefix, or a store that refuses a write, is
 * kept and reported by `finish` (States.ResultWriterFailed), after the children have run, as
 * on AWS; nothing appears in the store then.
 * @internal
 */
export class ResultFiles {
  private readonly bucket: string = '';
  private readonly folder: string = '';
  private readonly extension: string;
  private error: StatesError | undefined;
  private readonly open = new Map<ResultStatus, OpenFile>();
  private readonly counts: Record<ResultStatus, number> = { SUCCEEDED: 0, FAILED: 0, PENDING: 0 };
  private readonly written: Record<ResultStatus, Array<{ key: string; size: number }>> = { SUCCEEDED: [], FAILED: [], PENDING: [] };
  /** The files a redriven run's earlier attempt listed (carryOver). */
  private readonly previous = new Set<string>();
  /** Bytes of result files written or gathered, and read back by a redrive (carryOver). */
  private total = 0;

  constructor(
    private readonly store: ObjectStore,
    parameters: JsonValue,
    private readonly mapRunArn: string,
    private readonly stateMachineArn: string,
    private readonly config: WriterConfig,
    private readonly maxFileBytes = AwsLimits.RESULT_FILE_BYTES,
    private readonly maxRunBytes = MAX_MAP_RUN_RESULT_BYTES,
  ) {
    this.extension = config.outputType === 'JSONL' ? 'jsonl' : 'json';
    const p = parameters !== null && typeof parameters === 'object' && !Array.isArray(parameters) ? parameters : {};
    const bucket = Object.hasOwn(p, 'Bucket') ? p.Bucket : undefined;
    const prefix = Object.hasOwn(p, 'Prefix') ? p.Prefix : undefined;
    if (typeof bucket !== 'string' || bucket === '') {
      this.error = writerFailed(`The ResultWriter's Parameters need a Bucket (a string), got ${JSON.stringify(bucket ?? null)}.`);
      return;
    }
    if (prefix !== undefined && typeof prefix !== 'string') {
      this.error = writerFailed(`The ResultWriter's Prefix must be a string, got ${JSON.stringify(prefix)}.`);
      return;
    }
    this.bucket = bucket;
    this.folder = `${prefixFolder(prefix)}${mapRunIdOf(mapRunArn)}`;
    try {
      checkObjectKey(`${this.folder}/manifest.json`);
    } catch (e) {
      this.error = writerFailed(e instanceof Error ? `${e.message}; fix the ResultWriter's Prefix.` : String(e));
    }
  }

  /** Child `child` has ended: its entries go to the SUCCEEDED or FAILED file. */
  ended(child: EndedChild): void {
    if (this.error) return;
    const status = 'output' in child.outcome ? 'SUCCEEDED' : 'FAILED';
    for (const e of entries(this.mapRunArn, this.stateMachineArn, child, this.config)) this.add(status, e);
  }

  /**
   * A redrive resumes this Map Run in its folder and reruns only the children that did not
   * succeed: the entries of those that did, read from the SUCCEEDED files the last manifest
   * lists, go to this run's SUCCEEDED files first. The files of that manifest this run does not
   * write again are deleted once it has written its own. A folder with no readable manifest (the
   * run before was stopped, and took its files back) has nothing to carry.
   */
  carryOver(): void {
    if (this.error) return;
    const text = (key: string): string => new TextDecoder().decode(this.store.read(this.bucket, key, this.maxFileBytes));
    let listed: Record<string, Array<{ Key?: unknown }>>;
    try {
      const manifest = new TextDecoder().decode(this.store.read(this.bucket, `${this.folder}/manifest.json`, Math.min(this.maxFileBytes, MAX_MAP_RUN_RESULT_BYTES)));
      listed = (JSON.parse(manifest) as { ResultFiles: Record<string, Array<{ Key?: unknown }>> }).ResultFiles;
    } catch {
      return;
    }
    // The manifest is a file in the user's folder: only this Map Run's own files, each once, are read or deleted,
    // whatever else it lists (another folder's objects, the same file a thousand times).
    const own = (file: { Key?: unknown } | null | undefined): file is { Key: string } =>
      typeof file?.Key === 'string' && file.Key.startsWith(`${this.folder}/`) && file.Key !== `${this.folder}/manifest.json`;
    const lists = listed !== null && typeof listed === 'object' ? listed : {};
    for (const file of Object.values(lists).flat()) if (own(file)) this.previous.add(file.Key);
    const carried = new Set<string>();
    for (const file of Array.isArray(lists.SUCCEEDED) ? lists.SUCCEEDED : []) {
      if (!own(file) || carried.has(file.Key)) continue;
      carried.add(file.Key);
      // Read whole, and written again by add (which counts it): one past what is left is refused before it is read.
      const size = this.sizeOf(file.Key);
      if (this.total + size > this.maxRunBytes) return void this.within(size, 'carried over by the redrive');
      let found: JsonValue[];
      try {
        const body = text(file.Key);
        found = file.Key.endsWith('.jsonl') ? body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as JsonValue) : JSON.parse(body) as JsonValue[];
      } catch {
        continue;
      }
      for (const entry of found) this.add('SUCCEEDED', entry);
    }
  }

  /** A child that never ran. */
  pending(input: JsonValue): void {
    if (this.error) return;
    this.add('PENDING', { Input: JSON.stringify(input), InputDetails: { Included: true }, Status: 'PENDING' });
  }

  /** Closes the files, writes manifest.json and returns the Map's output; throws what went wrong on the way. */
  finish(): JsonObject {
    if (!this.error) {
      this.attempt(() => {
        for (const status of ['SUCCEEDED', 'FAILED', 'PENDING'] as const) this.close(status);
      });
    }
    if (this.error) {
      this.abort();
      throw this.error;
    }
    const manifestKey = `${this.folder}/manifest.json`;
    const files = (status: ResultStatus): MapRunResultFile[] => this.written[status].map((f) => ({ Key: f.key, Size: f.size }));
    const manifest: MapRunManifest = { DestinationBucket: this.bucket, MapRunArn: this.mapRunArn, ResultFiles: { FAILED: files('FAILED'), PENDING: files('PENDING'), SUCCEEDED: files('SUCCEEDED') } };
    this.attempt(() => this.store.write(this.bucket, manifestKey, JSON.stringify(manifest)));
    if (this.error) {
      this.abort();
      throw this.error;
    }
    const kept = new Set(Object.values(this.written).flat().map((f) => f.key));
    for (const key of this.previous) if (!kept.has(key)) this.attempt(() => this.store.delete(this.bucket, key));
    return { MapRunArn: this.mapRunArn, ResultWriterDetails: { Bucket: this.bucket, Key: manifestKey } };
  }

  /** The Map failed: nothing it wrote is left in the store. */
  abort(): void {
    for (const file of this.open.values()) file.writer.abort();
    this.open.clear();
    for (const status of ['SUCCEEDED', 'FAILED', 'PENDING'] as const) {
      for (const f of this.written[status]) {
        try {
          this.store.delete(this.bucket, f.key);
        } catch {
          // Already refused once: what the store cannot delete it never held.
        }
      }
      this.written[status] = [];
    }
  }

  /** The size of this Map Run's file `key`, 0 when the store has none. */
  private sizeOf(key: string): number {
    try {
      return this.store.head(this.bucket, key).size;
    } catch (e) {
      if (e instanceof ObjectStoreError) return 0;
      throw e;
    }
  }

  /** Counts `bytes` more against {@link MAX_MAP_RUN_RESULT_BYTES}; past it, the error `finish` reports. */
  private within(bytes: number, what: string): boolean {
    this.total += bytes;
    if (this.total <= this.maxRunBytes) return true;
    this.error ??= writerFailed(`The Map Run's result files ${what} would hold more than ${this.maxRunBytes.toLocaleString('en-US')} bytes, `
      + 'the most stepwright writes for one Map Run (AWS starts a new file past 5 GB and states no total); write less per child '
      + '(an ItemSelector, a ResultSelector or WriterConfig Transformation COMPACT), or mock the ResultWriter.');
    return false;
  }

  private add(status: ResultStatus, entry: JsonValue): void {
    if (this.error) return;
    const text = JSON.stringify(entry);
    const json = this.config.outputType === 'JSON';
    // JSON: `[` + entries joined by `,` + `]`; JSONL: a line per entry.
    const bytes = Buffer.byteLength(text) + 1;
    if (!this.within(bytes, 'written')) return;
    this.attempt(() => {
      let file = this.open.get(status);
      if (file && file.entries > 0 && file.bytes + bytes + (json ? 1 : 0) > this.maxFileBytes) {
        this.close(status);
        file = undefined;
      }
      if (!file) {
        const key = `${this.folder}/${status}_${this.counts[status]++}.${this.extension}`;
        file = { key, writer: openObjectWriter(this.store, this.bucket, key), bytes: json ? 1 : 0, entries: 0, pending: json ? ['['] : [], pendingChars: 0 };
        this.open.set(status, file);
      }
      file.pending.push(json ? (file.entries > 0 ? `,${text}` : text) : `${text}\n`);
      file.pendingChars += text.length + 1;
      file.bytes += json && file.entries === 0 ? bytes - 1 : bytes;
      file.entries++;
      if (file.pendingChars >= FLUSH_CHARS) flush(file);
    });
  }

  private close(status: ResultStatus): void {
    const file = this.open.get(status);
    if (!file) return;
    this.open.delete(status);
    if (this.config.outputType === 'JSON') file.pending.push(']');
    flush(file);
    const stored = file.writer.close();
    this.written[status].push({ key: file.key, size: stored.size });
  }

  private attempt(f: () => void): void {
    if (this.error) return;
    try {
      f();
    } catch (e) {
      if (!(e instanceof ObjectStoreError)) throw e;
      this.error = writerFailed(`${e.message} (S3.${e.code})`);
    }
  }
}

function flush(file: OpenFile): void {
  if (file.pending.length === 0) return;
  file.writer.append(file.pending.join(''));
  file.pending = [];
  file.pendingChars = 0;
}
