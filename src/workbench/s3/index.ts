export { FolderObjectStore, S3FolderError } from './folder-store';
export { MemoryObjectStore } from './memory-store';
export { localS3Store, LocalS3OptionError, type LocalS3Options } from './local-s3';
export { answerS3Task, LOCAL_S3_OPERATIONS } from './s3-tasks';
export { readMapRunResults, MapResultsError, type MapRunResults } from './result-files';
