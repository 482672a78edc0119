import { parseCommandArgs, parametersOf } from './args';
import { UsageError } from './cli-error';
import { workflowType } from './run-command';
import type { Streams } from './streams';
import { printable, printableJson, printableLines } from './terminal';
import { validateSource, type ValidationReport } from '../workbench/commands/validate';
import { CommandInputError } from '../workbench/common/command-errors';

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
  --parameter <Name=Value>
                           A template parameter's value, over its Default
                           (repeatable), as sam deploy --parameter-overrides.
  --json                   Print one JSON array instead of text.
  --help                   Print this help.

Exit codes: 0 no errors (warnings allowed); 1 some definition has errors
(or, with --iam, lacks a permission);
2 bad usage or a file that cannot be read.
`;

const SPEC = { command: 'validate', values: ['type'], lists: ['parameter'], flags: ['json', 'no-warnings', 'iam', 'help'] };

/** `stepwright validate`. @internal */
export async function validateCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseCommandArgs(args, SPEC, VALIDATE_USAGE, io);
  if (!parsed) return 0;
  if (parsed.positionals.length === 0) throw new UsageError("'validate' needs at least one file: stepwright validate <definition.asl.json | template.json | cdk.out> ...");
  const type = workflowType(parsed.values.type);
  const warnings = !parsed.flags.has('no-warnings');
  const reports: ValidationReport[] = [];
  let unreadable = false;
  for (const target of parsed.positionals) {
    let found: ValidationReport[];
    try {
      found = validateSource(target, { ...(type ? { type } : {}), warnings, iam: parsed.flags.has('iam'), ...parametersOf(parsed) });
    } catch (e) {
      if (!(e instanceof CommandInputError)) throw e;
      io.err.write(`stepwright: ${printableLines(e.message)}\n`);
      unreadable = true;
      continue;
    }
    if (found.length === 0) io.err.write(`stepwright: ${printable(target)}: no state machines found\n`);
    reports.push(...found);
  }
  if (parsed.flags.has('json')) io.out.write(`${printableJson(JSON.stringify(reports, null, 2))}\n`);
  else for (const r of reports) io.out.write(textReport(r));
  if (unreadable) return 2;
  return reports.every((r) => r.valid) ? 0 : 1;
}

/** The errors that follow from a root one, on one line under it: fixing the root fixes them. */
function followingLine(following: ValidationReport['findings'][number]['following']): string {
  if (!following?.length) return '';
  const codes = [...new Set(following.map((f) => f.code))].join(', ');
  const shown = following.slice(0, FOLLOWING_SHOWN).map((f) => printable(f.location || '/')).join(', ');
  const more = following.length > FOLLOWING_SHOWN ? ` and ${following.length - FOLLOWING_SHOWN} more` : '';
  return `\n          ${count(following.length, 'more error')} ${following.length === 1 ? 'follows' : 'follow'} from it (${codes}): ${shown}${more}`;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** Locations of the errors that follow from a root one, named up to this many. */
const FOLLOWING_SHOWN = 5;

function textReport(r: ValidationReport): string {
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.length - errors;
  const following = r.findings.reduce((n, f) => n + (f.following?.length ?? 0), 0);
  const head = errors > 0
    ? `${printable(r.source)}: invalid, ${count(errors, 'error')}${following ? ` (and ${following} that follow from ${errors === 1 ? 'it' : 'them'})` : ''}${warnings ? `, ${count(warnings, 'warning')}` : ''}`
    : `${printable(r.source)}: valid${warnings ? `, ${count(warnings, 'warning')}` : ''}${r.valid ? '' : ', but its role lacks permissions'}`;
  const lines = r.findings.map((f) => `  ${f.severity === 'error' ? 'error  ' : 'warning'} ${f.code} at ${printable(f.location || '/')}\n          ${printable(f.message)}${followingLine(f.following)}`);
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
