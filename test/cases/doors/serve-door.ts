import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeMapRunCommand, GetExecutionHistoryCommand, ListExecutionsCommand, ListMapRunsCommand,
  SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, StartSyncExecutionCommand,
  type HistoryEvent, type StartSyncExecutionCommandInput,
} from '@aws-sdk/client-sfn';
import { limiter, type LimiterTimes, mergeMockConfigs, mockConfigFile, parameterArgs, TEST_CASE, writeS3Folder, writeTemplate, writtenFiles } from './case-files';
import { MAIN } from './cli-door';
import { bounded, HANG_MS, MACHINE_NAME, ROLE_ARN, type Door } from './door';
import { eventName } from './jest-door';
import type { JsonValue } from '../../../src/asl/definition-types';
import type { HistoryEvent as RecordedEvent } from '../../../src/interpreter/history-recorder';
import { successOf, type BehaviourCase, type CallbackStep } from '../case-format';
import { EXECUTION_NAME } from '../normalise';
import { outputMapRunsOf, secondsOf, type DoorOutcome, type Observation, type ObservedMapRun } from '../observation';

/**
 * serve runs Waits, retry back-offs and timeouts this many times faster than the wall clock
 * (`--time-scale`), and writes them into the history at full length.
 */
const TIME_SCALE = 10_000;

/** A bound against a hang, never a measure. */
const CASE_BOUND_MS = HANG_MS;

/** The item counts a run reports of a Map Run; DescribeMapRun adds its redrive counts, which no other door has. */
const ITEM_COUNTS = ['pending', 'running', 'succeeded', 'failed', 'timedOut', 'aborted', 'total', 'resultsWritten'] as const;

/**
 * One `stepwright serve` for every case, driven through @aws-sdk/client-sfn as an application
 * drives Step Functions: CreateStateMachine, StartExecution (on `<arn>#Case` for a MockConfigFile
 * test case), SendTaskSuccess/Failure for callbacks, DescribeExecution until the run ends,
 * GetExecutionHistory, ListMapRuns, DescribeMapRun and ListExecutions of each Map Run. serve reads
 * one MockConfigFile and one S3 folder: every case's test case is in the file from the start, and
 * the folder holds one case's objects at a time (cases run one after another).
 */
export class ServeDoor implements Door {
  readonly name = 'serve' as const;
  private readonly scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-serve-'));
  private readonly s3Dir = path.join(this.scratch, 's3');
  private readonly machines = new Map<string, string>();
  private readonly one = limiter(1);
  /** The callbacks sent so far, by execution and state. */
  private readonly answered = new Map<string, number>();
  private process: ChildProcess | undefined;
  private sfn: SFNClient | undefined;
  private stderr = '';
  private readonly stderrListeners = new Set<() => void>();

