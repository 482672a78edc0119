import { csvItem, csvRows, delimiterOf, type ReaderConfig } from './item-reader';
import type { JsonObject, JsonValue } from '../../asl/definition-types';
import { hashMapOrder as csvOrder } from '../../asl/key-order';
import { StatesError } from '../../asl/states-errors';
import { ObjectStoreError, type ObjectStore, type StoredObject } from '../object-store';

/**
 * Largest object read whole (a JSON file, a manifest, a gzip inventory file): a JSON array
 * cannot be parsed a piece at a time. JSON Lines and CSV are streamed and have no such bound.
 */
export const MAX_WHOLE_OBJECT_BYTES = 256 * 1024 * 1024;
/** AWS reads CSV headers of up to 10 KiB. */
const MAX_CSV_HEADER_BYTES = 10 * 1024;
/** A listing is read a page at a time, as ListObjectsV2 answers. */
const LIST_PAGE = 1000;

const failed = (cause: string): StatesError => new StatesError('States.ItemReaderFailed', cause);

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
      : e.code === 'NoSuchBucket' ? `S3 bucket not found: ${where.bucket} (S3.NoSuchBucket)`
        : `${e.message} (S3.${e.code})`;
    throw failed(what);
  }
  throw e;
}

/**
 * The items an ItemReader reads from the local S3, as AWS parses them: an S3 listing
 * (`listObjectsV2`), or an object (`getObject`) read per ReaderConfig — a JSON array (or the
 * array an ItemsPointer points to), JSON Lines, CSV, an S3 Inventory or Athena manifest.
 * Items come one at a time: JSON Lines, CSV and listings are read as they are consumed.
 * @internal
 */
export function storedItems(store: ObjectStore, resource: string, parameters: JsonValue, config: ReaderConfig): Iterable<JsonValue> {
  if (/:listObjectsV2$/.test(resource)) {
    const where = readerLocation(parameters, 'Prefix');
    return listing(store, where);
  }
  if (!/:getObject$/.test(resource)) throw failed(`The local S3 answers an ItemReader with s3:getObject or s3:listObjectsV2, not ${resource}; mock the ItemReader instead.`);
  const where = readerLocation(parameters, 'Key');
  const type = config.InputType ?? 'JSON';
  if (type === 'MANIFEST' || config.ManifestType !== undefined) return manifestItems(store, where, config);
  return objectItems(store, where, type, config);
}

function* listing(store: ObjectStore, where: S3Location): Iterable<JsonValue> {
  let after: string | undefined;
  for (;;) {
    let page;
    try {
      page = store.list(where.bucket, { prefix: where.key, startAfter: after, maxKeys: LIST_PAGE });
    } catch (e) {
      storeFailure(e, where);
    }
    for (const o of page.objects) yield listedItem(o);
    if (!page.truncated || page.objects.length === 0) return;
    after = page.objects[page.objects.length - 1].key;
  }
}

/** A listed object as the ItemReader gives it, its fields in the order AWS's recordings show. @internal */
export function listedItem(o: StoredObject): JsonObject {
  return { Etag: o.etag, LastModified: s3Time(o.lastModified), Key: o.key, Size: o.size, StorageClass: 'STANDARD' };
}

