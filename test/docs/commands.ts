import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import * as sdk from '@aws-sdk/client-sfn';
import { ROOT } from './markdown';
import { main } from '../../src/cli/cli';
import { operationNamed } from '../../src/server/operations';
import { SHARED_DIR } from '../shared-data';

/** One command of a shell block, as words, with the text it came from. */
export interface Command {
  readonly text: string;
  readonly words: string[];
}

/**
 * The commands of a shell block: `\` continues a line, `#` starts a comment,
 * `&&`, `;` and `|` separate commands, `> file` redirects, `(...)` is a subshell,
 * and `NAME=value` before a command sets its environment.
 */
export function commandsOf(code: string): Command[] {
  const commands: Command[] = [];
  const logical = code.replace(/\\\n/g, ' ').split('\n');
  for (const line of logical) {
    const words = shellWords(line);
    let current: string[] = [];
    const flush = () => {
      while (current.length && /^[A-Z_][A-Z0-9_]*=/.test(current[0])) current.shift();
      if (current.length) commands.push({ text: line.trim(), words: current });
      current = [];
    };
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w === '&&' || w === ';' || w === '|' || w === '||') flush();
      else if (w === '>' || w === '>>' || w === '2>') i++;
      else if (w === '(' || w === ')') flush();
      else current.push(w);
    }
    flush();
  }
  return commands;
}

/** Splits a line into words as a POSIX shell would, quotes removed; operators are words of their own. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unclosed ${c} in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '<' && /^<[^\s<>]+>/.test(line.slice(i))) {
      // A placeholder the reader fills in (`<executionArn>`), not a redirect.
      const end = line.indexOf('>', i);
      word = (word ?? '') + line.slice(i, end + 1);
      i = end;
    } else if (c === '#' && word === undefined) {
      break;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ('();|&>'.includes(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      const two = line.slice(i, i + 2);
      if (two === '&&' || two === '||' || two === '>>') {
        words.push(two);
        i++;
      } else {
        words.push(c);
      }
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** What the stepwright command line prints and exits with. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCli(args: readonly string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) => new Writable({ write(chunk, _enc, done) { append(String(chunk)); done(); } });
  const code = await main(args, sink((s) => { out += s; }), sink((s) => { err += s; }));
  return { code, out, err };
}

const helpCache = new Map<string, Promise<string>>();

/** `stepwright <command> --help`, once per command. */
function helpOf(command: string): Promise<string> {
  let help = helpCache.get(command);
  if (!help) {
    help = runCli([command, '--help']).then((r) => (r.code === 0 ? r.out : ''));
    helpCache.set(command, help);
  }
  return help;
}

/** Flags the AWS CLI takes for any command, besides an operation's own parameters. */
const AWS_GLOBAL_VALUES = new Set(['endpoint-url', 'region', 'profile', 'output', 'query', 'cli-binary-format']);
const AWS_GLOBAL = new Set([...AWS_GLOBAL_VALUES, 'no-cli-pager', 'debug']);

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string; version: string; scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string>;
};
const projenTasks = (JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')) as { tasks: Record<string, unknown> }).tasks;

/**
 * Why `command` would not work as written, or undefined. Each command a guide
 * shows must be one this knows how to check: a stepwright command and its
 * options, `aws stepfunctions` operations that `stepwright serve` answers with
 * parameters the operation has, npm and projen tasks and binaries that exist.
 */
export async function problemWith(command: Command): Promise<string | undefined> {
  const w = command.words;
  const [head, ...rest] = w[0] === 'npx' ? w.slice(1) : w;
  switch (head) {
    case 'stepwright': return stepwrightProblem(rest);
    case 'aws': return awsProblem(rest);
    // LocalStack's wrapper: the AWS CLI with --endpoint-url http://localhost:4566.
    case 'awslocal': return awsProblem([...rest, '--endpoint-url', 'http://localhost:4566']);
    case 'npm': return npmProblem(rest);
    case 'projen': return rest.length === 0 || Object.hasOwn(projenTasks, rest[0]) ? undefined : `'projen ${rest[0]}' is not a task in .projen/tasks.json`;
    case 'jest':
    case 'tsc':
    case 'cdk':
      return fs.existsSync(path.join(ROOT, 'node_modules', '.bin', head)) ? undefined : `'${head}' is not installed`;
    case 'bash':
    case 'node':
      return fileProblem(rest.find((a) => !a.startsWith('-')));
    case 'cd':
      return fileProblem(rest[0]);
    default:
      return `no check knows the command '${head}'; check it in test/docs/commands.ts or mark the block <!-- check: none <why> -->`;
  }
}

async function stepwrightProblem(args: string[]): Promise<string | undefined> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '--version') return undefined;
  const help = await helpOf(sub);
  if (!help) return `'stepwright ${sub}' is not a command`;
  for (const a of rest) {
    if (!a.startsWith('--')) continue;
    const flag = a.slice(2).split('=')[0];
    if (!new RegExp(`--${flag}(?![\\w-])`).test(help)) return `'stepwright ${sub}' has no option --${flag}`;
  }
  return undefined;
}

