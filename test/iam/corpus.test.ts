import * as fs from 'node:fs';
import * as path from 'node:path';
import { actionMatches, type PermissionReport } from '../../src/iam';
import { checkPermissions } from '../../src/testing';
import { describeWithShared, hasShared, sharedPath } from '../shared-data';

const corpus = sharedPath('cdk-templates');
const present = hasShared('cdk-templates', 'INDEX.json');
const files = present ? fs.readdirSync(corpus).filter((f) => f.endsWith('.template.json')).sort() : [];
const load = (file: string): Template => JSON.parse(fs.readFileSync(path.join(corpus, file), 'utf-8')) as Template;

interface Template { Resources: Record<string, { Type: string; Properties?: Record<string, any> }> }

/**
 * Missing permissions the corpus really has: these integ tests only check
 * that the machine deploys (status ACTIVE) and never run it, so AWS never
 * reported them. Each is a true finding, asserted to be found.
 */
const REAL_FINDINGS = [
  // A CustomState's Task gets no grant from the CDK; the table it writes to does not even exist.
  'aws-stepfunctions-custom-state-integ StateMachine2E01A3A5 my custom task dynamodb:PutItem',
  // A plain sfn.Map switched to DISTRIBUTED mode gets no states:StartExecution grant (sfn.DistributedMap adds it).
  'cdk-stepfunctions-map-distributed-stack StateMachine2E01A3A5 My-Map-State states:StartExecution',
];

const stackOf = (file: string): string => file.replace(/^.*__/, '').replace(/\.template\.json$/, '');

function errorsOf(reports: readonly PermissionReport[], file: string): string[] {
  return reports.flatMap((r) => r.findings.filter((f) => f.severity === 'error').map((f) => `${stackOf(file)} ${r.logicalId} ${f.state} ${f.action}`));
}

/** Every finding of a report as a stable key, to tell which ones a mutation added. */
function findingKeys(reports: readonly PermissionReport[]): Set<string> {
  return new Set(reports.flatMap((r) => r.findings.filter((f) => f.severity !== 'info').map((f) => `${r.logicalId} ${f.code} ${f.state} ${f.action} ${f.resource}`)));
}

interface Mutant { file: string; policy: string; index: number; actions: string[]; machine: string }

/** One mutant per statement of every policy attached to a state machine's role. */
function mutantsOf(file: string, t: Template): Mutant[] {
  const out: Mutant[] = [];
  for (const [machine, r] of Object.entries(t.Resources)) {
    if (r.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const roleId = r.Properties?.RoleArn?.['Fn::GetAtt']?.[0];
    if (typeof roleId !== 'string') continue;
    for (const [policy, p] of Object.entries(t.Resources)) {
      if (p.Type !== 'AWS::IAM::Policy' || !(p.Properties?.Roles ?? []).some((x: any) => x?.Ref === roleId)) continue;
      const statements: any[] = p.Properties!.PolicyDocument.Statement;
      statements.forEach((s, index) => out.push({ file, policy, index, machine, actions: [].concat(s.Action ?? []) }));
    }
  }
  return out;
}

function without(t: Template, m: Mutant): Template {
  const copy = JSON.parse(JSON.stringify(t)) as Template;
  copy.Resources[m.policy].Properties!.PolicyDocument.Statement.splice(m.index, 1);
  return copy;
}

describeWithShared('cdk-templates', 'permissions of the real CDK templates (../shared/cdk-templates)', () => {
  const original = new Map<string, PermissionReport[]>();
  beforeAll(() => {
    for (const file of files) original.set(file, checkPermissions(load(file)));
  });

  it('checks the 79 state machines of the 70 templates', () => {
    expect(files).toHaveLength(70);
    expect([...original.values()].reduce((n, r) => n + r.length, 0)).toBe(79);
  });

  it('knows the integration of every Task: 0 unknown, 84 Task and Distributed Map states checked', () => {
    const all = [...original.values()].flat();
    expect(all.flatMap((r) => r.findings.filter((f) => f.code === 'UNKNOWN_INTEGRATION').map((f) => f.message))).toEqual([]);
    expect(all.reduce((n, r) => n + new Set(r.checks.filter((c) => c.location !== '').map((c) => c.location)).size, 0)).toBe(84);
  });

  it('finds no missing permission in roles that worked on AWS: 0 false findings, and the 2 real ones of machines never run', () => {
    const found = files.flatMap((f) => errorsOf(original.get(f)!, f));
    expect(found.sort()).toEqual([...REAL_FINDINGS].sort());
  });

  it('catches every broken variant: removing a statement a Task needs makes a missing-permission finding appear', () => {
    const decisions = (reports: readonly PermissionReport[]): Map<string, string> =>
      new Map(reports.flatMap((r) => r.checks.map((c) => [`${r.logicalId} ${c.location} ${c.action} ${c.resource}`, c.decision] as [string, string])));
    const outcomes = files.flatMap((file) => {
      const t = load(file);
      const reports = original.get(file)!;
      const before = findingKeys(reports);
      const beforeDecisions = decisions(reports);
      const needed = new Set(reports.flatMap((r) => r.checks.map((c) => `${r.logicalId} ${c.action}`)));
      return mutantsOf(file, t).map((m) => {
        const mutated = checkPermissions(without(t, m));
        const caught = [...findingKeys(mutated)].some((k) => !before.has(k));
        const grantsNeeded = [...needed].some((n) => {
          const [machine, action] = n.split(' ');
          return machine === m.machine && m.actions.some((a) => actionMatches(a, action));
        });
        // A statement another one duplicates (the same objects granted through Ref and through GetAtt) breaks nothing.
        const redundant = [...decisions(mutated)].every(([k, d]) => beforeDecisions.get(k) === d);
        return { m, caught, broken: grantsNeeded && !redundant, redundant: grantsNeeded && redundant };
      });
    });
    const broken = outcomes.filter((o) => o.broken);
    const missed = broken.filter((o) => !o.caught).map((o) => `${o.m.file} ${o.m.policy}[${o.m.index}] ${o.m.actions.join(',')}`);
    expect(missed).toEqual([]);
    // The figures of the closing note. `notForTasks`: statements no Task needs by the table (logging and
    // KMS of the machine, Athena's S3/Glue data access, the Distributed Map's DescribeExecution/StopExecution,
    // extra CDK grants such as sagemaker:ListTags); `redundant`: statements another one duplicates.
    expect({
      mutants: outcomes.length,
      broken: broken.length,
      caught: broken.length - missed.length,
      redundant: outcomes.filter((o) => o.redundant).length,
      notForTasks: outcomes.filter((o) => !o.broken && !o.redundant).length,
    }).toEqual({ mutants: 134, broken: 104, caught: 104, redundant: 4, notForTasks: 26 });
  });
});
