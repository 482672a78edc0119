import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CostCounts } from './observation';
import type { JsonObject, JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import type { MockConfigResponse } from '../../src/workbench/mocks/mock-config';
import type { SnapshotTransformer } from '../conformance/recorded-run';

/*
 * A behaviour case: one JSON file of test/cases/corpus (or one recorded execution of
 * ../shared/conformance, read by conformance-cases.ts), run by cases.test.ts through every door.
 * The format follows JSONata's test suite (one file per case: what goes in, what must come out)
 * and STYLE.md's "Test fixture as data".
 */

/** The four ways into a run. */
export const DOORS = ['jest', 'cli', 'serve', 'mcp'] as const;
export type DoorName = typeof DOORS[number];

/** One MockConfigFile response, by invocation index or range (`"0"`, `"1-2"`). */
export type MockedResponses = Readonly<Record<string, MockConfigResponse>>;

/** A callback a test sends while the run waits for it (a `.waitForTaskToken` Task with no mock). */
export interface CallbackStep {
  /** The Task state whose token is answered. */
  readonly state: string;
  /** SendTaskSuccess with this output, or SendTaskFailure with `error` and `cause`. */
  readonly success?: JsonValue;
  /** SendTaskSuccess with this text repeated `times` times as its output: an output too long to write out in a case file. */
  readonly successRepeated?: { readonly text: string; readonly times: number };
  readonly error?: string;
  readonly cause?: string;
  /** The API refuses the call with this error name, as AWS does, and the task keeps waiting for its token. */
  readonly refused?: string;
}

/** The output a SendTaskSuccess step sends, or undefined for a SendTaskFailure step. */
export function successOf(step: CallbackStep): JsonValue | undefined {
  return step.successRepeated ? step.successRepeated.text.repeat(step.successRepeated.times) : step.success;
}

/** The Map Run a door reports, in DescribeMapRun's fields. */
export interface MapRunExpectation {
  readonly itemCounts?: Readonly<Record<string, number>>;
  readonly toleratedFailurePercentage?: number;
  readonly toleratedFailureCount?: number;
  readonly maxConcurrency?: number;
}

/** A scenario explore reports, in the fields a case pins. */
export interface ScenarioExpectation {
  readonly status: string;
  readonly error?: string;
  readonly path?: readonly string[];
}

/** What a door must report for a case; each field is checked only where it is given. */
export interface Expectation {
  /** How the run ends (every case but an explore case and a refused one). */
  readonly status?: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /**
   * Every door refuses the run before any execution starts, as StartExecution refuses it (each
   * in its own words: an exception, an exit code, a tool error, an API error); a door that runs
   * it differs. Given instead of `status`.
   */
  readonly refused?: true;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  /** The states entered, in order (Parallel branches, Map iterations and Distributed Map children included). */
  readonly path?: readonly string[];
  /** How long the run lasts on its clock, in whole seconds: a Wait, a retry's interval, a Task's (mocked) timeout take theirs. */
  readonly seconds?: number;
  /** History events that must appear in this order (others may come between): `Type` or `Type:State`. */
  readonly events?: readonly string[];
  /**
   * Which event each event follows (its `previousEventId`), both named as in `events`, each the
   * first event of that name: checked where a door reports the full history (jest, serve).
   */
  readonly follows?: Readonly<Record<string, string>>;
  /** Test coverage of the run: the states never entered, per category (`states`, `transitions`, `choices`, `catches`, `retries`). */
  readonly missed?: Readonly<Record<string, readonly string[]>>;
  /** The run's price counts as a STANDARD workflow. */
  readonly cost?: Pick<CostCounts, 'stateTransitions'> & Partial<CostCounts>;
  /** The run's Map Runs, in start order. */
  readonly mapRuns?: readonly MapRunExpectation[];
  /** An explore case: the scenarios explore reports, in order. */
  readonly scenarios?: readonly ScenarioExpectation[];
  /** Files the run wrote to its S3 folder: bucket, key, content (JSON files parsed); files not named here are not checked. */
  readonly s3?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
  /**
   * The run's advice, in order, as each door tells it (jest's `run.advice`, the CLI's and MCP's
   * report, serve's `advice:` log lines): one entry a message, each a text the message holds.
   */
  readonly advice?: readonly string[];
}

/** The limits a case sets, each a whole number of at least 1. */
export interface CaseLimits {
  readonly maxTransitions?: number;
  readonly maxHistoryEvents?: number;
  readonly maxPayloadBytes?: number;
}

/** A behaviour case, read and checked. */
export interface BehaviourCase {
  /** The file name without `.json` (or `conformance/<category>/<file>` for a recorded execution). */
  readonly id: string;
  /** What behaviour the case pins, in a sentence. */
  readonly description: string;
  /** The AWS page or recording the expectation follows. */
  readonly aws?: string;
  /** The machine; in a template case, its `Definition` as the template writes it (resources not yet resolved). */
  readonly definition: StateMachineDefinition;
  /**
   * A CloudFormation template holding the machine (one AWS::StepFunctions::StateMachine with a
   * StateMachineName and a Definition), given instead of `definition` where the case needs what
   * only a template has: a Lambda function's inline code, resources its Tasks name.
   */
  readonly template?: JsonObject;
  /** The template's StateMachineName: the name every door gives the machine of a template case. */
  readonly machineName?: string;
  /**
   * Which of the template's state machines the case runs, by its StateMachineName, when the
   * template holds several (a parent and the children its `states:startExecution` Tasks start).
   */
  readonly stateMachine?: string;
  /**
   * A template case's parameter values, as `sam deploy --parameter-overrides` gives them: the
   * harness's `parameters`, `stepwright run --parameter Name=Value`, MCP's `parameters`, serve's
   * `--parameter` beside `--load`. A value given wins over the Default and over `samconfig`'s.
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * A template case's SAM configuration file (samconfig.toml), written beside the template file
   * each door loads: its `parameter_overrides` give the parameters values below `parameters`.
   */
  readonly samconfig?: string;
  readonly type?: 'STANDARD' | 'EXPRESS';
  readonly input: JsonValue;
  /** Task answers as `stepwright run --mocks` reads them. Give this or `mockConfig`. */
  readonly mocks?: JsonObject;
  /** A MockConfigFile test case: per Task state, its responses by invocation. */
  readonly mockConfig?: Readonly<Record<string, MockedResponses>>;
  readonly mockValidation?: 'STRICT' | 'PRESENT' | 'NONE';
  readonly unmocked?: 'error' | 'input';
  /**
   * The run's limits, as the harness's and MCP's `limits` take them and `stepwright run`'s
   * `--max-transitions`, `--max-history-events` and `--max-payload-bytes`; serve has AWS's own.
   */
  readonly limits?: CaseLimits;
  /**
   * The most STANDARD executions the run may have open at once and the longest chain of
   * executions each started by a Task of the one before (a whole number of at least 1): the
   * harness's and MCP's `openExecutionLimit`, `stepwright run --open-executions` and serve's
   * `--open-executions`, which is one for the whole server (cases that give it give one value).
   */
  readonly openExecutionLimit?: number;
  /**
   * When the run starts on its virtual clock (an RFC 3339 date-time): the harness's `clock: new
   * VirtualClock({ start })`, `stepwright run --start-time`, MCP's `startTime`; serve starts an
   * execution when StartExecution is called.
   */
  readonly startTime?: string;
  /** The S3 folder the run starts with: bucket, key, content (a string as it is, any other value as its JSON). */
  readonly s3?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
  /**
   * Set for an explore case: each door explores the machine (with the S3 folder) instead of
   * running it, and the CLI's `--write-tests` file is run with jest as written.
   */
  readonly explore?: { readonly budgetSeconds?: number };
  /** Callbacks the test sends, in order, each once the run waits for it. */
  readonly callbacks?: readonly CallbackStep[];
  /** Doors that cannot run this case, each with the reason. */
  readonly cannot?: Readonly<Partial<Record<DoorName, string>>>;
  readonly expect: Expectation;
  /**
   * Set for an execution AWS recorded: its output is compared with the expectation through the
   * conformance runner's normalisation and the recording's own snapshot transformers.
   */
  readonly recorded?: { readonly transformers: readonly SnapshotTransformer[] };
}

/** A case file that cannot be read, naming the file and the field. */
export class CaseFileError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'CaseFileError';
  }
}

