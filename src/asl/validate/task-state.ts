import { checkNumber, checkPathField, exclusive } from './checks';
import { ValidationCodes as C, type Finding } from './codes';
import { addFindings, NO_FINDINGS, ptr, type StateInfo, warning } from './model';
import { DEVELOPER_GUIDE } from '../integrations';
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
  const { TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat } = node;
  if (typeof timeout === 'number' && typeof heartbeat === 'number' && heartbeat >= timeout && out.length === 0) {
    // The Task state page: HeartbeatSeconds is an integer less than TimeoutSeconds. Whether
    // CreateStateMachine refuses one that is not is not recorded, so this warns; at run time the
    // heartbeat never fires before the timeout.
    out.push(warning(C.VALUE_OUT_OF_RANGE, ptr(pointer, 'HeartbeatSeconds'), `Task '${state.name}' has HeartbeatSeconds ${heartbeat}, not less than its `
      + `TimeoutSeconds ${timeout}, as ${TASK_STATE_PAGE} asks; AWS may refuse the definition (not recorded), and the heartbeat can never time out `
      + 'before the Task does: set HeartbeatSeconds below TimeoutSeconds, or drop it'));
  }
  return out;
}

const TASK_STATE_PAGE = `${DEVELOPER_GUIDE}state-task.html`;

/** TimeoutSeconds and HeartbeatSeconds: whole seconds, 1 to 99,999,999, or (under JSONata) an expression. */
const SECONDS = { integer: true, min: 1, max: AwsLimits.SECONDS, jsonata: false } as const;
const SECONDS_OR_JSONATA = { ...SECONDS, jsonata: true } as const;
