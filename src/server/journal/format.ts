/*
 * The journal's bytes: how one record is written and how a line read back is
 * checked, in both formats a data directory may hold.
 *
 * Format 2 (written since the journal learned to tell a torn write from
 * damage) starts with a header line and frames every record with the length
 * of its JSON text and a CRC-32 of those bytes:
 *
 *   {"t":"stepwright-journal","format":2}
 *   {"n":57,"c":"5a0c9e3b","r":{"t":"machine","arn":"arn:aws:states:…",…}}
 *
 * Each line is still one JSON document, so the file can be read with jq, and a
 * stepwright from before format 2 stops at the header ("unknown journal record
 * 'stepwright-journal'") instead of mistaking the frames for damage and cutting
 * the journal short. JSON text never holds a raw newline, so a newline ends a
 * record and nothing else: a last line without one is a write cut short by a
 * crash; any other line that does not check out is damage.
 *
 * Format 1 (the first journals) is bare JSON lines: one record per line, no
 * header, no length, no checksum. It is read with the same rule for a torn last
 * line, and converted to format 2 when opened.
 */
import * as zlib from 'node:zlib';

/**
 * A record as a line holds it, before its fields are checked against its kind's (the service's
 * JournalRecord, in server/records.ts): `t` names its kind.
 */
export interface RawRecord {
  readonly t: string;
  readonly [field: string]: unknown;
}

/** The format this version writes. */
export const FORMAT = 2;
/** The first line of a format-2 journal. */
export const HEADER = Buffer.from(`{"t":"stepwright-journal","format":${FORMAT}}\n`);
/** A format header of any version, to refuse one newer than this stepwright reads. */
const ANY_HEADER = /^\{"t":"stepwright-journal","format":(\d{1,9})\}$/;
/** The start of a frame: the payload's byte length and its CRC-32, then the payload. */
const FRAME_START = /^\{"n":(0|[1-9]\d{0,15}),"c":"([0-9a-f]{8})","r":/;
/** The longest frame start: `{"n":` + 16 digits + `,"c":"` + 8 + `","r":`. */
const FRAME_START_MAX = 41;
const FRAME_END = Buffer.from('}\n');

/**
 * The longest line a journal holds, newline excluded: 256 MiB. No record the
 * server writes comes near it (a definition is at most 1 MiB, an input or
 * output 256 KiB, a history record about 1 MiB), and a record that would pass
 * it is refused when it is written, so a longer line is damage. Reading stops
 * keeping a line's bytes past it, so a damaged journal (a line of gigabytes,
 * or a file of zeros with no newline) is refused in bounded memory.
 */
export const MAX_LINE_BYTES = 256 * 1024 ** 2;

/** A record too large to be written: the journal refuses it rather than write a line it would refuse to read. */
export class RecordTooLargeError extends Error {
  constructor(public readonly kind: string, public readonly bytes: number) {
    super(`the '${kind}' record is ${bytes.toLocaleString('en-US')} bytes as JSON, more than the ${MAX_LINE_BYTES.toLocaleString('en-US')} bytes a journal line holds`);
    this.name = 'RecordTooLargeError';
  }
}

/**
 * The format of a journal whose first line is `firstLine` (without its newline):
 * 2 for the format-2 header, 1 for anything else (format 1 has no header).
 * @throws Error naming the format when the header is of a newer format
 */
export function formatOf(firstLine: string): 1 | 2 {
  const m = ANY_HEADER.exec(firstLine);
  if (!m) return 1;
  const format = Number(m[1]);
  if (format === FORMAT) return 2;
  throw new Error(`the journal is in format ${format}, written by a newer stepwright; this one reads formats 1 and 2. Upgrade stepwright to serve this data directory`);
}

/**
 * A record as format-2 bytes: its frame line.
 * @throws RecordTooLargeError for a record whose line would pass {@link MAX_LINE_BYTES}
 */
export function frame(record: RawRecord): Buffer {
  const text = JSON.stringify(record);
  const length = Buffer.byteLength(text);
  const start = `{"n":${length},"c":"00000000","r":`;
  if (start.length + length + 1 > MAX_LINE_BYTES) throw new RecordTooLargeError(record.t, length);
  const out = Buffer.allocUnsafe(start.length + length + FRAME_END.length);
  out.write(start, 0, 'latin1');
  out.write(text, start.length, 'utf8');
  FRAME_END.copy(out, start.length + length);
  const crc = crc32(out.subarray(start.length, start.length + length));
  out.write(crc.toString(16).padStart(8, '0'), start.length - 14, 'latin1');
  return out;
}

/** A record as format-1 bytes (only for tests that need a journal as the first versions wrote it). */
export function formatOneLine(record: RawRecord): Buffer {
  return Buffer.from(`${JSON.stringify(record)}\n`);
}

/**
 * The record a whole line holds (`line` is without its newline), or why it holds
 * none: the words of the refusal that names the line.
 */
export function readLine(line: Buffer, format: 1 | 2): { record: RawRecord; problem?: undefined } | { problem: string } {
  let text: string;
  if (format === 2) {
    const head = FRAME_START.exec(line.toString('latin1', 0, Math.min(line.length, FRAME_START_MAX)));
    if (!head) return { problem: 'it does not start with a record frame {"n":<length>,"c":"<crc32>","r":' };
    const start = head[0].length;
    const length = Number(head[1]);
    if (start + length + 1 !== line.length || line[line.length - 1] !== 0x7d) {
      return { problem: `its frame gives the record ${length} bytes, but the line holds ${Math.max(0, line.length - start - 1)} before its closing brace` };
    }
    const payload = line.subarray(start, start + length);
    const crc = crc32(payload).toString(16).padStart(8, '0');
    if (crc !== head[2]) return { problem: `its checksum does not match: the frame says ${head[2]}, the ${length} bytes give ${crc}` };
    text = payload.toString('utf8');
  } else {
    text = line.toString('utf8');
  }
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (e) {
    return { problem: `it is not JSON (${(e as Error).message})` };
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record) || typeof (record as { t?: unknown }).t !== 'string') {
    const framed = format === 1 && record !== null && typeof record === 'object' && 'n' in record && 'c' in record && 'r' in record;
    return { problem: framed ? 'it is a format-2 record frame, but line 1 is not the format-2 header: the header is damaged' : 'it is not a record: a JSON object with a string "t"' };
  }
  return { record: record as RawRecord };
}

/** CRC-32 (ISO-HDLC, as zlib and gzip compute it) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  return native ? native(bytes) : crc32Table(bytes);
}

let table: Int32Array | undefined;

/* eslint-disable no-bitwise -- CRC-32 is defined on 32-bit integer operations */
/** CRC-32 computed here, for Node versions before 20.15 that have no zlib.crc32. @internal */
export function crc32Table(bytes: Uint8Array): number {
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
/* eslint-enable no-bitwise */
