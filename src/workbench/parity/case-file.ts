/**
 * A difference as evidence: one TestState request and AWS's answer to it (and stepwright's), in
 * one JSON file a user attaches to a bug report and stepwright's suite reads back as a
 * conformance case (`stepwright parity --cases <file> --recorded`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ParityError, type ParityAnswer, type ParityMock, type ParityRequest, type ParitySite, type ParityStateConfiguration } from './types';
import type { JsonObject, JsonValue } from '../../asl';
import { DEFAULT_INSPECTION_LEVEL, isInspectionLevel } from '../../asl/aws-defaults';
import { describeNonJsonText } from '../../asl/json-value';
import { AwsLimits } from '../../asl/limits';
import { nameProblem } from '../../asl/names';
import { ownValue } from '../../asl/own';
import { fsErrorReason, JsonFileReadError, readJsonText, type SizeLimit } from '../common';
import type { TestStateStatus } from '../test-state';

/** The `format` every case file carries. */
export const PARITY_CASE_FORMAT = 'stepwright-parity-case';

/** The version of the case format this library writes and reads. */
export const PARITY_CASE_VERSION = 1;

/**
 * One conformance case: a TestState request, as JSON values (the `mock.result`, `context` and
 * `variables` AWS takes as JSON text are parsed here), and the answers.
 *
 * @example
 * {
 *   "format": "stepwright-parity-case", "version": 1,
 *   "title": "Orders/Charge, visit 1: inspectionData.afterResultSelector differs",
 *   "request": { "definition": { "StartAt": "Charge", "States": { "...": {} } }, "stateName": "Charge",
 *                "input": { "amount": 5 }, "inspectionLevel": "DEBUG", "mock": { "result": { "id": "ch_1" } } },
 *   "aws": { "status": "SUCCEEDED", "output": { "id": "ch_1" }, "nextState": "Ship" },
 *   "local": { "status": "SUCCEEDED", "output": { "id": "ch_1" }, "nextState": "Ship" }
 * }
 */
export interface ParityCaseFile {
  readonly format: typeof PARITY_CASE_FORMAT;
  readonly version: number;
  /** What the case shows, in a line. @default - none */
  readonly title?: string;
  /** When AWS answered (ISO-8601). @default - unknown */
  readonly recordedAt?: string;
  /** What answered: `AWS (eu-west-1)`, or an endpoint's URL. @default - unknown */
  readonly against?: string;
  readonly request: ParityRequest;
  /** AWS's answer: what stepwright must answer. */
  readonly aws: ParityAnswer;
  /** What stepwright answered when the case was written. @default - not recorded */
  readonly local?: ParityAnswer;
}

/** Largest case file read: a request is at most 1 MiB, and the two answers are of the same order. */
const CASE_FILE_LIMIT: SizeLimit = {
  bytes: 8 * AwsLimits.REQUEST_BYTES,
  why: `a parity case holds one TestState request (at most ${AwsLimits.REQUEST_BYTES.toLocaleString('en-US')} bytes) and two answers; stepwright reads case files of at most ${(8 * AwsLimits.REQUEST_BYTES).toLocaleString('en-US')} bytes`,
};

/** The case file of a difference, ready to write. */
export function caseFileOf(
  site: ParitySite, request: ParityRequest, aws: ParityAnswer, local: ParityAnswer, field: string, against: string, now: Date,
): ParityCaseFile {
  return {
    format: PARITY_CASE_FORMAT,
    version: PARITY_CASE_VERSION,
    title: `${site.machine}/${site.state}, visit ${site.visit}${site.attempt > 1 ? ` attempt ${site.attempt}` : ''}: ${field} differs`,
    recordedAt: now.toISOString(),
    against,
    request,
    aws,
    local,
  };
}

/**
 * Writes a case file into `dir`, named after the machine, state and visit (characters a file
 * name cannot hold replaced), never over another file; answers its path.
 */
