import { checkJsonataString, checkNumber, checkPathField, isJsonataExpression } from './checks';
import { ValidationCodes as C, type Finding } from './codes';
import { error, NO_FINDINGS, ptr, show, type StateInfo } from './model';
import { AwsLimits } from '../limits';
import { parseRfc3339Timestamp } from '../timestamp';

const FORMS = ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'];

/**
 * A Wait state has exactly one of Seconds (an integer ≥ 0), SecondsPath,
 * Timestamp (an RFC 3339 string) and TimestampPath (reference paths); under
 * JSONata, Seconds and Timestamp may be `{% %}` expressions. A literal
 * Timestamp is checked when the machine is created: AWS refuses
 * `2016-12-05T21:29:29` (no zone) or month 13 with SCHEMA_VALIDATION_FAILED
 * "String does not match RFC3339 timestamp", in JSONPath and JSONata states alike.
 * @internal
 */
export function waitState(state: StateInfo): readonly Finding[] {
  if (state.type !== 'Wait') return NO_FINDINGS;
  const { node, pointer } = state;
  const present = FORMS.filter((f) => f in node);
  const out: Finding[] = [];
  if (present.length !== 1) {
    out.push(error(C.MUTUALLY_EXCLUSIVE_FIELDS, pointer, present.length === 0
      ? `Wait state '${state.name}' needs exactly one of ${FORMS.join(', ')}; it has none`
      : `Wait state '${state.name}' needs exactly one of ${FORMS.join(', ')}; it has ${present.join(' and ')}, keep one`));
  }
  const jsonata = state.language === 'JSONata';
  out.push(...checkNumber(node, 'Seconds', pointer, { integer: true, min: 0, max: AwsLimits.SECONDS, jsonata }));
  if ('Timestamp' in node) {
    const v = node.Timestamp;
    const at = ptr(pointer, 'Timestamp');
    if (typeof v !== 'string') {out.push(error(C.SCHEMA_VALIDATION_FAILED, at, `Timestamp must be an ISO 8601 string such as "2026-01-01T00:00:00Z", got ${show(v)}`));} else if (jsonata && isJsonataExpression(v)) {out.push(...checkJsonataString(v, at, 'Timestamp'));} else if (parseRfc3339Timestamp(v) === undefined) {
      out.push(error(C.SCHEMA_VALIDATION_FAILED, at, `Wait state '${state.name}': Timestamp ${show(v)} is not an RFC 3339 timestamp; write a date, an uppercase T, the time with seconds and Z or an offset, such as "2026-01-01T00:00:00Z" or "2026-01-01T09:30:00.5+01:00"`));
    }
  }
  if (!jsonata) {
    out.push(...checkPathField(node, 'SecondsPath', pointer, 'reference', false));
    out.push(...checkPathField(node, 'TimestampPath', pointer, 'reference', false));
  }
  return out;
}
