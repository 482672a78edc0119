import type { ResourceRef } from '../../cfn';
import { NO_SUCH_BUCKET, ObjectStoreError, type ObjectStore } from '../../interpreter/object-store';

/**
 * `store`, its `NoSuchBucket` saying where the name came from when a bucket of the template
 * (`resources`: placeholders by the resource they stand for) has it. A bucket the template gives no
 * `BucketName` (the CDK's `new s3.Bucket(this, 'Data')`, SAM's unnamed bucket) is named for the run
 * by its logical id in lower case, as CloudFormation would give it a name of its own
 * (`<stack>-databuckete3889a50-<suffix>`) that no local folder holds: the message says so, and
 * which folder to make in which option; `folder` names a folder's option as the run's door spells it
 * (`the local S3 folder, the one --s3-dir names`).
 * @internal
 */
export function namingBuckets(store: ObjectStore, resources: ReadonlyMap<string, ResourceRef>, kind: LocalS3Kind, folder: string): ObjectStore {
  const buckets = new Map<string, ResourceRef>();
  for (const [placeholder, ref] of resources) if (ref.resourceType === 'AWS::S3::Bucket' && ref.attribute === 'Ref') buckets.set(placeholder, ref);
  if (buckets.size === 0) return store;
  const explained = (e: unknown, bucket: unknown): unknown => {
    const ref = typeof bucket === 'string' ? buckets.get(bucket) : undefined;
    if (!(e instanceof ObjectStoreError) || e.code !== 'NoSuchBucket' || ref === undefined) return e;
    // A folder's or inline objects' own advice is said again below, with the name's origin; an endpoint's names the endpoint.
    const said = kind === 'other' ? e.message : `${NO_SUCH_BUCKET}: ${bucket as string}`;
    return new ObjectStoreError('NoSuchBucket', `${said}; ${bucketOrigin(bucket as string, ref)}: ${FIXES[kind](bucket as string, folder)}`);
  };
  const guard = <T>(bucket: string, call: () => T): T => {
    try {
      return call();
    } catch (e) {
      throw explained(e, bucket);
    }
  };
  const { readRange, openWrite } = store;
  return {
    head: (bucket, key) => guard(bucket, () => store.head(bucket, key)),
    read: (bucket, key, maxBytes) => guard(bucket, () => store.read(bucket, key, maxBytes)),
    // chunks() reads lazily: its bucket is looked for at the first chunk.
    chunks: (bucket, key) => explainedChunks(guard(bucket, () => store.chunks(bucket, key)), (e) => explained(e, bucket)),
    list: (bucket, options) => guard(bucket, () => store.list(bucket, options)),
    write: (bucket, key, body) => guard(bucket, () => store.write(bucket, key, body)),
    delete: (bucket, key) => guard(bucket, () => store.delete(bucket, key)),
    ...(readRange ? {
      readRange: (bucket: string, key: string, start: number, end: number) => guard(bucket, () => readRange.call(store, bucket, key, start, end)),
    } : {}),
    ...(openWrite ? { openWrite: (bucket: string, key: string) => guard(bucket, () => openWrite.call(store, bucket, key)) } : {}),
  };
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

/** Where each kind of local S3 must hold a bucket; `folder`: the run's local S3 folder, as its door names it. */
const FIXES: Record<LocalS3Kind, (bucket: string, folder: string) => string> = {
  folder: (bucket, folder) => `make a folder '${bucket}' in ${folder}`,
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
