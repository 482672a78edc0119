import type { Recording } from './format';
import { payload } from './payload';
import { EVENT_ENVELOPE } from '../../asl/history-events';

/**
 * When AWS launched redrive, and with it `$$.Execution.RedriveCount`: executions started before
 * it are not redrivable ("You started the execution on or after November 15, 2023",
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html) and their
 * Context Object had no `RedriveCount`.
 */
export const REDRIVE_LAUNCH = Date.parse('2023-11-15T00:00:00.000Z');

/** Whether the recorded execution's Context Object had `Execution.RedriveCount`, and why it is thought so. */
export interface RedriveEra {
  /** True: it had one; false: it had none (started before redrive); undefined: the recording does not say. */
  readonly hasRedriveCount?: boolean;
  readonly evidence: string;
}

/**
 * Reads from a recording whether its Context Object had `RedriveCount`: a recorded
 * `$$.Execution` (any payload holding an object with Id, Input, StartTime, Name and RoleArn)
 * says so directly; an ExecutionRedriven event means redrive existed; else the start date
 * against redrive's launch. An EXPRESS execution never has one.
 */
export function redriveEra(rec: Recording): RedriveEra {
  const seen = recordedExecutionContext(rec);
  if (seen !== undefined) return { hasRedriveCount: seen, evidence: `a recorded $$.Execution ${seen ? 'has' : 'has no'} RedriveCount` };
  if (rec.events.some((e) => e.type === 'ExecutionRedriven')) return { hasRedriveCount: true, evidence: 'the execution was redriven' };
  const start = Date.parse(rec.execution.startDate ?? '');
  if (Number.isFinite(start)) {
    return start < REDRIVE_LAUNCH
      ? { hasRedriveCount: false, evidence: `it started ${rec.execution.startDate}, before redrive launched (2023-11-15)` }
      : { hasRedriveCount: true, evidence: `it started ${rec.execution.startDate}, after redrive launched (2023-11-15)` };
  }
  return { evidence: 'the recording has no start date and shows no $$.Execution' };
}

/** True/false when some payload of the history holds a whole `$$.Execution` with/without RedriveCount. */
function recordedExecutionContext(rec: Recording): boolean | undefined {
  let found: boolean | undefined;
  for (const e of rec.events) {
    for (const [k, details] of Object.entries(e)) {
      if (EVENT_ENVELOPE.has(k) || details === null || typeof details !== 'object') continue;
      for (const v of Object.values(details as object)) {
        // Most payloads never hold a Context Object: only those naming its members are parsed.
        if (typeof v === 'string' && !(v.includes('"StartTime"') && v.includes('"RoleArn"'))) continue;
        const seen = contextIn(payload(v));
        if (seen === true) return true;
        if (seen === false) found = false;
      }
    }
  }
  return found;
}

function contextIn(value: unknown): boolean | undefined {
  const stack = [value];
  let found: boolean | undefined;
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (!Array.isArray(v) && ['Id', 'Input', 'StartTime', 'Name', 'RoleArn'].every((k) => k in v)) {
      if ('RedriveCount' in v) return true;
      found = false;
      continue;
    }
    stack.push(...Object.values(v as object));
  }
  return found;
}
