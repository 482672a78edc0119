/**
 * Two answers to one TestState request, compared field by field in the order TestState's
 * response lists them.
 */
import { isRefusal, type ParityAnswer, type ParityDifference, type ParityOutcome } from './types';
import type { JsonValue } from '../../asl';
import { ownValue } from '../../asl/own';

/** The outcome's own fields, compared first. */
const OUTCOME_FIELDS = ['status', 'error', 'cause', 'output', 'nextState'] as const;

/** inspectionData's fields in the order AWS's TestState response lists them ("InspectionData", AWS Step Functions API Reference). */
const INSPECTION_ORDER = [
  'input', 'afterInputPath', 'afterParameters', 'afterArguments', 'result', 'afterResultSelector', 'afterResultPath',
  'afterItemsPointer', 'afterItemsPath', 'afterItemSelector', 'afterItemBatcher',
  'maxConcurrency', 'toleratedFailureCount', 'toleratedFailurePercentage', 'variables', 'errorDetails',
];

/** The HTTP request and response of an HTTP Task (TRACE only): what a mock stands for, so nothing to compare. */
const NOT_COMPARED = new Set(['request', 'response']);

/**
 * Every field in which the two answers differ, in TestState's order (empty when they agree).
 * A refusal is compared by its exception name; the messages are shown, not compared, as
 * stepwright words some refusals its own way (docs/parity.md says which).
 */
export function compareAnswers(local: ParityAnswer, aws: ParityAnswer): ParityDifference[] {
  if (isRefusal(local) || isRefusal(aws)) {
    if (isRefusal(local) && isRefusal(aws) && local.refused.type === aws.refused.type) return [];
    return [{ field: 'refused', ...side('local', isRefusal(local) ? local.refused : undefined), ...side('aws', isRefusal(aws) ? aws.refused : undefined) }];
  }
  const out: ParityDifference[] = [];
  for (const field of OUTCOME_FIELDS) differ(out, field, local[field], aws[field]);
  const l = local.inspectionData ?? {};
  const a = aws.inspectionData ?? {};
  for (const field of inspectionFields(l, a)) differ(out, `inspectionData.${field}`, ownValue(l, field), ownValue(a, field));
  return out;
}

function inspectionFields(l: ParityOutcome['inspectionData'] & object, a: ParityOutcome['inspectionData'] & object): string[] {
  const present = new Set([...Object.keys(l), ...Object.keys(a)].filter((k) => !NOT_COMPARED.has(k)));
  const known = INSPECTION_ORDER.filter((k) => present.has(k));
  const others = [...present].filter((k) => !INSPECTION_ORDER.includes(k)).sort();
  return [...known, ...others];
}

function side(key: 'local' | 'aws', value: { type: string; message: string } | undefined): Partial<ParityDifference> {
  return value === undefined ? {} : { [key]: { type: value.type, message: value.message } };
}

function differ(out: ParityDifference[], field: string, local: JsonValue | undefined, aws: JsonValue | undefined): void {
  if (sameJson(local, aws)) return;
  out.push({ field, ...(local !== undefined ? { local } : {}), ...(aws !== undefined ? { aws } : {}) });
}

/**
 * Deep equality of JSON values: objects by their members whatever their order (TestState's
 * answer is JSON text whose key order no client keeps), arrays item by item.
 */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => sameJson(v, b[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
}
