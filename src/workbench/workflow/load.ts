/*
 * Loading a workflow: a state machine taken out of a CDK stack, a synthesized template, a cloud
 * assembly or plain ASL, each given as an object, as JSON text or as the path of a file. The jest
 * `Workflow.fromStack` and its siblings and the shells' sources all load through here.
 */
import * as fs from 'node:fs';
import type { Stack } from 'aws-cdk-lib/core';
import { arnParts, WorkflowEngine } from './engine';
import type { DefinitionOptions, FromStackOptions, WorkflowOptions } from './options';
import { AwsDefaults } from '../../asl/aws-defaults';
import { definitionNotJson } from '../../asl/json-value';
import { fieldOf } from '../../asl/own';
import { allStates } from '../../asl/state-tree';
import type { ResolveOptions, TemplateSource } from '../template';
import { templateRoom as template } from './lazy-rooms';

/**
 * Synthesizes the stack's app and takes a state machine out of it.
 * @throws TemplateError listing the state machines when there are none, or several and no selector
 */
export function engineFromStack(stack: Stack, options: FromStackOptions = {}): WorkflowEngine {
  const { silenceSynthWarnings, ...selection } = parametersByName(options);
  const { templateFromStack, withSourceOptions } = template();
  const source = templateFromStack(stack, { silenceSynthWarnings });
  const workflow = engineFromTemplate(source.template, withSourceOptions(source, selection));
  const states = allStates(workflow.definition);
  for (const [state, why] of leftOutStates(stack)) if (!states.has(state)) workflow.mockKeyHints.set(state, why);
  return workflow;
}

/**
 * Takes a state machine out of a synthesized CloudFormation template: the template as an
 * object, as JSON text (a string starting with `{`), or the path of a template file (any other
 * string). Read from a file, `AWS::StackName` is the file name without `.template.json`.
 * @throws TemplateError listing the state machines when there are none, or several and no selector;
 *   naming what it was given (JSON text or a path) when it cannot read it; INVALID_LOGGING_CONFIGURATION
 *   when CreateStateMachine refuses the machine's LoggingConfiguration, as CloudFormation's deploy fails
 */
export function engineFromTemplate(given: object | string, options: WorkflowOptions = {}): WorkflowEngine {
  const {
    asCloudFormation, extractStateMachines, recordWorkflowSource, selectQualified, selectStateMachine, templateLoggingRefusal, withSourceOptions,
  } = template();
  const { configFile, configEnv, ...rest } = parametersByName(options);
  if (typeof given === 'string' && !looksLikeJson(given)) {
    const source = readTemplateArgument('fromTemplate', given);
    return engineFromTemplate(source.template, withSourceOptions(source, withSamConfig(given, source.template, rest, { configFile, configEnv })));
  }
  if (configFile !== undefined || configEnv !== undefined) {
    throw new (template().TemplateError)('INVALID_SAM_CONFIG', 'configFile and configEnv read the SAM configuration of a template file; fromTemplate was given no file path');
  }
  const parsed = asCloudFormation(typeof given === 'string' ? parseJson('fromTemplate', given) : given) as object;
  const { stateMachine, type, version, alias, ...resolve } = rest;
  const machines = extractStateMachines(parsed, { ...resolve, onNote: harnessNote });
  const selector = stateMachine === undefined || typeof stateMachine === 'string' ? stateMachine : stateMachine.node.path;
  const chosen = version === undefined && alias === undefined
    ? selectStateMachine(machines, selector)
    : selectQualified(parsed, resolve, machines, selector, { version, alias });
  // CloudFormation's deploy fails on a LoggingConfiguration CreateStateMachine refuses: so does loading, as validate and serve --load say.
  const logging = templateLoggingRefusal(parsed, chosen.logicalId, resolve);
  if (logging !== undefined) {
    throw new (template().TemplateError)('INVALID_LOGGING_CONFIGURATION', `state machine '${chosen.logicalId}': ${logging.message}`,
      { stateMachine: chosen.logicalId, location: logging.location });
  }
  const { rawDefinition: definition, resources } = chosen;
  const where = arnParts(chosen.arn);
  const workflow = new WorkflowEngine({ definition, resources, where, type: type ?? chosen.type, extracted: chosen, siblings: machines });
  recordWorkflowSource(workflow, { template: parsed, options: resolve });
  return workflow;
}

