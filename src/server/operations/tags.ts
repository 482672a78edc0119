/* Tags on state machines and activities. */
import { ApiError } from '../api-errors';
import { parseTaggableArn } from '../arns';
import type { RecordOf } from '../records';
import type { StepFunctionsService } from '../service';
import { checkTagCount, tagList } from '../values';
import type { AnswerOf, RequestOf } from './operation-table';
import { ApiErrors } from '../../asl/api-errors';

export function tagResource(s: StepFunctionsService, p: RequestOf<'TagResource'>): Promise<AnswerOf<'TagResource'>> {
  const arn = parseTaggableArn(p.resourceArn!);
  const given = tagList(p.tags, arn);
  const tags = tagsOf(s, arn);
  checkTagCount(new Set([...tags.keys(), ...given.map(([k]) => k)]).size, arn);
  const record: RecordOf<'tag'> = { t: 'tag', arn, tags: given };
  applyTag(s, record);
  return s.persist(record).then(() => ({}));
}

export function untagResource(s: StepFunctionsService, p: RequestOf<'UntagResource'>): Promise<AnswerOf<'UntagResource'>> {
  const arn = parseTaggableArn(p.resourceArn!);
  const keys = p.tagKeys!;
  tagsOf(s, arn);
  const record: RecordOf<'untag'> = { t: 'untag', arn, keys };
  applyUntag(s, record);
  return s.persist(record).then(() => ({}));
}

export function listTagsForResource(s: StepFunctionsService, p: RequestOf<'ListTagsForResource'>): AnswerOf<'ListTagsForResource'> {
  const tags = tagsOf(s, parseTaggableArn(p.resourceArn!));
  return { tags: [...tags].map(([key, value]) => ({ key, value })) };
}

export function applyTag(s: StepFunctionsService, r: RecordOf<'tag'>): void {
  const tags = tagsOf(s, r.arn);
  for (const [k, v] of r.tags) tags.set(k, v);
}

export function applyUntag(s: StepFunctionsService, r: RecordOf<'untag'>): void {
  const tags = tagsOf(s, r.arn);
  for (const k of r.keys) tags.delete(k);
}

function tagsOf(s: StepFunctionsService, arn: string): Map<string, string> {
  const found = s.store.machines.find(arn)?.tags ?? s.store.activities.find(arn)?.tags;
  if (!found) throw new ApiError(ApiErrors.ResourceNotFound, `Resource not found: '${arn}'`);
  return found;
}
