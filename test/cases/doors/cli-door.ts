import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { limiter, type LimiterTimes, mockConfigFile, parameterArgs, TEST_CASE, writeS3Folder, writeTemplate, writtenFiles } from './case-files';
import { bounded, EXPLORED, HANG_MS, MACHINE_NAME, startOf, VIRTUAL_CLOCK_START, type Door } from './door';
import type { RunReport } from '../../../src/workbench/commands/run';
import { runJest } from '../../workbench/scaffold/consumer';
import type { BehaviourCase } from '../case-format';
import { EXECUTION_NAME } from '../normalise';
import { costCounts, observationOfReport, type CostCounts, type DoorOutcome, type Observation, type ObservedScenario } from '../observation';

/** The built command, as `npx stepwright` runs it. */
export const MAIN = path.join(__dirname, '..', '..', '..', 'lib', 'cli', 'main.js');

interface CostReport {
  readonly standard: CostCounts;
}

/** The built CLI's entry function, which lib/cli/main.js calls with the process's argv and streams. */
type CliMain = (args: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream) => Promise<number>;

/**
 * `stepwright run <file> --json --history --cost` (and `stepwright cost`) of the built lib/, three at
 * once. The cases `throughProcess` picks run as users run them, one `node lib/cli/main.js` process
 * each; the others call the same entry, lib/cli/cli.js's `main`, in this process with the same
 * arguments, and are read and asserted on alike. A process per case cost about a second of CPU
 * each in node's start and the CLI's loading, the bulk of the suite's slowest file; what only a
 * process shows (main.js's exit code and closed-pipe handling) is tested in test/cli.
 */
export class CliDoor implements Door {
  readonly name = 'cli' as const;
  private readonly scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-cli-'));
  private readonly limit = limiter(3);
  private count = 0;
  /** How many runs went through a process and how many through the entry function in this one. */
  readonly through = { process: 0, inProcess: 0 };

  /** @param throughProcess whether a case runs through a spawned `stepwright` process. */
  constructor(private readonly throughProcess: (c: BehaviourCase) => boolean = () => true) {}

  cannotRun(c: BehaviourCase): string | undefined {
    if (c.callbacks) return 'stepwright run runs the machine to its end in one command: nothing can send a callback to it while it waits';
    return undefined;
  }

