import { maxItemsPerBatch, type FolderBound } from './verify-items';
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
 * can write where the reader reads (a ResultWriter, an S3 Task that is not a read, or one whose
 * bucket the definition does not fix) leaves the items unbounded, the reason naming it. Where the
 * write lands is narrowed only as far as the definition fixes it: a constant Key (one object), a
 * ResultWriter's constant Prefix or a Key built from a constant start (States.Format's text before
 * its first `{}`, a JSONata `'text' & …`) (the keys that start so); it can land where the reader
 * reads when that key is one the reader read, or that start and a prefix the reader listed
 * overlap. Anything else (a Key read from the run, an S3 action that names no single Key) can
 * land anywhere in its bucket.
 */

/** S3 actions that only read: any other S3 call a Task makes may write (put, copy, delete, upload, restore…). */
const READS = /^(get|head|list|select)/;

/**
 * The S3 actions of a Task that write one object, named by their `Key` (an upload's parts, a copy's
 * destination, a restore): the others may write anywhere in their bucket (deleteObjects, …).
 */
const ONE_KEY = /^(putObject|copyObject|deleteObject|restoreObject|createMultipartUpload|uploadPart|uploadPartCopy|completeMultipartUpload)$/;

/** Where in its bucket a write can land: one key, or any key that starts with `prefix` ('' for any key at all). */
type KeySpace = { readonly key: string } | { readonly prefix: string };

/**
 * A state that can write to the local S3: the bucket (undefined where the definition does not fix
 * it), the keys it can write there, and what it does, in words.
 */
interface Writer {
  readonly bucket: string | undefined;
  readonly keys: KeySpace;
  readonly what: string;
}

/** What a reader read: an object (`key`), or a listing of the keys that start with `prefix`. */
type Read = { readonly bucket: string } & KeySpace;

