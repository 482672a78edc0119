/* Task tokens: the answers of callback tasks and activity workers (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat). */
import { ApiErrors } from '../../asl/api-errors';
import type { Execution } from '../../interpreter';
import { ApiError } from '../api-errors';
import type { TokenRecord } from '../model';
import type { StepFunctionsService } from '../service';
import { parseJson } from '../values';
import type { AnswerOf, RequestOf } from './operation-table';

export async function sendTaskSuccess(s: StepFunctionsService, p: RequestOf<'SendTaskSuccess'>): Promise<AnswerOf<'SendTaskSuccess'>> {
  const token = p.taskToken!;
  const outputText = p.output!;
  // Its size, in bytes of UTF-8, the request's model has checked (validation/request.ts, UTF8_SIZED).
  const output = parseJson(outputText, 'output', ApiErrors.InvalidOutput);
  const entry = await taskTokenRecord(s, token);
  deliver(entry, (e) => e.sendTaskSuccess(token, output));
  await s.persist({ t: 'callback', token, ok: true, output });
  return {};
}

export async function sendTaskFailure(s: StepFunctionsService, p: RequestOf<'SendTaskFailure'>): Promise<AnswerOf<'SendTaskFailure'>> {
  const { taskToken, error, cause } = p;
  const token = taskToken!;
  const entry = await taskTokenRecord(s, token);
  deliver(entry, (e) => e.sendTaskFailure(token, error, cause));
  await s.persist({ t: 'callback', token, ok: false, error, cause });
  return {};
}

export async function sendTaskHeartbeat(s: StepFunctionsService, p: RequestOf<'SendTaskHeartbeat'>): Promise<AnswerOf<'SendTaskHeartbeat'>> {
  const token = p.taskToken!;
  const entry = await taskTokenRecord(s, token);
  deliver(entry, (e) => e.sendTaskHeartbeat(token));
  // The execution's time, which a replay after a restart moves to (see ExecutionClock.replayTo).
  await s.persist({ t: 'heartbeat', token, at: entry.record.clock.now() });
  return {};
}

async function taskTokenRecord(s: StepFunctionsService, token: string): Promise<TokenRecord> {
  // AWS's words name no token (recorded: SendTaskHeartbeat of 'FakeTaskToken', aws_api_step_functions' tests).
  if (!/^[0-9a-f-]{36}-[0-9a-z]+$/.test(token)) throw new ApiError(ApiErrors.InvalidToken, "Invalid Token: 'Invalid token'");
  // After a restart, a waiting execution re-issues its token as it replays: give it a moment.
  const entry = await s.router.find(token, s.replay.tokenWaitMs());
  if (!entry) throw new ApiError(ApiErrors.TaskDoesNotExist, `Task Does Not Exist: no task holds the token '${token}'`);
  return entry;
}

function deliver(entry: TokenRecord, send: (e: Execution) => void): void {
  entry.record.clock.goLive();
  try {
    send(entry.execution);
  } catch (e) {
    // The execution issued this token (the router found it), so either name means its task is over. AWS's
    // words name no token (recorded: SendTaskFailure of a token used once, aws-samples/amazon-mwaa-examples issue 61).
    const name = (e as Error).name;
    if (name === ApiErrors.TaskTimedOut || name === ApiErrors.TaskDoesNotExist) throw new ApiError(ApiErrors.TaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'");
    // The execution refuses what AWS refuses (output nested past its bound, say), under AWS's names.
    if (name === ApiErrors.InvalidOutput || name === ApiErrors.ValidationException) throw new ApiError(name, (e as Error).message);
    throw e;
  }
}
