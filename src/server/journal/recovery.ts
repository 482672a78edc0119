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
 * not for the whole journal.
 */
import * as fs from 'node:fs';
import { formatOf, HEADER, readLine, type JournalRecord } from './format';

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

/**
 * The journal cannot be read as it is: a line in it is damaged, or a record does
 * not make sense where it is. Nothing in the data directory was changed.
 */
export class JournalDamagedError extends Error {
  constructor(
    /** The journal file. */
    public readonly file: string,
    /** The 1-based line of the damaged record. */
    public readonly line: number,
    /** The byte offset at which that line starts. */
    public readonly offset: number,
    /** What is wrong with it. */
    public readonly reason: string,
  ) {
    super(`the journal ${file} is damaged at line ${line} (byte offset ${offset}): ${reason}. `
      + 'Nothing was changed. Restore the data directory from a backup, or start with --repair: it keeps a copy of the journal '
      + 'and goes on with the records that check out, dropping this one and any that depend on it');
    this.name = 'JournalDamagedError';
  }
}

/** What a journal file holds. */
export interface JournalContents {
  /** 2 for a framed journal, 1 for bare JSON lines, undefined for a missing, empty or just-created file. */
  readonly format: 1 | 2 | undefined;
  readonly records: JournalRecord[];
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
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: undefined, records: [], places: [], end: 0, damaged: [] };
    throw e;
  }
  try {
    return readOpen(file, fd, repair);
  } finally {
    fs.closeSync(fd);
  }
}

function readOpen(file: string, fd: number, repair: boolean): JournalContents {
  const records: JournalRecord[] = [];
  const places: RecordPlace[] = [];
  const damaged: DamagedLine[] = [];
  let format: 1 | 2 | undefined;
  let end = 0;
  let torn: DamagedLine | undefined;
  let firstLength = 0;
  for (const { bytes, offset, line, complete } of lines(fd)) {
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
export function* recordsOf(file: string, fd: number): Generator<JournalRecord> {
  let format: 1 | 2 | undefined;
  for (const { bytes, offset, line, complete } of lines(fd)) {
    if (!complete) throw new JournalDamagedError(file, line, offset, 'the last line has no newline');
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
 * offset and 1-based number; a last line with no newline comes with `complete: false`.
 * A line's bytes are valid until the next one is asked for.
 */
function* lines(fd: number): Generator<{ bytes: Buffer; offset: number; line: number; complete: boolean }> {
  const chunk = Buffer.allocUnsafe(CHUNK);
  /** The start of a line that runs past the chunk it began in, copied. */
  let partial: Buffer[] = [];
  let partialOffset = 0;
  let position = 0;
  let line = 0;
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, CHUNK, position);
    if (n === 0) break;
    const data = chunk.subarray(0, n);
    let from = 0;
    for (;;) {
      const newline = data.indexOf(0x0a, from);
      if (newline < 0) break;
      line++;
      if (partial.length > 0) {
        partial.push(data.subarray(from, newline));
        yield { bytes: Buffer.concat(partial), offset: partialOffset, line, complete: true };
        partial = [];
      } else {
        yield { bytes: data.subarray(from, newline), offset: position + from, line, complete: true };
      }
      from = newline + 1;
    }
    if (from < n) {
      if (partial.length === 0) partialOffset = position + from;
      partial.push(Buffer.from(data.subarray(from)));
    }
    position += n;
  }
  if (partial.length > 0) yield { bytes: Buffer.concat(partial), offset: partialOffset, line: line + 1, complete: false };
}
