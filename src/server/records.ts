/*
 * The records the service journals, and the fields each kind has: a record
 * read back is checked against them before it is applied, so that a record
 * that parses but lacks a field, or holds a field of the wrong type, is
 * reported as damage with its place in the file instead of failing somewhere
 * in the middle of a restore.
 */
import { ApiError, checkName } from './api-errors';
import { parseActivityArn, parseMachineArn } from './arns';
import type { EncryptionConfiguration } from './configurations';
import type { JsonValue } from '../asl';
import type { RawRecord } from './journal/format';
import type { LoggingConfiguration, Route } from './model';
import { scalarLength } from './validation/request';
import { SHAPES } from './validation/stepfunctions-model.generated';
import { MACHINE_TYPES } from '../asl/aws-defaults';

type Kind = 'string' | 'number' | 'time' | 'boolean' | 'object' | 'array' | 'pairs' | 'strings' | 'any' | readonly string[];

/**
 * A field: the kind its value is checked to be when read back, whether a record may lack it (or
 * hold null, as JSON writes nothing else for "none"), and (`T`, never present at run time) the
 * type its writers give it, which the record's TypeScript type says.
 */
interface Field<T, Optional extends boolean = boolean> {
  readonly kind: Kind;
  readonly optional: Optional;
  readonly type?: T;
}

const field = <T>(kind: Kind): Field<T, false> => ({ kind, optional: false });
const optional = <T>(f: Field<T, false>): Field<T, true> => ({ kind: f.kind, optional: true });
const string = field<string>('string');
const number = field<number>('number');
/** Milliseconds since the epoch that a Date can hold. */
const time = field<number>('time');
const boolean = field<boolean>('boolean');
const pairs = field<Array<[string, string]>>('pairs');
const oneOf = <const V extends readonly string[]>(values: V): Field<V[number], false> => field<V[number]>(values);
/** An object, checked as one; its fields are what its writer wrote. */
const object = <T extends object>(): Field<T, false> => field<T>('object');

/** The latest (and, negated, the earliest) time a Date can hold, in ms since the epoch. */
const MAX_TIME = 8.64e15;

/** Whether `v` is a time in ms since the epoch that a Date can hold: no NaN, no Infinity (`1e999` in JSON). @internal */
export function isTime(v: unknown): v is number {
  return typeof v === 'number' && Math.abs(v) <= MAX_TIME;
}
/** How a closed execution ended. */
const CLOSED_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** A MockConfigFile test case as an execution keeps it: the file's version, and the configuration as it was (both checked where they are read). */
interface KeptMockConfig {
  readonly version?: unknown;
  readonly config?: unknown;
}

/** What a `machine` record and an `update` make of a revision: its configurations, when, and the version it may publish. */
const REVISION = {
  logging: optional(object<LoggingConfiguration>()),
  tracing: optional(object<{ readonly enabled?: boolean }>()),
  encryption: optional(object<EncryptionConfiguration>()),
  at: time,
  revisionId: string,
  description: optional(string),
  publish: optional(boolean),
};

/** How an execution ended, in a closing and in a Map Run child's record alike. */
const ENDING = {
  status: oneOf(CLOSED_STATUSES),
  stopDate: time,
  output: optional(string),
  error: optional(string),
  cause: optional(string),
  // Which history records hold its history ({id, parts, events}), or (a closing written before there were any) its events:
  // read by closing.ts and child-closing.ts, which say what is wrong with it.
  history: field<unknown>('any'),
  redriveDate: optional(time),
};