  /** Starts the server with the MockConfigFile of every case. */
  async start(cases: readonly BehaviourCase[]): Promise<void> {
    // As long as the other doors' `StateMachine`, so that what counts the name's bytes (a ResultWriter manifest's file sizes) agrees.
    cases.forEach((c, i) => this.machines.set(c.id, c.machineName ?? `case-${String(i + 1).padStart(MACHINE_NAME.length - 5, '0')}`));
    if (new Set(this.machines.values()).size !== cases.length) throw new Error('two cases name the same state machine: serve holds them side by side');
    // A template case's machine is deployed at start, as `--load` deploys a synthesized app: its Lambda functions' inline code answers its Tasks.
    // Each in a folder of its own, with its samconfig.toml beside it; serve's --parameter values go to every
    // template that declares the name, so two cases may not give one name two values.
    const loads = cases.filter((c) => c.template).flatMap((c) => ['--load', writeTemplate(path.join(this.scratch, this.machines.get(c.id)!), c)]);
    const parameters = new Map<string, string>();
    for (const c of cases) {
      for (const [name, value] of Object.entries(c.parameters ?? {})) {
        if (parameters.has(name) && parameters.get(name) !== value) throw new Error(`two cases give template parameter ${name} other values: serve's --parameter is one for every --load`);
        parameters.set(name, value);
      }
    }
    // serve's --open-executions is one for the whole server, as its --parameter is.
    const bounds = new Set(cases.flatMap((c) => c.openExecutionLimit !== undefined ? [c.openExecutionLimit] : []));
    if (bounds.size > 1) throw new Error(`cases give openExecutionLimit ${[...bounds].join(' and ')}: serve's --open-executions is one for the whole server`);
    const openExecutions = [...bounds].flatMap((n) => ['--open-executions', String(n)]);
    const config = mergeMockConfigs(cases.filter((c) => c.mockConfig).map((c) => mockConfigFile(c, this.machines.get(c.id)!, `${this.machines.get(c.id)}-`)));
    const configFile = path.join(this.scratch, 'MockConfigFile.json');
    fs.writeFileSync(configFile, JSON.stringify(config));
    fs.mkdirSync(this.s3Dir);
    const proc = spawn(process.execPath, [
      MAIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--no-console', '--cost',
      '--mock-config', configFile, '--s3-dir', this.s3Dir, '--time-scale', String(TIME_SCALE), ...openExecutions, ...loads, ...parameterArgs(Object.fromEntries(parameters)),
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = proc;
    proc.stderr!.on('data', (d: Buffer) => {
      this.stderr += String(d);
      for (const l of this.stderrListeners) l();
    });
    const endpoint = await bounded(new Promise<string>((resolve, reject) => {
      proc.stdout!.once('data', (d: Buffer) => resolve(String(d).trim().split('\n')[0]));
      proc.once('exit', (code) => reject(new Error(`stepwright serve exited with ${code}: ${this.stderr}`)));
    }), 30_000, 'stepwright serve starting');
    this.sfn = new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true });
  }

  cannotRun(c: BehaviourCase): string | undefined {
    if (c.explore) return 'serve answers the Step Functions API, which has nothing that explores a machine';
    if (c.startTime !== undefined) return 'an execution starts when StartExecution is called, on the wall clock, as on AWS, whose API takes no start time';
    if (c.mocks) return 'serve answers Tasks from a MockConfigFile (--mock-config) or a --handlers module; a mocks table is `stepwright run --mocks`, MCP and jest only';
    if (c.unmocked) return 'serve has no --unmocked: a Task nothing answers fails, naming the flag that would answer it';
    if (c.callbacks && /"(Timeout|Heartbeat)Seconds(Path)?"/.test(JSON.stringify(c.definition))) {
      return `serve's clock is the wall clock ${TIME_SCALE} times faster: a timeout or heartbeat would race the callback this test sends`;
    }
    if (c.limits) {
      return 'serve runs executions under the limits AWS sets (25,000 history events, 256 KiB of payload, no count of transitions), as the SDKs expect: it has no limits of a run to set';
    }
    if (c.mockValidation !== undefined && c.mockValidation !== 'PRESENT') {
      return "serve's --mock-validation is one setting for the whole server (not given here: PRESENT, a MockConfigFile's default), not one per execution";
    }
    return undefined;
  }

  run(c: BehaviourCase): Promise<DoorOutcome> {
    return this.one(() => bounded(this.runOne(c), CASE_BOUND_MS, `${c.id} through serve`));
  }

