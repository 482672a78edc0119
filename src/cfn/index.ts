/**
 * src/cfn/  CloudFormation template values: the one evaluator of intrinsic
 *           functions (`Ref`, `Fn::GetAtt`, `Fn::Sub`, ...) that turns tokens
 *           into stable placeholders shaped like the deployed values
 *           (`arn:aws:lambda:<region>:<account>:function:<Name>`), and the
 *           `TemplateError` it raises. Pure; imports nothing else from src/
 *           and not aws-cdk-lib, so both constructs/ (the synth-time
 *           validator) and testing/ (the harness, whose setup file must load
 *           fast) call it, and a definition checked at `cdk synth` carries the
 *           same placeholders as the one a test runs and snapshots.
 *
 * It sits beside asl/ at the bottom of the layers: it was two copies, one in
 * constructs/ and one in testing/, because neither may import the other.
 */
export { TemplateError } from './errors';
export type { TemplateErrorCode } from './errors';
export { PublishedVersions } from './published-versions';
export { TemplateResolver } from './resolver';
export { stackResolveOptions } from './stack-facts';
export type { StackLike, StackResolveOptions } from './stack-facts';
export type {
  CfnResource, CfnTemplate, InlineCode, ResolveOptions, ResolveScope, ResourceRef, TemplateResolverOptions,
} from './resolver';
