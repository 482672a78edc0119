import { decompressed } from './compressed';
import { csvRows } from './csv-rows';
import { csvItem, delimiterOf, type ReaderConfig } from './item-reader';
import { checkItemNumbers, deepJson, jsonArrayItems, jsonLines, textLines } from './json-items';
import { parquetItems } from './parquet-items';
import { PAUSE, ReadBudget, SKIPS_PER_PAUSE, type Pause } from './reader-pause';
import type { JsonObject, JsonValue } from '../../asl';
import { jsonTextNestsDeeper, MAX_JSON_DEPTH } from '../../asl/json-value';
import { hashMapOrder as csvOrder } from '../../asl/key-order';
import { AwsLimits } from '../../asl/limits';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { NO_SUCH_BUCKET, ObjectStoreError, type ObjectStore, type StoredObject } from '../object-store';

/**
 * Largest S3 Inventory manifest.json read (it is read whole, and parsed): stepwright's own
 * bound, 8 MiB like an item, room for a list of some 50,000 files.
 */
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;
/** A listing is read a page at a time, as ListObjectsV2 answers. */
const LIST_PAGE = 1000;

const failed = (cause: string): StatesError => new StatesError(StatesErrors.ITEM_READER_FAILED, cause);

/** An S3 location an ItemReader or ResultWriter names. @internal */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** The Bucket and Key (or Prefix) of an ItemReader's parameters, checked. @internal */
export function readerLocation(parameters: JsonValue, field: 'Key' | 'Prefix'): S3Location {
  const p = parameters !== null && typeof parameters === 'object' && !Array.isArray(parameters) ? parameters : {};
  const bucket = Object.hasOwn(p, 'Bucket') ? p.Bucket : undefined;
  const key = Object.hasOwn(p, field) ? p[field] : undefined;
  if (typeof bucket !== 'string' || bucket === '') throw failed(`The ItemReader's Parameters need a Bucket (a string), got ${JSON.stringify(bucket ?? null)}.`);
  if (field === 'Key' && (typeof key !== 'string' || key === '')) throw failed(`The ItemReader's Parameters need a Key (a string), got ${JSON.stringify(key ?? null)}.`);
  if (key !== undefined && typeof key !== 'string') throw failed(`The ItemReader's ${field} must be a string, got ${JSON.stringify(key)}.`);
  return { bucket, key: key ?? '' };
}

/** A store's refusal as the ItemReader failure AWS reports. */
function storeFailure(e: unknown, where: S3Location): never {
  if (e instanceof ObjectStoreError) {
    const what = e.code === 'NoSuchKey' ? `S3 object not found: s3://${where.bucket}/${where.key} (S3.NoSuchKey)`
      // The store's own advice (how the bucket is named, where the local S3 holds it) follows what AWS says.
      : e.code === 'NoSuchBucket' ? `S3 bucket not found: ${where.bucket} (S3.NoSuchBucket)${adviceOf(e.message, where.bucket)}`
        : `${e.message} (S3.${e.code})`;
    throw failed(what);
  }
  throw e;
}

/** What a store's NoSuchBucket message adds to S3's own words, or nothing. */
function adviceOf(message: string, bucket: string): string {
  const own = `${NO_SUCH_BUCKET}: ${bucket}`;
  return message.startsWith(own) && message.length > own.length ? message.slice(own.length) : '';
}

/**
 * Items as a reader gives them: read synchronously, or a row group at a time (Parquet), with a
 * {@link PAUSE} where it worked a while without one (see reader-pause.ts). @internal
 */
export type ReaderItems = Iterable<JsonValue | Pause> | AsyncIterable<JsonValue | Pause>;

/**
 * The items an ItemReader reads from the local S3, as AWS parses them: an S3 listing
 * (`listObjectsV2`: the objects' metadata, or with `Transformation: LOAD_AND_FLATTEN` the items
 * of every object listed), or an object (`getObject`) read per ReaderConfig: a JSON array (or the
 * array an ItemsPointer points to), JSON Lines, CSV, Parquet, an S3 Inventory or Athena
 * manifest. Items come as they are consumed, never a whole file's at once; `maxItems` (when
 * given) is how many are wanted, so that a Parquet row group is decoded no further.
 * `maxReadBytes` bounds what the reader reads in all, across its files (see {@link ReadBudget}).
 * @internal
 */
