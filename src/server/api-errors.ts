import { ApiErrors, type ApiErrorName } from '../asl/api-errors';

/**
 * An error answered as AWS answers it: HTTP 400 with `__type` (the exception
 * name, which the SDK turns into its own typed exception) and `message`, and
 * the exception's other members, if it has any (`resourceName` of TooManyTags).
 * @internal
 */
export class ApiError extends Error {
  constructor(
    public readonly type: ApiErrorName, message: string, public readonly status = 400,
    public readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = type;
  }
}

/** Characters AWS refuses in the name of a state machine, execution, activity or alias. */
const BAD_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks the name of a state machine, execution or activity as AWS does once the model's bounds
 * (the `Name` shape's 1-80 characters) let it through: none of the forbidden characters;
 * InvalidName otherwise, in AWS's words, which name only the name (recorded).
 * @internal
 */
export function checkName(name: string): void {
  if (BAD_NAME.test(name)) throw new ApiError(ApiErrors.InvalidName, `Invalid Name: '${name}'`);
}

/** `versionDescription` without `publish: true`, refused as AWS refuses it. @internal */
export function checkVersionDescription(description: string | undefined, publish: boolean): void {
  if (description !== undefined && !publish) {
    throw new ApiError(ApiErrors.ValidationException, 'Version description can only be set when publish is true');
  }
}