  async run(c: BehaviourCase): Promise<DoorOutcome> {
    const dir = path.join(this.scratch, String(++this.count));
    fs.mkdirSync(dir);
    // The machine's name comes from nowhere in an ASL file: the CLI calls it StateMachine; a template names it.
    const definition = c.template ? writeTemplate(dir, c, 'machine.template.json') : path.join(dir, 'machine.asl.json');
    if (!c.template) fs.writeFileSync(definition, JSON.stringify(c.definition));
    const machine = c.machineName ?? MACHINE_NAME;
    fs.writeFileSync(path.join(dir, 'input.json'), JSON.stringify(c.input));
    // What the run and the cost of it are given alike: the machine, its input, its answers, its S3 folder.
    const given = [definition, '--input', `@${path.join(dir, 'input.json')}`, ...parameterArgs(c.parameters)];
    if (c.mocks) {
      fs.writeFileSync(path.join(dir, 'mocks.json'), JSON.stringify(c.mocks));
      given.push('--mocks', path.join(dir, 'mocks.json'));
    }
    if (c.mockConfig) {
      fs.writeFileSync(path.join(dir, 'MockConfigFile.json'), JSON.stringify(mockConfigFile(c, machine)));
      given.push('--mocks', path.join(dir, 'MockConfigFile.json'), '--test-case', TEST_CASE);
    }
    const s3Dir = c.s3 !== undefined || c.expect.s3 !== undefined ? path.join(dir, 's3') : undefined;
    if (s3Dir) {
      writeS3Folder(s3Dir, c.s3);
      given.push('--s3-dir', s3Dir);
    }
    if (c.startTime !== undefined) given.push('--start-time', c.startTime);
    if (c.type) given.push('--type', c.type);
    if (c.stateMachine !== undefined) given.push('--state-machine', c.stateMachine);
    if (c.mockValidation) given.push('--mock-validation', c.mockValidation);
    if (c.unmocked) given.push('--unmocked', c.unmocked);
    if (c.explore) return this.explore(c, dir, given);
    // The limits bound the run only: `stepwright cost` prices runs as AWS bills them, which has none of its own.
    const limits = Object.entries(c.limits ?? {}).flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (l) => `-${l.toLowerCase()}`)}`, String(v)]);
    if (c.openExecutionLimit !== undefined) limits.push('--open-executions', String(c.openExecutionLimit));
    const args = [MAIN, 'run', ...given, ...limits, '--name', EXECUTION_NAME, '--json', '--history', '--cost'];
    const { code, stdout, stderr } = await this.limit(() => this.command(c, args, HANG_MS, `${c.id} through stepwright run`));
    const written = s3Dir ? writtenFiles(s3Dir, c.s3) : undefined;
    // The S3 folder as the case gave it again: the run may have written to it.
    if (s3Dir && c.expect.cost) {
      fs.rmSync(s3Dir, { recursive: true });
      writeS3Folder(s3Dir, c.s3);
    }
    const costCommand = c.expect.cost ? await this.costCommand([MAIN, 'cost', ...given, '--per-month', '1', '--include-failed', '--json'], c) : undefined;
    if (code !== 0 && code !== 1) return { kind: 'refused', message: `exit ${code}: ${stderr.trim()}` };
    let report: RunReport & { cost?: CostReport };
    try {
      report = JSON.parse(stdout) as RunReport & { cost?: CostReport };
    } catch {
      return { kind: 'refused', message: `exit ${code} without a JSON report: ${stderr.trim() || stdout.trim()}` };
    }
    // `stepwright run --help`: exit 0 for SUCCEEDED, 1 for FAILED, TIMED_OUT or ABORTED; a script reads the code, not the report.
    if (code !== (report.status === 'SUCCEEDED' ? 0 : 1)) {
      return { kind: 'refused', message: `exit ${code} for a run that ended ${report.status}: stepwright run exits 0 for SUCCEEDED alone, 1 otherwise` };
    }
    const cost = report.cost?.standard;
    return {
      kind: 'ran',
      observation: {
        ...observationOfReport(report),
        ...(cost ? { cost: costCounts(cost) } : {}),
        ...(costCommand ? { costCommand } : {}),
        ...(written ? { s3: written } : {}),
      },
      names: { machine, execution: EXECUTION_NAME, start: startOf(c) },
    };
  }

  /**
   * `stepwright explore <file> --json --write-tests <file> --mock-config <file>`, then the test
   * file it wrote run by jest as a user's project runs it (against lib/, nothing changed in it).
   */
  private async explore(c: BehaviourCase, dir: string, given: readonly string[]): Promise<DoorOutcome> {
    const machine = c.machineName ?? MACHINE_NAME;
    const budget = c.explore?.budgetSeconds === undefined ? [] : ['--budget-seconds', String(c.explore.budgetSeconds)];
    const tests = path.join(dir, 'machine.explore.test.ts');
    const args = [MAIN, 'explore', ...given, ...budget, '--json', '--write-tests', tests, '--mock-config', path.join(dir, 'MockConfigFile.json')];
    const { code, stdout, stderr } = await this.limit(() => command(args, HANG_MS, `${c.id} through stepwright explore`));
    if (code !== 0) return { kind: 'refused', message: `exit ${code}: ${stderr.trim()}` };
    const scenarios = (JSON.parse(stdout) as { scenarios: ObservedScenario[] }).scenarios;
    const [written] = await this.limit(() => runJest(dir));
    return {
      kind: 'ran',
      observation: {
        status: EXPLORED, scenarios, writtenTests: { passed: written.passed, failed: written.failed, message: written.message.slice(0, 2000) },
      },
      names: { machine, execution: EXECUTION_NAME, start: VIRTUAL_CLOCK_START },
    };
  }

  /** `stepwright cost <file> --per-month 1` on the same input and answers: what it estimates a run at. */
  private async costCommand(args: readonly string[], c: BehaviourCase): Promise<Observation['costCommand']> {
    const { code, stdout, stderr } = await this.limit(() => this.command(c, args, HANG_MS, `${c.id} through stepwright cost`));
    if (code !== 0) return { refused: `exit ${code}: ${stderr.trim()}` };
    const estimate = JSON.parse(stdout) as { standard: { stateTransitionsPerExecution: number } };
    return { stateTransitionsPerExecution: estimate.standard.stateTransitionsPerExecution };
  }

  /** `args` (MAIN and the command's own) through a process, or through the CLI's entry function here, as `throughProcess` says for the case. */
  private command(c: BehaviourCase, args: readonly string[], ms: number, what: string): Promise<CommandResult> {
    if (this.throughProcess(c)) {
      this.through.process++;
      return command(args, ms, what);
    }
    this.through.inProcess++;
    return bounded(inProcess(args.slice(1)), ms, what);
  }

  times(): LimiterTimes {
    return this.limit.times();
  }

  async close(): Promise<void> {
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}

interface CommandResult { code: number | null; stdout: string; stderr: string }

let cliMain: CliMain | undefined;

/** The built CLI's `main` (lib/cli/cli.js, what lib/cli/main.js calls) with `args`, its output written to strings. */
async function inProcess(args: readonly string[]): Promise<CommandResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cliMain ??= (require(path.join(path.dirname(MAIN), 'cli.js')) as { main: CliMain }).main;
  const collect = (): { stream: Writable; text: () => string } => {
    const chunks: Buffer[] = [];
    const stream = new Writable({ write(chunk: Buffer | string, _encoding, done) { chunks.push(Buffer.from(chunk)); done(); } });
    return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
  };
  const out = collect();
  const err = collect();
  const code = await cliMain(args, out.stream, err.stream);
  return { code, stdout: out.text(), stderr: err.text() };
}

/** Runs node with `args`; a process still running after `ms` (a hang, never a measure) is killed and the call rejects. */
function command(args: readonly string[], ms: number, what: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${what} did not end within ${ms / 1000} s`)); }, ms);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += String(d); });
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

const ROOT = path.join(__dirname, '..', '..', '..');

/** Why lib/ cannot stand for the sources (the CLI, serve and MCP run it), or undefined. */
export function staleBuild(): string | undefined {
  if (!fs.existsSync(MAIN)) return 'lib/ is not built: run `npx projen compile` (the CLI, serve and MCP doors run lib/cli/main.js)';
  const built = fs.statSync(MAIN).mtimeMs;
  const newer = sourcesUnder(path.join(ROOT, 'src')).find((f) => fs.statSync(f).mtimeMs > built);
  return newer ? `lib/ is older than ${path.relative(ROOT, newer)}: run \`npx projen compile\` (the CLI, serve and MCP doors run lib/cli/main.js)` : undefined;
}

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourcesUnder(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}
