import { parseCommandArgs } from './args';
import { CliError, UsageError } from './cli-error';
import type { Streams } from './streams';
import { printable, printableJson, printableLines } from './terminal';
import { InvalidDefinitionError } from '../asl/validate';
import { DATA_FILE_LIMIT, parseJsonText, readTextFile } from '../workbench/commands';
import { parseRecording, replay, RecordingError, type Recording, type ReplayResult } from '../workbench/replay';

/** @internal */
export const REPLAY_USAGE = `Usage: stepwright replay <recording.json...> [options]

Runs each recorded execution locally, answering every Task with the result,
error or timeout it had when recorded, and checks that the outcome, the
output and the sequence of states are the same. Prints "equal", or the first
difference, AWS and local side by side, and below either what the replay had to
assume (a warning).

Options:
  --definition <file>   Run this ASL definition instead of the recorded one: would the
                        recorded traffic still succeed? Tasks it calls that the
                        recording has no answer for are listed.
  --json                Print one JSON object per recording instead of text.
  --help                Print this help.

Exit codes: 0 every replay equals its recording; 1 some differ; 2 bad usage or
a file that cannot be read.
`;

const SPEC = { command: 'replay', values: ['definition'], flags: ['json', 'help'] };

/** `stepwright replay`. @internal */
export async function replayCommand(args: readonly string[], io: Streams): Promise<number> {
  const parsed = parseCommandArgs(args, SPEC, REPLAY_USAGE, io);
  if (!parsed) return 0;
  if (parsed.positionals.length === 0) throw new UsageError("'replay' needs a recording: stepwright replay <recording.json> (make one with 'stepwright record')");
  const definitionFile = parsed.values.definition;
  const definition = definitionFile === undefined ? undefined : readTextFile(definitionFile, 'definition');
  if (definition !== undefined) parseJsonText(definition, definitionFile!);
  let differ = 0;
  for (const file of parsed.positionals) {
    let result: ReplayResult;
    try {
      result = await replay(readRecording(file), definition === undefined ? {} : { definition });
    } catch (e) {
      if (e instanceof RecordingError) throw new CliError(`${file}: ${e.message}`, 2);
      // JSON text nested in JSON text, again and again, can still run deeper than the stack.
      if (e instanceof RangeError && /call stack/.test(e.message)) throw new CliError(`${file}: the recording nests its data too deeply to replay (${e.message})`, 2);
      if (e instanceof InvalidDefinitionError) throw new CliError(`${parsed.values.definition ?? file}: ${e.message}`, 1);
      throw e;
    }
    const equal = result.equal && result.unanswered.length === 0;
    if (!equal) differ++;
    if (parsed.flags.has('json')) {
      io.out.write(`${printableJson(JSON.stringify({
        file,
        equal,
        ...(result.divergence ? { divergence: { kind: result.divergence.kind, message: result.divergence.message } } : {}),
        unanswered: result.unanswered,
        status: result.run.status,
        ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
      }))}\n`);
    } else {
      // An equal replay may still rest on a guess (whether the Context Object had RedriveCount): its warnings are printed too.
      const details = equal ? result.warnings.map((w) => `warning: ${w}`).join('\n') : result.describe();
      io.out.write(`${printable(file)}: ${equal ? 'equal' : 'DIFFERS'}\n${details === '' ? '' : `${indent(printableLines(details))}\n`}`);
    }
  }
  return differ === 0 ? 0 : 1;
}

/**
 * The recording in a file, its JSON parsed once: a recording may be 256 MiB, whose text and
 * values took 1 GB and 20 s parsed twice; its text is let go before the replay runs.
 */
function readRecording(file: string): Recording {
  return parseRecording(parseJsonText(readTextFile(file, 'recording', DATA_FILE_LIMIT), file));
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
