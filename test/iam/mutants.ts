import { actionMatches, type PermissionReport } from '../../src/iam';
import { checkPermissions } from '../../src/testing';

/** A template as far as mutants need it. */
export interface MutableTemplate { Resources: Record<string, { Type: string; Properties?: Record<string, any> }> }

/** One action granted to a state machine's role, and what its removal did. */
export interface MutantOutcome {
  readonly where: string;
  readonly actions: readonly string[];
  /** A check needs it: without it, a request the role was allowed is denied. */
  readonly needed: boolean;
  /** A new error (or warning, for an optional permission) names the action. */
  readonly caughtNamingAction: boolean;
  /** The actions the new findings name. */
  readonly named: readonly string[];
}

interface Site { policy: string; path: (string | number)[]; statements: any[] }

/** The statement lists of every policy attached to the role of each state machine: AWS::IAM::Policy resources and inline Policies. */
function sites(t: MutableTemplate): Site[] {
  const out: Site[] = [];
  const roles = new Set<string>();
  for (const r of Object.values(t.Resources)) {
    if (r.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const id = r.Properties?.RoleArn?.['Fn::GetAtt']?.[0];
    if (typeof id === 'string') roles.add(id);
  }
  for (const [id, r] of Object.entries(t.Resources)) {
    if (r.Type === 'AWS::IAM::Policy' && (r.Properties?.Roles ?? []).some((x: any) => roles.has(x?.Ref))) {
      out.push({ policy: id, path: ['PolicyDocument'], statements: r.Properties!.PolicyDocument.Statement });
    }
    if (r.Type === 'AWS::IAM::Role' && roles.has(id)) {
      (r.Properties?.Policies ?? []).forEach((p: any, i: number) => out.push({ policy: `${id}.Policies[${i}]`, path: ['Policies', i, 'PolicyDocument'], statements: p.PolicyDocument.Statement }));
    }
  }
  return out;
}

function errorKeys(reports: readonly PermissionReport[]): Set<string> {
  return new Set(reports.flatMap((r) => r.findings.filter((f) => f.severity === 'error' || f.code === 'MISSING_OPTIONAL_PERMISSION')
    .map((f) => `${r.logicalId} ${f.code} ${f.state} ${f.action} ${f.resource}`)));
}

function decisions(reports: readonly PermissionReport[]): Map<string, string> {
  return new Map(reports.flatMap((r) => r.checks.map((c) => [`${r.logicalId} ${c.location} ${c.action} ${c.resource}`, c.decision] as [string, string])));
}

/**
 * Removes each action the roles of the state machines are granted, from every
 * statement that grants it (a statement left with no action goes too), and
 * reports whether the check notices: an action a Task needs must make a
 * finding appear that names it.
 */
export function mutants(template: MutableTemplate): MutantOutcome[] {
  const base = checkPermissions(template);
  const before = errorKeys(base);
  const beforeDecisions = decisions(base);
  const granted = [...new Set(sites(template).flatMap((site) => site.statements.filter((st) => st.Effect === 'Allow').flatMap((st) => [].concat(st.Action ?? []))))].sort();
  return granted.map((action: string) => {
    const copy = JSON.parse(JSON.stringify(template)) as MutableTemplate;
    for (const site of sites(copy)) {
      const kept = site.statements
        .map((st) => (st.Action === undefined ? st : { ...st, Action: [].concat(st.Action).filter((a) => a !== action) }))
        .filter((st) => st.Action === undefined || st.Action.length > 0);
      site.statements.splice(0, site.statements.length, ...kept);
    }
    const after = checkPermissions(copy);
    const named = [...errorKeys(after)].filter((k) => !before.has(k)).map((k) => k.split(' ')[3]);
    const needed = [...decisions(after)].some(([k, d]) => beforeDecisions.get(k) !== d && (d === 'implicitDeny' || d === 'denied'));
    return { where: action, actions: [action], needed, caughtNamingAction: named.some((n) => actionMatches(action, n)), named: [...new Set(named)] };
  });
}
