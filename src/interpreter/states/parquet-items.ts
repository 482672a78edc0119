import { readBytes, readerLocation } from './stored-items';
import type { JsonObject, JsonValue } from '../../asl/definition-types';
import { setField } from '../../asl/json-value';
import { StatesError } from '../../asl/states-errors';
import type { ObjectStore } from '../object-store';

const failed = (cause: string): StatesError => new StatesError('States.ItemReaderFailed', cause);

/**
 * The rows of a Parquet object as a Map's items (`InputType: PARQUET`): one object per row,
 * keyed by column. The file is read whole (a Parquet footer is at its end) and parsed by
 * hyparquet, loaded the first time a PARQUET reader runs.
 * @internal
 */
export async function parquetStoredItems(store: ObjectStore, parameters: JsonValue): Promise<JsonValue[]> {
  const where = readerLocation(parameters, 'Key');
  const bytes = readBytes(store, where);
  let parquet: typeof import('hyparquet');
  try {
    parquet = await import('hyparquet');
  } catch (e) {
    throw failed(`Reading PARQUET needs the hyparquet package, which did not load (${e instanceof Error ? e.message : String(e)}); `
      + 'it is an ES module, which Node.js loads from CommonJS from version 20.19.');
  }
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Array<Record<string, unknown>>;
  try {
    rows = await parquet.parquetReadObjects({ file });
  } catch (e) {
    throw failed(`The S3 object s3://${where.bucket}/${where.key} could not be read as Parquet: ${e instanceof Error ? e.message : String(e)}.`);
  }
  return rows.map((row) => jsonOf(row) as JsonObject);
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
