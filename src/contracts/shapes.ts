/**
 * Shapes as the checkers read them: a structure's fields under the names
 * Step Functions gives them, lists, maps and scalars, resolved lazily from a
 * service's table (models are recursive) or built by hand for what the
 * developer guide documents beyond the models.
 */
import { javaCased } from './error-names';
import type { RawShape, ServiceModel, ShapeRef } from './sdk-models';

/** Scalar types. `json` is a member the model sends as a JSON string, `document` any JSON, `any` is not checked. */
export type ScalarType = 'string' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'blob' | 'json' | 'document' | 'any';

export interface StructureShape {
  readonly type: 'structure';
  /** The fields, as a request or an answer names them. */
  readonly fields: readonly string[];
  readonly required: readonly string[];
  /** Exactly one field may be set (a model's union, such as DynamoDB's AttributeValue). */
  readonly union: boolean;
  /** Idempotency tokens: the SDK fills them in when a request leaves them out, so a missing one is never refused. */
  readonly tokens?: readonly string[];
  /** The shape of a field, or undefined when the structure has no such field. */
  member(field: string): Shape | undefined;
  /** The field's name in `fields` for a name it accepts (a member may be spelt two ways), or undefined. */
  canonical(field: string): string | undefined;
}
export interface ListShape { readonly type: 'list'; readonly member: Shape }
export interface MapShape { readonly type: 'map'; readonly value: Shape }
/** A scalar, with the model's enum and bounds where it has them (a string's or blob's length, a number's value). */
export interface ScalarShape {
  readonly type: ScalarType;
  readonly enum?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}
export type Shape = StructureShape | ListShape | MapShape | ScalarShape;

/**
 * Whether `shape` is a text member with an enum: its value is one of the listed values or the
 * member is absent, never null (AWS leaves an absent member out of its answer). The one test the
 * contract check and explore's answers share.
 */
export function isEnumMember(shape: Shape): shape is ScalarShape & { readonly enum: readonly [string, ...string[]] } {
  return (shape.type === 'string' || shape.type === 'blob') && shape.enum !== undefined && shape.enum.length > 0;
}

/**
 * Whether a member of a service's answer may hold `null`: only where the model leaves the value
 * free (a `document`, or a member no model types). Every other member is absent when the service
 * has nothing to give, never null: AWS leaves an absent member out of its answer ("If there is no
 * matching item, GetItem does not return any data and there will be no Item element in the
 * response", https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html; a
 * deleteItem's answer without ReturnValues holds no `Attributes`, as the recording
 * ../shared/conformance/cases/services/TestTaskServiceDynamoDB_test_base_integrations~DYNAMODB_PUT_DELETE_ITEM~_get_execution_history--1968ca21.json
 * shows). The answers explore makes up hold null only there; the contract check does not refuse a
 * null elsewhere (what TestState makes of one is not recorded), but for an enum's member.
 */
export function holdsNull(shape: Shape): boolean {
  return shape.type === 'document' || shape.type === 'any';
}

/**
 * Names of the SDK for Java 2.x that a member cannot keep; Step Functions then
 * expects `<Name>Value` ("API fields for equals will be referred to in your
 * state machines as: EqualsValue", AWS SDK service integrations).
 */
const JAVA_RENAMED = new Set(['equals']);
/**
 * Java keywords: the SDK for Java 2.x renames such members too, but how Step
 * Functions then names them is not documented, so both spellings are accepted.
 */
const JAVA_KEYWORDS = new Set([
  'abstract', 'boolean', 'byte', 'case', 'catch', 'char', 'class', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum',
  'extends', 'final', 'finally', 'float', 'for', 'goto', 'if', 'implements', 'import', 'instanceof', 'int', 'interface', 'long',
  'native', 'new', 'package', 'private', 'protected', 'public', 'return', 'short', 'static', 'super', 'switch', 'synchronized',
  'this', 'throw', 'throws', 'transient', 'try', 'void', 'volatile', 'while',
]);

/** The field name Step Functions uses for a model member: PascalCase, even where the model is camelCase. */
export function fieldName(member: string): string {
  const pascal = member.charAt(0).toUpperCase() + member.slice(1);
  return JAVA_RENAMED.has(member.toLowerCase()) ? `${pascal}Value` : pascal;
}

export const ANY: ScalarShape = { type: 'any' };
const SCALARS = new Map<string, ScalarShape>(
  ['string', 'integer', 'number', 'boolean', 'timestamp', 'blob', 'json', 'document', 'any'].map((t) => [t, { type: t as ScalarType }]),
);

function scalar(type: string): ScalarShape {
  return SCALARS.get(type) ?? ANY;
}

const views = new WeakMap<ServiceModel, Map<number, Shape>>();
const modelNamedViews = new WeakMap<ServiceModel, Map<number, Shape>>();

/**
 * The shape a reference of a service's table names, resolved as it is read. With `modelNames`,
 * a structure also takes each member under the model's own spelling (`attempts` beside
 * `Attempts`): an optimized integration's request does (below, in optimized.ts).
 */
export function modelShape(model: ServiceModel, ref: ShapeRef, modelNames = false): Shape {
  if (typeof ref === 'string') return ref === 'structure' ? struct({}) : scalar(ref);
  const caches = modelNames ? modelNamedViews : views;
  let cache = caches.get(model);
  if (cache === undefined) {
    cache = new Map();
    caches.set(model, cache);
  }
  const cached = cache.get(ref);
  if (cached !== undefined) return cached;
  const raw: RawShape | undefined = model.shapes[ref];
  const view = raw === undefined ? ANY : viewOf(model, raw, modelNames);
  cache.set(ref, view);
  return view;
}

