import { payload } from './answers';
import type { JsonValue, StateMachineDefinition } from '../../asl/types';

/** Where a failed execution's remaining work starts: a top-level state and the input it had. */
export interface ResumePoint {
  readonly state: string;
  readonly input: JsonValue;
}

/**
 * The top-level state a redrive resumes at (the last one entered) and the
 * input it was entered with, as AWS's RedriveExecution picks it. Undefined
 * when no top-level state was entered.
 */
export function resumePointOf(states: StateMachineDefinition['States'], events: readonly { type: string; [k: string]: unknown }[]): ResumePoint | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const ev = events[i];
    if (!ev.type.endsWith('StateEntered')) continue;
    const details = ev.stateEnteredEventDetails as { name: string; input?: unknown };
    if (Object.prototype.hasOwnProperty.call(states, details.name)) return { state: details.name, input: payload(details.input) ?? {} };
  }
  return undefined;
}
