/**
 * What a CloudFormation parameter's name may be: the one home of the rule every door that takes a
 * name checks it by (a template's `Parameters` section, `--parameter`, a SAM configuration's
 * `parameter_overrides`, MCP's `parameters`). A parameter's name is a logical id, "alphanumeric
 * (a-z, A-Z, 0-9)" (AWS CloudFormation User Guide, "Parameters template section syntax"; a template
 * breaking it is refused with "Template format error: Parameter name X is non alphanumeric."), of
 * at most 255 characters ("AWS CloudFormation quotas": parameter name size).
 * It imports nothing: `--parameter` reads it at every command's start, serve's too.
 */

/** A parameter's name as a regular expression's source, to be anchored or grouped by its reader. @internal */
export const PARAMETER_NAME_SOURCE = '[A-Za-z0-9]+';

/** The most characters a parameter's name has. @internal */
export const PARAMETER_NAME_MAX_CHARS = 255;

/** A whole parameter's name. @internal */
export const PARAMETER_NAME = new RegExp(`^${PARAMETER_NAME_SOURCE}$`);

/** True when `name` may be a CloudFormation parameter's name (letters and digits). @internal */
export function isParameterName(name: string): boolean {
  return PARAMETER_NAME.test(name);
}