/** A note of the harness's loading (the SAM configuration read, a number in a loop's Collection): on stderr, as jest shows it. */
function harnessNote(message: string): void {
  process.stderr.write(`stepwright: note: ${message}\n`);
}

/** Options whose parameters are given by name. */
type ByName<T extends WorkflowOptions> = Omit<T, 'parameters'> & Pick<ResolveOptions, 'parameters'>;

/**
 * The options with their parameters by name: the list form (`[{ ParameterKey, ParameterValue }]`,
 * `['Name=Value']`) read as `--parameter file://params.json` reads it.
 * @throws TemplateError INVALID_PARAMETER_VALUE naming the entry that is neither form
 */
function parametersByName<T extends WorkflowOptions>(options: T): ByName<T> {
  const { parameters: given, ...rest } = options;
  if (isByName(given)) return given === undefined ? rest : { ...rest, parameters: given };
  const { parametersOfJson, ParameterOverridesError, TemplateError } = template();
  let pairs: Array<[string, string]>;
  try {
    pairs = parametersOfJson(given, 'parameters');
  } catch (e) {
    if (e instanceof ParameterOverridesError) throw new TemplateError('INVALID_PARAMETER_VALUE', e.message);
    throw e;
  }
  const byName: Record<string, string> = {};
  // A name read from outside is a key like any other (`__proto__`, `constructor`).
  for (const [name, value] of pairs) Object.defineProperty(byName, name, { value, enumerable: true, writable: true, configurable: true });
  return { ...rest, parameters: byName };
}

/** True for parameters given by name, or none: not in a parameters file's forms (a list, `{ Parameters: { … } }`). */
function isByName(given: WorkflowOptions['parameters']): given is Readonly<Record<string, string | string[]>> | undefined {
  if (Array.isArray(given)) return false;
  // `{ Parameters: { … } }`, a parameters file's other form: a value by name is text or a list, never an object.
  const section = fieldOf(given, 'Parameters');
  return section === null || typeof section !== 'object' || Array.isArray(section);
}

/** The options' parameters over those the template file's SAM configuration (samconfig.toml) gives. */
function withSamConfig(
  file: string, parsed: object, options: ByName<WorkflowOptions>, samConfig: { configFile?: string | undefined; configEnv?: string | undefined },
): ByName<WorkflowOptions> {
  const { samConfigValues, SamConfigError, declaredParameters, TemplateError } = template();
  const { configFile, configEnv } = samConfig;
  const chosen = { ...(configFile !== undefined ? { configFile } : {}), ...(configEnv !== undefined ? { configEnv } : {}) };
  let fromConfig: Record<string, string> | undefined;
  try {
    fromConfig = samConfigValues(file, declaredParameters(parsed), chosen, harnessNote);
  } catch (e) {
    if (e instanceof SamConfigError) throw new TemplateError('INVALID_SAM_CONFIG', e.message);
    throw e;
  }
  return fromConfig === undefined ? options : { ...options, parameters: { ...fromConfig, ...options.parameters } };
}

/**
 * Takes a state machine out of a cloud assembly (`cdk.out`): out of the stack
 * named, else out of its only stack (or only stack holding a state machine).
 * @throws TemplateError when the stack or state machine is not found
 */
export function engineFromCdkOut(dir: string, stackName?: string, options: WorkflowOptions = {}): WorkflowEngine {
  const { templateFromCdkOut, withSourceOptions } = template();
  const source = templateFromCdkOut(dir, stackName);
  return engineFromTemplate(source.template, withSourceOptions(source, parametersByName(options)));
}

