import type { JsonValue } from '../../../src/asl/types';
import type { Recording, RecordedEvent } from '../../../src/testing/replay/format';
import { payload } from '../../../src/testing/replay/payload';
import type { ReplayOptions } from '../../../src/testing/replay/replay';
import { canonicalString, CONTEXT, type RecordedCase } from '../../conformance/recorded-run';

const STATUS: Record<string, Recording['execution']['status']> = {
  ExecutionSucceeded: 'SUCCEEDED', ExecutionFailed: 'FAILED', ExecutionTimedOut: 'TIMED_OUT', ExecutionAborted: 'ABORTED',
};

/**
 * A conformance case's recorded history as a recording: the history as it is (placeholders and
 * all), the outcome read from its last event, the names the runner's normalisation knows.
 */
export function recordingFromCase(c: RecordedCase): Recording {
  const events = c.history as unknown as RecordedEvent[];
  const last = events.find((e) => e.type in STATUS) ?? events[events.length - 1];
  const details = (last[`${last.type[0].toLowerCase()}${last.type.slice(1)}EventDetails`] ?? {}) as Record<string, unknown>;
  const machineArn = `arn:aws:states:${CONTEXT.region}:${CONTEXT.accountId}:stateMachine:${CONTEXT.stateMachineName}`;
  return {
    format: 'stepwright-recording',
    version: 1,
    stateMachine: { arn: machineArn, definition: c.definition, roleArn: CONTEXT.roleArn },
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

/** The recordings mask names, ARNs and tokens with placeholders: the replay reads them as such. */
export const CONFORMANCE_REPLAY: ReplayOptions = { normalize: canonicalString, placeholders: true };
