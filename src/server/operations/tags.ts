/* Tags on state machines and activities. */
import { ApiError } from '../api-errors';
import { parseTaggableArn } from '../arns';
import type { RecordOf } from '../records';
import type { StepFunctionsService } from '../service';
import { checkTagCount, tagList } from '../values';
import type { AnswerOf, RequestOf } from './operation-table';
import { ApiErrors } from '../../asl/api-errors';
import { adviceLine } from '../advice';

/** The characters a tag may hold: "Tags may only contain Unicode letters, digits, white space, or these symbols: _ . : / = + - @" (TagResource, API Reference). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Tells serve's log (`advice:`) of each tag AWS may refuse and serve keeps, since what AWS answers
 * is not recorded: a key starting `aws:`, the prefix AWS reserves for its own tags ("Tagging AWS
 * resources": a tag with it cannot be edited or deleted), and a key or value with a character
 * TagResource's page does not allow. The model gives tags no pattern, so the request is taken.
 * @internal
 */
export function adviseOnTags(s: StepFunctionsService, operation: string, resourceArn: string, tags: ReadonlyArray<readonly [string, string]>): void {
  for (const [key, value] of tags) {
    const why = key.toLowerCase().startsWith('aws:') ? 'starts with aws:, a prefix AWS reserves for its own tags'
      : !TAG_TEXT.test(key) || !TAG_TEXT.test(value) ? 'has a character other than letters, digits, white space and _ . : / = + - @, which TagResource\'s page allows'
        : undefined;
    if (why === undefined) continue;
    s.options.log(adviceLine(operation, {
      state: '',
      message: `the tag ${JSON.stringify(key)} of '${resourceArn}' ${why}; serve keeps it, but AWS's answer is not recorded and may be a refusal`,
    }));
  }
}

export function tagResource(s: StepFunctionsService, p: RequestOf<'TagResource'>): Promise<AnswerOf<'TagResource'>> {
  const arn = parseTaggableArn(p.resourceArn!);
  const given = tagList(p.tags, arn);
  const tags = tagsOf(s, arn);
  checkTagCount(new Set([...tags.keys(), ...given.map(([k]) => k)]).size, arn);
  adviseOnTags(s, 'TagResource', arn, given);
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
