import type { Outcome } from './runner';
import type { JsonObject, JsonValue } from '../asl';
import { asSucceeding, failingAnswer } from '../asl/answer-outcomes';
import { defaultArn } from '../asl/aws-defaults';
import { AwsLimits } from '../asl/limits';
import { StatesErrors } from '../asl/states-errors';
import { causeIsOptional, taskFailureCause } from '../asl/task-failure-cause';
import { answeredByWorker, isSyncJob, taskResource } from '../asl/task-resource';
import { checkAnswer, contractOf, holdsNull, isAnswerTimestamp, type ContractFinding, type ScalarShape, type Shape } from '../contracts';

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
const NO_TEXTS: ReadonlySet<string> = new Set();

/**
 * A placeholder of a field's type, its text telling the field (`arn:aws:states:us-east-1:123456789012:execution`),
 * within the model's enum and bounds, which TestState checks (its first value, its minimum).
 */
function scalarFor(type: string, field: string, service: string, shape?: ScalarShape): JsonValue {
  switch (type) {
    case 'string': {
      if (shape?.enum !== undefined && shape.enum.length > 0) return shape.enum[0];
      const text = /Arn$/.test(field) ? defaultArn(service, field.slice(0, -3).toLowerCase() || 'resource') : `example-${field.toLowerCase() || 'value'}`;
      const min = shape?.min ?? 0;
      const padded = text.length < min ? text.padEnd(min, '0') : text;
      return shape?.max !== undefined && padded.length > shape.max ? padded.slice(0, shape.max) : padded;
    }
    case 'integer': case 'number': return shape?.min !== undefined && shape.min > 0 ? shape.min : 0;
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
    default: return scalarFor(shape.type, field, service, shape);
  }
}

/** The shape of what explore answers for a Task: none for a Lambda function's payload (the harness wraps it in the invoke envelope) or where no model describes it. */
function answerShape(resource: string): { shape?: Shape; service: string } {
  const contract = contractOf(resource);
  const lambdaPayload = contract.kind === 'lambda-arn' || (contract.service === 'lambda' && contract.action === 'invoke');
  return { shape: lambdaPayload ? undefined : contract.output, service: contract.service ?? 'service' };
}

/**
 * The answer explore gives a call of a Task nobody planned: the fields the
 * output model of its Resource requires, each a placeholder of its type;
 * `{}` where no model describes the answer (a Lambda function's payload, which
 * the harness wraps in the invoke envelope, a callback's output, an activity),
 * but for a `.sync` job's, which holds the job's terminal state as a job that
 * succeeded has it (a child execution's `Status` `"SUCCEEDED"`, the state the
 * integration's outcome rules in asl/integrations.ts read).
 */
export function madeUpAnswer(resource: string): JsonValue {
  const cached = answers.get(resource);
  if (cached !== undefined) return JSON.parse(cached) as JsonValue;
  const { shape, service } = answerShape(resource);
  // The fields the service's rules look at read as a Task that succeeds has them (a child's Status SUCCEEDED, not an enum's first value),
  // a `.sync` job's too where no model describes its answer: AWS answers once the job has ended, with its terminal state in it.
  const job = shape === undefined && isSyncJob(taskResource(resource));
  const value = shape === undefined ? (job ? asSucceeding(resource, {}) : {}) : asSucceeding(resource, valueOf(shape, '', service, 0));
  if (answers.size < ANSWERS_LIMIT) answers.set(resource, JSON.stringify(value));
  return value;
}

/**
 * An answer the call may give that is over the payload limit, which fails the Task with
 * States.DataLimitExceeded ("the output of a connector is larger than payload size quota",
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html): a Lambda
 * function's payload with a text that long (a function may answer up to 6 MB), or the answer
 * explore makes up with such a text in a string field its model bounds nowhere. None for a
 * callback or an activity, whose worker's SendTaskSuccess output is itself held to the limit, nor
 * where no such field exists.
 */
