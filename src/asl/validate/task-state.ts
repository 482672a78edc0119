import { checkNumber, checkPathField, exclusive } from './checks';
import type { Finding } from './codes';
import { addFindings, NO_FINDINGS, type StateInfo } from './model';
import { AwsLimits } from '../limits';

/**
 * Task timeouts: TimeoutSeconds and HeartbeatSeconds are positive integers
 * (or JSONata expressions), their `…Path` variants reference paths, and each
 * pair is exclusive.
 * @internal
 */
export function taskState(state: StateInfo): readonly Finding[] {
  if (state.type !== 'Task') return NO_FINDINGS;
  const { node, pointer } = state;
  const jsonata = state.language === 'JSONata';
  const seconds = jsonata ? SECONDS_OR_JSONATA : SECONDS;
  const out: Finding[] = [];
  addFindings(out, exclusive(node, 'TimeoutSeconds', 'TimeoutSecondsPath', pointer));
  addFindings(out, exclusive(node, 'HeartbeatSeconds', 'HeartbeatSecondsPath', pointer));
  addFindings(out, checkNumber(node, 'TimeoutSeconds', pointer, seconds));
  addFindings(out, checkNumber(node, 'HeartbeatSeconds', pointer, seconds));
  if (!jsonata) {
    addFindings(out, checkPathField(node, 'TimeoutSecondsPath', pointer, 'reference', false));
    addFindings(out, checkPathField(node, 'HeartbeatSecondsPath', pointer, 'reference', false));
  }
  return out;
}

/** TimeoutSeconds and HeartbeatSeconds: whole seconds, 1 to 99,999,999, or (under JSONata) an expression. */
const SECONDS = { integer: true, min: 1, max: AwsLimits.SECONDS, jsonata: false } as const;
const SECONDS_OR_JSONATA = { ...SECONDS, jsonata: true } as const;
