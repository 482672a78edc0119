/**
 * A template's `Parameters` as CloudFormation checks them when a stack is created: the names a
 * caller may give values to, and whether the value in effect (the one given, else the `Default`)
 * satisfies the parameter's declaration. The rules and words are CloudFormation's, from
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 * and the errors its CreateStack and CreateChangeSet answer (ValidationError):
 *
 * - `Parameters: [X] do not exist in the template`: a value for a parameter the template does not declare.
 * - `Parameter 'X' must be one of AllowedValues`, `Parameter 'X' must match pattern P`,
 *   `Parameter 'X' must be a number`, `Parameter 'X' must be a number not less than N`: as answered.
 * - `Parameter X failed to satisfy constraint: D`: any of those, when the template gives a `ConstraintDescription` D.
 * - `must contain at least N characters` / `at most N characters`: MinLength and MaxLength, worded as the others
 *   (no answer of CloudFormation's for them was found to quote).
 *
 * What CloudFormation checks against the account (the `AWS::EC2::…` ids, whose resource must
 * exist) or reads from it (`AWS::SSM::Parameter::Value<…>`) is not checked here: a local run cannot
 * know it. Where the rule is unknown (AllowedValues on a list type, a pattern in Java's own syntax,
 * see `allowed-pattern.ts`) the value is let through: never refused on a guess.
 */
import { compileAllowedPattern } from './allowed-pattern';
import { isParameterName } from './parameter-name';
import type { CfnTemplate } from './resolver';
import { TemplateError } from './template-error';
import { fieldOf, ownValue } from '../asl/own';

/** One entry of a template's `Parameters` section, as far as the checks read it. @internal */
export interface ParameterDeclaration {
  readonly Type?: unknown;
  readonly Default?: unknown;
  readonly AllowedValues?: unknown;
  readonly AllowedPattern?: unknown;
  readonly MinLength?: unknown;
  readonly MaxLength?: unknown;
  readonly MinValue?: unknown;
  readonly MaxValue?: unknown;
  readonly ConstraintDescription?: unknown;
  readonly NoEcho?: unknown;
}

/** A parameter's value as a caller gives it: a string, or a list's members. @internal */
export type ParameterValue = string | readonly string[];

/**
 * What a `Ref` to a parameter gives before a list is split: the value given, else the Default, as
 * text: "when you use the parameter elsewhere in your template (for example, by using the Ref
 * intrinsic function), the parameter value becomes a string", a YAML `Default: 2` or `true` too.
 * An SSM-typed parameter's Default is the SSM key, not the value CloudFormation splices in: none.
 * @internal
 */
