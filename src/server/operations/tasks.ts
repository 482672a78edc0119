/* Task tokens: the answers of callback tasks and activity workers (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat). */
import { ApiErrors } from '../../asl/api-errors';
import type { Execution } from '../../interpreter';
import { INVALID_TOKEN_MESSAGE, isTaskTokenForm, taskDoesNotExistMessage, type SendTaskCall } from '../../workbench/mocks/task-tokens';
import { ApiError } from '../api-errors';
import type { TokenRecord } from '../model';
import type { StepFunctionsService } from '../service';
import type { TokenHolder } from '../tasks';
import { parseJson } from '../values';
import type { AnswerOf, RequestOf } from './operation-table';

export async function sendTaskSuccess(s: StepFunctionsService, p: RequestOf<'SendTaskSuccess'>): Promise<AnswerOf<'SendTaskSuccess'>> {
  const token = p.taskToken!;
  const outputText = p.output!;
  // A token never issued is refused before its output is read (recorded: sendTaskSuccess of
  // 'NoSuchTaskToken' with the output 'ParameterOutput', TestTaskServiceAwsSdk_test_sfn_send_task_outcome_with_no_such_token).
  refuseInvalidToken(token);
  // Its size, in bytes of UTF-8, the request's model has checked (validation/request.ts, UTF8_SIZED).
  const output = parseJson(outputText, 'output', ApiErrors.InvalidOutput);
  const entry = deliver(await taskTokenHolder(s, token), (e) => e.sendTaskSuccess(token, output));
  await s.persist({ t: 'callback', token, ok: true, output, arn: entry.record.arn });
  return {};
}

export async function sendTaskFailure(s: StepFunctionsService, p: RequestOf<'SendTaskFailure'>): Promise<AnswerOf<'SendTaskFailure'>> {
  const { taskToken, error, cause } = p;
  const token = taskToken!;
  const entry = deliver(await taskTokenHolder(s, token), (e) => e.sendTaskFailure(token, error, cause));
  await s.persist({ t: 'callback', token, ok: false, error, cause, arn: entry.record.arn });
  return {};
}

export async function sendTaskHeartbeat(s: StepFunctionsService, p: RequestOf<'SendTaskHeartbeat'>): Promise<AnswerOf<'SendTaskHeartbeat'>> {
  const token = p.taskToken!;
  const entry = deliver(await taskTokenHolder(s, token), (e) => e.sendTaskHeartbeat(token));
  // The execution's time, which a replay after a restart moves to (see ExecutionClock.replayTo).
  await s.persist({ t: 'heartbeat', token, at: entry.record.clock.now(), arn: entry.record.arn });
  return {};
}

/**
 * What an `aws-sdk:sfn:sendTask*` Task of a served execution sends (workbench/mocks/send-task.ts),
 * sent through the operation the API answers, as the SDK call of a Task reaches Step Functions:
 * the same token lookup, delivery, refusals and journal. Its refusal is an ApiError, which the
 * dispatcher turns into the Task's failure.
 * @internal
 */
export async function sendTask(s: StepFunctionsService, call: SendTaskCall): Promise<void> {
  const taskToken = call.taskToken;
  switch (call.operation) {
    case 'SendTaskSuccess': await sendTaskSuccess(s, { taskToken, output: call.output ?? '' }); return;
    case 'SendTaskFailure': await sendTaskFailure(s, { taskToken, error: call.error, cause: call.cause }); return;
    case 'SendTaskHeartbeat': await sendTaskHeartbeat(s, { taskToken }); return;
  }
}

async function taskTokenHolder(s: StepFunctionsService, token: string): Promise<TokenHolder> {
  refuseInvalidToken(token);
  // After a restart, a waiting execution re-issues its token as it replays: give it a moment.
  const holder = await s.router.find(token, s.replay.tokenWaitMs());
  // A token no task holds, or one whose task ended before the last the router remembers (docs/limits.md, "Callbacks").
  if (!holder) throw new ApiError(ApiErrors.TaskDoesNotExist, taskDoesNotExistMessage(token));
  return holder;
}

/** SendTask*'s words for a token whose task is over (recorded: SendTaskFailure of a token used once, aws-samples/amazon-mwaa-examples issue 61). */
const TASK_OVER_MESSAGE = "Task Timed Out: 'Provided task does not exist anymore'";

function refuseInvalidToken(token: string): void {
  // AWS's words name no token (recorded: SendTaskHeartbeat of 'FakeTaskToken', aws_api_step_functions' tests).
  if (!isTaskTokenForm(token)) throw new ApiError(ApiErrors.InvalidToken, INVALID_TOKEN_MESSAGE);
}

/**
 * Sends the answer to the execution whose Task waits on the token, and returns its record; a
 * closed task's token has its values checked, then is refused (TaskTimedOut), as the execution
 * would refuse it.
 */
function deliver(holder: TokenHolder, send: (e: Pick<Execution, 'sendTaskSuccess' | 'sendTaskFailure' | 'sendTaskHeartbeat'>) => void): TokenRecord {
  const entry = 'open' in holder ? holder.open : undefined;
  entry?.record.clock.goLive();
  try {
    send('open' in holder ? holder.open.execution : holder.closed);
  } catch (e) {
    // The execution issued this token (the router found it), so either name means its task is over. AWS's
    // words name no token (recorded: SendTaskFailure of a token used once, aws-samples/amazon-mwaa-examples issue 61).
    const name = (e as Error).name;
    if (name === ApiErrors.TaskTimedOut || name === ApiErrors.TaskDoesNotExist) throw new ApiError(ApiErrors.TaskTimedOut, TASK_OVER_MESSAGE);
    // The execution refuses what AWS refuses (output nested past its bound, say), under AWS's names.
    if (name === ApiErrors.InvalidOutput || name === ApiErrors.ValidationException) throw new ApiError(name, (e as Error).message);
    throw e;
  }
  // A closed task refuses every answer (CLOSED_TASK throws): never reached for one.
  if (!entry) throw new ApiError(ApiErrors.TaskTimedOut, TASK_OVER_MESSAGE);
  return entry;
}
