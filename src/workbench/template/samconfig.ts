/**
 * The parameter values an AWS SAM project keeps in its configuration file, as `sam deploy` reads
 * them. The rules are the SAM CLI's, from
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-config.html:
 *
 * - The file is `samconfig.toml` at the project's root, beside `template.yaml` (`samconfig.yaml` and
 *   `samconfig.yml` are read too); `--config-file` names another one. The SAM CLI follows a link
 *   there; stepwright follows it only to a regular file inside the template's folder (the project the
 *   user pointed at), and refuses one that leads out, since nobody asked for what lies out there.
 * - `--config-env` picks the environment, `default` unless given: the table `[<env>.<command>.parameters]`,
 *   with `[<env>.global.parameters]` read for a key the command's table lacks.
 * - The template's parameter values are `sam deploy`'s `parameter_overrides`: a string
 *   `A=1 B="x y"` or `ParameterKey=A,ParameterValue=1 ...`, or a list of such strings, each read as
 *   `--parameter-overrides` reads its value (`../common/parameter-overrides.ts`).
 *
 * A value given at a door (`--parameter`, MCP's `parameters`, `loadParameters`, the harness's
 * `parameters`) wins over the file's, which wins over the template's Default.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonObject } from '../../asl';
import { ownValue } from '../../asl/own';
import { confinementOf, readRegularFile, JsonFileReadError } from '../common/json-file';
import type { Confinement, SizeLimit } from '../common/json-file';
import type { ParameterPairs } from '../common/parameter-overrides';
import { ParameterOverridesError, splitOverrides } from '../common/parameter-overrides';
import { yamlNestingProblem } from '../common/text';

/** Where a SAM project's configuration is read from. */
export interface SamConfigOptions {
  /**
   * The SAM CLI configuration file to read, as `sam deploy --config-file` names it.
   * @default - `samconfig.toml` (else `samconfig.yaml`, `samconfig.yml`) beside the template, when there is one
   */
  readonly configFile?: string;
  /**
   * The environment of the configuration file to read, as `sam deploy --config-env` names it.
   * @default 'default'
   */
  readonly configEnv?: string;
}

/** A configuration file's values for a template's parameters. @internal */
export interface SamConfigParameters {
  /** The file read. */
  readonly file: string;
  /** The environment read. */
  readonly env: string;
  /** `parameter_overrides`, by name, in the file's order. */
  readonly parameters: Readonly<Record<string, string>>;
}

