import type { JsonObject, JsonValue, MapState } from '../../asl/definition-types';
import { setField } from '../../asl/json-value';
import { hashMapOrder } from '../../asl/key-order';
import { StatesError } from '../../asl/states-errors';

/** A Map ItemReader's ReaderConfig. @internal */
export type ReaderConfig = NonNullable<NonNullable<MapState['ItemReader']>['ReaderConfig']>;

const fail = (cause: string) => new StatesError('States.ItemReaderFailed', cause);

/**
 * Turns what an ItemReader's resource returned (a mock's answer) into Map items: the
 * `Contents` of an S3 listing, or the body of an S3 object parsed per ReaderConfig
 * (JSON array, JSON Lines, CSV with a header row or given headers).
 * @internal
 */
export function parseItems(raw: JsonValue, resource: string, config: ReaderConfig): JsonValue[] {
  if (/listObjects(V2)?$/.test(resource)) {
    const contents = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as JsonObject).Contents : raw;
    if (!Array.isArray(contents)) throw fail('Attempting to map over non-iterable node.');
    return contents;
  }
  const body = bodyOf(raw);
  if (Array.isArray(body)) return body;
  if (typeof body !== 'string') throw fail('Attempting to map over non-iterable node.');
  switch (config.InputType ?? 'JSON') {
    case 'JSON': {
      let parsed: JsonValue;
      try {
        parsed = JSON.parse(body) as JsonValue;
      } catch {
        throw fail('The S3 object could not be parsed as JSON.');
      }
      if (!Array.isArray(parsed)) throw fail('Attempting to map over non-iterable node.');
      return parsed;
    }
    case 'JSONL':
      return body.split(/\r?\n/).filter((l) => l.trim() !== '').map((line) => {
        try {
          return JSON.parse(line) as JsonValue;
        } catch {
          throw fail(`The line '${line}' could not be parsed as JSON.`);
        }
      });
    case 'CSV':
      return parseCsvItems(body, config);
    default:
      throw fail(`InputType '${config.InputType}' is not supported by the local interpreter.`);
  }
}

function bodyOf(raw: JsonValue): JsonValue {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'Body' in raw) return (raw as JsonObject).Body;
  return raw;
}

const DELIMITERS: ReadonlyMap<string, string> = new Map([['COMMA', ','], ['PIPE', '|'], ['SEMICOLON', ';'], ['SPACE', ' '], ['TAB', '\t']]);

/** The character a CSVDelimiter names (COMMA when none is given). @internal */
export function delimiterOf(name: string | undefined): string {
  if (name === undefined) return ',';
  const c = DELIMITERS.get(name);
  if (c === undefined) throw fail(`CSVDelimiter '${name}' is not one of COMMA, PIPE, SEMICOLON, SPACE, TAB.`);
  return c;
}

function parseCsvItems(body: string, config: ReaderConfig): JsonValue[] {
  const rows = [...csvRows([body], delimiterOf(config.CSVDelimiter))];
  const headers = config.CSVHeaderLocation === 'GIVEN' ? config.CSVHeaders ?? [] : rows.shift() ?? [];
  if (new Set(headers).size !== headers.length) throw fail('CSV headers cannot contain duplicates.');
  const order = hashMapOrder(headers);
  return rows.map((row) => csvItem(headers, order, row));
}

/**
 * One CSV row as an item. AWS builds each item as a HashMap of the headers: its fields come in
 * that map's order (docs/fidelity.md); a missing field is empty, an extra one is dropped.
 * @internal
 */
export function csvItem(headers: readonly string[], order: readonly number[], row: readonly string[]): JsonObject {
  const item: JsonObject = {};
  for (const i of order) setField(item, headers[i], row[i] ?? '');
  return item;
}

/**
 * RFC 4180 CSV read from streamed text: quoted fields (with delimiters, doubled quotes and
 * line breaks inside), CRLF or LF; blank lines skipped. The first row is held to
 * `maxFirstRowChars` when given (AWS reads headers of up to 10 KiB).
 * @internal
 */
export function* csvRows(chunks: Iterable<string>, delimiter: string, maxFirstRowChars = Infinity): Iterable<string[]> {
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let pendingQuote = false;
  let pendingCr = false;
  let rows = 0;
  let rowChars = 0;
  const endRow = (): string[] | undefined => {
    row.push(field);
    const done = row;
    row = [];
    field = '';
    rowChars = 0;
    if (done.length === 1 && done[0] === '') return undefined;
    rows++;
    return done;
  };
  for (const text of chunks) {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (rows === 0 && ++rowChars > maxFirstRowChars) throw fail(`The CSV header row is longer than ${maxFirstRowChars} characters, the most Step Functions reads.`);
      if (pendingCr) {
        pendingCr = false;
        if (c === '\n') continue;
      }
      if (pendingQuote) {
        pendingQuote = false;
        if (c === '"') { field += '"'; continue; }
        quoted = false;
      }
      if (quoted) {
        if (c === '"') pendingQuote = true;
        else field += c;
      } else if (c === '"') {
        quoted = true;
      } else if (c === delimiter) {
        row.push(field);
        field = '';
      } else if (c === '\n' || c === '\r') {
        if (c === '\r') pendingCr = true;
        const done = endRow();
        if (done) yield done;
      } else {
        field += c;
      }
    }
  }
  if (field !== '' || row.length > 0) {
    const done = endRow();
    if (done) yield done;
  }
}
