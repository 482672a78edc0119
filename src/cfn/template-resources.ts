/**
 * The resources of a template as resolution reads them (src/cfn/resolver.ts re-exports these
 * names): what a placeholder stands for, and a Lambda function's inline code.
 */
/** The resource behind a placeholder value that stands in for a `Ref` or `Fn::GetAtt`. */
export interface ResourceRef {
  /** Logical id of the resource in the template. */
  readonly logicalId: string;
  /** CloudFormation type, for example `AWS::Lambda::Function`. */
  readonly resourceType: string;
  /** Construct path from the resource's `aws:cdk:path` metadata, when the template came from the CDK. */
  readonly cdkPath?: string;
  /** `Ref`, or the name of the attribute read with `Fn::GetAtt` (`Arn`, `QueueUrl`, ...). */
  readonly attribute: string;
  /**
   * For a Lambda function with inline code (`lambda.Code.fromInline`): the
   * code, its handler and runtime. A version or alias of such a function in
   * the same template carries the function's code too: a version publishes
   * the code the template holds, and an alias runs a version.
   */
  readonly inlineCode?: InlineCode;
  /** For a Lambda version (`AWS::Lambda::Version`) or alias (`AWS::Lambda::Alias`): the function it belongs to, when it is in the same template. */
  readonly lambdaFunction?: LambdaFunctionRef;
}

/** The `AWS::Lambda::Function` a version or alias belongs to. */
export interface LambdaFunctionRef {
  /** Logical id of the function. */
  readonly logicalId: string;
  /** Construct path of the function, when known. */
  readonly cdkPath?: string;
}

/** A Lambda function's inline code (`Code.ZipFile`), as the template holds it. */
export interface InlineCode {
  /** The source (for Node.js runtimes, the CommonJS module `index.js`). */
  readonly source: string;
  /** `Handler`, for example `index.handler`. */
  readonly handler: string;
  /** `Runtime`, for example `nodejs20.x`, when the template names it. */
  readonly runtime?: string;
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

/** A Lambda function's inline code, when the template holds it with its handler. */
export function inlineCodeOf(resource: CfnResource | undefined): InlineCode | undefined {
  if (resource?.Type !== 'AWS::Lambda::Function') return undefined;
  const p = resource.Properties ?? {};
  const source = (p.Code as { ZipFile?: unknown } | undefined)?.ZipFile;
  if (typeof source !== 'string' || typeof p.Handler !== 'string') return undefined;
  return { source, handler: p.Handler, ...(typeof p.Runtime === 'string' ? { runtime: p.Runtime } : {}) };
}
