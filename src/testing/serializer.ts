import { detailsOf } from '../asl/history-events';
import type { ExecutionResult, HistoryEvent } from '../interpreter';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const WHOLE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A stepwright task token: a UUID and a counter. */
const TOKEN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-z]+\b/gi;
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})\b/g;
/** An absolute path up to and including a node_modules folder: where a package is installed differs per machine. */
const NODE_MODULES = /(?:[A-Za-z]:)?[\\/][^\s"'()]*?[\\/]node_modules[\\/]/g;
/** Fields of the lambda:invoke envelope that say nothing about the function's result. */
const ENVELOPE_NOISE = ['SdkHttpMetadata', 'SdkResponseMetadata'];
/** Detail fields that only say a payload was not truncated. */
const NOISE = /^(input|output|parameters)Details$/;
/** Compact JSON longer than this is printed indented. */
const ONE_LINE = 100;

/**
 * Replaces what changes from run to run (task tokens, UUIDs, the execution's
 * name and ARN, absolute times) with stable placeholders. The same value gets
 * the same placeholder throughout one snapshot, so "the token sent is the
 * token received" still shows.
 * @internal
 */
export class Stabilizer {
  private readonly tokens = new Map<string, string>();
  private readonly uuids = new Map<string, string>();

  constructor(private readonly start: number, private readonly executionArn?: string) {}

  /** `+12s` (or `+0.25s`) since the execution started. */
  offset(time: Date | string | number): string {
    const ms = new Date(time).getTime() - this.start;
    const s = ms / 1000;
    return `${s < 0 ? '-' : '+'}${Number.isInteger(s) ? Math.abs(s) : Math.abs(s).toFixed(3).replace(/0+$/, '')}s`;
  }

  string(text: string): string {
    let out = text;
    // Stack traces in causes name files by absolute path: the same snapshot must pass on every machine.
    const root = process.cwd();
    if (root.length > 1) out = out.split(root).join('<rootDir>');
    out = out.replace(NODE_MODULES, '<node_modules>/');
    if (this.executionArn) {
      out = out.split(this.executionArn).join('<execution-arn>');
      const name = this.executionArn.slice(this.executionArn.lastIndexOf(':') + 1);
      // A UUID-named execution is covered by the UUID rule; only a chosen name is replaced here.
      if (name && !WHOLE_UUID.test(name)) out = out.split(name).join('<execution-name>');
    }
    out = out.replace(TOKEN, (t) => placeholder(this.tokens, t.toLowerCase(), 'token'));
    out = out.replace(UUID, (u) => placeholder(this.uuids, u.toLowerCase(), 'uuid'));
    out = out.replace(ISO_TIME, (t) => (Number.isNaN(new Date(t).getTime()) ? t : `<${this.offset(t)}>`));
    return out;
  }

  /** A JSON value with every string stabilized. */
  value(value: unknown): unknown {
    if (typeof value === 'string') return this.string(value);
    if (Array.isArray(value)) return value.map((v) => this.value(v));
    if (value instanceof Date) return `<${this.offset(value)}>`;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]: [string, unknown]) => [this.string(k), this.value(v)]));
    }
    return value;
  }
}

function placeholder(map: Map<string, string>, key: string, kind: string): string {
  let p = map.get(key);
  if (!p) {
    p = `<${kind}-${map.size + 1}>`;
    map.set(key, p);
  }
  return p;
}

function compact(value: unknown, indent: string): string {
  const one = JSON.stringify(value);
  if (one === undefined) return 'undefined';
  if (one.length <= ONE_LINE) return one;
  return JSON.stringify(value, null, 2).split('\n').join(`\n${indent}`);
}

