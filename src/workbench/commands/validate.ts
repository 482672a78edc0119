import { loadMachines, type LoadedMachine, type MachineSource, type SelectorNames } from './sources';
import type { StateMachineDefinition } from '../../asl';
import { AwsDefaults, defaultArn, type MachineType } from '../../asl/aws-defaults';
import { ValidationCodes, type Finding } from '../../asl/validate';
import { checkWithContracts } from '../../contracts';
import type { PermissionReport } from '../../iam';
import { JsonFileError, NotADefinitionError } from '../common/command-errors';
import { checkTemplateMachine, checkWorkflowPermissions, templateLoggingRefusal } from '../template';
import type { SamConfigOptions } from '../template';

/**
 * A finding, with the errors that follow from it folded under it: fixing this one fixes them
 * (the states unreachable behind a mistyped `Next`). @internal
 */
export interface ReportedFinding extends Finding {
  readonly following?: readonly Finding[];
}

/** The findings of one state machine, as `stepwright validate --json` prints them. @internal */
export interface ValidationReport {
  readonly source: string;
  readonly valid: boolean;
  /** Root findings first among equals: what follows from one is under its `following`, not beside it. */
  readonly findings: readonly ReportedFinding[];
  /** With `iam`: each Task's permissions against the role. */
  readonly permissions?: PermissionReport;
}

/** Options of {@link validateSource}. @internal */
export interface ValidateSourceOptions {
  /** The workflow type. @default - the template's, else STANDARD */
  readonly type?: MachineType;
  /** Include best-practice warnings. @default true */
  readonly warnings?: boolean;
  /** Also check each Task's IAM permissions against the role (`--iam`). @default false */
  readonly iam?: boolean;
  /** Values of the templates' `Parameters`, by name (`--parameter Name=Value`). @default - each parameter's Default */
  readonly parameters?: Readonly<Record<string, string>>;
  /** A template file's SAM configuration (`--config-file`, `--config-env`). @default - samconfig.toml beside the template, environment default */
  readonly samConfig?: SamConfigOptions;
  /** Told which SAM configuration file gave parameter values. */
  readonly onNote?: (message: string) => void;
  /** How the shell names the selectors and parameters in messages. @default - the command line's */
  readonly names?: SelectorNames;
}

/**
 * Validates every state machine in `source`, as AWS checks a definition when a
 * state machine is created, plus best-practice warnings: one report per
 * machine. A definition that is not JSON (or YAML), or not an object, is an
 * invalid definition with one finding, as AWS reports it.
 * @throws CommandInputError when `source` cannot be read at all
 * @internal
 */
export function validateSource(source: MachineSource, options: ValidateSourceOptions = {}): ValidationReport[] {
  const target = typeof source === 'string' ? source : source.label;
  const what = typeof source === 'string' ? 'The file' : 'The definition';
  const warnings = options.warnings ?? true;
  let machines: LoadedMachine[];
  try {
    const { parameters, names, samConfig, onNote } = options;
    machines = loadMachines(source, {
      ...(parameters ? { parameters } : {}), ...(names ? { names } : {}), ...(samConfig ? { samConfig } : {}), ...(onNote ? { onNote } : {}),
    });
  } catch (e) {
    if (e instanceof JsonFileError && e.file === target) {
      return [{ source: target, valid: false, findings: [{ code: ValidationCodes.INVALID_JSON_DESCRIPTION, severity: 'error', location: '', message: `${what} is not valid ${e.format}: ${e.reason}` }] }];
    }
    if (e instanceof NotADefinitionError && e.file === target) {
      return [{ source: target, valid: false, findings: [{ code: ValidationCodes.SCHEMA_VALIDATION_FAILED, severity: 'error', location: '', message: `${what} is ${e.reason}` }] }];
    }
    throw e;
  }
  return machines.map((m) => {
    // A template's definition is checked as CloudFormation hands it to Step Functions, its substitutions made.
    const type = options.type ?? m.type ?? AwsDefaults.MACHINE_TYPE;
    const check = checkWithContracts(m.definition, { type, warnings, substituted: m.origin !== undefined });
    const logging = m.origin ? loggingFinding(m.origin) : undefined;
    const findings = logging ? [...check.findings, logging] : [...check.findings];
    const valid = check.definition !== undefined && logging === undefined;
    const permissions = options.iam && check.definition !== undefined ? permissionsOf(m, check.definition) : undefined;
    return {
      source: m.label,
      valid: valid && (permissions?.ok ?? true),
      findings: foldFindings(findings),
      ...(permissions ? { permissions: warnings ? permissions : { ...permissions, findings: permissions.findings.filter((f) => f.severity === 'error') } } : {}),
    };
  });
}

/** The machine's LoggingConfiguration refused as CreateStateMachine refuses it (templateLoggingRefusal). */
function loggingFinding(origin: NonNullable<LoadedMachine['origin']>): Finding | undefined {
  const refusal = templateLoggingRefusal(origin.template, origin.logicalId, origin.options);
  return refusal && { code: ValidationCodes.INVALID_LOGGING_CONFIGURATION, severity: 'error', ...refusal };
}

/**
 * Folds each finding that follows from another (`followsFrom`) under that one, so that a reader (a
 * person, or an agent through MCP) meets the error to fix first and not the 29 it causes; a
 * finding whose root is not in the list stays where it is.
 * @internal
 */
export function foldFindings(findings: readonly Finding[]): ReportedFinding[] {
  const roots = new Map<string, Finding>();
  for (const f of findings) if (f.followsFrom === undefined && !roots.has(f.location)) roots.set(f.location, f);
  const following = new Map<Finding, Finding[]>();
  const out: Finding[] = [];
  for (const f of findings) {
    const root = f.followsFrom === undefined ? undefined : roots.get(f.followsFrom);
    if (root === undefined) out.push(f);
    else following.set(root, [...(following.get(root) ?? []), f]);
  }
  return out.map((f) => (following.has(f) ? { ...f, following: following.get(f)! } : f));
}

/**
 * Each Task's permissions against the machine's role in its template; for a
 * plain definition (no role to read), the permissions it needs.
 * @internal
 */
export function permissionsOf(m: LoadedMachine, definition: StateMachineDefinition): PermissionReport {
  if (m.origin) return checkTemplateMachine(m.origin.template, m.origin.options, m.origin.logicalId, definition, m.origin.arn);
  return checkWorkflowPermissions({ definition, arn: defaultArn('states', 'stateMachine:StateMachine') });
}