/** The fields of each kind of record, in the order a record's problems are looked for. */
const RECORDS = {
  machine: { arn: string, name: string, definition: string, roleArn: string, type: oneOf(MACHINE_TYPES), ...REVISION, tags: optional(pairs) },
  update: { arn: string, definition: optional(string), roleArn: optional(string), ...REVISION },
  deleteMachine: { arn: string },
  version: { arn: string, description: optional(string), at: time },
  deleteVersion: { arn: string },
  alias: { arn: string, name: optional(string), description: optional(string), routing: optional(field<Route[]>('array')), at: time, create: optional(boolean) },
  deleteAlias: { arn: string },
  tag: { arn: string, tags: pairs },
  untag: { arn: string, keys: field<string[]>('strings') },
  activity: { arn: string, name: string, at: time, tags: optional(pairs), encryption: optional(object<EncryptionConfiguration>()) },
  deleteActivity: { arn: string },
  start: {
    arn: string,
    machine: string,
    version: optional(number),
    alias: optional(string),
    name: string,
    input: string,
    seed: number,
    at: time,
    testCase: optional(string),
    mockConfig: optional(object<KeptMockConfig>()),
    sync: optional(boolean),
    // Started by a `states:startExecution` Task of execution `parent`, in the call `call` names (see TaskRouter.callKey).
    parent: optional(string),
    call: optional(string),
  },
  // `root`: for a child execution of a Map Run stopped by itself, the execution the user started.
  stop: { arn: string, error: optional(string), cause: optional(string), root: optional(string) },
  redrive: { arn: string, at: time },
  mapRun: { arn: string, settings: object<Record<string, number | string>>() },
  closed: {
    arn: string,
    ...ENDING,
    completedChildren: optional(object<{ readonly state: string; readonly outputs: Array<[number, JsonValue]>; readonly mapRunArn?: unknown }>()),
    // What each Map Run of the execution (its children's too) counted as it ended, for DescribeMapRun after a restart: read by child-closing.ts.
    mapRuns: optional(field<unknown[]>('array')),
  },
  // A child execution of a Map Run that ended, one of those its Map Run keeps (map-runs.ts CHILDREN_KEPT): see child-closing.ts.
  child: {
    arn: string,
    // The execution the user started, whose closing covers this one, and the one whose Map state started it.
    root: string,
    parent: string,
    mapRunArn: string,
    stateMachineArn: string,
    state: string,
    name: string,
    input: string,
    startDate: time,
    itemCount: number,
    type: oneOf(MACHINE_TYPES),
    // Its place among its Map Run's children, in the order they started (ListExecutions lists them so).
    seq: number,
    // The run of the root it ended in: 1 for the first, 2 for its first redrive, …
    attempt: number,
    ...ENDING,
  },
  history: { id: string, part: number, pool: field<unknown[]>('array'), events: field<unknown[]>('array') },
  // arn (of callback, delivered, heartbeat): the execution the user started whose Task held the token, kept while it
  // runs by compaction (the router forgets a token once its Task ends); absent in journals before it was kept.
  callback: { token: string, ok: boolean, output: optional(field<JsonValue>('any')), error: optional(string), cause: optional(string), arn: optional(string) },
  // at: the execution's time when the worker took the task (ActivityStarted's), absent in journals before it was kept.
  delivered: { token: string, worker: optional(string), at: optional(time), arn: optional(string) },
  heartbeat: { token: string, at: time, arn: optional(string) },
  result: {
    arn: string,
    key: string,
    at: time,
    ok: boolean,
    output: optional(field<JsonValue>('any')),
    error: optional(string),
    cause: optional(string),
    inState: optional(boolean),
    aborted: optional(boolean),
  },
  compacted: { at: time },
} as const satisfies Record<string, Record<string, Field<unknown>>>;

type Schema = typeof RECORDS;
type TypeOf<F> = F extends Field<infer T> ? T : never;
type Required<S> = { readonly [K in keyof S as S[K] extends Field<unknown, true> ? never : K]: TypeOf<S[K]> };
type Optionals<S> = { readonly [K in keyof S as S[K] extends Field<unknown, true> ? K : never]?: TypeOf<S[K]> | null };
type Flat<T> = { readonly [K in keyof T]: T[K] };

/** The kinds of records, by the `t` each carries. @internal */
export type RecordKind = keyof Schema;

/**
 * A journaled fact, as the service writes it and as restore reads it back once checked: one
 * type per kind, told apart by `t`, so that a switch on `t` is checked for every kind and each
 * case reads its own fields. Optional fields read back may be null (JSON's "none").
 * @internal
 */
export type JournalRecord = { [T in RecordKind]: Flat<{ readonly t: T } & Required<Schema[T]> & Optionals<Schema[T]>> }[RecordKind];

/** The record of kind `T`. @internal */
export type RecordOf<T extends RecordKind> = Extract<JournalRecord, { readonly t: T }>;

/** A record read back and checked: the record, or what is wrong with it. @internal */
export type CheckedRecord =
  | { readonly record: JournalRecord; readonly problem?: undefined }
  | { readonly record?: undefined; readonly problem: string };

/**
 * The record `r` is, once its fields are checked against its kind's, or what is wrong with it:
 * a record that parses but lacks a field, or holds a field of the wrong type, is reported as
 * damage with its place in the file instead of failing somewhere in the middle of a restore.
 * @internal
 */
export function checkRecord(r: RawRecord): CheckedRecord {
  const problem = recordProblem(r);
  return fitsItsKind(r, problem) ? { record: r } : { problem: problem! };
}