  private async runOne(c: BehaviourCase): Promise<DoorOutcome> {
    const sfn = this.sfn!;
    const name = this.machines.get(c.id)!;
    fs.rmSync(this.s3Dir, { recursive: true, force: true });
    writeS3Folder(this.s3Dir, c.s3);
    let executionArn: string;
    try {
      const { stateMachineArn } = c.template
        ? { stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}` }
        : await sfn.send(new CreateStateMachineCommand({
          name, definition: JSON.stringify(c.definition), roleArn: ROLE_ARN, ...(c.type ? { type: c.type } : {}),
        }));
      const start = { stateMachineArn: c.mockConfig ? `${stateMachineArn!}#${TEST_CASE}` : stateMachineArn, name: EXECUTION_NAME, input: JSON.stringify(c.input) };
      // An EXPRESS execution has no DescribeExecution or history on AWS: its caller takes the result from StartSyncExecution.
      if (c.type === 'EXPRESS') return await this.express(c, start, name);
      ({ executionArn } = await sfn.send(new StartExecutionCommand(start)) as { executionArn: string });
    } catch (e) {
      return { kind: 'refused', message: `${(e as Error).name}: ${(e as Error).message}` };
    }
    for (const step of c.callbacks ?? []) await this.callback(executionArn, step);
    const described = await until(async () => {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return d.status === 'RUNNING' || d.status === 'PENDING_REDRIVE' ? undefined : d;
    });
    const history = await this.history(executionArn);
    const mapRuns = await this.mapRuns(executionArn);
    const output = described.output === undefined ? undefined : JSON.parse(described.output) as JsonValue;
    const cost = await this.costLine(executionArn);
    const observation: Observation = {
      status: described.status!,
      ...(described.status === 'SUCCEEDED' ? { output: output ?? null } : {}),
      ...(described.error !== undefined ? { error: described.error } : {}),
      ...(described.cause !== undefined ? { cause: described.cause } : {}),
      path: pathOf(history, mapRuns.children),
      ...(history.length > 0 ? { seconds: secondsOf(history[0].timestamp as string, history[history.length - 1].timestamp as string) } : {}),
      events: history.map((e) => eventName(e as unknown as RecordedEvent)),
      history: history as unknown as JsonValue[],
      mapRuns: mapRuns.runs,
      outputMapRuns: outputMapRunsOf(output, mapRuns.runs.map((r) => r.mapRunArn)),
      ...(cost ? { cost } : {}),
      ...(c.s3 !== undefined || c.expect.s3 !== undefined ? { s3: writtenFiles(this.s3Dir, c.s3) } : {}),
      ...(c.expect.advice !== undefined
        ? { advice: await this.adviceLines(executionArn, c.expect.advice.length) }
        : { notReported: { advice: 'read from the log only for a case that expects advice' } }),
    };
    return { kind: 'ran', observation, names: { machine: name, execution: EXECUTION_NAME, start: described.startDate!.getTime() } };
  }

