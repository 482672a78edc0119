import type { FolderBound } from './verify-items';
import type { JsonValue, MapState, StateDefinition, StateMachineDefinition } from '../asl';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { forEachState } from '../asl/state-tree';
import { isS3ItemRead, isS3ResultWrite, taskResource } from '../asl/task-resource';
import type { ObjectPage, ObjectStore, StoredObject } from '../interpreter';
import { rangeOf } from '../interpreter/object-store';
import { storedItems } from '../interpreter/states/stored-items';

/*
 * The S3 folder's own items as a bound on a Map's iterations. Under `--s3-dir` (`s3Dir`) a Map
 * whose ItemReader no mock answers reads the folder, and every run reads what it holds: no more
 * items than the interpreter's reader (storedItems, the one reader of stored items) gives there.
 * That bounds the Map's iterations as ReaderConfig.MaxItems does, for that folder's contents
 * only, and only while nothing the machine does can change what the reader reads: a state that
 * can write to a bucket the reader reads (a ResultWriter, an S3 Task that is not a read, or one
 * whose bucket the definition does not fix) leaves the items unbounded, the reason naming it.
 */

/** S3 actions that only read: any other S3 call a Task makes may write (put, copy, delete, upload, restore…). */
const READS = /^(get|head|list|select)/;

/** A state that can write to the local S3: the bucket (undefined where the definition does not fix it), and what it does, in words. */
interface Writer {
  readonly bucket: string | undefined;
  readonly what: string;
}

/**
 * For each Map of `maps` (those whose ItemReader the folder answers) that has an ItemReader, the
 * most iterations a run of it can have as the folder holds its items, or why the folder bounds
 * nothing; nothing for a Map whose ReaderConfig.MaxItems is no more than the folder holds (MaxItems
 * bounds it, whatever the folder holds). The items are counted with the interpreter's own reader,
 * on the store the runs read; a reader that refuses an item counts the items it gave before, as
 * many as a run starts before it fails.
 * @internal
 */
export async function folderItems(
  definition: StateMachineDefinition, maps: readonly string[], store: ObjectStore,
): Promise<Map<string, FolderBound>> {
  const out = new Map<string, FolderBound>();
  if (maps.length === 0) return out;
  const wanted = new Set(maps);
  const readers: Array<{ name: string; state: MapState; language: string | undefined }> = [];
  const writers: Writer[] = [];
  const top = definition.QueryLanguage;
  forEachState(definition, (name, state) => {
    const language = state.QueryLanguage ?? top;
    // The folder answers a reader only where it reads S3 (the interpreter's localStore): a Map listed for its ResultWriter alone reads elsewhere.
    const reads = state.Type === 'Map' && typeof state.ItemReader?.Resource === 'string' && isS3ItemRead(taskResource(state.ItemReader.Resource));
    if (reads && wanted.has(name)) readers.push({ name, state: state as MapState, language });
    const writer = writerOf(name, state, language);
    if (writer) writers.push(writer);
  });
  for (const { name, state, language } of readers) {
    const bound = await folderBound(name, state, language, store, writers);
    if (bound) out.set(name, bound);
  }
  return out;
}

/** Map `name`'s bound from the folder, or undefined where its MaxItems is the smaller. */
async function folderBound(
  name: string, state: MapState, language: string | undefined, store: ObjectStore, writers: readonly Writer[],
): Promise<FolderBound | undefined> {
  const reader = state.ItemReader!;
  const { MaxItems: max, MaxItemsPath: _path, ...config } = reader.ReaderConfig ?? {};
  const limit = typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : undefined;
  const parameters = fixed(language === 'JSONata' ? reader.Arguments : reader.Parameters);
  if (parameters === undefined || fixed(config as JsonValue) === undefined) {
    return { unbounded: `the S3 folder would bound them, but where Map '${name}''s ItemReader reads is not fixed in the definition (its ${language === 'JSONata' ? 'Arguments' : 'Parameters'} or ReaderConfig are read from the run's data)` };
  }
  const at = locationWords(reader.Resource, parameters);
  const read = new Set<string>();
  let items = 0;
  let refused: string | undefined;
  try {
    const values = storedItems(new BucketsRead(store, read), reader.Resource, parameters, config, limit);
    // A pause (a symbol) is the reader working a while without an item; only the items count.
    const counted = (v: unknown): boolean => typeof v !== 'symbol' && ++items === limit;
    if (Symbol.asyncIterator in values) {
      for await (const v of values) if (counted(v)) break;
    } else {
      for (const v of values) if (counted(v)) break;
    }
  } catch (e) {
    refused = (e as { cause?: unknown }).cause !== undefined ? String((e as { cause: unknown }).cause) : String((e as Error).message ?? e);
  }
  // Buckets the reader could not name before it was refused (an object it did not reach) are its Parameters' Bucket at least.
  const bucket = (parameters as { Bucket?: unknown } | null)?.Bucket;
  if (typeof bucket === 'string') read.add(bucket);
  const writer = writers.find((w) => w.bucket === undefined || read.has(w.bucket));
  if (writer) {
    const where = writer.bucket === undefined ? 'a bucket the definition does not fix' : `bucket '${writer.bucket}'`;
    return { unbounded: `the S3 folder would bound them by what it holds at ${at}, but ${writer.what}, to ${where}, which Map '${name}''s ItemReader reads: a run that writes there before the Map reads (or a loop back to it) reads more than the folder holds` };
  }
  if (limit !== undefined && items >= limit) return undefined;
  const iterations = batched(state, items);
  const batches = iterations === items ? '' : `, in at most ${iterations} batch${iterations === 1 ? '' : 'es'} of its ItemBatcher's MaxItemsPerBatch`;
  const failing = refused === undefined ? '' : ` before its reader refuses the next (${refused.length > 160 ? `${refused.slice(0, 157)}…` : refused})`;
  return { items: iterations, how: `bounded by the ${items} item${items === 1 ? '' : 's'} the folder holds at ${at}${failing}${batches}: it holds for that folder's contents only` };
}

