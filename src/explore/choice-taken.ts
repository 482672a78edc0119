import { evaluateCondition } from './conditions';
import { machineStates, type StateInfo } from './goals';
import { scopeValue } from './reads';
import { traceExecution, type ExecutionTrace } from './trace';
import { readVisits, variablesAt, type Visit } from './visits';
import type { JsonValue, StateMachineDefinition } from '../asl';
import { compileChoiceRule } from '../asl/choice';
import type { HistoryEvent } from '../asl/history-events';

/*
 * Which Choice branch a visit took when several lead to the state it went
 * to: the history names only the state, so the rules are evaluated again on
 * what the visit saw, in order. When one cannot be before one holds (it reads
 * what the history does not hold), the branch is unknown and no rule gets the
 * credit.
 */

/**
 * Rules that read the Context Object beyond what the history gives: the execution input, the time
 * it started (its ExecutionStarted event's), and the state's name and the time it was entered (its
 * entered event's). The rest (the execution's name, a task token) it does not hold.
 */
const OTHER_CONTEXT = /\$\$(?!\.(Execution\.(Input|StartTime)|State\.(Name|EnteredTime))\b)|\$states\.context(?!\.(Execution\.(Input|StartTime)|State\.(Name|EnteredTime))\b)/;

/**
 * Reads what an execution exercised (see traceExecution), deciding the
 * branch of each Choice visit that went where several branches lead by
 * evaluating its rules, JSONata Conditions included; `interrupt` is asked at
 * every step of those evaluations (see JsonataBindings.interrupt).
 * @internal
 */
export async function traceRun(
  definition: StateMachineDefinition | undefined, history: readonly HistoryEvent[], interrupt?: () => void,
): Promise<ExecutionTrace> {
  const trace = traceExecution(definition, history);
  if (trace.undecided.length === 0 || !definition) return trace;
  const states = machineStates(definition);
  const visits = readVisits(history);
  const started = history.find((e) => e.executionStartedEventDetails !== undefined)?.timestamp;
  const byEntered = new Map<number, Visit>();
  for (const v of visits.visits) byEntered.set(v.entered.id, v);
  for (const u of trace.undecided) {
    const v = byEntered.get(u.entered);
    const info = states.get(u.state);
    if (!v || !info) continue;
    const branch = started === undefined ? undefined : await branchTaken(info, v, visits.input, started, interrupt);
    if (branch !== undefined && u.candidates.includes(branch)) trace.choices.set(`${u.state}#${branch}`, (trace.choices.get(`${u.state}#${branch}`) ?? 0) + 1);
  }
  return trace;
}

/**
 * The branch a Choice visit took, by evaluating its rules in order on its
 * input (after InputPath), the Context Object the history gives (the execution
 * input, the time the execution started, the state's name and the time it was
 * entered, which `$now()` and `$millis()` give too) and its variables;
 * `undefined` when a rule cannot be evaluated on them.
 * @internal
 */
export async function branchTaken(
  info: StateInfo, v: Visit, executionInput: JsonValue, started: Date, interrupt?: () => void,
): Promise<number | 'default' | undefined> {
  const def = info.def;
  if (def.Type !== 'Choice') return undefined;
  // Rules are decided in order: those before the first that reads the rest of the Context Object still decide the branch
  // when one of them holds (`$polls >= $maxPolls` before a rule on `$states.context.Execution.StartTime`).
  const readsContext = (i: number): boolean => OTHER_CONTEXT.test(JSON.stringify(def.Choices[i]));
  const variables = variablesAt(v);
  // As AWS gives the times: ISO 8601 with milliseconds (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html).
  const context = {
    Execution: { Input: executionInput, StartTime: started.toISOString() },
    State: { Name: v.name, EnteredTime: v.entered.timestamp.toISOString() },
  };
  const otherwise = def.Default !== undefined ? 'default' as const : undefined;
  if (info.language === 'JSONata') {
    const now = v.entered.timestamp.getTime();
    for (let i = 0; i < def.Choices.length; i++) {
      if (readsContext(i)) return undefined;
      const holds = await evaluateCondition(def.Choices[i].Condition, i, [], { input: v.input, context, variables }, now, interrupt);
      if (holds instanceof Error) return undefined;
      if (holds) return i;
    }
    return otherwise;
  }
  const input = scopeValue(v, info, 'input', executionInput);
  if (input === undefined) return undefined;
  const reader = { get: (name: string): JsonValue | undefined => (Object.hasOwn(variables, name) ? variables[name] : undefined) };
  try {
    for (let i = 0; i < def.Choices.length; i++) {
      if (readsContext(i)) return undefined;
      if (compileChoiceRule(def.Choices[i], `/States/${info.name}/Choices/${i}`)({ input, context, variables: reader })) return i;
    }
  } catch {
    return undefined;
  }
  return otherwise;
}
