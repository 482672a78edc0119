/*
 * The query language of a state machine and of each of its states. `QueryLanguage` is optional on
 * the machine and on each state; a state that names none runs in its machine's, and a machine that
 * names none in JSONPath (https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html).
 */
import type { QueryLanguage } from './definition-types';

/** The query languages AWS allows, in the order its messages name them. @internal */
export const QUERY_LANGUAGES: readonly QueryLanguage[] = ['JSONPath', 'JSONata'];

/** A machine's query language when it names none, and so each of its states'. @internal */
export const DEFAULT_QUERY_LANGUAGE: QueryLanguage = 'JSONPath';

/** The language a state runs in: its own `QueryLanguage`, else its machine's, else {@link DEFAULT_QUERY_LANGUAGE}. @internal */
export function queryLanguageOf(
  state: { readonly QueryLanguage?: QueryLanguage } | undefined, machine: { readonly QueryLanguage?: QueryLanguage } | undefined,
): QueryLanguage {
  return state?.QueryLanguage ?? machine?.QueryLanguage ?? DEFAULT_QUERY_LANGUAGE;
}
