import type { CompiledMachine, CompiledState } from './engine';
import { JSONATA_COMPILERS, jsonataSupport } from './jsonata-states';
import { DefinitionError } from '../asl/errors';
import type { QueryLanguage, StateDefinition, StateMachineDefinition, SubMachine } from '../asl/types';
import { compileChoice } from './states/choice';
import type { CompileContext } from './states/common';
import { compileFail } from './states/fail';
import { compileMap } from './states/map';
import { compileParallel } from './states/parallel';
import { compilePass } from './states/pass';
import { compileSucceed } from './states/succeed';
import { compileTask } from './states/task';
import { compileWait } from './states/wait';

type StateCompiler = (name: string, def: never, ctx: CompileContext) => CompiledState;

const COMPILERS: Record<string, StateCompiler> = {
  Pass: compilePass,
  Task: compileTask,
  Choice: compileChoice,
  Wait: compileWait,
  Succeed: compileSucceed,
  Fail: compileFail,
  Parallel: compileParallel,
  Map: compileMap,
};


/**
 * Compiles a (sub)machine: every state into closures, every transition checked.
 * Throws a DefinitionError naming the state and field that cannot run.
 * @internal
 */
export function compileMachine(def: SubMachine | StateMachineDefinition, location: string, language: QueryLanguage): CompiledMachine {
  const states = new Map<string, CompiledState>();
  const prefix = location === '' ? '' : location;
  if (def === null || typeof def !== 'object' || typeof def.States !== 'object' || def.States === null) {
    throw new DefinitionError('SCHEMA_VALIDATION_FAILED', `${prefix}/States`, "'States' must be an object of named states");
  }
  if (typeof def.StartAt !== 'string' || !(def.StartAt in def.States)) {
    throw new DefinitionError('MISSING_TRANSITION_TARGET', `${prefix}/StartAt`, `StartAt names '${String(def.StartAt)}', which is not a state here. Use one of: ${Object.keys(def.States).join(', ')}`);
  }
  for (const [name, stateDef] of Object.entries(def.States)) {
    const stateLocation = `${prefix}/States/${escapePointer(name)}`;
    const state = stateDef as StateDefinition;
    const stateLanguage: QueryLanguage = state.QueryLanguage ?? language;
    if (language === 'JSONata' && stateLanguage === 'JSONPath') {
      throw new DefinitionError('SCHEMA_VALIDATION_FAILED', `${stateLocation}/QueryLanguage`, `State '${name}' uses JSONPath inside a JSONata state machine; AWS allows JSONata states in a JSONPath machine, not the reverse. Remove its QueryLanguage or set the machine's QueryLanguage to JSONPath`);
    }
    checkTransitions(name, state, def.States, stateLocation);
    const compiler = stateLanguage === 'JSONata' ? JSONATA_COMPILERS[state.Type] as StateCompiler | undefined : COMPILERS[state.Type];
    if (!compiler) {
      throw new DefinitionError('SCHEMA_VALIDATION_FAILED', `${stateLocation}/Type`, `Unknown state type '${String(state.Type)}'. Use one of: ${Object.keys(COMPILERS).join(', ')}`);
    }
    const ctx: CompileContext = {
      location: stateLocation,
      language: stateLanguage,
      compileSubMachine: (sub, subLocation, subLanguage) => compileMachine(sub, subLocation, sub.QueryLanguage ?? subLanguage),
      jsonata: stateLanguage === 'JSONata' ? jsonataSupport : undefined,
    };
    try {
      states.set(name, compiler(name, state as never, ctx));
    } catch (e) {
      if (e instanceof DefinitionError) throw e;
      throw new DefinitionError('SCHEMA_VALIDATION_FAILED', stateLocation, `State '${name}' cannot run: ${(e as Error).message}`);
    }
  }
  return { startAt: def.StartAt, states };
}

function checkTransitions(name: string, state: StateDefinition, states: Record<string, StateDefinition>, location: string): void {
  const target = (value: unknown, field: string) => {
    if (typeof value !== 'string' || !(value in states)) {
      throw new DefinitionError('MISSING_TRANSITION_TARGET', `${location}/${field}`, `State '${name}' moves to '${String(value)}', which is not a state in the same scope`);
    }
  };
  const terminal = state.Type === 'Succeed' || state.Type === 'Fail' || state.Type === 'Choice';
  if (!terminal) {
    if (state.End === true && state.Next !== undefined) {
      throw new DefinitionError('SCHEMA_VALIDATION_FAILED', `${location}/Next`, `State '${name}' has both Next and End; keep one`);
    }
    if (state.End !== true) {
      if (state.Next === undefined) throw new DefinitionError('MISSING_TRANSITION_TARGET', `${location}/Next`, `State '${name}' has neither Next nor End; add "Next": "<state>" or "End": true`);
      target(state.Next, 'Next');
    }
  }
  if (state.Type === 'Choice') {
    if (!Array.isArray(state.Choices) || state.Choices.length === 0) {
      throw new DefinitionError('SCHEMA_VALIDATION_FAILED', `${location}/Choices`, `Choice state '${name}' needs a non-empty Choices array`);
    }
    state.Choices.forEach((c, i) => target(c.Next, `Choices/${i}/Next`));
    if (state.Default !== undefined) target(state.Default, 'Default');
  }
  (state.Catch ?? []).forEach((c, i) => target(c.Next, `Catch/${i}/Next`));
}

/** Escapes a state name for a JSON pointer (RFC 6901). @internal */
export function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
