/*
 * What each MCP tool does, run in a worker thread (see pool.ts): the same
 * calls the command line makes, from workbench/commands, asl/validate,
 * render/, iam/ and the server's TestState operation. Nothing here decides
 * anything those do not: a tool's answer is the command's answer, shaped
 * for an agent.
 */
import * as fs from 'node:fs';
import { exploreBudgetSeconds } from './search-tools';
import { ToolInputError } from './tool-input-error';
import { TOOLS, type ToolArgs, type ToolName } from './tools';
import type { JsonObject, JsonValue } from '../asl';
import { AwsDefaults, type MachineType } from '../asl/aws-defaults';
import { nameProblem } from '../asl/names';
import { checkDefinition, InvalidDefinitionError } from '../asl/validate';
import { InvalidExecutionInputError } from '../interpreter/state-machine';
import { renderMermaid, RenderError, type ExecutionData } from '../render';
import { ApiError, testStateRequest } from '../server/test-state';
import { INPUT_LIMIT, loadMachines, loadOneMachine, readJsonFile, type LoadedMachine, type MachineSource, type SelectorNames } from '../workbench/commands';
import { summarizeExplore } from '../workbench/commands/explore-summary';
import { commandMocksFromJson, loadMocks, type CommandMocks } from '../workbench/commands/mocks';
import { clockStartingAt, runMachine, runReport, START_TIME_RULE } from '../workbench/commands/run';
import { runSteps } from '../workbench/commands/steps';
import { permissionsOf, validateSource } from '../workbench/commands/validate';
import { propertyFromJson, PropertyError, verifyJson } from '../workbench/commands/verify';
import { CommandInputError } from '../workbench/common/command-errors';
import { confinedPath, JsonFileReadError } from '../workbench/common/json-file';
import { parametersOfJson } from '../workbench/common/parameter-overrides';
import { printableLines } from '../workbench/common/printable';
import { checkOptionsOf, InvalidMockError, MockConfigError, MockKeyError } from '../workbench/mocks';
import type { RunAdvice } from '../workbench/mocks';
import { MockJsonError } from '../workbench/mocks/json';
import { checkParity, loadCases, parityTable, ParityError, readRunsFile, runsOfRecordings, type ParityOptions, type ParityReport, type ParityRun } from '../workbench/parity';
import { failedLocalRuns, failedRunsText, localRuns, type FailedLocalRun } from '../workbench/parity/local-runs';
import { DEFAULT_CALL_TIMEOUT_MS } from '../workbench/parity/request';

/** A tool's answer: structured content, and the text shown to a model that reads no structure. */
export interface ToolAnswer {
  readonly structured: Record<string, unknown>;
  /** @default - the structured content as JSON */
  readonly text?: string;
}

/** How the tools name the selectors in messages: as their fields. */
const NAMES: SelectorNames = { stack: 'stack', stateMachine: 'stateMachine', parameter: "parameters: { '<name>': <value> }" };

/** The arguments of the tools that read a state machine from `definition` or `file`. */
type SourceArgs = ToolArgs<'validate' | 'run' | 'render' | 'check_iam' | 'list_state_machines' | 'explore' | 'verify'>;
/** The arguments of the tools that choose the state machines of a template: by `stack`, and (but list_state_machines) `stateMachine`. */
interface SelectionArgs {
  readonly stack?: string | undefined;
  readonly stateMachine?: string | undefined;
  readonly parameters?: Record<string, string> | Array<{ ParameterKey: string; ParameterValue: string }> | undefined;
  readonly configFile?: string | undefined;
  readonly configEnv?: string | undefined;
}

/** The `definition` or `file` of a tool's arguments (the main thread checked there is exactly one). */
function sourceOf(args: SourceArgs): MachineSource {
  if (args.file !== undefined) return args.file;
  return { label: 'definition', value: args.definition };
}

function selection(args: SelectionArgs): { stack?: string; stateMachine?: string } & ParameterOptions {
  const { stack, stateMachine } = args;
  return {
    ...(stack !== undefined ? { stack } : {}),
    ...(stateMachine !== undefined ? { stateMachine } : {}),
    ...withParameters(args),
  };
}