/**
 * True when recordProblem found nothing wrong with the record (its `problem`): every field fits its kind's,
 * so it is the record its `t` says, as the journal's writer typed it.
 */
function fitsItsKind(_record: RawRecord, problem: string | undefined): _record is RawRecord & JournalRecord {
  return problem === undefined;
}

/**
 * The default of a switch that covers every kind of record: the compiler refuses to call it with a
 * record (a kind the switch forgot), and at run time it says which kind got there.
 * @internal
 */
export function unknownKind(r: never): never {
  throw new Error(`unknown journal record '${(r as { t?: unknown }).t as string}'`);
}

/** What is wrong with a record read back, or undefined when it has the fields of its kind. @internal */
export function recordProblem(r: RawRecord): string | undefined {
  if (!isKind(r.t)) return `it is a record of an unknown kind '${r.t.slice(0, 100)}'`;
  const fields: Record<string, Field<unknown>> = RECORDS[r.t];
  for (const [name, { kind, optional: mayLack }] of Object.entries(fields)) {
    const has = Object.hasOwn(r, name) && r[name] !== null;
    if (!has) {
      if (mayLack) continue;
      return `the '${r.t}' record has no field '${name}'`;
    }
    if (!fits(r[name], kind)) return `the '${r.t}' record's field '${name}' is not ${article(kind)}: ${preview(r[name])}`;
  }
  // A failed call's answer is its error, or that the execution stopped waiting for it.
  if (r.t === 'result' && r.ok === false && r.aborted !== true && typeof r.error !== 'string') return "the 'result' record of a failed call has no field 'error'";
  if ((r.t === 'machine' || r.t === 'activity') && typeof r.name === 'string' && typeof r.arn === 'string') return nameProblem(r.t, r.name, r.arn);
  return undefined;
}

/**
 * What is wrong with the name of a `machine` or `activity` record read back, or undefined: the
 * server wrote it only once CreateStateMachine or CreateActivity took the name, so a name AWS
 * refuses (the `Name` shape's 1-80 characters, and the characters checkName refuses: API
 * Reference) or one that is not the last part of the record's ARN is an edited or damaged record,
 * which List* would otherwise answer with.
 */
function nameProblem(kind: 'machine' | 'activity', name: string, arn: string): string | undefined {
  const { n: min = 0, x: max = Infinity } = SHAPES.Name;
  const length = scalarLength(name);
  if (length < min || length > max) return `the '${kind}' record's field 'name' is ${length.toLocaleString('en-US')} characters long, where a name has ${min} to ${max}: ${preview(name)}`;
  try {
    checkName(name);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return `the '${kind}' record's field 'name' holds a character a name may not (white space, brackets, wildcards, special or control characters): ${preview(name)}`;
  }
  const named = arnName(kind, arn);
  if (named === undefined) return `the '${kind}' record's field 'arn' is not the ARN of ${kind === 'machine' ? 'a state machine' : 'an activity'}: ${preview(arn)}`;
  if (named !== name) return `the '${kind}' record's field 'name' ${preview(name)} is not the name its field 'arn' holds (${preview(named)})`;
  return undefined;
}

/** The name a state machine's or activity's ARN holds, or undefined for an ARN of neither (a version's, an alias's, one with a test case). */
function arnName(kind: 'machine' | 'activity', arn: string): string | undefined {
  try {
    if (kind === 'activity') return parseActivityArn(arn).slice(arn.lastIndexOf(':') + 1);
    const parsed = parseMachineArn(arn);
    return parsed.qualifier === undefined && parsed.testCase === undefined ? parsed.name : undefined;
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}

/** Own keys only: a record of kind 'constructor' is of no kind. */
function isKind(t: string): t is RecordKind {
  return Object.hasOwn(RECORDS, t);
}

function fits(v: unknown, kind: Kind): boolean {
  if (typeof kind !== 'string') return typeof v === 'string' && kind.includes(v);
  switch (kind) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'time': return isTime(v);
    case 'boolean': return typeof v === 'boolean';
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'pairs': return Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string');
    case 'strings': return Array.isArray(v) && v.every((s) => typeof s === 'string');
    case 'any': return true;
  }
}

function article(kind: Kind): string {
  if (typeof kind !== 'string') return `one of ${kind.join(', ')}`;
  switch (kind) {
    case 'time': return 'a time in milliseconds since 1970 that a date can hold';
    case 'pairs': return 'a list of [key, value] string pairs';
    case 'strings': return 'a list of strings';
    case 'object': return 'an object';
    case 'array': return 'an array';
    default: return `a ${kind}`;
  }
}

function preview(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
