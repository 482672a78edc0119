import { csvRows } from './csv-rows';
import { checkItemNumbers, deepJson, deepLine } from './json-items';
import { PAUSE } from './reader-pause';
import type { JsonObject, JsonValue, MapState } from '../../asl';
import { jsonTextNestsDeeper, MAX_JSON_DEPTH, setField } from '../../asl/json-value';
import { hashMapOrder } from '../../asl/key-order';
import { StatesErrors, StatesError } from '../../asl/states-errors';

/** A Map ItemReader's ReaderConfig. @internal */
export type ReaderConfig = NonNullable<NonNullable<MapState['ItemReader']>['ReaderConfig']>;

const fail = (cause: string) => new StatesError(StatesErrors.ITEM_READER_FAILED, cause);

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
      // The items' depth, the array holding them counted, as a JSON file read from S3 is measured.
      if (jsonTextNestsDeeper(body, MAX_JSON_DEPTH)) throw deepJson();
      if (!Array.isArray(parsed)) throw fail('Attempting to map over non-iterable node.');
      parsed.forEach((item, i) => checkItemNumbers(item, `The item at index ${i} of the JSON object`));
      return parsed;
    }
    case 'JSONL':
      return body.split(/\r?\n/).map((line, i) => ({ line, n: i + 1 })).filter(({ line }) => line.trim() !== '').map(({ line, n }) => {
        let item: JsonValue;
        try {
          item = JSON.parse(line) as JsonValue;
        } catch {
          throw fail(`The line '${line}' could not be parsed as JSON.`);
        }
        if (jsonTextNestsDeeper(line, MAX_JSON_DEPTH)) throw deepLine(n);
        checkItemNumbers(item, `Line ${n} of the JSONL object`);
        return item;
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
  const rows = [...csvRows([body], delimiterOf(config.CSVDelimiter))].filter((r): r is string[] => r !== PAUSE);
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
