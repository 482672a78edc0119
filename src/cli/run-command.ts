import { parseCommandArgs, oneDefinition, parametersOf } from './args';
import { UsageError } from './cli-error';
import { readEndpointFlags } from './endpoint-flags';
import { checkFlags } from './mock-validation-flag';
import type { Streams } from './streams';
import { printable, printableJson, printableLines } from './terminal';
import type { JsonValue } from '../asl';
import type { MachineType } from '../asl/aws-defaults';
import { AwsLimits, PAYLOAD_WORDS } from '../asl/limits';
import { nameProblem } from '../asl/names';
import { DEFAULT_SEED } from '../asl/random';
import { withThousands } from '../asl/shorten';
import type { ExpressRunCost, RunCost, StandardRunCost } from '../cost';
import type { ChildExecutionFailure, ExecutionResult } from '../interpreter';
import { VIRTUAL_CLOCK_START } from '../interpreter/clock';
import { EXPRESS_MAX_TRANSITIONS } from '../interpreter/execution-types';
import { INPUT_LIMIT, loadOneMachine, parseJsonText, readTextFile } from '../workbench/commands';
import { loadMocks } from '../workbench/commands/mocks';
import { adviceOf, childFailuresOf, clockStartingAt, runMachine, runReport, START_TIME_RULE, stateOf } from '../workbench/commands/run';
import type { RunAdvice } from '../workbench/mocks';
import type { ServiceEndpoints } from '../workbench/mocks/endpoint-settings';
import { OPEN_EXECUTIONS_BOUND } from '../workbench/workflow/chains';

