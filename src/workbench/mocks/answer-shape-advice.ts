import { contracts } from './lazy-contracts';
import { printableMessage, type RunAdvice } from './validation';
import type { JsonValue } from '../../asl';
import { misplacedStatus, mistypedStatus, statelessJob, undecidedEnd, unendedStatus } from '../../asl/answer-outcomes';
import { isLambdaInvoke, taskResource } from '../../asl/task-resource';
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

/**
 * What to tell of an answer holding a failing status out of the Task's reach, or no job state at all
 * (unless `echoed`: the Task's input given back), or undefined. @internal
 */
export function answerShapeAdvice(stateName: string, resource: string, answer: JsonValue, echoed = false): RunAdvice | undefined {
  const hit = misplacedStatus(resource, answer);
  if (hit === undefined) {
    return mistypedAdvice(stateName, resource, answer) ?? unendedAdvice(stateName, resource, answer) ?? undecidedAdvice(stateName, resource, answer)
      ?? (echoed ? undefined : statelessAdvice(stateName, resource, answer)) ?? childDocumentAdvice(stateName, resource, answer)
      ?? lambdaStatusAdvice(stateName, resource, answer);
  }
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

/**
 * What to tell of a `.sync` answer whose job has not ended (Batch's `RUNNABLE`, a child's `RUNNING`),
 * or undefined. Step Functions waits for the job to end ("Call a service and have Step Functions
 * wait for a job to complete", the Run a Job pattern, connect-to-resource.html#connect-sync), so
 * the answer a `.sync` Task gets is its job's end: AWS never answers with one still running. Advice,
 * never a failure: the answer stays the Task's result.
 */
function unendedAdvice(stateName: string, resource: string, answer: JsonValue): RunAdvice | undefined {
  const hit = unendedStatus(resource, answer);
  if (hit === undefined) return undefined;
  const failing = hit.failing.length === 0 ? '' : `, or ${hit.failing.map((s) => JSON.stringify(s)).join(' or ')} at ${hit.read} for the job to fail the Task`;
  return {
    state: stateName,
    message: printableMessage(`The answer of Task '${stateName}' gives ${JSON.stringify(hit.value)} at ${hit.read}, a job that has not ended: `
      + `a ${resource} Task waits until its job ends before it answers (the Run a Job pattern), so AWS never answers with it. `
      + `As given, the Task succeeds with it as its result; answer with the job as it ended: ${JSON.stringify(hit.ended)}${failing}.`),
  };
}

/**
 * What to tell of a `.sync` answer whose job ended in a state its service lists that no page ties
 * to the Task's outcome (an EMR cluster `TERMINATED`, a SageMaker job `Deleting`), or undefined.
 * AWS's behaviour is unknown: the answer stays the Task's result, never a failure on a guess, and
 * the run is told how to answer for either end (docs/fidelity.md, the .sync jobs service by service).
 */
function undecidedAdvice(stateName: string, resource: string, answer: JsonValue): RunAdvice | undefined {
  const hit = undecidedEnd(resource, answer, (described) => contracts().listedJobStates(described));
  if (hit === undefined) return undefined;
  return {
    state: stateName,
    message: printableMessage(`The answer of Task '${stateName}' gives ${JSON.stringify(hit.value)} at ${hit.read}, a state its service lists `
      + `that no AWS page or recording ties to how a ${resource} Task ends, so the run takes it as the Task's result (AWS may fail the Task). `
      + `Answer ${JSON.stringify(hit.succeeded)} for a job that succeeded, or ${hit.failing.map((s) => JSON.stringify(s)).join(' or ')} `
      + `at ${hit.read} for one that fails the Task.`),
  };
}

/**
 * What to tell of a `.sync` answer that holds no job state where the Task reads one (Glue's
 * `{ "JobRunId": "jr_1" }`, a `{}`), or undefined. Step Functions answers a Run a Job Task once the
 * job has ended, with the job as the service describes it (connect-to-resource.html#connect-sync),
 * so AWS never answers without the job's state: the run is green without saying how the job ended.
 * Advice, never a failure: the answer stays the Task's result.
 */
function statelessAdvice(stateName: string, resource: string, answer: JsonValue): RunAdvice | undefined {
  const hit = statelessJob(resource, answer);
  if (hit === undefined) return undefined;
  const failing = hit.failing.map((s) => JSON.stringify(s)).join(' or ');
  return {
    state: stateName,
    message: printableMessage(`The answer of Task '${stateName}' gives no job state at ${hit.read.join(' or ')}: a ${resource} Task answers `
      + 'once its job has ended, with the job as the service describes it (the Run a Job pattern), so AWS never answers without it. '
      + `As given, the Task succeeds with it as its result; answer with the job as it ended: ${JSON.stringify(hit.ended)}, `
      + `or ${failing} at ${hit.read[0]} for the job to fail the Task.`),
  };
}

/**
 * A `states:startExecution.sync` (version 1) answer holds the child's Input and Output as JSON
 * text, as AWS recorded (`"Output": "{\"Arg1\":\"argument1\"}"`, ../shared/conformance
 * credentials/TestCredentialsBase_test_cross_account_states_start_sync_execution), and as a child run
 * here answers (workbench/workflow/nested.ts); `.sync:2` holds them as JSON. An answer giving one
 * as an object or a list is one AWS never gives: a state that reads into it (`$.Output.orderId`)
 * reads it here, where on AWS it reads into text and fails. The answer stays as given (advice).
 */
const CHILD_DOCUMENTS = ['Output', 'Input'];

function childDocumentAdvice(stateName: string, resource: string, answer: JsonValue): RunAdvice | undefined {
  const r = taskResource(resource);
  if (r.kind !== 'optimized' || r.service !== 'states' || r.action !== 'startExecution' || r.pattern !== 'sync') return undefined;
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return undefined;
  const field = CHILD_DOCUMENTS.find((f) => Object.hasOwn(answer, f) && answer[f] !== null && typeof answer[f] === 'object');
  if (field === undefined) return undefined;
  return {
    state: stateName,
    message: printableMessage(`The answer of Task '${stateName}' gives ${field} as JSON, where a ${resource} answer holds the child's ${field} `
      + `as JSON text (${JSON.stringify(JSON.stringify(answer[field]))}): a state that reads into it ($.${field}.…) reads it here, but reads `
      + 'into text on AWS and fails. Give it as text, or call states:startExecution.sync:2, whose answer holds it as JSON.'),
  };
}

/**
 * Lambda answers an invoke it ran with a status "in the 200 range" (200, 202 for an Event
 * invocation, 204 for a DryRun: the Invoke API reference, StatusCode); a status outside it comes
 * with an error, which the Task raises (`Lambda.ServiceException` for a 500). An answer holding one
 * is an answer AWS never gives: a Choice on it routes a run no real invoke takes.
 */
const LAMBDA_STATUS_RANGE: readonly [number, number] = [200, 299];

function lambdaStatusAdvice(stateName: string, resource: string, answer: JsonValue): RunAdvice | undefined {
  const r = taskResource(resource);
  if (!isLambdaInvoke(r) || r.suffix !== undefined || answer === null || typeof answer !== 'object' || Array.isArray(answer)) return undefined;
  const status = answer.StatusCode;
  if (typeof status !== 'number' || (status >= LAMBDA_STATUS_RANGE[0] && status <= LAMBDA_STATUS_RANGE[1])) return undefined;
  return {
    state: stateName,
    message: printableMessage(`The answer of Task '${stateName}' gives StatusCode ${status}, which Lambda never answers an invoke with: `
      + `it answers one it ran with a status from ${LAMBDA_STATUS_RANGE[0]} to ${LAMBDA_STATUS_RANGE[1]} (200, 202 for an Event invocation, `
      + '204 for a DryRun), and a failed call with an error the Task raises (a 500 is Lambda.ServiceException). To test that, fail '
      + 'the Task with the error instead; the answer is the Task\'s result as given.'),
  };
}

/**
 * `answer` as it is, after telling `add` what answerShapeAdvice finds in it, if anything. The Task's
 * own input given back (`unmocked: 'input'`, `--unmocked input`) stands for no service's answer:
 * that it holds no job state is not told. @internal
 */
export function withShapeAdvice(request: Pick<TaskRequest, 'stateName' | 'resource'>, answer: TaskAnswer, add: (advice: RunAdvice) => void,
  input?: JsonValue): TaskAnswer {
  const echoed = answer !== null && typeof answer === 'object' && answer === input;
  const advice = answer === undefined ? undefined : answerShapeAdvice(request.stateName, request.resource, answer, echoed);
  if (advice !== undefined) add(advice);
  return answer;
}
