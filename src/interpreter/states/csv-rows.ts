import { PAUSE, SKIPS_PER_PAUSE, type Pause } from './reader-pause';
import { AwsLimits } from '../../asl/limits';
import { StatesErrors, StatesError } from '../../asl/states-errors';

const failed = (cause: string): StatesError => new StatesError(StatesErrors.ITEM_READER_FAILED, cause);

/** Where a CSV row stands between two chunks of text. */
const enum At {
  /** At the start of a field. */
  FieldStart,
  /** In a field that did not start with a quote. */
  Plain,
  /** In a field that started with a quote. */
  Quoted,
  /** In a quoted field, after a quote: its end, or the first of two. */
  QuoteInQuoted,
  /** In a plain field, after a quote: a literal quote when another follows. */
  QuoteInPlain,
  /** After a quoted field's closing quote. */
  AfterQuoted,
}

/**
 * CSV rows read from streamed text, as Step Functions parses a text delimited file
 * (https://docs.aws.amazon.com/step-functions/latest/dg/example-csv-parse-dist-map.html):
 * fields may be enclosed in double quotes, which then hold delimiters and line breaks; a quote is
 * kept by repeating it, inside quotes or not (AWS's own example reads the unquoted field
 * `{""MyKey"":""MyValue""}` as `{"MyKey":"MyValue"}`); a backslash escapes a backslash, a quote or
 * the delimiter, and before any other character it is silently removed; CRLF or LF end a row;
 * blank lines are skipped. Text is taken a run at a time, not a character at a time, and a row
 * longer than `maxRowChars` (the first row: `maxFirstRowChars`, AWS reads headers of up to 10 KiB)
 * fails the read, so an unterminated quote cannot hold a whole file.
 * @internal
 */
export function* csvRows(
  chunks: Iterable<string>, delimiter: string, maxFirstRowChars = Infinity, maxRowChars = AwsLimits.ITEM_BYTES,
): Iterable<string[] | Pause> {
  const special = new RegExp(`[${escapeClass(delimiter)}"\\\\\\r\\n]`, 'g');
  const inQuotes = /["\\]/g;
  let row: string[] = [];
  let field = '';
  let at: At = At.FieldStart;
  let escaped = false;
  let pendingCr = false;
  let rowChars = 0;
  let rows = 0;
  const limit = (): number => (rows === 0 ? Math.min(maxFirstRowChars, maxRowChars) : maxRowChars);
  const grow = (n: number): void => {
    rowChars += n;
    if (rowChars > limit()) {
      throw failed(rows === 0 && maxFirstRowChars < maxRowChars
        ? `The CSV header row is longer than ${maxFirstRowChars} characters, the most Step Functions reads.`
        : `Row ${rows + 1} of the CSV object is longer than ${maxRowChars} characters: Step Functions reads items of up to 8 MB from a file `
          + '(an unterminated quote makes the rest of the file one field).');
    }
  };
  const endField = (): void => {
    row.push(field);
    field = '';
    at = At.FieldStart;
  };
  const endRow = (): string[] | undefined => {
    endField();
    const done = row;
    row = [];
    rowChars = 0;
    if (done.length === 1 && done[0] === '') return undefined;
    rows++;
    return done;
  };

  let blank = 0;
  for (const text of chunks) {
    let i = 0;
    const n = text.length;
    while (i < n) {
      if (pendingCr) {
        pendingCr = false;
        if (text.charCodeAt(i) === 10) {
          i++;
          continue;
        }
      }
      if (at === At.FieldStart && field === '' && row.length === 0 && !escaped) {
        // At a row's start: a run of blank rows is passed over at once, a pause every SKIPS_PER_PAUSE of them.
        LINE_ENDS.lastIndex = i;
        LINE_ENDS.exec(text);
        const end = LINE_ENDS.lastIndex;
        if (end > i) {
          blank += end - i;
          i = end;
          if (blank >= SKIPS_PER_PAUSE) {
            blank = 0;
            yield PAUSE;
          }
          continue;
        }
      }
      if (escaped) {
        // A backslash keeps the character after it, and is itself dropped.
        escaped = false;
        grow(1);
        field += text[i++];
        if (at === At.FieldStart || at === At.QuoteInPlain) at = At.Plain;
        continue;
      }
      if (at === At.Quoted) {
        inQuotes.lastIndex = i;
        const m = inQuotes.exec(text);
        const end = m ? m.index : n;
        if (end > i) {
          grow(end - i);
          field += text.slice(i, end);
        }
        if (!m) break;
        i = end + 1;
        if (m[0] === '\\') escaped = true;
        else at = At.QuoteInQuoted;
        continue;
      }
      const c = text[i];
      if (at === At.QuoteInQuoted) {
        if (c === '"') {
          grow(1);
          field += '"';
          i++;
          at = At.Quoted;
          continue;
        }
        at = At.AfterQuoted;
      } else if (at === At.QuoteInPlain) {
        // Two quotes in a field that did not start with one are one literal quote; one alone is kept.
        grow(1);
        field += '"';
        at = At.Plain;
        if (c === '"') {
          i++;
          continue;
        }
      } else if (at === At.FieldStart && c === '"') {
        at = At.Quoted;
        i++;
        continue;
      }
      special.lastIndex = i;
      const m = special.exec(text);
      const end = m ? m.index : n;
      if (end > i) {
        grow(end - i);
        field += text.slice(i, end);
        if (at === At.FieldStart) at = At.Plain;
      }
      if (!m) break;
      i = end + 1;
      const s = m[0];
      if (s === delimiter) {
        endField();
      } else if (s === '\\') {
        escaped = true;
      } else if (s === '"') {
        at = At.QuoteInPlain;
      } else {
        if (s === '\r') pendingCr = true;
        const done = endRow();
        if (done) yield done;
      }
    }
  }
  if (at === At.QuoteInPlain) field += '"';
  if (field !== '' || row.length > 0 || at === At.Quoted || at === At.QuoteInQuoted || at === At.AfterQuoted) {
    const done = endRow();
    if (done) yield done;
  }
}

/** A run of line ends: blank rows, at a row's start. */
const LINE_ENDS = /[\r\n]*/y;

function escapeClass(c: string): string {
  return c.replace(/[\\\]^-]/g, '\\$&');
}
