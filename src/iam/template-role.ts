import { isPolicyStatement, type PermissionsBoundary, type RolePolicies, type SourcedStatement } from './policy';
import type { JsonObject } from '../asl';

/**
 * Resolves a CloudFormation value (intrinsics included) to plain JSON; throws
 * when it cannot. The jest harness and the CDK Aspect both pass the resolver of
 * src/cfn that resolved the definition, so that the definition and the
 * policies are resolved alike and their placeholder ARNs meet.
 *
 * With `strictConditions`, the condition of an `Fn::If` is evaluated only from
 * what the template tells (parameters with a value or Default, Mappings, pseudo
 * parameters): one it cannot evaluate throws instead of being guessed, so that
 * a policy behind it is "cannot check", not silently attached or left out.
 * With `strict`, nothing at all is guessed: an export of another stack, a
 * parameter without value, a resource the template lacks all throw, where a
 * synth-time resolver would give a stand-in that could match a stand-in of
 * the definition by accident.
 */
export type ValueResolver = (value: unknown, location: string,
  options?: { readonly strictConditions?: boolean; readonly strict?: boolean }) => unknown;

/** Options of {@link rolePoliciesFromTemplate}. */
export interface TemplateRoleOptions {
  /** Logical id of the `AWS::StepFunctions::StateMachine` whose role is read. */
  readonly stateMachine: string;
  readonly resolve: ValueResolver;
}

/** A resource of the template, as its JSON holds it. */
interface Resource {
  readonly Type?: string;
  readonly Properties?: JsonObject;
}

const ROLE = 'AWS::IAM::Role';
const POLICY_TYPES = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy']);

/**
 * Reads the permissions of a state machine's role from a template: the role's
 * inline policies, every `AWS::IAM::Policy`/`ManagedPolicy`/`RolePolicy` of
 * the template attached to it, and the managed policies it lists (those
 * defined elsewhere are opaque: their text is not in the template). A role
 * that is not a resource of the template cannot be checked.
 *
 * @example
 * const role = rolePoliciesFromTemplate(template, { stateMachine: 'StateMachine2E01A3A5', resolve });
 */
