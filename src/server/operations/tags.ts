/* Tags on state machines and activities. */
import { ApiError, requireString } from '../errors';
import type { JournalRecord } from '../journal';
import type { StepFunctionsService } from '../service';
import { tagList, type Params, type Response } from '../values';
import type { OperationTable } from './types';

export function tagResource(s: StepFunctionsService, p: Params): Promise<Response> {
  const arn = requireString(p, 'resourceArn');
  tagsOf(s, arn);
  const record = { t: 'tag', arn, tags: tagList(p.tags) };
  s.apply(record);
  return s.persist(record).then(() => ({}));
}

export function untagResource(s: StepFunctionsService, p: Params): Promise<Response> {
  const arn = requireString(p, 'resourceArn');
  tagsOf(s, arn);
  const record = { t: 'untag', arn, keys: (p.tagKeys as string[] | undefined) ?? [] };
  s.apply(record);
  return s.persist(record).then(() => ({}));
}

export function listTagsForResource(s: StepFunctionsService, p: Params): Response {
  const tags = tagsOf(s, requireString(p, 'resourceArn'));
  return { tags: [...tags].map(([key, value]) => ({ key, value })) };
}

export function applyTag(s: StepFunctionsService, r: JournalRecord): void {
  const tags = tagsOf(s, r.arn as string);
  for (const [k, v] of r.tags as Array<[string, string]>) tags.set(k, v);
}

export function applyUntag(s: StepFunctionsService, r: JournalRecord): void {
  const tags = tagsOf(s, r.arn as string);
  for (const k of r.keys as string[]) tags.delete(k);
}

function tagsOf(s: StepFunctionsService, arn: string): Map<string, string> {
  const found = s.machines.get(arn)?.tags ?? s.activities.get(arn)?.tags;
  if (!found) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
  return found;
}

/** The tag operations, by their API names. */
export const TAG_OPERATIONS: OperationTable = [
  ['TagResource', tagResource],
  ['UntagResource', untagResource],
  ['ListTagsForResource', listTagsForResource],
];
