/**
 * What every room of workbench/ uses: the bounded JSON reader, optional peers, the files a
 * command writes, the package's root, printable values, the input error of every command.
 * Other layers and rooms import it through this file, or through a door listed in
 * test/layers.ts (SURFACES).
 */
/** @internal */
export { DATA_FILE_LIMIT, DEFINITION_FILE_LIMIT, INPUT_LIMIT, JsonFileReadError, confineReads, confinedPath, confinementOf, fsErrorReason, jsonTextNestsDeeper, jsonTextProblem, readJsonText, readTemplateText } from './json-file';
/** @internal */
export type { SizeLimit } from './json-file';
