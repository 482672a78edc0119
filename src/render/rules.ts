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

/**
 * How much of a rule is put in words: an edge shows {@link MAX_RULE_LENGTH} characters, which a
 * level's `not ` or `(`, or a rule's few characters, fill long before either bound. A rule nested
 * deeper (one built in memory may be nested 20,000 deep, past the stack), or one that names the same
 * rules again and again (in memory, 2^80 of them in 80 levels), ends in an ellipsis there.
 */
const MAX_RULE_DEPTH = MAX_RULE_LENGTH;
const MAX_RULES_READ = 4 * MAX_RULE_LENGTH;

function words(rule: ChoiceRule, nested: boolean, read: { rules: number }, depth = 0): string {
  if (typeof rule !== 'object' || rule === null) return '?';
  if (depth >= MAX_RULE_DEPTH || ++read.rules > MAX_RULES_READ) return '…';
  if (rule.Condition !== undefined) {
    const c = rule.Condition;
    if (typeof c !== 'string') return String(c);
    const m = /^\{%([\s\S]*)%\}$/.exec(c.trim());
    return (m ? m[1] : c).trim();
  }
  const group = (list: unknown, joiner: string): string => {
    const parts: string[] = [];
    for (const r of Array.isArray(list) ? list as ChoiceRule[] : []) {
      if (read.rules >= MAX_RULES_READ) {
        parts.push('…');
        break;
      }
      parts.push(words(r, true, read, depth + 1));
    }
    const text = parts.join(` ${joiner} `);
    return nested && parts.length > 1 ? `(${text})` : text;
  };
  if (rule.And !== undefined) return group(rule.And, 'and');
  if (rule.Or !== undefined) return group(rule.Or, 'or');
  if (rule.Not !== undefined) return `not ${words(rule.Not, true, read, depth + 1)}`;
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
  const text = words(rule, false, { rules: 0 }).replace(/\s+/g, ' ');
  return text.length > MAX_RULE_LENGTH ? `${text.slice(0, MAX_RULE_LENGTH - 1)}…` : text;
}