/** Parses the JSON strings AWS puts in `input`, `output` and `parameters`. */
function parsed(key: string, value: unknown): unknown {
  if ((key === 'input' || key === 'output' || key === 'parameters') && typeof value === 'string') {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

function eventLine(event: HistoryEvent, s: Stabilizer, indent: string): string {
  let line = `#${event.id} ${s.offset(event.timestamp)} ${event.type}`;
  // previousEventId 0 chains to nothing (AWS gives it to the first state): nothing to say.
  if (event.previousEventId !== event.id - 1 && event.previousEventId !== 0) line += ` (after #${event.previousEventId})`;
  const details = detailsOf(event);
  if (details !== undefined) {
    if (typeof details.name === 'string') line += ` ${s.string(details.name)}`;
    for (const [k, v] of Object.entries(details)) {
      if (k === 'name' || NOISE.test(k) || v === undefined) continue;
      line += ` ${k}=${compact(s.value(parsed(k, v)), `${indent}  `)}`;
    }
  }
  return line;
}

/**
 * A history as text: one event per line, times relative to the first event.
 * @internal
 */
export function printHistory(history: readonly HistoryEvent[], s: Stabilizer, indent = ''): string {
  return history.map((e) => indent + eventLine(e, s, indent)).join('\n');
}

/** A value as the compact snapshot shows it: a lambda:invoke envelope without its HTTP metadata. */
function lean(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return Array.isArray(value) ? value.map(lean) : value;
  if (!ENVELOPE_NOISE.some((k) => k in value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !ENVELOPE_NOISE.includes(k)));
}

/** One line per state a compact snapshot shows: entered, exited with its output, or a failed attempt. */
function stateLine(event: HistoryEvent, s: Stabilizer): string | undefined {
  const details = detailsOf(event);
  const at = s.offset(event.timestamp).padEnd(7);
  if (event.type.endsWith('StateEntered')) return `${at} ▸ ${s.string(String(details?.name))}`;
  if (event.type.endsWith('StateExited')) {
    return `${at} ◂ ${s.string(String(details?.name))} → ${compact(s.value(lean(parsed('output', details?.output))), '            ')}`;
  }
  if (/(Failed|TimedOut)$/.test(event.type) && !event.type.startsWith('Execution') && typeof details?.error === 'string') {
    const cause = typeof details.cause === 'string' ? `: ${s.string(details.cause)}` : '';
    return `${at} ✗ ${event.type} ${s.string(details.error)}${cause}`;
  }
  return undefined;
}

/**
 * An execution result as text: status, error/cause or output, path, then each
 * state entered and exited with its output and each failed attempt, with
 * stable placeholders for ids and times. The full history prints when the
 * history itself is snapshotted (`expect(run.history).toMatchSnapshot()`).
 * @internal
 */
export function printRun(run: ExecutionResult): string {
  const history = run.history ?? [];
  const start = run.startDate ? new Date(run.startDate).getTime() : history[0] ? new Date(history[0].timestamp).getTime() : 0;
  const s = new Stabilizer(start, run.executionArn);
  const lines = [`Execution ${run.status}${run.stopDate ? ` at ${s.offset(run.stopDate)}` : ''}`];
  if (run.error !== undefined) lines.push(`error: ${s.string(run.error)}`);
  if (run.cause !== undefined) lines.push(`cause: ${s.string(run.cause)}`);
  if (run.status === 'SUCCEEDED') lines.push(`output: ${compact(s.value(lean(run.output)), '  ')}`);
  lines.push(`path: ${run.path.length ? run.path.join(' → ') : '(none)'}`);
  const states = history.map((e) => stateLine(e, s)).filter((l): l is string => l !== undefined);
  if (states.length) {
    lines.push('states:');
    for (const l of states) lines.push(`  ${l}`);
  }
  return lines.join('\n');
}

/** True for an execution result (from `wf.run` or `execution.result`). @internal */
export function isExecutionResult(value: unknown): value is ExecutionResult {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<ExecutionResult>;
  return typeof v.status === 'string' && Array.isArray(v.path) && 'history' in v && 'executionArn' in v;
}

/** True for a non-empty execution history. @internal */
export function isHistory(value: unknown): value is HistoryEvent[] {
  return Array.isArray(value) && value.length > 0 && value.every((e) =>
    e !== null && typeof e === 'object' && typeof (e as HistoryEvent).type === 'string'
    && typeof (e as HistoryEvent).id === 'number' && 'timestamp' in e);
}

/**
 * A jest snapshot serializer for execution results and histories. A run
 * prints compactly: its status, output or error, path, and each state with
 * its output and failed attempts (a lambda:invoke result without its HTTP
 * metadata). A history (`expect(run.history).toMatchSnapshot()`) prints in
 * full, each event starting a line with its details (a long value continues
 * on indented lines). Times show as `+3600s` from the start of the execution;
 * task tokens, UUIDs, execution names and ARNs, and absolute file paths in
 * stack traces are replaced with stable placeholders.
 * `stepwright/testing/setup` installs it.
 * @example
 * expect(run).toMatchInlineSnapshot(`
 *   Execution SUCCEEDED at +2s
 *   output: {"ok":true}
 *   path: Charge
 *   ...
 * `);
 */
export const runSerializer = {
  test(value: unknown): boolean {
    return isExecutionResult(value) || isHistory(value);
  },
  serialize(value: unknown): string {
    if (isExecutionResult(value)) return printRun(value);
    const history = value as HistoryEvent[];
    return `History\n${printHistory(history, new Stabilizer(new Date(history[0].timestamp).getTime()), '  ')}`;
  },
};
