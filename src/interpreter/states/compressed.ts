import { AwsLimits } from '../../asl/limits';
import { StatesErrors, StatesError } from '../../asl/states-errors';

const failed = (cause: string): StatesError => new StatesError(StatesErrors.ITEM_READER_FAILED, cause);

/**
 * The largest ZSTD window decompressed: 8 MiB, the window of every compression level up to 19
 * (levels 20 to 22 and `--long` use larger ones). A frame's window is held, and each block shifts
 * it, so a small hostile file declaring a 2 GB window would cost gigabytes and minutes.
 */
export const MAX_ZSTD_WINDOW_BYTES = 8 * 1024 * 1024;

/** Compressed bytes pushed to the decompressor at once, at most: a deflate block expands at most 1,032 times. */
const PUSH_BYTES = 4096;
/** Compressed bytes pushed at once, at least. */
const MIN_PUSH_BYTES = 16;
/**
 * Decompressed bytes one push may give before the next pushes less: a ZSTD run-length block turns
 * 4 bytes into 128 KiB, so 4 KiB of them would give 128 MiB at once, held and worked through in one go.
 */
const PUSH_OUTPUT_BYTES = 1024 * 1024;

/**
 * The bytes of an object as a reader takes them: decompressed when they are GZIP or ZSTD, which
 * AWS reads ("Input files support the following external compression types: GZIP, ZSTD", with
 * file names such as `myObject.jsonl.gz` and `myObject.csv.zstd`), found by the format's magic
 * number so that a name is not needed. A chunk at a time, never the whole file: a compressed
 * object that expands past {@link AwsLimits.ITEM_FILE_BYTES} fails the read.
 * @internal
 */
export function* decompressed(chunks: Iterable<Uint8Array>, where: string): Iterable<Uint8Array> {
  const source = chunks[Symbol.iterator]();
  let first = source.next();
  while (!first.done && first.value.length < 4) {
    const more = source.next();
    if (more.done) break;
    first = { done: false, value: concat(first.value, more.value) };
  }
  if (first.done) return;
  const head = first.value;
  const rest: Iterable<Uint8Array> = { [Symbol.iterator]: () => withFirst(head, source) };
  if (head[0] === 0x1f && head[1] === 0x8b) {
    yield* inflate(rest, where);
  } else if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    yield* unzstd(rest, where);
  } else {
    yield* rest;
  }
}

function* withFirst(first: Uint8Array, source: Iterator<Uint8Array>): Iterator<Uint8Array> {
  yield first;
  for (let next = source.next(); !next.done; next = source.next()) yield next.value;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Pushes compressed chunks through a decompressor, yielding what it gives as it gives it, bounded. */
function* pump(
  chunks: Iterable<Uint8Array>,
  where: string,
  kind: string,
  push: (piece: Uint8Array, final: boolean) => void,
  out: Uint8Array[],
  check?: (piece: Uint8Array) => void,
): Iterable<Uint8Array> {
  let total = 0;
  const drain = function* (): Iterable<Uint8Array> {
    for (const piece of out.splice(0)) {
      total += piece.length;
      if (total > AwsLimits.ITEM_FILE_BYTES) throw failed(`The ${kind} object ${where} expands past ${AwsLimits.ITEM_FILE_BYTES} bytes, the largest file Step Functions reads.`);
      yield piece;
    }
  };
  const guarded = (piece: Uint8Array, final: boolean): void => {
    try {
      check?.(piece);
      push(piece, final);
    } catch (e) {
      if (e instanceof StatesError) throw e;
      throw failed(`The ${kind} object ${where} could not be decompressed: ${e instanceof Error ? e.message : String(e)}.`);
    }
  };
  // From a small push up: a hostile file's first 4 KiB could expand to 128 MiB at once.
  let step = MIN_PUSH_BYTES;
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length;) {
      const piece = chunk.subarray(at, at + step);
      at += piece.length;
      guarded(piece, false);
      let given = 0;
      for (const o of out) given += o.length;
      yield* drain();
      // Push less after a piece that expanded far, more again after one that did not.
      step = given > PUSH_OUTPUT_BYTES ? Math.max(MIN_PUSH_BYTES, Math.floor(step / 4)) : Math.min(PUSH_BYTES, step * 2);
    }
  }
  guarded(new Uint8Array(0), true);
  yield* drain();
}

