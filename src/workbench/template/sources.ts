import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Stack } from 'aws-cdk-lib/core';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { assetFileByKey } from './assets';
import { asCloudFormation } from './other-tools';
import { noteSynthOutput } from './synth-output';
import { TemplateResolver, type CfnResource, type CfnTemplate, type ResolveOptions } from '../../cfn';
import { declaredParameters, TemplateError } from '../../cfn';
import { stackResolveOptions } from '../../cfn/stack-facts';
import { confinedPath, DEFINITION_FILE_LIMIT, JsonFileReadError, readJsonText, readTemplateText } from '../common';
import { cdkLib } from '../common/cdk-lib';
import { JsonFileError } from '../common/command-errors';
import { parseYamlText } from '../common/text';

/** A synthesized template and the stack facts that resolve its pseudo parameters. */
export interface TemplateSource {
  /** The CloudFormation template, as parsed JSON. */
  readonly template: object;
  /** The deployed stack name, which `AWS::StackName` resolves to. */
  readonly stackName: string;
  /** The stack's region, when it is concrete (not environment-agnostic). */
  readonly region?: string;
  /** The stack's account, when it is concrete (not environment-agnostic). */
  readonly account?: string;
  /**
   * For a nested stack: the values its parent passes to its parameters,
   * resolved to the placeholders of the parent's resources (the CDK threads a
   * parent resource into a nested stack as a parameter). A value the parent
   * cannot resolve offline is left out.
   */
  readonly parameters?: Record<string, string | string[]>;
  /**
   * Construct paths by logical id, taken from the construct tree. The CDK
   * writes `aws:cdk:path` metadata only under the CLI, so a stack synthesized
   * in a test has none.
   */
  readonly resourcePaths?: Record<string, string>;
  /**
   * The folder of the template file, which a SAM state machine's relative `DefinitionUri` is read
   * from, and where the cloud assembly's asset manifests and file assets (a CDK
   * `DefinitionBody.fromFile`, read through `DefinitionS3Location`) are found.
   * @default - the current working directory
   */
  readonly templateDir?: string;
}

/** One stack of a cloud assembly: its template, and the names it can be selected by. */
export interface CloudAssemblyStack extends TemplateSource {
  /** The artifact id in `manifest.json`. */
  readonly artifactId: string;
  /** The construct path of the stack (`Stage/Stack`), when the manifest gives it. */
  readonly displayName?: string;
  /** The file the template was read from. */
  readonly templateFile: string;
}

/**
 * Stacks one cloud assembly may hold, its nested stacks and its stages' stacks included:
 * CloudFormation's quota of stacks per account and Region ("Understand CloudFormation quotas",
 * Stacks: 2,000). A cdk.out past it is refused rather than walked, so that nested stacks that name
 * the same templates many times over cannot make the walk exponential.
 * @internal
 */
export const ASSEMBLY_STACKS_LIMIT = 2000;

/** One walk over a cloud assembly: its folder, the files it is inside of, the templates it read. */
interface AssemblyWalk {
  /** The folder given, as given: what messages name. */
  readonly given: string;
  /** Its real path: every file the walk reads lies inside it. */
  readonly root: string;
  /** Real paths of the assemblies and templates being read, outermost first: a file met again nests itself. */
  readonly open: string[];
  /** Templates read, by real path: a file several nested stacks name is read once. */
  readonly templates: Map<string, object>;
  /** The values given to the deployed (outermost) stacks' parameters: what they pass their nested stacks is resolved with them. */
  readonly values?: Readonly<Record<string, string | string[]>>;
  stacks: number;
}