/** S3's timestamps, to the second. @internal */
export function s3Time(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

function objectItems(store: ObjectStore, where: S3Location, type: string, config: ReaderConfig): Iterable<JsonValue> {
  switch (type) {
    case 'JSON':
      return jsonItems(readWhole(store, where), config.ItemsPointer);
    case 'JSONL':
      return jsonLines(textChunks(store, where));
    case 'CSV':
      return csvItems(textChunks(store, where), config);
    case 'PARQUET':
      // Read apart (parquetStoredItems): its parser is asynchronous and loaded on first use.
      throw failed('An Athena manifest of PARQUET files is not read by the local S3; mock the ItemReader with the rows as a JSON array.');
    default:
      throw failed(`InputType '${type}' is not one of CSV, JSON, JSONL, MANIFEST, PARQUET.`);
  }
}

function readWhole(store: ObjectStore, where: S3Location): string {
  return new TextDecoder().decode(readBytes(store, where));
}

/** An object's bytes, read whole (at most {@link MAX_WHOLE_OBJECT_BYTES}); a store's refusal as AWS reports it. @internal */
export function readBytes(store: ObjectStore, where: S3Location): Uint8Array {
  try {
    return store.read(where.bucket, where.key, MAX_WHOLE_OBJECT_BYTES);
  } catch (e) {
    return storeFailure(e, where);
  }
}

function* textChunks(store: ObjectStore, where: S3Location): Iterable<string> {
  const decoder = new TextDecoder();
  let chunks: Iterable<Uint8Array>;
  try {
    store.head(where.bucket, where.key);
    chunks = store.chunks(where.bucket, where.key);
  } catch (e) {
    storeFailure(e, where);
  }
  for (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** A JSON file's items: the whole array, or the array its ItemsPointer points to. @internal */
export function jsonItems(text: string, pointer: string | undefined): JsonValue[] {
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(text) as JsonValue;
  } catch {
    throw failed('The S3 object could not be parsed as JSON.');
  }
  const items = pointer === undefined ? parsed : pointTo(parsed, pointer);
  if (!Array.isArray(items)) {
    throw failed(pointer === undefined ? 'Attempting to map over non-iterable node.' : `ItemsPointer '${pointer}' does not point to an array.`);
  }
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

/** Lines of streamed text, CRLF or LF, without their ends. */
function* lines(chunks: Iterable<string>): Iterable<string> {
  let rest = '';
  for (const chunk of chunks) {
    rest += chunk;
    let start = 0;
    for (let nl = rest.indexOf('\n', start); nl >= 0; nl = rest.indexOf('\n', start)) {
      yield rest.charCodeAt(nl - 1) === 13 ? rest.slice(start, nl - 1) : rest.slice(start, nl);
      start = nl + 1;
    }
    rest = rest.slice(start);
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/** JSON Lines: one item per non-blank line; a line that is not JSON fails the read, naming its number. @internal */
export function* jsonLines(chunks: Iterable<string>): Iterable<JsonValue> {
  let n = 0;
  for (const line of lines(chunks)) {
    n++;
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as JsonValue;
    } catch {
      throw failed(`Line ${n} of the JSONL object could not be parsed as JSON: '${line.length > 80 ? `${line.slice(0, 80)}…` : line}'.`);
    }
  }
}

/** CSV items, streamed: a header row (or the given headers), then one item per row. @internal */
export function* csvItems(chunks: Iterable<string>, config: ReaderConfig): Iterable<JsonValue> {
  let headers: string[] | undefined = config.CSVHeaderLocation === 'GIVEN' ? [...(config.CSVHeaders ?? [])] : undefined;
  let order: number[] | undefined;
  for (const row of csvRows(chunks, delimiterOf(config.CSVDelimiter), MAX_CSV_HEADER_BYTES)) {
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
function* manifestItems(store: ObjectStore, where: S3Location, config: ReaderConfig): Iterable<JsonValue> {
  const text = readWhole(store, where);
  if (config.ManifestType === 'ATHENA_DATA') {
    const type = config.InputType ?? 'CSV';
    for (const uri of text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '')) {
      const file = s3Uri(uri);
      yield* objectItems(store, file, type === 'MANIFEST' ? 'CSV' : type, config);
    }
    return;
  }
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
    const file = { bucket, key };
    let bytes: Uint8Array;
    try {
      bytes = store.read(file.bucket, file.key, MAX_WHOLE_OBJECT_BYTES);
    } catch (e) {
      storeFailure(e, file);
    }
    if (key.endsWith('.gz')) {
      try {
        // node:zlib is loaded by the one read that needs it: loading it costs a cold start 3 ms or more.
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
        bytes = (require('node:zlib') as typeof import('node:zlib')).gunzipSync(bytes, { maxOutputLength: MAX_WHOLE_OBJECT_BYTES });
      } catch {
        throw failed(`The S3 Inventory file s3://${file.bucket}/${key} could not be decompressed (gzip).`);
      }
    }
    for (const row of csvRows([new TextDecoder().decode(bytes)], ',', MAX_CSV_HEADER_BYTES)) yield csvItem(headers, order, row);
  }
}

function s3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw failed(`The Athena manifest lists '${uri}', which is not an s3://bucket/key URI.`);
  return { bucket: m[1], key: m[2] };
}
