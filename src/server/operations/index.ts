import { ACTIVITY_OPERATIONS } from './activities';
import { EXECUTION_OPERATIONS } from './executions';
import { MACHINE_OPERATIONS } from './machines';
import { TAG_OPERATIONS } from './tags';
import { TASK_OPERATIONS } from './tasks';
import type { Operation } from './types';
import { VERSION_OPERATIONS } from './versions';

export type { Operation } from './types';

/** Each operation: its handler on the service. @internal */
export const OPERATIONS: Record<string, { call: Operation }> = {};
const FAMILIES = [MACHINE_OPERATIONS, VERSION_OPERATIONS, TAG_OPERATIONS, ACTIVITY_OPERATIONS, TASK_OPERATIONS, EXECUTION_OPERATIONS];
for (const [name, call] of FAMILIES.flat()) {
  OPERATIONS[name] = { call };
}

/** The operation names the server answers. @internal */
export const OPERATION_NAMES: readonly string[] = Object.keys(OPERATIONS);
