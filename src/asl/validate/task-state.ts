import { checkNumber, checkPathField, exclusive } from './checks';
import type { Finding } from './codes';
import { NO_FINDINGS, type StateInfo } from './model';

/**
 * Task timeouts: TimeoutSeconds and HeartbeatSeconds are positive integers
 * (or JSONata expressions), their `…Path` variants reference paths, and each
 * pair is exclusive.
 * @internal
 */
export function taskState(state: StateInfo): Finding[] {
  if (state.type !== 'Task') return NO_FINDINGS;
  const { node, pointer } = state;
  // Most Tasks have TimeoutSeconds at most, given as a number: nothing to say, and nothing made to say it.
  if (!('TimeoutSecondsPath' in node) && !('HeartbeatSeconds' in node) && !('HeartbeatSecondsPath' in node)
    && (!('TimeoutSeconds' in node) || (Number.isInteger(node.TimeoutSeconds) && (node.TimeoutSeconds as number) >= 1 && (node.TimeoutSeconds as number) <= 99999999))) {
    return NO_FINDINGS;
  }
  const jsonata = state.language === 'JSONata';
  const out = [
    ...exclusive(node, 'TimeoutSeconds', 'TimeoutSecondsPath', pointer),
    ...exclusive(node, 'HeartbeatSeconds', 'HeartbeatSecondsPath', pointer),
    ...checkNumber(node, 'TimeoutSeconds', pointer, { integer: true, min: 1, max: 99999999, jsonata }),
    ...checkNumber(node, 'HeartbeatSeconds', pointer, { integer: true, min: 1, max: 99999999, jsonata }),
  ];
  if (!jsonata) {
    out.push(...checkPathField(node, 'TimeoutSecondsPath', pointer, 'reference', false));
    out.push(...checkPathField(node, 'HeartbeatSecondsPath', pointer, 'reference', false));
  }
  return out;
}
