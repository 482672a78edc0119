import { parseArgs } from './args';
import { CliError, UsageError } from './errors';
import { workflowType } from './run-command';
import { JsonFileError, loadMachines, NotADefinitionError, type LoadedMachine } from './sources';
import type { Streams } from './streams';
import { printable, printableJson, printableLines } from './terminal';
import type { StateMachineDefinition } from '../asl/types';
import { validateDefinition, ValidationCodes, type Finding } from '../asl/validate';
import type { PermissionReport } from '../iam/check';
import { checkTemplateMachine, checkWorkflowPermissions } from '../testing/iam-workflow';

/** @internal */
export const VALIDATE_USAGE = `Usage: stepwright validate <file...> [options]

Checks state machine definitions as AWS does when a state machine is created,
plus best-practice warnings. Each <file> is an ASL file (.asl.json), a
CloudFormation template (JSON; every state machine in it, tokens resolved) or
a cdk.out directory (every stack).

Options:
  --type STANDARD|EXPRESS  Workflow type. Default: the template's, else STANDARD
  --no-warnings            Report errors only.
  --iam                    Also check each Task's IAM permissions against the
                           state machine's role in the template (missing or
                           denied permissions are errors).
  --json                   Print one JSON array instead of text.
  --help                   Print this help.

Exit codes: 0 no errors (warnings allowed); 1 some definition has errors
(or, with --iam, lacks a permission);
2 bad usage or a file that cannot be read.
`;

const SPEC = { command: 'validate', values: ['type'], flags: ['json', 'no-warnings', 'iam', 'help'] };

/** The findings of one state machine, as --json prints them. @internal */
export interface ValidationReport {
  readonly source: string;
  readonly valid: boolean;
  readonly findings: readonly Finding[];
  /** With --iam: each Task's permissions against the role. */
  readonly permissions?: PermissionReport;
}

/** `stepwright validate`. @internal */
export async function validateCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseArgs(args, SPEC);
  if (parsed.flags.has('help')) {
    io.out.write(VALIDATE_USAGE);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError("'validate' needs at least one file: stepwright validate <definition.asl.json | template.json | cdk.out> ...");
  const type = workflowType(parsed.values.type);
  const warnings = !parsed.flags.has('no-warnings');
  const reports: ValidationReport[] = [];
  let unreadable = false;
  for (const target of parsed.positionals) {
    let machines: LoadedMachine[];
    try {
      machines = loadMachines(target);
    } catch (e) {
      if (e instanceof JsonFileError && e.file === target) {
        // A definition that is not JSON is an invalid definition, as AWS reports it.
        reports.push({ source: target, valid: false, findings: [{ code: ValidationCodes.INVALID_JSON_DESCRIPTION, severity: 'error', location: '', message: `The file is not valid JSON: ${e.reason}` }] });
        continue;
      }
      if (e instanceof NotADefinitionError && e.file === target) {
        reports.push({ source: target, valid: false, findings: [{ code: ValidationCodes.SCHEMA_VALIDATION_FAILED, severity: 'error', location: '', message: `The file is ${e.reason}` }] });
        continue;
      }
      if (!(e instanceof CliError)) throw e;
      io.err.write(`stepwright: ${printableLines(e.message)}\n`);
      unreadable = true;
      continue;
    }
    if (machines.length === 0) io.err.write(`stepwright: ${printable(target)}: no state machines found\n`);
    for (const m of machines) {
      const findings = validateDefinition(m.definition, { type: type ?? m.type ?? 'STANDARD', warnings });
      const valid = !findings.some((f) => f.severity === 'error');
      const permissions = parsed.flags.has('iam') && valid ? permissionsOf(m) : undefined;
      reports.push({
        source: m.label,
        valid: valid && (permissions?.ok ?? true),
        findings,
        ...(permissions ? { permissions: warnings ? permissions : { ...permissions, findings: permissions.findings.filter((f) => f.severity === 'error') } } : {}),
      });
    }
  }
  if (parsed.flags.has('json')) io.out.write(`${printableJson(JSON.stringify(reports, null, 2))}\n`);
  else for (const r of reports) io.out.write(textReport(r));
  if (unreadable) return 2;
  return reports.every((r) => r.valid) ? 0 : 1;
}

function permissionsOf(m: LoadedMachine): PermissionReport {
  const definition = m.definition as StateMachineDefinition;
  if (m.origin) return checkTemplateMachine(m.origin.template, m.origin.options, m.origin.logicalId, definition, m.origin.arn);
  return checkWorkflowPermissions({ definition, arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine' });
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function textReport(r: ValidationReport): string {
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.length - errors;
  const head = errors > 0
    ? `${printable(r.source)}: invalid, ${count(errors, 'error')}${warnings ? `, ${count(warnings, 'warning')}` : ''}`
    : `${printable(r.source)}: valid${warnings ? `, ${count(warnings, 'warning')}` : ''}${r.valid ? '' : ', but its role lacks permissions'}`;
  const lines = r.findings.map((f) => `  ${f.severity === 'error' ? 'error  ' : 'warning'} ${f.code} at ${printable(f.location || '/')}\n          ${printable(f.message)}`);
  if (r.permissions) {
    const p = r.permissions;
    const missing = p.findings.filter((f) => f.severity === 'error').length;
    lines.push(`  iam: ${p.checks.length} permission${p.checks.length === 1 ? '' : 's'} checked, ${missing} missing`);
    for (const f of p.findings) {
      lines.push(`  ${f.severity === 'error' ? 'error  ' : f.severity === 'warning' ? 'warning' : 'info   '} ${f.code}${f.location ? ` at ${printable(f.location)}` : ''}\n          ${printable(f.message)}${f.fix ? `\n          fix: ${printable(f.fix)}` : ''}`);
    }
  }
  return `${[head, ...lines].join('\n')}\n`;
}
