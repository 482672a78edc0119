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
    const fields = inlineOnlyMisfits(node);
    if (fields.length > 0) {
      // "Distributed Map state fields" (Using Map state in Distributed mode) lists them for DISTRIBUTED
      // mode; what AWS does with one on an INLINE Map is not recorded: said, not refused.
      out.push(warning(C.DISTRIBUTED_FIELD_IN_INLINE_MAP, pointer, `Map '${name}' runs INLINE (its ItemProcessor has no ProcessorConfig.Mode DISTRIBUTED) `
        + `but has ${fields.join(', ')}, which AWS documents for a Distributed Map only: stepwright runs ${fields.length === 1 ? 'it' : 'them'} as a Distributed Map would, `
        + 'and AWS may refuse the definition or ignore them. Set ProcessorConfig.Mode to DISTRIBUTED (with an ExecutionType), or remove them'));
    }
  } else if (state.type === 'Choice' && !('Default' in node)) {
    out.push(warning(C.CHOICE_WITHOUT_DEFAULT, pointer, `Choice '${name}' has no Default, so the execution fails with States.NoChoiceMatched when no rule matches; add a Default`));
  }
  return out;
}

/** The fields of a Distributed Map ("Distributed Map state fields") an INLINE Map has. */
const DISTRIBUTED_ONLY = ['ItemReader', 'ItemBatcher', 'ResultWriter', 'ToleratedFailureCount', 'ToleratedFailureCountPath',
  'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 'Label'];

/** The fields of a Map that say whether it runs INLINE, as its JSON holds them (unchecked). */
interface MapModeFields {
  readonly ItemProcessor?: unknown;
  readonly Iterator?: unknown;
}

function inlineOnlyMisfits(node: MapModeFields): string[] {
  // Read as the interpreter's isDistributedMap reads a checked definition: ItemProcessor, else its older name Iterator.
  const processor = node.ItemProcessor ?? node.Iterator;
  const config = isObj(processor) ? processor.ProcessorConfig : undefined;
  if (isObj(config) && config.Mode === 'DISTRIBUTED') return [];
  return DISTRIBUTED_ONLY.filter((f) => Object.hasOwn(node, f));
}
