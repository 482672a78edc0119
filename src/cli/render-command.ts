import * as path from 'node:path';
import { parseCommandArgs, oneDefinition, parametersOf } from './args';
import { CliError, outputFiles, UsageError } from './cli-error';
import type { Streams } from './streams';
import { printable } from './terminal';
import { exportForWorkflowStudio, renderHtml, renderMermaid, renderSvg, RenderError, type ExecutionData, type RenderOptions } from '../render';
import { loadOneMachine, readJsonFile } from '../workbench/commands';
import { writeOutputFiles } from '../workbench/common/output-files';
import { coverageFor, CoverageSelectError } from '../workbench/coverage/select';

/** @internal */
export const RENDER_USAGE = `Usage: stepwright render <definition> [options]

Draws a state machine, and optionally an execution's path and test coverage
on it, without running anything.

<definition> is an ASL file (.asl.json), a CloudFormation template (JSON) or
a cdk.out directory.

Options:
  --format <format>           mermaid (default): a Mermaid flowchart for Markdown;
                              html: one self-contained page with pan, zoom and state details;
                              svg: the laid-out diagram as a standalone SVG;
                              asl-json | asl-yaml: the definition as Workflow Studio imports it.
  --run <result.json>         Draw an execution: \`stepwright run --json [--history]\` output,
                              an execution result with its history, or
                              \`aws stepfunctions get-execution-history\` output.
  --coverage <coverage.json>  Draw coverage: the stepwright coverage reporter's JSON report.
  --out <file>                Write to a file instead of standard output.
  --title <text>              Title of the diagram (html and svg: the machine's name
                              from a template, else the file's name).
  --direction TD|LR           Top-down (default) or left-to-right.
  --stack <name>              In a cdk.out: the stack (artifact id, name or display path).
  --state-machine <selector>  In a template or cdk.out: logical id, StateMachineName or construct path.
  --parameter <Name=Value>  A template parameter's value, over its Default (repeatable); also
                            ParameterKey=Name,ParameterValue=Value pairs or file://params.json.
  --config-file <file>      A SAM configuration file whose parameter_overrides give values below
                            --parameter. Default: samconfig.toml beside the template.
  --config-env <env>        The environment of the SAM configuration file. Default: default.
  --help                      Print this help.

Exit codes: 0 written; 1 the definition cannot be drawn; 2 bad usage or an
input that cannot be read.
`;

const SPEC = {
  command: 'render',
  values: ['config-file', 'config-env', 'format', 'run', 'coverage', 'out', 'title', 'direction', 'stack', 'state-machine'],
  lists: ['parameter'],
  flags: ['help'],
};

const FORMATS = ['mermaid', 'html', 'svg', 'asl-json', 'asl-yaml'] as const;
type Format = typeof FORMATS[number];

/** `stepwright render`. @internal */
export async function renderCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseCommandArgs(args, SPEC, RENDER_USAGE, io);
  if (!parsed) return 0;
  const source = oneDefinition(parsed, 'render');
  const format = (parsed.values.format ?? 'mermaid') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${parsed.values.format}'`);
  const direction = parsed.values.direction?.toUpperCase();
  if (direction !== undefined && direction !== 'TD' && direction !== 'LR') throw new UsageError(`--direction must be TD or LR, got '${parsed.values.direction}'`);
  if (format.startsWith('asl-') && (parsed.values.run !== undefined || parsed.values.coverage !== undefined)) {
    throw new UsageError(`--format ${format} exports the definition only; --run and --coverage apply to mermaid, html and svg`);
  }
  const machine = loadOneMachine(source, { stack: parsed.values.stack, stateMachine: parsed.values['state-machine'], ...parametersOf(parsed, io) });
  const definition = machine.definition;
  let text: string;
  try {
    if (format === 'asl-json' || format === 'asl-yaml') {
      text = exportForWorkflowStudio(definition, format === 'asl-json' ? 'json' : 'yaml');
    } else {
      const options: RenderOptions = {
        ...(parsed.values.run !== undefined ? { run: readJsonFile(parsed.values.run, 'run file') as ExecutionData } : {}),
        ...(parsed.values.coverage !== undefined ? { coverage: coverageFor(readJsonFile(parsed.values.coverage, 'coverage file'), definition, machine.name) } : {}),
        ...(parsed.values.title !== undefined ? { title: parsed.values.title } : {}),
        // The page's title: the machine's name from a template, else the ASL file's name.
        name: machine.name ?? path.basename(source).replace(/(\.asl)?\.json$/i, ''),
        ...(direction !== undefined ? { direction } : {}),
      };
      text = format === 'mermaid' ? renderMermaid(definition, options) : format === 'html' ? renderHtml(definition, options) : renderSvg(definition, options);
    }
  } catch (e) {
    if (e instanceof RenderError) throw new CliError(`${machine.label}: ${e.message}`, 1);
    if (e instanceof CoverageSelectError) throw new CliError(`${parsed.values.coverage}: ${e.message}`, 2);
    throw e;
  }
  if (parsed.values.out === undefined) {
    io.out.write(text);
    return 0;
  }
  // Replaced as a diagram is drawn again, but never through a link, and never into a pipe, which would wait for a reader.
  const out = parsed.values.out;
  outputFiles(() => writeOutputFiles([{ file: out, option: '--out', text }], { command: 'render', force: true }));
  io.err.write(`stepwright render: wrote ${printable(out)}\n`);
  return 0;
}
