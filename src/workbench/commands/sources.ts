import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MachineType } from '../../asl/aws-defaults';
import { definitionNotJson } from '../../asl/json-value';
import { AwsLimits } from '../../asl/limits';
import { confinedPath, DATA_FILE_LIMIT, DEFINITION_FILE_LIMIT, fsErrorReason, JsonFileReadError, jsonTextProblem, readJsonText, readTemplateText, type SizeLimit } from '../common';
import { CommandInputError, JsonFileError, NotADefinitionError } from '../common/command-errors';
import { looksLikeJson, parseDefinitionText, parseYamlText, withLineAndColumn } from '../common/text';
import type { ExtractedStateMachine, ResolveOptions, SamConfigOptions } from '../template';
import type { WorkflowEngine } from '../workflow';
import { engineFromDefinition, engineFromTemplate, templateRoom as template } from '../workflow';

/*
 * Where both shells (`stepwright <command>` and `stepwright mcp`) get their
 * state machines from: an ASL file (JSON or YAML), a CloudFormation template,
 * a cdk.out directory, or the same given inline. One reading, so that a file
 * means the same to both.
 */

/** One state machine definition read from a file, a template or a cloud assembly. @internal */
export interface LoadedMachine {
  /** Names it in messages: the file, plus stack and construct path or logical id for templates. */
  readonly label: string;
  /** The parsed definition: an object, not yet checked by the validator. */
  readonly definition: object;
  /** StateMachineType from a template. */
  readonly type?: MachineType;
  /** StateMachineName, else the construct id or logical id; used to find a MockConfigFile entry. */
  readonly name?: string;
  /** The template the machine came from, to read its role (`validate --iam`). */
  readonly origin?: {
    readonly template: object;
    readonly options: ResolveOptions;
    readonly logicalId: string;
    readonly arn: string;
    /** The stack's name, which `AWS::StackName` resolves to. */
    readonly stackName: string;
    /** The construct path of the state machine (`aws:cdk:path`), when the template records it. */
    readonly constructPath?: string;
  };
  /** Where it was read from, so a scaffolded test file can load it the same way; absent when it was given inline. */
  readonly from?: MachineOrigin;
  /** The harness workflow for this machine (template resources resolved), as jest tests get it. */
  workflow(type?: MachineType): WorkflowEngine;
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
  /** The template file, or the cloud assembly and the stack's artifact id; absent for a template given inline. */
  readonly origin?: { readonly file: string } | { readonly dir: string; readonly stack: string };
  /** The folder of a cloud assembly's template: its file assets are read from there. */
  readonly templateDir?: string;
  /** A nested stack's parameters, as its parent passes them. */
  readonly parameters?: Record<string, string | string[]>;
  /** Construct paths by logical id, from the cloud assembly's metadata. */
  readonly resourcePaths?: Record<string, string>;
}

export { JsonFileError, NotADefinitionError } from '../common/command-errors';
export { DATA_FILE_LIMIT, INPUT_LIMIT } from '../common';

/**
 * Reads a JSON file as text, through the one reader of JSON files
 * ({@link readJsonText}): its size checked against `limit` before it is read,
 * a FIFO, socket or device refused rather than read (reading one can block
 * forever), a byte order mark refused by name.
 * @throws JsonFileError for a byte order mark or UTF-16 text; CommandInputError when it cannot be read
 * @internal
 */
export function readTextFile(file: string, what = 'file', limit: SizeLimit = DEFINITION_FILE_LIMIT): string {
  try {
    return readJsonText(file, limit);
  } catch (e) {
    if (!(e instanceof JsonFileReadError)) throw e;
    if (e.kind === 'encoding') throw new JsonFileError(file, e.reason);
    throw new CommandInputError(`cannot read ${what} ${file}: ${e.reason}`);
  }
}

/**
 * {@link readTextFile} for a file that is a definition or a template, which only its parsed
 * value tells apart: a leading byte order mark is dropped ({@link readTemplateText}), `bom` then
 * holding the refusal a definition gets.
 */
