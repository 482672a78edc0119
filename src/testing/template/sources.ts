import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnResource, Stack, Stage, Token } from 'aws-cdk-lib';
import { TemplateError } from './errors';
import { noteSynthOutput } from '../synth-output';

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
   * Construct paths by logical id, taken from the construct tree. The CDK
   * writes `aws:cdk:path` metadata only under the CLI, so a stack synthesized
   * in a test has none.
   */
  readonly resourcePaths?: Record<string, string>;
}

interface ManifestArtifact {
  type?: string;
  displayName?: string;
  environment?: string;
  properties?: { templateFile?: string; stackName?: string; directoryName?: string };
}

/**
 * Reads a stack's template from a cloud assembly (`cdk.out`). The stack is
 * looked up in `manifest.json` by artifact id, stack name or display path,
 * including stacks inside nested assemblies (CDK Stages); without a manifest
 * `<dir>/<stackName>.template.json` is read.
 *
 * @example
 * const { template, stackName } = templateFromCdkOut('cdk.out', 'OrdersStack');
 * @throws TemplateError listing the stacks when none matches
 */
export function templateFromCdkOut(dir: string, stackName: string): TemplateSource {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    const file = path.join(dir, `${stackName}.template.json`);
    if (!fs.existsSync(file)) {
      throw new TemplateError('CDK_OUT_NOT_FOUND', `no manifest.json and no ${stackName}.template.json in ${dir}; run 'cdk synth' first`);
    }
    return { template: readJson(file), stackName };
  }
  const seen: string[] = [];
  const found = findStack(dir, stackName, seen);
  if (!found) {
    throw new TemplateError('CDK_OUT_NOT_FOUND',
      `no stack '${stackName}' in ${manifestPath}; the cloud assembly has: ${seen.length ? seen.join(', ') : 'no stacks'}`);
  }
  return found;
}

function findStack(dir: string, wanted: string, seen: string[]): TemplateSource | undefined {
  const manifest = readJson(path.join(dir, 'manifest.json')) as { artifacts?: Record<string, ManifestArtifact> };
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const stackName = artifact.properties?.stackName ?? id;
      seen.push(artifact.displayName ?? id);
      if ([id, stackName, artifact.displayName].includes(wanted)) {
        const templateFile = artifact.properties?.templateFile ?? `${id}.template.json`;
        const env = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(artifact.environment ?? '');
        return {
          template: readJson(path.join(dir, templateFile)),
          stackName,
          ...(env && env[1] !== 'unknown-account' ? { account: env[1] } : {}),
          ...(env && env[2] !== 'unknown-region' ? { region: env[2] } : {}),
        };
      }
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      const nested = findStack(path.join(dir, artifact.properties.directoryName), wanted, seen);
      if (nested) return nested;
    }
  }
  return undefined;
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
  const stage = Stage.of(stack);
  if (!stage || !Stage.isStage(stage)) {
    throw new TemplateError('NOT_A_TEMPLATE', `stack '${stack.node.path}' is not inside an App or Stage, so it cannot be synthesized`);
  }
  const assembly = options.silenceSynthWarnings ? quietly(() => stage.synth()) : stage.synth();
  noteSynthOutput(stack);
  const template = stack.nestedStackParent
    ? readJson(path.join(assembly.directory, stack.templateFile))
    : assembly.getStackArtifact(stack.artifactId).template as object;
  const resourcePaths: Record<string, string> = {};
  for (const construct of stack.node.findAll()) {
    if (CfnResource.isCfnResource(construct) && Stack.of(construct) === stack) {
      resourcePaths[stack.resolve(construct.logicalId) as string] = construct.node.path;
    }
  }
  return {
    template,
    resourcePaths,
    stackName: Token.isUnresolved(stack.stackName) ? stack.node.id : stack.stackName,
    ...(Token.isUnresolved(stack.region) ? {} : { region: stack.region }),
    ...(Token.isUnresolved(stack.account) ? {} : { account: stack.account }),
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

function readJson(file: string): object {
  return JSON.parse(fs.readFileSync(file, 'utf-8')) as object;
}
