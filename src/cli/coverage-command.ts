import { parseCommandArgs } from './args';
import { outputFiles, UsageError } from './cli-error';
import type { Streams } from './streams';
import { printable, printableLines } from './terminal';
import { mergeCoverageFiles } from '../workbench/commands/coverage-merge';
import { checkOutputFiles, writeOutputFiles, type OutputFile } from '../workbench/common/output-files';

/** @internal */
export const COVERAGE_USAGE = `Usage: stepwright coverage merge <report.json>... [options]

Adds up the coverage reports of the shards of one jest or vitest run (--shard=i/n,
each shard writing the stepwright reporter's outputFile) into the report one unsharded
run would have written, prints its tables, and applies the coverage threshold and
the cost budget to the whole suite. A shard whose tests failed, or one with no
report, is named: its figures are not the whole suite's.

Options:
  --out <merged.json>         Write the merged report (the reporter's format, with the shards).
  --summary <file.md>         Append a Markdown summary, e.g. --summary "$GITHUB_STEP_SUMMARY".
  --threshold <cat=pct,...>   Minimum coverage per category over all state machines, e.g.
                              states=100,transitions=90 (states, transitions, choices,
                              catches, retries).
  --budget <field=n,...>      The most all runs together may use: stateTransitions=5000,
                              billedDurationMs=60000.
  --help                      Print this help.

Exit codes: 0 merged, and within the threshold and budget; 1 below the threshold, over
the budget, or a shard failed or is missing; 2 bad usage or a report that cannot be read.
`;

const SPEC = { command: 'coverage', values: ['out', 'summary', 'threshold', 'budget'], flags: ['help'] };

/** `stepwright coverage merge`. @internal */
export async function coverageCommand(args: readonly string[], io: Streams): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    (sub === undefined ? io.err : io.out).write(COVERAGE_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'merge') throw new UsageError(`unknown subcommand '${printable(sub)}'; use: stepwright coverage merge <report.json>...`);
  const parsed = parseCommandArgs(rest, SPEC, COVERAGE_USAGE, io);
  if (!parsed) return 0;
  const threshold = pairs(parsed.values.threshold, '--threshold', 'states=100,transitions=90');
  const budget = pairs(parsed.values.budget, '--budget', 'stateTransitions=5000');
  // The report is overwritten and the summary appended to, as GitHub's step summary file wants.
  const options = { command: 'coverage merge', force: true };
  const outputs = (texts?: { json: string; markdown: string }): OutputFile[] => [
    ...(parsed.values.out !== undefined ? [{ file: parsed.values.out, option: '--out', text: texts?.json ?? '' }] : []),
    ...(parsed.values.summary !== undefined ? [{ file: parsed.values.summary, option: '--summary', mode: 'append' as const, text: texts?.markdown ?? '' }] : []),
  ];
  outputFiles(() => checkOutputFiles(outputs(), options));
  const result = mergeCoverageFiles(parsed.positionals, { threshold, budget });
  io.out.write(`${printableLines(result.text)}\n`);
  for (const w of result.merged.warnings) io.err.write(`stepwright coverage: ${printableLines(w)}\n`);
  outputFiles(() => writeOutputFiles(outputs(result), options));
  if (result.failures.length) io.err.write(`stepwright coverage: ${printableLines(result.failures.join('\n'))}\n`);
  return result.failures.length > 0 || !result.merged.complete ? 1 : 0;
}

/** `a=1,b=2` as an object with own fields only (a `__proto__` stays a field, which the check refuses). */
function pairs(value: string | undefined, option: string, example: string): Record<string, number> | undefined {
  if (value === undefined) return undefined;
  const entries = value.split(',').map((pair) => {
    const eq = pair.indexOf('=');
    const v = pair.slice(eq + 1).trim();
    if (eq <= 0 || v === '') throw new UsageError(`${option} takes name=number pairs separated by commas, e.g. ${example}; got '${printable(pair)}'`);
    return [pair.slice(0, eq).trim(), Number(v)] as const;
  });
  return Object.fromEntries(entries);
}
