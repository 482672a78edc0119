import type { JsonObject, JsonValue } from '../asl/definition-types';
import { contractOf } from '../contracts/contract';
import type { Shape } from '../contracts/shapes';

/*
 * Answers and errors from the service contracts, for the Task calls explore
 * answers itself: an answer of the shape the service returns (every field its
 * output model requires, of its type, so that the default STRICT mock
 * validation accepts it and a scenario's mock reads like a real answer), and
 * the errors the model says the Task can raise (for its failure scenarios).
 */

/** Bound on the depth of a made-up answer: models are recursive, required fields rarely are. */
const MAX_DEPTH = 12;
const TIMESTAMP = '2024-01-01T00:00:00.000Z';
const answers = new Map<string, string>();
const ANSWERS_LIMIT = 10_000;

/** A placeholder of a field's type, its text telling the field (`arn:aws:states:us-east-1:123456789012:execution`). */
function scalarFor(type: string, field: string, service: string): JsonValue {
  switch (type) {
    case 'string': {
      if (/Arn$/.test(field)) return `arn:aws:${service}:us-east-1:123456789012:${field.slice(0, -3).toLowerCase() || 'resource'}`;
      return `example-${field.toLowerCase() || 'value'}`;
    }
    case 'integer': case 'number': return 0;
    case 'boolean': return false;
    case 'timestamp': return TIMESTAMP;
    case 'blob': return '';
    default: return {};
  }
}

function valueOf(shape: Shape, field: string, service: string, depth: number): JsonValue {
  switch (shape.type) {
    case 'structure': {
      const out: JsonObject = {};
      if (depth >= MAX_DEPTH) return out;
      for (const name of shape.required) {
        const member = shape.member(name);
        if (member !== undefined) out[name] = valueOf(member, name, service, depth + 1);
      }
      return out;
    }
    case 'list': return [];
    case 'map': return {};
    default: return scalarFor(shape.type, field, service);
  }
}

/**
 * The answer explore gives a call of a Task nobody planned: the fields the
 * output model of its Resource requires, each a placeholder of its type;
 * `{}` where no model describes the answer (a Lambda function's payload, which
 * the harness wraps in the invoke envelope, a callback's output, an activity).
 */
export function madeUpAnswer(resource: string): JsonValue {
  const cached = answers.get(resource);
  if (cached !== undefined) return JSON.parse(cached) as JsonValue;
  const contract = contractOf(resource);
  const lambdaPayload = contract.kind === 'lambda-arn' || (contract.service === 'lambda' && contract.action === 'invoke');
  const value = contract.output === undefined || lambdaPayload ? {} : valueOf(contract.output, '', contract.service ?? 'service', 0);
  if (answers.size < ANSWERS_LIMIT) answers.set(resource, JSON.stringify(value));
  return value;
}

/**
 * The errors the model of a Task's Resource says it can raise, as Step
 * Functions names them, in the model's order: not the `States.*` ones any Task
 * raises, nor the service's catch-all exceptions (`DynamoDB.AmazonDynamoDBException`,
 * `S3.SdkClientException`); none for a Lambda function, a worker or an activity,
 * which name their own.
 */
export function modelErrors(resource: string): string[] {
  const contract = contractOf(resource);
  if (contract.pattern === 'waitForTaskToken' || contract.kind === 'activity' || contract.kind === 'lambda-arn' || contract.kind === 'unknown') return [];
  return contract.errors.names.filter((name) => {
    const dot = name.indexOf('.');
    const prefix = name.slice(0, dot);
    const rest = name.slice(dot + 1);
    if (prefix === 'States' || rest === 'SdkClientException') return false;
    return !new RegExp(`^(Amazon|AWS|Default)?${prefix}Exception$`, 'i').test(rest) && !/^(Amazon|AWS)\w*Exception$/.test(rest);
  });
}
