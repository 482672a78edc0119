import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from './errors';
import { DATA_FILE_LIMIT, DEFINITION_FILE_LIMIT, JsonFileReadError, jsonTextProblem, readJsonText, type SizeLimit } from '../testing/json-file';
import {
  cloudAssemblyStacks as readCloudAssembly, extractStateMachines, selectStateMachine, TemplateError, type ExtractedStateMachine, type ResolveOptions,
} from '../testing/template';
import { Workflow } from '../testing/workflow';

/** One state machine definition read from a file, a template or a cloud assembly. @internal */
export interface LoadedMachine {
  /** Names it in messages: the file, plus stack and construct path or logical id for templates. */
  readonly label: string;
  /** The parsed definition. */
  readonly definition: unknown;
  /** StateMachineType from a template. */
  readonly type?: 'STANDARD' | 'EXPRESS';
  /** StateMachineName, else the construct id or logical id; used to find a MockConfigFile entry. */
  readonly name?: string;
  /** The template the machine came from, to read its role (`validate --iam`). */
  readonly origin?: { readonly template: object; readonly options: ResolveOptions; readonly logicalId: string; readonly arn: string };
  /** Where it was read from, so a scaffolded test file can load it the same way. */
  readonly from: MachineOrigin;
  /** The harness workflow for this machine (template resources resolved), as jest tests get it. */
  workflow(type?: 'STANDARD' | 'EXPRESS'): Workflow;
}

/** The file or cloud assembly a machine was read from, and which machine of it. @internal */
export type MachineOrigin =
  | { readonly kind: 'definition'; readonly file: string }
  | { readonly kind: 'template'; readonly file: string; readonly logicalId: string }
  | { readonly kind: 'cdk-out'; readonly dir: string; readonly stack: string; readonly logicalId: string };

/** One stack template in a file or cloud assembly. */
interface StackTemplate {
  readonly label: string;
  readonly ids: readonly string[];
  readonly template: object;
  readonly stackName: string;
  readonly region?: string;
  readonly account?: string;
  /** The template file, or the cloud assembly and the stack's artifact id. */
  readonly origin: { readonly file: string } | { readonly dir: string; readonly stack: string };
}

/** The file is not JSON: says where, so it can be fixed. @internal */
export class JsonFileError extends CliError {
  constructor(public readonly file: string, public readonly reason: string) {
    super(`${file}: not valid JSON: ${reason}`, 2);
    this.name = 'JsonFileError';
  }
}

/** The file holds JSON, but not an object: neither a definition nor a template. @internal */
export class NotADefinitionError extends CliError {
  constructor(public readonly file: string, public readonly reason: string) {
    super(`${file}: ${reason}`, 1);
    this.name = 'NotADefinitionError';
  }
}

export { DATA_FILE_LIMIT, INPUT_LIMIT } from '../testing/json-file';

/** AWS refuses a state machine definition larger than this (1 MiB). */
export const MAX_DEFINITION_BYTES = 1_048_576;

/**
 * Reads a JSON file as text, through the one reader of JSON files
 * ({@link readJsonText}): its size checked against `limit` before it is read,
 * a FIFO, socket or device refused rather than read (reading one can block
 * forever), a byte order mark refused by name.
 * @throws JsonFileError for a byte order mark or UTF-16 text; CliError when it cannot be read
 * @internal
 */
export function readTextFile(file: string, what = 'file', limit: SizeLimit = DEFINITION_FILE_LIMIT): string {
  try {
    return readJsonText(file, limit);
  } catch (e) {
    if (!(e instanceof JsonFileReadError)) throw e;
    if (e.kind === 'encoding') throw new JsonFileError(file, e.reason);
    throw new CliError(`cannot read ${what} ${file}: ${e.reason}`, 2);
  }
}

/**
 * Reads and parses a JSON file, naming the file and the line and column of
 * a syntax error.
 * @internal
 */
export function readJsonFile(file: string, what = 'file', limit: SizeLimit = DATA_FILE_LIMIT): unknown {
  return parseJsonText(readTextFile(file, what, limit), file);
}

/** Parses JSON text, naming the file and the line and column of a syntax error. @internal */
export function parseJsonText(text: string, file: string): unknown {
  const problem = jsonTextProblem(text);
  if (problem) throw new JsonFileError(file, problem);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new JsonFileError(file, withLineAndColumn(text, (e as Error).message));
  }
}

