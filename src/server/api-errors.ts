/**
 * An error answered as AWS answers it: HTTP 400 with `__type` (the exception
 * name, which the SDK turns into its own typed exception) and `message`, and
 * the exception's other members, if it has any (`resourceName` of TooManyTags).
 * @internal
 */
export class ApiError extends Error {
  constructor(
    public readonly type: string, message: string, public readonly status = 400,
    public readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = type;
  }
}

/** Most characters of a list or structure repeated in a refusal (AWS repeats strings whole). */
const MAX_SHOWN = 1024;

/**
 * A client's value as text for a message: a string as it is, anything else as JSON (a list or
 * structure cut at 1,024 characters), `null` for none. Never String(value): a client's object
 * with a member named `toString` or `valueOf` would make that throw.
 * @internal
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return 'null';
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch {
    text = Array.isArray(value) ? '[…]' : '{…}';
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** A value as AWS quotes it in a validation message: every value quoted, numbers too (`Value '1001'`). */
function shown(value: unknown): string {
  return `'${textOf(value)}'`;
}

/**
 * `ValidationException` for a missing or malformed parameter, worded as AWS words it:
 * a missing value is `null`, and a sensitive one (a definition, an input) is not repeated.
 * @internal
 */
export function validationError(field: string, constraint: string, value?: unknown, options: { sensitive?: boolean } = {}): ApiError {
  // A number JSON.parse read as ±Infinity (1e999) is out of range, not the null JSON.stringify would print.
  const outOfRange = typeof value === 'number' && !Number.isFinite(value);
  const what = value === undefined || value === null ? 'Value null'
    : outOfRange ? `A number out of range (JSON numbers are read as doubles, at most ±${Number.MAX_VALUE})`
      : options.sensitive ? 'Value' : `Value ${shown(value)}`;
  return new ApiError('ValidationException', `1 validation error detected: ${what} at '${field}' failed to satisfy constraint: ${constraint}`);
}

/** Characters AWS refuses in the name of a state machine, execution, activity or alias. */
const BAD_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks the name of a state machine, execution or activity as AWS does (1-80 characters, none
 * of the forbidden ones); InvalidName otherwise, in AWS's words, which name only the name.
 * @internal
 */
export function checkName(name: string): void {
  if (name.length === 0 || name.length > 80 || BAD_NAME.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
}

/** What AWS allows in an alias name: letters, digits, `_`, `-` and `.`, at least one of them not a digit. */
const ALIAS_NAME = /^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]+$/;

/** Checks an alias name as AWS does: a ValidationException, not InvalidName (recorded 2025). @internal */
export function checkAliasName(name: string): void {
  if (name.length > 80) throw validationError('name', 'Member must have length less than or equal to 80', name);
  if (!ALIAS_NAME.test(name)) {
    throw validationError('name', 'Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$', name);
  }
}

/** `versionDescription` without `publish: true`, refused as AWS refuses it. @internal */
export function checkVersionDescription(description: string | undefined, publish: boolean): void {
  if (description !== undefined && !publish) {
    throw new ApiError('ValidationException', 'Version description can only be set when publish is true');
  }
}
