import { UsageError } from './cli-error';
import type { Streams } from './streams';
import { printableLines } from './terminal';

/** What a command accepts: options that take a value, and boolean flags. @internal */
export interface ArgSpec {
  readonly command: string;
  readonly values: readonly string[];
  readonly flags: readonly string[];
  /** Options that take a value and may be repeated (`--redact a --redact b`). @default - none */
  readonly lists?: readonly string[];
  /** Options another command takes and this one refuses, each with what this one takes instead. @default - none */
  readonly instead?: Readonly<Record<string, string>>;
}

/** Parsed arguments. @internal */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Record<string, string>;
  readonly flags: Set<string>;
  /** Every value of each repeatable option, in order. */
  readonly lists: Record<string, string[]>;
}

/**
 * Parses `--name value`, `--name=value` and `--flag`; everything else is a
 * positional. `--` ends the options.
 * @internal
 */
export function parseArgs(args: readonly string[], spec: ArgSpec): ParsedArgs {
  const positionals: string[] = [];
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  const lists: Record<string, string[]> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-' && !/^-\d/.test(arg)) {
        throw new UsageError(`unknown option '${arg}' for '${spec.command}'; options start with '--'`);
      }
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (spec.flags.includes(name)) {
      if (eq >= 0) throw new UsageError(`option '--${name}' of '${spec.command}' takes no value, got '${arg}'`);
      flags.add(name);
    } else if (spec.values.includes(name) || spec.lists?.includes(name)) {
      if (eq < 0 && i + 1 >= args.length) throw new UsageError(`option '--${name}' of '${spec.command}' needs a value`);
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      if (spec.lists?.includes(name)) (lists[name] ??= []).push(value);
      else values[name] = value;
    } else {
      const known = [...spec.values, ...(spec.lists ?? []), ...spec.flags].map((o) => `--${o}`).join(', ');
      const instead = spec.instead !== undefined && Object.hasOwn(spec.instead, name) ? spec.instead[name] : undefined;
      if (instead !== undefined) throw new UsageError(`'${spec.command}' takes no '--${name}': ${instead}`);
      throw new UsageError(`unknown option '--${name}' for '${spec.command}'; it accepts ${known}`);
    }
  }
  return { positionals, values, flags, lists };
}

/**
 * Parses a command's arguments, or writes its usage and answers undefined when
 * `--help` asks for it (the command then exits 0).
 * @internal
 */
export function parseCommandArgs(args: readonly string[], spec: ArgSpec, usage: string, io: Streams): ParsedArgs | undefined {
  const parsed = parseArgs(args, spec);
  if (!parsed.flags.has('help')) return parsed;
  io.out.write(usage);
  return undefined;
}

/**
 * The one definition (ASL file, template or cdk.out) a command runs on, or a
 * usage error that shows the command's form (`after` follows the definition in it).
 * @internal
 */
export function oneDefinition(parsed: ParsedArgs, command: string, after = ''): string {
  if (parsed.positionals.length === 1) return parsed.positionals[0];
  throw new UsageError(parsed.positionals.length === 0
    ? `'${command}' needs a definition: stepwright ${command} <definition.asl.json | template.json | cdk.out>${after}`
    : `'${command}' takes one definition, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`);
}

/**
 * The values of `--parameter Name=Value` (repeatable), in each form `sam deploy --parameter-overrides`,
 * `aws cloudformation deploy --parameter-overrides` and `aws cloudformation create-stack --parameters`
 * take (`ParameterKey=Name,ParameterValue=Value`, several in one string, `file://params.json`):
 * spread into the options that load a template.
 * @internal
 */
export function parametersOf(parsed: ParsedArgs, io?: Streams): ParameterOptions {
  // Which SAM configuration file gave values is said on stderr, as a note.
  const onNote = io === undefined ? {} : { onNote: (message: string): void => { io.err.write(`stepwright: note: ${printableLines(message)}\n`); } };
  return { ...givenParameters(parsed), ...onNote };
}

/** What `--parameter`, `--config-file` and `--config-env` give the options that load a template. @internal */
export interface ParameterOptions {
  readonly parameters?: Record<string, string>;
  readonly samConfig?: { configFile?: string; configEnv?: string };
  readonly onNote?: (message: string) => void;
}

function givenParameters(parsed: ParsedArgs): ParameterOptions {
  const configFile = parsed.values['config-file'];
  const configEnv = parsed.values['config-env'];
  // sam deploy's --config-file and --config-env: the SAM configuration whose parameter_overrides the values given win over.
  const samConfig = configFile === undefined && configEnv === undefined ? {}
    : { samConfig: { ...(configFile !== undefined ? { configFile } : {}), ...(configEnv !== undefined ? { configEnv } : {}) } };
  const given = parsed.lists.parameter;
  if (given === undefined || given.length === 0) return samConfig;
  // Loaded with the first --parameter: its reader of parameter files brings the bounded JSON reader, which serve's start does not need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  const { parameterArgument, ParameterOverridesError } = require('../workbench/common/parameter-overrides') as typeof import('../workbench/common/parameter-overrides');
  const parameters: Record<string, string> = {};
  for (const entry of given) {
    let pairs: Array<[string, string]>;
    try {
      pairs = parameterArgument(entry);
    } catch (e) {
      if (!(e instanceof ParameterOverridesError)) throw e;
      throw new UsageError(`--parameter takes Name=Value, the name of one of the template's Parameters and its value; got '${entry}': ${e.message} `
        + '(it also takes ParameterKey=Name,ParameterValue=Value, several pairs in one string, and file://params.json, as sam deploy and aws cloudformation do)');
    }
    for (const [name, value] of pairs) Object.defineProperty(parameters, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return { parameters, ...samConfig };
}
