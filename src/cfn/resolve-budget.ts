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
 * Values resolving one template may visit or make, all of them together: every value resolved, every item
 * Fn::Split or a list parameter makes, every value Fn::FindInMap copies out of Mappings. A value takes at
 * least one character of the 64 MiB template stepwright reads at most, so this is more than reading the
 * largest template once visits; a short text split into characters, or a large mapping, named again and
 * again could otherwise make billions (a 1 MiB parameter split by '' in 64 places: 64 million).
 * @internal
 */
export const MAX_RESOLVED_VALUES = 64 * 1_048_576;

/**
 * What resolving one template may cost: how deep the value being resolved is (intrinsics included),
 * against the JSON depth Step Functions reads, and how many characters the intrinsics have built.
 * A few nested Fn::Sub or Fn::Base64 can multiply a short text past any memory (10 references,
 * 9 deep: 10^9 characters from 771 bytes); a template nested 5,000 deep would overflow the stack.
 * @internal
 */
export class ResolveBudget {
  /**
   * The bound on values, {@link MAX_RESOLVED_VALUES}, read each time values are counted: the tests prove
   * it at a smaller size, through this one home, rather than build strings of 64 MiB.
   * @internal
   */
  static maxValues = MAX_RESOLVED_VALUES;

  private depth = 0;
  private built = 0;
  private values = 0;

  /** Whether a bound has been passed: a caller that catches a TemplateError to fall back must throw it on. */
  get exhausted(): boolean {
    return this.built > MAX_BUILT_CHARACTERS || this.values > ResolveBudget.maxValues;
  }

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

  /** Whether no object or array is being resolved: the outermost call, which turns a stack overflow into {@link stackOverflow}'s error. */
  get outermost(): boolean {
    return this.depth === 0;
  }

  /**
   * The TemplateError of a resolution whose nesting of intrinsic functions ran out of stack
   * before the bound on depth refused it (a Fn::Sub nested in its variables takes several
   * frames a level): undefined for any other error, which is thrown on as it is.
   */
  stackOverflow(e: unknown, stateMachine: string | undefined, location: string): TemplateError | undefined {
    if (!(e instanceof RangeError) || !e.message.includes('call stack')) return undefined;
    const where = location.length > 200 ? `${location.slice(0, 200)}…` : location;
    return new TemplateError('NOT_A_TEMPLATE', `${stateMachine ? `state machine '${stateMachine}', ` : ''}${where}: the template nests intrinsic functions `
      + `too deep here for stepwright to resolve (the stack ran out before ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels); nest them less deep`,
    { stateMachine, location: where });
  }

  /** Counts `characters` more built by `fn`, before they are: why that is too many, or undefined. */
  build(characters: number, fn: string): string | undefined {
    this.built += characters;
    if (this.built <= MAX_BUILT_CHARACTERS) return undefined;
    return `${fn} would build more than ${MAX_BUILT_CHARACTERS.toLocaleString('en-US')} characters `
      + 'of text from this template, more than any definition stepwright reads (64 MiB; AWS accepts definitions of at most 1,048,576 bytes)';
  }

  /** Counts `count` more values visited or made by `fn`, before they are: why that is too many, or undefined. */
  visit(count: number, fn: string): string | undefined {
    this.values += count;
    if (this.values <= ResolveBudget.maxValues) return undefined;
    return `${fn} would make more than ${ResolveBudget.maxValues.toLocaleString('en-US')} values from this template, more than reading `
      + 'the largest template stepwright reads (64 MiB) visits; CloudFormation reads templates of at most 1 MB '
      + '(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html)';
  }

  /**
   * A copy of `value` (a mapping's, a parameter's), each of its values counted against the bound as it is
   * copied; past the bound or past the JSON depth, `fail` with why.
   */
  copy(value: unknown, fn: string, stateMachine: string | undefined, location: string, fail: (problem: string) => never): unknown {
    const problem = this.visit(1, fn);
    if (problem !== undefined) fail(problem);
    return this.copyItems(value, fn, stateMachine, location, fail);
  }

  /** `value` copied, its items counted (`value` itself already is), a container's all at once before they are copied. */
  private copyItems(value: unknown, fn: string, stateMachine: string | undefined, location: string, fail: (problem: string) => never): unknown {
    if (value === null || typeof value !== 'object') return value;
    const entries = Array.isArray(value) ? undefined : Object.entries(value);
    const problem = this.visit(entries?.length ?? (value as unknown[]).length, fn);
    if (problem !== undefined) fail(problem);
    this.enter(stateMachine, location);
    try {
      if (entries === undefined) return (value as unknown[]).map((v) => this.copyItems(v, fn, stateMachine, location, fail));
      // fromEntries defines each key as the object's own (a `__proto__` key too), as setField does.
      return Object.fromEntries(entries.map(([key, v]) => [key, this.copyItems(v, fn, stateMachine, location, fail)]));
    } finally {
      this.leave();
    }
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

/** How many items `text.split(separator)` makes, counted without making them. @internal */
export function itemsOfSplit(text: string, separator: string): number {
  if (separator === '') return text.length;
  let items = 1;
  for (let i = text.indexOf(separator); i >= 0; i = text.indexOf(separator, i + separator.length)) items++;
  return items;
}

/**
 * Values the AWS::LanguageExtensions transform's `Fn::ForEach` loops of one template may make, all of them
 * together. CloudFormation deploys the processed template, which is at most 1 MB (template-macros-troubleshoot-
 * processed-template.html: 51,200 bytes passed directly, 1 MB from S3), and every JSON value takes at least one
 * byte of it: a template whose loops make more could never deploy. Loops nested in loops multiply (three loops
 * of 1,000 items: 10^9 copies), so the expansion counts each value as it makes it, and each character of a text
 * whose `${Identifier}` it replaces before it makes the text (a text of many of them and a long item: megabytes).
 * @internal
 */
export const MAX_EXPANDED_VALUES = 1_048_576;
