/*
 * The names a Distributed Map's run is known by, as AWS forms them: its Map Run ARN, the state
 * machine of its child executions, and where its items come from (`$$.Map.Item.Source`).
 */
import type { JsonValue } from '../../asl';
import { statesArn } from '../../asl/aws-defaults';
import { drawnValue } from '../../asl/random';
import type { ObjectStore } from '../object-store';
import type { ExecutionRuntime } from '../runtime';

/** The name of the state machine an execution runs, as its Context Object gives it (`Machine`, or `Machine/label` in a child). */
function machineName(rt: ExecutionRuntime): string {
  return String(rt.contextStateMachine.Name);
}

/** The state machine a Map Run's child executions run: `arn:…:stateMachine:<machine>/<label>`. @internal */
export function childMachineArn(rt: ExecutionRuntime, label: string): string {
  return statesArn(rt.region, rt.accountId, 'stateMachine', `${machineName(rt)}/${label}`);
}

/**
 * Where a Map Run writes its results: `<Prefix>/<MapRunId>/`, whose folder a new Map Run must not
 * share with an earlier one.
 * @internal
 */
export interface ResultFolder {
  readonly store: ObjectStore;
  readonly bucket: string;
  readonly prefix: string;
}

/** Ids drawn at most for one Map Run before the last is taken whatever the store holds. */
const MAX_DRAWS = 64;

/**
 * A new Map Run's ARN: `arn:aws:states:<region>:<account>:mapRun:<machine>/<label>:<id>`, its id a
 * random UUID as on AWS (`…:25bc2fbb-6f60-4c44-876b-3cc9586fc435` in the capture). Every Map Run
 * has an id of its own, so it never writes its results into an earlier one's folder: a run on a
 * seed that drew an id before (the same test run twice into one local S3, say) draws again while
 * the folder that id names holds files. A replay keeps the ARN AWS gave.
 * @internal
 */
export function newMapRunArn(rt: ExecutionRuntime, label: string, folder: ResultFolder | undefined): string {
  const base = statesArn(rt.region, rt.accountId, 'mapRun', `${machineName(rt)}/${label}`, '');
  let id = rt.random.uuid();
  if (folder && rt.random.drawn === undefined) {
    for (let n = 1; n < MAX_DRAWS && holdsFiles(folder, id); n++) id = rt.random.uuid();
  }
  return drawnValue(rt.random, base + id, 'mapRunArn');
}

/** Whether the result folder of Map Run `id` holds any object already. */
function holdsFiles(folder: ResultFolder, id: string): boolean {
  try {
    return folder.store.list(folder.bucket, { prefix: `${folder.prefix}${id}/`, maxKeys: 1 }).objects.length > 0;
  } catch {
    // A bucket that cannot be listed is reported by the ResultWriter when it writes.
    return false;
  }
}

/**
 * `$$.Map.Item.Source`: `STATE_DATA` for items from the state input, `s3://<bucket>` for a
 * listing (ListObjectsV2) and `s3://<bucket>/<key>` for an object read (Context object,
 * "Context object data for Map states"; the URIs written in lower case as AWS gives them, though
 * that page writes `S3://`). For a manifest, the manifest's own URI.
 * @internal
 */
export function itemSourceOf(resource: string | undefined, parameters: JsonValue): string {
  if (resource === undefined) return 'STATE_DATA';
  const p = parameters !== null && typeof parameters === 'object' && !Array.isArray(parameters) ? parameters : {};
  const bucket = typeof p.Bucket === 'string' ? p.Bucket : '';
  if (/:listObjectsV2$/.test(resource)) return `s3://${bucket}`;
  return typeof p.Key === 'string' ? `s3://${bucket}/${p.Key}` : `s3://${bucket}`;
}

/** A set of child indices (those a Map Run started), a byte each, grown as they come. @internal */
export class IndexMarks {
  private marks = new Uint8Array(64);

  mark(i: number): void {
    if (i >= this.marks.length) {
      const grown = new Uint8Array(Math.max(i + 1, this.marks.length * 2));
      grown.set(this.marks);
      this.marks = grown;
    }
    this.marks[i] = 1;
  }

  has(i: number): boolean {
    return i < this.marks.length && this.marks[i] === 1;
  }
}