function inflate(chunks: Iterable<Uint8Array>, where: string): Iterable<Uint8Array> {
  // Loaded by the first read that needs it: most runs read no compressed file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
  const { Gunzip } = require('fflate') as typeof import('fflate');
  const out: Uint8Array[] = [];
  const gunzip = new Gunzip((data) => { if (data.length > 0) out.push(data); });
  return pump(chunks, where, 'GZIP', (piece, final) => gunzip.push(piece, final), out);
}

function unzstd(chunks: Iterable<Uint8Array>, where: string): Iterable<Uint8Array> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
  const { Decompress } = require('fzstd') as typeof import('fzstd');
  const out: Uint8Array[] = [];
  const zstd = new Decompress((data) => { if (data.length > 0) out.push(data); });
  const frames = new ZstdFrames(where);
  return pump(chunks, where, 'ZSTD', (piece, final) => zstd.push(piece, final), out, (piece) => frames.feed(piece));
}

/* eslint-disable no-bitwise -- a ZSTD header is bit fields */
/**
 * Follows the frames of a ZSTD stream (RFC 8878) as its bytes go by, reading only their headers
 * and block headers, to refuse a frame whose window is past {@link MAX_ZSTD_WINDOW_BYTES} before
 * the decompressor allocates it.
 */
class ZstdFrames {
  /** Bytes to pass over before the next header (a block's body, a checksum, a skippable frame). */
  private skip = 0;
  /** Bytes of the header being read. */
  private head: number[] = [];
  private state: 'frame' | 'block' = 'frame';
  /** Whether the frame ends with a 4-byte checksum. */
  private checksum = false;

  constructor(private readonly where: string) {}

  feed(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, bytes.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      this.head.push(bytes[at++]);
      if (this.state === 'frame') this.frameHeader();
      else if (this.head.length === 3) this.blockHeader();
    }
  }

  private frameHeader(): void {
    const h = this.head;
    if (h.length < 5) return;
    const magic = (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
    if ((magic & 0xfffffff0) >>> 0 === 0x184d2a50) {
      if (h.length < 8) return;
      this.skip = (h[4] | (h[5] << 8) | (h[6] << 16) | (h[7] << 24)) >>> 0;
      this.head = [];
      return;
    }
    if (magic !== 0xfd2fb528) return; // the decompressor refuses it, in its words
    const descriptor = h[4];
    const singleSegment = (descriptor >> 5) & 1;
    const dictBytes = [0, 1, 2, 4][descriptor & 3];
    const fcsCode = descriptor >> 6;
    const fcsBytes = fcsCode === 0 ? singleSegment : 1 << fcsCode;
    const headerBytes = 5 + (singleSegment ? 0 : 1) + dictBytes + fcsBytes;
    if (h.length < headerBytes) return;
    let window: number;
    if (singleSegment) {
      let size = 0;
      for (let i = 0; i < fcsBytes; i++) size += h[headerBytes - fcsBytes + i] * 2 ** (8 * i);
      window = size + (fcsBytes === 2 ? 256 : 0);
    } else {
      const exponent = 10 + (h[5] >> 3);
      const base = 2 ** exponent;
      window = base + (base / 8) * (h[5] & 7);
    }
    if (window > MAX_ZSTD_WINDOW_BYTES) {
      throw failed(`The ZSTD object ${this.where} has a frame with a window of ${window} bytes; stepwright decompresses windows of up to ${MAX_ZSTD_WINDOW_BYTES} bytes `
        + '(every level up to 19 without --long): recompress it with such a level.');
    }
    this.checksum = ((descriptor >> 2) & 1) === 1;
    this.head = [];
    this.state = 'block';
  }

  private blockHeader(): void {
    const [a, b, c] = this.head;
    this.head = [];
    const last = a & 1;
    const type = (a >> 1) & 3;
    const size = (a >> 3) | (b << 5) | (c << 13);
    this.skip = type === 1 ? 1 : size;
    if (last) {
      this.skip += this.checksum ? 4 : 0;
      this.state = 'frame';
    }
  }
}
/* eslint-enable no-bitwise */