/** A string field of a manifest's record, or undefined for anything else. */
function stringField(record: unknown, key: string): string | undefined {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const value = (record as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Every stack of a cloud assembly (`cdk.out`), in manifest order, including
 * stacks inside nested assemblies (CDK Stages); without a manifest, every
 * `*.template.json` in the folder. Every file read lies inside the folder (a
 * path or a link in it that leads out is refused), an assembly or a nested
 * stack that contains itself is refused, and so is an assembly of more than
 * 2,000 stacks (CloudFormation's quota of stacks per account and Region).
 *
 * @example
 * for (const stack of cloudAssemblyStacks('cdk.out')) console.log(stack.stackName);
 * @throws TemplateError when the folder is not a cloud assembly or a file in it is not JSON
 */
export function cloudAssemblyStacks(dir: string): CloudAssemblyStack[] {
  return assemblyStacksGiven(dir, undefined);
}

/**
 * {@link cloudAssemblyStacks} deployed with `values` given to its stacks' parameters, as
 * `cdk deploy --parameters` gives them: what a stack passes its nested stacks
 * (`AWS::CloudFormation::Stack` `Parameters`, a `Ref` to its own parameter) is resolved with them.
 * @internal
 */
export function assemblyStacksGiven(dir: string, values: Readonly<Record<string, string | string[]>> | undefined): CloudAssemblyStack[] {
  let root: string;
  try {
    root = fs.realpathSync(dir);
  } catch {
    root = path.resolve(dir);
  }
  return assemblyStacks(dir, { given: dir, root, open: [], templates: new Map(), stacks: 0, ...(values ? { values } : {}) });
}

function assemblyStacks(dir: string, walk: AssemblyWalk): CloudAssemblyStack[] {
  try {
    // Confined reads (`stepwright mcp`): a nested assembly's folder may not lead out either.
    confinedPath(dir);
  } catch (e) {
    if (e instanceof JsonFileReadError && e.kind === 'outside') throw new TemplateError('CDK_OUT_NOT_FOUND', `cannot read ${dir}: ${e.reason}`);
  }
  const real = insideAssembly(walk, dir);
  if (walk.open.includes(real)) {
    throw new TemplateError('CDK_OUT_NOT_FOUND', `${walk.given}: the nested assembly '${relativeName(walk, dir)}' contains itself; synthesize the app again ('cdk synth')`);
  }
  walk.open.push(real);
  const manifestPath = path.join(dir, 'manifest.json');
  const out: CloudAssemblyStack[] = [];
  if (!fs.existsSync(manifestPath)) {
    const templates = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).sort() : [];
    if (templates.length === 0) {
      throw new TemplateError('CDK_OUT_NOT_FOUND', `${dir}: not a cloud assembly (no manifest.json and no *.template.json); run 'cdk synth' first`);
    }
    for (const f of templates) {
      const stackName = f.replace(/\.template\.json$/, '');
      const templateFile = path.join(dir, f);
      const template = readTemplate(walk, templateFile);
      counted(walk, out, { artifactId: stackName, stackName, templateFile, template, templateDir: path.resolve(dir) });
    }
    walk.open.pop();
    return out;
  }
  const manifest = readJson(manifestPath) as { artifacts?: unknown } | null;
  const artifacts = manifest !== null && typeof manifest === 'object' && !Array.isArray(manifest) ? manifest.artifacts : undefined;
  const entries = artifacts !== null && typeof artifacts === 'object' && !Array.isArray(artifacts) ? Object.entries(artifacts) : [];
  for (const [id, artifact] of entries) {
    const type = stringField(artifact, 'type');
    const properties = artifact !== null && typeof artifact === 'object'
      ? (artifact as { properties?: unknown }).properties
      : undefined;
    if (type === 'aws:cloudformation:stack') {
      const stackName = stringField(properties, 'stackName') ?? id;
      const templateFile = path.join(dir, stringField(properties, 'templateFile') ?? `${id}.template.json`);
      const displayName = stringField(artifact, 'displayName');
      const env = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(stringField(artifact, 'environment') ?? '');
      const resourcePaths = artifactResourcePaths(walk, dir, artifact);
      const stack: CloudAssemblyStack = {
        artifactId: id,
        stackName,
        templateFile,
        template: readTemplate(walk, templateFile),
        templateDir: path.dirname(path.resolve(templateFile)),
        ...(displayName ? { displayName } : {}),
        ...(resourcePaths ? { resourcePaths } : {}),
        ...(env && env[1] !== 'unknown-account' ? { account: env[1] } : {}),
        ...(env && env[2] !== 'unknown-region' ? { region: env[2] } : {}),
      };
      counted(walk, out, stack);
      nestedStacks(stack, walk, out);
    } else if (type === 'cdk:cloud-assembly') {
      const directoryName = stringField(properties, 'directoryName');
      if (directoryName) out.push(...assemblyStacks(path.join(dir, directoryName), walk));
    }
  }
  walk.open.pop();
  return out;
}

/** Adds a stack to `out`, refusing one past {@link ASSEMBLY_STACKS_LIMIT}. */
function counted(walk: AssemblyWalk, out: CloudAssemblyStack[], stack: CloudAssemblyStack): void {
  if (++walk.stacks > ASSEMBLY_STACKS_LIMIT) {
    throw new TemplateError('CDK_OUT_NOT_FOUND',
      `${walk.given} holds more than ${ASSEMBLY_STACKS_LIMIT} stacks, nested stacks and stages' stacks counted, more than CloudFormation creates `
      + 'for an account and Region; synthesize the app again, or load the one template you need with Workflow.fromTemplate');
  }
  out.push(stack);
}

/** A file of the assembly as the messages name it: relative to the folder given, never a path of the machine. */
function relativeName(walk: AssemblyWalk, file: string): string {
  const rel = path.relative(path.resolve(walk.given), path.resolve(file));
  return rel === '' ? '.' : rel.split(path.sep).join('/');
}

/**
 * The real path of a file or folder the assembly names, when it lies inside the assembly's folder:
 * a name with `..` or a link that leads out is refused (what a cdk.out names is read from it, and
 * from nowhere else). A missing file inside is left for the reader to report.
 */
function insideAssembly(walk: AssemblyWalk, file: string): string {
  try {
    // Confined reads (`stepwright mcp`) say first that the file is outside the only folder they read.
    confinedPath(file);
  } catch (e) {
    if (e instanceof JsonFileReadError && e.kind === 'outside') throw new TemplateError('CDK_OUT_NOT_FOUND', `cannot read ${file}: ${e.reason}`);
  }
  const inside = (p: string): boolean => p === walk.root || p.startsWith(walk.root.endsWith(path.sep) ? walk.root : `${walk.root}${path.sep}`);
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    const lexical = path.resolve(walk.root, path.relative(path.resolve(walk.given), path.resolve(file)));
    if (!inside(lexical)) throw outsideAssembly(walk, file);
    return lexical;
  }
  if (!inside(real)) throw outsideAssembly(walk, file);
  return real;
}

function outsideAssembly(walk: AssemblyWalk, file: string): TemplateError {
  return new TemplateError('CDK_OUT_NOT_FOUND',
    `${walk.given} names '${relativeName(walk, file)}', which is outside the cloud assembly (a path with .. or a symbolic link that leads out); `
    + "a cdk.out's files lie inside it: synthesize the app again ('cdk synth')");
}

/**
 * Construct paths by logical id from a stack artifact's metadata (`aws:cdk:logicalId` entries,
 * inline or in its `additionalMetadataFile`), which every synthesis writes: a template carries
 * `aws:cdk:path` only when the CDK CLI synthesized it, so a `cdk.out` written by `app.synth()`
 * is selected by construct id (`--state-machine Orders`) only through these.
 */
function artifactResourcePaths(walk: AssemblyWalk, dir: string, artifact: unknown): Record<string, string> | undefined {
  if (artifact === null || typeof artifact !== 'object' || Array.isArray(artifact)) return undefined;
  const sources: unknown[] = [(artifact as { metadata?: unknown }).metadata];
  const file = stringField(artifact, 'additionalMetadataFile');
  if (file !== undefined) {
    const full = path.join(dir, file);
    insideAssembly(walk, full);
    if (fs.existsSync(full)) sources.push(readJson(full));
  }
  const paths: Record<string, string> = {};
  for (const metadata of sources) {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) continue;
    for (const [constructPath, entries] of Object.entries(metadata)) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries) {
        const logicalId = stringField(entry, 'data');
        if (stringField(entry, 'type') === 'aws:cdk:logicalId' && logicalId !== undefined) {
          Object.defineProperty(paths, logicalId, { value: constructPath.replace(/^\/+/, ''), enumerable: true, configurable: true, writable: true });
        }
      }
    }
  }
  return Object.keys(paths).length > 0 ? paths : undefined;
}

