/**
 * The public types of what a resolved template's placeholders stand for (src/cfn/resolver.ts
 * re-exports them): the resource behind a placeholder and a Lambda function's inline code. The
 * template's own internal types stay in resolver.ts: the .d.ts strips them, and a re-export of a
 * stripped name from here would name what the .d.ts no longer declares.
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
