/*
 * Reading a journal back: every record, in order, or a refusal that names the
 * damage. One rule decides what may be dropped: a last line with no newline is a
 * write that a crash cut short (the server answers a request only after the
 * fsync that covers its whole record, newline included, so no answered request
 * is in it). Any other line that does not hold a whole, checked record is
 * damage, and the journal is left as it is: a line that cannot be read is never
 * cut off together with everything after it.
 *
 * The file is read a line at a time, so reading needs memory for one record,
 * not for the whole journal; a line longer than any record (MAX_LINE_BYTES) is
 * damage, counted but not kept.
 */
import * as fs from 'node:fs';
import { JournalDamagedError } from './errors';
import { formatOf, HEADER, MAX_LINE_BYTES, readLine, type RawRecord } from './format';

export { JournalDamagedError } from './errors';

/** Where a record is in its file: the 1-based line and the byte offset at which the line starts. */
export interface RecordPlace {
  readonly line: number;
  readonly offset: number;
}

/** A line that holds no record. */
export interface DamagedLine extends RecordPlace {
  readonly length: number;
  readonly problem: string;
}

/** How many damaged lines a refusal names; the rest are counted. */
const DAMAGED_LINES_SHOWN = 10;

/**
 * What --repair would drop of a journal refused for a damaged line: every damaged line, read
 * once more as --repair reads it, so that nothing goes without being named first.
 */
function whatRepairDrops(file: string): string | undefined {
  let contents: JournalContents;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      contents = readOpen(file, fd, true);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const hit = contents.damaged.map((d) => d.line);
  if (hit.length === 0) return undefined;
  const named = hit.slice(0, DAMAGED_LINES_SHOWN).join(', ') + (hit.length > DAMAGED_LINES_SHOWN ? `, … ${hit.length - DAMAGED_LINES_SHOWN} more` : '');
  return `${hit.length === 1 ? 'line' : `the ${hit.length} damaged lines`} ${named} (it keeps ${contents.records.length} records)`;
}

/** The journal's path names something that is not a journal file. Nothing was changed. */
export class JournalFileError extends Error {
  constructor(public readonly file: string, reason: string) {
    super(`the journal ${file} ${reason}. Nothing was changed`);
    this.name = 'JournalFileError';
  }
}

/** What a journal file holds. */
export interface JournalContents {
  /** 2 for a framed journal, 1 for bare JSON lines, undefined for a missing, empty or just-created file. */
  readonly format: 1 | 2 | undefined;
  readonly records: RawRecord[];
  /** Where each of `records` is. */
  readonly places: RecordPlace[];
  /** The byte offset after the last whole line: where the next record goes. */
  readonly end: number;
  /** The last line when it has no newline: a write cut short, not read. */
  readonly torn?: DamagedLine;
  /** With `repair`: the lines that hold no record, skipped. */
  readonly damaged: DamagedLine[];
}

/**
 * Reads the journal `file` (a missing file reads as empty).
 * @param repair skip damaged lines (listed in `damaged`) instead of refusing
 * @throws JournalDamagedError naming the first damaged line, unless `repair`
 */
export function readJournal(file: string, repair = false): JournalContents {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: undefined, records: [], places: [], end: 0, damaged: [] };
    throw e;
  }
  // A link would be replaced by the first compaction or repair (each renames a new file over the journal), leaving its target behind unchanged.
  if (stat.isSymbolicLink()) {
    throw new JournalFileError(file, `is a symbolic link (to ${fs.readlinkSync(file)}); the server replaces its journal by renaming a new file over it, `
      + 'which would replace the link and leave the file it points to behind: give the directory that holds the journal as --data-dir');
  }
  if (stat.isDirectory()) throw new JournalFileError(file, 'is a directory; the journal is a file the server writes: move the directory away');
  if (!stat.isFile()) throw new JournalFileError(file, 'is not a regular file (a pipe, socket or device); the journal is a file the server writes: move it away');
  const fd = fs.openSync(file, 'r');
  try {
    return readOpen(file, fd, repair);
  } catch (e) {
    if (repair || !(e instanceof JournalDamagedError)) throw e;
    throw new JournalDamagedError(e.file, e.line, e.offset, e.reason, whatRepairDrops(file));
  } finally {
    fs.closeSync(fd);
  }
}