export function writeCaseFile(dir: string, site: ParitySite, file: ParityCaseFile): string {
  fs.mkdirSync(dir, { recursive: true });
  const safe = (s: string): string => (nameProblem(s) === undefined ? s : s.replace(/[^A-Za-z0-9._-]/g, '_')).replace(/^\.+/, '_').slice(0, AwsLimits.NAME_CHARS) || '_';
  const base = `${safe(site.machine)}.${safe(site.state)}.${site.visit}-${site.attempt}`;
  const text = `${JSON.stringify(file, null, 2)}\n`;
  for (let n = 1; ; n++) {
    const target = path.join(dir, `${base}${n > 1 ? `-${n}` : ''}.json`);
    try {
      fs.writeFileSync(target, text, { flag: 'wx' });
      return target;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Case files one check reads at most, and their bytes together: stepwright's own bounds (AWS has
 * no case files). A check compares each case, recorded or sent; --write-cases writes one a
 * difference, at most one a call (--max-calls is 1,000 by default).
 * @internal
 */
export const CASE_FILES_LIMIT = { files: 10_000, bytes: 256 * 1_048_576 } as const;

/**
 * Reads the case files named: a file as it is, a folder as the `*.json` files in it, in name order.
 * In a folder only regular files are read: a symbolic link is not followed (name the file it leads
 * to), a pipe, socket or device is not opened; a folder is listed no further than the bound.
 * @throws ParityError naming a file or folder that cannot be read, or a folder without case files,
 *   or more case files or bytes than {@link CASE_FILES_LIMIT}
 */
export function loadCases(names: readonly string[]): Array<{ readonly file: string; readonly case: ParityCaseFile }> {
  const files: string[] = [];
  const tooMany = (where: string): ParityError => new ParityError(`${where}: more than ${CASE_FILES_LIMIT.files.toLocaleString('en-US')} case files, `
    + 'the most one check reads; split them into folders and check each');
  for (const name of names) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(name);
    } catch (e) {
      throw new ParityError(`${name}: cannot read it: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : fsErrorReason(e)}`);
    }
    if (!stat.isDirectory()) {
      if (files.length >= CASE_FILES_LIMIT.files) throw tooMany(name);
      files.push(name);
      continue;
    }
    const inside = caseFilesIn(name, CASE_FILES_LIMIT.files - files.length, tooMany);
    if (inside.length === 0) throw new ParityError(`${name}: the folder holds no .json case file`);
    files.push(...inside);
  }
  // Each file's size before it is read (the read itself stops past 8 MiB, should the file grow meanwhile).
  let bytes = 0;
  for (const file of files) {
    bytes += sizeOf(file);
    if (bytes > CASE_FILES_LIMIT.bytes) {
      throw new ParityError(`${file}: the case files come to more than ${CASE_FILES_LIMIT.bytes.toLocaleString('en-US')} bytes with it, `
        + 'the most one check reads; split them into folders and check each');
    }
  }
  return files.map((file) => ({ file, case: loadCaseFile(file) }));
}

/** A file's size, or 0 when it cannot be read (reading it then says why). */
function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The `*.json` regular files of a folder, in name order, at most `room` of them. */
function caseFilesIn(folder: string, room: number, tooMany: (where: string) => ParityError): string[] {
  const names: string[] = [];
  let dir: fs.Dir;
  try {
    dir = fs.opendirSync(folder);
  } catch (e) {
    throw new ParityError(`${folder}: cannot read it: ${fsErrorReason(e)}`);
  }
  try {
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      if (!entry.name.endsWith('.json')) continue;
      const file = path.join(folder, entry.name);
      // Some file systems do not say an entry's type in the listing: ask, without following a link.
      const kind = entry.isFile() || entry.isSymbolicLink() || entry.isDirectory() || entry.isFIFO() || entry.isSocket()
        || entry.isBlockDevice() || entry.isCharacterDevice() ? entry : lstatOf(file);
      if (kind.isSymbolicLink()) {
        throw new ParityError(`${file}: cannot read it: it is a symbolic link, which a folder's case files are not read through; `
          + 'name the file it leads to, or copy it into the folder');
      }
      if (kind.isDirectory()) throw new ParityError(`${file}: cannot read it: it is a directory`);
      if (!kind.isFile()) throw new ParityError(`${file}: cannot read it: not a regular file (a pipe, socket or device)`);
      if (names.length >= room) throw tooMany(folder);
      names.push(file);
    }
  } finally {
    dir.closeSync();
  }
  return names.sort();
}

function lstatOf(file: string): fs.Stats {
  try {
    return fs.lstatSync(file);
  } catch (e) {
    throw new ParityError(`${file}: cannot read it: ${fsErrorReason(e)}`);
  }
}

/** A regular file of at most `limit` read as text; a ParityError names the file and why it cannot be read. @internal */
export function readParityFile(file: string, limit: SizeLimit): string {
  try {
    return readJsonText(file, limit);
  } catch (e) {
    if (e instanceof JsonFileReadError) throw new ParityError(`${file}: cannot read it: ${e.reason}`);
    throw e;
  }
}

