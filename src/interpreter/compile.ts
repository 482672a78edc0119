import type { CompiledMachine, CompiledState } from './engine';
import type { QueryLanguage, StateDefinition, StateMachineDefinition, SubMachine } from '../asl';
import { escapePointerSegment } from '../asl/pointer';
import { DEFAULT_QUERY_LANGUAGE } from '../asl/query-language';
import { DefinitionError } from '../asl/states-errors';
import { compileChoice } from './states/choice';
import { nextOf, type CompileContext, type JsonataSupport } from './states/common';
import { compileFail } from './states/fail';
import { compilePass } from './states/pass';
import { compileSucceed } from './states/succeed';

type StateCompiler = (name: string, def: never, ctx: CompileContext) => CompiledState;
type JsonataStates = typeof import('./jsonata-states');

let jsonataStates: JsonataStates | undefined;
/**
 * The JSONata state compilers, with the JSONata engine behind them, loaded
 * the first time a machine has a JSONata state: a JSONPath machine never
 * pays for loading them (about half of what importing the interpreter costs).
 */
function jsonataLayer(): JsonataStates {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
  return jsonataStates ??= require('./jsonata-states') as JsonataStates;
}

/*
 * Task, Wait, Parallel and Map are loaded with the first machine that has one, as the JSONata
 * layer is: Map alone brings the item readers, the result writer and node:zlib, and a process
 * that imports the interpreter to run a few Pass and Choice states (a cold start, a CLI command)
 * pays for none of them. Each is required once: `require` of a loaded module still resolves its
 * path, which 5,000 Task states would pay 5,000 times.
 */
let taskCompiler: StateCompiler | undefined;
let waitCompiler: StateCompiler | undefined;
let parallelCompiler: StateCompiler | undefined;
let mapCompiler: StateCompiler | undefined;
/* eslint-disable @typescript-eslint/no-require-imports -- synchronous loads, deferred to first use */
const COMPILERS: Record<string, () => StateCompiler> = {
  Pass: () => compilePass,
  Task: () => taskCompiler ??= (require('./states/task') as typeof import('./states/task')).compileTask,
  Choice: () => compileChoice,
  Wait: () => waitCompiler ??= (require('./states/wait') as typeof import('./states/wait')).compileWait,
  Succeed: () => compileSucceed,
  Fail: () => compileFail,
  Parallel: () => parallelCompiler ??= (require('./states/parallel') as typeof import('./states/parallel')).compileParallel,
  Map: () => mapCompiler ??= (require('./states/map') as typeof import('./states/map')).compileMap,
};
/* eslint-enable @typescript-eslint/no-require-imports */


/** Compiles a whole state machine, in its QueryLanguage (JSONPath when it names none). @internal */
export function compileTopMachine(def: StateMachineDefinition): CompiledMachine {
  return compileMachine(def, '', def.QueryLanguage ?? DEFAULT_QUERY_LANGUAGE);
}

/**
 * Compiles a (sub)machine: every state into closures. Structure (StartAt,
 * Next/End, transition targets, state types, query-language fields) is the
 * static validator's job, which `compileStateMachine` runs first; only what a
 * closure needs in order to be built is checked here. Throws a
 * DefinitionError naming the state and field that cannot run.
 *
 * `language` is the top-level machine's QueryLanguage; nested machines are
 * compiled with it too, and each state's own QueryLanguage overrides it.
 * @internal
 */
export function compileMachine(def: SubMachine | StateMachineDefinition, location: string, language: QueryLanguage): CompiledMachine {
  const states = new Map<string, CompiledState>();
  const prefix = location === '' ? '' : location;
  if (def === null || typeof def !== 'object' || typeof def.States !== 'object' || def.States === null) {
    throw new DefinitionError('SCHEMA_VALIDATION_FAILED', `${prefix}/States`, "'States' must be an object of named states");
  }
  // States in a Parallel branch or Map item processor inherit the top-level
  // machine's QueryLanguage, not their container's (measured on AWS); a branch
  // or processor cannot declare one (the validator refuses it).
  const compileSubMachine = (sub: SubMachine, subLocation: string): CompiledMachine => compileMachine(sub, subLocation, language);
  const definitions = def.States as Record<string, StateDefinition>;
  const names = Object.keys(definitions);
  // One context for the states of this (sub)machine, moved from state to state: no compiler keeps
  // it, and its location is made only for the few that read it (a Choice, a Parallel, a Map, an error).
  const ctx = new StateContext(prefix, compileSubMachine);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const state = definitions[name];
    const stateLanguage: QueryLanguage = state.QueryLanguage ?? language;
    const jsonataStateLayer = stateLanguage === 'JSONata' ? jsonataLayer() : undefined;
    const compiler = jsonataStateLayer
      ? jsonataStateLayer.JSONATA_COMPILERS[state.Type] as StateCompiler | undefined
      : Object.hasOwn(COMPILERS, state.Type) ? COMPILERS[state.Type]() : undefined;
    if (!compiler) {
      throw new DefinitionError('SCHEMA_VALIDATION_FAILED', `${stateLocationOf(prefix, name)}/Type`, `Unknown state type '${String(state.Type)}'. Use one of: ${Object.keys(COMPILERS).join(', ')}`);
    }
    ctx.moveTo(name, stateLanguage, jsonataStateLayer?.jsonataSupport);
    try {
      states.set(name, compiler(name, state as never, ctx));
    } catch (e) {
      if (e instanceof DefinitionError) throw e;
      throw new DefinitionError('SCHEMA_VALIDATION_FAILED', stateLocationOf(prefix, name), `State '${name}' cannot run: ${(e as Error).message}`);
    }
  }
  // A plain state goes straight on to its successor, found here once rather than by name on every transition.
  for (let i = 0; i < names.length; i++) {
    const state = states.get(names[i])!;
    const next = nextOf(definitions[names[i]]);
    if (state.plain !== undefined && next !== undefined) {
      state.following = states.get(next);
      // Only a successor the validator would refuse is missing: that state then runs the common way, which reports it.
      if (state.following === undefined) states.set(names[i], { ...state, plain: undefined });
    }
  }
  return { startAt: def.StartAt, states, start: states.get(def.StartAt)! };
}

function stateLocationOf(prefix: string, name: string): string {
  return `${prefix}/States/${escapePointerSegment(name)}`;
}

/** The CompileContext of the state being compiled (see compileMachine). */
class StateContext implements CompileContext {
  declare private name: string;
  declare public language: QueryLanguage;
  declare public jsonata: JsonataSupport | undefined;
  declare private readonly prefix: string;
  declare public readonly compileSubMachine: (def: SubMachine, location: string) => CompiledMachine;
  constructor(prefix: string, compileSubMachine: (def: SubMachine, location: string) => CompiledMachine) {
    this.prefix = prefix;
    this.compileSubMachine = compileSubMachine;
    this.name = '';
    this.language = 'JSONPath';
    this.jsonata = undefined;
  }
  get location(): string {
    return stateLocationOf(this.prefix, this.name);
  }
  moveTo(name: string, language: QueryLanguage, jsonata: JsonataSupport | undefined): void {
    this.name = name;
    this.language = language;
    this.jsonata = jsonata;
  }
}
