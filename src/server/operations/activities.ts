/* Activities: create, describe, list and delete them, and hand their tasks to workers (GetActivityTask). */
import { ApiErrors } from '../../asl/api-errors';
import { adviser } from '../advice';
import { ApiError, checkName } from '../api-errors';
import { arnOf, parseActivityArn } from '../arns';
import { encryptionMatch, readEncryption, unrecordedEncryptionAdvice, type EncryptionConfiguration } from '../configurations';
import type { ActivityRecord } from '../model';
import { checkQuota } from '../quotas';
import type { RecordOf } from '../records';
import type { StepFunctionsService } from '../service';
import { date, page, tagList } from '../values';
import type { AnswerOf, RequestOf } from './operation-table';
import { adviseOnTags } from './tags';

/** An activity's encryption when CreateActivity gave none, as DescribeActivity shows it (recorded). */
const DEFAULT_ENCRYPTION: EncryptionConfiguration = { type: 'AWS_OWNED_KEY' };

/** How long GetActivityTask waits for a task, as on AWS (in server time). */
const ACTIVITY_POLL_MS = 60_000;

export function createActivity(s: StepFunctionsService, p: RequestOf<'CreateActivity'>): Promise<AnswerOf<'CreateActivity'>> {
  const name = p.name!;
  checkName(name);
  const arn = arnOf(s.options, 'activity', name);
  const tags = tagList(p.tags, arn);
  const advise = adviser(s, 'CreateActivity');
  const encryption = readEncryption(p, advise);
  const existing = s.store.activities.find(arn);
  if (existing) {
    // Idempotent on the name, tags ignored (CreateActivity, API Reference); but "Activity already
    // exists. EncryptionConfiguration may not be updated" (ActivityAlreadyExists, the model).
    const match = encryptionMatch(existing.encryption, encryption ?? DEFAULT_ENCRYPTION);
    if (match === 'other') throw new ApiError(ApiErrors.ActivityAlreadyExists, `Activity Already Exists: '${arn}'`);
    if (match === 'unrecorded') {
      advise(unrecordedEncryptionAdvice('CreateActivity', arn, existing.encryption, ApiErrors.ActivityAlreadyExists));
    }
    return Promise.resolve({ activityArn: arn, creationDate: date(existing.creationDate) });
  }
  checkQuota('activities', s.store.activities.size, s.options.quotas, `Region ${s.options.region}`);
  adviseOnTags(s, 'CreateActivity', arn, tags);
  const record: RecordOf<'activity'> = { t: 'activity', arn, name, at: s.now(), tags, ...(encryption ? { encryption } : {}) };
  const activity = applyCreateActivity(s, record);
  return s.persist(record).then(() => ({ activityArn: arn, creationDate: date(activity.creationDate) }));
}

export function applyCreateActivity(s: StepFunctionsService, r: RecordOf<'activity'>): ActivityRecord {
  const activity: ActivityRecord = {
    arn: r.arn,
    name: r.name,
    creationDate: r.at,
    tags: new Map(r.tags ?? []),
    encryption: r.encryption ?? DEFAULT_ENCRYPTION,
  };
  s.store.activities.add(activity);
  s.store.deletedActivities.delete(r.arn);
  return activity;
}

export function applyDeleteActivity(s: StepFunctionsService, r: RecordOf<'deleteActivity'>): undefined {
  s.store.activities.remove(r.arn);
  s.store.deletedActivities.add(r.arn);
  s.router.releasePollers(r.arn);
  return undefined;
}

export function describeActivity(s: StepFunctionsService, p: RequestOf<'DescribeActivity'>): AnswerOf<'DescribeActivity'> {
  const a = s.store.activity(p.activityArn!);
  return { activityArn: a.arn, name: a.name, creationDate: date(a.creationDate), encryptionConfiguration: a.encryption };
}

export function listActivities(s: StepFunctionsService, p: RequestOf<'ListActivities'>): AnswerOf<'ListActivities'> {
  const all = [...s.store.activities.all()].map((a) => ({ activityArn: a.arn, name: a.name, creationDate: date(a.creationDate) }));
  const { items, nextToken } = page(all, p, 'activities');
  return { activities: items, ...(nextToken ? { nextToken } : {}) };
}

export function deleteActivity(s: StepFunctionsService, p: RequestOf<'DeleteActivity'>): Promise<AnswerOf<'DeleteActivity'>> {
  const arn = parseActivityArn(p.activityArn!);
  if (!s.store.activities.find(arn)) return Promise.resolve({});
  const record: RecordOf<'deleteActivity'> = { t: 'deleteActivity', arn };
  applyDeleteActivity(s, record);
  return s.persist(record).then(() => ({}));
}

export async function getActivityTask(s: StepFunctionsService, p: RequestOf<'GetActivityTask'>, signal: AbortSignal): Promise<AnswerOf<'GetActivityTask'>> {
  const worker = p.workerName;
  const activity = s.store.activity(p.activityArn!);
  if (s.closing) return {};
  checkQuota('activityPollers', s.router.waitingPollers(activity.arn), s.options.quotas, `Activity '${activity.arn}'`);
  const task = await s.router.poll(activity.arn, worker, s.options.clock.realMs(ACTIVITY_POLL_MS), signal);
  // After the wait, AWS answers with no token: the worker polls again.
  return task ? { taskToken: task.token, input: task.input } : {};
}
