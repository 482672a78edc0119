import type { JsonObject, JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { CATALOGUE, type CatalogueFailRule, type CataloguePattern, type CatalogueRow } from '../../src/asl/integrations';
import { StatesErrors } from '../../src/asl/states-errors';
import { contractOf, type Shape } from '../../src/contracts';

/*
 * The failure rows of the integration catalogue (src/asl/integrations.ts) as machines of one Task,
 * for the tests that run them through the doors (catalogue-failures.test.ts) and through the CLI's
 * summary (test/cli/run-failure-summary.test.ts): each rule with each pattern whose answer it
 * judges, the request a user would send, and the error and cause its failing example gives.
 */

export interface Row {
  readonly id: string;
  readonly resource: string;
  readonly row: CatalogueRow;
  readonly rule: CatalogueFailRule;
}

function resourceOf(row: CatalogueRow, pattern: CataloguePattern): string {
  return `arn:aws:states:::${row.resource}${pattern === 'request' ? '' : `.${pattern}`}`;
}

/** Every failure row: a rule with one pattern whose own answer it judges. */
export const ROWS: Row[] = [...CATALOGUE.values()].flatMap((row) => ('fails' in row.outcome ? row.outcome.fails : []).flatMap((rule, i) =>
  rule.patterns.filter((p) => p !== 'waitForTaskToken').map((pattern) => ({
    id: `${row.resource.replace(':', '-')}-${pattern.replace(':', '')}-${i}`, resource: resourceOf(row, pattern), row, rule,
  }))));

/** The error a rule gives its failing example, read from the rule (not from the judge). */
export function expectedError({ rule, row }: Row): string {
  const spec = rule.error;
  if ('taskFailed' in spec) return StatesErrors.TASK_FAILED;
  if ('name' in spec) return spec.name;
  if ('from' in spec) return (rule.failing as { Payload: { errorType: string } }).Payload.errorType;
  return `${row.errorPrefix}${spec.infix}${String((rule.failing as Record<string, unknown>)[spec.status])}`;
}

export function expectedCause({ rule }: Row): string {
  if (rule.cause === 'answer') return JSON.stringify(rule.failing);
  const field = (rule.failing as Record<string, unknown>)[rule.cause.field];
  return typeof field === 'string' ? field : JSON.stringify(field);
}

/** Values of the request's own fields that a model does not type (the guide's own requests): what a user writes. */
const OWN_VALUES: Readonly<Record<string, JsonValue>> = {
  ApiEndpoint: 'abc123.execute-api.us-east-1.amazonaws.com',
  Method: 'GET',
  Path: '/orders',
  Endpoint: 'https://ABC123.gr7.us-east-1.eks.amazonaws.com',
  CertificateAuthority: 'LS0tLS1CRUdJTi',
  ClusterName: 'jobs',
  Job: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job' } },
  ClusterId: 'j-ABC123',
  Step: { Name: 'step', HadoopJarStep: { Jar: 'command-runner.jar', Args: ['true'] } },
};

/** The smallest value a request's field of this shape takes: its required fields, each filled the same way. */
function smallest(shape: Shape, field: string, depth = 0): JsonValue {
  if (Object.hasOwn(OWN_VALUES, field)) return OWN_VALUES[field];
  switch (shape.type) {
    case 'structure': {
      const out: JsonObject = {};
      const fields = shape.union ? shape.fields.slice(0, 1) : shape.required;
      if (depth < 8) for (const f of fields) out[f] = smallest(shape.member(f)!, f, depth + 1);
      return out;
    }
    case 'list': return [];
    case 'map': return {};
    case 'integer': case 'number': return 1;
    case 'boolean': return true;
    case 'document': case 'any': return {};
    default: return shape.enum?.[0] ?? `${field.toLowerCase()}-1`;
  }
}

/** A request the Task's contract takes: every required field, as a user would fill it in. */
export function requestOf(resource: string): JsonObject {
  const contract = contractOf(resource);
  if (contract.request === undefined) return {};
  return smallest(contract.request, 'Parameters') as JsonObject;
}

/** The one Task state of every row's machine. */
export const STATE = 'Call';

export function definitionOf(r: Row): StateMachineDefinition {
  return { StartAt: STATE, States: { [STATE]: { Type: 'Task', Resource: r.resource, Parameters: requestOf(r.resource), End: true } } } as StateMachineDefinition;
}
