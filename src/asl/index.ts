// The language layer's public face: ASL types, the errors it raises, the
// validator, and seedable randomness. The compilers (paths, templates,
// intrinsics, Choice rules, JSONata) are internal: the interpreter uses them.
export * from './definition-types';
export { StatesError, StatesErrors, DefinitionError } from './states-errors';
export { seededRandom, mathRandom } from './random';
export type { RandomSource, DrawKind } from './random';
export type { MapRunManifest, MapRunResultFiles, MapRunResultFile } from './map-run-manifest';
export { validateDefinition, ValidationCodes, InvalidDefinitionError } from './validate';
export type { Finding, FindingSeverity, ValidateOptions, ValidationCode } from './validate';
export type { MachineType } from './aws-defaults';