/** A template of the assembly, read once however many stacks name it. */
function readTemplate(walk: AssemblyWalk, file: string): object {
  const real = insideAssembly(walk, file);
  const known = walk.templates.get(real);
  if (known !== undefined) return known;
  const template = readJson(file);
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    throw new TemplateError('NOT_A_TEMPLATE', `${file} holds no template: expected a JSON object with Resources`);
  }
  walk.templates.set(real, template);
  return template;
}

/**
 * The nested stacks of a stack of a cloud assembly, and theirs in turn, added to `out`: each `AWS::CloudFormation::Stack`
 * resource whose template the CDK wrote beside its parent's (`aws:asset:path` metadata, a
 * `*.nested.template.json` file the manifest does not list), with the values its parent passes to
 * its parameters, as `templateFromStack` reads a nested stack. Named by the file (its artifact id)
 * and by its parent's display name and its construct id (`Parent/Inner`). A stack that nests
 * itself, through any number of others, is refused: CloudFormation would create it without end.
 */
function nestedStacks(parent: CloudAssemblyStack, walk: AssemblyWalk, out: CloudAssemblyStack[]): void {
  const resources = (parent.template as CfnTemplate).Resources;
  if (resources === null || typeof resources !== 'object' || Array.isArray(resources)) return;
  walk.open.push(insideAssembly(walk, parent.templateFile));
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource?.Type !== 'AWS::CloudFormation::Stack') continue;
    const resolver = new TemplateResolver(parent.template as CfnTemplate, {
      stackName: parent.stackName,
      ...(parent.region ? { region: parent.region } : {}),
      ...(parent.account ? { account: parent.account } : {}),
      // A deployed stack resolves what it passes with the values given it; a nested one with what its parent passed.
      ...(parent.parameters ?? walk.values ? { parameters: parent.parameters ?? ownValues(parent.template, walk.values) } : {}),
    });
    const file = nestedTemplateFile(parent, resource, resolver, logicalId);
    if (file === undefined) continue;
    const templateFile = path.join(path.dirname(parent.templateFile), file);
    if (walk.open.includes(insideAssembly(walk, templateFile))) {
      throw new TemplateError('NOT_A_TEMPLATE',
        `${walk.given}: the nested stack ${logicalId} of ${parent.displayName ?? parent.artifactId} names the template '${relativeName(walk, templateFile)}', `
        + "which contains it: a stack cannot nest itself; synthesize the app again ('cdk synth')");
    }
    const artifactId = file.replace(/\.nested\.template\.json$/, '');
    const construct = nestedConstructId(resource, logicalId);
    const nested: CloudAssemblyStack = {
      artifactId,
      stackName: artifactId,
      templateFile,
      template: readTemplate(walk, templateFile),
      templateDir: parent.templateDir ?? path.dirname(path.resolve(templateFile)),
      displayName: `${parent.displayName ?? parent.artifactId}/${construct}`,
      ...(parent.region ? { region: parent.region } : {}),
      ...(parent.account ? { account: parent.account } : {}),
      parameters: resolver.nestedStackParameters(logicalId),
    };
    counted(walk, out, nested);
    nestedStacks(nested, walk, out);
  }
  walk.open.pop();
}

