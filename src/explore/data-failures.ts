import { applyWrites } from './choices';
import type { Attempt, Exploration, RunRecord } from './context';
import { parseBindingPath } from './solve';
import { dataErrorsOf, type DataError } from './verify-data';
import type { Visit } from './visits';
import type { StateMachineDefinition } from '../asl';
import { errorMatches } from '../asl/error-rules';
import { StatesErrors } from '../asl/states-errors';

/*
 * A state's own data errors as a way to its Catch: a ResultPath that does not fit the state's
 * input fails the state with States.ResultPathMatchFailure, which its Catch takes like any other
 * error (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html), with
 * no Task failing. Which states can raise which errors is verify's one reading of the definition
 * (verify-data.ts); here explore writes the input that raises one.
 */

const known = new WeakMap<StateMachineDefinition, Map<string, DataError[]>>();

function dataErrors(x: Exploration): Map<string, DataError[]> {
  let all = known.get(x.def);
  if (!all) known.set(x.def, all = dataErrorsOf(x.def));
  return all;
}

/** The data error of a state's own processing that its Catch[index] is the first to take, if any. */
export function caughtDataError(x: Exploration, state: string, index: number): DataError | undefined {
  const catches = x.states.get(state)?.def.Catch ?? [];
  return (dataErrors(x).get(state) ?? [])
    .find((e) => e.own && catches.findIndex((c) => errorMatches(c.ErrorEquals ?? [], e.error)) === index);
}

/** A string where a ResultPath needs an object: AWS cannot write a field into it. */
const NOT_AN_OBJECT = 'text';

/**
 * Makes a state's visit raise its data error `e`: for a JSONPath ResultPath, the input gets a
 * string where the path's last field would be written. Other data errors give a reason naming
 * what raises them.
 */
export async function dataFailurePlan(x: Exploration, rec: RunRecord, v: Visit, e: DataError): Promise<Attempt> {
  const info = x.states.get(v.name);
  const rp = info?.def.ResultPath;
  if (info === undefined || e.error !== StatesErrors.RESULT_PATH_MATCH_FAILURE || info.language !== 'JSONPath' || typeof rp !== 'string') {
    return { reason: `'${v.name}' can fail with ${e.error} (${e.where}), and explore does not make the value that raises it` };
  }
  const parsed = parseBindingPath(rp);
  if ('error' in parsed || parsed.root.kind !== 'input' || parsed.steps.length === 0) {
    return { reason: `'${v.name}' can fail with ${e.error} (${e.where}), and explore cannot write under that path` };
  }
  const prefix = parsed.steps.slice(0, -1);
  const attempt = await applyWrites(x, rec, [{ source: x.provenanceOf(rec).rawInput(v, prefix), value: NOT_AN_OBJECT }]);
  if ('reason' in attempt) return { reason: `'${v.name}' can fail with ${e.error} (${e.where}), and ${attempt.reason}` };
  return { ...attempt, writes: `${attempt.writes}, so that the ResultPath ${rp} of '${v.name}' fails with ${e.error}` };
}
