import type { ChoiceRule, JsonValue } from '../asl';

/** Comparison operators in words; a `…Path` variant compares with another field. */
const COMPARISONS: Array<[suffix: string, symbol: string]> = [
  ['GreaterThanEquals', '>='],
  ['LessThanEquals', '<='],
  ['GreaterThan', '>'],
  ['LessThan', '<'],
  ['Equals', '=='],
  ['Matches', 'matches'],
];

const KINDS = ['String', 'Numeric', 'Boolean', 'Timestamp'];

/**
 * Type tests: `IsNull: true` reads `x is null`, `IsNull: false` reads `x is not null`.
 * A `Map`: a rule's keys are the definition's strings, and `toString` is no test.
 */
const TESTS = new Map<string, string>([
  ['IsNull', 'null'],
  ['IsPresent', 'present'],
  ['IsNumeric', 'numeric'],
  ['IsString', 'a string'],
  ['IsBoolean', 'a boolean'],
  ['IsTimestamp', 'a timestamp'],
]);

/** Longest rule text on an edge; longer ones end in an ellipsis (the full rule is in the definition). */
const MAX_RULE_LENGTH = 80;

/**
 * A JSONPath as people read it: `$.order.total` → `order.total`; the
 * Context Object and variables keep their sigils.
 */
function field(path: unknown): string {
  if (typeof path !== 'string') return '?';
  if (path === '$') return 'input';
  if (path.startsWith('$.')) return path.slice(2);
  return path;
}

function literal(value: JsonValue | undefined): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
}

function words(rule: ChoiceRule, nested: boolean): string {
  if (typeof rule !== 'object' || rule === null) return '?';
  if (rule.Condition !== undefined) {
    const c = rule.Condition;
    if (typeof c !== 'string') return String(c);
    const m = /^\{%([\s\S]*)%\}$/.exec(c.trim());
    return (m ? m[1] : c).trim();
  }
  const group = (list: unknown, joiner: string): string => {
    const parts = (Array.isArray(list) ? list as ChoiceRule[] : []).map((r) => words(r, true));
    const text = parts.join(` ${joiner} `);
    return nested && parts.length > 1 ? `(${text})` : text;
  };
  if (rule.And !== undefined) return group(rule.And, 'and');
  if (rule.Or !== undefined) return group(rule.Or, 'or');
  if (rule.Not !== undefined) return `not ${words(rule.Not, true)}`;
  const variable = field(rule.Variable);
  for (const key of Object.keys(rule)) {
    const test = TESTS.get(key);
    if (test !== undefined) return `${variable} is ${rule[key] === false ? 'not ' : ''}${test}`;
    for (const kind of KINDS) {
      if (!key.startsWith(kind)) continue;
      const rest = key.slice(kind.length);
      const isPath = rest.endsWith('Path');
      const op = COMPARISONS.find(([suffix]) => (isPath ? rest.slice(0, -4) : rest) === suffix);
      if (!op) continue;
      const value = rule[key] as JsonValue;
      return `${variable} ${op[1]} ${isPath ? field(value) : literal(value)}`;
    }
  }
  return `${variable} ?`;
}

/**
 * A Choice rule in words, as an edge label: `total > 1000`,
 * `status == "paid" and not retries >= 3`, or a JSONata Condition without
 * its `{% %}` delimiters. Long rules are shortened with an ellipsis.
 * @internal
 */
export function describeRule(rule: ChoiceRule): string {
  const text = words(rule, false).replace(/\s+/g, ' ');
  return text.length > MAX_RULE_LENGTH ? `${text.slice(0, MAX_RULE_LENGTH - 1)}…` : text;
}