export function oversizedAnswer(resource: unknown): JsonValue | undefined {
  if (typeof resource !== 'string' || answeredByWorker(taskResource(resource))) return undefined;
  const text = 'x'.repeat(AwsLimits.PAYLOAD_BYTES);
  const contract = contractOf(resource);
  if (contract.kind === 'lambda-arn' || (contract.service === 'lambda' && contract.action === 'invoke')) return { [OVERSIZED_FIELD]: text };
  const { shape } = answerShape(resource);
  if (shape?.type !== 'structure') return undefined;
  const field = shape.fields.find((f) => {
    const m = shape.member(f);
    return m !== undefined && (m.type === 'string' || m.type === 'json' || m.type === 'document') && m.enum === undefined && m.max === undefined;
  });
  return field === undefined ? undefined : laidOver(madeUpAnswer(resource), { [field]: text });
}

/** The field of a Lambda function's payload an oversized answer puts its text in. */
const OVERSIZED_FIELD = 'data';

/** `over` laid on `base`: objects merged field by field, anything else replaced. */
function laidOver(base: JsonValue, over: JsonValue): JsonValue {
  if (base === null || typeof base !== 'object' || Array.isArray(base) || over === null || typeof over !== 'object' || Array.isArray(over)) return over;
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? laidOver(out[k], v) : v;
  return out;
}

/** The text of a failure explore makes up: that nobody's call raised it. */
const MADE_UP_MESSAGE = 'a failure stepwright made up for this call';

/** A Task's call failing with `error` thrown, with the Cause its raiser gives (none for a timeout). */
export function thrownOutcome(resource: unknown, error: string): Outcome {
  const cause = taskFailureCause(resource, error, MADE_UP_MESSAGE);
  return cause === undefined ? { kind: 'throw', error } : { kind: 'throw', error, cause };
}

/**
 * How a scenario makes a Task fail with `error`: where AWS fails the Task for an answer the
 * service gives (EventBridge's failed entries, a `.sync` job that ended FAILED, an HTTP status),
 * that answer, laid over the one explore makes up so that its model's checks pass, so that a
 * written test shows what the service said; else the error itself. A Lambda function's error and
 * a callback's failure are the error: the one is what Lambda reports, the other the worker's.
 * The error carries the Cause its raiser gives with it (a Lambda function's error payload, a
 * service's exception message; none for a timeout), since AWS gives one with every failure but
 * its own timeouts, and a property, a Catch's ResultPath or a Fail's CausePath may read it.
 */
export function failureOutcome(resource: unknown, error: string): Outcome {
  // No service answers States.DataLimitExceeded: AWS raises it for a result over the payload limit, so the call answers one.
  if (error === StatesErrors.DATA_LIMIT_EXCEEDED) {
    const big = oversizedAnswer(resource);
    if (big !== undefined) return { kind: 'return', value: big };
  }
  const thrown = thrownOutcome(resource, error);
  if (typeof resource !== 'string') return thrown;
  // A callback's worker, or a Lambda invoke (optimized or AWS SDK), fails the Task by what it throws.
  const r = taskResource(resource);
  if (r.pattern === 'waitForTaskToken' || (r.service === 'lambda' && r.action === 'invoke' && r.suffix === undefined)) return thrown;
  const failing = failingAnswer(resource, error);
  return failing === undefined ? thrown : { kind: 'return', value: laidOver(madeUpAnswer(resource), failing) };
}

/**
 * Every way a Task's call can fail with `error` that a run of AWS may see: the one of
 * {@link failureOutcome}, and, where a worker reports the failure with SendTaskFailure (a callback,
 * an activity: its `cause` is optional), the same error with no Cause, after it.
 */
export function failureOutcomes(resource: unknown, error: string): Outcome[] {
  const outcome = failureOutcome(resource, error);
  return outcome.kind === 'throw' && outcome.cause !== undefined && causeIsOptional(resource)
    ? [outcome, { kind: 'throw', error }]
    : [outcome];
}

