import {
  compileStateMachine, VirtualClock,
  type CompileOptions, type ExecutionResult, type HistoryEvent, type JsonValue, type StartOptions, type StateMachineDefinition,
} from '../../src/interpreter';

/** 2024-01-01T00:00:00.000Z, where every VirtualClock starts by default. */
export const T0 = Date.UTC(2024, 0, 1);

/** ISO time `seconds` after T0, as history and the Context Object print it. */
export function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString();
}

/** Compiles and runs one execution to its end. */
export async function run(
  definition: StateMachineDefinition | Record<string, unknown>,
  input: JsonValue = {},
  options: CompileOptions = {},
  start: StartOptions = {},
): Promise<ExecutionResult> {
  return compileStateMachine(definition as StateMachineDefinition, options).start(input, start).result;
}

/** A machine of one state (named `S`) that ends the execution. */
export function single(state: Record<string, unknown>, extra: Record<string, unknown> = {}): StateMachineDefinition {
  const terminal = state.Type === 'Succeed' || state.Type === 'Fail' || state.Type === 'Choice';
  return { StartAt: 'S', States: { S: terminal ? state : { End: true, ...state } }, ...extra } as unknown as StateMachineDefinition;
}

/** The output of a run that must have succeeded. */
export async function outputOf(
  definition: StateMachineDefinition | Record<string, unknown>,
  input: JsonValue = {},
  options: CompileOptions = {},
  start: StartOptions = {},
): Promise<JsonValue | undefined> {
  const r = await run(definition, input, options, start);
  if (r.status !== 'SUCCEEDED') throw new Error(`expected SUCCEEDED, got ${r.status}: ${r.error} ${r.cause}`);
  return r.output;
}

/** Error and cause of a run that must have failed. */
export async function failureOf(
  definition: StateMachineDefinition | Record<string, unknown>,
  input: JsonValue = {},
  options: CompileOptions = {},
  start: StartOptions = {},
): Promise<{ error: string | undefined; cause: string | undefined }> {
  const r = await run(definition, input, options, start);
  if (r.status !== 'FAILED') throw new Error(`expected FAILED, got ${r.status}: ${JSON.stringify(r.output)}`);
  return { error: r.error, cause: r.cause };
}

/** The event types of a history, in order. */
export function types(history: readonly HistoryEvent[]): string[] {
  return history.map((e) => e.type);
}

/** The first event of a type. */
export function eventOf(history: readonly HistoryEvent[], type: string, nth = 0): HistoryEvent {
  const found = history.filter((e) => e.type === type)[nth];
  if (!found) throw new Error(`no ${type} event #${nth} in ${types(history).join(', ')}`);
  return found;
}

/** Seconds since T0 of an event. */
export function secondsOf(event: HistoryEvent): number {
  return (event.timestamp.getTime() - T0) / 1000;
}

/** A fresh virtual clock at T0. */
export function clock(): VirtualClock {
  return new VirtualClock({ start: T0 });
}

/** Lets pending promise callbacks and immediates run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:fn';
