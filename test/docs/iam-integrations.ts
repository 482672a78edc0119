import * as path from 'node:path';
import { committedBlock, writeBlock, type MarkedBlock } from './marked-block';
import { coveredIntegrations, SDK_SERVICES } from '../../src/iam';
import { SDK_ACTION_EXCEPTIONS } from '../../src/iam/sdk';

/** The guide whose list of covered integrations is generated from the permission table. */
export const GUIDE = path.resolve(__dirname, '..', '..', 'docs', 'iam.md');
const BLOCK: MarkedBlock = { guide: GUIDE, start: '<!-- iam-integrations:start -->', end: '<!-- iam-integrations:end -->' };

const code = (s: string): string => `\`${s}\``;
const cell = (actions: readonly string[]): string => (actions.length === 0 ? '—' : actions.map(code).join(', '));

/**
 * The list of covered integrations, as Markdown: every optimized integration
 * with the actions each pattern needs (run through the same rows the check
 * uses, with every argument taken from the input), then the AWS SDK services
 * and their IAM prefixes.
 */
export function renderIntegrationList(): string {
  const lines: string[] = [];
  lines.push('### Optimized integrations', '');
  lines.push('Actions each pattern needs; `.sync` and `.waitForTaskToken` list what they add to request-response. An action that hangs on an');
  lines.push('argument is listed as when the argument is given (`iam:PassRole` for a role, `AddTags` for `Tags`); KMS actions come from the');
  lines.push('template (see above). "(optional)": a warning when missing.', '');
  lines.push('| Integration | Request-response | `.sync` adds | `.waitForTaskToken` adds |', '| --- | --- | --- | --- |');
  for (const row of coveredIntegrations()) {
    const request = row.actions.request;
    const extra = (pattern: 'sync' | 'waitForTaskToken'): string[] => row.actions[pattern].filter((a) => !request.includes(a));
    const first = row.authorizedElsewhere ? `none from IAM: ${row.authorizedElsewhere}` : cell(request);
    lines.push(`| [${code(row.integration)}](${row.doc}) | ${first} | ${cell(extra('sync'))} | ${cell(extra('waitForTaskToken'))} |`);
  }
  const services = [...SDK_SERVICES.values()];
  const renamed = services.filter((s) => s.iamPrefix !== undefined && s.iamPrefix !== s.name);
  const same = services.filter((s) => s.iamPrefix === s.name);
  const unchecked = services.filter((s) => s.iamPrefix === undefined);
  lines.push('', '### AWS SDK integrations', '');
  lines.push(`${services.length} services of \`arn:aws:states:::aws-sdk:<service>:<api>\`. The action is \`<prefix>:<Api>\`; the prefix is the service's name for ${same.length} of them:`, '');
  lines.push(same.map((s) => code(s.name)).join(', '), '');
  lines.push(`and another for these ${renamed.length}:`, '');
  lines.push('| `aws-sdk:` service | IAM prefix |', '| --- | --- |');
  for (const s of renamed) lines.push(`| ${code(s.name)} | ${code(s.iamPrefix!)} |`);
  lines.push('', `The IAM prefix of these ${unchecked.length}, added to Step Functions in 2026, is not in the table yet: their permissions are checked by hand.`, '');
  lines.push(unchecked.map((s) => code(s.name)).join(', '));
  lines.push('', 'Calls authorized under another action than their own name:', '');
  lines.push('| Call | Actions |', '| --- | --- |');
  for (const [call, actions] of SDK_ACTION_EXCEPTIONS) lines.push(`| ${code(`aws-sdk:${call}`)} | ${actions.map(code).join(', ')} |`);
  return lines.join('\n');
}

/** The list as the guide holds it between its markers, or undefined when the markers are missing. */
export function committedList(text?: string): string | undefined {
  return committedBlock(BLOCK, text);
}

/** Writes the list into the guide between its markers. */
export function writeIntegrationList(): void {
  writeBlock(BLOCK, renderIntegrationList());
}
