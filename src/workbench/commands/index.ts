export { commandMocksFromJson, loadMocks } from './mocks';
export type { CommandMocks, MockOptions } from './mocks';
export { adviceOf, machineWorkflow, runMachine, runReport, runWorkflow, stateOf } from './run';
export { INPUT_LIMIT, loadMachines, loadOneMachine, parseJsonText, readJsonFile, readTextFile } from './sources';
export type { LoadedMachine, MachineOrigin, MachineSource, SelectorNames } from './sources';
