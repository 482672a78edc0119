import { namingBuckets, type LocalS3Kind } from './bucket-names';
import { EndpointObjectStore } from './endpoint-store';
import { FolderObjectStore } from './folder-store';
import { MemoryObjectStore } from './memory-store';
import { OverlayObjectStore } from './read-only-store';
import type { JsonValue } from '../../asl';
import type { ResourceRef } from '../../cfn';
import type { ObjectStore } from '../../interpreter';

/**
 * A local S3 for a run: a folder (`{ dir }`: a folder per bucket, a file per key; with
 * `readOnly: true` the folder is only read, and what the run writes is kept in memory for the run),
 * objects given inline (`{ bucket: { key: content } }`; a string is the body, anything else its
 * JSON), or a store of your own. Map ItemReaders read it, ResultWriters write their result files to
 * it, and `aws-sdk:s3` Tasks (getObject, putObject, listObjectsV2, headObject, copyObject,
 * deleteObject) run against it; mocks still answer first.
 * @example s3: { dir: 'test/s3' }
 * @example s3: { dir: 'test/s3', readOnly: true }
 * @example s3: { orders: { 'in/orders.csv': 'id,total\n1,30\n' }, results: {} }
 */
export type LocalS3Options =
  | { readonly dir: string; readonly readOnly?: boolean }
  | Readonly<Record<string, Readonly<Record<string, JsonValue>>>>
  | ObjectStore;

/** Thrown for a `s3` option that is none of the shapes it takes. */
export class LocalS3OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalS3OptionError';
  }
}

const isStore = (v: unknown): v is ObjectStore =>
  v !== null && typeof v === 'object' && typeof (v as ObjectStore).head === 'function' && typeof (v as ObjectStore).write === 'function';

/**
 * The store a `s3` option stands for. Inline objects are copied into a store of the run's own,
 * so a run's writes never reach the test's object.
 * @internal
 */
export function localS3Store(options: LocalS3Options, now: () => number): ObjectStore {
  if (isStore(options)) return options;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new LocalS3OptionError(`s3 must be { dir: '<folder>' } or { <bucket>: { <key>: <content> } }, got ${JSON.stringify(options)}`);
  }
  if (Object.hasOwn(options, 'dir') && typeof (options as { dir: unknown }).dir === 'string') {
    const { dir, readOnly } = options as { dir: string; readOnly?: unknown };
    // Read only: the folder is opened so (nothing cleaned up, nothing written), and the run's writes are kept in memory over it.
    return readOnly === true ? new OverlayObjectStore(new FolderObjectStore(dir, now, { readOnly: true }), now) : new FolderObjectStore(dir, now);
  }
  const store = new MemoryObjectStore(now);
  // Typed, but a JavaScript caller's: each bucket is checked before it is read.
  for (const [bucket, objects] of Object.entries<unknown>(options)) {
    if (objects === null || typeof objects !== 'object' || Array.isArray(objects)) {
      throw new LocalS3OptionError(`s3.${bucket} must be an object of keys and their contents, got ${JSON.stringify(objects)}`);
    }
    store.createBucket(bucket);
    for (const [key, content] of Object.entries(objects as Record<string, JsonValue>)) {
      store.write(bucket, key, typeof content === 'string' ? content : JSON.stringify(content));
    }
  }
  return store;
}

/**
 * What kind of local S3 an `s3` option is, for what a missing bucket's message advises; an S3
 * endpoint (no option) is 'other'.
 * @internal
 */
export function localS3Kind(options: LocalS3Options | undefined): LocalS3Kind {
  if (options === undefined || isStore(options)) return 'other';
  return Object.hasOwn(options, 'dir') ? 'folder' : 'objects';
}

/** One store per S3 endpoint and region: its worker (and the SDK it loads) serves every run. */
const endpointStores = new Map<string, EndpointObjectStore>();

/**
 * Ends the worker thread of every S3 endpoint's store (the next run on an endpoint starts
 * another). Each thread holds no process open, but every one still running is torn down when
 * the process ends: a test that talks to many endpoints (one S3 server per test) ends them here.
 * @internal
 */
export function closeEndpointStores(): void {
  for (const store of endpointStores.values()) store.close();
  endpointStores.clear();
}

/**
 * The local S3 of a run or a server: the S3 endpoint given (`endpoints.s3`, `--endpoint
 * s3=<url>`) or the `s3` option, not both; undefined when neither is given.
 * @throws LocalS3OptionError when both are given
 * @internal
 */
export function localS3Of(
  options: LocalS3Options | undefined, endpoint: URL | undefined, region: string, now: () => number,
): ObjectStore | undefined {
  if (endpoint === undefined) return options === undefined ? undefined : localS3Store(options, now);
  if (options !== undefined) {
    throw new LocalS3OptionError(`the local S3 is given twice: an S3 endpoint (${endpoint.href}) and ${isStore(options) ? 'a store' : Object.hasOwn(options, 'dir') ? 'a folder (s3: { dir }, --s3-dir)' : 'objects (s3: { bucket: { key: content } })'}; give one of them`);
  }
  const key = `${region}\n${endpoint.href}`;
  let store = endpointStores.get(key);
  if (!store) {
    store = new EndpointObjectStore(endpoint, region);
    endpointStores.set(key, store);
  }
  return store;
}

/**
 * {@link localS3Of} for a door that loads templates itself (`serve --load`): a `NoSuchBucket` for a
 * bucket of `resources` (placeholders by the resource they stand for) says how the run named it and
 * where it goes, as a run of the harness or `stepwright run` says it; `folder` names the run's local
 * S3 folder as its door does (`localS3FolderAt`).
 * @internal
 */
export function templateLocalS3Of(
  options: LocalS3Options | undefined, endpoint: URL | undefined, region: string, now: () => number, resources: ReadonlyMap<string, ResourceRef>,
  folder: string,
): ObjectStore | undefined {
  const store = localS3Of(options, endpoint, region, now);
  return store && namingBuckets(store, resources, localS3Kind(options), folder);
}