/**
 * Reads a case file: a regular file of at most 8 MiB, every field checked.
 * @throws ParityError naming the file, the field and what it must be
 */
export function loadCaseFile(file: string): ParityCaseFile {
  const text = readParityFile(file, CASE_FILE_LIMIT);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ParityError(`${file}: not JSON: ${(e as Error).message}`);
  }
  return parseCaseFile(parsed, file);
}

/**
 * Checks a parsed case file field by field and returns it typed.
 * @throws ParityError naming the file, the field and what it must be
 */
export function parseCaseFile(value: unknown, file: string): ParityCaseFile {
  const bad = (field: string, want: string, got: unknown): never => {
    throw new ParityError(`${file}: '${field}' must be ${want}, got ${shown(got)}`);
  };
  const problem = describeNonJsonText(value);
  if (problem !== undefined) throw new ParityError(`${file}: not a parity case: ${problem}`);
  // describeNonJsonText found nothing in it that JSON cannot hold: from here on it is read as JSON.
  const json = value as JsonValue;
  const doc = record(json) ?? bad('(the file)', 'an object', value);
  if (ownValue(doc, 'format') !== PARITY_CASE_FORMAT) bad('format', `'${PARITY_CASE_FORMAT}' (write case files with stepwright parity --write-cases)`, ownValue(doc, 'format'));
  if (ownValue(doc, 'version') !== PARITY_CASE_VERSION) bad('version', `${PARITY_CASE_VERSION}, the version this stepwright reads`, ownValue(doc, 'version'));
  const request = parseRequest(ownValue(doc, 'request'), bad);
  const aws = parseAnswer(ownValue(doc, 'aws'), 'aws', bad);
  const local = ownValue(doc, 'local') === undefined ? undefined : parseAnswer(ownValue(doc, 'local'), 'local', bad);
  const text = (field: string): string | undefined => {
    const v = ownValue(doc, field);
    return v === undefined ? undefined : typeof v === 'string' ? v : bad(field, 'a string', v);
  };
  const title = text('title');
  const recordedAt = text('recordedAt');
  const against = text('against');
  return {
    format: PARITY_CASE_FORMAT,
    version: PARITY_CASE_VERSION,
    ...(title !== undefined ? { title } : {}),
    ...(recordedAt !== undefined ? { recordedAt } : {}),
    ...(against !== undefined ? { against } : {}),
    request,
    aws,
    ...(local !== undefined ? { local } : {}),
  };
}

type Bad = (field: string, want: string, got: unknown) => never;

function parseRequest(value: JsonValue | undefined, bad: Bad): ParityRequest {
  const r = record(value) ?? bad('request', 'an object: the TestState request (definition, stateName, input, …)', value);
  const definition = record(ownValue(r, 'definition')) ?? bad('request.definition', 'the state machine definition (or a single state), as an object', ownValue(r, 'definition'));
  const stateName = ownValue(r, 'stateName') ?? '';
  if (typeof stateName !== 'string' || stateName.length > AwsLimits.NAME_CHARS) {
    bad('request.stateName', `the name of the state to test, at most ${AwsLimits.NAME_CHARS} characters`, stateName);
  }
  const level = ownValue(r, 'inspectionLevel') ?? DEFAULT_INSPECTION_LEVEL;
  if (!isInspectionLevel(level)) bad('request.inspectionLevel', "'INFO', 'DEBUG' or 'TRACE'", level);
  const mock = ownValue(r, 'mock') === undefined ? undefined : parseMock(ownValue(r, 'mock'), bad);
  const contextField = ownValue(r, 'context');
  const context = contextField === undefined ? undefined : record(contextField) ?? bad('request.context', 'the Context Object, an object', contextField);
  const variablesField = ownValue(r, 'variables');
  const variables = variablesField === undefined ? undefined : record(variablesField) ?? bad('request.variables', 'an object, a member per variable', variablesField);
  const config = ownValue(r, 'stateConfiguration') === undefined ? undefined : parseConfiguration(ownValue(r, 'stateConfiguration'), bad);
  return {
    definition,
    stateName: stateName as string,
    input: ownValue(r, 'input') ?? {},
    inspectionLevel: level,
    ...(mock !== undefined ? { mock } : {}),
    ...(context !== undefined ? { context } : {}),
    ...(variables !== undefined ? { variables } : {}),
    ...(config !== undefined ? { stateConfiguration: config } : {}),
  };
}

