/* Tags on state machines and activities. */
import { ApiError, validationError } from '../api-errors';
import { BOUNDS, checkString, optionalList, requireString } from '../params';
import type { RecordOf } from '../records';
import type { StepFunctionsService } from '../service';
import { checkTagCount, tagList } from '../values';
import type { AnswerOf, RequestOf } from './operation-table';

export function tagResource(s: StepFunctionsService, p: RequestOf<'TagResource'>): Promise<AnswerOf<'TagResource'>> {
  const arn = requireString(p, 'resourceArn', BOUNDS.arn);
  if (p.tags === undefined || p.tags === null) throw validationError('tags', 'Member must not be null');
  const given = tagList(p.tags, arn);
  const tags = tagsOf(s, arn);
  checkTagCount(new Set([...tags.keys(), ...given.map(([k]) => k)]).size, arn);
  const record: RecordOf<'tag'> = { t: 'tag', arn, tags: given };
  applyTag(s, record);
  return s.persist(record).then(() => ({}));
}

export function untagResource(s: StepFunctionsService, p: RequestOf<'UntagResource'>): Promise<AnswerOf<'UntagResource'>> {
  const arn = requireString(p, 'resourceArn', BOUNDS.arn);
  const list = optionalList(p, 'tagKeys');
  if (list === undefined) throw validationError('tagKeys', 'Member must not be null');
  const keys = list.map((k, i) => {
    if (k === undefined || k === null) throw validationError(`tagKeys.${i + 1}.member`, 'Member must not be null');
    return checkString(k, `tagKeys.${i + 1}.member`, BOUNDS.tagKey);
  });
  tagsOf(s, arn);
  const record: RecordOf<'untag'> = { t: 'untag', arn, keys };
  applyUntag(s, record);
  return s.persist(record).then(() => ({}));
}

export function listTagsForResource(s: StepFunctionsService, p: RequestOf<'ListTagsForResource'>): AnswerOf<'ListTagsForResource'> {
  const tags = tagsOf(s, requireString(p, 'resourceArn', BOUNDS.arn));
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
  if (!found) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
  return found;
}
