/**
 * The contract of a Task's Resource: what it accepts, what it returns and
 * which errors it can raise, from AWS's service models (AWS SDK integrations)
 * and the developer guide (optimized integrations).
 */
import { optimizedErrorName, sdkErrorName, TASK_STATES_ERRORS, closest } from './error-names';
import { OPTIMIZED_CONTRACTS, apiShape } from './optimized';
import { modelIndex, modelVersion, operationName, serviceModel } from './sdk-models';
import { modelShape, type Shape, type StructureShape } from './shapes';
import { AwsDefaults, awsArn } from '../asl/aws-defaults';
import { ServiceErrors } from '../asl/service-errors';
import { taskResource, type IntegrationPattern, type TaskResourceKind } from '../asl/task-resource';

/** The errors a Task can raise. */
export interface TaskErrors {
  /** The names, the `States.*` ones any Task can raise first. */
  readonly names: readonly string[];
  /**
   * False when the integration can also raise names not listed: a Lambda
   * function's or a worker's own errors, or a service whose model's errors
   * the tables do not hold. A check must then not call a name impossible.
   */
  readonly complete: boolean;
  /**
   * The other names the call can answer with although its operation does not list them: the
   * service's client maps an answer's error code to the exception its service's model names,
   * whichever operation declares it (see {@link serviceErrorName}), and operations' lists are
   * short of what services answer (S3's GetObject lists NoSuchKey, yet a missing bucket answers
   * NoSuchBucket, reported `S3.NoSuchBucketException`). Read through {@link mayRaise}.
   */
  readonly serviceWide?: ReadonlySet<string>;
}

/**
 * Whether a Task whose contract has these errors may fail with `name`: false only where the
 * contract names every error its call can raise and `name` is none of them.
 */
export function mayRaise(errors: TaskErrors, name: string): boolean {
  return !errors.complete || errors.names.includes(name) || errors.serviceWide?.has(name) === true;
}

const serviceWideCache = new Map<string, ReadonlySet<string>>();

/** Every exception a service's model names, under the prefix and in the casing the integration reports it. */
function serviceWideNames(service: string, errorPrefix: string, name: (shape: string) => string): ReadonlySet<string> {
  const key = `${service} ${errorPrefix}`;
  const cached = serviceWideCache.get(key);
  if (cached !== undefined) return cached;
  const names = new Set<string>();
  for (const [, , raised] of Object.values(serviceModel(service)?.operations ?? {})) {
    for (const shape of raised ?? []) names.add(`${errorPrefix}.${name(shape)}`);
  }
  serviceWideCache.set(key, names);
  return names;
}

/** What a Task Resource accepts, returns and raises. */
export interface Contract {
  readonly resource: string;
  readonly kind: TaskResourceKind;
  /** `sqs` for `sqs:sendMessage`, `dynamodb` for `aws-sdk:dynamodb:getItem`. */
  readonly service?: string;
  readonly action?: string;
  readonly pattern: IntegrationPattern;
  /** The model's operation (`GetItem`) for AWS SDK integrations and the optimized ones built on an API. */
  readonly operation?: string;
  /** Where the contract comes from: a guide page, or the model file and package. */
  readonly source?: string;
  /** The service model it is judged by (`dynamodb-2012-08-10`), for an AWS SDK integration and an optimized one built on an API. */
  readonly model?: string;
  /** The request's structure; undefined when it is not checked (an activity, a Lambda ARN, an unknown resource). */
  readonly request?: StructureShape;
  /** The fields the request accepts (empty when not checked). */
  readonly requestFields: readonly string[];
  /** The fields the request must have. */
  readonly requiredFields: readonly string[];
  /** What the Task returns; undefined when no model describes it (a callback's output, a `.sync` job). */
  readonly output?: Shape;
  readonly errors: TaskErrors;
  /** For `.waitForTaskToken`: where the token must go for the worker to get it. */
  readonly tokenField?: string;
  /** For `.waitForTaskToken`: the top-level request fields the worker receives (`Payload` for Lambda). */
  readonly tokenIn?: readonly string[];
  /** Set when the resource names something the contracts do not know, saying what (`the model of dynamodb has no operation getItems`). */
  readonly unknown?: string;
}

