export { FolderObjectStore, S3FolderError, type FolderObjectStoreOptions } from './folder-store';
export type { FileNameFolding } from './name-folding';
export { MemoryObjectStore } from './memory-store';
export { LocalS3OptionError, type LocalS3Options } from './local-s3';
export { LOCAL_S3_OPERATIONS } from './s3-tasks';
export { MapResultsError, type MapRunResults } from './result-files';
/** @internal */
export { templateLocalS3Of } from './local-s3';
/** @internal */
export { readMapRunResults } from './result-files';