export function storedItems(
  store: ObjectStore,
  resource: string,
  parameters: JsonValue,
  config: ReaderConfig,
  maxItems?: number,
  maxReadBytes: number = AwsLimits.ITEM_FILE_BYTES,
): ReaderItems {
  // Every byte this reader reads, across its files, skipped ones included.
  const budget = new ReadBudget(maxReadBytes);
  if (/:listObjectsV2$/.test(resource)) {
    const where = readerLocation(parameters, 'Prefix');
    const transformation = config.Transformation ?? 'NONE';
    if (transformation === 'NONE') return listedItems(store, where);
    if (transformation !== 'LOAD_AND_FLATTEN') throw failed(`ReaderConfig.Transformation ${JSON.stringify(transformation)} is not NONE or LOAD_AND_FLATTEN.`);
    const type = config.InputType;
    if (type === undefined || type === 'MANIFEST') {
      throw failed('With Transformation LOAD_AND_FLATTEN, ReaderConfig needs an InputType of CSV, JSON, JSONL or PARQUET: the type of the objects listed.');
    }
    return type === 'PARQUET' ? parquetFiles(store, listing(store, where), maxItems, budget) : flattened(store, where, type, config, budget);
  }
  if (!/:getObject$/.test(resource)) throw failed(`The local S3 answers an ItemReader with s3:getObject or s3:listObjectsV2, not ${resource}; mock the ItemReader instead.`);
  const where = readerLocation(parameters, 'Key');
  const type = config.InputType ?? 'JSON';
  if (type === 'MANIFEST' || config.ManifestType !== undefined) {
    if (config.ManifestType === 'ATHENA_DATA' && type === 'PARQUET') return parquetFiles(store, athenaFiles(store, where, budget), maxItems, budget);
    return manifestItems(store, where, config, budget);
  }
  if (type === 'PARQUET') return parquetItems(store, where, maxItems);
  return objectItems(store, where, type, config, budget);
}

function* listing(store: ObjectStore, where: S3Location): Iterable<S3Location> {
  for (const o of listedObjects(store, where)) yield { bucket: where.bucket, key: o.key };
}

function* listedItems(store: ObjectStore, where: S3Location): Iterable<JsonValue> {
  for (const o of listedObjects(store, where)) yield listedItem(o);
}

function* listedObjects(store: ObjectStore, where: S3Location): Iterable<StoredObject> {
  let after: string | undefined;
  for (;;) {
    let page;
    try {
      page = store.list(where.bucket, { prefix: where.key, startAfter: after, maxKeys: LIST_PAGE });
    } catch (e) {
      storeFailure(e, where);
    }
    yield* page.objects;
    if (!page.truncated || page.objects.length === 0) return;
    after = page.objects[page.objects.length - 1].key;
  }
}

/** LOAD_AND_FLATTEN: the items of each object listed, in key order, as its InputType reads them; a pause after each object. */
function* flattened(store: ObjectStore, where: S3Location, type: string, config: ReaderConfig, budget: ReadBudget): Iterable<JsonValue | Pause> {
  for (const file of listing(store, where)) {
    yield* objectItems(store, file, type, config, budget);
    yield PAUSE;
  }
}

/** The rows of Parquet files, one file after another, each file's size counted toward the reader's bound; a pause after each. */
async function* parquetFiles(
  store: ObjectStore, files: Iterable<S3Location | Pause>, maxItems: number | undefined, budget: ReadBudget,
): AsyncIterable<JsonValue | Pause> {
  let left = maxItems;
  for (const file of files) {
    if (file === PAUSE) {
      yield PAUSE;
      continue;
    }
    try {
      budget.count(store.head(file.bucket, file.key).size, failed);
    } catch (e) {
      storeFailure(e, file);
    }
    yield PAUSE;
    for await (const row of parquetItems(store, file, left)) {
      yield row;
      if (left !== undefined && --left <= 0) return;
    }
  }
}

