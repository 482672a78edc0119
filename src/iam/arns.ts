/**
 * Reading a Task's arguments and building the ARNs its permissions name.
 * Shared by the optimized-integration table, the SDK table and the
 * encryption rules.
 */
import type { JsonValue } from '../asl';
import { awsArn } from '../asl/aws-defaults';
import { compileIntrinsic } from '../asl/intrinsics/compile';
import { IntrinsicNames, isIntrinsicCall } from '../asl/intrinsics/names';
import { parseIntrinsic, type IntrinsicNode } from '../asl/intrinsics/parser';

/** The Task's `Parameters` or `Arguments`, as an object. */
export type Args = Readonly<Record<string, JsonValue>>;

/** Where a Task runs: what an ARN needs. */
export interface ArnContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

function child(value: JsonValue | undefined, key: string): JsonValue | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, key) ? (value as Args)[key] : undefined;
}

/**
 * A static string argument at `path`; undefined when it is absent or only known at run time. An
 * intrinsic call of literals alone (`"ApiEndpoint.$": "States.Format('{}/{}', 'https://api.example.com', 'items')"`,
 * as aws-cdk-lib's HttpInvoke writes its endpoint) has one value whatever the input: that value.
 */
export function text(args: JsonValue | undefined, ...path: string[]): string | undefined {
  let value: JsonValue | undefined = args;
  for (const key of path.slice(0, -1)) value = child(value, key);
  const last = path[path.length - 1];
  const direct = last === undefined ? value : child(value, last);
  if (direct === undefined && last !== undefined) {
    const call = child(value, `${last}.$`);
    return typeof call === 'string' ? constantCall(call) : undefined;
  }
  if (typeof direct !== 'string') return undefined;
  return direct.startsWith('{%') ? constantJsonata(direct) : direct;
}

/** One JSONata string literal, in single or double quotes, with JSON's escapes. */
const JSONATA_STRING = String.raw`(?:'(?:[^'\\]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*'|"(?:[^"\\]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*")`;
const LITERAL_CONCATENATION = new RegExp(String.raw`^\{%\s*(${JSONATA_STRING}(?:\s*&\s*${JSONATA_STRING})*)\s*%\}$`);
const LITERAL = new RegExp(JSONATA_STRING, 'g');

/**
 * The text a JSONata expression of string literals joined with `&` evaluates to (`{% 'https://api.example.com' & '/' & 'items' %}`,
 * as aws-cdk-lib's HttpInvoke.jsonata writes its endpoint); undefined for any other expression.
 */
function constantJsonata(expression: string): string | undefined {
  const body = LITERAL_CONCATENATION.exec(expression)?.[1];
  if (body === undefined) return undefined;
  try {
    return (body.match(LITERAL) ?? []).map(literalText).join('');
  } catch {
    // A character JSON refuses inside a literal (a raw line break): nothing to check before run time.
    return undefined;
  }
}

/** A JSONata string literal's text: JSON reads its escapes, and a double quote, bare inside single quotes, is escaped for it. */
function literalText(literal: string): string {
  const inner = literal.slice(1, -1);
  let json = '';
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\') {
      json += inner.slice(i, i + 2);
      i++;
    } else {
      json += inner[i] === '"' ? '\\"' : inner[i];
    }
  }
  return JSON.parse(`"${json}"`) as string;
}

/** Functions whose value differs from one call to the next, though their arguments are literals. */
const DRAWN: ReadonlySet<string> = new Set([IntrinsicNames.UUID, IntrinsicNames.MATH_RANDOM]);

/** The text an intrinsic call of literals alone evaluates to; undefined for any other expression. */
function constantCall(expression: string): string | undefined {
  if (!isIntrinsicCall(expression)) return undefined;
  try {
    if (!isConstant(parseIntrinsic(expression))) return undefined;
    const v = compileIntrinsic(expression)({ input: {}, context: {} });
    return typeof v === 'string' ? v : undefined;
  } catch {
    // A call the language refuses fails the state at run time; it names nothing to check.
    return undefined;
  }
}

function isConstant(node: IntrinsicNode): boolean {
  switch (node.kind) {
    case 'literal': return true;
    case 'path': return false;
    case 'call': return !DRAWN.has(node.name) && node.args.every(isConstant);
  }
}

/**
 * Why the argument at `path` has no static value: `"JobQueue.$": "$.queue"`
 * (JSONPath) or a JSONata expression; undefined when it is static or absent.
 */