const CASE_FIELDS = new Set(['description', 'aws', 'definition', 'template', 'stateMachine', 'parameters', 'samconfig', 'type', 'input', 'mocks', 'mockConfig', 'mockValidation', 'unmocked', 'limits', 'openExecutionLimit', 'startTime', 's3', 'explore', 'callbacks', 'cannot', 'expect']);
const EXPECT_FIELDS = new Set(['status', 'refused', 'output', 'error', 'cause', 'path', 'seconds', 'events', 'follows', 'missed', 'cost', 'mapRuns', 'scenarios', 's3', 'advice']);
const LIMIT_FIELDS = new Set(['maxTransitions', 'maxHistoryEvents', 'maxPayloadBytes']);
const STATUSES = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads every `*.json` of `dir` as a case. A definition given as a string is a file beside the
 * case (`"saga.asl.json"`), read as JSON; every other field is checked here, so a mistyped field
 * fails the load, naming the file, rather than being ignored.
 * @throws CaseFileError for a file that is not a valid case
 */
export function loadCorpus(dir: string): BehaviourCase[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.asl.json')).sort().map((f) => {
    const file = path.join(dir, f);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new CaseFileError(f, `not JSON: ${(e as Error).message}`);
    }
    return checkCase(f, raw, (name) => {
      const beside = path.join(dir, path.basename(name));
      if (path.basename(name) !== name || !fs.existsSync(beside)) throw new CaseFileError(f, `definition names '${name}', which is no file beside the case`);
      return JSON.parse(fs.readFileSync(beside, 'utf8')) as StateMachineDefinition;
    });
  });
}

