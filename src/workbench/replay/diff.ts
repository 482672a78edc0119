import type { Recording } from './format';
import { record, withClient, type RecordExecutionOptions } from './record';
import { replay, type ReplayOptions, type ReplayResult } from './replay';
import type { JsonValue } from '../../asl';

/** One input to run on the deployed machine. */
export interface DiffInput {
  /** A name for the report (the file name, say). */
  readonly name: string;
  readonly input: JsonValue;
}

/** Options of {@link diffDeployed}. */
export interface DiffOptions extends RecordExecutionOptions {
  /** How long to wait for each execution to end, in milliseconds. @default 300000 - five minutes */
  readonly timeoutMs?: number;
  /** How often to ask whether it ended, in milliseconds. @default 1000 */
  readonly pollMs?: number;
  /** Options of each local replay (a changed `definition`, normalisation). @default - the recorded definition */
  readonly replay?: ReplayOptions;
  /** Called after each input, for progress output. @default - nothing */
  readonly onProgress?: (row: DiffRow) => void;
}

/** One line of the differential table. */
export interface DiffRow {
  readonly input: string;
  readonly executionArn: string;
  /** The deployed machine's outcome. */
  readonly aws: string;
  /** The local replay's outcome. */
  readonly local: string;
  readonly equal: boolean;
  /** The first difference in words; undefined when equal. */
  readonly difference?: string;
  readonly recording: Recording;
  readonly replay: ReplayResult;
}

/**
 * Runs each input on a deployed state machine (or any endpoint), waits for
 * it to end, records it and replays it locally: one row per input saying
 * whether the local run equals the deployed one, or where it first differs.
 *
 * @example
 * const rows = await diffDeployed(machineArn, [{ name: 'order.json', input: { orderId: 'o-1' } }], { region: 'eu-west-1' });
 * if (rows.some((r) => !r.equal)) process.exitCode = 1;
 */
export async function diffDeployed(stateMachineArn: string, inputs: readonly DiffInput[], options: DiffOptions = {}): Promise<DiffRow[]> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const pollMs = options.pollMs ?? 1_000;
  return withClient(options, async (client, sdk) => {
    const rows: DiffRow[] = [];
    for (const item of inputs) {
      const { executionArn } = await client.send(new sdk.StartExecutionCommand({ stateMachineArn, input: JSON.stringify(item.input) }));
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { status } = await client.send(new sdk.DescribeExecutionCommand({ executionArn }));
        if (status !== 'RUNNING') break;
        if (Date.now() >= deadline) throw new Error(`execution ${executionArn} of input '${item.name}' was still RUNNING after ${timeoutMs} ms; raise timeoutMs (--timeout <seconds> on the command line)`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
      }
      const recording = await record(executionArn!, { ...options, client });
      const result = await replay(recording, options.replay);
      const outcome = (status: string, error?: string): string => (error === undefined ? status : `${status} (${error})`);
      const row: DiffRow = {
        input: item.name,
        executionArn: executionArn!,
        aws: outcome(recording.execution.status, recording.execution.error),
        local: outcome(result.run.status, result.run.error),
        equal: result.equal && result.unanswered.length === 0,
        ...(result.equal && result.unanswered.length === 0 ? {} : { difference: result.divergence?.message ?? result.describe() }),
        recording,
        replay: result,
      };
      rows.push(row);
      options.onProgress?.(row);
    }
    return rows;
  });
}

/** The rows as a text table: input, AWS outcome, local outcome, and "equal" or the first difference. */
export function diffTable(rows: readonly DiffRow[]): string {
  const header = ['input', 'AWS', 'local', 'result'];
  const cells = rows.map((r) => [r.input, r.aws, r.local, r.equal ? 'equal' : (r.difference ?? '').split('\n').map((l) => l.trim()).join(' | ')]);
  const width = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(width[i]))).join('  ');
  return [line(header), ...cells.map(line)].join('\n');
}
