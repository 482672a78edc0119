import { CfnElement, CfnResource, Stack, Token } from 'aws-cdk-lib/core';
import { AwsDefaults, type MachineType } from '../asl/aws-defaults';
import { substituteText, substituteValue } from '../asl/definition-substitutions';
import { TemplateResolver, type CfnTemplate, type ResolveScope, type TemplateResolverOptions } from '../cfn/resolver';
import { stackResolveOptions } from '../cfn/stack-facts';

/**
 * A state machine resource as it will be deployed: its definition (the text of
 * a `DefinitionString`, so that text which is not JSON is reported as such) and
 * type, with every token resolved over the stack's template by the resolver
 * the jest harness uses (src/cfn), and what the permission check needs to
 * resolve the role alike.
 * @internal
 */
export interface RenderedMachine {
  readonly definition: unknown;
  readonly type: MachineType;
  readonly logicalId: string;
  /** The placeholder ARN of the state machine. */
  readonly arn: string;
  readonly template: CfnTemplate;
  /** Construct paths of IAM resources that could not be rendered. */
  readonly unreadable: readonly string[];
  readonly resolve: (value: unknown, location: string, options?: { readonly strictConditions?: boolean; readonly strict?: boolean }) => unknown;
}

/**
 * Renders a state machine resource (a CfnStateMachine, or a raw CfnResource of
 * that type) at validation time; undefined when its definition lives in S3 or
 * the resource itself cannot be rendered (the synth reports why).
 * @throws TemplateError when an intrinsic function in it is malformed
 * @internal
 */
export function renderStateMachine(resource: CfnResource): RenderedMachine | undefined {
  const stack = Stack.of(resource);
  const logicalId = stack.resolve(resource.logicalId) as string;
  const { template, unreadable } = stackTemplate(stack);
  const props = template.Resources?.[logicalId]?.Properties;
  if (props === undefined) return undefined;
  const resolver = new TemplateResolver(template, resolveOptions(stack));
  const scope = (location: string): ResolveScope => ({ stateMachine: logicalId, location, record: NO_RECORD });
  const text = (value: unknown, location: string): string => resolver.resolveString(value, scope(location));
  const substitutions = new Map<string, string>();
  const subs = props.DefinitionSubstitutions;
  if (subs !== null && typeof subs === 'object') {
    for (const [k, v] of Object.entries(subs)) substitutions.set(k, text(v, `DefinitionSubstitutions.${k}`));
  }
  const type = text(props.StateMachineType ?? AwsDefaults.MACHINE_TYPE, 'StateMachineType') === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
  let definition: unknown;
  // The validator reports text that is not JSON as INVALID_JSON_DESCRIPTION.
  if (props.DefinitionString !== undefined) definition = substituteText(text(props.DefinitionString, 'DefinitionString'), substitutions);
  else if (props.Definition !== undefined) definition = substituteValue(resolver.resolve(props.Definition, scope('Definition')), substitutions);
  // DefinitionS3Location cannot be read at synth time.
  else return undefined;
  return {
    definition,
    type,
    logicalId,
    template,
    unreadable,
    arn: text({ Ref: logicalId }, 'Ref'),
    resolve: (value, location, options) => resolver.resolve(value, { ...scope(location), ...options }),
  };
}

const NO_RECORD = (): void => undefined;

/**
 * How a stack's template is resolved at synth time: with the stack's facts,
 * stand-ins rather than errors for what only a deploy can tell (a check must
 * not stop the synth over them), and, in a nested stack, the parameter values
 * its parent passes, so that a parent resource threaded in as a parameter
 * gets that resource's placeholder instead of the parameter's name.
 */
function resolveOptions(stack: Stack): TemplateResolverOptions {
  const own: TemplateResolverOptions = { ...stackResolveOptions(stack, Token.isUnresolved), unresolvable: 'placeholder' };
  const parent = stack.nestedStackParent;
  const resource = stack.nestedStackResource;
  if (!parent || !resource) return own;
  const parentResolver = new TemplateResolver(stackTemplate(parent).template, resolveOptions(parent));
  return { ...own, parameters: parentResolver.nestedStackParameters(parent.resolve(resource.logicalId) as string) };
}

/**
 * The stack's template as it will be synthesized, tokens resolved to
 * CloudFormation functions. Read at validation time, when every lazy value
 * (a role's default policy) is final. A resource that cannot be rendered yet
 * keeps its type, so that references to it still get placeholders of its kind.
 */
function stackTemplate(stack: Stack): { template: CfnTemplate; unreadable: string[] } {
  const sections: Required<Pick<CfnTemplate, 'Resources' | 'Parameters' | 'Conditions' | 'Mappings'>> = {
    Resources: {}, Parameters: {}, Conditions: {}, Mappings: {},
  };
  const unreadable: string[] = [];
  for (const c of stack.node.findAll()) {
    if (!CfnElement.isCfnElement(c) || c.stack !== stack) continue;
    try {
      // _toCloudFormation is how the Stack itself renders each element into the template.
      const rendered = stack.resolve(c._toCloudFormation()) as Partial<typeof sections>;
      for (const key of Object.keys(sections) as Array<keyof typeof sections>) Object.assign(sections[key], rendered[key]);
    } catch {
      if (!CfnResource.isCfnResource(c)) continue;
      sections.Resources[stack.resolve(c.logicalId) as string] = { Type: c.cfnResourceType };
      // Only a role or policy that cannot be read makes the permission answer unreliable.
      if (c.cfnResourceType.startsWith('AWS::IAM::')) unreadable.push(c.node.path);
    }
  }
  return { template: sections, unreadable };
}
