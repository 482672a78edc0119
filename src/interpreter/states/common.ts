import type { JsonValue, QueryLanguage, StateDefinition, SubMachine } from '../../asl';
import { remember } from '../../asl/memo';
import type { CompiledCatcher, CompiledMachine, CompiledState, PlainStep } from '../engine';
import { compileRetrier, type CompiledRetrier } from '../retry';
import type { AttemptResult, StateCall } from '../runtime';
import { compileJsonPathCatcher } from './catch';

/** What a state compiler is given; it holds for the compiler's call alone (compileMachine moves it to the next state), so no compiled part keeps it. @internal */
export interface CompileContext {
  /** JSON pointer of the state, e.g. `/States/Charge`. */
  readonly location: string;
  /** The query language in force for this state. */
  readonly language: QueryLanguage;
  /** Compiles the JSONata parts of a state, when it is a JSONata state. */
  readonly jsonata: JsonataSupport | undefined;
  /** Compiles a Parallel branch or Map item processor; its states inherit the top-level machine's QueryLanguage. */
  compileSubMachine(def: SubMachine, location: string): CompiledMachine;
}

/** The JSONata layer, plugged in by the compiler. @internal */
export interface JsonataSupport {
  /** `index` is the catcher's place in `Catch`: AWS names its fields `Catch[index]/Output/...`. */
  compileCatcher(c: NonNullable<StateDefinition['Catch']>[number], index: number): CompiledCatcher;
}

/** The parts every state compiler fills in the same way. @internal */
export function baseState(
  name: string,
  def: StateDefinition,
  ctx: CompileContext,
  attempt: (input: JsonValue, call: StateCall) => AttemptResult | Promise<AttemptResult>,
  exits = true,
  plain?: PlainStep,
): CompiledState {
  // Most states have neither: they share one empty list instead of keeping one each.
  const retriers: readonly CompiledRetrier[] = def.Retry?.length ? def.Retry.map(compileRetrier) : NONE;
  const catchers: readonly CompiledCatcher[] = def.Catch?.length
    ? def.Catch.map((c, i) =>
      ctx.language === 'JSONata' && ctx.jsonata
        ? ctx.jsonata.compileCatcher(c, i)
        : compileJsonPathCatcher(c))
    : NONE;
  const events = eventNames(def.Type);
  return {
    name,
    type: def.Type,
    enteredEvent: events.entered,
    exitedEvent: exits ? events.exited : undefined,
    failedEvent: def.Type === 'Parallel' || def.Type === 'Map' ? events.failed : undefined,
    retriers,
    catchers,
    retriable: def.Type === 'Task' || def.Type === 'Parallel' || def.Type === 'Map',
    attempt: def.Type === 'Parallel' || def.Type === 'Map' ? freshChildren(attempt) : attempt,
    plain,
    following: undefined,
  };
}

const NONE: readonly never[] = Object.freeze([]);

interface EventNames {
  readonly entered: string;
  readonly exited: string;
  readonly failed: string;
}

/** `TaskStateEntered`, ... built once per state type, not once per state. */
const EVENT_NAMES = new Map<string, EventNames>();
function eventNames(type: string): EventNames {
  return remember(EVENT_NAMES, type, namesOf);
}

function namesOf(type: string): EventNames {
  return { entered: `${type}StateEntered`, exited: `${type}StateExited`, failed: `${type}StateFailed` };
}

/**
 * What a top-level Map or Parallel keeps of its children for a redrive
 * (`ExecutionRuntime.completedChildren`) belongs to its latest attempt: a retry,
 * or the state entered again, starts without what an earlier attempt kept.
 */
function freshChildren(
  attempt: (input: JsonValue, call: StateCall) => AttemptResult | Promise<AttemptResult>,
): (input: JsonValue, call: StateCall) => AttemptResult | Promise<AttemptResult> {
  return (input, call) => {
    if (call.frame.group === undefined) call.frame.rt.completedChildren = undefined;
    return attempt(input, call);
  };
}

/** The state's successor: `undefined` when it ends its machine. @internal */
export function nextOf(def: StateDefinition): string | undefined {
  return def.End === true ? undefined : def.Next;
}
