import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from './cli-error';
import type { Streams } from './streams';
import { printable } from './terminal';
import type { ExploreReport } from '../explore/report-types';
import type { MachineOrigin } from '../workbench/commands/sources';
import { scaffoldMockConfig, scaffoldTests, type ScaffoldSource } from '../workbench/scaffold';
import type { WorkflowEngine } from '../workbench/workflow/engine';

/** What `explore --write-tests` and `--mock-config` write, and how. @internal */
export interface ScaffoldOutput {
  readonly testsFile?: string;
  readonly mockConfigFile?: string;
  /** Overwrite files that exist (a user's edits are lost). */
  readonly force: boolean;
  readonly seed?: number;
  readonly type?: 'STANDARD' | 'EXPRESS';
  /** The command line, for the file's first comment. */
  readonly command: string;
}

/** The machine's source, as the test file (in `dir`) loads it: paths relative to the file. */
function scaffoldSource(from: MachineOrigin, dir: string): ScaffoldSource {
  const rel = (p: string) => path.relative(dir, path.resolve(p)).split(path.sep).join('/');
  switch (from.kind) {
    case 'definition': return { definition: rel(from.file) };
    case 'template': return { template: rel(from.file), stateMachine: from.logicalId };
    case 'cdk-out': return { cdkOut: rel(from.dir), stack: from.stack, stateMachine: from.logicalId };
  }
}

function writeNew(file: string, text: string, force: boolean, io: Streams, what: string): void {
  if (!force && fs.existsSync(file)) {
    throw new CliError(`${file} exists (it may hold your edits); pass --force to overwrite it`, 2);
  }
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new CliError(`cannot write ${file}: ${(e as Error).message}`, 2);
  }
  io.err.write(`wrote ${printable(file)}: ${what}\n`);
}

/**
 * Writes the jest file and the MockConfigFile scaffolded from one explore
 * report, refusing to overwrite a file unless forced.
 * @internal
 */
export function writeScaffold(report: ExploreReport, workflow: WorkflowEngine, from: MachineOrigin | undefined, out: ScaffoldOutput,
  io: Streams): void {
  if (out.testsFile !== undefined) {
    // The command line always names a file; a machine given inline has no path for the test file to load it by.
    if (from === undefined) throw new CliError('--write-tests needs the state machine in a file, for the test file to load it from', 2);
    const text = scaffoldTests(report, {
      source: scaffoldSource(from, path.dirname(path.resolve(out.testsFile))),
      definition: workflow.definition,
      ...(out.seed !== undefined ? { seed: out.seed } : {}),
      ...(out.type !== undefined ? { type: out.type } : {}),
      generatedBy: out.command,
    });
    const n = report.scenarios.length;
    writeNew(out.testsFile, text, out.force, io, `${n} test${n === 1 ? '' : 's'}, one per scenario`);
  }
  if (out.mockConfigFile !== undefined) {
    const config = scaffoldMockConfig(report, { definition: workflow.definition });
    const n = report.scenarios.length;
    writeNew(out.mockConfigFile, `${JSON.stringify(config, null, 2)}\n`, out.force, io,
      `${n} test case${n === 1 ? '' : 's'} for state machine '${printable(report.machine)}'`);
  }
}
