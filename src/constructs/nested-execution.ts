import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { executionArnPattern, QualifiedStateMachineBase, qualifierCondition, splitQualifiedArn } from './qualified-state-machine';

/**
 * Makes the IAM statements of a StartExecution task right for a version or
 * alias target. aws-cdk-lib names the qualified ARN as the resource
 * (aws/aws-cdk#30265), but Step Functions authorizes StartExecution on the
 * machine's own ARN with the qualifier in `states:StateMachineQualifier`, and
 * the child's executions are named after the machine
 * (`execution:<machine>:<id>`), never after the alias.
 * @internal
 */
export function qualifyStartExecutionPolicies(task: tasks.StepFunctionsStartExecution, target: sfn.IStateMachineRef): void {
  const qualified = qualifiedTarget(target);
  if (!qualified) return;
  // eslint-disable-next-line no-restricted-syntax -- taskPolicies is protected in aws-cdk-lib, which lets no caller change them
  const holder = task as unknown as { taskPolicies?: iam.PolicyStatement[] };
  holder.taskPolicies = (holder.taskPolicies ?? []).map((statement) => {
    const json = statement.toStatementJson() as { Action?: string | string[] };
    const actions = ([] as string[]).concat(json.Action ?? []);
    if (actions.includes('states:StartExecution')) {
      return new iam.PolicyStatement({ actions, resources: [qualified.stateMachineArn], conditions: qualifierCondition(qualified.qualifier) });
    }
    if (actions.includes('states:DescribeExecution')) {
      return new iam.PolicyStatement({ actions, resources: [executionArnPattern(task, qualified.stateMachineArn)] });
    }
    return statement;
  });
}

function qualifiedTarget(target: sfn.IStateMachineRef): { stateMachineArn: string; qualifier: string } | undefined {
  if (target instanceof QualifiedStateMachineBase) return { stateMachineArn: target.stateMachineArn, qualifier: target.qualifier };
  return splitQualifiedArn(target.stateMachineRef.stateMachineArn);
}
