import type { Finding } from './codes';
import { DefinitionError } from '../states-errors';

/** How many findings the message spells out; the rest stay in `findings`. */
const MAX_LISTED = 20;

/**
 * A definition the static validator rejects, raised when a state machine is
 * compiled, before any execution starts. It carries every error finding, so
 * the caller sees all that is wrong at once, each with its JSON-pointer
 * location and how to fix it.
 *
 * `code` and `location` are those of the first finding, so code that handles
 * a plain {@link DefinitionError} keeps working.
 *
 * @example
 * try {
 *   compileStateMachine(definition);
 * } catch (e) {
 *   if (e instanceof InvalidDefinitionError) console.error(e.findings);
 * }
 */
export class InvalidDefinitionError extends DefinitionError {
  /** The error findings, in the order the validator reported them. */
  public readonly findings: readonly Finding[];

  constructor(findings: readonly Finding[]) {
    const first = findings[0];
    super(first?.code ?? 'SCHEMA_VALIDATION_FAILED', first?.location ?? '', first?.message ?? 'the definition is invalid');
    this.name = 'InvalidDefinitionError';
    this.findings = findings;
    this.message = describeFindings(findings);
  }
}

/**
 * One line per finding: location, code and message; `/` stands for the whole
 * definition.
 * @internal
 */
export function describeFindings(findings: readonly Finding[]): string {
  const lines = findings.slice(0, MAX_LISTED).map((f) => `  - ${f.location || '/'} [${f.code}]: ${f.message}`);
  if (findings.length > MAX_LISTED) lines.push(`  ... and ${findings.length - MAX_LISTED} more (see the error's findings)`);
  const count = findings.length === 1 ? '1 error' : `${findings.length} errors`;
  return `The state machine definition is invalid (${count}):\n${lines.join('\n')}`;
}
