export { CommandInputError } from './command-errors';
export { checkOutputFiles, realPath, writeOutputFiles } from './output-files';
export type { OutputFile, OutputPath } from './output-files';
