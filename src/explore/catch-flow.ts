import { resultPath } from './abstract-jsonpath';
import { ANY, ANY_STRING, NOTHING, UNDEF, isEmpty, join, type AbstractScope, type AbstractValue } from './abstract-values';
import type { Facts } from './assume';
import type { StateInfo } from './goals';
import type { FlowEnd } from './report-types';
import { predecessorsOf } from './shapes';
import type { Catcher, JsonValue } from '../asl';
import { StatesErrors } from '../asl/states-errors';

/*
 * What a Catch brings to the state it leads to, for the proofs by the flow of values
 * (flow-proofs.ts): the error output of one of the errors its ErrorEquals names, where the
 * catcher puts it.
 */

/** The values at the entry of a state (flow-proofs.ts `Flow`). */
interface Flow {
  readonly input: AbstractValue;
  readonly variables: ReadonlyMap<string, AbstractValue>;
  readonly facts?: Facts;
}

/** Every value a field of a JSONata state can give (flow-proofs.ts `template`); undefined when none is left. */
type Evaluate = (tpl: JsonValue, field: string, scope: AbstractScope, state: string, ends: FlowEnd[]) => AbstractValue | undefined;

/**
 * When every way into `name` is a Catch, which: `entered only through the Catch of 'Charge' (ErrorEquals
 * Payment.Declined)`, which tells where the error a rule reads comes from; else undefined.
 */
export function caughtInto(states: ReadonlyMap<string, StateInfo>, name: string): string | undefined {
  const ways = predecessorsOf(states).get(name) ?? [];
  if (ways.length === 0 || ways.some((w) => !w.catch) || states.get(name)?.scopeStart === name) return undefined;
  const words = ways.slice(0, 3).map(({ from }) => {
    const catchers = ((states.get(from)?.def as { Catch?: readonly Catcher[] }).Catch ?? []).filter((c) => c?.Next === name);
    const names = catchers.flatMap((c) => (Array.isArray(c.ErrorEquals) ? c.ErrorEquals : []));
    return `the Catch of '${from}' (ErrorEquals ${[...new Set(names)].join(', ')})`;
  });
  return `it is entered only through ${words.join(' or ')}${ways.length > 3 ? ' and more' : ''}`;
}

/** The ErrorEquals names that take more than their own name (errorMatches in asl/error-rules.ts). */
const WILDCARDS: ReadonlySet<string> = new Set([StatesErrors.ALL, StatesErrors.TASK_FAILED]);

/**
 * What a Catch brings to its Next: the state's input with the error output (`{Error, Cause}`)
 * placed at the catcher's ResultPath (JSONPath), or its Output over `$states.errorOutput`
 * (JSONata), and the variables with the catcher's Assign. The error's name is one of the
 * catcher's ErrorEquals (an error no name there matches does not pass it), any name when it
 * lists a wildcard (`States.ALL`, `States.TaskFailed`); the cause is any string, or none.
 * Anything where the catcher is not as ASL writes one.
 */
export function catchFlow(info: StateInfo, c: Catcher, flow: Flow, template: Evaluate): Flow {
  const anything: Flow = { input: ANY, variables: new Map() };
  const names = c.ErrorEquals;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) return anything;
  const error: AbstractValue = names.some((n) => WILDCARDS.has(n)) ? ANY_STRING : { ...NOTHING, str: { only: [...new Set(names)] } };
  const errorOutput: AbstractValue = { ...NOTHING, obj: { fields: new Map([['Error', error], ['Cause', join(ANY_STRING, UNDEF)]]), rest: UNDEF } };
  const ends: FlowEnd[] = [];
  const catcher = c as Catcher & { Output?: JsonValue; Assign?: JsonValue; ResultPath?: string | null };
  const assign = catcher.Assign;
  if (assign !== undefined && (assign === null || typeof assign !== 'object' || Array.isArray(assign))) return anything;
  if (info.language !== 'JSONata') {
    const input = resultPath(catcher.ResultPath, flow.input, errorOutput, () => undefined);
    const variables = new Map(flow.variables);
    // A JSONPath Assign names a variable set from a path or an intrinsic function `name.$`: not followed.
    for (const k of Object.keys(assign ?? {})) variables.delete(k.length > 2 && k.endsWith('.$') ? k.slice(0, -2) : k);
    return isEmpty(input) ? anything : { input, variables };
  }
  const scope: AbstractScope = { states: { input: flow.input, errorOutput }, variables: flow.variables, facts: flow.facts };
  const variables = new Map(flow.variables);
  for (const [k, v] of Object.entries((assign ?? {}) as Record<string, JsonValue>)) {
    const value = template(v, `Assign.${k}`, scope, info.name, ends);
    if (value === undefined) return anything;
    variables.set(k, value);
  }
  const output = catcher.Output !== undefined ? template(catcher.Output, 'Output', scope, info.name, ends) : errorOutput;
  return output === undefined ? anything : { input: output, variables };
}
