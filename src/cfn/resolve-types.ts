// What the resolver is given: the options a template is resolved with, the template and its
// resources as far as resolution reads them, and the scope a value is resolved in.
import type { PublishedVersions } from './published-versions';
import type { ResourceRef } from './template-resources';

/**
 * The account, region and stack a template is resolved for. The defaults are
 * the placeholders the AWS CDK uses in its own integration-test snapshots.
 */
export interface ResolveOptions {
  /**
   * Value of `AWS::Region`.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Value of `AWS::AccountId`.
   * @default '123456789012'
   */
  readonly account?: string;
  /**
   * Value of `AWS::Partition`.
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * Value of `AWS::URLSuffix`.
   * @default 'amazonaws.com.cn' in the aws-cn partition, 'amazonaws.com' elsewhere
   */
  readonly urlSuffix?: string;
  /**
   * Value of `AWS::StackName`.
   * @default 'Stack'
   */
  readonly stackName?: string;
  /**
   * Values of template parameters, by name. A parameter not given here takes
   * its `Default`; one with neither is an error.
   * @default {}
   */
  readonly parameters?: Record<string, string | string[]>;
  /**
   * Construct paths by logical id, for templates without `aws:cdk:path`
   * metadata; `templateFromStack` supplies them.
   * @default - only the template's metadata is used
   */
  readonly resourcePaths?: Record<string, string>;
  /**
   * The folder a relative `DefinitionUri` of an `AWS::Serverless::StateMachine` (an AWS SAM
   * template) is read from: the template's own folder, as `sam build` reads it; and the cloud
   * assembly whose asset manifests (`*.assets.json`) name the file a `DefinitionS3Location`
   * points to (the CDK's `DefinitionBody.fromFile`). Loading a template from a file, a
   * `cdk.out` or a synthesized stack sets it.
   * @default - the current working directory
   */
  readonly templateDir?: string;
  /**
   * Values of `Fn::ImportValue` exports, by export name.
   * @default {}
   */
  readonly imports?: Record<string, string>;
  /**
   * Version numbers shared across the templates of successive deploys, so a
   * Lambda or state machine version keeps its number and a new one gets the next.
   * @default - versions are numbered from 1 in each template
   */
  readonly publishedVersions?: PublishedVersions;
}

/**
 * {@link ResolveOptions} and what only stepwright's own callers choose: the
 * harness resolves strictly, the synth-time validator with placeholders.
 * @internal
 */
export interface TemplateResolverOptions extends ResolveOptions {
  /**
   * What a value the template cannot tell resolves to: an export of another
   * stack missing from `imports`, a parameter with neither a value nor a
   * `Default` (or one read from SSM), a `Ref` or `Fn::GetAtt` to a resource the
   * template lacks, a condition it does not define, an intrinsic function this
   * resolver does not evaluate.
   *
   * `'error'` throws a {@link TemplateError} naming the value and how to supply
   * it: right for a test, which must not run against a guess. `'placeholder'`
   * gives a stable stand-in instead (`imported-<ExportName>`, the parameter's
   * name, the logical id or `<LogicalId>.<Attribute>`, `true` for the
   * condition, `unresolved-<Function>`): right for a check at `cdk synth`,
   * which must not stop a synth over a value only a deploy can know.
   * @default 'error'
   */
  readonly unresolvable?: 'error' | 'placeholder';
}

/** A CloudFormation template, as far as resolution needs it. @internal */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

/** One resource of a template. @internal */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/**
 * Where a value is being resolved: the state machine it belongs to (for error
 * messages), its location in the template, and where to record placeholders.
 * @internal
 */
export interface ResolveScope {
  readonly stateMachine?: string;
  readonly location: string;
  /**
   * Evaluate the condition of an `Fn::If` only from what the template tells,
   * even when the resolver stands in placeholders elsewhere: a condition that
   * needs a value the template lacks throws a TemplateError instead of being
   * guessed. For the IAM check, where a guessed branch would attach or drop a
   * policy.
   * @default false
   */
  readonly strictConditions?: boolean;
  /** No placeholders at all in this value (set while evaluating a condition under `strictConditions`). @default false */
  readonly strict?: boolean;
  record(placeholder: string, ref: ResourceRef): void;
}