/** The values of `values` that `template` declares parameters for. */
function ownValues(template: object, values: Readonly<Record<string, string | string[]>> | undefined): Record<string, string | string[]> {
  const declared = declaredParameters(template);
  return Object.fromEntries(Object.entries(values ?? {}).filter(([name]) => declared.includes(name)));
}

/**
 * A nested stack's construct id: from its resource's construct path
 * (`Parent/Inner.NestedStack/Inner.NestedStackResource`), else from the logical id the CDK gives
 * that resource (`InnerNestedStackInnerNestedStackResource745E041B`), else the logical id itself.
 */
function nestedConstructId(resource: CfnResource, logicalId: string): string {
  const cdkPath = resource.Metadata?.['aws:cdk:path'];
  const fromPath = typeof cdkPath === 'string' ? cdkPath.split('/').find((part) => part.endsWith('.NestedStack'))?.replace(/\.NestedStack$/, '') : undefined;
  return fromPath ?? /^(.+?)NestedStack\1NestedStackResource[0-9A-F]{8}$/.exec(logicalId)?.[1] ?? logicalId;
}

/**
 * The file of a nested stack's template, relative to its parent's folder: the `aws:asset:path` the
 * CDK CLI writes into the resource's metadata, else the asset whose S3 key ends its `TemplateURL`
 * (an app synthesized without the CLI writes no such metadata). Undefined for a nested stack whose
 * template the assembly does not hold (one given by a URL of its own).
 */
