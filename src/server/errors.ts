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
  const shown = value === undefined ? 'null' : typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
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

/** Checks a resource name as AWS does (1-80 characters, none of the forbidden ones); InvalidName otherwise. @internal */
export function checkName(name: string, what: string): void {
  if (name.length === 0 || name.length > 80 || BAD_NAME.test(name)) {
    throw new ApiError('InvalidName', `Invalid Name: '${name}' (a ${what} name has 1 to 80 characters and no white space, brackets, wildcards, control characters or any of " # % \\ ^ | ~ \` $ & , ; : /)`);
  }
}
