import { payload } from './payload';
import { setField } from '../../asl/json-value';
import type { JsonValue, StateMachineDefinition } from '../../asl/types';

/** Where a failed execution's remaining work starts: a top-level state, the input it had and the variables it saw. */
export interface ResumePoint {
  readonly state: string;
  readonly input: JsonValue;
  /**
   * The top-level variables as they were when the state was entered, read back
   * from the `assignedVariables` of the top-level states that exited before it
   * (a Catch's Assign included), in order. What a Map iteration or Parallel
   * branch assigned stays in its own scope, so it is not among them.
   */
  readonly variables: Record<string, JsonValue>;
}

type Event = { type: string; [k: string]: unknown };

/**
 * The top-level state a redrive resumes at (the last one entered), the input
 * it was entered with and the variables it saw, as AWS's RedriveExecution
 * resumes it. Undefined when no top-level state was entered.
 */
export function resumePointOf(states: StateMachineDefinition['States'], events: readonly Event[]): ResumePoint | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const ev = events[i];
    if (!ev.type.endsWith('StateEntered')) continue;
    const details = ev.stateEnteredEventDetails as { name: string; input?: unknown };
    if (Object.prototype.hasOwnProperty.call(states, details.name)) {
      return { state: details.name, input: payload(details.input) ?? {}, variables: topLevelVariables(states, events, i) };
    }
  }
  return undefined;
}

function topLevelVariables(states: StateMachineDefinition['States'], events: readonly Event[], end: number): Record<string, JsonValue> {
  const variables: Record<string, JsonValue> = {};
  for (let i = 0; i < end; i++) {
    const ev = events[i];
    if (!ev.type.endsWith('StateExited')) continue;
    const details = ev.stateExitedEventDetails as { name: string; assignedVariables?: Record<string, unknown> } | undefined;
    if (!details?.assignedVariables || !Object.prototype.hasOwnProperty.call(states, details.name)) continue;
    // An event read back from GetExecutionHistory holds each value as JSON text; a recorded one may hold it parsed.
    for (const [name, value] of Object.entries(details.assignedVariables)) setField(variables, name, payload(value) ?? null);
  }
  return variables;
}