function nestedTemplateFile(parent: CloudAssemblyStack, resource: CfnResource, resolver: TemplateResolver, logicalId: string): string | undefined {
  const dir = path.dirname(path.resolve(parent.templateFile));
  const given = resource.Metadata?.['aws:asset:path'];
  if (typeof given === 'string' && given.endsWith('.template.json')) return given;
  let url: string;
  try {
    url = resolver.resolveString(resource.Properties?.TemplateURL, { location: `Resources.${logicalId}.Properties.TemplateURL`, record: () => undefined });
  } catch (e) {
    if (e instanceof TemplateError) return undefined;
    throw e;
  }
  const asset = assetFileByKey(dir, url.slice(url.lastIndexOf('/') + 1));
  return asset?.name;
}

/** The stack meant when none is named: the only one, or the only one holding a state machine. */
function onlyStack(dir: string, stacks: readonly CloudAssemblyStack[]): CloudAssemblyStack {
  if (stacks.length === 1) return stacks[0];
  const withMachines = stacks.filter((s) => holdsStateMachine(s.template));
  if (withMachines.length === 1) return withMachines[0];
  const names = (withMachines.length ? withMachines : stacks).map((s) => s.displayName ?? s.artifactId);
  const why = stacks.length === 0 ? 'has no stacks'
    : withMachines.length ? `has state machines in ${withMachines.length} stacks (${names.join(', ')})`
      : `has ${stacks.length} stacks and none holds a state machine (${names.join(', ')})`;
  throw new TemplateError('CDK_OUT_NOT_FOUND', `${dir} ${why}; name the stack: Workflow.fromCdkOut('${dir}', '${names[0] ?? '<stack name>'}')`);
}

/** True when a template has an AWS::StepFunctions::StateMachine resource. */
function holdsStateMachine(template: unknown): boolean {
  const resources = (template as { Resources?: unknown } | null)?.Resources;
  if (resources === null || typeof resources !== 'object') return false;
  return Object.values(resources).some((r) => {
    const type = (r as { Type?: unknown } | null)?.Type;
    return type === 'AWS::StepFunctions::StateMachine' || type === 'AWS::Serverless::StateMachine';
  });
}

/**
 * Reads a stack's template from a cloud assembly (`cdk.out`). The stack is
 * looked up in `manifest.json` by artifact id, stack name or display path,
 * including stacks inside nested assemblies (CDK Stages); without a manifest
 * `<dir>/<stackName>.template.json` is read. Without a stack name, the stack
 * is the assembly's only one, or else its only one holding a state machine,
 * as `stepwright run cdk.out` picks it.
 *
 * @example
 * const { template, stackName } = templateFromCdkOut('cdk.out', 'OrdersStack');
 * @throws TemplateError listing the stacks when none matches, or when no name is given and several could be meant
 */