function readFileText(file: string): { readonly text: string; readonly bom?: string } {
  try {
    return readTemplateText(file, DEFINITION_FILE_LIMIT);
  } catch (e) {
    if (!(e instanceof JsonFileReadError)) throw e;
    if (e.kind === 'encoding') throw new JsonFileError(file, e.reason);
    throw new CommandInputError(`cannot read file ${file}: ${e.reason}`);
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


/** True for a parsed CloudFormation template rather than an ASL definition. */
function isTemplate(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return !('States' in value) && ('Resources' in value || 'AWSTemplateFormatVersion' in value);
}

/** How a shell names the selectors in its messages (`--stack` on the command line, `stack` in MCP). @internal */
export interface SelectorNames {
  readonly stack: string;
  readonly stateMachine: string;
  /** How a template parameter's value is given, `<name>` standing for its name. */
  readonly parameter: string;
}

const CLI_NAMES: SelectorNames = { stack: '--stack', stateMachine: '--state-machine', parameter: '--parameter <name>=<value>' };

/** Options choosing among the state machines of a template or cloud assembly. @internal */
export interface SelectOptions {
  /** Stack artifact id, stack name or display path in a cdk.out. */
  readonly stack?: string;
  /** Logical id, StateMachineName or construct path (see selectStateMachine). */
  readonly stateMachine?: string;
  /** The selectors' names in messages. @default - the command line's, `--stack` and `--state-machine` */
  readonly names?: SelectorNames;
  /**
   * Values of the templates' `Parameters`, by name, as `sam deploy --parameter-overrides` and
   * `aws cloudformation deploy --parameter-overrides` give them: over a parameter's `Default`.
   * @default - each parameter's Default
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * A template file's SAM configuration: `configFile` (`sam deploy --config-file`) and
   * `configEnv` (`--config-env`), whose `parameter_overrides` give values below `parameters`.
   * @default - `samconfig.toml` beside the template, environment `default`, when there is one
   */
  readonly samConfig?: SamConfigOptions;
  /**
   * Told which SAM configuration file gave parameter values, which names it gave that no template
   * declares, and what a template asks that AWS may read otherwise (a number in an `Fn::ForEach` Collection).
   */
  readonly onNote?: (message: string) => void;
}

/**
 * A definition or template given as a value rather than a file: JSON or YAML
 * text, or the parsed object. `label` names it in messages.
 * @internal
 */
export interface InlineSource {
  readonly label: string;
  readonly value: unknown;
}

/** A file or folder path, or a definition or template given inline. @internal */
export type MachineSource = string | InlineSource;

/**
 * Every state machine in `source`: an ASL file (one; JSON, or YAML for
 * `.yaml` and `.yml`), a CloudFormation template (each
 * AWS::StepFunctions::StateMachine, tokens resolved), a cdk.out directory
 * (each stack's), or a definition or template given inline. `stack` narrows
 * a cdk.out to one stack.
 * @internal
 */
export function loadMachines(source: MachineSource, options: SelectOptions = {}): LoadedMachine[] {
  return loadStacks(source, options).flatMap(({ stack, extracted, machines }) =>
    stack === undefined ? machines : extracted.map((m) => fromExtracted(stack, m)));
}

/**
 * The one state machine that `source` and the selectors name, or a message
 * listing the candidates.
 * @internal
 */
export function loadOneMachine(source: MachineSource, options: SelectOptions = {}): LoadedMachine {
  const names = options.names ?? CLI_NAMES;
  const target = labelOf(source);
  const groups = loadStacks(source, options);
  const plain = groups.find((g) => g.stack === undefined);
  if (plain) {
    if (options.stateMachine !== undefined) throw new CommandInputError(`${names.stateMachine} selects among the state machines of a template or cdk.out; ${target} is one ASL definition`);
    return plain.machines[0];
  }
  const stacks = groups.filter((g) => g.extracted.length > 0);
  if (stacks.length === 0) {
    throw new CommandInputError(`${target}: no AWS::StepFunctions::StateMachine resource in ${groups.length === 1 ? groups[0].stack!.label : `any of its ${groups.length} stacks`}`);
  }
  const matches: LoadedMachine[] = [];
  const errors: string[] = [];
  // Without a selector, one stack's only machine is not "the" machine when other stacks have some too.
  const candidates = options.stateMachine === undefined && stacks.length > 1 ? [] : stacks;
  for (const g of candidates) {
    try {
      matches.push(fromExtracted(g.stack!, template().selectStateMachine(g.extracted, options.stateMachine)));
    } catch (e) {
      if (!(e instanceof template().TemplateError)) throw e;
      errors.push(`${g.stack!.label}: ${e.message}`);
    }
  }
  if (matches.length === 1) return matches[0];
  if (stacks.length === 1) throw new CommandInputError(options.stateMachine === undefined ? `${errors[0]}\n(choose with ${names.stateMachine})` : errors[0]);
  const all = stacks.flatMap((g) => g.extracted.map((m) => `  - ${fromExtracted(g.stack!, m).label}`)).join('\n');
  const why = matches.length > 1 ? `'${options.stateMachine ?? ''}' matches ${matches.length} state machines` : options.stateMachine === undefined
    ? `${target} has state machines in ${stacks.length} stacks` : `no state machine matches '${options.stateMachine}'`;
  throw new CommandInputError(`${why}; choose one with ${names.stack} <stack> and ${names.stateMachine} <logical id, name or construct path>:\n${all}`);
}

interface StackGroup {
  readonly stack?: StackTemplate;
  readonly extracted: ExtractedStateMachine[];
  readonly machines: LoadedMachine[];
}

function labelOf(source: MachineSource): string {
  return typeof source === 'string' ? source : source.label;
}

/** True for a file whose name says it holds YAML. */
function isYamlFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

function loadStacks(source: MachineSource, options: SelectOptions): StackGroup[] {
  const names = options.names ?? CLI_NAMES;
  const target = labelOf(source);
  const stacks: StackTemplate[] = [];
  let parsed: unknown;
  let jsonBytes: number;
  let format: 'JSON' | 'YAML' = 'JSON';
  if (typeof source === 'string') {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(confinedPath(source));
    } catch (e) {
      throw new CommandInputError(`cannot read ${target}: ${e instanceof JsonFileReadError ? e.reason : fsErrorReason(e)}`);
    }
    if (stat.isDirectory()) {
      refuseSamConfig(options, `${target} is a cdk.out directory`);
      stacks.push(...cloudAssemblyStacks(source, options.parameters));
      if (options.stack !== undefined) {
        let chosen = stacks.filter((s) => s.ids.includes(options.stack!));
        if (chosen.length === 0) {
          throw new CommandInputError(`${target}: no stack '${options.stack}'; the cloud assembly has ${stacks.map((s) => s.ids[s.ids.length - 1]).join(', ') || 'no stacks'}`);
        }
        // A nested stack picked alone takes the values given itself; its parent, not deployed, passes what its Defaults give.
        if (options.parameters && chosen.every((s) => s.parameters !== undefined)) {
          chosen = cloudAssemblyStacks(source, undefined).filter((s) => s.ids.includes(options.stack!));
        }
        stacks.splice(0, stacks.length, ...chosen);
      }
      return extractAll(stacks, options.parameters, names, options.onNote);
    }
    const { text, bom } = readFileText(source);
    if (isYamlFile(source)) format = 'YAML';
    parsed = format === 'YAML' ? parseYamlText(text, source) : parseJsonText(text, source);
    // A byte order mark is dropped from a template, as AWS's tools drop it; a definition keeps the refusal.
    if (bom !== undefined && !isTemplate(parsed)) throw new JsonFileError(source, bom);
    jsonBytes = isYamlFile(source) ? jsonSize(parsed) : Buffer.byteLength(text);
  } else {
    if (typeof source.value === 'string' && !looksLikeJson(source.value)) format = 'YAML';
    parsed = typeof source.value === 'string' ? parseDefinitionText(source.value, source.label) : source.value;
    // JSON text is measured as given, as a file is: JSON.stringify of a value nested 200,000 deep
    // (which JSON.parse reads) exhausts the stack, where the validator says DEFINITION_TOO_DEEP.
    jsonBytes = typeof source.value === 'string' && format === 'JSON' ? Buffer.byteLength(source.value) : jsonSize(parsed);
  }
  parsed = otherToolsAsTemplate(parsed, target);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
    throw new NotADefinitionError(target, `valid ${format}, but it holds ${kind}, `
      + 'not a state machine definition (a JSON object with StartAt and States) or a CloudFormation template');
  }
  if (!isTemplate(parsed) && jsonBytes > AwsLimits.DEFINITION_BYTES) {
    throw new NotADefinitionError(target, `the definition is ${jsonBytes} bytes; AWS accepts state machine definitions of at most ${AwsLimits.DEFINITION_BYTES} bytes (1 MiB)`);
  }
  if (!isTemplate(parsed)) {
    refuseSamConfig(options, `${target} is an ASL definition`);
    if (options.stack !== undefined) throw new CommandInputError(`${names.stack} selects a stack of a cdk.out directory; ${target} is an ASL definition`);
    // A value for a parameter no template declares is refused, as CloudFormation refuses it: a definition declares none.
    const given = Object.keys(options.parameters ?? {});
    if (given.length > 0) {
      throw new CommandInputError(`${names.parameter.replace('<name>', given[0])} gives a value to a template's Parameters; ${target} is an ASL definition, which has none`);
    }
    const definition = parsed;
    return [{
      extracted: [],
      machines: [{
        label: target,
        definition,
        ...(typeof source === 'string' ? { from: { kind: 'definition', file: source } as const } : {}),
        workflow: (type) => engineFromDefinition(definition, type ? { type } : {}),
      }],
    }];
  }
  if (options.stack !== undefined) throw new CommandInputError(`${names.stack} selects a stack of a cdk.out directory; ${target} is a single template`);
  // A template file is named for its stack, as `cdk synth` names them; one given inline has no name.
  const stackName = typeof source === 'string' ? path.basename(target).replace(/\.template\.(json|ya?ml)$|\.(json|ya?ml)$/i, '') : 'Stack';
  stacks.push({ label: target, ids: [target], template: parsed, stackName, ...(typeof source === 'string' ? { origin: { file: source } } : {}) });
  if (typeof source !== 'string') {
    refuseSamConfig(options, `${target} is given inline, with no folder to read it from`);
    return extractAll(stacks, options.parameters, names, options.onNote);
  }
  return extractAll(stacks, withSamConfig(source, parsed, options), names, options.onNote);
}