/** @internal */
export const RUN_USAGE = `Usage: stepwright run <definition> [options]

Runs a state machine locally on a virtual clock (Wait, retries and timeouts
take no real time) and prints its status, its output or error and cause, and
the states it entered.

<definition> is an ASL file (.asl.json), a CloudFormation template (JSON) or
a cdk.out directory.

Options:
  --input <json|@file>        Execution input, inline JSON or @path to a JSON file, at most
                              ${withThousands(AwsLimits.PAYLOAD_BYTES)} bytes (${PAYLOAD_WORDS}) as on AWS. Default: {}
  --mocks <file>              Task results: {"<state name or resource ARN>": <value>
                              | {"Return": <value>} | {"Throw": {"Error": "...", "Cause": "..."}}
                              | [<one answer per call>, ...]}, or an AWS MockConfigFile.
                              A list is one answer per call, in order: a plain value or
                              {"Return": <value>} is that call's result, {"Throw": {"Error":
                              "...", "Cause": "..."}} its error; {"Return": [...]} returns a list.
                              {"Delay": <seconds>, "Return": <value>} (or with "Throw")
                              answers that call <seconds> late on the run's virtual clock,
                              as the harness's delay(); past the Task's TimeoutSeconds it
                              fails with States.Timeout. With "Heartbeats": [<seconds>, …]
                              the worker sends a heartbeat (SendTaskHeartbeat) at each of
                              those seconds after the call. Delay and Heartbeats are
                              stepwright's own fields: AWS's MockConfigFile has none.
  --unmocked error|input      What a Task no mock answers does: error fails the run with
                              States.Runtime naming the state; input returns the task input
                              (for lambda:invoke, inside the invoke envelope). Default: error
  --mock-validation STRICT|PRESENT|NONE
                              How mock answers are checked against the AWS service models,
                              as TestState's mock.fieldValidationMode: STRICT, required
                              fields present and every field the model defines of its
                              type, enum and bounds; PRESENT, the fields given only; NONE,
                              nothing. An answer AWS's TestState refuses fails the run.
                              Default: STRICT for a mocks table; PRESENT for a
                              MockConfigFile (Step Functions Local checks none), where a
                              missing required field is advice
  --mock-advice warn|fail     What a field the model does not define, or a Throw naming an
                              error the integration never raises, does: warn prints an
                              'Advice:' line and the run goes on (AWS accepts such a mock);
                              fail fails the run with States.Runtime. Default: warn
  --request-checks fail|warn  What a Task's request AWS refuses does (checked as the Task sends
                              it): fail fails it as AWS does (States.Runtime for a member an
                              aws-sdk call's model does not define, the service's error for a
                              missing required member where it is known); warn prints it as
                              advice and the run goes on. Default: fail
  --test-case <name>          The MockConfigFile test case to use.
  --mock-state-machine <name> The MockConfigFile state machine, when the file has several.
  --name <name>               Execution name. Default: a generated UUID
  --seed <n>                  Seed of the run's random source (States.UUID, States.MathRandom,
                              $uuid, $random, task tokens, jitter), as the harness's seed.
                              Default: ${DEFAULT_SEED}
  --start-time <date-time>    When the run starts on its virtual clock, as
                              $$.Execution.StartTime says (2025-03-01T09:00:00Z); a Wait's
                              Timestamp waits from it. Default: ${VIRTUAL_CLOCK_START}
  --s3-dir <dir>              A local S3: a folder per bucket, a file per key. Map ItemReaders
                              read it, ResultWriters write their result files to it, and
                              aws-sdk:s3 Tasks no mock answers run against it.
  --endpoint <service>=<url>  Send the Tasks of that service that no mock answers to an
                              endpoint of your own (repeatable), as serve's --endpoint:
                              lambda=http://127.0.0.1:3001 (sam local start-lambda),
                              sqs=<url> (ElasticMQ), sns=<url>, dynamodb=<url> (DynamoDB
                              Local), s3=<url> (an S3-compatible server, in place of
                              --s3-dir). A URL without a scheme (host:4566) is https. A
                              MockConfigFile test case that leaves a state out (AWS's
                              HybridPath) sends it there, as Step Functions Local did.
  --type STANDARD|EXPRESS     Workflow type. Default: the template's, else STANDARD
  --max-transitions <n>       Most states the run may enter (the harness's and MCP's
                              limits.maxTransitions); past it the run fails with
                              States.Runtime. Guards against an endless loop. Default: none
                              for STANDARD (the history limit applies), ${withThousands(EXPRESS_MAX_TRANSITIONS)} for EXPRESS
  --max-history-events <n>    Most history events, as AWS limits a Standard execution.
                              Default: ${withThousands(AwsLimits.HISTORY_EVENTS)}
  --max-payload-bytes <n>     Largest state input or output in UTF-8 bytes. Default: ${withThousands(AwsLimits.PAYLOAD_BYTES)},
                              as on AWS
  --open-executions <n>       The most STANDARD executions the run may have open at once (its own
                              and the child executions its Tasks start), the most EXPRESS ones
                              running when a Task starts one more (AWS counts none), and the
                              longest chain of executions each started by a Task of the one
                              before; past it the
                              states:startExecution Task that would start one more fails with
                              StepFunctions.ExecutionLimitExceededException, as past AWS's quota
                              (${withThousands(AwsLimits.OPEN_EXECUTIONS)}), as serve's --open-executions. Default: ${OPEN_EXECUTIONS_BOUND}, a
                              bound of stepwright's own, so that a machine that starts itself
                              ends instead of filling memory
  --stack <name>              In a cdk.out: the stack (artifact id, name or display path).
  --state-machine <selector>  In a template or cdk.out: logical id, StateMachineName or construct path.
  --parameter <Name=Value>  A template parameter's value, over its Default (repeatable); also
                            ParameterKey=Name,ParameterValue=Value pairs or file://params.json.
  --config-file <file>      A SAM configuration file whose parameter_overrides give values below
                            --parameter. Default: samconfig.toml beside the template.
  --config-env <env>        The environment of the SAM configuration file. Default: default.
  --history                   Also print the execution history's event types.
  --cost                      Also print what the run would cost on AWS: its state transitions
                              as a Standard workflow, its request, billed duration and memory
                              as an Express one (us-east-1 prices; see stepwright cost).
  --json                      Print one JSON object instead of text.
  --help                      Print this help.

Exit codes: 0 SUCCEEDED; 1 FAILED, TIMED_OUT or ABORTED, or the definition is
invalid; 2 bad usage or an input that cannot be read.
`;