export function templateFromCdkOut(dir: string, stackName?: string): TemplateSource {
  const stacks = cloudAssemblyStacks(dir);
  const seen = stacks.map((s) => s.displayName ?? s.artifactId);
  const found = stackName === undefined ? onlyStack(dir, stacks) : stacks.find((s) => [s.artifactId, s.stackName, s.displayName].includes(stackName));
  if (!found) {
    throw new TemplateError('CDK_OUT_NOT_FOUND',
      `no stack '${stackName}' in ${dir}; the cloud assembly has: ${seen.length ? seen.join(', ') : 'no stacks'}`);
  }
  const { template, region, account, templateDir, parameters, resourcePaths } = found;
  return {
    template,
    stackName: found.stackName,
    ...(region ? { region } : {}),
    ...(account ? { account } : {}),
    ...(templateDir ? { templateDir } : {}),
    ...(parameters ? { parameters } : {}),
    ...(resourcePaths ? { resourcePaths } : {}),
  };
}

/**
 * Reads a template file: a synthesized template (JSON), or a CloudFormation or AWS SAM template
 * written in YAML (`.yaml`, `.yml`; `sam init` writes `template.yaml`). Its stack name is the file
 * name without `.template.json` (or `.json`, `.yaml`), as `cdk synth` names the files of a cloud
 * assembly; a SAM state machine's `DefinitionUri` is read from the file's folder. A leading byte
 * order mark is dropped, unless `bom` is `'refuse'` (the file is read as a definition).
 * @throws TemplateError when the file cannot be read or is not JSON (or YAML)
 * @internal
 */
export function templateFromFile(file: string, bom: Bom = 'drop'): TemplateSource {
  return {
    // A byte order mark is dropped, as AWS's tools drop it from a template (readTemplateText).
    template: asCloudFormation(/\.ya?ml$/i.test(file) ? readYaml(file, bom) : readJson(file, bom)) as object,
    stackName: path.basename(file).replace(/\.template\.(json|ya?ml)$|\.(json|ya?ml)$/i, ''),
    templateDir: path.dirname(path.resolve(file)),
  };
}

/** Options of {@link templateFromStack}. */
export interface SynthOptions {
  /**
   * Keep what aws-cdk-lib and the app's constructs print while the app is
   * synthesized (deprecation notices, warnings written to the console) out of
   * the test output.
   * @default false
   */
  readonly silenceSynthWarnings?: boolean;
}

/**
 * Synthesizes the app a stack belongs to and returns the stack's template, as
 * `Template.fromStack` from `aws-cdk-lib/assertions` does (nested stacks too).
 *
 * @example
 * const { template, stackName } = templateFromStack(stack);
 */
export function templateFromStack(stack: Stack, options: SynthOptions = {}): TemplateSource {
  const { Stage } = cdkLib();
  const stage = Stage.of(stack);
  if (!stage || !Stage.isStage(stage)) {
    throw new TemplateError('NOT_A_TEMPLATE', `stack '${stack.node.path}' is not inside an App or Stage, so it cannot be synthesized`);
  }
  const assembly = options.silenceSynthWarnings ? quietly(() => stage.synth()) : stage.synth();
  noteSynthOutput(stack);
  return synthesizedSource(stack, assembly);
}

/** A stack's template read from its app's synthesized assembly; a nested stack's with what its parent passes. */
function synthesizedSource(stack: Stack, assembly: CloudAssembly): TemplateSource {
  const template = stack.nestedStackParent
    ? readJson(path.join(assembly.directory, stack.templateFile))
    : assembly.getStackArtifact(stack.artifactId).template as object;
  const { CfnResource, Stack, Token } = cdkLib();
  const resourcePaths: Record<string, string> = {};
  for (const construct of stack.node.findAll()) {
    if (CfnResource.isCfnResource(construct) && Stack.of(construct) === stack) {
      resourcePaths[stack.resolve(construct.logicalId) as string] = construct.node.path;
    }
  }
  const parent = stack.nestedStackParent;
  const resource = stack.nestedStackResource;
  let parameters: Record<string, string | string[]> | undefined;
  if (parent && resource) {
    const { template: parentTemplate, stackName, region, account, parameters: passedToParent } = synthesizedSource(parent, assembly);
    const resolver = new TemplateResolver(parentTemplate as CfnTemplate, { stackName, region, account, parameters: passedToParent });
    parameters = resolver.nestedStackParameters(parent.resolve(resource.logicalId) as string);
  }
  return {
    template,
    resourcePaths,
    // A file asset (`DefinitionBody.fromFile`) is read from the assembly, as from a cdk.out.
    templateDir: assembly.directory,
    // The StateMachineValidator resolves the same stack with the same facts, so their placeholders meet.
    ...stackResolveOptions(stack, Token.isUnresolved),
    ...(parameters ? { parameters } : {}),
  };
}

