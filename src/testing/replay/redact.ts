import { JSONPath } from 'jsonpath-plus';
import { RecordingError, type RecordedEvent, type Recording } from './format';
import { compilePath, PathSyntaxError } from '../../asl/path';
import type { JsonValue } from '../../asl/types';

/** What a redacted value becomes. */
export const REDACTED = '<redacted>';

/** Payload fields of event details that hold execution data. */
const PAYLOADS = ['input', 'output', 'parameters'];

/**
 * A copy of the recording with the values at these JSONPaths replaced by
 * `"<redacted>"` in the execution's input and output and in every payload of
 * its events (state, Task and Lambda inputs, outputs and parameters), so that
 * it can be committed. A path that matches nothing in a payload leaves it as is.
 *
 * @example redact(recording, ['$.customer.email', '$..cardNumber'])
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
  const value = (v: JsonValue | undefined): JsonValue | undefined => (v === undefined ? undefined : redactValue(v, paths));
  const text = (v: unknown): unknown => {
    if (typeof v !== 'string') return v !== null && typeof v === 'object' ? redactValue(v as JsonValue, paths) : v;
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(v) as JsonValue;
    } catch {
      return v;
    }
    return JSON.stringify(redactValue(parsed, paths));
  };
  const events = recording.events.map((e): RecordedEvent => {
    const out: Record<string, unknown> = { ...e };
    for (const [k, details] of Object.entries(e)) {
      if (!k.endsWith('EventDetails') || details === null || typeof details !== 'object') continue;
      const copy: Record<string, unknown> = { ...(details as Record<string, unknown>) };
      for (const f of PAYLOADS) if (f in copy) copy[f] = text(copy[f]);
      out[k] = copy;
    }
    return out as RecordedEvent;
  });
  const { output, ...execution } = recording.execution;
  return {
    ...recording,
    execution: { ...execution, input: value(recording.execution.input) ?? null, ...(output !== undefined ? { output: value(output) } : {}) },
    events,
    redacted: [...(recording.redacted ?? []), ...paths],
  };
}

/** The value with every match of the paths replaced (a copy; the value is left untouched). */
function redactValue(v: JsonValue, paths: readonly string[]): JsonValue {
  if (v === null || typeof v !== 'object') return v;
  const copy = structuredClone(v);
  for (const path of paths) {
    const matches = JSONPath({ path, json: copy, resultType: 'all', eval: false, wrap: true }) as Array<{ parent: unknown; parentProperty: string | number }>;
    for (const m of matches) {
      if (m.parent !== null && typeof m.parent === 'object') (m.parent as Record<string | number, JsonValue>)[m.parentProperty] = REDACTED;
    }
  }
  return copy;
}
