import type { JsonValue, MapState, StateDefinition, StateMachineDefinition, SubMachine } from './definition-types';
import { fieldOf } from './own';
import { escapePointerSegment } from './pointer';

/**
 * The states of a definition form a tree: a Parallel state holds its
 * branches, a Map state its item processor, each a machine of states of its
 * own. This is the one walk of that tree; render, explore, cost, iam, the
 * harness and replay read definitions through it.
 */

/**
 * What {@link isWalkable} checks of a value, and no more: an object whose `States` is an object.
 * Every other field (StartAt, QueryLanguage, each state) is as the user's file holds it, unchecked.
 * @internal
 */
export interface WalkableDefinition {
  readonly States: object;
  readonly [field: string]: unknown;
}

/**
 * A machine of states where the walk stands: the definition, a Parallel branch or a Map's item
 * processor. A walk of a {@link WalkableDefinition} stands in machines of which it knows only that
 * they are objects (`Machine` is then `Readonly<Record<string, unknown>>`).
 * @internal
 */
export interface StateScope<Machine = StateMachineDefinition | SubMachine> {
  readonly machine: Machine;
  /** JSON pointer of the machine: `''` for the definition, `/States/P/Branches/0`, `/States/M/ItemProcessor`. */
  readonly pointer: string;
  /** The scope of the state that holds this machine; undefined for the definition. */
  readonly parent: StateScope<Machine> | undefined;
  /** The Parallel and Map states that hold this machine, outermost first; empty for the definition. */
  readonly enclosing: readonly string[];
  /** The Parallel or Map state that holds this machine directly (the last of `enclosing`). */
  readonly owner: string | undefined;
  /** For a Parallel's branch, its index; undefined for the definition and an item processor. */
  readonly branch: number | undefined;
  /** Machines between this one and the definition: 0 for the definition. */
  readonly depth: number;
}

/** Options of {@link forEachState}. @internal */
export interface WalkOptions {
  /**
   * The deepest machine visited (0 is the definition): states nested deeper are
   * left out, so a user's file cannot recurse without bound.
   * @default - no bound
   */
  readonly maxDepth?: number;
}

/**
 * True for a value the walks below can take: an object whose `States` is an object. A definition
 * from a user's file may hold anything else: the walks skip what is not a state, and a reader
 * still checks each field's value.
 * @internal
 */
export function isWalkable(definition: unknown): definition is WalkableDefinition {
  if (definition === null || typeof definition !== 'object') return false;
  const states = fieldOf(definition, 'States');
  return states !== null && typeof states === 'object';
}

/**
 * A state's field by name, as the definition's JSON holds it (only its own fields: `constructor` is
 * no field): for readers that go over fields by name, such as explore's reads and TestState's
 * stand-ins. The state types name the fields AWS defines; every value of a definition is JSON.
 * @internal
 */
export function stateField(state: StateDefinition, field: string): JsonValue | undefined {
  // The state types are interfaces of named fields, with no index by any name: a field read by a
  // name only known at run time is read as reflection reads it.
  if (!Object.hasOwn(state, field)) return undefined;
  // eslint-disable-next-line no-restricted-syntax -- a definition's fields are JSON (its types say so of each), read by a name known at run time
  const value: JsonValue | undefined = Reflect.get(state, field);
  return value;
}

/** The item processor of a Map state: `ItemProcessor`, or `Iterator` as older definitions call it. @internal */
export function processorOf(map: MapState): SubMachine | undefined {
  return map.ItemProcessor ?? map.Iterator;
}

/** True for a Map whose item processor runs DISTRIBUTED (its iterations are child executions). @internal */
export function isDistributedMap(map: MapState): boolean {
  return processorOf(map)?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

/**
 * True for a Map that declares a tolerated failure threshold (`ToleratedFailureCount`,
 * `ToleratedFailurePercentage` or their `…Path` forms): past it, the Map fails with
 * `States.ExceedToleratedFailureThreshold` (Tolerated failure threshold page). @internal
 */
export function declaresTolerance(map: MapState): boolean {
  return MAP_TOLERANCE_FIELDS.some((k) => Object.hasOwn(map, k));
}

const MAP_TOLERANCE_FIELDS = ['ToleratedFailureCount', 'ToleratedFailurePercentage', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath'] as const satisfies readonly (keyof MapState)[];

/** The machines a state holds: a Parallel's branches, a Map's item processor, or none. @internal */
export function childMachines(state: StateDefinition): readonly SubMachine[] {
  if (state.Type === 'Parallel') return Array.isArray(state.Branches) ? state.Branches : [];
  if (state.Type === 'Map') {
    const processor = processorOf(state);
    return isObject(processor) ? [processor] : [];
  }
  return [];
}

/**
 * Visits every state of a definition, in definition order, each nested state
 * right after the Parallel or Map that holds it. A definition that is not
 * well formed (no States object, a state or branch that is not an object) is
 * walked as far as it goes, never thrown on. A {@link WalkableDefinition}, not yet checked, is
 * walked the same: each machine it stands in is then known only to be an object whose `States` may
 * be anything, and each state it visits only to be an object (a reader checks each field it reads).
 * @internal
 */
export function forEachState<Definition extends StateMachineDefinition | SubMachine | WalkableDefinition>(
  definition: Definition,
  visit: (name: string, state: StateDefinition, scope: StateScope<Definition | SubMachine>) => void,
  options: WalkOptions = {},
): void {
  const maxDepth = options.maxDepth ?? Infinity;
  const walk = (scope: StateScope<Definition | SubMachine>): void => {
    const states = scope.machine.States as Record<string, StateDefinition> | undefined;
    if (!isObject(states)) return;
    for (const [name, state] of Object.entries(states)) {
      if (!isObject(state)) continue;
      visit(name, state, scope);
      if (scope.depth >= maxDepth || (state.Type !== 'Parallel' && state.Type !== 'Map')) continue;
      const at = statePointer(scope, name);
      const enclosing = [...scope.enclosing, name];
      const inner = (machine: SubMachine, pointer: string, branch: number | undefined): void => {
        if (isObject(machine)) walk({ machine, pointer, parent: scope, enclosing, owner: name, branch, depth: scope.depth + 1 });
      };
      if (state.Type === 'Parallel') {
        if (Array.isArray(state.Branches)) state.Branches.forEach((b, i) => inner(b, `${at}/Branches/${i}`, i));
      } else {
        const processor = processorOf(state);
        if (processor) inner(processor, `${at}/${state.ItemProcessor ? 'ItemProcessor' : 'Iterator'}`, undefined);
      }
    }
  };
  if (isObject(definition)) walk({ machine: definition, pointer: '', parent: undefined, enclosing: [], owner: undefined, branch: undefined, depth: 0 });
}

/** The JSON pointer of a state the walk visited: `/States/P/Branches/0/States/B`. @internal */
export function statePointer(scope: Pick<StateScope, 'pointer'>, name: string): string {
  return `${scope.pointer}/States/${escapePointerSegment(name)}`;
}

/**
 * Every state of a definition by name, including those inside Parallel
 * branches and Map item processors (ASL names are unique machine-wide), in
 * definition order.
 * @internal
 */
export function allStates(definition: StateMachineDefinition | SubMachine, options: WalkOptions = {}): Map<string, StateDefinition> {
  const out = new Map<string, StateDefinition>();
  forEachState(definition, (name, state) => out.set(name, state), options);
  return out;
}

function isObject<T>(value: T | null | undefined): value is T {
  return value !== null && typeof value === 'object';
}