export function parameterRefValue(declaration: ParameterDeclaration, given: ParameterValue | undefined): unknown {
  const value = given ?? (isSsmType(declaration.Type) ? undefined : declaration.Default);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** Why a parameter given no value has none locally: no Default, or one CloudFormation reads from SSM at deploy. @internal */
export function whyNoValue(declaration: ParameterDeclaration): string {
  if (!isSsmType(declaration.Type)) return 'has no Default';
  const key = typeof declaration.Default === 'string' ? ` ('${declaration.Default}')` : '';
  return `is read from SSM Parameter Store${key}, which a local run cannot read`;
}

/** The names of a template's parameters, in the template's order. @internal */
export function declaredParameters(template: object): string[] {
  const section = (template as CfnTemplate).Parameters;
  return section !== null && typeof section === 'object' && !Array.isArray(section) ? Object.keys(section) : [];
}

/**
 * Whether a template declares `name` a parameter whose value may be shown: false for a NoEcho one
 * (CloudFormation masks its value wherever it shows it,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html)
 * and for a name it does not declare, whose kind is unknown.
 * @internal
 */
export function parameterValueShown(template: object, name: string): boolean {
  const section = (template as CfnTemplate).Parameters as unknown;
  if (Array.isArray(section)) return false;
  const declaration = fieldOf(section, name);
  return declaration !== null && typeof declaration === 'object' && !isNoEcho(declaration as ParameterDeclaration);
}

/**
 * The stacks of a load that the parameter values given go to. CloudFormation takes them for the
 * stack deployed; a nested stack (`AWS::CloudFormation::Stack`) takes only what its parent passes
 * in the resource's `Parameters`, and its own Defaults
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-stack.html),
 * so a parameter of the same name in a nested stack is not set by them. A stack with `parameters`
 * is nested (its parent's values); when the load holds nested stacks only (one picked by name),
 * they take the values, as that stack deployed alone would.
 * @internal
 */
export function stacksTakingParameters<T extends { readonly parameters?: unknown }>(stacks: readonly T[]): readonly T[] {
  const roots = stacks.filter((s) => s.parameters === undefined);
  return roots.length > 0 ? roots : stacks;
}

/**
 * CloudFormation's refusal of values given to parameters no template declares, naming those the
 * templates do declare; undefined when every name is declared.
 * @internal
 */
export function undeclaredParametersRefusal(given: Iterable<string>, declared: readonly string[]): string | undefined {
  const known = new Set(declared);
  const unknown = [...given].filter((name) => !known.has(name));
  if (unknown.length === 0) return undefined;
  const declares = declared.length === 0 ? 'it declares no Parameters' : `it declares ${firstOf(declared)}`;
  return `Parameters: [${firstOf(unknown)}] do not exist in the template; ${declares}`;
}

/** How many names, or AllowedValues, a refusal lists. */
const NAMES_SHOWN = 20;

/** Names joined, the first {@link NAMES_SHOWN} of a longer list and how many more, so that a message stays one to read. */
function firstOf(names: readonly string[]): string {
  if (names.length <= NAMES_SHOWN) return names.join(', ');
  return `${names.slice(0, NAMES_SHOWN).join(', ')}, … ${names.length - NAMES_SHOWN} more`;
}

/**
 * Checks the values given to a template's parameters as CloudFormation does when the stack is
 * created: each given name must be declared, and each parameter's value in effect (given, else its
 * Default) must satisfy its declaration.
 * @throws TemplateError UNDECLARED_PARAMETER or INVALID_PARAMETER_VALUE, in CloudFormation's words
 * @internal
 */
export function checkParameterValues(template: CfnTemplate, given: Readonly<Record<string, ParameterValue>> | undefined): void {
  const format = parametersFormatRefusal(template);
  if (format !== undefined) throw new TemplateError('NOT_A_TEMPLATE', format.message, { location: format.location });
  const declared = declaredParameters(template);
  const undeclared = undeclaredParametersRefusal(Object.keys(given ?? {}), declared);
  if (undeclared !== undefined) throw new TemplateError('UNDECLARED_PARAMETER', undeclared, { location: 'Parameters' });
  for (const name of declared) {
    const declaration = ownValue(template.Parameters, name) as ParameterDeclaration | undefined;
    if (declaration === null || typeof declaration !== 'object') continue;
    const value = ownValue(given, name);
    const problem = value !== undefined ? parameterValueRefusal(name, declaration, value)
      : declaration.Default !== undefined && declaration.Default !== null ? defaultRefusal(name, declaration) : undefined;
    if (problem !== undefined) throw new TemplateError('INVALID_PARAMETER_VALUE', problem, { location: `Parameters.${name}` });
  }
}

/**
 * The types CloudFormation knows: the four of its own, and the AWS-specific and SSM ones, which
 * all start `AWS::` (or `List<AWS::`); one of those it does not know is not refused here, the list
 * of them being long and growing.
 */
const PARAMETER_TYPE = /^(String|Number|List<Number>|CommaDelimitedList|AWS::.+|List<AWS::.+>)$/;

/**
 * Why CloudFormation's validation refuses the template's `Parameters` section before it creates
 * anything (ValidateTemplate, CreateStack: "Template format error"), or undefined. Its words where
 * they are known: "Every Parameters object must contain a Type member.", "Unrecognized parameter
 * type: X", "Parameter name X is non alphanumeric."; a section or member that is not an object is
 * refused too, in words of ours (no answer of AWS's was recorded to quote). A `Parameters:` left
 * empty in YAML (null) is let through: what CloudFormation answers is not known.
 * @internal
 */
export function parametersFormatRefusal(template: object): { message: string; location: string } | undefined {
  const section = (template as CfnTemplate).Parameters as unknown;
  if (section === undefined || section === null) return undefined;
  if (typeof section !== 'object' || Array.isArray(section)) {
    return { message: `Template format error: the Parameters section must be an object, each member a parameter's declaration by name; got ${describe(section)}`, location: 'Parameters' };
  }
  for (const name of Object.keys(section)) {
    const location = `Parameters.${name}`;
    if (!isParameterName(name)) return { message: `Template format error: Parameter name ${name} is non alphanumeric.`, location };
    const declaration = ownValue(section as CfnTemplate['Parameters'], name) as unknown;
    if (declaration === null || typeof declaration !== 'object' || Array.isArray(declaration)) {
      return { message: `Template format error: Every Parameters member must be an object; ${name} is ${describe(declaration)}`, location };
    }
    const type = (declaration as ParameterDeclaration).Type;
    if (type === undefined || type === null) return { message: `Template format error: Every Parameters object must contain a Type member. (${name} has none)`, location };
    if (typeof type !== 'string' || !PARAMETER_TYPE.test(type)) {
      return { message: `Template format error: Unrecognized parameter type: ${typeof type === 'string' ? type : JSON.stringify(type)} (parameter ${name})`, location };
    }
  }
  return undefined;
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function defaultRefusal(name: string, declaration: ParameterDeclaration): string | undefined {
  // An SSM-typed parameter's Default is the SSM key, not the value it stands for.
  if (isSsmType(declaration.Type)) return undefined;
  const value: ParameterValue = Array.isArray(declaration.Default) ? declaration.Default.map(String) : String(declaration.Default);
  const problem = parameterValueRefusal(name, declaration, value);
  return problem === undefined ? undefined : `${problem} (its Default)`;
}

function isSsmType(type: unknown): boolean {
  return typeof type === 'string' && type.startsWith('AWS::SSM::Parameter::Value<');
}

/**
 * Why CloudFormation refuses `value` for the parameter `name`, in its words (with the template's
 * ConstraintDescription where it gives one) and the value; undefined when the value satisfies the
 * declaration, or when whether it does cannot be known locally.
 * @internal
 */
export function parameterValueRefusal(name: string, declaration: ParameterDeclaration, value: ParameterValue): string | undefined {
  const type = typeof declaration.Type === 'string' ? declaration.Type : 'String';
  // Checked against the account (the resource must exist) or read from SSM: nothing to tell locally.
  if (type.startsWith('AWS::')) return undefined;
  // A NoEcho parameter's value is masked, as CloudFormation masks it wherever it shows one.
  const shown = isNoEcho(declaration) ? '****' : textOf(value);
  const reason = constraintBroken(name, type, declaration, value);
  if (reason === undefined) return undefined;
  const described = declaration.ConstraintDescription;
  const words = typeof described === 'string' && described !== ''
    ? `Parameter ${name} failed to satisfy constraint: ${described}`
    : reason;
  return `${words}; got '${shown}'`;
}

/**
 * Whether a parameter's value is masked. CloudFormation's NoEcho is a Boolean; a `'TRUE'` whose
 * reading is not documented is masked too, since showing a secret cannot be taken back.
 */
function isNoEcho(declaration: ParameterDeclaration): boolean {
  return declaration.NoEcho === true || (typeof declaration.NoEcho === 'string' && declaration.NoEcho.toLowerCase() === 'true');
}

/** A value as one text: a list's members joined by commas, as CloudFormation takes a list parameter's value. */
function textOf(value: ParameterValue): string {
  return typeof value === 'string' ? value : value.join(',');
}

function constraintBroken(name: string, type: string, d: ParameterDeclaration, value: ParameterValue): string | undefined {
  const text = textOf(value);
  const members = typeof value === 'string' ? value.split(',') : value;
  switch (type) {
    case 'Number':
      return numberBroken(name, d, text) ?? allowedBroken(name, d, text, true);
    case 'List<Number>':
      for (const member of members) {
        if (!isNumber(member)) return `Parameter '${name}' must be a number`;
      }
      return undefined;
    case 'CommaDelimitedList':
      // "When applied to a parameter of type CommaDelimitedList, the pattern must match each value in the list."
      return patternBroken(name, d, members);
    case 'String':
      return allowedBroken(name, d, text, false) ?? patternBroken(name, d, [text]) ?? lengthBroken(name, d, text);
    default:
      // A type CloudFormation does not know fails the template itself; not a value's fault.
      return undefined;
  }
}

/** A number as CloudFormation reads a Number parameter: decimal, with an optional sign, fraction and exponent. */
function isNumber(text: string): boolean {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text);
}

function bound(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && isNumber(raw)) return Number(raw);
  return undefined;
}

