import type { JsonValue } from '../../../src/asl/definition-types';
import { startsWithDateTime } from '../../../src/workbench/replay/compare';
import type { Recording, RecordedEvent } from '../../../src/workbench/replay/format';
import { payload } from '../../../src/workbench/replay/payload';
import type { ReplayOptions } from '../../../src/workbench/replay/replay';
import { canonicalText } from '../../conformance/history-compare';
import { CONTEXT, withActivityArns, type RecordedCase } from '../../conformance/recorded-run';

const STATUS: Record<string, Recording['execution']['status']> = {
  ExecutionSucceeded: 'SUCCEEDED', ExecutionFailed: 'FAILED', ExecutionTimedOut: 'TIMED_OUT', ExecutionAborted: 'ABORTED',
};

/**
 * A conformance case's recorded history as a recording: the history as it is (placeholders and
 * all), the outcome read from its last event, the names the runner's normalisation knows.
 */
export function recordingFromCase(c: RecordedCase): Recording {
  const events = c.history as unknown as RecordedEvent[];
  // An activity's placeholder (`"activity_arn"`) becomes an ARN, as AWS had it; canonicalText says it back.
  const { definition } = withActivityArns(c.definition, c.taskMocks ?? []);
  const last = events.find((e) => e.type in STATUS) ?? events[events.length - 1];
  const details = (last[`${last.type[0].toLowerCase()}${last.type.slice(1)}EventDetails`] ?? {}) as Record<string, unknown>;
  const machineArn = `arn:aws:states:${CONTEXT.region}:${CONTEXT.accountId}:stateMachine:${CONTEXT.stateMachineName}`;
  return {
    format: 'stepwright-recording',
    version: 1,
    stateMachine: { arn: machineArn, definition, roleArn: CONTEXT.roleArn },
    execution: {
      arn: `arn:aws:states:${CONTEXT.region}:${CONTEXT.accountId}:execution:${CONTEXT.stateMachineName}:${CONTEXT.executionName}`,
      status: STATUS[last.type] ?? 'RUNNING',
      input: c.input,
      ...(last.type === 'ExecutionSucceeded' ? { output: payload(details.output) as JsonValue } : {}),
      ...(typeof details.error === 'string' ? { error: details.error } : {}),
      ...(typeof details.cause === 'string' ? { cause: details.cause } : {}),
    },
    events,
  };
}

/** The role some recordings name by a pattern of their own rather than `snf_role_arn`. */
const ROLE_PATTERN = 'arn:<partition>:iam::111111111111:role/<resource>';

/**
 * The recordings mask names, ARNs and tokens with placeholders: the replay reads them as such,
 * with the conformance comparison's own reading of them (history-compare.ts): a member whose key
 * names a timestamp holds the placeholder `timestamp` unless its value starts with a valid date-time.
 */
export const CONFORMANCE_REPLAY: ReplayOptions = {
  normalize: (text, key) => {
    if (key !== undefined && /timestamp/i.test(key) && !startsWithDateTime(text)) return 'timestamp';
    const s = canonicalText(text);
    return s === ROLE_PATTERN ? 'snf_role_arn' : s;
  },
  placeholders: true,
};