/**
 * A listed object as the ItemReader gives it, its fields in the order AWS's recordings show;
 * LastModified in epoch seconds, a number, as the developer guide shows it
 * (`"LastModified": 1668699881`, ItemReader (Map), "A list of Amazon S3 objects").
 * @internal
 */
export function listedItem(o: StoredObject): JsonObject {
  return { Etag: o.etag, LastModified: Math.floor(o.lastModified / 1000), Key: o.key, Size: o.size, StorageClass: 'STANDARD' };
}

/** S3's timestamps, to the second. @internal */
export function s3Time(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

function objectItems(store: ObjectStore, where: S3Location, type: string, config: ReaderConfig, budget: ReadBudget): Iterable<JsonValue | Pause> {
  switch (type) {
    case 'JSON':
      return jsonArrayItems(byteChunks(store, where, budget), config.ItemsPointer);
    case 'JSONL':
      return jsonLines(byteChunks(store, where, budget));
    case 'CSV':
      return csvItems(textChunks(store, where, budget), config);
    default:
      throw failed(`InputType '${type}' is not one of CSV, JSON, JSONL, MANIFEST, PARQUET.`);
  }
}

/** An object's bytes, read whole (at most `maxBytes`); a store's refusal as AWS reports it. @internal */
export function readBytes(store: ObjectStore, where: S3Location, maxBytes: number): Uint8Array {
  try {
    return store.read(where.bucket, where.key, maxBytes);
  } catch (e) {
    return storeFailure(e, where);
  }
}

/**
 * An object's bytes a chunk at a time, decompressed when they are GZIP or ZSTD; at most
 * {@link AwsLimits.ITEM_FILE_BYTES}, AWS's bound on a file.
 */
function* byteChunks(store: ObjectStore, where: S3Location, budget: ReadBudget): Iterable<Uint8Array> {
  let chunks: Iterable<Uint8Array>;
  let size: number;
  try {
    size = store.head(where.bucket, where.key).size;
    chunks = store.chunks(where.bucket, where.key);
  } catch (e) {
    storeFailure(e, where);
  }
  if (size > AwsLimits.ITEM_FILE_BYTES) throw failed(`The S3 object s3://${where.bucket}/${where.key} is ${size} bytes; Step Functions reads files of up to 10 GB.`);
  const source = (function* guarded(): Iterable<Uint8Array> {
    try {
      yield* chunks;
    } catch (e) {
      storeFailure(e, where);
    }
  }());
  for (const piece of decompressed(source, `s3://${where.bucket}/${where.key}`)) {
    budget.count(piece.length, failed);
    yield piece;
  }
}

function* textChunks(store: ObjectStore, where: S3Location, budget: ReadBudget): Iterable<string> {
  const decoder = new TextDecoder();
  for (const chunk of byteChunks(store, where, budget)) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** A JSON file's items (a mock's answer, held): the whole array, or the array its ItemsPointer points to. @internal */
export function jsonItems(text: string, pointer: string | undefined): JsonValue[] {
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(text) as JsonValue;
  } catch {
    throw failed('The S3 object could not be parsed as JSON.');
  }
  if (jsonTextNestsDeeper(text, MAX_JSON_DEPTH)) throw deepJson();
  const items = pointer === undefined ? parsed : pointTo(parsed, pointer);
  if (!Array.isArray(items)) {
    throw failed(pointer === undefined ? 'Attempting to map over non-iterable node.' : `ItemsPointer '${pointer}' does not point to an array.`);
  }
  items.forEach((item, i) => checkItemNumbers(item, `The item at index ${i} of the JSON object`));
  return items;
}

/** RFC 6901: `/a/0/b`, with `~1` for `/` and `~0` for `~`. */
function pointTo(value: JsonValue, pointer: string): JsonValue | undefined {
  if (pointer === '') return value;
  if (!pointer.startsWith('/')) throw failed(`ItemsPointer '${pointer}' is not a JSON Pointer: it must be empty or start with '/'.`);
  let at: JsonValue | undefined = value;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(at) && /^(0|[1-9]\d*)$/.test(token)) at = at[Number(token)];
    else if (at !== null && typeof at === 'object' && !Array.isArray(at) && Object.hasOwn(at, token)) at = (at as JsonObject)[token];
    else return undefined;
  }
  return at;
}

