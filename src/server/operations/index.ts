import { createActivity, deleteActivity, describeActivity, getActivityTask, listActivities } from './activities';
import {
  describeExecution, describeMapRun, getExecutionHistory, listExecutions, listMapRuns, redriveExecution,
  startExecution, startSyncExecution, stopExecution, updateMapRun,
} from './executions';
import {
  createStateMachine, deleteStateMachine, describeStateMachine, describeStateMachineForExecution, listStateMachines, testState,
  updateStateMachine, validateStateMachineDefinition,
} from './machines';
import { operation, type AnyOperation, type OperationName } from './operation-table';
import { listTagsForResource, tagResource, untagResource } from './tags';
import { sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from './tasks';
import {
  createStateMachineAlias, deleteStateMachineAlias, deleteStateMachineVersion, describeStateMachineAlias,
  listStateMachineAliases, listStateMachineVersions, publishStateMachineVersion, updateStateMachineAlias,
} from './versions';

export type { Operation, OperationName } from './operation-table';

/**
 * Every operation the server answers, by its API name, built once from one closed
 * list: a request names one of these or none (a name such as `valueOf` or
 * `__proto__` is no operation, since a Map has no prototype to look in).
 * @internal
 */
export const OPERATIONS: ReadonlyMap<OperationName, AnyOperation> = (() => {
  const table = new Map<OperationName, AnyOperation>();
  for (const [name, handler] of [
    // State machines
    operation('CreateStateMachine', createStateMachine),
    operation('DescribeStateMachine', describeStateMachine),
    operation('ListStateMachines', listStateMachines),
    operation('UpdateStateMachine', updateStateMachine),
    operation('DeleteStateMachine', deleteStateMachine),
    operation('DescribeStateMachineForExecution', describeStateMachineForExecution),
    operation('ValidateStateMachineDefinition', validateStateMachineDefinition),
    operation('TestState', testState),
    // Versions and aliases
    operation('PublishStateMachineVersion', publishStateMachineVersion),
    operation('ListStateMachineVersions', listStateMachineVersions),
    operation('DeleteStateMachineVersion', deleteStateMachineVersion),
    operation('CreateStateMachineAlias', createStateMachineAlias),
    operation('DescribeStateMachineAlias', describeStateMachineAlias),
    operation('UpdateStateMachineAlias', updateStateMachineAlias),
    operation('ListStateMachineAliases', listStateMachineAliases),
    operation('DeleteStateMachineAlias', deleteStateMachineAlias),
    // Tags
    operation('TagResource', tagResource),
    operation('UntagResource', untagResource),
    operation('ListTagsForResource', listTagsForResource),
    // Activities
    operation('CreateActivity', createActivity),
    operation('DescribeActivity', describeActivity),
    operation('ListActivities', listActivities),
    operation('DeleteActivity', deleteActivity),
    operation('GetActivityTask', getActivityTask),
    // Task tokens
    operation('SendTaskSuccess', sendTaskSuccess),
    operation('SendTaskFailure', sendTaskFailure),
    operation('SendTaskHeartbeat', sendTaskHeartbeat),
    // Executions and Map Runs
    operation('StartExecution', startExecution),
    operation('StartSyncExecution', startSyncExecution),
    operation('DescribeExecution', describeExecution),
    operation('ListExecutions', listExecutions),
    operation('StopExecution', stopExecution),
    operation('RedriveExecution', redriveExecution),
    operation('GetExecutionHistory', getExecutionHistory),
    operation('DescribeMapRun', describeMapRun),
    operation('ListMapRuns', listMapRuns),
    operation('UpdateMapRun', updateMapRun),
  ]) {
    if (table.has(name)) throw new Error(`the operation ${name} is declared twice`);
    table.set(name, handler);
  }
  return table;
})();

/** The operation a request names, if it is one of {@link OPERATIONS}. @internal */
export function operationNamed(name: string): AnyOperation | undefined {
  return OPERATIONS.get(name as OperationName);
}
