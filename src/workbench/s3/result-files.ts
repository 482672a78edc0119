import type { JsonValue, MapRunManifest, MapRunResultFile, MapRunResultFiles } from '../../asl';
import type { ObjectStore } from '../../interpreter';
import { ObjectStoreError } from '../../interpreter/object-store';

/** The result files of one Map Run, read back: what AWS wrote under `<Prefix>/<MapRunId>/`. */
export interface MapRunResults {
  /** manifest.json: `DestinationBucket`, `MapRunArn`, `ResultFiles` (`FAILED`, `PENDING`, `SUCCEEDED`: `{ Key, Size }[]`). */
  readonly manifest: MapRunManifest;
  /** The entries of the SUCCEEDED files, in order. */
  readonly succeeded: JsonValue[];
  /** The entries of the FAILED files. */
  readonly failed: JsonValue[];
  /** The entries of the PENDING files. */
  readonly pending: JsonValue[];
}

/** Thrown when a Map's result files cannot be found or read. */
export class MapResultsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MapResultsError';
  }
}

/**
 * The most read back from one Map Run's folder, its manifest and every file it lists together:
 * 512 MiB. The folder is the user's: a manifest.json put there by hand may list a large file a
 * thousand times.
 * @internal
 */
export const MAX_MAP_RESULTS_READ_BYTES = 512 * 1024 * 1024;

/**
 * Reads a Map Run's result files from the local S3, from the `ResultWriterDetails` the Map
 * returned (`{ Bucket, Key }` of its manifest.json). JSON files are arrays; JSON Lines files
 * one entry a line.
 * @internal
 */
export function readMapRunResults(store: ObjectStore, details: JsonValue | undefined, maxBytes = MAX_MAP_RESULTS_READ_BYTES): MapRunResults {
  const d = details !== null && typeof details === 'object' && !Array.isArray(details) ? details : undefined;
  const bucket = d && Object.hasOwn(d, 'Bucket') ? d.Bucket : undefined;
  const key = d && Object.hasOwn(d, 'Key') ? d.Key : undefined;
  if (typeof bucket !== 'string' || typeof key !== 'string') {
    throw new MapResultsError(`mapResults needs the ResultWriterDetails ({ Bucket, Key }) a Map with a ResultWriter returned, got ${JSON.stringify(details ?? null)}`);
  }
  let left = maxBytes;
  const read = (k: string): string => {
    let body: Uint8Array;
    try {
      body = store.read(bucket, k, left);
    } catch (e) {
      if (!(e instanceof ObjectStoreError) || e.code !== 'EntityTooLarge') throw e;
      throw new MapResultsError(`s3://${bucket}/${k} would take what mapResults reads from one Map Run past `
        + `${maxBytes.toLocaleString('en-US')} bytes (its manifest and every file it lists, together); read the files yourself from the store`);
    }
    left -= body.length;
    return new TextDecoder().decode(body);
  };
  const manifest = asManifest(parse(read(key), `s3://${bucket}/${key}`), `s3://${bucket}/${key}`);
  const entries = (status: keyof MapRunManifest['ResultFiles']): JsonValue[] => manifest.ResultFiles[status].flatMap((f) => {
    const where = `s3://${bucket}/${f.Key}`;
    const body = read(f.Key);
    if (f.Key.endsWith('.jsonl')) return body.split('\n').flatMap((l, i) => (l === '' ? [] : [entry(l, `${where} line ${i + 1}`)]));
    const list = entry(body, where);
    if (!Array.isArray(list)) throw new MapResultsError(`${where} is not a JSON array; it is not a result file a ResultWriter wrote`);
    return list;
  });
  return { manifest, succeeded: entries('SUCCEEDED'), failed: entries('FAILED'), pending: entries('PENDING') };
}

/** An entry of a result file, or the list a JSON one holds: the folder is the user's, and a file put there by hand may hold anything. */
function entry(text: string, where: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new MapResultsError(`${where} is not JSON (${(e as Error).message}); it is not a result file a ResultWriter wrote`);
  }
}

function parse(text: string, where: string): JsonValue {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new MapResultsError(`${where} is not JSON (${(e as Error).message}); it is not a manifest.json a ResultWriter wrote`);
  }
}

/**
 * The manifest read back, checked to have the shape a ResultWriter writes: the folder is the
 * user's, and a file put there by hand is read as what it claims to be only once checked.
 */
function asManifest(value: JsonValue, where: string): MapRunManifest {
  const fail = (what: string): never => {
    throw new MapResultsError(`${where} is not a manifest.json a ResultWriter wrote: ${what}`);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('it is not a JSON object');
  const bucket = value.DestinationBucket;
  if (typeof bucket !== 'string') return fail('DestinationBucket is not a string');
  const arn = value.MapRunArn;
  if (typeof arn !== 'string') return fail('MapRunArn is not a string');
  const files = value.ResultFiles;
  if (files === null || typeof files !== 'object' || Array.isArray(files)) return fail('ResultFiles is not an object');
  const listed = (status: keyof MapRunResultFiles): MapRunResultFile[] => {
    const list = files[status];
    if (!Array.isArray(list)) return fail(`ResultFiles.${status} is not a list`);
    return list.map((file, i) => (file !== null && typeof file === 'object' && !Array.isArray(file) && typeof file.Key === 'string' && typeof file.Size === 'number'
      ? { Key: file.Key, Size: file.Size }
      : fail(`ResultFiles.${status}[${i}] is not { Key, Size }`)));
  };
  // Checked FAILED, PENDING, SUCCEEDED, in that order: a bad manifest names its first bad list.
  const FAILED = listed('FAILED');
  const PENDING = listed('PENDING');
  return { DestinationBucket: bucket, MapRunArn: arn, ResultFiles: { FAILED, PENDING, SUCCEEDED: listed('SUCCEEDED') } };
}
