/**
 * Template parameter values in the forms AWS's tools take them, read once for every door that
 * takes them as text (`--parameter` of each command, a SAM configuration's `parameter_overrides`)
 * or as JSON (MCP's `parameters`):
 *
 * - `sam deploy --parameter-overrides` (the SAM CLI's `CfnParameterOverridesType`,
 *   https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-deploy.html):
 *   one string holding several pairs, space separated, either `Key=Value` or
 *   `ParameterKey=Key,ParameterValue=Value`, a value in double or single quotes taken without
 *   them (`\ `, `\"` and `\'` kept as the character). A string holding both forms is refused: the
 *   SAM CLI then reads the `ParameterKey=` pairs only and drops the others without a word.
 * - `aws cloudformation create-stack --parameters ParameterKey=K,ParameterValue=V`, the AWS CLI's
 *   shorthand (https://docs.aws.amazon.com/cli/latest/reference/cloudformation/create-stack.html),
 *   where `\,` is a comma of the value (`ParameterValue=SubnetID1\,SubnetID2`).
 * - `aws cloudformation deploy --parameter-overrides Key=Value`
 *   (https://docs.aws.amazon.com/cli/latest/reference/cloudformation/deploy/index.html): split
 *   at the first `=`, the rest the value as written, spaces and all.
 * - A parameters file, `file://params.json` (or the JSON itself), as both commands read one:
 *   `[{"ParameterKey": "K", "ParameterValue": "V"}]`, and for `deploy` also
 *   `{"Parameters": {"K": "V"}}` and `["K=V"]`; a number or boolean value becomes text as the
 *   AWS CLI's deploy writes it (`5`, `True`).
 */
import { readJsonText, JsonFileReadError } from './json-file';
import type { SizeLimit } from './json-file';
import type { JsonObject } from '../../asl';
import { ownValue } from '../../asl/own';
import { isParameterName, PARAMETER_NAME_SOURCE } from '../../cfn/parameter-name';

/** The rule of a parameter's name, for the doors that state it in their own schema (MCP's `parameters`). @internal */
export { PARAMETER_NAME, PARAMETER_NAME_MAX_CHARS } from '../../cfn/parameter-name';

/** Text that holds no parameter values in a form AWS's tools take; the message names it. @internal */
export class ParameterOverridesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterOverridesError';
  }
}

/** The pairs of one text, in order. @internal */
export type ParameterPairs = Array<[name: string, value: string]>;

/** How one text of pairs is read. @internal */
export interface OverridesReading {
  /**
   * Reads `\,` in a `ParameterValue=` as a comma, as the AWS CLI's shorthand does; the SAM CLI
   * (the only reader of a samconfig file) keeps it.
   * @default false
   */
  readonly shorthandCommas?: boolean;
}

const NAME = PARAMETER_NAME_SOURCE;
const VALUE = String.raw`"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|(?:\\.|[^\s"\\])*`;
const PAIR = new RegExp(`\\s*(?:ParameterKey=(${NAME}),ParameterValue=(${VALUE})|(${NAME})=(${VALUE}))(?=\\s|$)`, 'sy');

/**
 * The pairs of a `parameter_overrides` string as the SAM CLI splits it: space separated, each
 * `Key=Value` or `ParameterKey=Key,ParameterValue=Value`, a quoted value without its quotes.
 * @throws ParameterOverridesError naming the part that is neither form
 * @internal
 */
export function splitOverrides(text: string, reading: OverridesReading = {}): ParameterPairs {
  const pairs: ParameterPairs = [];
  const forms = new Set<string>();
  let at = 0;
  while (at < text.length && text.slice(at).trim() !== '') {
    PAIR.lastIndex = at;
    const match = PAIR.exec(text);
    if (!match) {
      throw new ParameterOverridesError(`cannot read '${text.slice(at).trim().slice(0, 80)}' as Name=Value or ParameterKey=Name,ParameterValue=Value `
        + '(quote a value that holds spaces: Name="x y")');
    }
    const keyed = match[1] !== undefined;
    if (!keyed && match[3] === 'ParameterKey') {
      // Read as a parameter named ParameterKey, it would meet CloudFormation's "do not exist in the template".
      throw new ParameterOverridesError(`cannot read '${match[0].trim().slice(0, 80)}': a ParameterKey= pair needs its ,ParameterValue= (ParameterKey=Name,ParameterValue=Value)`);
    }
    forms.add(keyed ? 'ParameterKey' : 'Key');
    const raw = keyed ? match[2] : match[4];
    const value = unquote(raw);
    pairs.push([keyed ? match[1] : match[3], keyed && reading.shorthandCommas ? value.replace(/\\,/g, ',') : value]);
    at = PAIR.lastIndex;
  }
  if (forms.size > 1) {
    throw new ParameterOverridesError(`'${text.trim().slice(0, 80)}' mixes Name=Value and ParameterKey=Name,ParameterValue=Value pairs; `
      + 'sam deploy would read the ParameterKey= pairs only: give every pair in one form');
  }
  return pairs;
}