function checkCase(file: string, raw: unknown, readDefinition: (name: string) => StateMachineDefinition): BehaviourCase {
  const fail = (message: string): never => { throw new CaseFileError(file, message); };
  if (!isObject(raw)) return fail('a case is a JSON object');
  for (const k of Object.keys(raw)) if (!CASE_FIELDS.has(k)) fail(`unknown field '${k}' (a case has ${[...CASE_FIELDS].join(', ')})`);
  if (typeof raw.description !== 'string' || raw.description === '') fail('description must say what behaviour the case pins');
  if ((raw.definition === undefined) === (raw.template === undefined)) fail('give definition or template, one of them');
  if (raw.stateMachine !== undefined && (typeof raw.stateMachine !== 'string' || raw.template === undefined)) {
    fail('stateMachine names, by its StateMachineName, the machine of the template the case runs');
  }
  if (raw.parameters !== undefined && (raw.template === undefined || !isObject(raw.parameters) || !Object.values(raw.parameters).every((v) => typeof v === 'string'))) {
    fail('parameters gives a template case\'s parameters values: { Name: "value" }');
  }
  if (raw.samconfig !== undefined && (raw.template === undefined || typeof raw.samconfig !== 'string')) fail('samconfig is the text of a template case\'s samconfig.toml');
  const machine = raw.template === undefined ? undefined : templateMachine(raw.template, raw.stateMachine as string | undefined, fail);
  const definition = machine?.Definition ?? (typeof raw.definition === 'string' ? readDefinition(raw.definition) : raw.definition);
  if (!isObject(definition) || !isObject(definition.States)) fail('definition must be an ASL definition or the name of an .asl.json file beside the case');
  if (raw.mocks !== undefined && raw.mockConfig !== undefined) fail('give mocks or mockConfig, not both');
  if (raw.mocks !== undefined && !isObject(raw.mocks)) fail('mocks must be an object keyed by state name');
  if (raw.mockConfig !== undefined && !isObject(raw.mockConfig)) fail('mockConfig must be an object: state name to its responses by invocation');
  if (raw.type !== undefined && raw.type !== 'STANDARD' && raw.type !== 'EXPRESS') fail(`type must be STANDARD or EXPRESS, got ${JSON.stringify(raw.type)}`);
  if (raw.limits !== undefined) {
    if (!isObject(raw.limits)) fail('limits must be { maxTransitions?, maxHistoryEvents?, maxPayloadBytes? }');
    for (const [k, v] of Object.entries(raw.limits as JsonObject)) {
      if (!LIMIT_FIELDS.has(k)) fail(`unknown field 'limits.${k}' (limits has ${[...LIMIT_FIELDS].join(', ')})`);
      if (!Number.isSafeInteger(v) || (v as number) < 1) fail(`limits.${k} must be a whole number of at least 1`);
    }
  }
  if (raw.openExecutionLimit !== undefined && (!Number.isSafeInteger(raw.openExecutionLimit) || (raw.openExecutionLimit as number) < 1)) {
    fail('openExecutionLimit must be a whole number of at least 1');
  }
  if (raw.startTime !== undefined && (typeof raw.startTime !== 'string' || !Number.isFinite(Date.parse(raw.startTime)))) fail('startTime must be an RFC 3339 date-time (2025-03-01T09:00:00Z)');
  if (raw.startTime !== undefined && raw.explore !== undefined) fail('an explore case has no startTime: explore runs from the virtual clock\'s default start');
  if (raw.s3 !== undefined && !(isObject(raw.s3) && Object.values(raw.s3).every(isObject))) fail('s3 must be { bucket: { key: content } }');
  if (raw.cannot !== undefined) {
    if (!isObject(raw.cannot)) fail('cannot must be { door: reason }');
    for (const [door, reason] of Object.entries(raw.cannot as JsonObject)) {
      if (!(DOORS as readonly string[]).includes(door)) fail(`cannot names '${door}', which is no door (${DOORS.join(', ')})`);
      if (typeof reason !== 'string' || reason.length < 10) fail(`cannot.${door} must give the reason the door cannot run the case`);
    }
  }
  const expectation = raw.expect;
  if (!isObject(expectation)) return fail('expect is required');
  for (const k of Object.keys(expectation)) if (!EXPECT_FIELDS.has(k)) fail(`unknown field 'expect.${k}' (expect has ${[...EXPECT_FIELDS].join(', ')})`);
  if (raw.explore !== undefined) {
    if (!Array.isArray(expectation.scenarios)) fail('an explore case expects scenarios: [{ status, error?, path? }, ...]');
  } else if (expectation.refused !== undefined) {
    if (expectation.refused !== true || Object.keys(expectation).length !== 1) fail('expect.refused is true, alone: every door refuses the run, so nothing of one is expected');
  } else if (!STATUSES.has(expectation.status as string)) {
    fail(`expect.status must be one of ${[...STATUSES].join(', ')} (or expect.refused: true)`);
  }
  return {
    ...(raw as unknown as BehaviourCase),
    id: file.replace(/\.json$/, ''),
    definition: definition as StateMachineDefinition,
    ...(machine ? { machineName: machine.StateMachineName as string } : {}),
    input: raw.input === undefined ? {} : raw.input,
  };
}

/**
 * The properties of the template's state machine the case runs: its one, or the one `chosen`
 * names among several. Each must have a name and a Definition object.
 */
function templateMachine(template: unknown, chosen: string | undefined, fail: (message: string) => never): JsonObject {
  const resources = isObject(template) && isObject(template.Resources) ? Object.values(template.Resources) : [];
  const machines = resources.filter((r) => isObject(r) && r.Type === 'AWS::StepFunctions::StateMachine').map((r) => (r as JsonObject).Properties);
  for (const props of machines) {
    if (!isObject(props) || typeof props.StateMachineName !== 'string' || !isObject(props.Definition)) {
      return fail('each of the template\'s state machines needs a StateMachineName (every door names the machine by it) and a Definition object');
    }
  }
  if (chosen === undefined && machines.length !== 1) return fail('a template case holds one AWS::StepFunctions::StateMachine, or names the one it runs (stateMachine)');
  const props = chosen === undefined ? machines[0] : machines.find((m) => (m as JsonObject).StateMachineName === chosen);
  if (props === undefined) return fail(`stateMachine names '${chosen}', which is no StateMachineName of the template`);
  return props as JsonObject;
}