interface ParameterOptions {
  parameters?: Record<string, string>;
  samConfig?: { configFile?: string; configEnv?: string };
  onNote: (message: string) => void;
  names: SelectorNames;
}

/** The templates' parameter values a tool was given, its SAM configuration file and environment, and how its messages name them. */
function withParameters(args: SelectionArgs): ParameterOptions {
  const { configFile, configEnv } = args;
  // A CloudFormation parameters file's list, as create-stack reads it, gives the same values by name.
  const parameters = Array.isArray(args.parameters) ? Object.fromEntries(parametersOfJson(args.parameters, 'parameters')) : args.parameters;
  const samConfig = { ...(configFile !== undefined ? { configFile } : {}), ...(configEnv !== undefined ? { configEnv } : {}) };
  return {
    ...(parameters !== undefined ? { parameters } : {}),
    ...(configFile !== undefined || configEnv !== undefined ? { samConfig } : {}),
    // Which samconfig.toml gave values goes to the server's log (stderr), as its other notes do.
    onNote: (message) => { process.stderr.write(`stepwright mcp: note: ${printableLines(message)}\n`); },
    names: NAMES,
  };
}

function typeOf(args: ToolArgs<'validate' | 'run' | 'explore' | 'verify'>): { type?: MachineType } {
  return args.type !== undefined ? { type: args.type } : {};
}

function validate(args: ToolArgs<'validate'>): ToolAnswer {
  const options = { ...typeOf(args), warnings: args.warnings !== false, iam: args.iam === true, ...withParameters(args) };
  const reports = validateSource(sourceOf(args), options);
  if (reports.length === 0) throw new ToolInputError(args.file !== undefined ? 'file' : 'definition', 'it holds no state machine (no AWS::StepFunctions::StateMachine resource)');
  return { structured: { valid: reports.every((r) => r.valid), reports } };
}

function mocksOf(args: ToolArgs<'run'>): { mocks: CommandMocks; label?: string } {
  const { testCase, mockStateMachine } = args;
  const options = { ...(testCase !== undefined ? { testCase } : {}), ...(mockStateMachine !== undefined ? { stateMachine: mockStateMachine } : {}), testCaseName: 'testCase' };
  if (args.mocks !== undefined) return { mocks: commandMocksFromJson(args.mocks, 'mocks', options), label: 'mocks' };
  const file = args.mocksFile;
  if (file !== undefined) return { mocks: loadMocks(file, options), label: `mocksFile ${file}` };
  if (testCase !== undefined) throw new ToolInputError('testCase', 'it picks a test case of an AWS MockConfigFile; give the file with mocksFile (or its content with mocks)');
  return { mocks: {} };
}

/**
 * The real path of the S3 folder a call names (its `s3Dir`), checked before the run touches it:
 * inside the server's folder (through links too; the main thread checked the path itself), and
 * an existing folder, as `--s3-dir` must be. The messages name the folder as the agent gave it.
 * Inside the folder, the store follows no link (see FolderObjectStore).
 */
function s3FolderOf(given: string | undefined): { s3Dir?: string } {
  if (given === undefined) return {};
  let real: string;
  try {
    real = confinedPath(given);
  } catch (e) {
    if (!(e instanceof JsonFileReadError)) throw e;
    if (e.kind === 'missing') throw new ToolInputError('s3Dir', `'${given}' does not exist; create the folder, with a folder per bucket inside`);
    if (e.kind === 'outside') throw new ToolInputError('s3Dir', `'${given}' is refused: ${e.reason}`);
    // The system's own words would name the folder by its real path: only the agent's path is named.
    throw new ToolInputError('s3Dir', `'${given}' cannot be opened as a folder${e.reason === 'permission denied' ? ': permission denied' : ''}`);
  }
  if (!fs.statSync(real).isDirectory()) throw new ToolInputError('s3Dir', `'${given}' is not a folder; give a folder with a folder per bucket inside`);
  return { s3Dir: real };
}

