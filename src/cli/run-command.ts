import { parseArgs } from './args';
import { CliError, UsageError } from './errors';
import { loadMocks } from './mocks';
import { INPUT_LIMIT, loadOneMachine, parseJsonText, readTextFile } from './sources';
import type { Streams } from './streams';
import { printable, printableJson } from './terminal';
import { DefinitionError } from '../asl/errors';
import { nameProblem } from '../asl/names';
import type { JsonValue } from '../asl/types';
import { InvalidDefinitionError } from '../asl/validate';
import type { HistoryEvent } from '../interpreter/history';
import { InvalidExecutionInputError } from '../interpreter/state-machine';
import type { ExecutionResult } from '../interpreter/types';
import { MockConfigError } from '../testing/mock-config';
import { InvalidMockError, MockKeyError, type Workflow, type WorkflowRun } from '../testing/workflow';

/** @internal */
export const RUN_USAGE = `Usage: stepwright run <definition> [options]

Runs a state machine locally on a virtual clock (Wait, retries and timeouts
take no real time) and prints its status, its output or error and cause, and
the states it entered.

<definition> is an ASL file (.asl.json), a CloudFormation template (JSON) or
a cdk.out directory.

Options:
  --input <json|@file>        Execution input, inline JSON or @path to a JSON file, at most
                              262,144 bytes (256 KiB) as on AWS. Default: {}
  --mocks <file>              Task results: {"<state name or resource ARN>": <value>
                              | {"Return": <value>} | {"Throw": {"Error": "...", "Cause": "..."}}
                              | [<one answer per call>, ...]}, or an AWS MockConfigFile. A list
                              answers one call per entry and must hold a Return or Throw;
                              {"Return": [...]} returns a list.
  --unmocked error|input      What a Task no mock answers does: error fails the run with
                              States.Runtime naming the state; input returns the task input
                              (for lambda:invoke, inside the invoke envelope). Default: error
  --test-case <name>          The MockConfigFile test case to use.
  --mock-state-machine <name> The MockConfigFile state machine, when the file has several.
  --name <name>               Execution name. Default: a generated UUID
  --type STANDARD|EXPRESS     Workflow type. Default: the template's, else STANDARD
  --stack <name>              In a cdk.out: the stack (artifact id, name or display path).
  --state-machine <selector>  In a template or cdk.out: logical id, StateMachineName or construct path.
  --history                   Also print the execution history's event types.
  --json                      Print one JSON object instead of text.
  --help                      Print this help.

Exit codes: 0 SUCCEEDED; 1 FAILED, TIMED_OUT or ABORTED, or the definition is
invalid; 2 bad usage or an input that cannot be read.
`;

const SPEC = {
  command: 'run',
  values: ['input', 'mocks', 'unmocked', 'test-case', 'mock-state-machine', 'name', 'type', 'stack', 'state-machine'],
  flags: ['history', 'json', 'help'],
};

/** `stepwright run`. @internal */
export async function runCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseArgs(args, SPEC);
  if (parsed.flags.has('help')) {
    io.out.write(RUN_USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    throw new UsageError(parsed.positionals.length === 0
      ? "'run' needs a definition: stepwright run <definition.asl.json | template.json | cdk.out>"
      : `'run' takes one definition, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`);
  }
  if (parsed.values.mocks === undefined && parsed.values['test-case'] !== undefined) {
    throw new UsageError('--test-case needs --mocks <MockConfigFile>');
  }
  const type = workflowType(parsed.values.type);
  const unmocked = unmockedPolicy(parsed.values.unmocked);
  const badName = parsed.values.name === undefined ? undefined : nameProblem(parsed.values.name);
  if (badName) throw new UsageError(`--name: ${badName}`);
  const machine = loadOneMachine(parsed.positionals[0], { stack: parsed.values.stack, stateMachine: parsed.values['state-machine'] });
  const input = readInput(parsed.values.input);
  const mocks = parsed.values.mocks === undefined ? {} : loadMocks(parsed.values.mocks, {
    testCase: parsed.values['test-case'],
    stateMachine: parsed.values['mock-state-machine'],
  });
  let workflow: Workflow;
  try {
    workflow = machine.workflow(type);
  } catch (e) {
    if (e instanceof InvalidDefinitionError) throw new CliError(`${machine.label}: ${e.message}`, 1);
    if (e instanceof DefinitionError) throw new CliError(`${machine.label}: the definition cannot run: ${e.message}`, 1);
    throw e;
  }
  let result: WorkflowRun;
  try {
    result = await workflow.run(input, {
      ...mocks,
      ...(unmocked === undefined ? {} : { unmocked }),
      ...(parsed.values.name === undefined ? {} : { name: parsed.values.name }),
    });
  } catch (e) {
    // A mock key that matches no Task, or a MockConfigFile test case for states the machine lacks.
    if (e instanceof MockKeyError || e instanceof InvalidMockError || e instanceof MockConfigError) throw new CliError(`${parsed.values.mocks}: ${e.message}`, 2);
    if (e instanceof InvalidExecutionInputError) throw new CliError(`the input cannot run: ${e.message}`, 2);
    throw e;
  }
  if (parsed.flags.has('json')) io.out.write(`${printableJson(JSON.stringify(jsonReport(result, parsed.flags.has('history')), null, 2))}\n`);
  else io.out.write(textReport(result, parsed.flags.has('history')));
  return result.status === 'SUCCEEDED' ? 0 : 1;
}

/** Reads --type. @internal */
export function workflowType(value: string | undefined): 'STANDARD' | 'EXPRESS' | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (upper !== 'STANDARD' && upper !== 'EXPRESS') throw new UsageError(`--type must be STANDARD or EXPRESS, got '${value}'`);
  return upper;
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

function stateOf(event: HistoryEvent): string | undefined {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value !== null && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') {
      return (value as { name: string }).name;
    }
  }
  return undefined;
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
    if (result.cause !== undefined) lines.push(`Cause:  ${printable(result.cause)}`);
  }
  lines.push(`Path:   ${result.path.length ? result.path.map(printable).join(' -> ') : '(no state entered)'}`);
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

function historyEntry(e: HistoryEvent): Record<string, unknown> {
  const state = stateOf(e);
  return { id: e.id, type: e.type, ...(state === undefined ? {} : { state }) };
}

function jsonReport(result: ExecutionResult, history: boolean): Record<string, unknown> {
  return {
    status: result.status,
    ...(result.status === 'SUCCEEDED' ? { output: result.output ?? null } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.cause !== undefined ? { cause: result.cause } : {}),
    path: result.path,
    executionArn: result.executionArn,
    ...(history ? { history: result.history.map(historyEntry) } : {}),
  };
}