const SPEC = {
  command: 'run',
  values: [
    'config-file', 'config-env',
    'input', 'mocks', 'unmocked', 'mock-validation', 'mock-advice', 'request-checks', 'test-case', 'mock-state-machine', 'name', 'seed', 'start-time', 'type', 'stack', 'state-machine', 's3-dir',
    'max-transitions', 'max-history-events', 'max-payload-bytes', 'open-executions',
  ],
  lists: ['parameter', 'endpoint'],
  flags: ['history', 'cost', 'json', 'help'],
  // serve's options a user carries to run, and what run takes for each.
  instead: {
    'mock-config': 'an AWS MockConfigFile is given as --mocks <MockConfigFile> --test-case <name> (with --mock-state-machine <name> when it has several)',
    'handlers': 'a Task is answered by --mocks <file> (per state name or resource ARN: a value, {"Return": …} or {"Throw": …}), '
      + 'by a function running locally with --endpoint lambda=<url>, or by a function in a test\'s mocks',
    'time-scale': "run's clock is virtual: Wait, retries and timeouts take no real time; --start-time sets when the run starts",
    'load': 'the machine is the first argument: stepwright run <definition> (an ASL file, a template or a cdk.out), with --state-machine to choose one',
  },
};

/** `stepwright run`. @internal */
export async function runCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseCommandArgs(args, SPEC, RUN_USAGE, io);
  if (!parsed) return 0;
  const definition = oneDefinition(parsed, 'run');
  if (parsed.values.mocks === undefined && parsed.values['test-case'] !== undefined) {
    throw new UsageError('--test-case needs --mocks <MockConfigFile>');
  }
  const type = workflowType(parsed.values.type);
  const unmocked = unmockedPolicy(parsed.values.unmocked);
  const checks = checkFlags(parsed.values);
  const badName = parsed.values.name === undefined ? undefined : nameProblem(parsed.values.name);
  if (badName) throw new UsageError(`--name: ${badName}`);
  const limits = runLimits(parsed.values);
  const openExecutions = openExecutionLimit(parsed.values['open-executions']);
  const endpoints = endpointsOf(parsed.lists.endpoint);
  const startTime = parsed.values['start-time'];
  const clock = startTime === undefined ? undefined : clockStartingAt(startTime);
  if (startTime !== undefined && clock === undefined) throw new UsageError(`--start-time must be ${START_TIME_RULE}, got '${startTime}'`);
  const seedText = parsed.values.seed;
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seedText !== undefined && (seedText.trim() === '' || !Number.isInteger(seed))) throw new UsageError(`--seed must be an integer, got '${seedText}'`);
  const machine = loadOneMachine(definition, { stack: parsed.values.stack, stateMachine: parsed.values['state-machine'], ...parametersOf(parsed, io) });
  const input = readInput(parsed.values.input);
  const mocks = parsed.values.mocks === undefined ? {} : loadMocks(parsed.values.mocks, {
    testCase: parsed.values['test-case'],
    stateMachine: parsed.values['mock-state-machine'],
  });
  const result = await runMachine(machine, input, {
    mocks,
    ...(parsed.values.mocks !== undefined ? { mocksLabel: parsed.values.mocks } : {}),
    ...(unmocked === undefined ? {} : { unmocked }),
    ...checks,
    door: 'cli',
    ...(parsed.values.name === undefined ? {} : { name: parsed.values.name }),
    ...(clock === undefined ? {} : { clock }),
    ...(seed === undefined ? {} : { seed }),
    ...(type === undefined ? {} : { type }),
    ...(parsed.values['s3-dir'] === undefined ? {} : { s3Dir: parsed.values['s3-dir'] }),
    ...(endpoints === undefined ? {} : { endpoints }),
    ...(limits === undefined ? {} : { limits }),
    ...(openExecutions === undefined ? {} : { openExecutionLimit: openExecutions }),
  });
  const runCost = parsed.flags.has('cost') ? result.cost() : undefined;
  if (parsed.flags.has('json')) {
    const report = { ...runReport(result, parsed.flags.has('history')), ...(runCost ? { cost: costReport(runCost) } : {}) };
    io.out.write(`${printableJson(JSON.stringify(report, null, 2))}\n`);
  } else {
    io.out.write(textReport(result, parsed.flags.has('history')));
    if (runCost) io.out.write(`${costLine(runCost)}\n`);
  }
  return result.status === 'SUCCEEDED' ? 0 : 1;
}

