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

/** A path through the real directories: a folder reached by a symbolic link is where the link points, as node resolves a require. */
function realPath(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    // Not there yet (the file to write): its folder's real path, and its name.
    const dir = path.dirname(abs);
    return dir === abs ? abs : path.join(realPath(dir), path.basename(abs));
  }
}

/** The machine's source, as the test file (in `dir`) loads it: paths relative to the file, between real directories. */
function scaffoldSource(from: MachineOrigin, dir: string): ScaffoldSource {
  const rel = (p: string) => path.relative(realPath(dir), realPath(p)).split(path.sep).join('/');
  switch (from.kind) {
    case 'definition': return { definition: rel(from.file) };
    case 'template': return { template: rel(from.file), stateMachine: from.logicalId };
    case 'cdk-out': return { cdkOut: rel(from.dir), stack: from.stack, stateMachine: from.logicalId };
  }
}

/** One file to write. */
interface Output {
  readonly file: string;
  readonly option: string;
}

/**
 * Checks every output before any is written: each names a file, none is a
 * symbolic link (which would write outside the folder named, even a dangling
 * one), none exists unless forced, and no two are the same file.
 */
function checkOutputs(outputs: readonly Output[], force: boolean): void {
  // A file named on the command line is the user's to name: an empty one or an option taken for it is a mistake.
  const seen = new Map<string, string>();
  for (const { file, option } of outputs) {
    if (file === '' || file.startsWith('--')) throw new CliError(`${option} needs a file name, got '${printable(file)}'`, 2);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(file);
    } catch {
      stat = undefined;
    }
    if (stat?.isSymbolicLink()) {
      throw new CliError(`${printable(file)} (${option}) is a symbolic link; explore does not write through links: name the file itself`, 2);
    }
    if (stat && !stat.isFile()) throw new CliError(`${printable(file)} (${option}) exists and is not a regular file`, 2);
    if (stat && !force) throw new CliError(`${printable(file)} exists (it may hold your edits); pass --force to overwrite it`, 2);
    const real = realPath(file);
    const other = seen.get(real);
    if (other !== undefined) throw new CliError(`${other} and ${option} name the same file, ${printable(file)}: give each its own`, 2);
    seen.set(real, option);
  }
}

function writeChecked(file: string, text: string, io: Streams, what: string): void {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    // O_NOFOLLOW: a link put there since the check is not followed either.
    // eslint-disable-next-line no-bitwise -- open(2) takes its flags as bits
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW, 0o644);
    try {
      fs.writeFileSync(fd, text);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw new CliError(`cannot write ${printable(file)}: ${(e as Error).message}`, 2);
  }
  io.err.write(`wrote ${printable(file)}: ${what}\n`);
}

/**
 * Checks the files `--write-tests` and `--mock-config` name, before explore
 * runs (and again before they are written).
 * @internal
 */
export function checkScaffoldOutputs(out: Pick<ScaffoldOutput, 'testsFile' | 'mockConfigFile' | 'force'>): void {
  const outputs: Output[] = [];
  if (out.testsFile !== undefined) outputs.push({ file: out.testsFile, option: '--write-tests' });
  if (out.mockConfigFile !== undefined) outputs.push({ file: out.mockConfigFile, option: '--mock-config' });
  checkOutputs(outputs, out.force);
}

/**
 * Writes the jest file and the MockConfigFile scaffolded from one explore
 * report, refusing to overwrite a file unless forced. Both are made and
 * checked before either is written, so a refusal leaves nothing half done.
 * @internal
 */
export function writeScaffold(report: ExploreReport, workflow: WorkflowEngine, from: MachineOrigin | undefined, out: ScaffoldOutput,
  io: Streams): void {
  const writes: Array<Output & { text: string; what: string }> = [];
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
    writes.push({ file: out.testsFile, option: '--write-tests', text, what: `${n} test${n === 1 ? '' : 's'}, one per scenario` });
  }
  if (out.mockConfigFile !== undefined) {
    const config = scaffoldMockConfig(report, { definition: workflow.definition });
    const n = report.scenarios.length;
    writes.push({
      file: out.mockConfigFile,
      option: '--mock-config',
      text: `${JSON.stringify(config, null, 2)}\n`,
      what: `${n} test case${n === 1 ? '' : 's'} for state machine '${printable(report.machine)}'`,
    });
  }
  checkOutputs(writes, out.force);
  for (const w of writes) writeChecked(w.file, w.text, io, w.what);
}