function numberBroken(name: string, d: ParameterDeclaration, text: string): string | undefined {
  if (!isNumber(text)) return `Parameter '${name}' must be a number`;
  const n = Number(text);
  const min = bound(d.MinValue);
  const max = bound(d.MaxValue);
  if (min !== undefined && n < min) return `Parameter '${name}' must be a number not less than ${String(d.MinValue)}`;
  if (max !== undefined && n > max) return `Parameter '${name}' must be a number not greater than ${String(d.MaxValue)}`;
  return undefined;
}

function allowedBroken(name: string, d: ParameterDeclaration, text: string, numeric: boolean): string | undefined {
  if (!Array.isArray(d.AllowedValues)) return undefined;
  const allowed = d.AllowedValues.map((v) => String(v));
  // A YAML `true` or `1` in AllowedValues stands for the same text; a Number's 1 and 1.0 for the same number.
  const ok = allowed.some((a) => a === text || (numeric && isNumber(a) && isNumber(text) && Number(a) === Number(text)));
  if (ok) return undefined;
  return `Parameter '${name}' must be one of AllowedValues (${firstOf(allowed)})`;
}

function patternBroken(name: string, d: ParameterDeclaration, texts: readonly string[]): string | undefined {
  if (typeof d.AllowedPattern !== 'string') return undefined;
  // Compiled once for every member of a list.
  const pattern = compileAllowedPattern(d.AllowedPattern);
  if (pattern === undefined) return undefined;
  for (const text of texts) {
    if (pattern.matches(text) === false) return `Parameter '${name}' must match pattern ${d.AllowedPattern}`;
  }
  return undefined;
}

function lengthBroken(name: string, d: ParameterDeclaration, text: string): string | undefined {
  const min = bound(d.MinLength);
  const max = bound(d.MaxLength);
  if (min !== undefined && text.length < min) return `Parameter '${name}' must contain at least ${min} characters`;
  if (max !== undefined && text.length > max) return `Parameter '${name}' must contain at most ${max} characters`;
  return undefined;
}
