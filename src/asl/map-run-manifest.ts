/**
 * The `manifest.json` a Distributed Map's ResultWriter writes under `<Prefix>/<MapRunId>/`
 * when it exports the Map Run's results to S3 (AWS Step Functions developer guide,
 * "ResultWriter (Map)"): the bucket, the Map Run and the result files it wrote, by the status of
 * the child executions each describes. The Map's output names it in
 * `ResultWriterDetails: { Bucket, Key }`.
 */
export interface MapRunManifest {
  /** The bucket the result files are in. */
  readonly DestinationBucket: string;
  /** The ARN of the Map Run whose results these are. */
  readonly MapRunArn: string;
  /** The result files, by the status of the child executions they describe. */
  readonly ResultFiles: MapRunResultFiles;
}

/** The result files of a {@link MapRunManifest}, each list in the order written (`SUCCEEDED_0.json`, `SUCCEEDED_1.json`, ...). */
export interface MapRunResultFiles {
  /** Files of the child executions that failed, timed out or were aborted. */
  readonly FAILED: readonly MapRunResultFile[];
  /** Files of the items no child execution started for, when the Map Run failed. */
  readonly PENDING: readonly MapRunResultFile[];
  /** Files of the child executions that succeeded. */
  readonly SUCCEEDED: readonly MapRunResultFile[];
}

/** One result file a {@link MapRunManifest} lists. */
export interface MapRunResultFile {
  /** Its key in the destination bucket. */
  readonly Key: string;
  /** Its size in bytes. */
  readonly Size: number;
}