  /** StartSyncExecution's answer: status, output, error and cause, and the cost line. */
  private async express(c: BehaviourCase, start: StartSyncExecutionCommandInput, name: string): Promise<DoorOutcome> {
    const r = await this.sfn!.send(new StartSyncExecutionCommand(start));
    const why = 'an EXPRESS execution has no history, Map Runs or S3 folder to read back through the API; StartSyncExecution answers its outcome';
    const observation: Observation = {
      status: r.status!,
      ...(r.status === 'SUCCEEDED' ? { output: JSON.parse(r.output ?? 'null') as JsonValue } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
      ...(r.startDate && r.stopDate ? { seconds: secondsOf(r.startDate, r.stopDate) } : {}),
      ...(c.expect.cost ? { cost: await this.costLine(r.executionArn!) } : {}),
      notReported: { path: why, events: why, history: why, mapRuns: why, outputMapRuns: why, ...(c.expect.cost ? {} : { cost: 'asked only of a case that expects a cost' }), s3: why },
    };
    return { kind: 'ran', observation, names: { machine: name, execution: EXECUTION_NAME, start: r.startDate!.getTime() } };
  }

  /**
   * Waits until the run has scheduled one more call of the state than it has been answered for,
   * reads its token from what the Task sent, and answers it.
   */
  private async callback(executionArn: string, step: CallbackStep): Promise<void> {
    const key = `${executionArn}\0${step.state}`;
    const seen = this.answered.get(key) ?? 0;
    const token = await until(async () => (await this.tokens(executionArn, step.state))[seen]);
    const success = successOf(step);
    const send = (): Promise<unknown> => success !== undefined
      ? this.sfn!.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(success) }))
      : this.sfn!.send(new SendTaskFailureCommand({ taskToken: token, error: step.error, cause: step.cause }));
    if (step.refused === undefined) {
      await send();
      this.answered.set(key, seen + 1);
      return;
    }
    // A refused call leaves the task waiting: the next step answers the same token.
    const what = `the callback to ${step.state} through serve`;
    const refusal = await send().then(() => undefined, (e: Error) => e);
    if (refusal === undefined) throw new Error(`${what} was accepted; AWS refuses it with ${step.refused}`);
    if (refusal.name !== step.refused) throw new Error(`${what} was refused with ${refusal.name} (${refusal.message}), not ${step.refused}`);
  }

  /**
   * The task tokens the execution's Task `state` was sent, then those its Map Runs' child
   * executions were sent, child by child in start order: on AWS a child records its Tasks in a
   * history of its own, where a worker's token comes from.
   */
  private async tokens(executionArn: string, state: string): Promise<string[]> {
    const out = tokensOf(await this.history(executionArn), state);
    for (const { mapRunArn } of (await this.sfn!.send(new ListMapRunsCommand({ executionArn }))).mapRuns ?? []) {
      const executions = (await this.sfn!.send(new ListExecutionsCommand({ mapRunArn }))).executions ?? [];
      for (const e of [...executions].reverse().sort((a, b) => (a.startDate?.getTime() ?? 0) - (b.startDate?.getTime() ?? 0))) {
        out.push(...await this.tokens(e.executionArn!, state));
      }
    }
    return out;
  }

  /** The whole history, its dates as ISO text as jest's history has them. */
  private async history(executionArn: string): Promise<Array<Record<string, unknown>>> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn!.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events.map((e) => JSON.parse(JSON.stringify(e)) as Record<string, unknown>);
  }

  /**
   * The execution's Map Runs (DescribeMapRun of each, in start order), with those its child
   * executions started (on AWS a Map Run inside a child is the child's: ListMapRuns of the child
   * lists it), and the states each one's children entered.
   */
  private async mapRuns(executionArn: string, runs: DatedMapRun[] = []): Promise<{ runs: ObservedMapRun[]; children: Map<string, string[]> }> {
    const listed = (await this.sfn!.send(new ListMapRunsCommand({ executionArn }))).mapRuns ?? [];
    const children = new Map<string, string[]>();
    for (const { mapRunArn } of listed) {
      const d = await this.sfn!.send(new DescribeMapRunCommand({ mapRunArn }));
      runs.push({
        mapRunArn: d.mapRunArn!,
        itemCounts: Object.fromEntries(ITEM_COUNTS.map((k) => [k, d.itemCounts?.[k] ?? 0])) as unknown as ObservedMapRun['itemCounts'],
        toleratedFailurePercentage: d.toleratedFailurePercentage ?? 0,
        toleratedFailureCount: d.toleratedFailureCount ?? 0,
        maxConcurrency: d.maxConcurrency ?? 0,
        startDate: d.startDate?.getTime() ?? 0,
      });
      children.set(d.mapRunArn!, await this.childPath(d.mapRunArn!, runs));
    }
    runs.sort((a, b) => a.startDate - b.startDate);
    return { runs: runs.map(({ startDate: _, ...r }) => r), children };
  }

  /**
   * The states the Map Run's child executions entered, child by child in start order (ListExecutions
   * lists the newest first: children started at the same time keep that order, reversed); none when
   * serve cannot list them. The Map Runs the children start go into `runs`.
   */
  private async childPath(mapRunArn: string, runs: DatedMapRun[]): Promise<string[]> {
    let executions;
    try {
      executions = (await this.sfn!.send(new ListExecutionsCommand({ mapRunArn }))).executions ?? [];
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const e of [...executions].reverse().sort((a, b) => (a.startDate?.getTime() ?? 0) - (b.startDate?.getTime() ?? 0))) {
      const nested = await this.mapRuns(e.executionArn!, runs);
      out.push(...pathOf(await this.history(e.executionArn!), nested.children));
    }
    return out;
  }

  /**
   * The advice serve logged for the execution (`advice: execution <arn>: <message>`, a message's
   * further lines indented by two blanks), once at least `expected` messages are there: the log
   * is the child's stderr, which may come after the execution's end is answered.
   */
  private async adviceLines(executionArn: string, expected: number): Promise<string[]> {
    const prefix = `advice: execution ${executionArn}: `;
    const read = (): string[] => {
      const out: string[] = [];
      let mine = false;
      for (const line of this.stderr.split('\n')) {
        if (line.startsWith(prefix)) out.push(line.slice(prefix.length));
        else if (mine && line.startsWith('  ')) out[out.length - 1] += `\n${line.slice(2)}`;
        mine = line.startsWith(prefix) || (mine && line.startsWith('  '));
      }
      return out;
    };
    return until(async () => { const found = read(); return found.length >= expected ? found : undefined; });
  }

  /** The counts of the `--cost` line serve logs when the execution ends. */
  private async costLine(executionArn: string): Promise<Observation['cost']> {
    const find = (): Observation['cost'] | undefined => {
      const line = this.stderr.split('\n').find((l) => l.startsWith(`cost ${executionArn} `));
      if (!line) return undefined;
      const m = /STANDARD (\d+) state transitions \((\d+) entered, (\d+) retries(?:, \d+ redrive)?(?:, (\d+) child executions)?\)/.exec(line);
      if (!m) throw new Error(`serve's cost line is not in the form this test reads: ${line}`);
      return { stateTransitions: Number(m[1]), statesEntered: Number(m[2]), retries: Number(m[3]), childExecutionsStarted: Number(m[4] ?? 0) };
    };
    return find() ?? new Promise((resolve, reject) => {
      const listener = (): void => {
        try {
          const found = find();
          if (found) { this.stderrListeners.delete(listener); resolve(found); }
        } catch (e) {
          this.stderrListeners.delete(listener);
          reject(e);
        }
      };
      this.stderrListeners.add(listener);
    });
  }

  times(): LimiterTimes {
    return this.one.times();
  }

  async close(): Promise<void> {
    this.sfn?.destroy();
    const proc = this.process;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      });
    }
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** A Map Run as DescribeMapRun describes it, with when it started (to list them in start order). */
type DatedMapRun = ObservedMapRun & { readonly startDate: number };