function viewOf(model: ServiceModel, raw: RawShape, modelNames: boolean): Shape {
  if ('l' in raw) return lazyList(() => modelShape(model, raw.l, modelNames));
  if ('m' in raw) return lazyMap(() => modelShape(model, raw.m[1], modelNames));
  if ('c' in raw) {
    return {
      type: scalar(raw.c).type,
      ...(raw.e !== undefined ? { enum: raw.e } : {}),
      ...(raw.n !== undefined ? { min: raw.n } : {}),
      ...(raw.x !== undefined ? { max: raw.x } : {}),
    };
  }
  return modelStructure(model, raw, modelNames);
}

function lazyList(member: () => Shape): ListShape {
  let resolved: Shape | undefined;
  return { type: 'list', get member() { return (resolved ??= member()); } };
}

function lazyMap(value: () => Shape): MapShape {
  let resolved: Shape | undefined;
  return { type: 'map', get value() { return (resolved ??= value()); } };
}

/**
 * The member's name as the SDK for Java 2.x spells it, acronyms cased as words
 * (`DBInstanceIdentifier` → `DbInstanceIdentifier`, `SNSTopicArn` →
 * `SnsTopicArn`): Step Functions accepts it as well as the model's, as
 * definitions AWS ran show.
 */
export function javaFieldName(member: string): string {
  return javaCased(member);
}

type RawStructure = Extract<RawShape, { readonly s: unknown }>;

function modelStructure(model: ServiceModel, raw: RawStructure, modelNames: boolean): StructureShape {
  // Accepted spelling → the member of the model.
  const byField = new Map<string, string>();
  const fields: string[] = [];
  for (const member of Object.keys(raw.s)) {
    const name = fieldName(member);
    fields.push(name);
    byField.set(name, member);
    const java = JAVA_RENAMED.has(member.toLowerCase()) ? name : javaFieldName(member);
    if (!byField.has(java)) byField.set(java, member);
    if (JAVA_KEYWORDS.has(member.toLowerCase())) byField.set(`${name}Value`, member);
    if (modelNames && !byField.has(member)) byField.set(member, member);
  }
  return {
    type: 'structure',
    fields,
    required: (raw.r ?? []).map(fieldName),
    union: raw.u === 1,
    ...(raw.i !== undefined ? { tokens: raw.i.map(fieldName) } : {}),
    member: (field) => {
      const member = byField.get(field);
      return member === undefined ? undefined : modelShape(model, raw.s[member], modelNames);
    },
    canonical: (field) => {
      const member = byField.get(field);
      return member === undefined ? undefined : fieldName(member);
    },
  };
}

/** A structure written by hand. */
export function struct(members: Readonly<Record<string, Shape>>, required: readonly string[] = []): StructureShape {
  const map = new Map(Object.entries(members));
  return { type: 'structure', fields: [...map.keys()], required, union: false, member: (field) => map.get(field), canonical: (field) => (map.has(field) ? field : undefined) };
}

/** A structure with some fields replaced or added, and the required ones as given (default: as the base). */
export function extend(base: StructureShape, extra: Readonly<Record<string, Shape>>, required: readonly string[] = base.required): StructureShape {
  const map = new Map(Object.entries(extra));
  return {
    type: 'structure',
    fields: [...new Set([...base.fields, ...map.keys()])],
    required,
    union: base.union,
    ...(base.tokens !== undefined ? { tokens: base.tokens } : {}),
    member: (field) => map.get(field) ?? base.member(field),
    canonical: (field) => (map.has(field) ? field : base.canonical(field)),
  };
}

/** A structure keeping only the given fields of another (a documented subset of an API's request). */
export function only(base: StructureShape, fields: readonly string[], extra: Readonly<Record<string, Shape>> = {}): StructureShape {
  const map = new Map<string, Shape>();
  for (const field of fields) map.set(field, extra[field] ?? base.member(field) ?? ANY);
  for (const [field, shape] of Object.entries(extra)) map.set(field, shape);
  return {
    type: 'structure',
    fields: [...map.keys()],
    required: base.required.filter((f) => map.has(f)),
    union: false,
    member: (field) => map.get(field),
    canonical: (field) => (map.has(field) ? field : undefined),
  };
}

export function listOf(member: Shape): ListShape {
  return { type: 'list', member };
}

export function mapOf(value: Shape): MapShape {
  return { type: 'map', value };
}

export const STRING = scalar('string');
export const INTEGER = scalar('integer');
export const BOOLEAN = scalar('boolean');
export const DOCUMENT = scalar('document');

/** A short description of what a shape expects, for messages: `string`, `list of structure`, `structure {Item, …}`. */
export function describe(shape: Shape, depth = 0): string {
  switch (shape.type) {
    case 'structure': {
      if (depth > 0) return 'structure';
      const shown = shape.fields.slice(0, 6).join(', ');
      return `structure {${shown}${shape.fields.length > 6 ? ', …' : ''}}`;
    }
    case 'list': return `list of ${describe(shape.member, depth + 1)}`;
    case 'map': return `map of ${describe(shape.value, depth + 1)}`;
    case 'timestamp': return 'timestamp (ISO 8601 text)';
    case 'blob': return 'blob (string)';
    case 'json': case 'document': case 'any': return 'any JSON value';
    default: return shape.type;
  }
}
