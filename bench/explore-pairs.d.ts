import type { StateMachineDefinition } from '../src/asl/definition-types';

/** N Task+Choice pairs, each Task's answer deciding its Choice (see explore-pairs.js). */
export declare function pairsMachine(n: number, options?: { retryAndCatchAt?: number }): StateMachineDefinition;
