import type { StateMachineDefinition } from '../src/asl/definition-types';

/** A machine of exactly `states` states, shaped like real workflows (see render-machine.js). */
export declare function benchMachine(states?: number): StateMachineDefinition;
