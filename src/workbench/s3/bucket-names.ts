import type { ResourceRef } from '../../cfn';
import { NO_SUCH_BUCKET, ObjectStoreError, type ObjectStore } from '../../interpreter/object-store';

/** The calls of a store that name a bucket first. */
const BUCKET_CALLS: ReadonlySet<string | symbol> = new Set(['head', 'read', 'chunks', 'readRange', 'list', 'write', 'delete', 'openWrite']);

/**
 * `store`, its `NoSuchBucket` saying where the name came from when a bucket of the template
 * (`resources`: placeholders by the resource they stand for) has it. A bucket the template gives no
 * `BucketName` (the CDK's `new s3.Bucket(this, 'Data')`, SAM's unnamed bucket) is named for the run
 * by its logical id in lower case, as CloudFormation would give it a name of its own
 * (`<stack>-databuckete3889a50-<suffix>`) that no local folder holds: the message says so, and
 * which folder to make in which option.
 * @internal
 */
export function namingBuckets(store: ObjectStore, resources: ReadonlyMap<string, ResourceRef>, kind: LocalS3Kind): ObjectStore {
  const buckets = new Map<string, ResourceRef>();
  for (const [placeholder, ref] of resources) if (ref.resourceType === 'AWS::S3::Bucket' && ref.attribute === 'Ref') buckets.set(placeholder, ref);
  if (buckets.size === 0) return store;
  const explained = (e: unknown, bucket: unknown): unknown => {
    const ref = typeof bucket === 'string' ? buckets.get(bucket) : undefined;
    if (!(e instanceof ObjectStoreError) || e.code !== 'NoSuchBucket' || ref === undefined) return e;
    // A folder's or inline objects' own advice is said again below, with the name's origin; an endpoint's names the endpoint.
    const said = kind === 'other' ? e.message : `${NO_SUCH_BUCKET}: ${bucket as string}`;
    return new ObjectStoreError('NoSuchBucket', `${said}; ${bucketOrigin(bucket as string, ref)}: ${FIXES[kind](bucket as string)}`);
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      // eslint-disable-next-line no-restricted-syntax -- a Proxy's get trap forwards any member (a store's own, not only ObjectStore's) as the language reads it
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || !BUCKET_CALLS.has(prop)) return value;
      return (bucket: unknown, ...rest: unknown[]): unknown => {
        try {
          const out: unknown = (value as (...args: unknown[]) => unknown).call(target, bucket, ...rest);
          // chunks() reads lazily: its bucket is looked for at the first chunk.
          return prop === 'chunks' ? explainedChunks(out as Iterable<Uint8Array>, (e) => explained(e, bucket)) : out;
        } catch (e) {
          throw explained(e, bucket);
        }
      };
    },
  });
}

function* explainedChunks(chunks: Iterable<Uint8Array>, explained: (e: unknown) => unknown): Iterable<Uint8Array> {
  try {
    yield* chunks;
  } catch (e) {
    throw explained(e);
  }
}

/** What a run's local S3 is: a folder (`--s3-dir`, `s3: { dir }`), objects given inline, or an S3 endpoint or a store of the test's. */
export type LocalS3Kind = 'folder' | 'objects' | 'other';

/** Where each kind of local S3 must hold a bucket. */
const FIXES: Record<LocalS3Kind, (bucket: string) => string> = {
  folder: (bucket) => `make a folder '${bucket}' in the local S3 folder, the one --s3-dir names on the command line (s3: { dir } in a test, s3Dir in MCP)`,
  objects: (bucket) => `give the run's s3 objects a bucket '${bucket}' (s3: { '${bucket}': { '<key>': <content> } })`,
  other: (bucket) => `create the bucket '${bucket}' in the S3 the run reads`,
};

/** How the run named a template's bucket. */
function bucketOrigin(bucket: string, ref: ResourceRef): string {
  const name = ref.cdkPath ? ref.cdkPath.replace(/\/Resource$/, '') : ref.logicalId;
  return bucket === ref.logicalId.toLowerCase()
    ? `it is the template's AWS::S3::Bucket ${name} (logical id ${ref.logicalId}), which gives no BucketName, so the run names it by `
      + 'its logical id in lower case (CloudFormation would make up a name of its own)'
    : `it is the BucketName of the template's AWS::S3::Bucket ${name} (logical id ${ref.logicalId})`;
}
