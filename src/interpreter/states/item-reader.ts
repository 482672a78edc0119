import type { JsonObject, JsonValue, MapState } from '../../asl/definition-types';
import { setField } from '../../asl/json-value';
import { hashMapOrder } from '../../asl/key-order';
import { StatesError } from '../../asl/states-errors';

/** A Map ItemReader's ReaderConfig. @internal */
export type ReaderConfig = NonNullable<NonNullable<MapState['ItemReader']>['ReaderConfig']>;

const fail = (cause: string) => new StatesError('States.ItemReaderFailed', cause);

/**
 * Turns what an ItemReader's resource returned into Map items: the `Contents`
 * of an S3 listing, or the body of an S3 object parsed per ReaderConfig
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

function parseCsvItems(body: string, config: ReaderConfig): JsonValue[] {
  const rows = parseCsv(body, config.CSVDelimiter === 'TAB' ? '\t' : config.CSVDelimiter === 'SEMICOLON' ? ';' : config.CSVDelimiter === 'PIPE' ? '|' : config.CSVDelimiter === 'SPACE' ? ' ' : ',');
  let headers: string[];
  if (config.CSVHeaderLocation === 'GIVEN') {
    headers = config.CSVHeaders ?? [];
  } else {
    headers = rows.shift() ?? [];
  }
  if (new Set(headers).size !== headers.length) throw fail('CSV headers cannot contain duplicates.');
  // AWS builds each item as a HashMap of the headers: its fields come in that map's order (docs/fidelity.md).
  const order = hashMapOrder(headers);
  return rows.map((row) => {
    const item: JsonObject = {};
    for (const i of order) setField(item, headers[i], row[i] ?? '');
    return item;
  });
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; blank lines skipped. @internal */
export function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else {quoted = false;}
      } else {field += c;}
    } else if (c === '"') {quoted = true;} else if (c === delimiter) { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else {field += c;}
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