/** Asks `probe` again, 10 ms after each undefined, until it answers; gives up after CASE_BOUND_MS (a hang, never a measure). */
async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const giveUp = Date.now() + CASE_BOUND_MS;
  while (Date.now() < giveUp) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`serve did not get there within ${CASE_BOUND_MS / 1000} s`);
}

/** The states a history entered, in order, with each Map Run's children after the event that started it. */
function pathOf(history: ReadonlyArray<Record<string, unknown>>, children: ReadonlyMap<string, string[]>): string[] {
  const out: string[] = [];
  for (const e of history) {
    const type = e.type as string;
    if (type.endsWith('StateEntered')) out.push((e.stateEnteredEventDetails as { name: string }).name);
    if (type === 'MapRunStarted') out.push(...children.get((e.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn) ?? []);
  }
  return out;
}

/** The task tokens a state's scheduled calls were sent, in order: read from what each call sent (its parameters), as a worker reads them from its message. */
function tokensOf(history: ReadonlyArray<Record<string, unknown>>, state: string): string[] {
  const byId = new Map(history.map((e) => [e.id as number, e]));
  const stateOfCall = (e: Record<string, unknown>): string | undefined => {
    for (let at: Record<string, unknown> | undefined = e; at; at = byId.get(at.previousEventId as number)) {
      if ((at.type as string).endsWith('StateEntered')) return (at.stateEnteredEventDetails as { name: string }).name;
    }
    return undefined;
  };
  const tokens: string[] = [];
  for (const e of history) {
    if (e.type !== 'TaskScheduled' || stateOfCall(e) !== state) continue;
    const found = tokenIn(JSON.parse((e.taskScheduledEventDetails as { parameters: string }).parameters) as JsonValue);
    if (found) tokens.push(found);
  }
  return tokens;
}

function tokenIn(v: JsonValue, key = ''): string | undefined {
  if (typeof v === 'string') return /token/i.test(key) ? v : undefined;
  if (Array.isArray(v)) return v.map((x) => tokenIn(x, key)).find((x) => x !== undefined);
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => tokenIn(x, k)).find((x) => x !== undefined);
  return undefined;
}
