import { TemplateError } from './template-error';
import { MAX_JSON_DEPTH } from '../asl/json-value';

/**
 * Characters the intrinsics that build text (Fn::Sub, Fn::Join, Fn::Base64, Fn::ToJsonString) may build
 * from one template, all of them together: 4 times the 64 MiB of the largest definition or template
 * stepwright reads, room for every state machine of a large template and its roles.
 * @internal
 */
export const MAX_BUILT_CHARACTERS = 4 * 64 * 1_048_576;

/**
 * What resolving one template may cost: how deep the value being resolved is (intrinsics included),
 * against the JSON depth Step Functions reads, and how many characters the intrinsics have built.
 * A few nested Fn::Sub or Fn::Base64 can multiply a short text past any memory (10 references,
 * 9 deep: 10^9 characters from 771 bytes); a template nested 5,000 deep would overflow the stack.
 * @internal
 */
export class ResolveBudget {
  private depth = 0;
  private built = 0;

  /** Enters one object or array; past MAX_JSON_DEPTH, a TemplateError naming where. */
  enter(stateMachine: string | undefined, location: string): void {
    if (this.depth >= MAX_JSON_DEPTH) {
      const where = location.length > 200 ? `${location.slice(0, 200)}…` : location;
      throw new TemplateError('NOT_A_TEMPLATE', `${stateMachine ? `state machine '${stateMachine}', ` : ''}${where}: the template nests `
        + `arrays and objects deeper than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels here, which stepwright does not read; `
        + `Step Functions reads JSON at most ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels deep`, { stateMachine, location: where });
    }
    this.depth++;
  }

  leave(): void {
    this.depth--;
  }

  /** Counts `characters` more built by `fn`, before they are: why that is too many, or undefined. */
  build(characters: number, fn: string): string | undefined {
    this.built += characters;
    if (this.built <= MAX_BUILT_CHARACTERS) return undefined;
    return `${fn} would build more than ${MAX_BUILT_CHARACTERS.toLocaleString('en-US')} characters `
      + 'of text from this template, more than any definition stepwright reads (64 MiB; AWS accepts definitions of at most 1,048,576 bytes)';
  }
}

/** `value` as JSON text; undefined when longer than a JavaScript string can be (past the bound in any case). @internal */
export function jsonTextOf(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}
