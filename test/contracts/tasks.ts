import type { JsonValue } from '../../src/asl/definition-types';

/** A Task state of a definition, with where it is and the payload it sends. */
export interface TaskAt {
  readonly name: string;
  readonly resource: string;
  readonly language: 'JSONPath' | 'JSONata';
  readonly payload: JsonValue | undefined;
}

type Obj = Record<string, JsonValue>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every Task of a definition, in Parallel branches and Map processors too. */
export function tasksOf(definition: unknown, inherited: 'JSONPath' | 'JSONata' = 'JSONPath'): TaskAt[] {
  if (!isObj(definition) || !isObj(definition.States)) return [];
  const top = definition.QueryLanguage === 'JSONata' ? 'JSONata' : inherited;
  const out: TaskAt[] = [];
  for (const [name, state] of Object.entries(definition.States)) {
    if (!isObj(state)) continue;
    const language = state.QueryLanguage === 'JSONata' ? 'JSONata' : state.QueryLanguage === 'JSONPath' ? 'JSONPath' : top;
    if (state.Type === 'Task' && typeof state.Resource === 'string') {
      // A state with Arguments and no Parameters is written in JSONata whatever it declares.
      const jsonata = language === 'JSONata' || (state.Arguments !== undefined && state.Parameters === undefined);
      out.push({ name, resource: state.Resource, language: jsonata ? 'JSONata' : 'JSONPath', payload: jsonata ? state.Arguments : state.Parameters });
    }
    for (const branch of Array.isArray(state.Branches) ? state.Branches : []) out.push(...tasksOf(branch, top));
    for (const inner of [state.Iterator, state.ItemProcessor]) if (inner !== undefined) out.push(...tasksOf(inner, top));
  }
  return out;
}
