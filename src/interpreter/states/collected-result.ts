import type { JsonValue } from '../../asl';
import { noteUnrecorded, type AttemptResult, type StateCall } from '../runtime';
import { jsonByteLength, jsonByteLengthWithin } from '../size';

const n = (count: number): string => count.toLocaleString('en-US');

/**
 * A Parallel's or Map's result, its branches' or iterations' outputs collected in one array,
 * checked once the state has made its output from it: when the result is over the payload limit
 * and what the state keeps of it (ResultSelector, ResultPath, OutputPath, or JSONata's Output) is
 * within, the run goes on and notes it (UnrecordedValue). stepwright holds the state's output to
 * the limit, the one the quotas page names ("Maximum input or output size for a task, state, or
 * execution"); whether AWS also fails the state on the result it collected, as it fails a Task on
 * its result whatever ResultPath keeps ("The state/task ... returned a result with a size
 * exceeding the maximum number of bytes service limit"), no recording or page says. A user
 * reports that AWS does, for a DISTRIBUTED Map whose ResultPath and OutputPath are null
 * (aws/aws-cdk#24799, not a recording): docs/fidelity.md, "Values read as a state runs".
 * @internal
 */
export async function checkedCollectedResult(
  call: StateCall, kind: 'Parallel' | 'Map', result: JsonValue, finished: AttemptResult | Promise<AttemptResult>,
): Promise<AttemptResult> {
  const attempt = await finished;
  const max = call.frame.rt.maxPayloadBytes;
  if (max === Infinity || jsonByteLengthWithin(result, max) <= max || jsonByteLengthWithin(attempt.output, max) > max) return attempt;
  const what = kind === 'Parallel' ? 'its branches\' outputs' : 'its iterations\' outputs';
  noteUnrecorded(call.frame.rt, call.stateName, `${kind} state '${call.stateName}' collected a result of ${n(jsonByteLength(result))} bytes (${what}), `
    + `over the ${n(max)}-byte payload limit, which its output of ${n(jsonByteLength(attempt.output))} bytes is within: stepwright holds only the state's `
    + 'output to the limit. Whether AWS fails the state with States.DataLimitExceeded on the result it collected, as it fails a Task on its result '
    + 'whatever ResultPath keeps, is not recorded; a user reports that it does for a DISTRIBUTED Map (aws/aws-cdk#24799). Keep each '
    + `${kind === 'Parallel' ? 'branch\'s' : 'iteration\'s'} output small (its own OutputPath or Output)${kind === 'Map' ? ', or write a Distributed Map\'s results to S3 with a ResultWriter' : ''}.`);
  return attempt;
}