const cache = new Map<string, Contract>();
const CACHE_LIMIT = 10_000;

/** The contract of a Task Resource (any partition). Never throws: what is not known says so in `unknown`. */
export function contractOf(resource: string): Contract {
  const cached = cache.get(resource);
  if (cached !== undefined) return cached;
  const contract = build(resource);
  if (cache.size < CACHE_LIMIT) cache.set(resource, contract);
  return contract;
}

function open(names: readonly string[] = []): TaskErrors {
  return { names: [...TASK_STATES_ERRORS, ...names], complete: false };
}

function build(resource: string): Contract {
  const parsed = taskResource(resource);
  const base = {
    resource, kind: parsed.kind, pattern: parsed.pattern, service: parsed.service, action: parsed.action, requestFields: [], requiredFields: [],
  };
  switch (parsed.kind) {
    case 'aws-sdk': return sdkContract(base, parsed.service!, parsed.action!);
    case 'optimized': return optimizedContract(base, parsed.service!, parsed.action!);
    // A function or a worker names its own errors.
    default: return { ...base, errors: open() };
  }
}

type Base = Pick<Contract, 'resource' | 'kind' | 'pattern' | 'service' | 'action' | 'requestFields' | 'requiredFields'>;

function sdkContract(base: Base, service: string, action: string): Contract {
  const model = serviceModel(service);
  if (model === undefined) {
    const missing = modelIndex().missing;
    // A service the models no longer hold (a retired one) is not judged: AWS may still run its calls.
    if (Object.hasOwn(missing, service)) return { ...base, errors: open(), source: `no model (${missing[service]})` };
    return { ...base, errors: open(), unknown: `'${service}' is not an AWS SDK service Step Functions integrates with${suggest(service, Object.keys(modelIndex().services))}` };
  }
  const op = operationName(model, action);
  const source = `${model.model} (${modelVersion()})`;
  const generic = [ServiceErrors.base(model.errorPrefix), ServiceErrors.sdkClient(model.errorPrefix)];
  if (op === undefined) {
    const actions = Object.keys(model.operations).map((o) => o.charAt(0).toLowerCase() + o.slice(1));
    return { ...base, source, errors: open(generic), unknown: `the model of ${service} (${model.model}) has no operation '${action}'${suggest(action, actions)}` };
  }
  const [input, output, raised] = model.operations[op];
  const request = modelShape(model, input);
  const structure = request.type === 'structure' ? request : undefined;
  const errors: TaskErrors = raised === null
    ? open(generic)
    : {
      names: [...TASK_STATES_ERRORS, ...generic, ...raised.map((shape) => `${model.errorPrefix}.${sdkErrorName(shape, model.errorPrefix)}`)],
      complete: base.pattern === 'request',
      serviceWide: serviceWideNames(service, model.errorPrefix, (shape) => sdkErrorName(shape, model.errorPrefix)),
    };
  return {
    ...base,
    operation: op,
    source,
    model: model.model,
    request: structure,
    requestFields: structure?.fields ?? [],
    requiredFields: structure?.required ?? [],
    // `.sync` and `.waitForTaskToken` on an SDK call return what the job or the worker says.
    output: base.pattern === 'request' ? modelShape(model, output) : undefined,
    errors,
  };
}

