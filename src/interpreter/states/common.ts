import type { JsonValue, QueryLanguage, StateDefinition, StateType, SubMachine } from '../../asl';
import type { HistoryEventType } from '../../asl/history-events';
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
  const events = EVENT_NAMES[def.Type];
  return {
    name,
    type: def.Type,
    enteredEvent: events.entered,
    exitedEvent: exits ? events.exited : undefined,
    failedEvent: events.failed,
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
  readonly entered: HistoryEventType;
  readonly exited: HistoryEventType | undefined;
  readonly failed: HistoryEventType | undefined;
}

/** The events each type of state writes, as AWS's model names them (a Fail state never exits). */
const EVENT_NAMES: { readonly [T in StateType]: EventNames } = {
  Task: { entered: 'TaskStateEntered', exited: 'TaskStateExited', failed: undefined },
  Pass: { entered: 'PassStateEntered', exited: 'PassStateExited', failed: undefined },
  Choice: { entered: 'ChoiceStateEntered', exited: 'ChoiceStateExited', failed: undefined },
  Wait: { entered: 'WaitStateEntered', exited: 'WaitStateExited', failed: undefined },
  Succeed: { entered: 'SucceedStateEntered', exited: 'SucceedStateExited', failed: undefined },
  Fail: { entered: 'FailStateEntered', exited: undefined, failed: undefined },
  Parallel: { entered: 'ParallelStateEntered', exited: 'ParallelStateExited', failed: 'ParallelStateFailed' },
  Map: { entered: 'MapStateEntered', exited: 'MapStateExited', failed: 'MapStateFailed' },
};

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