function readOpen(file: string, fd: number, repair: boolean): JournalContents {
  const records: RawRecord[] = [];
  const places: RecordPlace[] = [];
  const damaged: DamagedLine[] = [];
  let format: 1 | 2 | undefined;
  let end = 0;
  let torn: DamagedLine | undefined;
  let firstLength = 0;
  for (const { bytes, length, offset, line, complete } of lines(fd)) {
    if (bytes === undefined) {
      // No write is this long, so not even a last line without a newline is a write cut short.
      const problem = `it is ${length.toLocaleString('en-US')} bytes long${complete ? '' : ' with no newline'}, longer than any record (a journal line holds at most ${MAX_LINE_BYTES.toLocaleString('en-US')} bytes)`;
      if (!repair) throw new JournalDamagedError(file, line, offset, problem);
      damaged.push({ line, offset, length: length + (complete ? 1 : 0), problem });
      format ??= 1;
      if (complete) end = offset + length + 1;
      continue;
    }
    if (!complete) {
      // A file cut short while its header was written is a journal that had not begun.
      if (format === undefined && HEADER.subarray(0, bytes.length).equals(bytes)) break;
      torn = { line, offset, length: bytes.length, problem: 'the last line has no newline: a write cut short' };
      format ??= 1;
      break;
    }
    if (format === undefined) {
      try {
        format = formatOf(bytes.toString('latin1', 0, Math.min(bytes.length, 64)));
      } catch (e) {
        throw new JournalDamagedError(file, line, offset, (e as Error).message);
      }
      firstLength = bytes.length + 1;
      if (format === 2) {
        end = offset + bytes.length + 1;
        continue;
      }
    } else if (format === 1 && line === 2 && readLine(bytes, 2).problem === undefined) {
      // Format-2 frames after a first line that is not the header: the header is what is damaged, not every line after it.
      const problem = `it should be the format-2 header ${HEADER.toString().trim()}, which the framed records after it need`;
      if (!repair) throw new JournalDamagedError(file, 1, 0, problem);
      records.length = 0;
      places.length = 0;
      damaged.length = 0;
      damaged.push({ line: 1, offset: 0, length: firstLength, problem });
      format = 2;
    }
    const read = readLine(bytes, format);
    if (read.problem !== undefined) {
      if (!repair) throw new JournalDamagedError(file, line, offset, read.problem);
      damaged.push({ line, offset, length: bytes.length + 1, problem: read.problem });
    } else {
      records.push(read.record);
      places.push({ line, offset });
    }
    end = offset + bytes.length + 1;
  }
  return { format, records, places, end, ...(torn ? { torn } : {}), damaged };
}

/**
 * The records of a journal this server wrote and holds open (for compaction), in
 * order. It must read whole: any problem is an error, as the file cannot have
 * been cut short while it was being written by this process.
 */
export function* recordsOf(file: string, fd: number): Generator<RawRecord> {
  let format: 1 | 2 | undefined;
  for (const { bytes, offset, line, complete } of lines(fd)) {
    if (!complete) throw new JournalDamagedError(file, line, offset, 'the last line has no newline');
    if (bytes === undefined) throw new JournalDamagedError(file, line, offset, 'it is longer than any record');
    if (format === undefined) {
      format = formatOf(bytes.toString('latin1', 0, Math.min(bytes.length, 64)));
      if (format === 2) continue;
    }
    const read = readLine(bytes, format);
    if (read.problem !== undefined) throw new JournalDamagedError(file, line, offset, read.problem);
    yield read.record;
  }
}

/** The size of the chunks the file is read in. */
const CHUNK = 1024 * 1024;

/**
 * The lines of the file open as `fd`, each without its newline, with its byte
 * length and offset and 1-based number; a last line with no newline comes with
 * `complete: false`. A line longer than {@link MAX_LINE_BYTES} comes without
 * its bytes (`bytes` undefined): they are counted, never kept. A line's bytes
 * are valid until the next one is asked for.
 */
function* lines(fd: number): Generator<{ bytes: Buffer | undefined; length: number; offset: number; line: number; complete: boolean }> {
  const chunk = Buffer.allocUnsafe(CHUNK);
  /** The start of a line that runs past the chunk it began in, copied (dropped once the line is too long to keep). */
  let partial: Buffer[] = [];
  let partialOffset = -1;
  let partialLength = 0;
  let position = 0;
  let line = 0;
  const keep = (piece: Buffer, offset: number): void => {
    if (partialOffset < 0) partialOffset = offset;
    partialLength += piece.length;
    if (partialLength > MAX_LINE_BYTES) partial = [];
    else partial.push(Buffer.from(piece));
  };
  const whole = (): Buffer | undefined => (partialLength > MAX_LINE_BYTES ? undefined : Buffer.concat(partial, partialLength));
  const reset = (): void => {
    partial = [];
    partialOffset = -1;
    partialLength = 0;
  };
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, CHUNK, position);
    if (n === 0) break;
    const data = chunk.subarray(0, n);
    let from = 0;
    for (;;) {
      const newline = data.indexOf(0x0a, from);
      if (newline < 0) break;
      line++;
      if (partialOffset >= 0) {
        keep(data.subarray(from, newline), position + from);
        yield { bytes: whole(), length: partialLength, offset: partialOffset, line, complete: true };
        reset();
      } else {
        yield { bytes: data.subarray(from, newline), length: newline - from, offset: position + from, line, complete: true };
      }
      from = newline + 1;
    }
    if (from < n) keep(data.subarray(from), position + from);
    position += n;
  }
  if (partialOffset >= 0) yield { bytes: whole(), length: partialLength, offset: partialOffset, line: line + 1, complete: false };
}