function optimizedContract(base: Base, service: string, action: string): Contract {
  const spec = OPTIMIZED_CONTRACTS.get(`${service}:${action}`);
  if (spec === undefined) {
    return { ...base, errors: open(), unknown: `'${service}:${action}' is not an optimized integration of Step Functions${suggest(`${service}:${action}`, OPTIMIZED_CONTRACTS.keys())}` };
  }
  const request = spec.request?.() ?? (spec.api ? apiShape(spec.api[0], spec.api[1], 'input') : undefined);
  const model = spec.api ? serviceModel(spec.api[0]) : undefined;
  const op = model && spec.api ? operationName(model, spec.api[1]) : undefined;
  const raised = model && op ? model.operations[op][2] : null;
  const names = [
    ...(spec.errors ?? []).map((e) => `${spec.errorPrefix}.${e}`),
    ...(raised ?? []).map((shape) => `${spec.errorPrefix}.${optimizedErrorName(shape)}`),
  ];
  // `.sync` jobs fail with States.TaskFailed and a worker names its own errors after `.waitForTaskToken`.
  const complete = raised !== null && spec.anyError !== true && spec.errors !== undefined && base.pattern === 'request';
  return {
    ...base,
    operation: op,
    source: spec.doc,
    ...(model !== undefined ? { model: model.model } : {}),
    request,
    requestFields: request?.fields ?? [],
    requiredFields: request?.required ?? [],
    output: base.pattern === 'waitForTaskToken' ? undefined : spec.response?.(base.pattern),
    errors: {
      names: [...TASK_STATES_ERRORS, ...new Set(names)],
      complete,
      ...(spec.api ? { serviceWide: serviceWideNames(spec.api[0], spec.errorPrefix, optimizedErrorName) } : {}),
    },
    ...(spec.tokenField ? { tokenField: spec.tokenField } : {}),
    ...(spec.tokenIn ? { tokenIn: spec.tokenIn } : {}),
  };
}

function suggest(name: string, candidates: Iterable<string>): string {
  const best = closest(name, candidates, 1);
  return best.length > 0 ? `; did you mean '${best[0]}'?` : '';
}

/** The error names a Task with this Resource can raise, the `States.*` ones any Task can raise included. */
export function errorsOf(resource: string): TaskErrors {
  return contractOf(resource).errors;
}

/**
 * The names closest to an error name, best first: among the errors of the
 * given Resource when one is given, else among the errors of the service the
 * name's prefix names (`DynamoDb.NotFound` → `DynamoDb.ResourceNotFoundException`).
 */
export function closestErrors(name: string, resource?: string, limit = 3): string[] {
  if (resource !== undefined) return closest(name, errorsOf(resource).names, limit);
  const prefix = name.includes('.') ? name.slice(0, name.indexOf('.')) : '';
  const candidates = new Set<string>(TASK_STATES_ERRORS);
  const index = modelIndex();
  for (const [service, entry] of Object.entries(index.services)) {
    if (entry.errorPrefix.toLowerCase() !== prefix.toLowerCase() || !entry.errors) continue;
    const model = serviceModel(service);
    for (const [, , raised] of Object.values(model?.operations ?? {})) {
      for (const shape of raised ?? []) candidates.add(`${entry.errorPrefix}.${sdkErrorName(shape, entry.errorPrefix)}`);
    }
  }
  for (const [key, spec] of OPTIMIZED_CONTRACTS) {
    if (spec.errorPrefix.toLowerCase() !== prefix.toLowerCase()) continue;
    for (const candidate of contractOf(awsArn(AwsDefaults.PARTITION, 'states', '', '', key)).errors.names) candidates.add(candidate);
  }
  return closest(name, candidates, limit);
}

/**
 * The name an `aws-sdk:` integration reports for an error code its service answers, after the
 * service's prefix. A code the service's model names becomes that exception's class, whichever
 * operation answered it (the AWS SDK for Java 2.x registers every modeled exception of a service
 * on its client); any other code becomes the service's base exception, as recorded on AWS: an
 * unmodeled validation error of Secrets Manager fails with `SecretsManager.SecretsManagerException`.
 * Undefined when the service has no table.
 */
export function serviceErrorName(service: string, code: string): string | undefined {
  const entry = Object.hasOwn(modelIndex().services, service) ? modelIndex().services[service] : undefined;
  if (!entry) return undefined;
  const model = serviceModel(service);
  const modeled = Object.values(model?.operations ?? {}).some(([, , raised]) => (raised ?? []).includes(code));
  return modeled ? ServiceErrors.named(entry.errorPrefix, sdkErrorName(code, entry.errorPrefix)) : ServiceErrors.base(entry.errorPrefix);
}

/**
 * The error an `aws-sdk:` integration of `service` fails with when the SDK itself cannot make the
 * call or read its answer: `S3.SdkClientException`. Undefined when the service has no table.
 */
export function sdkClientErrorName(service: string): string | undefined {
  const entry = Object.hasOwn(modelIndex().services, service) ? modelIndex().services[service] : undefined;
  return entry === undefined ? undefined : ServiceErrors.sdkClient(entry.errorPrefix);
}
