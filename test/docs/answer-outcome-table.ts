import * as path from 'node:path';
import { committedBlock, writeBlock, type MarkedBlock } from './marked-block';
import { refusedValues } from '../../src/asl/answer-outcomes';
import { CATALOGUE, DEVELOPER_GUIDE, pageOf, type CatalogueFailRule, type CatalogueRow } from '../../src/asl/integrations';
import { StatesErrors } from '../../src/asl/states-errors';

/** The guide whose table of answers AWS turns into failures is generated from the catalogue (src/asl/integrations.ts). */
export const GUIDE = path.resolve(__dirname, '..', '..', 'docs', 'testing.md');
const BLOCK: MarkedBlock = { guide: GUIDE, start: '<!-- answer-outcomes:start -->', end: '<!-- answer-outcomes:end -->' };
/** How the catalogue names an AWS recording of ../shared/conformance among its sources. */
const RECORDED = 'recording: ';
/** How it names a report quoting an execution AWS ran. */
const OBSERVED = 'observed: ';

const code = (s: string): string => `\`${s}\``;
const SUFFIX: Readonly<Record<string, string>> = { 'request': '', 'sync': '.sync', 'sync:2': '.sync:2', 'waitForTaskToken': '.waitForTaskToken' };

function errorWords(rule: CatalogueFailRule, row: CatalogueRow): string {
  const e = rule.error;
  if ('taskFailed' in e) return code(StatesErrors.TASK_FAILED);
  if ('name' in e) return code(e.name);
  if ('status' in e) return code(`${row.errorPrefix}${e.infix}<${e.status}>`);
  return `${code(e.from)}, else ${code(e.otherwise)}`;
}

/**
 * What a rule stands on, from its sources: an AWS recording, a page of the Step Functions guide
 * saying so (the Run a Job page alone says only that the Task waits), or the service's own pages
 * (its job states), where Step Functions' behaviour on the state is read from them.
 */
function basis(rule: CatalogueFailRule): string {
  if (rule.source.some((s) => s.startsWith(RECORDED))) return 'recorded';
  if (rule.source.some((s) => s.startsWith(DEVELOPER_GUIDE) && !s.startsWith(`${DEVELOPER_GUIDE}connect-to-resource.html`))) return 'Step Functions guide';
  if (rule.source.some((s) => s.startsWith(OBSERVED))) return 'observed';
  return 'service docs';
}

function sourceWords(source: string): string {
  if (source.startsWith(RECORDED)) {
    const file = source.slice(RECORDED.length);
    return `AWS recording ${code(file.slice(file.lastIndexOf('/') + 1).replace(/_get_execution_history--[0-9a-f]+\.json$/, ''))}`;
  }
  if (source.startsWith(OBSERVED)) {
    const url = source.slice(OBSERVED.length);
    return `an AWS execution reported in [${url.replace(/^https:\/\/github\.com\//, '')}](${url})`;
  }
  const label = source.startsWith(DEVELOPER_GUIDE) ? source.slice(DEVELOPER_GUIDE.length) : source.replace(/^https:\/\/[^/]+\//, '');
  return `[${label}](${source})`;
}

/**
 * The table of every optimized integration's answers that fail its Task, as Markdown: one line per
 * rule of the catalogue (the Resources it judges, where it looks, the values that fail, the error
 * and cause, and the AWS page or recording it follows), then the integrations none of whose answers
 * fails the Task, each with its page.
 */
export function renderAnswerOutcomes(): string {
  const rows = [...CATALOGUE.values()];
  const judged = rows.flatMap((row) => ('fails' in row.outcome ? row.outcome.fails.map((rule) => ({ row, rule })) : []));
  const lines: string[] = [];
  lines.push(`${judged.length} answers of ${rows.filter((r) => 'fails' in r.outcome).length} integrations fail their Task; an answer fails when the value at any of its`);
  lines.push('fields (`*`: any entry of a list) is among the values named. Basis: `recorded`, an AWS recording shows it; `Step Functions guide`,');
  lines.push('a page of the guide says so; `observed`, a report quotes an execution AWS ran that failed so; `service docs`, the service\'s');
  lines.push('pages name the state a job ends in and no Step Functions page, recording or report says what the Task does then');
  lines.push('([fidelity](fidelity.md#values-read-as-a-state-runs) says why it fails here).', '');
  lines.push('| Task | field | values that fail | error | cause | basis | AWS says so |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const { row, rule } of judged) {
    const resources = rule.patterns.map((p) => code(`${row.resource}${SUFFIX[p]}`)).join(', ');
    const cause = rule.cause === 'answer' ? 'the answer, as JSON' : code(rule.cause.field);
    lines.push(`| ${resources} | ${rule.at.map(code).join(', ')} | ${refusedValues(rule.test)} | ${errorWords(rule, row)} | ${cause} | ${basis(rule)} | ${rule.source.map(sourceWords).join(', ')} |`);
  }
  const none = rows.filter((r) => 'none' in r.outcome);
  lines.push('', `No answer of these ${none.length} fails its Task (a status in the answer is data; the service's errors are the Task's):`, '');
  lines.push(none.map((r) => `[${code(r.resource)}](${pageOf(r)})`).join(', '));
  return lines.join('\n');
}

/** The table as the guide holds it between its markers, or undefined when the markers are missing. */
export function committedAnswerOutcomes(): string | undefined {
  return committedBlock(BLOCK);
}

/** Writes the table into the guide between its markers. */
export function writeAnswerOutcomes(): void {
  writeBlock(BLOCK, renderAnswerOutcomes());
}