/**
 * How many iterations `items` items make: one each, or with an ItemBatcher whose MaxItemsPerBatch
 * the definition fixes and no MaxInputBytesPerBatch, full batches of that many (the interpreter's
 * ItemStream fills each batch before the next). A byte limit may cut a batch short, so it is
 * bounded by the items alone (each batch holds one at least).
 */
function batched(state: MapState, items: number): number {
  const b = state.ItemBatcher;
  if (b === undefined) return items;
  if (b.MaxInputBytesPerBatch !== undefined || b.MaxInputBytesPerBatchPath !== undefined) return items;
  const per = b.MaxItemsPerBatch;
  return typeof per === 'number' && Number.isInteger(per) && per > 0 ? Math.ceil(items / per) : items;
}

/** Where a reader reads, in words: `s3://bucket/key`, a listing's `s3://bucket/prefix`. */
function locationWords(resource: string, parameters: JsonValue): string {
  const p = (parameters ?? {}) as { Bucket?: unknown; Key?: unknown; Prefix?: unknown };
  const key = /:listObjectsV2$/.test(resource) ? p.Prefix ?? '' : p.Key;
  return `s3://${String(p.Bucket)}/${String(key)}`;
}

/** The S3 bucket state `name` can write to, where it can write to one. */
function writerOf(name: string, state: StateDefinition, language: string | undefined): Writer | undefined {
  const fieldsOf = (x: { Parameters?: JsonValue; Arguments?: JsonValue }): JsonValue | undefined => fixed(language === 'JSONata' ? x.Arguments : x.Parameters);
  const bucketOf = (fields: JsonValue | undefined): string | undefined => {
    const b = fields !== null && typeof fields === 'object' && !Array.isArray(fields) ? fields.Bucket : undefined;
    return typeof b === 'string' ? b : undefined;
  };
  if (state.Type === 'Map' && typeof state.ResultWriter?.Resource === 'string' && isS3ResultWrite(taskResource(state.ResultWriter.Resource))) {
    return { bucket: bucketOf(fieldsOf(state.ResultWriter)), what: `Map '${name}' writes its results there (its ResultWriter)` };
  }
  if (state.Type !== 'Task' || typeof state.Resource !== 'string') return undefined;
  const r = taskResource(state.Resource);
  // A Resource left to the deploy (`${...}`) may name any service: it may be an S3 write.
  const s3 = r.service === 's3' || (r.kind === 'unknown' && r.substituted);
  if (!s3 || READS.test(r.action ?? '')) return undefined;
  return { bucket: bucketOf(fieldsOf(state as { Parameters?: JsonValue; Arguments?: JsonValue })), what: `Task '${name}' calls ${r.service === 's3' ? `s3:${r.action}` : state.Resource}, which can write there` };
}

/**
 * A value the definition fixes: the value itself, or undefined where any part of it is read from
 * the run (a JSONPath field ending in `.$`, a JSONata expression); either language's form counts,
 * so a value is never taken as fixed where it is not.
 */
function fixed(value: JsonValue | undefined): JsonValue | undefined {
  const walk = (v: JsonValue, depth: number): boolean => {
    if (depth > 64) return false;
    if (isJsonataExpression(v)) return false;
    if (Array.isArray(v)) return v.every((x) => walk(x, depth + 1));
    if (v !== null && typeof v === 'object') return Object.entries(v).every(([k, x]) => !k.endsWith('.$') && walk(x, depth + 1));
    return true;
  };
  if (value === undefined) return {};
  return walk(value, 0) ? value : undefined;
}

/** A store that notes every bucket read through it: those a reader's items come from (a manifest's files may be in others). */
class BucketsRead implements ObjectStore {
  constructor(private readonly base: ObjectStore, private readonly buckets: Set<string>) {}

  head(bucket: string, key: string): StoredObject {
    this.buckets.add(bucket);
    return this.base.head(bucket, key);
  }

  read(bucket: string, key: string, maxBytes: number): Uint8Array {
    this.buckets.add(bucket);
    return this.base.read(bucket, key, maxBytes);
  }

  chunks(bucket: string, key: string): Iterable<Uint8Array> {
    this.buckets.add(bucket);
    return this.base.chunks(bucket, key);
  }

  readRange(bucket: string, key: string, start: number, end: number): Uint8Array {
    this.buckets.add(bucket);
    return rangeOf(this.base, bucket, key, start, end);
  }

  list(bucket: string, options: { readonly prefix?: string; readonly startAfter?: string; readonly maxKeys: number }): ObjectPage {
    this.buckets.add(bucket);
    return this.base.list(bucket, options);
  }

  write(): StoredObject {
    throw new Error('verify reads the S3 folder and never writes it');
  }

  delete(): void {
    throw new Error('verify reads the S3 folder and never writes it');
  }
}
