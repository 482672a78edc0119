import { payload } from './payload';
import type { JsonValue, StateMachineDefinition } from '../../asl';
import { detailsOf, type EventLike } from '../../asl/history-events';
import { setField } from '../../asl/json-value';

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

/**
 * A history read an event at a time, with each state event's payloads as JSON
 * values: what a resume point needs of a history too long to render whole.
 */
export interface StateEventSource {
  readonly length: number;
  typeAt(index: number): string;
  /** The state a `…StateEntered` or `…StateExited` event at `index` names. */
  stateAt(index: number): string;
  /** The input of the `…StateEntered` event at `index`. */
  inputAt(index: number): JsonValue | undefined;
  /** The variables the `…StateExited` event at `index` assigned, if any. */
  assignedAt(index: number): Record<string, JsonValue> | undefined;
}

/**
 * The top-level state a redrive resumes at (the last one entered), the input
 * it was entered with and the variables it saw, as AWS's RedriveExecution
 * resumes it. Undefined when no top-level state was entered.
 */
export function resumePointOf(states: StateMachineDefinition['States'], events: readonly EventLike[] | StateEventSource): ResumePoint | undefined {
  const source = Array.isArray(events) ? fromEvents(events) : events as StateEventSource;
  for (let i = source.length - 1; i >= 0; i--) {
    if (!source.typeAt(i).endsWith('StateEntered')) continue;
    const name = source.stateAt(i);
    if (Object.prototype.hasOwnProperty.call(states, name)) {
      return { state: name, input: source.inputAt(i) ?? {}, variables: topLevelVariables(states, source, i) };
    }
  }
  return undefined;
}

function topLevelVariables(states: StateMachineDefinition['States'], source: StateEventSource, end: number): Record<string, JsonValue> {
  const variables: Record<string, JsonValue> = {};
  for (let i = 0; i < end; i++) {
    if (!source.typeAt(i).endsWith('StateExited')) continue;
    const assigned = source.assignedAt(i);
    if (!assigned || !Object.prototype.hasOwnProperty.call(states, source.stateAt(i))) continue;
    for (const [name, value] of Object.entries(assigned)) setField(variables, name, value);
  }
  return variables;
}

/** Events as GetExecutionHistory or a recording shows them, read as a source. */
function fromEvents(events: readonly EventLike[]): StateEventSource {
  const details = (i: number): Readonly<Record<string, unknown>> => detailsOf(events[i]) ?? {};
  return {
    length: events.length,
    typeAt: (i) => events[i].type,
    stateAt: (i) => details(i).name as string,
    inputAt: (i) => payload(details(i).input),
    assignedAt: (i) => {
      // A user's recording may hold anything here: only an object of variables is read.
      const assigned = details(i).assignedVariables;
      if (assigned === null || typeof assigned !== 'object') return undefined;
      // An event read back from GetExecutionHistory holds each value as JSON text; a recorded one may hold it parsed.
      const out: Record<string, JsonValue> = {};
      for (const [name, value] of Object.entries(assigned)) setField(out, name, payload(value) ?? null);
      return out;
    },
  };
}
