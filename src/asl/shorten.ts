import { AwsLimits } from './limits';

/**
 * `text` cut for a message to at most `max` characters, `…` included: at the
 * last white space within the limit, so that no word is cut in two and the
 * reader can tell the text goes on; at the limit itself only when one word
 * fills more than half of it (a long ARN, a value), never inside a UTF-16
 * surrogate pair. Text within the limit is returned as it is.
 * @internal
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = Math.max(1, max - 1);
  // The character just past the room counts: a space there means the room ends on a whole word.
  const space = lastSpace(text, room);
  if (space >= room / 2) return `${text.slice(0, space).trimEnd()}…`;
  const code = text.charCodeAt(room - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? room - 1 : room;
  return `${text.slice(0, end)}…`;
}

/**
 * A cause as AWS keeps it: at most `SensitiveCause`'s 32,768 characters (`AwsLimits.CAUSE_CHARS`, the
 * API reference's ExecutionFailedEventDetails and TaskFailedEventDetails) for the whole field, cut
 * before a UTF-16 surrogate pair the limit would split, so that the text stays valid. A cause built
 * from an answer (a failed child execution's description holds its own cause and its input) is cut
 * here as a whole.
 * @internal
 */
export function cutCause(cause: string): string {
  const max = AwsLimits.CAUSE_CHARS;
  if (cause.length <= max) return cause;
  const code = cause.charCodeAt(max - 1);
  return cause.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** The index of the last white space at or before `at`, or -1. */
function lastSpace(text: string, at: number): number {
  for (let i = Math.min(at, text.length - 1); i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) return i;
  }
  return -1;
}

/**
 * A whole number with its thousands grouped by commas, as `toLocaleString('en-US')` writes it
 * (2147483647 is `2,147,483,647`), without Intl: the first use of Intl's number formats in a
 * process loads them, 40 to 60 ms, which a message built as its module loads would cost every
 * process and every jest worker that loads the module. Other numbers are left to Intl.
 * @internal
 */
export function withThousands(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const grouped = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}