function withLineAndColumn(text: string, rawMessage: string): string {
  // V8 quotes the text around the error, newlines included: keep the message on one line.
  const message = rawMessage.replace(/\s+/g, ' ');
  const m = /at position (\d+)/.exec(message);
  if (!m) return text.trim() === '' ? 'the file is empty' : message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `${message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return (e as Error).message;
}

/** True for a parsed CloudFormation template rather than an ASL definition. */
function isTemplate(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const o = value as Record<string, unknown>;
  return !('States' in o) && ('Resources' in o || 'AWSTemplateFormatVersion' in o);
}

/** Options choosing among the state machines of a template or cloud assembly. @internal */
export interface SelectOptions {
  /** Stack artifact id, stack name or display path in a cdk.out. */
  readonly stack?: string;
  /** Logical id, StateMachineName or construct path (see selectStateMachine). */
  readonly stateMachine?: string;
}

/**
 * Every state machine in `target`: an ASL file (one), a CloudFormation
 * template (each AWS::StepFunctions::StateMachine, tokens resolved) or a
 * cdk.out directory (each stack's). `stack` narrows a cdk.out to one stack.
 * @internal
 */
export function loadMachines(target: string, options: SelectOptions = {}): LoadedMachine[] {
  return loadStacks(target, options).flatMap(({ stack, extracted, machines }) =>
    stack === undefined ? machines : extracted.map((m) => fromExtracted(stack, m)));
}

/**
 * The one state machine that `target` and the selectors name, or a message
 * listing the candidates.
 * @internal
 */
export function loadOneMachine(target: string, options: SelectOptions = {}): LoadedMachine {
  const groups = loadStacks(target, options);
  const plain = groups.find((g) => g.stack === undefined);
  if (plain) {
    if (options.stateMachine !== undefined) throw new CliError(`--state-machine selects among the state machines of a template or cdk.out; ${target} is one ASL definition`, 2);
    return plain.machines[0];
  }
  const stacks = groups.filter((g) => g.extracted.length > 0);
  if (stacks.length === 0) {
    throw new CliError(`${target}: no AWS::StepFunctions::StateMachine resource in ${groups.length === 1 ? groups[0].stack!.label : `any of its ${groups.length} stacks`}`, 2);
  }
  const matches: LoadedMachine[] = [];
  const errors: string[] = [];
  // Without a selector, one stack's only machine is not "the" machine when other stacks have some too.
  const candidates = options.stateMachine === undefined && stacks.length > 1 ? [] : stacks;
  for (const g of candidates) {
    try {
      matches.push(fromExtracted(g.stack!, selectStateMachine(g.extracted, options.stateMachine)));
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      errors.push(`${g.stack!.label}: ${e.message}`);
    }
  }
  if (matches.length === 1) return matches[0];
  if (stacks.length === 1) throw new CliError(errors[0], 2);
  const all = stacks.flatMap((g) => g.extracted.map((m) => `  - ${fromExtracted(g.stack!, m).label}`)).join('\n');
  const why = matches.length > 1 ? `'${options.stateMachine ?? ''}' matches ${matches.length} state machines` : options.stateMachine === undefined
    ? `${target} has state machines in ${stacks.length} stacks` : `no state machine matches '${options.stateMachine}'`;
  throw new CliError(`${why}; choose one with --stack <stack> and --state-machine <logical id, name or construct path>:\n${all}`, 2);
}

interface StackGroup {
  readonly stack?: StackTemplate;
  readonly extracted: ExtractedStateMachine[];
  readonly machines: LoadedMachine[];
}

function loadStacks(target: string, options: SelectOptions): StackGroup[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (e) {
    throw new CliError(`cannot read ${target}: ${describeFsError(e)}`, 2);
  }
  const stacks: StackTemplate[] = [];
  if (stat.isDirectory()) {
    stacks.push(...cloudAssemblyStacks(target));
    if (options.stack !== undefined) {
      const chosen = stacks.filter((s) => s.ids.includes(options.stack!));
      if (chosen.length === 0) {
        throw new CliError(`${target}: no stack '${options.stack}'; the cloud assembly has ${stacks.map((s) => s.ids[s.ids.length - 1]).join(', ') || 'no stacks'}`, 2);
      }
      stacks.splice(0, stacks.length, ...chosen);
    }
  } else {
    const text = readTextFile(target);
    const parsed = parseJsonText(text, target);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
      throw new NotADefinitionError(target, `valid JSON, but it holds ${kind}, not a state machine definition (a JSON object with StartAt and States) or a CloudFormation template`);
    }
    if (!isTemplate(parsed) && Buffer.byteLength(text) > MAX_DEFINITION_BYTES) {
      throw new NotADefinitionError(target, `the definition is ${Buffer.byteLength(text)} bytes; AWS accepts state machine definitions of at most ${MAX_DEFINITION_BYTES} bytes (1 MiB)`);
    }
    if (!isTemplate(parsed)) {
      if (options.stack !== undefined) throw new CliError(`--stack selects a stack of a cdk.out directory; ${target} is ${isTemplate(parsed) ? 'a template' : 'an ASL definition'}`, 2);
      const definition = parsed;
      return [{
        extracted: [],
        machines: [{
          label: target,
          definition,
          from: { kind: 'definition', file: target },
          workflow: (type) => Workflow.fromDefinition(definition as never, type ? { type } : {}),
        }],
      }];
    }
    if (options.stack !== undefined) throw new CliError(`--stack selects a stack of a cdk.out directory; ${target} is a single template`, 2);
    stacks.push({ label: target, ids: [target], template: parsed, stackName: path.basename(target).replace(/\.template\.json$|\.json$/, ''), origin: { file: target } });
  }
  return stacks.map((stack) => {
    let extracted: ExtractedStateMachine[];
    try {
      extracted = extractStateMachines(stack.template, resolveOptionsOf(stack));
    } catch (e) {
      if (e instanceof TemplateError) throw new CliError(`${stack.label}: ${e.message}`, 2);
      throw e;
    }
    return { stack, extracted, machines: [] };
  });
}

function resolveOptionsOf(stack: StackTemplate): ResolveOptions {
  return {
    stackName: stack.stackName,
    ...(stack.region ? { region: stack.region } : {}),
    ...(stack.account ? { account: stack.account } : {}),
  };
}

function fromExtracted(stack: StackTemplate, m: ExtractedStateMachine): LoadedMachine {
  const where = m.path ? m.path.replace(/\/Resource$/, '') : m.logicalId;
  const id = m.path ? where.split('/').pop() : undefined;
  return {
    label: `${stack.label} ${where}`,
    definition: m.definition,
    type: m.type,
    name: m.name ?? id ?? m.logicalId,
    workflow: (type) => Workflow.fromTemplate(stack.template, {
      stateMachine: m.logicalId,
      stackName: stack.stackName,
      ...(stack.region ? { region: stack.region } : {}),
      ...(stack.account ? { account: stack.account } : {}),
      ...(type ? { type } : {}),
    }),
    origin: { template: stack.template, options: resolveOptionsOf(stack), logicalId: m.logicalId, arn: m.arn },
    from: 'file' in stack.origin
      ? { kind: 'template', file: stack.origin.file, logicalId: m.logicalId }
      : { kind: 'cdk-out', dir: stack.origin.dir, stack: stack.origin.stack, logicalId: m.logicalId },
  };
}

/** Every stack of a cloud assembly, read by the harness's loader (nested assemblies too). */
function cloudAssemblyStacks(dir: string): StackTemplate[] {
  let stacks;
  try {
    stacks = readCloudAssembly(dir);
  } catch (e) {
    if (e instanceof TemplateError) throw new CliError(e.message, 2);
    throw e;
  }
  const manifest = fs.existsSync(path.join(dir, 'manifest.json'));
  return stacks.map((s) => ({
    label: manifest ? `${dir} ${s.displayName ?? s.artifactId}` : s.templateFile,
    ids: [s.artifactId, s.stackName, ...(s.displayName ? [s.displayName] : [])],
    template: templateObject(s.templateFile, s.template),
    stackName: s.stackName,
    ...(s.region ? { region: s.region } : {}),
    ...(s.account ? { account: s.account } : {}),
    origin: { dir, stack: s.artifactId },
  }));
}

function templateObject(file: string, t: unknown): object {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) throw new CliError(`${file}: not a CloudFormation template (expected a JSON object)`, 2);
  return t;
}