/** Whether a write within `w` can land where `r` read: its bucket, and the object read or a key the listing lists. */
function overlaps(w: Writer, r: Read): boolean {
  if (w.bucket !== undefined && w.bucket !== r.bucket) return false;
  const wk = w.keys;
  if ('key' in r) return 'key' in wk ? wk.key === r.key : r.key.startsWith(wk.prefix);
  return 'key' in wk ? wk.key.startsWith(r.prefix) : wk.prefix.startsWith(r.prefix) || r.prefix.startsWith(wk.prefix);
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
  const read: Read[] = [];
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
  // What the reader could not reach before it was refused (an object it did not get to) is its Parameters' object or listing at least.
  const own = (parameters ?? {}) as { Bucket?: unknown; Key?: unknown; Prefix?: unknown };
  if (typeof own.Bucket === 'string') {
    const listing = /:listObjectsV2$/.test(reader.Resource);
    read.push(listing ? { bucket: own.Bucket, prefix: typeof own.Prefix === 'string' ? own.Prefix : '' }
      : typeof own.Key === 'string' ? { bucket: own.Bucket, key: own.Key } : { bucket: own.Bucket, prefix: '' });
  }
  const writer = writers.find((w) => read.some((r) => overlaps(w, r)));
  if (writer) {
    const where = writer.bucket === undefined ? 'a bucket the definition does not fix' : `bucket '${writer.bucket}'`;
    const keys = 'key' in writer.keys ? ` at key '${writer.keys.key}'` : writer.keys.prefix === '' ? ' at any key' : ` at keys starting '${writer.keys.prefix}'`;
    return { unbounded: `the S3 folder would bound them by what it holds at ${at}, but ${writer.what}, to ${where}${keys}, which Map '${name}''s ItemReader reads: a run that writes there before the Map reads (or a loop back to it) reads more than the folder holds` };
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
  const per = maxItemsPerBatch(state);
  return per !== undefined ? Math.ceil(items / per) : items;
}

/** Where a reader reads, in words: `s3://bucket/key`, a listing's `s3://bucket/prefix`. */
function locationWords(resource: string, parameters: JsonValue): string {
  const p = (parameters ?? {}) as { Bucket?: unknown; Key?: unknown; Prefix?: unknown };
  const key = /:listObjectsV2$/.test(resource) ? p.Prefix ?? '' : p.Key;
  return `s3://${String(p.Bucket)}/${String(key)}`;
}

/** The S3 bucket state `name` can write to, and where in it, where it can write to one. */
function writerOf(name: string, state: StateDefinition, language: string | undefined): Writer | undefined {
  const jsonata = language === 'JSONata';
  const fieldsOf = (x: { Parameters?: JsonValue; Arguments?: JsonValue }): { [k: string]: JsonValue } => {
    const f = jsonata ? x.Arguments : x.Parameters;
    return f !== null && typeof f === 'object' && !Array.isArray(f) ? f : {};
  };
  /** A field's value where the definition fixes it: a constant string (none where it is a JSONPath `.$` field, or a JSONata expression). */
  const constant = (fields: { [k: string]: JsonValue }, field: string): string | undefined => {
    const v = Object.hasOwn(fields, field) ? fields[field] : undefined;
    return typeof v === 'string' && !isJsonataExpression(v) && !Object.hasOwn(fields, `${field}.$`) ? v : undefined;
  };
  if (state.Type === 'Map' && typeof state.ResultWriter?.Resource === 'string' && isS3ResultWrite(taskResource(state.ResultWriter.Resource))) {
    const fields = fieldsOf(state.ResultWriter);
    // A Map Run writes `<Prefix>/<MapRunId>/…` (the interpreter's ResultWriter): every key starts with the Prefix, its ending slashes aside.
    // A Prefix read from the run, or none, is any key.
    return {
      bucket: constant(fields, 'Bucket'),
      keys: { prefix: (constant(fields, 'Prefix') ?? '').replace(/\/+$/, '') },
      what: `Map '${name}' writes its results there (its ResultWriter)`,
    };
  }
  if (state.Type !== 'Task' || typeof state.Resource !== 'string') return undefined;
  const r = taskResource(state.Resource);
  // A Resource left to the deploy (`${...}`) may name any service: it may be an S3 write.
  const s3 = r.service === 's3' || (r.kind === 'unknown' && r.substituted);
  if (!s3 || READS.test(r.action ?? '')) return undefined;
  const fields = fieldsOf(state as { Parameters?: JsonValue; Arguments?: JsonValue });
  const oneKey = r.service === 's3' && ONE_KEY.test(r.action ?? '');
  return {
    bucket: constant(fields, 'Bucket'),
    keys: oneKey ? keySpace(fields, jsonata) : { prefix: '' },
    what: `Task '${name}' calls ${r.service === 's3' ? `s3:${r.action}` : state.Resource}, which can write there`,
  };
}

/**
 * The keys a Task's `Key` can name: the key, where it is a constant; the keys that start with the
 * constant text a States.Format (`Key.$`) puts before its first placeholder, or a JSONata
 * `{% 'text' & $value %}` puts first; any key otherwise (read from the run).
 */
function keySpace(fields: { [k: string]: JsonValue }, jsonata: boolean): KeySpace {
  const key = fields.Key;
  if (typeof key === 'string' && !Object.hasOwn(fields, 'Key.$')) {
    if (!jsonata || !isJsonataExpression(key)) return { key };
    const start = /^\{%\s*'([^'\\]*)'\s*&\s*[$\w.]+\s*%\}$/.exec(key);
    return { prefix: start ? start[1] : '' };
  }
  const path = fields['Key.$'];
  if (!jsonata && typeof path === 'string' && key === undefined) {
    // Text up to the first placeholder or escape: what every key it formats starts with.
    const start = /^\s*States\.Format\(\s*'([^'\\{]*)/.exec(path);
    return { prefix: start ? start[1] : '' };
  }
  return { prefix: '' };
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

/** A store that notes every object read and every listing through it: where a reader's items come from (a manifest's files may be in other buckets). */
class BucketsRead implements ObjectStore {
  constructor(private readonly base: ObjectStore, private readonly reads: Read[]) {}

  head(bucket: string, key: string): StoredObject {
    this.reads.push({ bucket, key });
    return this.base.head(bucket, key);
  }

  read(bucket: string, key: string, maxBytes: number): Uint8Array {
    this.reads.push({ bucket, key });
    return this.base.read(bucket, key, maxBytes);
  }

  chunks(bucket: string, key: string): Iterable<Uint8Array> {
    this.reads.push({ bucket, key });
    return this.base.chunks(bucket, key);
  }

  readRange(bucket: string, key: string, start: number, end: number): Uint8Array {
    this.reads.push({ bucket, key });
    return rangeOf(this.base, bucket, key, start, end);
  }

  list(bucket: string, options: { readonly prefix?: string; readonly startAfter?: string; readonly maxKeys: number }): ObjectPage {
    // The whole prefix, whatever StartAfter skips: a write before the listing's start moves nothing it reads, but the bound takes no chance.
    this.reads.push({ bucket, prefix: options.prefix ?? '' });
    return this.base.list(bucket, options);
  }

  write(): StoredObject {
    throw new Error('verify reads the S3 folder and never writes it');
  }

  delete(): void {
    throw new Error('verify reads the S3 folder and never writes it');
  }
}
