import { UsageError } from './cli-error';

/** What a command accepts: options that take a value, and boolean flags. @internal */
export interface ArgSpec {
  readonly command: string;
  readonly values: readonly string[];
  readonly flags: readonly string[];
  /** Options that take a value and may be repeated (`--redact a --redact b`). @default - none */
  readonly lists?: readonly string[];
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
      throw new UsageError(`unknown option '--${name}' for '${spec.command}'; it accepts ${known}`);
    }
  }
  return { positionals, values, flags, lists };
}