/** A SAM configuration asked for where there is no SAM template file to read it for. */
function refuseSamConfig(options: SelectOptions, why: string): void {
  const { configFile, configEnv } = options.samConfig ?? {};
  if (configFile === undefined && configEnv === undefined) return;
  throw new CommandInputError(`a SAM configuration file (${configFile !== undefined ? 'config file' : 'config env'}) gives the parameters of a template file; ${why}`);
}

/** The values given, over those of the template file's SAM configuration (samconfig.toml). */
function withSamConfig(file: string, parsed: object, options: SelectOptions): Readonly<Record<string, string>> | undefined {
  let fromConfig: Record<string, string> | undefined;
  try {
    const { samConfigValues, declaredParameters } = template();
    fromConfig = samConfigValues(file, declaredParameters(parsed), options.samConfig ?? {}, options.onNote ?? (() => undefined));
  } catch (e) {
    if (e instanceof template().SamConfigError) throw new CommandInputError(e.message);
    throw e;
  }
  return fromConfig === undefined ? options.parameters : { ...fromConfig, ...options.parameters };
}

/** Terraform's JSON read as a template, or a Serverless Framework service file refused with what to give instead (asCloudFormation). */
function otherToolsAsTemplate(parsed: unknown, target: string): unknown {
  // A definition or a template loads nothing more.
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || Object.hasOwn(parsed, 'States') || isTemplate(parsed)) return parsed;
  try {
    return template().asCloudFormation(parsed);
  } catch (e) {
    if (e instanceof template().TemplateError) throw new CommandInputError(`${target}: ${e.message}`);
    throw e;
  }
}