/**
 * The execution input a tool was given: `{}` when the field is left out (StartExecution's default),
 * else the value itself, `null` too, as `stepwright run --input null`, the harness and serve's
 * StartExecution take it.
 */
function executionInput(given: unknown): JsonValue {
  return given === undefined ? {} : given as JsonValue;
}

async function run(args: ToolArgs<'run'>): Promise<ToolAnswer> {
  const { name, unmocked } = args;
  const badName = name === undefined ? undefined : nameProblem(name);
  if (badName) throw new ToolInputError('name', `${badName}; or leave it out for a generated one`);
  const input = executionInput(args.input);
  // StartExecution refuses a larger input, as `stepwright run --input` does.
  const bytes = Buffer.byteLength(JSON.stringify(input));
  if (bytes > INPUT_LIMIT.bytes) throw new ToolInputError('input', `${bytes.toLocaleString('en-US')} bytes as JSON, too large: ${INPUT_LIMIT.why}`);
  const clock = args.startTime === undefined ? undefined : clockStartingAt(args.startTime);
  if (args.startTime !== undefined && clock === undefined) throw new ToolInputError('startTime', `must be ${START_TIME_RULE}, got ${JSON.stringify(args.startTime)}`);
  const machine = loadOneMachine(sourceOf(args), selection(args));
  const { mocks, label } = mocksOf(args);
  const s3 = s3FolderOf(args.s3Dir);
  const result = await runMachine(machine, input, {
    mocks,
    ...checkOptionsOf(args),
    door: 'mcp',
    ...(label !== undefined ? { mocksLabel: label } : {}),
    ...(unmocked !== undefined ? { unmocked } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(clock !== undefined ? { clock } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...typeOf(args),
    ...(args.limits !== undefined ? { limits: args.limits } : {}),
    ...(args.openExecutionLimit !== undefined ? { openExecutionLimit: args.openExecutionLimit } : {}),
    ...s3,
  });
  return { structured: { source: machine.label, ...runReport(result, args.history === true), ...runSteps(machine.definition, result) } };
}

/** A TestState member AWS takes as JSON text: a string as it is, any other value (checked to be JSON) as its JSON. */
function jsonText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

async function testState(args: ToolArgs<'test_state'>): Promise<ToolAnswer> {
  const { definition, input, variables, context, mock, ...members } = args;
  // The request as AWS's TestState takes it in JSON: the members AWS takes as JSON text made text.
  const request: JsonObject = {
    ...members,
    definition: jsonText(definition),
    ...(input !== undefined ? { input: jsonText(input) } : {}),
    ...(variables !== undefined ? { variables: jsonText(variables) } : {}),
    ...(context !== undefined ? { context: jsonText(context) } : {}),
    ...(mock !== undefined ? { mock: mockMember(mock) } : {}),
  };
  try {
    const advice: RunAdvice[] = [];
    const answer = await testStateRequest(request, (a) => advice.push(a));
    return { structured: { ...answer, ...(advice.length > 0 ? { advice } : {}) } };
  } catch (e) {
    // AWS's refusals, in its words: the message names the member and what it must be.
    if (e instanceof ApiError) throw new ToolInputError(undefined, `${e.type}: ${e.message}`);
    throw e;
  }
}

/** TestState's mock member: its result as JSON text. */
function mockMember(mock: NonNullable<ToolArgs<'test_state'>['mock']>): JsonObject {
  const { result, ...members } = mock;
  return { ...members, ...(result !== undefined ? { result: jsonText(result) } : {}) };
}

function render(args: ToolArgs<'render'>): ToolAnswer {
  const machine = loadOneMachine(sourceOf(args), selection(args));
  const { runFile, title, direction } = args;
  // What render reads of a run is checked by render itself, which names what it lacks (RenderError).
  const drawn = args.run !== undefined ? args.run as ExecutionData : runFile !== undefined ? readJsonFile(runFile, 'run file') as ExecutionData : undefined;
  let mermaid: string;
  try {
    mermaid = renderMermaid(machine.definition, {
      ...(drawn !== undefined ? { run: drawn } : {}),
      ...(title !== undefined ? { title } : {}),
      ...(direction !== undefined ? { direction } : {}),
      ...(machine.name !== undefined ? { name: machine.name } : {}),
    });
  } catch (e) {
    if (!(e instanceof RenderError)) throw e;
    // render's complaints about a run all begin "the run"; the rest are about the definition.
    const field = e.message.startsWith('the run') ? (args.run !== undefined ? 'run' : 'runFile') : args.file !== undefined ? `file ${machine.label}` : 'definition';
    throw new ToolInputError(field, e.message);
  }
  return { structured: { source: machine.label, mermaid }, text: mermaid };
}

function machinesOf(args: SourceArgs & SelectionArgs): LoadedMachine[] {
  const select = selection(args);
  if (select.stack !== undefined || select.stateMachine !== undefined) return [loadOneMachine(sourceOf(args), select)];
  const machines = loadMachines(sourceOf(args), withParameters(args));
  if (machines.length === 0) throw new ToolInputError(args.file !== undefined ? 'file' : 'definition', 'it holds no state machine (no AWS::StepFunctions::StateMachine resource)');
  return machines;
}

function checkIam(args: ToolArgs<'check_iam'>): ToolAnswer {
  const machines = machinesOf(args).map((m) => {
    // Permissions are read from a definition AWS would accept: an invalid one gets its errors instead.
    const check = checkDefinition(m.definition, { type: m.type ?? AwsDefaults.MACHINE_TYPE, warnings: false, substituted: m.origin !== undefined });
    if (check.definition === undefined) return { source: m.label, ok: false, findings: check.findings };
    const permissions = permissionsOf(m, check.definition);
    return { source: m.label, ok: permissions.ok, permissions };
  });
  return { structured: { ok: machines.every((m) => m.ok), machines } };
}

function listStateMachines(args: ToolArgs<'list_state_machines'>): ToolAnswer {
  const machines = loadMachines(sourceOf(args), selection(args)).map((m) => {
    const states = (m.definition as { States?: unknown }).States;
    return {
      source: m.label,
      ...(m.name !== undefined ? { name: m.name } : {}),
      type: m.type ?? AwsDefaults.MACHINE_TYPE,
      ...(m.origin ? { stack: m.origin.stackName, logicalId: m.origin.logicalId } : {}),
      ...(m.origin?.constructPath !== undefined ? { constructPath: m.origin.constructPath } : {}),
      states: states !== null && typeof states === 'object' ? Object.keys(states).length : 0,
      ...(args.definitions === true ? { definition: m.definition } : {}),
    };
  });
  return { structured: { machines } };
}

/** A report up to this long (as JSON) is answered whole; a longer one as its summary unless asked with details. */
const EXPLORE_WHOLE_CHARACTERS = 8_000;


async function explore(args: ToolArgs<'explore'>): Promise<ToolAnswer> {
  const input = executionInput(args.input);
  const bytes = Buffer.byteLength(JSON.stringify(input));
  if (bytes > INPUT_LIMIT.bytes) throw new ToolInputError('input', `${bytes.toLocaleString('en-US')} bytes as JSON, too large: ${INPUT_LIMIT.why}`);
  // Read as the run tool reads them: a simple map explore keeps as JSON, or a MockConfigFile test case.
  const given = mocksOf(args).mocks;
  const mockConfig = given.mockConfig;
  const mocks = mockConfig ? undefined : args.mocks as Record<string, JsonValue> | undefined;
  const { maxScenarios, seed } = args;
  const s3 = s3FolderOf(args.s3Dir);
  // The server lowered it to its time bound for a call (server.ts); a call made here alone has none.
  const budgetSeconds = exploreBudgetSeconds(args.budgetSeconds, Infinity);
  const reports: Array<Record<string, unknown>> = [];
  for (const m of machinesOf(args)) {
    const type = typeOf(args).type ?? m.type ?? AwsDefaults.MACHINE_TYPE;
    // A definition AWS would refuse is answered with its findings, as check_iam does; the other machines are still explored.
    const check = checkDefinition(m.definition, { type, warnings: false, substituted: m.origin !== undefined });
    if (check.definition === undefined) {
      reports.push({ source: m.label, findings: check.findings });
      continue;
    }
    try {
      const report = await m.workflow(type).explore({
        input,
        budgetSeconds,
        ...checkOptionsOf(args),
        ...(mocks !== undefined ? { mocks } : {}),
        ...(mockConfig !== undefined ? { mockConfig } : {}),
        ...(maxScenarios !== undefined ? { maxScenarios } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...s3,
      }, 'mcp');
      if (args.details === true || JSON.stringify(report).length <= EXPLORE_WHOLE_CHARACTERS) {
        reports.push({ source: m.label, ...report });
      } else {
        // Summaries first: the whole report of a large machine is tens of thousands of characters.
        const summary = summarizeExplore(report, check.definition);
        reports.push({
          source: m.label,
          ...summary.report,
          ...(summary.leftOut.length > 0 ? { leftOut: `Left out: ${summary.leftOut.join('; ')}. Ask with details: true for the whole report.` } : {}),
        });
      }
    } catch (e) {
      if (e instanceof MockKeyError || e instanceof MockConfigError) throw new ToolInputError('mocks', e.message);
      if (e instanceof InvalidExecutionInputError) throw new ToolInputError('input', e.message);
      throw e;
    }
  }
  return { structured: { reports } };
}

async function verify(args: ToolArgs<'verify'>): Promise<ToolAnswer> {
  const input = executionInput(args.input);
  const bytes = Buffer.byteLength(JSON.stringify(input));
  if (bytes > INPUT_LIMIT.bytes) throw new ToolInputError('input', `${bytes.toLocaleString('en-US')} bytes as JSON, too large: ${INPUT_LIMIT.why}`);
  // A Map, so that no property name reaches an object's prototype.
  const properties = Object.fromEntries(new Map(Object.entries(args.properties).map(([name, p]) => [name, propertyFromJson(name, p)])));
  const machine = loadOneMachine(sourceOf(args), selection(args));
  const type = typeOf(args).type ?? machine.type ?? AwsDefaults.MACHINE_TYPE;
  const errors = checkDefinition(machine.definition, { type, warnings: false, substituted: machine.origin !== undefined }).findings;
  if (errors.length > 0) {
    throw new ToolInputError(args.file !== undefined ? 'file' : 'definition', `${machine.label} is not a valid state machine: `
      + `${errors.slice(0, 5).map((f) => `${f.location}: ${f.message}`).join('; ')}${errors.length > 5 ? `; and ${errors.length - 5} more` : ''} (the validate tool lists them all)`);
  }
  const s3 = s3FolderOf(args.s3Dir);
  // Read as explore reads them: a simple map kept as JSON, or a MockConfigFile test case.
  const mockConfig = mocksOf(args).mocks.mockConfig;
  const mocks = mockConfig ? undefined : args.mocks as Record<string, JsonValue> | undefined;
  try {
    const report = await machine.workflow(type).verify(properties, {
      input,
      ...checkOptionsOf(args),
      budgetSeconds: exploreBudgetSeconds(args.budgetSeconds, Infinity),
      ...(mocks !== undefined ? { mocks } : {}),
      ...(mockConfig !== undefined ? { mockConfig } : {}),
      ...(args.seed !== undefined ? { seed: args.seed } : {}),
      ...(args.maxLoopTurns !== undefined ? { loopTurns: args.maxLoopTurns } : {}),
      ...(args.maxMapItems !== undefined ? { mapItems: args.maxMapItems } : {}),
      ...s3,
    }, 'mcp');
    return {
      structured: {
        source: machine.label,
        runs: report.runs,
        complete: report.complete,
        ...(report.stoppedBy !== undefined ? { stoppedBy: report.stoppedBy } : {}),
        ...(report.boundsHit !== undefined ? { boundsHit: [...report.boundsHit] } : {}),
        properties: verifyJson(report),
      },
    };
  } catch (e) {
    if (e instanceof MockKeyError || e instanceof MockConfigError || e instanceof InvalidMockError || e instanceof MockJsonError) throw new ToolInputError('mocks', e.message);
    if (e instanceof InvalidExecutionInputError) throw new ToolInputError('input', e.message);
    if (e instanceof PropertyError) throw new ToolInputError('properties', e.message);
    if (e instanceof InvalidDefinitionError) throw new ToolInputError(args.file !== undefined ? 'file' : 'definition', e.message);
    throw e;
  }
}

/** Whether parity may call AWS's TestState: the server's --allow-aws, set once by the worker. */
let awsAllowed = false;

/** Lets (or not) the parity tool call AWS with the process's credentials. @internal */
export function allowAws(allowed: boolean): void {
  awsAllowed = allowed;
}

/** The server's --timeout for one call, in milliseconds, set once by the worker. */
let callTimeoutMs: number | undefined;

/** Tells the tools the server's time bound for one call. @internal */
export function boundCallTime(timeoutMs: number): void {
  callTimeoutMs = timeoutMs;
}

/**
 * Real milliseconds one TestState call of the parity tool may take, to the last byte of its
 * answer: half the server's time bound for a call (and never more than parity's own default), so
 * that an endpoint which drips an answer costs that visit, answered unchecked, and not the whole
 * report when the call is stopped.
 * @internal
 */
export function parityCallTimeoutMs(timeoutMs: number | undefined): number {
  return timeoutMs === undefined ? DEFAULT_CALL_TIMEOUT_MS : Math.min(DEFAULT_CALL_TIMEOUT_MS, Math.max(1, Math.floor(timeoutMs / 2)));
}

/** A loopback URL: an endpoint on this machine (stepwright serve), never one an agent could point elsewhere. */
function loopbackEndpoint(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ToolInputError('endpoint', `'${text}' is not a URL; give stepwright serve's, e.g. http://127.0.0.1:8083`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new ToolInputError('endpoint', `'${text}' is refused: parity calls a loopback endpoint only (127.0.0.1, localhost or [::1]), such as stepwright serve's`);
  }
  return url.href;
}

async function parity(args: ToolArgs<'parity'>): Promise<ToolAnswer> {
  const { recorded = false, endpoint, region, profile, runsFile, casesFile, mocksFile, testCases, mockStateMachine, inputs } = args;
  if (recorded && casesFile === undefined) throw new ToolInputError('recorded', 'compares with the AWS answers case files hold: give casesFile');
  if (recorded && (endpoint !== undefined || region !== undefined || profile !== undefined)) {
    throw new ToolInputError('recorded', 'calls nothing: leave out endpoint, region and profile');
  }
  if (!recorded && endpoint === undefined && !awsAllowed) {
    throw new ToolInputError('endpoint', 'give a loopback endpoint (stepwright serve\'s), or recorded: true with casesFile; this server calls AWS\'s TestState '
      + 'only when started with --allow-aws');
  }
  if (endpoint === undefined && !awsAllowed && (region !== undefined || profile !== undefined)) {
    throw new ToolInputError(region !== undefined ? 'region' : 'profile', 'reaches AWS, which this server calls only when started with --allow-aws');
  }
  // A profile's credentials are the user's: only AWS's TestState, allowed with --allow-aws, is sent them.
  if (profile !== undefined && endpoint !== undefined) {
    throw new ToolInputError('profile', awsAllowed
      ? 'is for AWS\'s TestState: a loopback endpoint is sent placeholder credentials, never a profile\'s; leave out endpoint or profile'
      : 'loads the credentials of a profile, which this server uses only when started with --allow-aws; a loopback endpoint is sent placeholder credentials');
  }
  const runs: ParityRun[] = [];
  if (runsFile !== undefined) runs.push(...runsOfRecordings(readRunsFile(runsFile)));
  if (args.s3Dir !== undefined && args.definition === undefined && args.file === undefined) {
    throw new ToolInputError('s3Dir', 'goes with the runs made here: give definition or file');
  }
  let failedRuns: FailedLocalRun[] = [];
  if (args.definition !== undefined || args.file !== undefined) {
    const machine = loadOneMachine(sourceOf(args), selection(args));
    const here = await localRuns(machine, {
      ...(mocksFile !== undefined ? { mocksFile } : {}),
      ...(args.mocks !== undefined ? { mocks: args.mocks } : {}),
      ...(testCases !== undefined ? { testCases } : {}),
      ...(mockStateMachine !== undefined ? { mockStateMachine } : {}),
      ...(inputs !== undefined ? { inputs: inputs as JsonValue[] } : {}),
      ...s3FolderOf(args.s3Dir),
      door: 'mcp',
      // A template's inline Lambda code could reach the network or write files: here it never runs.
      inlineCode: false,
    });
    failedRuns = failedLocalRuns(here);
    runs.push(...here);
  }
  const mode = args.fieldValidationMode;
  const options: ParityOptions = {
    recorded,
    ...(endpoint !== undefined ? { endpoint: loopbackEndpoint(endpoint) } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(args.inspectionLevel !== undefined ? { inspectionLevel: args.inspectionLevel } : {}),
    ...(mode !== undefined ? { fieldValidationMode: mode } : {}),
    ...(args.concurrency !== undefined ? { concurrency: args.concurrency } : {}),
    maxCalls: args.maxCalls ?? 200,
    callTimeoutMs: parityCallTimeoutMs(callTimeoutMs),
    keepCases: true,
  };
  let report: ParityReport;
  try {
    report = await checkParity({ runs, cases: casesFile === undefined ? [] : loadCases([casesFile]) }, options);
  } catch (e) {
    if (e instanceof ParityError) throw new ToolInputError(undefined, e.message);
    throw e;
  }
  const rows = report.rows.filter((r) => r.verdict !== 'equal');
  const cases = report.cases ?? [];
  return {
    structured: {
      against: report.against,
      counts: report.counts,
      calls: report.calls,
      throttled: report.throttled,
      ...(report.stopped !== undefined ? { stopped: report.stopped } : {}),
      table: failedRuns.length > 0 ? `${parityTable(report)}\n${failedRunsText(failedRuns)}` : parityTable(report),
      rows,
      ...(cases.length > 0 ? { cases } : {}),
      ...(failedRuns.length > 0 ? { failedRuns } : {}),
    },
  };
}

/**
 * Answers a call of the tool named `tool`: its arguments parsed by the tool's own input schema
 * (the main thread checked them with it; here they come as a worker's message), then its call.
 * A closed set, so no name can reach anything else.
 * @throws ToolInputError for a name that is no tool's
 */
export function callTool(tool: string, given: unknown): ToolAnswer | Promise<ToolAnswer> {
  const name = TOOLS.find((t) => t.name === tool)?.name;
  if (name === undefined) throw new ToolInputError(undefined, `no tool '${tool}'`);
  return call(name, given);
}

function call(name: ToolName, given: unknown): ToolAnswer | Promise<ToolAnswer> {
  const [validateTool, runTool, testStateTool, renderTool, checkIamTool, listTool, exploreTool, verifyTool, parityTool] = TOOLS;
  switch (name) {
    case 'validate': return validate(validateTool.input.parse(given));
    case 'run': return run(runTool.input.parse(given));
    case 'test_state': return testState(testStateTool.input.parse(given));
    case 'render': return render(renderTool.input.parse(given));
    case 'check_iam': return checkIam(checkIamTool.input.parse(given));
    case 'list_state_machines': return listStateMachines(listTool.input.parse(given));
    case 'explore': return explore(exploreTool.input.parse(given));
    case 'verify': return verify(verifyTool.input.parse(given));
    case 'parity': return parity(parityTool.input.parse(given));
  }
}

/** A tool's failure as the message the agent reads: bad input named, a bug named as one. */
export function failureMessage(e: unknown): { message: string; input: boolean } {
  if (e instanceof ToolInputError || e instanceof CommandInputError) return { message: e.message, input: true };
  return { message: `stepwright internal error (please report it): ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, input: false };
}
