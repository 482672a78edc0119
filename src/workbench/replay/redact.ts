import { RecordingError, type RecordedEvent, type Recording } from './format';
import type { JsonValue } from '../../asl';
import { EVENT_ENVELOPE } from '../../asl/history-events';
import { setField } from '../../asl/json-value';
import { compilePath, PathSyntaxError } from '../../asl/path';

// jsonpath-plus is loaded by the first redaction, not by importing stepwright/testing (jest runs
// every module body once per test file).
let jsonPathModule: typeof import('jsonpath-plus') | undefined;
function jsonPathQuery(): typeof import('jsonpath-plus').JSONPath {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
  jsonPathModule ??= require('jsonpath-plus') as typeof import('jsonpath-plus');
  return jsonPathModule.JSONPath;
}

/** What a redacted value becomes. */
export const REDACTED = '<redacted>';

/**
 * A selected value shorter than this is replaced only where a whole string
 * (or object key) equals it, not inside longer text: replacing "no" or "42"
 * inside every message would garble the recording without hiding anything.
 */
const MIN_EMBEDDED_LENGTH = 4;

/** A selected number is searched for elsewhere only from this many characters on (card numbers, PINs as numbers). */
const MIN_NUMBER_LENGTH = 6;

/**
 * Fields of event details that name things rather than carry data: state
 * names (replay matches states by name) and ARNs. Every other field is data.
 */
const IDENTIFIER_FIELDS = new Set(['name', 'state', 'resource', 'resourceType']);

/**
 * A copy of the recording with every value the JSONPaths select, and every
 * other appearance of those values, replaced by `"<redacted>"`, so that the
 * recording can be committed. It is one pass over the whole recording:
 *
 * 1. The paths are applied to every JSON document in it: the execution's
 *    input, output and cause, and every data field of every event (state,
 *    Task and Lambda inputs, outputs and parameters, `assignedVariables`,
 *    error causes), JSON text inside those strings included, at any depth.
 *    Each selected value is replaced, and its strings (and numbers of 6 or
 *    more digits) are kept as secrets.
 * 2. Every string and object key of the same data is then searched for
 *    those secrets, wherever a value travelled under another name (a
 *    variable, a Map result, a Catch's copy of an error): a string equal to a
 *    secret is replaced, and so is a secret of 4 or more characters inside a
 *    longer text (a message, a cause), in its raw, JSON-escaped (once or
 *    twice, with or without `\u` escapes) and URL-encoded spellings.
 *
 * Names are not data and are left as they are: the definition, ARNs,
 * execution and state names, event types, ids and timestamps. A path that
 * matches nothing leaves the recording as it is.
 *
 * @example redact(recording, ['$.customer.email', '$..password', '$..token'])
 * @throws RecordingError (INVALID_FIELD) naming a path that does not parse or does not start at `$`
 */
export function redact(recording: Recording, paths: readonly string[]): Recording {
  if (paths.length === 0) return recording;
  for (const p of paths) {
    try {
      if (compilePath(p).root.kind !== 'input') throw new PathSyntaxError(p, "a redaction path starts at the document root '$'");
    } catch (e) {
      throw new RecordingError('INVALID_FIELD', `--redact '${p}' is not a JSONPath into inputs and outputs: ${(e as Error).message}; write it as '$.customer.email' or '$..email'`);
    }
  }
  const pass = new RedactionPass(paths);
  const selected = mapData(recording, (v) => pass.select(v));
  pass.seal();
  const scrubbed = mapData(selected, (v) => pass.scrub(v));
  return { ...scrubbed, redacted: [...(recording.redacted ?? []), ...paths] };
}

/** The recording with `f` applied to each piece of execution data, names and structure kept. */
function mapData(recording: Recording, f: (v: unknown) => unknown): Recording {
  const { input, output, error, cause, ...names } = recording.execution;
  const events = recording.events.map((e): RecordedEvent => {
    const out: Record<string, unknown> = {};
    // Every object but the envelope is scrubbed as details, whatever its name: a recording is a user's file.
    for (const [k, details] of Object.entries(e)) {
      if (EVENT_ENVELOPE.has(k) || details === null || typeof details !== 'object' || Array.isArray(details)) {
        setField(out, k, details);
        continue;
      }
      const copy: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(details as Record<string, unknown>)) {
        setField(copy, field, IDENTIFIER_FIELDS.has(field) || field.endsWith('Arn') ? value : f(value));
      }
      setField(out, k, copy);
    }
    return out as RecordedEvent;
  });
  return {
    ...recording,
    execution: {
      ...names,
      input: f(input) as JsonValue,
      ...(output !== undefined ? { output: f(output) as JsonValue } : {}),
      ...(error !== undefined ? { error: f(error) as string } : {}),
      ...(cause !== undefined ? { cause: f(cause) as string } : {}),
    },
    events,
  };
}

/** The JSON value a string holds when it is JSON text of an object, an array or a string; undefined otherwise. */
function jsonText(s: string): { value: unknown } | undefined {
  const first = /\S/.exec(s)?.[0];
  if (first !== '{' && first !== '[' && first !== '"') return undefined;
  try {
    return { value: JSON.parse(s) as unknown };
  } catch {
    return undefined;
  }
}

