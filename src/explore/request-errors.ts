import type { JsonValue, StateDefinition } from '../asl';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { contractOf } from '../contracts';

/*
 * Errors a service raises only for some requests: a DynamoDB write fails its condition check
 * only when the request sets a condition; a Step Functions execution already exists only when
 * the request names it. The service contracts list every error an operation can raise; these
 * rules say which of them the request a Task sends rules out, so that explore never makes a
 * Task fail with an error its call cannot raise. Each rule cites the AWS page it follows.
 */

/** One error an operation raises only when its request has one of some fields. */
export interface RequestErrorRule {
  /** The services the rule applies to, as contracts name them (`dynamodb` for both `dynamodb:` and `aws-sdk:dynamodb:`). */
  readonly services: readonly string[];
  /** The operations, as the Resource names them (`updateItem`). */
  readonly actions: readonly string[];
  /** The error's name after its service prefix (`ConditionalCheckFailedException`). */
  readonly error: string;
  /** The request raises it only when it has at least one of these top-level fields. */
  readonly needsAnyOf: readonly string[];
  /** What the field does, for the reason explore gives. */
  readonly because: string;
  /** The AWS page that says so. */
  readonly source: string;
}

/** The rules, as data. */
export const REQUEST_ERROR_RULES: readonly RequestErrorRule[] = [
  {
    services: ['dynamodb'],
    actions: ['putItem', 'updateItem', 'deleteItem'],
    error: 'ConditionalCheckFailedException',
    needsAnyOf: ['ConditionExpression', 'Expected'],
    because: 'the condition check fails only for a conditional write, one with a ConditionExpression (or the legacy Expected)',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html',
  },
  {
    services: ['dynamodb'],
    actions: ['transactWriteItems'],
    error: 'IdempotentParameterMismatchException',
    needsAnyOf: ['ClientRequestToken'],
    because: 'a request is refused as a retry with another payload only when it carries an idempotency token (ClientRequestToken)',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html',
  },
  {
    services: ['states', 'sfn'],
    actions: ['startExecution'],
    error: 'ExecutionAlreadyExistsException',
    needsAnyOf: ['Name'],
    because: 'an execution already exists only under a name the request gives (without Name, Step Functions names it with a new UUID)',
    source: 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html',
  },
];

/** The top-level fields a Task's request template sets (`key` and `key.$` alike), or `undefined` when its request is computed whole. */
function requestFields(def: StateDefinition): ReadonlySet<string> | undefined {
  const tpl = ((def as { Arguments?: JsonValue }).Arguments ?? (def as { Parameters?: JsonValue }).Parameters) as JsonValue | undefined;
  if (tpl === undefined) return new Set();
  if (typeof tpl === 'string' && isJsonataExpression(tpl)) return undefined;
  if (tpl === null || typeof tpl !== 'object' || Array.isArray(tpl)) return new Set();
  return new Set(Object.keys(tpl).map((k) => (k.endsWith('.$') ? k.slice(0, -2) : k)));
}

/**
 * The rule by which a Task cannot raise `error` for the request its definition sends, or
 * `undefined` when it may (no rule names the error, or the request has what the rule needs,
 * or the request is a JSONata expression explore does not read).
 */
export function errorRuledOut(def: StateDefinition, error: string): RequestErrorRule | undefined {
  const resource = (def as { Resource?: unknown }).Resource;
  if (def.Type !== 'Task' || typeof resource !== 'string') return undefined;
  const dot = error.indexOf('.');
  const name = error.slice(dot + 1);
  const contract = contractOf(resource);
  // The action as the Resource names it, without its suffix (taskResource's).
  const action = contract.action;
  const rule = REQUEST_ERROR_RULES.find((r) => r.error === name && contract.service !== undefined && r.services.includes(contract.service)
    && action !== undefined && r.actions.includes(action));
  if (rule === undefined) return undefined;
  const fields = requestFields(def);
  if (fields === undefined || rule.needsAnyOf.some((f) => fields.has(f))) return undefined;
  return rule;
}

/** Why a Task cannot raise `error`, in words, citing the rule's source. */
export function ruledOutReason(state: string, error: string, rule: RequestErrorRule): string {
  return `Task '${state}' cannot raise ${error}: its request has no ${rule.needsAnyOf.join(' or ')}, and ${rule.because} (${rule.source})`;
}
