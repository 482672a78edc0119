/**
 * Escapes one segment of a JSON pointer (RFC 6901): `~` as `~0`, `/` as `~1`.
 * Most state and field names hold neither, and come back as they are, with no
 * regular expression run.
 * @internal
 * @example
 * escapePointerSegment('a/b'); // 'a~1b'
 */
export function escapePointerSegment(segment: string): string {
  if (segment.indexOf('~') < 0 && segment.indexOf('/') < 0) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