/** A value without its wrapping quotes, `\ `, `\"` and `\'` read as the character: the SAM CLI's `_unquote_wrapped_quotes`. */
function unquote(raw: string): string {
  const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0];
  return (quoted ? raw.slice(1, -1) : raw).replace(/\\([ "'])/g, '$1');
}

/** Parameters files are small; a larger one is not read. */
const PARAMETERS_FILE_LIMIT: SizeLimit = { bytes: 1_048_576, why: 'stepwright reads parameters files of at most 1,048,576 bytes (1 MiB)' };

/**
 * The pairs one `--parameter` value gives: `file://params.json` or the JSON of a parameters file;
 * else the pairs of a `sam deploy --parameter-overrides` string; else, for `Key=Value` whose value
 * the SAM CLI would cut at a space or a quote, the value as written, as
 * `aws cloudformation deploy --parameter-overrides` takes it.
 * @throws ParameterOverridesError naming the value
 * @internal
 */
export function parameterArgument(entry: string): ParameterPairs {
  if (entry.startsWith('file://')) {
    const file = entry.slice('file://'.length);
    let text: string;
    try {
      text = readJsonText(file, PARAMETERS_FILE_LIMIT);
    } catch (e) {
      if (e instanceof JsonFileReadError) throw new ParameterOverridesError(`cannot read the parameters file ${file}: ${e.message}`);
      throw e;
    }
    return parametersJson(text, file);
  }
  if (/^\s*[[{]/.test(entry)) return parametersJson(entry, 'the JSON given');
  try {
    return splitOverrides(entry, { shorthandCommas: true });
  } catch (e) {
    const asWritten = new RegExp(`^(${NAME})=(.*)$`, 's').exec(entry);
    if (asWritten && !entry.startsWith('ParameterKey=')) return [[asWritten[1], asWritten[2]]];
    throw e;
  }
}

function parametersJson(text: string, where: string): ParameterPairs {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ParameterOverridesError(`${where} is not JSON: ${(e as Error).message}`);
  }
  return parametersOfJson(data, where);
}

/**
 * The pairs of a parameters file's JSON, in the forms the AWS CLI reads: a list of
 * `{"ParameterKey", "ParameterValue"}`, `{"Parameters": {"K": "V"}}`, or a list of `"K=V"`.
 * @throws ParameterOverridesError naming what is in none of them
 * @internal
 */
export function parametersOfJson(data: unknown, where: string): ParameterPairs {
  const forms = '[{"ParameterKey": "Key", "ParameterValue": "Value"}], {"Parameters": {"Key": "Value"}} or ["Key=Value"]';
  if (Array.isArray(data)) {
    return data.map((entry, i): [string, string] => {
      if (typeof entry === 'string') {
        const eq = entry.indexOf('=');
        if (eq <= 0) throw new ParameterOverridesError(`${where}: entry ${i}, '${entry.slice(0, 80)}', is not Key=Value; give ${forms}`);
        return [nameOf(entry.slice(0, eq), where), entry.slice(eq + 1)];
      }
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        throw new ParameterOverridesError(`${where}: entry ${i} is neither an object nor a string; give ${forms}`);
      }
      return structurePair(entry as JsonObject, `${where}: entry ${i}`);
    });
  }
  if (data !== null && typeof data === 'object' && Object.hasOwn(data, 'Parameters')) {
    const section = ownValue(data as JsonObject, 'Parameters');
    if (section === null || typeof section !== 'object' || Array.isArray(section)) {
      throw new ParameterOverridesError(`${where}: Parameters must be an object of values by name, as {"Parameters": {"Key": "Value"}}`);
    }
    return Object.keys(section).map((name) => [nameOf(name, where), textOf(ownValue(section as JsonObject, name), `${where}: Parameters.${name}`)]);
  }
  throw new ParameterOverridesError(`${where} must be one of ${forms}`);
}

/** One `{"ParameterKey", "ParameterValue"}` of a CloudFormation parameters list. */
function structurePair(entry: JsonObject, where: string): [string, string] {
  for (const key of Object.keys(entry)) {
    if (!['ParameterKey', 'ParameterValue', 'UsePreviousValue'].includes(key)) {
      throw new ParameterOverridesError(`${where}: '${key}' is not a member of a CloudFormation Parameter (ParameterKey, ParameterValue, UsePreviousValue)`);
    }
  }
  const name = ownValue(entry, 'ParameterKey');
  if (typeof name !== 'string') throw new ParameterOverridesError(`${where}: ParameterKey must be the name of one of the template's Parameters`);
  if (ownValue(entry, 'UsePreviousValue') === true) {
    throw new ParameterOverridesError(`${where}: UsePreviousValue reuses a deployed stack's value, and a local load deploys a new stack: give ParameterValue`);
  }
  if (!Object.hasOwn(entry, 'ParameterValue')) throw new ParameterOverridesError(`${where}: ParameterKey '${name}' has no ParameterValue`);
  return [nameOf(name, where), textOf(ownValue(entry, 'ParameterValue'), `${where}: ParameterValue of '${name}'`)];
}

/** CloudFormation: a parameter's name is alphanumeric (cfn/parameter-name.ts). */
function nameOf(name: string, where: string): string {
  if (!isParameterName(name)) throw new ParameterOverridesError(`${where}: '${name.slice(0, 80)}' is not a parameter's name (letters and digits)`);
  return name;
}

/** A value as the AWS CLI's deploy sends it: text as it is, a number or boolean as Python writes it. */
function textOf(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  throw new ParameterOverridesError(`${where} must be text; got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`);
}