/** Reads --type. @internal */
export function workflowType(value: string | undefined): MachineType | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (upper !== 'STANDARD' && upper !== 'EXPRESS') throw new UsageError(`--type must be STANDARD or EXPRESS, got '${value}'`);
  return upper;
}

/** The run's limits flags, by the harness's `limits` member they set. */
const LIMIT_FLAGS = [['max-transitions', 'maxTransitions'], ['max-history-events', 'maxHistoryEvents'], ['max-payload-bytes', 'maxPayloadBytes']] as const;

/** Reads --max-transitions, --max-history-events and --max-payload-bytes: each a positive whole number. */
function runLimits(values: Readonly<Record<string, string | undefined>>): Partial<Record<typeof LIMIT_FLAGS[number][1], number>> | undefined {
  const limits: Partial<Record<typeof LIMIT_FLAGS[number][1], number>> = {};
  for (const [flag, member] of LIMIT_FLAGS) {
    const value = values[flag];
    if (value === undefined) continue;
    if (!/^[1-9]\d*$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(`--${flag} takes a whole number of at least 1, got '${value}'`);
    limits[member] = Number(value);
  }
  return Object.keys(limits).length === 0 ? undefined : limits;
}

/** Reads --open-executions: a whole number from 1 to AWS's quota of open executions, as serve's. */
function openExecutionLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^[1-9]\d*$/.test(value) || n > AwsLimits.OPEN_EXECUTIONS) {
    throw new UsageError(`--open-executions takes a whole number from 1 to ${AwsLimits.OPEN_EXECUTIONS} (AWS's quota of open executions), got '${value}'`);
  }
  return n;
}

/** Reads --endpoint <service>=<url>, repeatable, as serve reads it (see {@link readEndpointFlags}). */
function endpointsOf(settings: readonly string[] | undefined): ServiceEndpoints | undefined {
  const flags = readEndpointFlags(settings);
  return flags.size === 0 ? undefined : Object.fromEntries([...flags].map(([service, flag]) => [service, flag.url]));
}

/** Reads --unmocked: the harness's `unmocked` policies a command line can name. */
function unmockedPolicy(value: string | undefined): 'error' | 'input' | undefined {
  if (value === undefined || value === 'error' || value === 'input') return value;
  throw new UsageError(`--unmocked must be error or input, got '${value}'`);
}

/** Reads --input: inline JSON, or @file. @internal */
export function readInput(value: string | undefined): JsonValue {
  if (value === undefined) return {};
  if (value.startsWith('@')) {
    const file = value.slice(1);
    return parseJsonText(readTextFile(file, 'input file', INPUT_LIMIT), `input file ${file}`) as JsonValue;
  }
  const bytes = Buffer.byteLength(value);
  if (bytes > INPUT_LIMIT.bytes) throw new UsageError(`--input is ${bytes.toLocaleString('en-US')} bytes, too large: ${INPUT_LIMIT.why}`);
  try {
    return JSON.parse(value) as JsonValue;
  } catch (e) {
    throw new UsageError(`--input is not valid JSON (${(e as Error).message}); quote it for the shell, e.g. --input '{"orderId":"o-1"}', or pass a file with --input @input.json`);
  }
}