/** A scalar of a field's type made from the value written there, when it reads as one (`1` as `"1"`, `"7"` as 7), else a placeholder. */
function scalarFrom(shape: ScalarShape, value: JsonValue, field: string, service: string, avoid: ReadonlySet<string>): JsonValue {
  const type = shape.type;
  switch (type) {
    case 'string': case 'blob': {
      const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
      if (text === undefined) return scalarFor(type, field, service, shape);
      // STRICT and PRESENT refuse a value outside the model's enum or length bounds, as TestState does (contracts/check).
      // A value outside the enum was written to differ from what the machine compares: an enum value it never names does.
      if (type === 'string' && shape.enum !== undefined && shape.enum.length > 0 && !shape.enum.includes(text)) {
        // A text that is an enum value in another case was wanted through `$lowercase` or `$uppercase`: that value.
        return shape.enum.find((e) => e.toLowerCase() === text.toLowerCase()) ?? shape.enum.find((e) => !avoid.has(e)) ?? shape.enum[0];
      }
      const padded = shape.min !== undefined && text.length < shape.min ? text.padEnd(shape.min, '0') : text;
      return shape.max !== undefined && padded.length > shape.max ? padded.slice(0, shape.max) : padded;
    }
    case 'integer': case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      const whole = type === 'integer' ? Math.round(n) : n;
      const inRange = Number.isFinite(whole) ? whole : 0;
      return Math.min(Math.max(inRange, shape.min ?? -Infinity), shape.max ?? Infinity);
    }
    case 'boolean': return typeof value === 'boolean' ? value : value === 'true';
    // An answer's timestamp is text: TestState refuses a number there (recorded), and no answer holds a word there.
    case 'timestamp': return typeof value === 'string' && isAnswerTimestamp(value) ? value : typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 1e11 ? new Date(value * 1000).toISOString() : TIMESTAMP;
    default: return value;
  }
}

/** Whether a scalar field of this type keeps the value as it is. */
function keeps(type: string, value: JsonValue): boolean {
  if (type === 'string' || type === 'blob' || type === 'json') return typeof value === 'string';
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
  if (type === 'number') return typeof value === 'number';
  if (type === 'boolean') return typeof value === 'boolean';
  return type === 'document' || type === 'any';
}

/**
 * A scalar written where the model has a structure, map or list, kept inside it: in the
 * structure's first field that holds it as it is (DynamoDB's `Item = "Z"` becomes
 * `{ "value": { "S": "Z" } }`), so a condition on the answer's text (`States.JsonToString`,
 * `StringMatches "*Z*"`) still sees it. Undefined when no field can hold it.
 */
function embedded(shape: Shape, value: JsonValue, field: string, service: string, depth: number): JsonValue | undefined {
  if (depth >= MAX_DEPTH) return undefined;
  switch (shape.type) {
    case 'structure': {
      for (const name of shape.fields) {
        const member = shape.member(name);
        if (member === undefined) continue;
        // A value kept as it is still meets the member's enum and bounds (an empty text where the model asks for one character does not).
        const inner = keeps(member.type, value)
          ? conform(member, value, name, service, depth + 1)
          : embedded(member, value, name, service, depth + 1);
        if (inner === undefined) continue;
        const out = shape.union ? {} : (valueOf(shape, field, service, depth) as JsonObject);
        out[name] = inner;
        return out;
      }
      return undefined;
    }
    case 'map': {
      const inner = keeps(shape.value.type, value)
        ? conform(shape.value, value, 'value', service, depth + 1)
        : embedded(shape.value, value, 'value', service, depth + 1);
      return inner === undefined ? undefined : { value: inner };
    }
    case 'list': {
      const inner = keeps(shape.member.type, value)
        ? conform(shape.member, value, field, service, depth + 1)
        : embedded(shape.member, value, field, service, depth + 1);
      return inner === undefined ? undefined : [inner];
    }
    default: return undefined;
  }
}