export function rolePoliciesFromTemplate(template: { Resources?: Record<string, unknown> }, options: TemplateRoleOptions): RolePolicies {
  const resources = (template.Resources ?? {}) as Record<string, Resource>;
  const machine = resources[options.stateMachine];
  const raw = machine?.Properties?.RoleArn;
  if (raw === undefined) return notCheckable(`state machine '${options.stateMachine}' has no RoleArn`);
  const roleId = roleLogicalId(raw, resources, options.resolve);
  let roleArn: string | undefined;
  try {
    const value = options.resolve(raw, `Resources.${options.stateMachine}.Properties.RoleArn`);
    if (typeof value === 'string') roleArn = value;
  } catch {
    // An imported role ARN (Fn::ImportValue, a parameter without value) leaves roleArn unknown.
  }
  if (roleId === undefined) {
    return notCheckable(`its role ${roleArn ?? JSON.stringify(raw)} is not defined in this template (imported or passed in); check the policies where the role is defined`, roleArn);
  }
  const statements: SourcedStatement[] = [];
  const opaque: string[] = [];
  const role = resources[roleId];
  const roleProps = role.Properties ?? {};
  const roleName = safe(options.resolve, { Ref: roleId }, roleId);
  const resolve = (value: unknown, location: string): unknown => options.resolve(value, location, STRICT);

  const addDocument = (document: unknown, source: string, location: string): void => {
    let resolved: unknown;
    try {
      resolved = resolve(document, location);
    } catch (e) {
      opaque.push(`${source} (it does not resolve: ${(e as Error).message})`);
      return;
    }
    const doc = resolved as { Statement?: unknown; Version?: unknown } | undefined;
    // A document without Version is read by IAM as 2008-10-17, where ${...} is literal text.
    const policyVersion = typeof doc?.Version === 'string' ? doc.Version : '2008-10-17';
    const list = doc?.Statement;
    (Array.isArray(list) ? list : list !== undefined ? [list] : []).forEach((s, i) => {
      if (isPolicyStatement(s)) statements.push({ statement: s, source, policyVersion });
      else opaque.push(`statement ${i} of ${source} (it is not a statement of text values: ${JSON.stringify(s).slice(0, 120)})`);
    });
  };

  const policies = listProperty(roleProps.Policies, `Resources.${roleId}.Properties.Policies`, resolve);
  if ('problem' in policies) {
    opaque.push(`the inline policies of role ${roleId} (its Policies do not resolve: ${policies.problem})`);
  } else {
    for (const { value, location, problem } of policies.items) {
      if (problem !== undefined) {
        opaque.push(`an inline policy of role ${roleId} (${location} does not resolve: ${problem})`);
        continue;
      }
      const p = value as { PolicyName?: unknown; PolicyDocument?: unknown } | null;
      addDocument(p?.PolicyDocument, `inline policy '${typeof p?.PolicyName === 'string' ? p.PolicyName : location}' of role ${roleId}`, `${location}.PolicyDocument`);
    }
  }

  const managedInTemplate = new Map<string, string>();
  for (const [id, r] of Object.entries(resources)) {
    if (r?.Type === 'AWS::IAM::ManagedPolicy') managedInTemplate.set(String(safe(options.resolve, { Ref: id }, id)), id);
  }
  const attachedManaged = new Set<string>();
  const managed = listProperty(roleProps.ManagedPolicyArns, `Resources.${roleId}.Properties.ManagedPolicyArns`, resolve);
  if ('problem' in managed) {
    opaque.push(`the managed policies of role ${roleId} (its ManagedPolicyArns do not resolve: ${managed.problem})`);
  } else {
    for (const { value, location, problem } of managed.items) {
      const local = typeof value === 'string' ? managedInTemplate.get(value) : undefined;
      if (local !== undefined) {
        attachedManaged.add(local);
        addDocument(resources[local].Properties?.PolicyDocument, `AWS::IAM::ManagedPolicy ${local}`, `Resources.${local}.Properties.PolicyDocument`);
      } else {
        opaque.push(problem !== undefined
          ? `a managed policy of role ${roleId} (${location} does not resolve: ${problem})`
          : `managed policy ${typeof value === 'string' ? value : JSON.stringify(value)} (listed in ${location.replace(/^Resources\.[^.]+\.Properties\./, '')} of role ${roleId})`);
      }
    }
  }

  for (const [id, r] of Object.entries(resources)) {
    if (!r?.Type || !POLICY_TYPES.has(r.Type) || attachedManaged.has(id)) continue;
    const props = r.Properties ?? {};
    const source = `${r.Type} ${id}`;
    const rawTargets = r.Type === 'AWS::IAM::RolePolicy' ? props.RoleName : props.Roles;
    const property = r.Type === 'AWS::IAM::RolePolicy' ? 'RoleName' : 'Roles';
    const targets = r.Type === 'AWS::IAM::RolePolicy'
      ? single(rawTargets, `Resources.${id}.Properties.RoleName`, resolve)
      : listProperty(rawTargets, `Resources.${id}.Properties.Roles`, resolve);
    const problems = 'problem' in targets ? [targets.problem] : targets.items.flatMap((t) => (t.problem === undefined ? [] : [t.problem]));
    const attached = 'items' in targets && targets.items.some((t) => t.problem === undefined && t.value === roleName);
    if (attached) addDocument(props.PolicyDocument, source, `Resources.${id}.Properties.PolicyDocument`);
    // Whether it is attached hangs on what does not resolve: it may grant, so it makes a missing permission uncertain.
    else if (problems.length > 0 && mentions(rawTargets, roleId, roleName)) opaque.push(`${source} (its ${property} do not resolve, so it may be attached to role ${roleId}: ${problems[0]})`);
  }

  const boundary = boundaryOf(roleProps.PermissionsBoundary, `Resources.${roleId}.Properties.PermissionsBoundary`, resolve, managedInTemplate, resources);
  return { ...(roleArn ? { roleArn } : {}), statements, opaquePolicies: opaque, ...(boundary ? { boundary } : {}) };
}