function parseMock(value: JsonValue | undefined, bad: Bad): ParityMock {
  const m = record(value) ?? bad('request.mock', 'an object with result or errorOutput', value);
  const errorOutput = ownValue(m, 'errorOutput');
  const result = ownValue(m, 'result');
  if ((result === undefined) === (errorOutput === undefined)) bad('request.mock', 'an object with result or errorOutput (one of them)', value);
  const mode = ownValue(m, 'fieldValidationMode');
  if (mode !== undefined && mode !== 'STRICT' && mode !== 'PRESENT' && mode !== 'NONE') bad('request.mock.fieldValidationMode', "'STRICT', 'PRESENT' or 'NONE'", mode);
  let error: { error: string; cause?: string } | undefined;
  if (errorOutput !== undefined) {
    const e = record(errorOutput) ?? bad('request.mock.errorOutput', 'an object: { error, cause }', errorOutput);
    if (typeof ownValue(e, 'error') !== 'string') bad('request.mock.errorOutput.error', 'the error name, a string', ownValue(e, 'error'));
    const cause = ownValue(e, 'cause');
    if (cause !== undefined && typeof cause !== 'string') bad('request.mock.errorOutput.cause', 'a string', cause);
    error = { error: ownValue(e, 'error') as string, ...(cause !== undefined ? { cause: cause as string } : {}) };
  }
  return {
    ...(result !== undefined ? { result } : {}),
    ...(error !== undefined ? { errorOutput: error } : {}),
    ...(mode !== undefined ? { fieldValidationMode: mode as ParityMock['fieldValidationMode'] } : {}),
  };
}

function parseConfiguration(value: JsonValue | undefined, bad: Bad): ParityStateConfiguration {
  const c = record(value) ?? bad('request.stateConfiguration', 'an object', value);
  const count = (key: 'retrierRetryCount' | 'mapIterationFailureCount'): { [K in typeof key]?: number } => {
    const v = ownValue(c, key);
    if (v === undefined) return {};
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? { [key]: v } : bad(`request.stateConfiguration.${key}`, 'a whole number, 0 or more', v);
  };
  const text = (key: 'errorCausedByState' | 'mapItemReaderData'): { [K in typeof key]?: string } => {
    const v = ownValue(c, key);
    if (v === undefined) return {};
    return typeof v === 'string' ? { [key]: v } : bad(`request.stateConfiguration.${key}`, 'a string', v);
  };
  return { ...count('retrierRetryCount'), ...count('mapIterationFailureCount'), ...text('errorCausedByState'), ...text('mapItemReaderData') };
}

const STATUSES = new Set(['SUCCEEDED', 'FAILED', 'RETRIABLE', 'CAUGHT_ERROR']);

function parseAnswer(value: JsonValue | undefined, field: string, bad: Bad): ParityAnswer {
  const a = record(value) ?? bad(field, 'an answer: { status, output, … } or { refused: { type, message } }', value);
  if (ownValue(a, 'refused') !== undefined) {
    const r = record(ownValue(a, 'refused')) ?? bad(`${field}.refused`, 'an object: { type, message }', ownValue(a, 'refused'));
    if (typeof ownValue(r, 'type') !== 'string') bad(`${field}.refused.type`, 'the exception name, e.g. ValidationException', ownValue(r, 'type'));
    if (typeof ownValue(r, 'message') !== 'string') bad(`${field}.refused.message`, 'a string', ownValue(r, 'message'));
    return { refused: { type: ownValue(r, 'type') as string, message: ownValue(r, 'message') as string } };
  }
  const status = ownValue(a, 'status');
  if (!isStatus(status)) return bad(`${field}.status`, 'SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR', status);
  const text = (key: 'nextState' | 'error' | 'cause'): { [K in typeof key]?: string } => {
    const v = ownValue(a, key);
    if (v === undefined) return {};
    return typeof v === 'string' ? { [key]: v } : bad(`${field}.${key}`, 'a string', v);
  };
  const texts = { ...text('nextState'), ...text('error'), ...text('cause') };
  const output = ownValue(a, 'output');
  const data = ownValue(a, 'inspectionData');
  const inspectionData = data === undefined ? undefined : record(data) ?? bad(`${field}.inspectionData`, 'an object', data);
  return { status, ...texts, ...(output !== undefined ? { output } : {}), ...(inspectionData !== undefined ? { inspectionData } : {}) };
}

function isStatus(v: JsonValue | undefined): v is TestStateStatus {
  return typeof v === 'string' && STATUSES.has(v);
}

function record(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