function conform(shape: Shape, value: JsonValue, field: string, service: string, depth: number, avoid: ReadonlySet<string> = NO_TEXTS): JsonValue {
  if (value === null || depth >= MAX_DEPTH) return value;
  const scalar = typeof value !== 'object';
  switch (shape.type) {
    case 'structure': {
      if (scalar) return embedded(shape, value, field, service, depth) ?? valueOf(shape, field, service, depth);
      if (Array.isArray(value)) return valueOf(shape, field, service, depth);
      const out: JsonObject = {};
      // A field the model does not define is kept: the machine reads it, and the run says so when it cannot be answered.
      for (const [k, v] of Object.entries(value)) {
        const member = shape.member(k);
        // A member the model types is absent when the service has nothing to give, never null (holdsNull): left out, or given a value below if required.
        if (v === null && member !== undefined && !holdsNull(member)) continue;
        out[k] = member === undefined ? v : conform(member, v, k, service, depth + 1, avoid);
      }
      for (const name of shape.required) {
        const member = shape.member(name);
        if (member !== undefined && shape.canonical(name) !== undefined && !Object.keys(out).some((k) => shape.canonical(k) === name)) {
          out[name] = valueOf(member, name, service, depth + 1);
        }
      }
      return out;
    }
    case 'list':
      if (scalar) return embedded(shape, value, field, service, depth) ?? [];
      // An object where a list goes is its first item (a JSONata path maps a field over a list's items).
      if (!Array.isArray(value)) return [conform(shape.member, value, field, service, depth + 1, avoid)];
      return value.filter((item) => item !== null || holdsNull(shape.member))
        .map((item) => conform(shape.member, item, field, service, depth + 1, avoid));
    case 'map': {
      if (scalar) return embedded(shape, value, field, service, depth) ?? {};
      if (Array.isArray(value)) return {};
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== null || holdsNull(shape.value)) out[k] = conform(shape.value, v, k, service, depth + 1, avoid);
      }
      return out;
    }
    default: return scalarFrom(shape, value, field, service, avoid);
  }
}

/**
 * An answer explore wrote (a value a Choice reads, set into the answer it
 * came from) made to fit the output model of the Task's Resource: a field of
 * another type than the model's becomes one of its type (`0` where a token
 * string goes becomes `"0"`, a number where a list of structures goes an empty
 * list), and a structure gets the fields the model requires; else the default
 * STRICT mock validation fails the run on the Task, and the branch is never
 * taken. A text outside a field's enum becomes an enum value not in `avoid`
 * (the texts the machine compares with), so an answer written to differ from
 * them still does. A null where the model types the member is left out, as
 * AWS leaves it (holdsNull). An answer no model describes is kept as it is.
 */
export function conformAnswer(resource: string, answer: JsonValue, avoid: ReadonlySet<string> = NO_TEXTS): JsonValue {
  const { shape, service } = answerShape(resource);
  return shape === undefined ? answer : conform(shape, answer, '', service, 0, avoid);
}

/**
 * Whether a Task's call may fail with an error of any name: a Lambda function's own (the
 * `errorType` of its failure, which the invoke integration and a bare function ARN raise as the
 * state's error), an activity worker's or a callback's (SendTaskFailure names the error). Every
 * other integration raises the names its service's model gives, and the `States.*` ones.
 */
