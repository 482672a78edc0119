import { setField } from './json-value';

/**
 * CloudFormation's DefinitionSubstitutions for a state machine definition:
 * each `${key}` whose key is listed is replaced; any other `${...}` text is
 * left alone, as CloudFormation leaves it (it may be literal data). Shared by
 * the CDK validation Aspect and the template extractor of the test harness.
 */

/** Replaces the listed `${key}`s in a definition string. @internal */
export function substituteText(text: string, substitutions: ReadonlyMap<string, string>): string {
  if (substitutions.size === 0) return text;
  return text.replace(/\$\{([^}]*)\}/g, (whole, key: string) => substitutions.get(key) ?? whole);
}

/** Replaces the listed `${key}`s in every string (keys included) of a definition object. @internal */
export function substituteValue(value: unknown, substitutions: ReadonlyMap<string, string>): unknown {
  if (substitutions.size === 0) return value;
  if (typeof value === 'string') return substituteText(value, substitutions);
  if (Array.isArray(value)) return value.map((v) => substituteValue(v, substitutions));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setField(out, substituteText(k, substitutions), substituteValue(v, substitutions));
    return out;
  }
  return value;
}