function awsProblem(args: string[]): string | undefined {
  const [service, ...words] = args;
  if (service !== 'stepfunctions') return `'aws ${service}' is not Step Functions`;
  // The operation is the first word that is neither an option nor the value of a global option.
  const at = words.findIndex((w, i) => !w.startsWith('--') && !(i > 0 && AWS_GLOBAL_VALUES.has(words[i - 1].slice(2))));
  if (at < 0) return '\'aws stepfunctions\' without an operation';
  const op = words[at];
  const rest = [...words.slice(0, at), ...words.slice(at + 1)];
  const operation = op.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('');
  if (operationNamed(operation) === undefined) return `stepwright serve does not answer ${operation} ('aws stepfunctions ${op}')`;
  const schema = (sdk as unknown as Record<string, unknown>)[`${operation}Input$`];
  const members = Array.isArray(schema) && Array.isArray(schema[4]) ? (schema[4] as string[]) : undefined;
  if (!members) return `@aws-sdk/client-sfn has no input schema for ${operation}`;
  if (!rest.includes('--endpoint-url')) return `'aws stepfunctions ${op}' without --endpoint-url talks to AWS, not to stepwright serve`;
  for (const a of rest) {
    if (!a.startsWith('--')) continue;
    const flag = a.slice(2);
    const member = flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (!AWS_GLOBAL.has(flag) && !members.includes(member)) return `${operation} has no parameter ${member} (--${flag}); it takes ${members.join(', ')}`;
  }
  return undefined;
}

function npmProblem(args: string[]): string | undefined {
  const [sub, ...rest] = args;
  if (sub === 'run') return Object.hasOwn(pkg.scripts, rest[0]) ? undefined : `'npm run ${rest[0]}': package.json has no such script`;
  if (sub === 'pack' || sub === 'test') return undefined;
  if (sub !== 'i' && sub !== 'install') return `no check knows 'npm ${sub}'`;
  for (const a of rest) {
    if (a.startsWith('-')) {
      if (!['-D', '--save-dev', '--no-audit', '--no-fund'].includes(a)) return `'npm install ${a}' is not an option the guides use`;
      continue;
    }
    if (a.endsWith('.tgz')) {
      // The file `npx projen package` writes: dist/js/stepwright-<version>.tgz.
      if (!a.endsWith(`dist/js/${pkg.name}-${pkg.version}.tgz`)) return `'${a}' is not the tarball npx projen package writes (dist/js/${pkg.name}-${pkg.version}.tgz)`;
      continue;
    }
    const name = a.replace(/(.)@.*$/, '$1');
    if (name !== pkg.name && !Object.hasOwn(pkg.dependencies, name) && !Object.hasOwn(pkg.devDependencies, name)) {
      return `'${name}' is neither stepwright nor one of its (dev)dependencies`;
    }
  }
  return undefined;
}

function fileProblem(file: string | undefined): string | undefined {
  if (file === undefined) return 'no file given';
  // The data beside the clone (../shared) is not in the repository; where it is absent, its paths cannot be checked.
  if (file.startsWith('../shared') && !fs.existsSync(SHARED_DIR)) return undefined;
  return fs.existsSync(path.join(ROOT, file)) ? undefined : `${file} does not exist`;
}
