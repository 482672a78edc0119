import type { JsonValue } from '../definition-types';

/**
 * Renders a value the way States.Format prints it on AWS. Strings print as
 * they are; objects and arrays print as Java's Map/List `toString()` does
 * (`{Arg1=1, Arg2=[]}`, `[1, 2]`), with strings inside them unquoted, as the
 * recordings show.
 * @internal
 */
export function formatValue(value: JsonValue): string {
  if (typeof value === 'string') return value;
  return renderNested(value);
}

function renderNested(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(renderNested).join(', ')}]`;
  const entries = Object.entries(value).map(([k, v]) => `${k}=${renderNested(v)}`);
  return `{${entries.join(', ')}}`;
}