export function raisesOwnErrors(resource: unknown): boolean {
  if (typeof resource !== 'string') return false;
  const contract = contractOf(resource);
  return contract.pattern === 'waitForTaskToken' || contract.kind === 'activity' || contract.kind === 'lambda-arn'
    || (contract.service === 'lambda' && contract.action === 'invoke');
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

/** A scalar shape's enum and bounds, where the model has them; none for a structure, list or map. */
function bounds(shape: Shape): Pick<ScalarShape, 'enum' | 'min' | 'max'> {
  return shape.type === 'structure' || shape.type === 'list' || shape.type === 'map' ? {} : shape;
}

/**
 * The value explore writes for an input field that flows, whole, into a request member of this
 * shape: one the service accepts there, so the request a scenario sends is one AWS would take —
 * a string for a string member (its first enum value, else the field's name, as long as the
 * member's bounds allow), a number within a number's bounds, a boolean, a timestamp, an empty
 * list or map, a structure with its required members; `undefined` where any value will do.
 * @example requestSeed(<DynamoDB AttributeValue S>, ['batchId']) // 'batchId'
 */
export function requestSeed(shape: Shape, steps: readonly (string | number)[], depth = 0): JsonValue | undefined {
  const b = bounds(shape);
  switch (shape.type) {
    case 'string': {
      if (b.enum !== undefined && b.enum.length > 0) return b.enum[0];
      const name = [...steps].reverse().find((s): s is string => typeof s === 'string') ?? 'value';
      const padded = b.min !== undefined && name.length < b.min ? name.padEnd(b.min, 'x') : name;
      return b.max !== undefined && padded.length > b.max ? padded.slice(0, Math.max(b.max, 1)) : padded;
    }
    case 'integer': case 'number': {
      const n = b.min !== undefined && b.min > 1 ? b.min : 1;
      return b.max !== undefined && n > b.max ? b.max : n;
    }
    case 'boolean': return true;
    case 'timestamp': return TIMESTAMP;
    case 'list': case 'map': return shape.type === 'list' ? [] : {};
    case 'structure': {
      // A request read whole needs its required members: the run-time request check refuses it without them, as AWS does.
      const out: JsonObject = {};
      if (depth >= MAX_DEPTH) return out;
      for (const name of shape.required) {
        const member = shape.member(name);
        const seed = member === undefined ? undefined : requestSeed(member, [...steps, name], depth + 1);
        if (seed !== undefined) out[name] = seed;
      }
      return out;
    }
    default: return undefined;
  }
}

/** The S3 object an ItemReader listing a bucket's objects gives as an item, as the ListObjectsV2 answer describes it. */
function listedObject(): Shape | undefined {
  const output = contractOf('arn:aws:states:::aws-sdk:s3:listObjectsV2').output;
  const contents = output?.type === 'structure' ? output.member('Contents') : undefined;
  return contents?.type === 'list' ? contents.member : undefined;
}

/**
 * The items explore made up for a Map's ItemReader, as the reader would give them: a CSV's
 * rows have text fields (a number written there becomes its text: `$number()` reads it back),
 * the objects a listing gives are S3 objects (`Key`, `Size`, … of their types); JSON and JSON
 * Lines items are any JSON, kept as they are.
 */
export function conformItems(
  reader: { readonly Resource: string; readonly ReaderConfig?: Readonly<Record<string, JsonValue>> }, items: JsonValue,
): JsonValue {
  if (!Array.isArray(items)) return items;
  const input = reader.ReaderConfig?.InputType;
  if (input === 'CSV') {
    const text = (v: JsonValue): JsonValue => (v === null || typeof v === 'object' ? v : String(v));
    return items.map((item) => (item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).map(([k, v]) => [k, text(v)])) : text(item)));
  }
  if (/:s3:listObjectsV2$/.test(reader.Resource) && input === undefined) {
    const shape = listedObject();
    return shape === undefined ? items : items.map((item) => conform(shape, item, '', 's3', 0));
  }
  return items;
}

/**
 * A field of an answer explore would give a Task that the service never returns (the answer
 * STRICT validation refuses, as it refuses the mock), or `undefined`; never for an answer no
 * model describes (a Lambda function's payload).
 */
export function fieldNeverReturned(resource: string, answer: JsonValue): ContractFinding | undefined {
  if (answerShape(resource).shape === undefined) return undefined;
  return checkAnswer(resource, answer, 'STRICT').find((f) => f.code === 'UNKNOWN_FIELD');
}

/**
 * The shape the service's answer model gives the value at `steps` of a Task's answer, or
 * `undefined` where no model describes it (a Lambda function's payload) or the answer has no
 * such field. With `mapped`, a field's name read from a list is read from each of its items, as
 * a JSONata path maps a step over an array (`$states.result.Items.count.N`, no index: the `N` of
 * each item's `count`); without it, only an index steps into a list.
 */
export function answerShapeAt(resource: string, steps: readonly (string | number)[], mapped = false): Shape | undefined {
  let shape = answerShape(resource).shape;
  for (const step of steps) {
    if (shape === undefined) return undefined;
    // A JSONata step maps over a list's items, and over lists in lists, each read as its items are.
    for (let n = 0; mapped && shape.type === 'list' && typeof step === 'string' && n < MAX_DEPTH; n++) shape = shape.member;
    if (shape.type === 'structure') shape = typeof step === 'string' ? shape.member(shape.canonical(step) ?? step) : undefined;
    else if (shape.type === 'list') shape = typeof step === 'number' ? shape.member : undefined;
    else if (shape.type === 'map') shape = typeof step === 'string' ? shape.value : undefined;
    else return undefined;
  }
  return shape;
}

