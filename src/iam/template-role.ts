import type { PolicyStatement, RolePolicies, SourcedStatement } from './policy';

/**
 * Resolves a CloudFormation value (intrinsics included) to plain JSON; throws
 * when it cannot. The jest harness and the CDK Aspect both pass the resolver of
 * src/cfn that resolved the definition, so that the definition and the
 * policies are resolved alike and their placeholder ARNs meet.
 */
export type ValueResolver = (value: unknown, location: string) => unknown;

/** Options of {@link rolePoliciesFromTemplate}. */
export interface TemplateRoleOptions {
  /** Logical id of the `AWS::StepFunctions::StateMachine` whose role is read. */
  readonly stateMachine: string;
  readonly resolve: ValueResolver;
}

interface Resource {
  readonly Type?: string;
  readonly Properties?: Record<string, unknown>;
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

  const addDocument = (document: unknown, source: string, location: string): void => {
    let resolved: unknown;
    try {
      resolved = options.resolve(document, location);
    } catch (e) {
      opaque.push(`${source} (it does not resolve: ${(e as Error).message})`);
      return;
    }
    const list = (resolved as { Statement?: unknown } | undefined)?.Statement;
    (Array.isArray(list) ? list : list !== undefined ? [list] : []).forEach((s, i) => {
      if (isStatement(s)) statements.push({ statement: s, source });
      else opaque.push(`statement ${i} of ${source} (it is not a statement of text values: ${JSON.stringify(s).slice(0, 120)})`);
    });
  };

  const inline = roleProps.Policies;
  if (Array.isArray(inline)) {
    inline.forEach((p: { PolicyName?: unknown; PolicyDocument?: unknown }, i) => {
      addDocument(p?.PolicyDocument, `inline policy '${typeof p?.PolicyName === 'string' ? p.PolicyName : i}' of role ${roleId}`, `Resources.${roleId}.Properties.Policies[${i}].PolicyDocument`);
    });
  }

  const managedInTemplate = new Map<string, string>();
  for (const [id, r] of Object.entries(resources)) {
    if (r?.Type === 'AWS::IAM::ManagedPolicy') managedInTemplate.set(String(safe(options.resolve, { Ref: id }, id)), id);
  }
  const attachedManaged = new Set<string>();
  const managed = roleProps.ManagedPolicyArns;
  if (Array.isArray(managed)) {
    managed.forEach((m, i) => {
      const value = safe(options.resolve, m, undefined);
      const local = typeof value === 'string' ? managedInTemplate.get(value) : undefined;
      if (local !== undefined) {
        attachedManaged.add(local);
        addDocument(resources[local].Properties?.PolicyDocument, `AWS::IAM::ManagedPolicy ${local}`, `Resources.${local}.Properties.PolicyDocument`);
      } else {
        opaque.push(`managed policy ${typeof value === 'string' ? value : JSON.stringify(m)} (listed in ManagedPolicyArns[${i}] of role ${roleId})`);
      }
    });
  }

  for (const [id, r] of Object.entries(resources)) {
    if (!r?.Type || !POLICY_TYPES.has(r.Type) || attachedManaged.has(id)) continue;
    const props = r.Properties ?? {};
    const targets = r.Type === 'AWS::IAM::RolePolicy' ? [props.RoleName] : Array.isArray(props.Roles) ? props.Roles : [];
    const attached = targets.some((t) => refersTo(t, roleId) || safe(options.resolve, t, undefined) === roleName);
    if (attached) addDocument(props.PolicyDocument, `${r.Type} ${id}`, `Resources.${id}.Properties.PolicyDocument`);
  }

  return { ...(roleArn ? { roleArn } : {}), statements, opaquePolicies: opaque };
}

/** A statement whose Effect, actions and resources are all text, as IAM reads them. */
function isStatement(s: unknown): s is PolicyStatement {
  if (s === null || typeof s !== 'object') return false;
  const st = s as Record<string, unknown>;
  const texts = (v: unknown): boolean => v === undefined || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  return (st.Effect === 'Allow' || st.Effect === 'Deny')
    && (st.Action !== undefined || st.NotAction !== undefined) && (st.Resource !== undefined || st.NotResource !== undefined)
    && texts(st.Action) && texts(st.NotAction) && texts(st.Resource) && texts(st.NotResource);
}

function notCheckable(reason: string, roleArn?: string): RolePolicies {
  return { ...(roleArn ? { roleArn } : {}), statements: [], opaquePolicies: [], notCheckable: reason };
}

function refersTo(value: unknown, logicalId: string): boolean {
  return value !== null && typeof value === 'object' && (value as { Ref?: unknown }).Ref === logicalId;
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