/** CSV items, streamed: a header row (or the given headers), then one item per row. @internal */
export function* csvItems(chunks: Iterable<string>, config: ReaderConfig): Iterable<JsonValue | Pause> {
  let headers: string[] | undefined = config.CSVHeaderLocation === 'GIVEN' ? [...(config.CSVHeaders ?? [])] : undefined;
  let order: number[] | undefined;
  for (const row of csvRows(chunks, delimiterOf(config.CSVDelimiter), AwsLimits.CSV_HEADER_CHARS)) {
    if (row === PAUSE) {
      yield PAUSE;
      continue;
    }
    if (headers === undefined) {
      headers = row;
      continue;
    }
    order ??= checkHeaders(headers);
    yield csvItem(headers, order, row);
  }
}

function checkHeaders(headers: readonly string[]): number[] {
  if (new Set(headers).size !== headers.length) throw failed('CSV headers cannot contain duplicates.');
  return csvOrder(headers);
}

/** An S3 Inventory manifest (manifest.json and its CSV files, gzip or not) or an Athena UNLOAD manifest. */
function* manifestItems(store: ObjectStore, where: S3Location, config: ReaderConfig, budget: ReadBudget): Iterable<JsonValue | Pause> {
  if (config.ManifestType === 'ATHENA_DATA') {
    const type = config.InputType ?? 'CSV';
    for (const file of athenaFiles(store, where, budget)) {
      if (file === PAUSE) {
        yield PAUSE;
        continue;
      }
      yield* objectItems(store, file, type === 'MANIFEST' ? 'CSV' : type, config, budget);
      yield PAUSE;
    }
    return;
  }
  const text = new TextDecoder().decode(readBytes(store, where, MAX_MANIFEST_BYTES));
  let manifest: JsonObject;
  try {
    manifest = JSON.parse(text) as JsonObject;
  } catch {
    throw failed('The S3 Inventory manifest could not be parsed as JSON.');
  }
  const schema = manifest?.fileSchema;
  const files = manifest?.files;
  if (manifest?.fileFormat !== undefined && manifest.fileFormat !== 'CSV') throw failed(`The S3 Inventory manifest's fileFormat is ${JSON.stringify(manifest.fileFormat)}; Step Functions reads CSV inventories only.`);
  if (typeof schema !== 'string' || !Array.isArray(files)) throw failed('The S3 Inventory manifest needs a fileSchema (a string) and files (an array).');
  const headers = schema.split(',').map((h) => h.trim());
  const order = checkHeaders(headers);
  const bucket = typeof manifest.destinationBucket === 'string' ? manifest.destinationBucket.replace(/^arn:aws[a-z-]*:s3:::/, '') : where.bucket;
  for (const f of files) {
    const key = f !== null && typeof f === 'object' && !Array.isArray(f) ? (f as JsonObject).key : undefined;
    if (typeof key !== 'string') throw failed('Each file of the S3 Inventory manifest needs a key.');
    // Streamed and decompressed a chunk at a time, each row bounded like an item.
    // Its headers are the manifest's fileSchema: its first row is an item, bounded like any other.
    // Every file counts toward the reader's one bound: a manifest listing a small file many times is bounded by what they expand to.
    for (const row of csvRows(textChunks(store, { bucket, key }, budget), ',')) yield row === PAUSE ? PAUSE : csvItem(headers, order, row);
    yield PAUSE;
  }
}

/** The data files an Athena UNLOAD manifest lists, a line at a time; a pause every so many blank lines. */
function* athenaFiles(store: ObjectStore, where: S3Location, budget: ReadBudget): Iterable<S3Location | Pause> {
  let blank = 0;
  for (const line of textLines(textChunks(store, where, budget))) {
    const uri = line.trim();
    if (uri !== '') yield s3Uri(uri);
    else if (++blank % SKIPS_PER_PAUSE === 0) yield PAUSE;
  }
}

function s3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw failed(`The Athena manifest lists '${uri}', which is not an s3://bucket/key URI.`);
  return { bucket: m[1], key: m[2] };
}