/** The role's permissions boundary: the statements of a managed policy of the template, or why they cannot be read. */
function boundaryOf(raw: unknown, location: string, resolve: (v: unknown, at: string) => unknown,
  managedInTemplate: ReadonlyMap<string, string>, resources: Record<string, Resource>): PermissionsBoundary | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = resolve(raw, location);
  } catch (e) {
    return { source: JSON.stringify(raw).slice(0, 120), unreadable: `it does not resolve: ${(e as Error).message}` };
  }
  if (typeof value === 'symbol') return undefined;
  if (typeof value !== 'string') return { source: JSON.stringify(value)?.slice(0, 120) ?? String(value), unreadable: 'it is not a policy ARN' };
  const local = managedInTemplate.get(value);
  if (local === undefined) {
    return { source: value, unreadable: /^arn:[^:]+:iam::aws:policy\//.test(value) ? 'an AWS managed policy, whose text is not in the template' : 'a policy defined outside the template' };
  }
  const source = `AWS::IAM::ManagedPolicy ${local}`;
  let doc: { Statement?: unknown; Version?: unknown } | undefined;
  try {
    doc = resolve(resources[local].Properties?.PolicyDocument, `Resources.${local}.Properties.PolicyDocument`) as typeof doc;
  } catch (e) {
    return { source, unreadable: `it does not resolve: ${(e as Error).message}` };
  }
  const list = Array.isArray(doc?.Statement) ? doc!.Statement : doc?.Statement !== undefined ? [doc.Statement] : [];
  if (!list.every(isPolicyStatement)) return { source, unreadable: 'one of its statements is not a statement of text values' };
  const policyVersion = typeof doc?.Version === 'string' ? doc.Version : '2008-10-17';
  return { source, statements: list.map((statement) => ({ statement, source, policyVersion })) };
}

function notCheckable(reason: string, roleArn?: string): RolePolicies {
  return { ...(roleArn ? { roleArn } : {}), statements: [], opaquePolicies: [], notCheckable: reason };
}

/** Policies are read with nothing guessed: what does not resolve makes a policy "cannot check". */
const STRICT = { strictConditions: true, strict: true } as const;

/** One value of a list property, resolved, or why it does not resolve. */
interface Item {
  readonly value?: unknown;
  readonly location: string;
  readonly problem?: string;
}

/**
 * A list property (Policies, ManagedPolicyArns, Roles) resolved through the
 * template's resolver: an `Fn::If` around the list or around an item is
 * decided, `AWS::NoValue` drops what it stands for, and an item that does not
 * resolve is reported on its own. `problem` when the list as a whole does not.
 */
function listProperty(raw: unknown, location: string, resolve: (v: unknown, at: string) => unknown): { items: Item[] } | { problem: string } {
  if (raw === undefined) return { items: [] };
  if (Array.isArray(raw)) return { items: raw.flatMap((x, i) => one(x, `${location}[${i}]`, resolve)) };
  let value: unknown;
  try {
    value = resolve(raw, location);
  } catch (e) {
    return { problem: (e as Error).message };
  }
  if (typeof value === 'symbol' || value === undefined) return { items: [] };
  if (!Array.isArray(value)) return { problem: `it resolves to ${JSON.stringify(value)?.slice(0, 120)}, not a list` };
  return { items: value.map((v, i) => ({ value: v, location: `${location}[${i}]` })) };
}

/** A single-valued property (a RolePolicy's RoleName), as a list of one or none. */
function single(raw: unknown, location: string, resolve: (v: unknown, at: string) => unknown): { items: Item[] } {
  return { items: raw === undefined ? [] : one(raw, location, resolve) };
}

function one(raw: unknown, location: string, resolve: (v: unknown, at: string) => unknown): Item[] {
  try {
    const value = resolve(raw, location);
    // AWS::NoValue (the resolver's marker for it is a symbol) leaves no item.
    return typeof value === 'symbol' ? [] : [{ value, location }];
  } catch (e) {
    return [{ location, problem: (e as Error).message }];
  }
}

/** True when a raw CloudFormation value names the role: a Ref or Fn::GetAtt to it, or its name. */
function mentions(raw: unknown, logicalId: string, roleName: unknown): boolean {
  const text = JSON.stringify(raw) ?? '';
  return text.includes(JSON.stringify(logicalId)) || (typeof roleName === 'string' && text.includes(JSON.stringify(roleName)));
}

/** The role resource a RoleArn value points at: `Fn::GetAtt [Role, Arn]`, or an ARN equal to a role's. */
function roleLogicalId(raw: unknown, resources: Record<string, Resource>, resolve: ValueResolver): string | undefined {
  const getAtt = (raw as { 'Fn::GetAtt'?: unknown } | null)?.['Fn::GetAtt'];
  const target = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
  if (typeof target === 'string' && resources[target]?.Type === ROLE) return target;
  const value = safe(resolve, raw, undefined);
  if (typeof value !== 'string') return undefined;
  return Object.keys(resources).find((id) => resources[id]?.Type === ROLE && safe(resolve, { 'Fn::GetAtt': [id, 'Arn'] }, undefined) === value);
}

function safe<T>(resolve: ValueResolver, value: unknown, fallback: T): unknown {
  try {
    return resolve(value, 'RoleArn');
  } catch {
    return fallback;
  }
}
