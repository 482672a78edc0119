import { printableMessage, type RunAdvice } from './validation';
import type { JsonValue } from '../../asl';
import { misplacedStatus, mistypedStatus } from '../../asl/answer-outcomes';
import type { TaskRequest } from '../../interpreter';
import type { TaskAnswer } from '../../interpreter/execution-types';

/*
 * Advice on a Task's answer that holds a job's failing end where the Task does not read it, or
 * reads it in a form the service never writes (`"failed"` for Glue's `FAILED`, an exit code as text): a
 * `.sync` answer given as the service's describe call wraps the job (`{ JobRun: { JobRunState:
 * "FAILED" } }` for Glue, `{ Jobs: [{ Status: "FAILED" }] }` for Batch, `{ Tasks: [{ Containers:
 * [{ ExitCode: 1 }] }] }` for ECS), where AWS's answer is the
 * job itself and the Task reads its end there alone (asl/answer-outcomes.ts, from the catalogue).
 * A field's name in the answer is quoted as every door prints it (printableMessage).
 * AWS decides nothing here: the Task succeeds with such an answer, as the judge AWS applies would
 * let it, and the advice says what the answer most likely meant, so that a run its author meant
 * to fail is not green unremarked.
 */

/** What to tell of an answer holding a failing status out of the Task's reach, or undefined. @internal */
export function answerShapeAdvice(stateName: string, resource: string, answer: JsonValue): RunAdvice | undefined {
  const hit = misplacedStatus(resource, answer);
  if (hit === undefined) return mistypedAdvice(stateName, resource, answer);
  const field = hit.read.slice(hit.read.lastIndexOf('.') + 1);
  return {
    state: stateName,
    message: printableMessage(`The answer of Task '${stateName}' holds ${field} ${JSON.stringify(hit.value)} at ${hit.found}, but the Task (${resource}) `
      + `reads how its job ended at ${hit.read} alone, as AWS does, so it succeeds with this answer. For the job to end so, `
      + `answer ${JSON.stringify(hit.failing)}.`),
  };
}

/** What to tell of an answer whose job state is a failing one in a case the service never writes, or undefined. */
function mistypedAdvice(stateName: string, resource: string, answer: JsonValue): RunAdvice | undefined {
  const hit = mistypedStatus(resource, answer);
  if (hit === undefined) return undefined;
  return {
    state: stateName,
    message: printableMessage(`The answer of Task '${stateName}' gives ${JSON.stringify(hit.value)} at ${hit.read}, a value the service never `
      + `writes so: it writes ${JSON.stringify(hit.meant)}, which fails the Task (${resource}) with States.TaskFailed. `
      + `As given, the Task succeeds; for the job to end so, answer ${JSON.stringify(hit.meant)}.`),
  };
}

/** `answer` as it is, after telling `add` what answerShapeAdvice finds in it, if anything. @internal */
export function withShapeAdvice(request: Pick<TaskRequest, 'stateName' | 'resource'>, answer: TaskAnswer, add: (advice: RunAdvice) => void): TaskAnswer {
  const advice = answer === undefined ? undefined : answerShapeAdvice(request.stateName, request.resource, answer);
  if (advice !== undefined) add(advice);
  return answer;
}
