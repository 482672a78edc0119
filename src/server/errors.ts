/**
 * An error answered as AWS answers it: HTTP 400 with `__type` (the exception
 * name, which the SDK turns into its own typed exception) and `message`.
 * @internal
 */
export class ApiError extends Error {
  constructor(public readonly type: string, message: string, public readonly status = 400) {
    super(message);
    this.name = type;
  }
}

/** `ValidationException` for a missing or malformed parameter, worded as AWS words it. @internal */
export function validationError(field: string, constraint: string, value?: unknown): ApiError {
  // AWS quotes every value it shows, numbers too (`Value '1001'`), and writes a missing one as null.
  const shown = value === undefined || value === null ? 'null' : `'${typeof value === 'object' ? JSON.stringify(value) : String(value)}'`;
  return new ApiError('ValidationException', `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`);
}

/** Reads a required string parameter, or fails with AWS's ValidationException. @internal */
export function requireString(params: Record<string, unknown>, field: string): string {
  const value = params[field];
  if (typeof value !== 'string' || value === '') throw validationError(field, 'Member must not be null', value);
  return value;
}

/** Reads an optional string parameter. @internal */
export function optionalString(params: Record<string, unknown>, field: string): string | undefined {
  const value = params[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(field, 'Member must be a string', value);
  return value;
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
export function checkVersionDescription(params: Record<string, unknown>): void {
  if (params.versionDescription !== undefined && params.versionDescription !== null && params.publish !== true) {
    throw new ApiError('ValidationException', 'Version description can only be set when publish is true');
  }
}
