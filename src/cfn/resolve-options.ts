import type { PublishedVersions } from './published-versions';

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
  /**
   * Told what the template asks that AWS may read otherwise, without refusing it: a number or
   * boolean in an `Fn::ForEach` loop's Collection, read as its text. Each door says it as its notes.
   * @internal
   */
  readonly onNote?: (message: string) => void;
}
