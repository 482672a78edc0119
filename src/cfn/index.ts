/**
 * Reading CloudFormation: the template resolver, its error, what a stack says about its resources
 * and the Lambda versions it publishes.
 * Other layers and rooms import it through this file, or through a door listed in
 * test/layers.ts (SURFACES).
 */
/** @internal */
export { TemplateResolver } from './resolver';
export type { InlineCode, LambdaFunctionRef, ResolveOptions, ResourceRef } from './resolver';
/** @internal */
export type { CfnResource, CfnTemplate, ResolveScope } from './resolver';
/** @internal */
export { expandServerless } from './serverless';
/** @internal */
export { checkParameterValues, declaredParameters, parameterValueShown, stacksTakingParameters, undeclaredParametersRefusal } from './parameters';
export { TemplateError } from './template-error';
export type { TemplateErrorCode } from './template-error';