export function runTimeSource(args: JsonValue | undefined, ...path: string[]): string | undefined {
  let value: JsonValue | undefined = args;
  for (const key of path.slice(0, -1)) value = child(value, key);
  const last = path[path.length - 1];
  const where = path.join('.');
  const dollar = child(value, `${last}.$`);
  if (typeof dollar === 'string') return `${where} comes from ${dollar} at run time`;
  const direct = child(value, last);
  if (typeof direct === 'string' && direct.startsWith('{%')) return `${where} is the JSONata expression ${direct.slice(0, 80)}`;
  return undefined;
}

/** The Task's `Arguments` (JSONata) or `Parameters` (JSONPath) object. */
export function argsOf(state: { Parameters?: JsonValue; Arguments?: JsonValue }): Args | undefined {
  const a = state.Arguments ?? state.Parameters;
  return a !== null && typeof a === 'object' && !Array.isArray(a) ? a as Args : undefined;
}

export function arn(ctx: ArnContext, service: string, resource: string, region = ctx.region, account = ctx.account): string {
  return awsArn(ctx.partition, service, region, account, resource);
}

/** An ARN given as is, or built from a name: `named(ctx, 'glue', 'job/', 'etl')`. */
export function named(ctx: ArnContext, service: string, kind: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.startsWith('arn:') ? value : arn(ctx, service, `${kind}${value}`);
}

/** IAM is global: a role's ARN has no region. A name becomes the ARN of a role without path. */
export function roleArn(ctx: ArnContext, role: string | undefined): string | undefined {
  if (role === undefined) return undefined;
  return role.startsWith('arn:') ? role : awsArn(ctx.partition, 'iam', '', ctx.account, `role/${role}`);
}

/** The function ARN a Lambda `FunctionName` (name, partial or full ARN, with or without qualifier) stands for. */
export function lambdaFunctionArn(ctx: ArnContext, name: string): string {
  if (name.startsWith('arn:')) return name;
  const partial = /^(\d{12}):function:(.+)$/.exec(name);
  if (partial) return arn(ctx, 'lambda', `function:${partial[2]}`, ctx.region, partial[1]);
  return arn(ctx, 'lambda', `function:${name}`);
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` → the queue ARN. */
export function queueArn(ctx: ArnContext, url: string): string | undefined {
  if (url.startsWith('arn:')) return url;
  const m = /^https?:\/\/(?:sqs\.)?([a-z0-9-]+)?\.?[^/]*\/(\d{12})\/([^/?]+)/.exec(url);
  if (!m) return undefined;
  // `https://sqs.<region>.amazonaws.com/...`, or the legacy `https://<region>.queue.amazonaws.com/...`.
  const region = (/sqs\.([a-z0-9-]+)\./.exec(url) ?? /\/\/([a-z0-9-]+)\.queue\./.exec(url))?.[1] ?? ctx.region;
  return arn(ctx, 'sqs', m[3], region, m[2]);
}

export function s3Bucket(ctx: ArnContext, bucket: string | undefined): string | undefined {
  return bucket === undefined ? undefined : awsArn(ctx.partition, 's3', '', '', bucket);
}

export function s3Object(ctx: ArnContext, bucket: string | undefined, key: string | undefined): string | undefined {
  return bucket === undefined ? undefined : awsArn(ctx.partition, 's3', '', '', `${bucket}/${key ?? '*'}`);
}

/** What every object of a fixed bucket starts with, for a key only known at run time; nothing for a bucket only known then. */
export function s3ObjectPrefix(ctx: ArnContext, bucket: string | undefined): { resourcePrefix?: string } {
  return bucket === undefined ? {} : { resourcePrefix: awsArn(ctx.partition, 's3', '', '', `${bucket}/`) };
}

/** `s3://bucket/key` → the object ARN (`bucket/*` for a prefix that ends the URI). */
export function s3Uri(ctx: ArnContext, uri: string | undefined): string | undefined {
  const m = uri === undefined ? null : /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return m ? awsArn(ctx.partition, 's3', '', '', `${m[1]}/${m[2] || '*'}`) : undefined;
}

/** The bucket name of an S3 ARN (`arn:aws:s3:::bucket/key` → `bucket`). */
export function bucketOfArn(resource: string): string | undefined {
  return /^arn:[^:]+:s3:::([^/]+)/.exec(resource)?.[1];
}