/** The size AWS measures a definition by: its JSON text, in UTF-8 bytes. */
function jsonSize(value: unknown): number {
  // Nested too deep to write out: the validator refuses it (DEFINITION_TOO_DEEP) whatever its size.
  if (definitionNotJson(value)?.nesting === true) return 0;
  const text = JSON.stringify(value);
  return text === undefined ? 0 : Buffer.byteLength(text);
}

/** A resolver's advice to pass a parameter in `options.parameters`, said as the shell takes it. */
function howToGive(message: string, names: SelectorNames): string {
  return message.replace(/pass it in options\.parameters\['([A-Za-z0-9]+)'\]$/, (_, name: string) => `give its value with ${names.parameter}`.replace('<name>', name));
}

function extractAll(
  stacks: readonly StackTemplate[], parameters: Readonly<Record<string, string>> | undefined, names: SelectorNames,
  onNote: ((message: string) => void) | undefined,
): StackGroup[] {
  const { declaredParameters, stacksTakingParameters, undeclaredParametersRefusal } = template();
  // The values given are the deployed stacks'; a nested stack takes what its parent passes.
  const takers = stacksTakingParameters(stacks);
  if (parameters) {
    // CloudFormation refuses a value for a parameter the template does not declare; of a cloud assembly's stacks, one must.
    const refusal = undeclaredParametersRefusal(Object.keys(parameters), [...new Set(takers.flatMap((s) => declaredParameters(s.template)))]);
    if (refusal !== undefined) throw new CommandInputError(`${takers.length === 1 ? takers[0].label : takers.map((s) => s.label).join(', ')}: ${refusal}`);
  }
  return stacks.map((given) => {
    // Each stack taking the values given takes those it declares, over a Default (and, for a nested stack picked alone, over what its parent passes).
    const own = parameters && takers.includes(given)
      ? Object.entries(parameters).filter(([name]) => declaredParameters(given.template).includes(name)) : [];
    const stack: StackTemplate = own.length > 0 ? { ...given, parameters: { ...given.parameters, ...Object.fromEntries(own) } } : given;
    let extracted: ExtractedStateMachine[];
    try {
      // What the template asks that AWS may read otherwise (a number in a loop's Collection) is told, named by the stack.
      const note = onNote && ((message: string): void => onNote(`${stack.label}: ${message}`));
      extracted = template().extractStateMachines(stack.template, { ...resolveOptionsOf(stack), ...(note ? { onNote: note } : {}) });
    } catch (e) {
      if (e instanceof template().TemplateError) throw new CommandInputError(`${stack.label}: ${howToGive(e.message, names)}`);
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
    ...(stack.origin && 'file' in stack.origin ? { templateDir: path.dirname(path.resolve(stack.origin.file)) } : {}),
    ...(stack.templateDir ? { templateDir: stack.templateDir } : {}),
    ...(stack.parameters ? { parameters: stack.parameters } : {}),
    ...(stack.resourcePaths ? { resourcePaths: stack.resourcePaths } : {}),
  };
}

function fromExtracted(stack: StackTemplate, m: ExtractedStateMachine): LoadedMachine {
  const where = m.path ? m.path.replace(/\/Resource$/, '') : m.logicalId;
  const id = m.path ? where.split('/').pop() : undefined;
  return {
    label: `${stack.label} ${where}`,
    definition: m.rawDefinition,
    type: m.type,
    name: m.name ?? id ?? m.logicalId,
    workflow: (type) => {
      try {
        return engineFromTemplate(stack.template, { ...resolveOptionsOf(stack), stateMachine: m.logicalId, ...(type ? { type } : {}) });
      } catch (e) {
        // A LoggingConfiguration AWS refuses: exit 1, as validate's finding does.
        if (e instanceof template().TemplateError) throw new CommandInputError(`${stack.label}: ${e.message}`, e.code === 'INVALID_LOGGING_CONFIGURATION');
        throw e;
      }
    },
    origin: {
      template: stack.template,
      options: resolveOptionsOf(stack),
      logicalId: m.logicalId,
      arn: m.arn,
      stackName: stack.stackName,
      ...(m.path ? { constructPath: where } : {}),
    },
    ...(stack.origin ? { from: originOf(stack.origin, m.logicalId) } : {}),
  };
}

function originOf(origin: NonNullable<StackTemplate['origin']>, logicalId: string): MachineOrigin {
  return 'file' in origin
    ? { kind: 'template', file: origin.file, logicalId }
    : { kind: 'cdk-out', dir: origin.dir, stack: origin.stack, logicalId };
}

/** Every stack of a cloud assembly, read by the harness's loader (nested assemblies too). */
function cloudAssemblyStacks(dir: string, given: Readonly<Record<string, string>> | undefined): StackTemplate[] {
  let stacks;
  try {
    // What a stack passes its nested stacks is resolved with the values given it.
    stacks = template().assemblyStacksGiven(dir, given);
  } catch (e) {
    if (e instanceof template().TemplateError) throw new CommandInputError(e.message);
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
    ...(s.templateDir ? { templateDir: s.templateDir } : {}),
    ...(s.parameters ? { parameters: s.parameters } : {}),
    ...(s.resourcePaths ? { resourcePaths: s.resourcePaths } : {}),
  }));
}

function templateObject(file: string, t: unknown): object {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) throw new CommandInputError(`${file}: not a CloudFormation template (expected a JSON object)`);
  return t;
}
