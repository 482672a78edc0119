import type { S3Location } from './stored-items';
import type { JsonObject, JsonValue } from '../../asl';
import { setField } from '../../asl/json-value';
import { AwsLimits } from '../../asl/limits';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { ObjectStoreError, rangeOf, type ObjectStore } from '../object-store';

const failed = (cause: string): StatesError => new StatesError(StatesErrors.ITEM_READER_FAILED, cause);


/**
 * The most values decoded at once: a row group's values, all columns together, are decoded
 * before its first row is read (a page is the least a Parquet reader decodes), and a page of
 * run-length-encoded values may hold millions in a few bytes. Stepwright's own bound, where AWS
 * reads such a page: a sixty-fourth of the heap's limit in values (about a quarter of the heap
 * once decoded); 16,777,216 in a 1 GiB heap.
 * @internal
 */
export function maxDecodedValues(): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded with the first Parquet read
  const { getHeapStatistics } = require('node:v8') as typeof import('node:v8');
  return Math.max(2 ** 20, Math.floor(getHeapStatistics().heap_size_limit / 64));
}

type Hyparquet = typeof import('hyparquet');

async function loadHyparquet(): Promise<Hyparquet> {
  try {
    return await import('hyparquet');
  } catch (e) {
    throw failed(`Reading PARQUET needs the hyparquet package, which did not load (${e instanceof Error ? e.message : String(e)}); `
      + 'it is an ES module, which Node.js loads from CommonJS from version 20.19.');
  }
}

/**
 * The rows of a Parquet object as a Map's items (`InputType: PARQUET`), one object per row keyed
 * by column, read as they are consumed: the footer first (AWS's bound: 5 MB), then one row group
 * at a time (AWS's bound: 256 MB), its columns decoded by hyparquet and its rows made one by one.
 * With `maxItems`, no row past it is decoded. A row group that would decode more values at once
 * than {@link maxDecodedValues} fails the read, naming it, before anything is decoded.
 * @internal
 */
export async function* parquetItems(store: ObjectStore, where: S3Location, maxItems?: number): AsyncIterable<JsonValue> {
  const name = `s3://${where.bucket}/${where.key}`;
  const parquet = await loadHyparquet();
  let size: number;
  try {
    size = store.head(where.bucket, where.key).size;
  } catch (e) {
    if (e instanceof ObjectStoreError) {
      throw failed(e.code === 'NoSuchKey' ? `S3 object not found: ${name} (S3.NoSuchKey)` : `${e.message} (S3.${e.code})`);
    }
    throw e;
  }
  const file = {
    byteLength: size,
    slice: (start: number, end?: number): ArrayBuffer => {
      const bytes = rangeOf(store, where.bucket, where.key, start, end ?? size);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
  const unreadable = (e: unknown): StatesError => (e instanceof StatesError ? e
    : failed(`The S3 object ${name} could not be read as Parquet: ${e instanceof Error ? e.message : String(e)}.`));
  if (size < 12) throw unreadable(new Error('it is shorter than a Parquet file can be'));
  const tail = new DataView(file.slice(size - 8, size));
  if (tail.getUint32(4, false) !== 0x50415231) throw unreadable(new Error("it does not end with 'PAR1', as a Parquet file does"));
  const footer = tail.getUint32(0, true);
  if (footer > AwsLimits.PARQUET_FOOTER_BYTES) {
    throw failed(`The Parquet object ${name} has a footer of ${footer} bytes; Step Functions reads footers of up to 5 MB.`);
  }
  let metadata: Awaited<ReturnType<Hyparquet['parquetMetadataAsync']>>;
  let scan: Awaited<ReturnType<Hyparquet['parquetScan']>>;
  try {
    metadata = await parquet.parquetMetadataAsync(file, { initialFetchSize: Math.min(size, footer + 8) });
    scan = await parquet.parquetScan({ file, metadata, useOffsetIndex: false });
  } catch (e) {
    throw unreadable(e);
  }
  const columns = parquet.parquetSchema(metadata).children.map((c) => c.element.name);
  const bound = maxDecodedValues();
  let groupStart = 0;
  let left = maxItems !== undefined && maxItems > 0 ? maxItems : Infinity;
  for (const [g, group] of metadata.row_groups.entries()) {
    if (left <= 0) return;
    const rows = Number(group.num_rows);
    let stored = 0;
    let values = 0;
    for (const chunk of group.columns) {
      stored += Number(chunk.meta_data?.total_compressed_size ?? 0);
      values += Number(chunk.meta_data?.num_values ?? 0);
    }
    if (stored > AwsLimits.PARQUET_ROW_GROUP_BYTES) {
      throw failed(`Row group ${g} of the Parquet object ${name} is ${stored} bytes; Step Functions reads row groups of up to 256 MB.`);
    }
    if (values > bound) {
      throw failed(`Row group ${g} of the Parquet object ${name} holds ${values} values (${rows} rows), more than the ${bound} stepwright decodes at once `
        + '(a sixty-fourth of its heap limit); write it in smaller row groups, or give node a larger heap (--max-old-space-size).');
    }
    const take = Math.min(rows, left);
    if (take > 0) {
      let data: ArrayLike<unknown>[];
      try {
        data = await Promise.all(columns.map((column) => scan.readColumn({ column, rowStart: groupStart, rowEnd: groupStart + take })));
      } catch (e) {
        throw unreadable(e);
      }
      for (let i = 0; i < take; i++) {
        const row: JsonObject = {};
        for (let c = 0; c < columns.length; c++) setField(row, columns[c], jsonOf(data[c][i]));
        yield row;
      }
      left -= take;
    }
    groupStart += rows;
  }
}

/**
 * A Parquet value as JSON: a 64-bit integer is a number when it is exact as one and its digits
 * otherwise, a timestamp its ISO text, bytes their base64, a non-finite number null.
 */
function jsonOf(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    default:
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(jsonOf);
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) setField(out, k, jsonOf(v));
    return out;
  }
  return String(value);
}
