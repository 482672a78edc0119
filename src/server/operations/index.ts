import { ACTIVITY_OPERATIONS } from './activities';
import { EXECUTION_OPERATIONS } from './executions';
import { MACHINE_OPERATIONS } from './machines';
import type { Operation, OperationName } from './operation-table';
import { TAG_OPERATIONS } from './tags';
import { TASK_OPERATIONS } from './tasks';
import { VERSION_OPERATIONS } from './versions';

export type { Operation, OperationName } from './operation-table';

/**
 * Every operation the server answers, by its API name, built once from the
 * families' closed lists: a request names one of these or none (a name such as
 * `valueOf` or `__proto__` is no operation, since a Map has no prototype to look in).
 * @internal
 */
export const OPERATIONS: ReadonlyMap<OperationName, Operation> = (() => {
  const table = new Map<OperationName, Operation>();
  const families = [MACHINE_OPERATIONS, VERSION_OPERATIONS, TAG_OPERATIONS, ACTIVITY_OPERATIONS, TASK_OPERATIONS, EXECUTION_OPERATIONS];
  for (const [name, operation] of families.flat()) {
    if (table.has(name)) throw new Error(`the operation ${name} is declared twice`);
    table.set(name, operation);
  }
  return table;
})();

/** The operation a request names, if it is one of {@link OPERATIONS}. @internal */
export function operationNamed(name: string): Operation | undefined {
  return OPERATIONS.get(name as OperationName);
}
