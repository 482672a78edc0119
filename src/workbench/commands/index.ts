/**
 * The commands room of workbench/: what the CLI and MCP run (loading what they point at, run,
 * validate, explore, steps, coverage merging).
 * Other layers and rooms import it through this file, or through a door listed in
 * test/layers.ts (SURFACES).
 */
export { DATA_FILE_LIMIT, INPUT_LIMIT } from './sources';
/** @internal */
export { loadMachines, loadOneMachine, parseJsonText, readJsonFile, readTextFile } from './sources';
/** @internal */
export type { LoadedMachine, MachineOrigin, MachineSource, SelectorNames } from './sources';
