/*
 * The records the service journals, and the fields each kind has: a record
 * read back is checked against them before it is applied, so that a record
 * that parses but lacks a field, or holds a field of the wrong type, is
 * reported as damage with its place in the file instead of failing somewhere
 * in the middle of a restore.
 */
import type { JournalRecord } from './journal';

type Kind = 'string' | 'number' | 'time' | 'boolean' | 'object' | 'array' | 'pairs' | 'strings' | 'any' | readonly string[];

/** A field: its kind, and whether a record may lack it (or hold null, as JSON writes nothing else for "none"). */
type Field = readonly [name: string, kind: Kind, optional?: 'optional'];

const O = 'optional' as const;

/** The latest (and, negated, the earliest) time a Date can hold, in ms since the epoch. */
const MAX_TIME = 8.64e15;
const MACHINE_TYPES = ['STANDARD', 'EXPRESS'] as const;
/** How a closed execution ended. */
const CLOSED_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** The fields of each kind of record. */
const KINDS: ReadonlyMap<string, readonly Field[]> = new Map<string, readonly Field[]>([
  ['machine', [['arn', 'string'], ['name', 'string'], ['definition', 'string'], ['roleArn', 'string'], ['type', MACHINE_TYPES], ['logging', 'object', O],
    ['tracing', 'object', O], ['at', 'time'], ['revisionId', 'string'], ['description', 'string', O], ['publish', 'boolean', O], ['tags', 'pairs', O]]],
  ['update', [['arn', 'string'], ['definition', 'string', O], ['roleArn', 'string', O], ['logging', 'object', O], ['tracing', 'object', O],
    ['at', 'time'], ['revisionId', 'string'], ['publish', 'boolean', O], ['description', 'string', O]]],
  ['deleteMachine', [['arn', 'string']]],
  ['version', [['arn', 'string'], ['description', 'string', O], ['at', 'time']]],
  ['deleteVersion', [['arn', 'string']]],
  ['alias', [['arn', 'string'], ['name', 'string', O], ['description', 'string', O], ['routing', 'array', O], ['at', 'time'], ['create', 'boolean', O]]],
  ['deleteAlias', [['arn', 'string']]],
  ['tag', [['arn', 'string'], ['tags', 'pairs']]],
  ['untag', [['arn', 'string'], ['keys', 'strings']]],
  ['activity', [['arn', 'string'], ['name', 'string'], ['at', 'time'], ['tags', 'pairs', O]]],
  ['deleteActivity', [['arn', 'string']]],
  ['start', [['arn', 'string'], ['machine', 'string'], ['version', 'number', O], ['alias', 'string', O], ['name', 'string'], ['input', 'string'],
    ['seed', 'number'], ['at', 'time'], ['testCase', 'string', O], ['mockConfig', 'object', O]]],
  ['stop', [['arn', 'string'], ['error', 'string', O], ['cause', 'string', O]]],
  ['redrive', [['arn', 'string'], ['at', 'time']]],
  ['mapRun', [['arn', 'string'], ['settings', 'object']]],
  ['closed', [['arn', 'string'], ['status', CLOSED_STATUSES], ['stopDate', 'time'], ['output', 'string', O], ['error', 'string', O], ['cause', 'string', O],
    ['history', 'any'], ['redriveDate', 'time', O], ['completedChildren', 'object', O]]],
  ['history', [['id', 'string'], ['part', 'number'], ['pool', 'array'], ['events', 'array']]],
  ['callback', [['token', 'string'], ['ok', 'boolean'], ['output', 'any', O], ['error', 'string', O], ['cause', 'string', O]]],
  ['delivered', [['token', 'string'], ['worker', 'string', O]]],
  ['heartbeat', [['token', 'string'], ['at', 'time']]],
  ['result', [['arn', 'string'], ['key', 'string'], ['at', 'time'], ['ok', 'boolean'], ['output', 'any', O], ['error', 'string', O], ['cause', 'string', O],
    ['inState', 'boolean', O], ['aborted', 'boolean', O]]],
  ['compacted', [['at', 'time']]],
]);

/** What is wrong with a record read back, or undefined when it has the fields of its kind. @internal */
export function recordProblem(r: JournalRecord): string | undefined {
  const fields = KINDS.get(r.t);
  if (!fields) return `it is a record of an unknown kind '${r.t.slice(0, 100)}'`;
  for (const [name, kind, optional] of fields) {
    const has = Object.hasOwn(r, name) && r[name] !== null;
    if (!has) {
      if (optional) continue;
      return `the '${r.t}' record has no field '${name}'`;
    }
    if (!fits(r[name], kind)) return `the '${r.t}' record's field '${name}' is not ${article(kind)}: ${preview(r[name])}`;
  }
  // A failed call's answer is its error, or that the execution stopped waiting for it.
  if (r.t === 'result' && r.ok === false && r.aborted !== true && typeof r.error !== 'string') return "the 'result' record of a failed call has no field 'error'";
  return undefined;
}

function fits(v: unknown, kind: Kind): boolean {
  if (typeof kind !== 'string') return typeof v === 'string' && kind.includes(v);
  switch (kind) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'time': return typeof v === 'number' && Math.abs(v) <= MAX_TIME;
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
