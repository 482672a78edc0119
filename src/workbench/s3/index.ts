export { FolderObjectStore, S3FolderError } from './folder-store';
export { MemoryObjectStore } from './memory-store';
export { LocalS3OptionError, type LocalS3Options } from './local-s3';
export { LOCAL_S3_OPERATIONS } from './s3-tasks';
export { MapResultsError, type MapRunResults } from './result-files';
export { localS3Of } from './local-s3';
export { readMapRunResults } from './result-files';
