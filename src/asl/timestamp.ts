/**
 * An instant, split so that nanosecond precision survives (a double holds
 * epoch milliseconds exactly, not epoch nanoseconds).
 * @internal
 */
export interface Instant {
  /** Whole seconds since 1970-01-01T00:00:00Z. */
  readonly seconds: number;
  /** Nanoseconds within the second, 0..999,999,999. */
  readonly nanos: number;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Parses a timestamp as Choice rules and a Wait state's literal Timestamp
 * accept it (`2016-08-18T17:33:00Z`, `2016-08-18T17:33:00.123+01:00`): the
 * RFC 3339 profile AWS documents, with an uppercase T and Z. `undefined` for
 * anything else, including impossible dates such as February 30.
 * @internal
 */
export function parseRfc3339Timestamp(text: string): Instant | undefined {
  // Hand-rolled rather than a RegExp: Timestamp rules parse the input value on
  // every evaluation, and this is about three times faster.
  // Shape: YYYY-MM-DDTHH:MM:SS[.fffffffff](Z|+HH:MM|-HH:MM). AWS requires an
  // uppercase T, an uppercase Z or a numeric offset; nothing else is accepted
  // (no date-only, no missing zone, no lowercase, no space).
  const n = text.length;
  if (n < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84
    || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  let i = 19;
  let nanos = 0;
  if (text.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n && i - start < 10) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      nanos = nanos * 10 + (c - 48);
      i++;
    }
    const count = i - start;
    if (count === 0 || count > 9) return undefined;
    nanos *= 10 ** (9 - count);
  }
  let offset = 0;
  const zone = text.charCodeAt(i);
  if (zone === 90) {
    if (i + 1 !== n) return undefined;
  } else if (zone === 43 || zone === 45) {
    if (i + 6 !== n || text.charCodeAt(i + 3) !== 58) return undefined;
    const oh = digits(text, i + 1, 2);
    const om = digits(text, i + 4, 2);
    // Java's ZoneOffset, which AWS parses with, stops at ±18:00.
    if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > 18 * 60) return undefined;
    offset = (zone === 45 ? -1 : 1) * (oh * 3600 + om * 60);
  } else {
    return undefined;
  }
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  return { seconds, nanos };
}

/** The decimal number in text[start, start+len), or -1 when a character is not a digit. */
function digits(text: string, start: number, len: number): number {
  let v = 0;
  for (let k = start; k < start + len; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}
