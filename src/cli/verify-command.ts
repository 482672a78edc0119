import { parseCommandArgs, oneDefinition } from './args';
import { CliError, UsageError } from './cli-error';
import { readInput, workflowType } from './run-command';
import type { Streams } from './streams';
import { printable, printableJson } from './terminal';
import type { JsonValue } from '../asl';
import { DefinitionError } from '../asl/states-errors';
import { InvalidDefinitionError } from '../asl/validate';
import { PropertyError, type VerifyReport } from '../explore';
import { loadOneMachine, readJsonFile } from '../workbench/commands';
import { loadPropertyModule } from '../workbench/commands/verify';
import { InvalidMockError, MockKeyError } from '../workbench/mocks';
import { MockJsonError } from '../workbench/mocks/json';

/** @internal */
export const VERIFY_USAGE = `Usage: stepwright verify <definition> --property <module> [options]

Checks each property the module exports over every path of the state machine:
explore's search makes the runs (inputs and Task answers that reach every
state, transition, Choice rule, Retry and Catch), and each property gets a
verdict:
  VIOLATED  a run breaks it: its counterexample (input, mocks, path) was run
            again from its mocks, as \`stepwright run --input … --mocks …\` runs it
  HOLDS     explore reached or proved unreachable every goal, and the property
            holds on every path of the machine's graph
  UNKNOWN   neither: the reason says what was not covered and what to give

<module> is a CommonJS or ES module exporting its properties by name: each
built with Property from stepwright/testing, written as data
({ "kind": "never", "state": "Ship" }), or a function (run) => boolean.

Options:
  --property <module>         The property module (required).
  --state-machine <selector>  In a template or cdk.out: logical id, StateMachineName or construct path.
  --stack <name>              In a cdk.out: the stack.
  --type STANDARD|EXPRESS     Workflow type. Default: the template's, else STANDARD
  --input <json|@file>        The input the search starts from. Default: {}
  --mocks <file>              Answers to use as given, not made up, in the --mocks format of run.
  --s3-dir <dir>              A local S3 folder a Distributed Map's ItemReader reads (only read).
  --budget-seconds <s>        Time the search may take. Default: 30
  --seed <n>                  Seed of the runs' random source. Default: 0
  --json                      Print one object keyed by property name: verdict, reason, and for
                              VIOLATED a counterexample with input, mocks and path.
  --help                      Print this help.

Exit codes: 0 no property VIOLATED; 1 some property VIOLATED, or the definition
is invalid; 2 bad usage or input that cannot be read.
`;

const SPEC = {
  command: 'verify',
  values: ['property', 'state-machine', 'machine', 'stack', 'type', 'input', 'mocks', 's3-dir', 'budget-seconds', 'seed'],
  flags: ['json', 'help'],
};

/** `stepwright verify`. @internal */
export async function verifyCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseCommandArgs(args, SPEC, VERIFY_USAGE, io);
  if (!parsed) return 0;
  const definition = oneDefinition(parsed, 'verify', ' --property <module>');
  const v = parsed.values;
  if (v.property === undefined) throw new UsageError('verify needs --property <module>: a module exporting the properties to check by name');
  const type = workflowType(v.type);
  let budgetSeconds: number | undefined;
  if (v['budget-seconds'] !== undefined) {
    budgetSeconds = Number(v['budget-seconds']);
    if (v['budget-seconds'].trim() === '' || !Number.isFinite(budgetSeconds) || budgetSeconds <= 0) {
      throw new UsageError(`--budget-seconds must be a positive number, got '${v['budget-seconds']}'`);
    }
  }
  let seed: number | undefined;
  if (v.seed !== undefined) {
    seed = Number(v.seed);
    if (v.seed.trim() === '' || !Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${v.seed}'`);
  }
  const input = readInput(v.input);
  const mocks = v.mocks === undefined ? undefined : readJsonFile(v.mocks, 'mocks file');
  if (mocks !== undefined && (mocks === null || typeof mocks !== 'object' || Array.isArray(mocks))) {
    throw new UsageError(`--mocks ${v.mocks}: expected an object keyed by state name, in the --mocks format of stepwright run`);
  }
  const properties = await loadPropertyModule(v.property);
  const m = loadOneMachine(definition, { stack: v.stack, stateMachine: v['state-machine'] ?? v.machine });
  let report: VerifyReport;
  try {
    const workflow = m.workflow(type);
    report = await workflow.verify(properties, {
      input,
      ...(mocks !== undefined ? { mocks: mocks as Record<string, JsonValue> } : {}),
      ...(budgetSeconds !== undefined ? { budgetSeconds } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(v['s3-dir'] !== undefined ? { s3Dir: v['s3-dir'] } : {}),
    });
  } catch (e) {
    if (e instanceof PropertyError) throw new CliError(`${v.property}: ${e.message}`, 2);
    if (e instanceof InvalidDefinitionError || e instanceof DefinitionError) throw new CliError(`${printable(m.label)}: ${e.message}`, 1);
    if (e instanceof MockKeyError || e instanceof MockJsonError || e instanceof InvalidMockError) throw new CliError(`--mocks ${v.mocks ?? ''}: ${e.message}`, 2);
    throw e;
  }
  const violated = Object.values(report.properties).some((p) => p.verdict === 'VIOLATED');
  if (parsed.flags.has('json')) {
    const out: Record<string, JsonValue> = {};
    for (const [name, p] of Object.entries(report.properties)) {
      out[name] = {
        verdict: p.verdict,
        property: p.property,
        reason: p.reason,
        ...(p.counterexample ? {
          counterexample: {
            input: p.counterexample.input,
            mocks: p.counterexample.mocks,
            path: [...p.counterexample.path],
            status: p.counterexample.status,
            ...(p.counterexample.error !== undefined ? { error: p.counterexample.error } : {}),
          },
        } : {}),
      };
    }
    io.out.write(`${printableJson(JSON.stringify(out, null, 2))}\n`);
  } else {
    const lines = [`${printable(m.label)}: ${report.runs} runs${report.complete ? ', every goal reached or proved unreachable' : ', coverage not complete'}${report.stoppedBy ? ` (stopped by ${report.stoppedBy})` : ''}`];
    for (const [name, p] of Object.entries(report.properties)) {
      lines.push(`  ${p.verdict.padEnd(8)} ${printable(name)}: ${printable(p.property)}`, `           ${printable(p.reason)}`);
      if (p.counterexample) {
        const c = p.counterexample;
        lines.push(
          `           input: ${printable(JSON.stringify(c.input))}`,
          `           mocks: ${printable(JSON.stringify(c.mocks))}`,
          `           path:  ${printable(c.path.join(' -> '))} (${c.status}${c.error !== undefined ? ` ${printable(c.error)}` : ''})`,
        );
      }
    }
    io.out.write(`${lines.join('\n')}\n`);
  }
  return violated ? 1 : 0;
}