/**
 * Where `steps` of a Task's answer leave what the service returns: the first field under a
 * structure that its answer model does not define (`ReceiptHandle` of an SQS SendMessage), with
 * the fields that structure holds; undefined where every step is one the model gives, or no
 * model decides (a Lambda function's payload, a map's keys, a document).
 */
export function unreturnedField(
  resource: string, steps: readonly (string | number)[],
): { readonly at: readonly (string | number)[]; readonly holds: readonly string[] } | undefined {
  let shape = answerShape(resource).shape;
  for (let i = 0; i < steps.length && shape !== undefined; i++) {
    const step = steps[i];
    if (shape.type === 'structure') {
      const member = typeof step === 'string' ? shape.member(shape.canonical(step) ?? step) : undefined;
      if (member === undefined) return typeof step === 'string' ? { at: steps.slice(0, i + 1), holds: shape.fields } : undefined;
      shape = member;
    } else if (shape.type === 'list') {
      shape = typeof step === 'number' ? shape.member : undefined;
    } else if (shape.type === 'map') {
      shape = typeof step === 'string' ? shape.value : undefined;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** The type the answer model gives the value at `steps` (`structure`, `map`, `string`, ...), when a model describes it; `mapped` as {@link answerShapeAt}'s. */
export function answerType(resource: string, steps: readonly (string | number)[], mapped = false): string | undefined {
  return answerShapeAt(resource, steps, mapped)?.type;
}

/** What the model refuses in an answer, one key per finding (its code and where), and each null where the model types the member (holdsNull). */
function refusedIn(resource: string, answer: JsonValue): Set<string> {
  const out = new Set(checkAnswer(resource, answer, 'PRESENT').map((f) => `${f.code} ${f.path}`));
  const shape = answerShape(resource).shape;
  if (shape !== undefined) nullsIn(shape, answer, '$', out, 0);
  return out;
}

/** Adds to `out` where `value` holds a null that AWS's answer never holds (a member the model types: holdsNull). */
function nullsIn(shape: Shape, value: JsonValue, path: string, out: Set<string>, depth: number): void {
  if (value === null) {
    if (!holdsNull(shape)) out.add(`NULL ${path}`);
    return;
  }
  if (depth >= MAX_DEPTH || typeof value !== 'object') return;
  if (shape.type === 'structure' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const member = shape.member(shape.canonical(k) ?? k);
      if (member !== undefined) nullsIn(member, v, `${path}.${k}`, out, depth + 1);
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    value.forEach((v, i) => nullsIn(shape.member, v, `${path}[${i}]`, out, depth + 1));
  } else if (shape.type === 'map' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) nullsIn(shape.value, v, `${path}.${k}`, out, depth + 1);
  }
}

/**
 * Whether the service's model allows `after`, an answer made from `before` with a value placed in
 * it (a number at a boundary, a text the machine writes, a value of another kind): it holds
 * nothing the model refuses that `before` did not hold already (a text outside the field's enum,
 * a value of another type, a number outside its bounds, a text of another length, a field the
 * model does not define), as TestState's PRESENT field validation judges a mock, nor a null
 * where the model types the member, which AWS leaves out instead (holdsNull). An answer no model
 * describes (a Lambda function's payload, a callback's output) allows any value. A run answered
 * otherwise is no run AWS can have: a property it breaks gives a counterexample no user can meet
 * (Comprehend never answers a Sentiment of `"2.9"`).
 */
export function modelAllowsPlaced(resource: string, before: JsonValue, after: JsonValue): boolean {
  if (answerShape(resource).shape === undefined) return true;
  const was = refusedIn(resource, before);
  for (const f of refusedIn(resource, after)) if (!was.has(f)) return false;
  return true;
}
