import { ValidationCodes as C, type Finding } from './codes';
import { isObj, ptr, warning, type StateInfo } from './model';
import { taskResource } from '../task-resource';

/** The fields of a Task that name the Lambda function it calls, as its JSON holds them (unchecked). */
interface LambdaFields {
  readonly Resource?: unknown;
  readonly Parameters?: unknown;
  readonly Arguments?: unknown;
}

/** The Lambda function a Task calls, directly or through lambda:invoke. */
function lambdaArn(node: LambdaFields): { arn: string; field: string[] } | undefined {
  if (typeof node.Resource !== 'string') return undefined;
  const r = taskResource(node.Resource);
  if (r.kind === 'lambda-arn') return { arn: node.Resource, field: ['Resource'] };
  if (r.kind !== 'optimized' || r.service !== 'lambda' || r.action !== 'invoke') return undefined;
  for (const field of ['Parameters', 'Arguments'] as const) {
    const payload = node[field];
    if (isObj(payload) && typeof payload.FunctionName === 'string') return { arn: payload.FunctionName, field: [field, 'FunctionName'] };
  }
  return undefined;
}

/** True for a Lambda function ARN with a written name and no version or alias. */
function unqualified(arn: string): boolean {
  const r = taskResource(arn);
  return r.kind === 'lambda-arn' && r.functionName !== undefined && r.qualifier === undefined;
}

/**
 * Best-practice warnings: a Task without TimeoutSeconds (it may wait up to a
 * year), a Lambda ARN without a version or alias, a Map over an ItemReader
 * without MaxConcurrency (up to 10,000 children at once), a Choice without
 * Default (States.NoChoiceMatched when nothing matches).
 * @internal
 */
export function bestPractices(state: StateInfo): Finding[] {
  const { node, pointer, name } = state;
  const out: Finding[] = [];
  if (state.type === 'Task') {
    if (!('TimeoutSeconds' in node) && !('TimeoutSecondsPath' in node)) {
      out.push(warning(C.TASK_WITHOUT_TIMEOUT, pointer, `Task '${name}' has no TimeoutSeconds, so a stuck call holds the execution for up to a year; set TimeoutSeconds`));
    }
    const lambda = lambdaArn(node);
    if (lambda && unqualified(lambda.arn)) {
      out.push(warning(C.UNQUALIFIED_LAMBDA_ARN, lambda.field.reduce(ptr, pointer), `Task '${name}' calls the Lambda ARN '${lambda.arn}' without a version or alias, so it runs whatever $LATEST is; append ':<alias>' or ':<version>'`));
    }
  } else if (state.type === 'Map') {
    if ('ItemReader' in node && !('MaxConcurrency' in node) && !('MaxConcurrencyPath' in node)) {
      out.push(warning(C.MAP_WITHOUT_MAX_CONCURRENCY, pointer, `Map '${name}' reads items with an ItemReader but sets no MaxConcurrency, so it may run up to 10,000 child executions at once; set MaxConcurrency`));
    }
  } else if (state.type === 'Choice' && !('Default' in node)) {
    out.push(warning(C.CHOICE_WITHOUT_DEFAULT, pointer, `Choice '${name}' has no Default, so the execution fails with States.NoChoiceMatched when no rule matches; add a Default`));
  }
  return out;
}
