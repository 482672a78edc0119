import type { ScaffoldParameter } from './tests';
import { parameterValueShown } from '../../cfn';

/** Arguments a POSIX shell reads as they are: no quoting needed. */
const PLAIN = /^[\w@%+=:,./-]+$/;
/** Characters a single-quoted string cannot hold as they are on one line. */
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** One argument as a POSIX shell must be given it to read it back unchanged. */
function shellWord(arg: string): string {
  if (arg !== '' && PLAIN.test(arg)) return arg;
  if (!CONTROL.test(arg)) return `'${arg.replace(/'/g, "'\\''")}'`;
  // A line break or control character: ANSI-C quoting ($'...', bash, zsh, ksh and dash 0.5.12+), so the command stays one line.
  const body = Array.from(arg).map((ch) => {
    if (ch === '\\' || ch === "'") return `\\${ch}`;
    if (!CONTROL.test(ch)) return ch;
    const code = ch.codePointAt(0)!;
    // \u reads at most 4 hex digits: a character past U+FFFF (a tag character U+E0041) needs \U and 8.
    if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
    return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
  }).join('');
  return `$'${body}'`;
}

/**
 * A command line a shell runs with exactly these arguments: `{"a":1}`,
 * spaces, quotes and `$` are single-quoted (`'{"a":1}'`, which a shell
 * would otherwise brace-expand or split), so the command in a scaffolded
 * file's header can be pasted to write the file again.
 * @internal
 */
export function shellCommand(args: readonly string[]): string {
  return args.map(shellWord).join(' ');
}

/** What a written command line shows in place of a template parameter's value. */
export const HIDDEN_PARAMETER_VALUE = '<not written>';

/**
 * The arguments with each `--parameter Name=Value`'s value left out: a parameter may be NoEcho (a
 * password CloudFormation never shows), and the command line goes into a file that is kept and
 * shared. The names stay, so the reader knows which values to give again; a parameters file's JSON
 * given inline (`[{"ParameterKey": …, "ParameterValue": …}]`, `{"Parameters": {…}}`, which
 * `--parameter` reads as it reads `file://params.json`) holds its values anywhere in it, and none
 * of it is written.
 * @internal
 */
export function withParameterValuesHidden(args: readonly string[]): string[] {
  const hide = (pair: string): string => {
    // JSON as parameter-overrides.ts tells it (parameterArgument): a list or an object.
    if (/^\s*[[{]/.test(pair)) return HIDDEN_PARAMETER_VALUE;
    const eq = pair.indexOf('=');
    return eq < 0 ? pair : `${pair.slice(0, eq + 1)}${HIDDEN_PARAMETER_VALUE}`;
  };
  return args.map((arg, i) => {
    if (arg.startsWith('--parameter=')) return `--parameter=${hide(arg.slice('--parameter='.length))}`;
    return i > 0 && args[i - 1] === '--parameter' ? hide(arg) : arg;
  });
}

/** The environment variable a scaffolded file reads the value of NoEcho parameter `name` from. @internal */
export function parameterVariable(name: string): string {
  return `STEPWRIGHT_PARAMETER_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * The `--parameter` values as a scaffolded file loads `template` with them, so that its tests run
 * the machine explore or verify ran: a value the template may show is written as it is; a NoEcho
 * parameter's (or one of a name the template does not declare) is read from
 * {@link parameterVariable} when the file runs, never written into a file that is kept and shared.
 * @internal
 */
export function writtenParameters(given: Readonly<Record<string, string>>, template: object): Record<string, ScaffoldParameter> {
  const out: Record<string, ScaffoldParameter> = {};
  for (const [name, value] of Object.entries(given)) {
    const written: ScaffoldParameter = parameterValueShown(template, name) ? value : { fromEnv: parameterVariable(name) };
    Object.defineProperty(out, name, { value: written, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