/** A SAM configuration file that cannot be read or does not say what SAM reads. @internal */
export class SamConfigError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, reason: string) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${reason}`);
    this.name = 'SamConfigError';
  }
}

/** The SAM CLI's configuration files are small; a larger file is not read. */
const SAMCONFIG_LIMIT: SizeLimit = { bytes: 1_048_576, why: 'stepwright reads SAM configuration files of at most 1,048,576 bytes (1 MiB)' };

/** The names the SAM CLI looks for beside the template, in its order. */
const DEFAULT_NAMES = ['samconfig.toml', 'samconfig.yaml', 'samconfig.yml'];

/**
 * The values of `parameter_overrides` for `sam deploy` in the configuration file of the template
 * file `template` (`options.configFile`, else the default file beside the template); undefined when
 * no file is named and none lies beside the template, or it gives no `parameter_overrides`.
 * @throws SamConfigError when the file cannot be read, is not TOML (YAML), or holds overrides SAM cannot read
 * @internal
 */
export function samConfigParameters(template: string, options: SamConfigOptions = {}): SamConfigParameters | undefined {
  const env = options.configEnv ?? 'default';
  let file = options.configFile;
  /** The folder a file found beside the template is read inside: the project's, which its link may not leave. */
  let within: Confinement | undefined;
  if (file === undefined) {
    const dir = path.dirname(template);
    const found = DEFAULT_NAMES.map((name) => ({ name: path.join(dir, name), kind: besideTemplate(path.join(dir, name)) })).find((f) => f.kind !== 'none');
    if (found?.kind === 'other') {
      // Skipped, the file's values would silently give way to the template's Defaults.
      throw new SamConfigError(found.name, undefined, 'not a regular file (a directory, pipe or device), so not read; '
        + 'name the file to read as the configuration file (as sam deploy --config-file names it), or remove it');
    }
    if (found === undefined) {
      if (options.configEnv !== undefined) throw new SamConfigError(path.join(dir, DEFAULT_NAMES[0]), undefined, `no such file to read environment '${env}' from`);
      return undefined;
    }
    file = found.name;
    // The SAM CLI reads a link here; the project's own file is read, but never through a link that leaves the project.
    if (found.kind === 'link') within = confinementOf(dir);
  }
  const document = parseFile(file, within);
  const overrides = lookUp(document, env, 'deploy') ?? lookUp(document, env, 'global');
  if (overrides === undefined) return undefined;
  return { file, env, parameters: overridesOf(file, overrides.value, overrides.where) };
}

/** What lies at a name the SAM CLI reads beside the template: nothing, a regular file, a symbolic link, or something else. */
function besideTemplate(file: string): 'none' | 'file' | 'link' | 'other' {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return 'none';
  }
  return stat.isFile() ? 'file' : stat.isSymbolicLink() ? 'link' : 'other';
}

function parseFile(file: string, within: Confinement | undefined): unknown {
  let text: string;
  try {
    text = readRegularFile(file, SAMCONFIG_LIMIT, within).toString('utf8');
  } catch (e) {
    if (e instanceof JsonFileReadError && e.kind === 'outside' && within !== undefined) {
      throw new SamConfigError(file, undefined, 'a symbolic link that leads outside the template\'s folder, so not read: the configuration '
        + 'found beside a template is read from inside its project only; name the file to read as the configuration file '
        + '(as sam deploy --config-file names it), or link to a file inside the project');
    }
    if (e instanceof JsonFileReadError) throw new SamConfigError(file, undefined, `cannot read it: ${e.reason}`);
    throw e;
  }
  if (/\.ya?ml$/i.test(file)) {
    const deep = yamlNestingProblem(text);
    if (deep !== undefined) throw new SamConfigError(file, undefined, `not YAML stepwright reads: ${deep}`);
    // Loaded here, not at the top: importing the harness or the template loaders (every jest test
    // file) must not load the yaml package's 70-odd modules for a project without a samconfig.yaml.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
    const { parse: parseYaml, YAMLParseError } = require('yaml') as typeof import('yaml');
    try {
      return parseYaml(text, { maxAliasCount: 100 });
    } catch (e) {
      if (e instanceof YAMLParseError) throw new SamConfigError(file, e.linePos?.[0].line, `not YAML: ${e.message.split('\n')[0]}`);
      // Past the alias bound the yaml package throws a ReferenceError; on absurd nesting, a RangeError: the file's fault either way.
      throw new SamConfigError(file, undefined, `not YAML stepwright reads: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
  const { parse: parseToml, TomlError } = require('smol-toml') as typeof import('smol-toml');
  try {
    return parseToml(text);
  } catch (e) {
    if (e instanceof TomlError) throw new SamConfigError(file, e.line, `not TOML: ${e.message.split('\n')[0]}`);
    // A stack overflow on absurd nesting is the file's fault too.
    throw new SamConfigError(file, undefined, `not TOML stepwright reads: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** A table's own key: a TOML table or YAML mapping, never an array's member or a prototype's. */
function own(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? ownValue(value as JsonObject, key) : undefined;
}

/** `[<env>.<command>.parameters].parameter_overrides`, and where it is, to name in messages. */
function lookUp(document: unknown, env: string, command: string): { value: unknown; where: string } | undefined {
  const value = own(own(own(own(document, env), command), 'parameters'), 'parameter_overrides');
  return value === undefined ? undefined : { value, where: `${env}.${command}.parameters.parameter_overrides` };
}

function overridesOf(file: string, value: unknown, where: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  // The SAM CLI reads a list's strings one by one, each as it reads the string form.
  const texts = typeof value === 'string' ? [value]
    : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value as string[]
      : refuse(file, where);
  for (const text of texts) {
    let entries: ParameterPairs;
    try {
      entries = splitOverrides(text);
    } catch (e) {
      if (e instanceof ParameterOverridesError) throw new SamConfigError(file, undefined, `${where}: ${e.message}`);
      throw e;
    }
    for (const [name, given] of entries) {
      Object.defineProperty(parameters, name, { value: given, enumerable: true, writable: true, configurable: true });
    }
  }
  return parameters;
}

function refuse(file: string, where: string): never {
  throw new SamConfigError(file, undefined, `${where} must be a string ('A=1 B="x y"', or 'ParameterKey=A,ParameterValue=1') or a list of such strings`);
}

/**
 * The values the configuration file of the template file `templateFile` gives its parameters
 * (see {@link samConfigParameters}), those the template does not declare left out with a note, as
 * `sam deploy` drops them; `note` is told which file and environment were read.
 * @throws SamConfigError
 * @internal
 */
export function samConfigValues(
  templateFile: string, declared: readonly string[], options: SamConfigOptions, note: (message: string) => void,
): Record<string, string> | undefined {
  const found = samConfigParameters(templateFile, options);
  if (found === undefined) return undefined;
  const names = Object.keys(found.parameters);
  const kept = names.filter((name) => declared.includes(name));
  const from = `${found.file} (environment '${found.env}')`;
  note(`template parameters: ${kept.length > 0 ? kept.join(', ') : 'none'} from ${from}; a value given here wins over it`);
  const dropped = names.filter((name) => !declared.includes(name));
  if (dropped.length > 0) {
    note(`${found.file}: ${dropped.join(', ')} not declared by the template's Parameters; left out, as sam deploy leaves them out`);
  }
  const values: Record<string, string> = {};
  for (const name of kept) {
    Object.defineProperty(values, name, { value: found.parameters[name], enumerable: true, writable: true, configurable: true });
  }
  return values;
}