/**
 * The caller's options over what a synthesized stack fixes: its name, region,
 * account and construct paths, and the parameters its parent passes (the
 * caller's parameters win, one by one).
 * @internal
 */
export function withSourceOptions<T extends ResolveOptions>(source: TemplateSource, given: T): T {
  return {
    stackName: source.stackName,
    ...(source.region ? { region: source.region } : {}),
    ...(source.account ? { account: source.account } : {}),
    ...(source.resourcePaths ? { resourcePaths: source.resourcePaths } : {}),
    ...(source.templateDir ? { templateDir: source.templateDir } : {}),
    ...given,
    ...(source.parameters ? { parameters: { ...source.parameters, ...given.parameters } } : {}),
  };
}

/** Runs `fn` with console warnings, process warnings and jsii deprecation notices muted. */
function quietly<T>(fn: () => T): T {
  const saved = {
    warn: console.warn, error: console.error, log: console.log, emitWarning: process.emitWarning, deprecated: process.env.JSII_DEPRECATED,
  };
  const mute = (): void => undefined;
  console.warn = mute;
  console.error = mute;
  console.log = mute;
  process.emitWarning = mute as typeof process.emitWarning;
  process.env.JSII_DEPRECATED = 'quiet';
  try {
    return fn();
  } finally {
    console.warn = saved.warn;
    console.error = saved.error;
    console.log = saved.log;
    process.emitWarning = saved.emitWarning;
    if (saved.deprecated === undefined) delete process.env.JSII_DEPRECATED;
    else process.env.JSII_DEPRECATED = saved.deprecated;
  }
}

/** A byte order mark at the start of a template file: refused by name, or dropped. @internal */
export type Bom = 'refuse' | 'drop';

function readText(file: string, bom: Bom): string {
  return bom === 'drop' ? readTemplateText(file, DEFINITION_FILE_LIMIT).text : readJsonText(file, DEFINITION_FILE_LIMIT);
}

function readYaml(file: string, bom: Bom = 'refuse'): object {
  let text: string;
  try {
    text = readText(file, bom);
  } catch (e) {
    if (!(e instanceof JsonFileReadError)) throw e;
    throw new TemplateError(e.kind === 'encoding' ? 'NOT_A_TEMPLATE' : 'CDK_OUT_NOT_FOUND', `cannot read ${file}: ${e.reason}`);
  }
  let value: unknown;
  try {
    value = parseYamlText(text, file);
  } catch (e) {
    if (!(e instanceof JsonFileError)) throw e;
    throw new TemplateError('NOT_A_TEMPLATE', e.message);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TemplateError('NOT_A_TEMPLATE', `${file} holds no template (a YAML mapping)`);
  return value;
}

function readJson(file: string, bom: Bom = 'refuse'): object {
  let text: string;
  try {
    text = readText(file, bom);
  } catch (e) {
    if (!(e instanceof JsonFileReadError)) throw e;
    if (e.kind === 'encoding') throw new TemplateError('NOT_A_TEMPLATE', `${file} is not valid JSON: ${e.reason}`);
    throw new TemplateError('CDK_OUT_NOT_FOUND', `cannot read ${file}: ${e.reason}`);
  }
  try {
    return JSON.parse(text) as object;
  } catch (e) {
    throw new TemplateError('NOT_A_TEMPLATE', `${file} is not valid JSON: ${(e as Error).message.replace(/\s+/g, ' ')}`);
  }
}
