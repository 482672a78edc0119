import type { JsonObject, JsonValue } from '../../asl';
import type { ObjectStore } from '../../interpreter';

/** The result files of one Map Run, read back: what AWS wrote under `<Prefix>/<MapRunId>/`. */
export interface MapRunResults {
  /** manifest.json: `DestinationBucket`, `MapRunArn`, `ResultFiles` (`FAILED`, `PENDING`, `SUCCEEDED`: `{ Key, Size }[]`). */
  readonly manifest: JsonObject;
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

/** Largest result file read back. */
const MAX_RESULT_FILE_BYTES = 512 * 1024 * 1024;

/**
 * Reads a Map Run's result files from the local S3, from the `ResultWriterDetails` the Map
 * returned (`{ Bucket, Key }` of its manifest.json). JSON files are arrays; JSON Lines files
 * one entry a line.
 * @internal
 */
export function readMapRunResults(store: ObjectStore, details: JsonValue | undefined): MapRunResults {
  const d = details !== null && typeof details === 'object' && !Array.isArray(details) ? details : undefined;
  const bucket = d && Object.hasOwn(d, 'Bucket') ? d.Bucket : undefined;
  const key = d && Object.hasOwn(d, 'Key') ? d.Key : undefined;
  if (typeof bucket !== 'string' || typeof key !== 'string') {
    throw new MapResultsError(`mapResults needs the ResultWriterDetails ({ Bucket, Key }) a Map with a ResultWriter returned, got ${JSON.stringify(details ?? null)}`);
  }
  const read = (k: string): string => new TextDecoder().decode(store.read(bucket, k, MAX_RESULT_FILE_BYTES));
  const manifest = JSON.parse(read(key)) as JsonObject;
  const files = (manifest.ResultFiles ?? {}) as Record<string, Array<{ Key: string }>>;
  const entries = (status: string): JsonValue[] => (files[status] ?? []).flatMap((f) => {
    const body = read(f.Key);
    return f.Key.endsWith('.jsonl')
      ? body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as JsonValue)
      : JSON.parse(body) as JsonValue[];
  });
  return { manifest, succeeded: entries('SUCCEEDED'), failed: entries('FAILED'), pending: entries('PENDING') };
}