/**
 * A workflow from plain ASL: an object, JSON text (a string starting with `{`), or the path of
 * an ASL file (any other string).
 * @throws TemplateError naming what it was given (JSON text or a path) when it cannot read it
 */
export function engineFromDefinition(definition: object | string, options: DefinitionOptions = {}): WorkflowEngine {
  // The engine checks what was read: a definition is typed only by passing the validator.
  const parsed = typeof definition !== 'string' ? asJsonText(definition)
    : looksLikeJson(definition) ? parseJson('fromDefinition', definition)
      : readTemplateArgument('fromDefinition', definition).template;
  const region = options.region ?? AwsDefaults.REGION;
  const account = options.account ?? AwsDefaults.ACCOUNT;
  return new WorkflowEngine({
    definition: parsed, resources: new Map(), where: { region, account, name: options.name ?? 'StateMachine' }, type: options.type ?? AwsDefaults.MACHINE_TYPE,
  });
}

/**
 * A definition given in code as the JSON text CreateStateMachine would be sent: JSON.stringify
 * leaves out a field whose value is undefined (`End: last ? true : undefined`), so it is left out
 * here rather than refused. One that is no JSON stays as given, for the validator to say why.
 */
function asJsonText(value: object): object {
  return definitionNotJson(value) === undefined ? JSON.parse(JSON.stringify(value)) as object : value;
}

/** Written on a Saga's node by constructs/saga.ts for the compensation of its last step, which it leaves out. */
const UNREACHABLE_COMPENSATION_METADATA = 'stepwright:saga-unreachable-compensation';

/** States the stack's constructs built but left out of every state machine, with why, by state name. */
function leftOutStates(stack: Stack): Map<string, string> {
  const out = new Map<string, string>();
  for (const construct of stack.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== UNREACHABLE_COMPENSATION_METADATA) continue;
      const { saga, step, states } = entry.data as { saga: string; step: string; states: string[] };
      for (const state of states) {
        out.set(state, `'${state}' belongs to the compensation of step '${step}', the last step of Saga '${saga}', which the Saga leaves out of the state machine `
          + 'because it can never run: a step is undone when a later step fails, and no step comes after the last. '
          + `Remove this mock key, or set compensateFailedStep: true on the Saga if '${step}' can fail after doing part of its work.`);
      }
    }
  }
  return out;
}

/** JSON text of an object starts with `{` (after white space or a byte order mark); anything else given as a string is a path. */
function looksLikeJson(text: string): boolean {
  return /^[\s\uFEFF]*\{/.test(text);
}

function parseJson(method: string, text: string): object {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as object;
  } catch (e) {
    throw new (template().TemplateError)('NOT_A_TEMPLATE', `${method} was given JSON text (a string starting with '{') that is not valid JSON: ${(e as Error).message}`);
  }
}

/** Reads the file a string names, saying it was taken as a path when it cannot be read. */
function readTemplateArgument(method: string, file: string): TemplateSource {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch {
    stat = undefined;
  }
  const shown = file.length > 200 ? `${file.slice(0, 200)}…` : file;
  const given = `${method} was given a string that does not start with '{', so it was read as a file path`;
  if (stat === undefined) {
    throw new (template().TemplateError)('CDK_OUT_NOT_FOUND', `${given}, and there is no file '${shown}' (from ${process.cwd()}); `
      + 'pass the path of a synthesized template (cdk.out/<Stack>.template.json), JSON text, or the parsed object');
  }
  if (stat.isDirectory()) {
    throw new (template().TemplateError)('NOT_A_TEMPLATE', `${given}, and '${shown}' is a directory; for a cloud assembly use Workflow.fromCdkOut('${shown}', '<stack name>')`);
  }
  try {
    // A definition file keeps its byte order mark refused, as `aws stepfunctions ... file://` sends it on.
    return template().templateFromFile(file, method === 'fromDefinition' ? 'refuse' : 'drop');
  } catch (e) {
    if (e instanceof template().TemplateError) throw new (template().TemplateError)(e.code, `${given}: ${e.message}`);
    throw e;
  }
}