class RedactionPass {
  private readonly secrets = new Set<string>();
  private readonly numbers = new Set<number>();
  private embedded: RegExp | undefined;

  constructor(private readonly paths: readonly string[]) {}

  /**
   * The value with every match of the paths replaced, in it and in the JSON
   * texts it holds; each match is remembered as a secret. The value given is
   * left untouched: what changes is copied.
   */
  select(v: unknown): unknown {
    if (typeof v === 'string') {
      const parsed = jsonText(v);
      if (parsed === undefined) return v;
      const out = this.select(parsed.value);
      return out === parsed.value ? v : JSON.stringify(out);
    }
    if (v === null || typeof v !== 'object') return v;
    const doc = structuredClone(v) as JsonValue;
    let changed = false;
    for (const path of this.paths) {
      const matches = jsonPathQuery()({ path, json: doc, resultType: 'all', eval: false, wrap: true }) as Array<{ value: unknown; parent: unknown; parentProperty: string | number }>;
      for (const m of matches) {
        if (m.parent === null || typeof m.parent !== 'object') continue;
        this.keep(m.value);
        (m.parent as Record<string | number, unknown>)[m.parentProperty] = REDACTED;
        changed = true;
      }
    }
    const nested = this.selectInside(doc);
    return changed || nested ? doc : v;
  }

  /** Applies the paths to the JSON texts held in strings of `doc` (which is a copy), in place; true when any changed. */
  private selectInside(doc: JsonValue): boolean {
    if (doc === null || typeof doc !== 'object') return false;
    let changed = false;
    const entries: Array<[string | number, JsonValue]> = Array.isArray(doc) ? doc.map((x, i) => [i, x]) : Object.entries(doc);
    for (const [k, x] of entries) {
      if (typeof x === 'string') {
        const out = this.select(x);
        if (out !== x) {
          (doc as Record<string | number, unknown>)[k] = out;
          changed = true;
        }
      } else if (this.selectInside(x)) {
        changed = true;
      }
    }
    return changed;
  }

  /** Remembers the strings (and long numbers) of a selected value. */
  private keep(v: unknown): void {
    if (typeof v === 'string') {
      if (v !== '' && v !== REDACTED) this.secrets.add(v);
    } else if (typeof v === 'number') {
      if (String(v).length >= MIN_NUMBER_LENGTH) {
        this.numbers.add(v);
        this.secrets.add(String(v));
      }
    } else if (Array.isArray(v)) {
      for (const x of v) this.keep(x);
    } else if (v !== null && typeof v === 'object') {
      for (const x of Object.values(v)) this.keep(x);
    }
  }

  /** Ends the selection: builds the search for every spelling of every secret. */
  seal(): void {
    const spellings = new Set<string>();
    for (const s of this.secrets) if (s.length >= MIN_EMBEDDED_LENGTH) for (const form of spellingsOf(s)) spellings.add(form);
    if (spellings.size === 0) return;
    // Longest first, so that a secret's escaped spelling is replaced whole rather than in part.
    const alternatives = [...spellings].sort((a, b) => b.length - a.length).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.embedded = new RegExp(alternatives.join('|'), 'g');
  }

  /** The value with every secret replaced, in strings, keys and JSON texts at any depth; the same value when none was found. */
  scrub(v: unknown): unknown {
    if (typeof v === 'string') {
      const parsed = jsonText(v);
      if (parsed !== undefined) {
        const out = this.scrub(parsed.value);
        return out === parsed.value ? v : JSON.stringify(out);
      }
      return this.text(v);
    }
    if (typeof v === 'number') return this.numbers.has(v) ? REDACTED : v;
    if (Array.isArray(v)) {
      const out = v.map((x) => this.scrub(x));
      return out.some((x, i) => x !== v[i]) ? out : v;
    }
    if (v === null || typeof v !== 'object') return v;
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const key = this.text(k);
      const value = this.scrub(x);
      if (key !== k || value !== x) changed = true;
      setField(out, key, value);
    }
    return changed ? out : v;
  }

  private text(s: string): string {
    if (this.secrets.has(s)) return REDACTED;
    if (this.embedded === undefined) return s;
    this.embedded.lastIndex = 0;
    return this.embedded.test(s) ? s.replace(this.embedded, REDACTED) : s;
  }
}

/**
 * The spellings a secret takes inside longer text: as it is, JSON-escaped
 * (a cause holding JSON, JSON text inside JSON text), with non-ASCII
 * characters as `\u` escapes (as Python's and Java's JSON writers put them)
 * and URL-encoded.
 */
function spellingsOf(secret: string): Set<string> {
  const escape = (s: string): string => JSON.stringify(s).slice(1, -1);
  const ascii = (upper: boolean) => (s: string): string => s.replace(/[^\x20-\x7e]/g, (c) => {
    const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
    return `\\u${upper ? hex.toUpperCase() : hex}`;
  });
  const out = new Set([secret, encodeURIComponent(secret)]);
  let level = [secret];
  for (let depth = 0; depth < 3; depth++) {
    const next = new Set<string>();
    for (const s of level) for (const f of [escape, ascii(false), ascii(true)]) next.add(f(s));
    level = [...next].filter((s) => !out.has(s));
    for (const s of level) out.add(s);
  }
  return out;
}