function textReport(result: ExecutionResult, history: boolean): string {
  const lines = [`Status: ${result.status}`];
  if (result.status === 'SUCCEEDED') {
    lines.push(`Output: ${printableJson(JSON.stringify(result.output ?? null, null, 2))}`);
  } else if (result.status === 'TIMED_OUT' && result.error === undefined) {
    // AWS records a timeout without error or cause; how long the execution ran says which limit it hit.
    lines.push(`After:  ${(result.stopDate.getTime() - result.startDate.getTime()) / 1000} s of virtual time`);
  } else {
    lines.push(`Error:  ${result.error === undefined ? '(none)' : printable(result.error)}`);
    // A cause of several lines (a refused mock's) is printed as lines, each after the first indented under it.
    if (result.cause !== undefined) lines.push(`Cause:  ${indented(result.cause)}`);
  }
  lines.push(`Path:   ${result.path.length ? result.path.map(printable).join(' -> ') : '(no state entered)'}`);
  lines.push(...childLines(childFailuresOf(result)));
  lines.push(...adviceLines(adviceOf(result)));
  if (history) {
    lines.push('History:');
    const width = String(result.history.length).length;
    for (const e of result.history) {
      const state = stateOf(e);
      lines.push(`  ${String(e.id).padStart(width)} ${e.type}${state === undefined ? '' : ` (${printable(state)})`}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Others' text of several lines: control characters escaped but the line breaks, each line after the first indented by 8. */
function indented(text: string): string {
  return printableLines(text).replace(/\n/g, '\n        ');
}

/** Failed child executions of Distributed Maps printed, the rest counted: --json lists them all. */
const CHILDREN_PRINTED = 3;

/**
 * The failed child executions of the run's Distributed Maps, one a line group: `Child:` with the
 * Map, the child's name and its own error and cause, which the run's error (the Map's) hides.
 */
function childLines(failures: readonly ChildExecutionFailure[]): string[] {
  const lines = failures.slice(0, CHILDREN_PRINTED).map((f) => {
    const error = f.error === undefined ? 'no error' : printable(f.error);
    return `Child:  ${printable(f.name)} of Map '${printable(f.mapState)}' failed with ${error}${f.cause === undefined ? '' : `\n        Cause: ${indented(f.cause)}`}`;
  });
  if (failures.length > CHILDREN_PRINTED) lines.push(`Child:  … and ${failures.length - CHILDREN_PRINTED} more failed (--json lists them)`);
  return lines;
}

/** The run's advice, one entry a line group: `Advice: <message>`. */
function adviceLines(advice: readonly RunAdvice[]): string[] {
  return advice.map((a) => `Advice: ${indented(a.message)}`);
}

/** The cost of a run as --json prints it. */
interface CostReport {
  readonly region: string;
  /** The Standard figures, with the counts they come from. */
  readonly standard: StandardRunCost & { readonly statesEntered: number; readonly retries: number; readonly childExecutionsStarted: number };
  readonly express?: ExpressRunCost;
}

/** The cost of the run for --json: the numbers of RunCost, without the breakdown's internals. */
function costReport(c: RunCost): CostReport {
  return {
    region: c.region,
    standard: {
      ...c.standard, statesEntered: c.usage.statesEntered, retries: c.usage.retries, childExecutionsStarted: c.usage.childExecutionsStarted,
    },
    ...(c.express ? { express: c.express } : {}),
  };
}

/** One line: what the run would cost as each type. */
function costLine(c: RunCost): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to --cost (as RunResult.cost() defers cost/)
  const { usd } = require('../cost') as typeof import('../cost');
  const u = c.usage;
  const standard = `Cost:   STANDARD ${c.standard.stateTransitions} state transitions (${u.statesEntered} states entered, ${u.retries} retries`
    + `${u.childExecutionsStarted ? `, ${u.childExecutionsStarted} child executions` : ''}) ${usd(c.standard.usd)}`;
  const express = c.express
    ? `        EXPRESS 1 request, ${c.express.billedDurationMs} ms billed at ${c.express.billedMemoryMb} MB ${usd(c.express.usd)} (${c.region})`
    : `        EXPRESS ${c.expressUnpriced}`;
  return `${standard}\n${express}`;
}
