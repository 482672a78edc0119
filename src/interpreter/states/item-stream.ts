// Node's own setImmediate, which a test's fake timers leave alone (see ../clock.ts).
import { setImmediate } from 'node:timers';
import { PAUSE, type Pause } from './reader-pause';
import type { JsonObject, JsonValue } from '../../asl';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { jsonByteLength, jsonByteLengthWithin } from '../size';

type MaybePromise<T> = T | Promise<T>;

/** An ItemBatcher's limits, evaluated. @internal */
export interface BatchLimits {
  readonly perBatch?: number;
  readonly perBytes?: number;
  readonly extra?: JsonValue;
  /** Told of each item over `perBytes` by itself, which is given a batch of its own. */
  readonly oversized?: (bytes: number) => void;
}

/** What a reader threw, as the ItemReader failure AWS reports. */
function readerFailure(e: unknown): StatesError {
  return e instanceof StatesError ? e : new StatesError(StatesErrors.ITEM_READER_FAILED, e instanceof Error ? e.message : String(e));
}

/** Items read from a Distributed Map's ItemReader a window at a time. */
const READ_AHEAD = 1000;
/** Real milliseconds a reader works at most between two turns of the event loop (at its pauses). */
const TURN_MS = 4;

/** One turn of the event loop: what else is waiting (a server's other requests) runs. */
const turn = (): Promise<void> => new Promise((resolve) => { setImmediate(resolve); });

/**
 * A Map's iteration inputs, read from its items as the iterations need them: each item read,
 * passed through the ItemSelector and the ItemBatcher, held until its iteration has ended
 * (`release`), then dropped. AWS reads a Distributed Map's items so, never all at once; the
 * memory a run holds is the iterations in flight and a window read ahead.
 * @internal
 */
export class ItemStream {
  /** Iteration inputs read so far. */
  count = 0;
  /** Every item has been read: `count` is the total. */
  done = false;
  private readonly held = new Map<number, JsonValue>();
  private read = 0;
  private batch: JsonValue[] = [];
  private batchBytes = 0;
  /** When the event loop last had a turn while this stream read. */
  private turnAt = performance.now();
  /** The read under way, which every other caller of {@link ready} waits for. */
  private reading: Promise<void> | undefined;

  constructor(
    /**
     * The items: read synchronously from a text file, or asynchronously (a Parquet file's row
     * groups), with a {@link PAUSE} where the reader worked a while without one.
     */
    private readonly items: Iterator<JsonValue | Pause> | AsyncIterator<JsonValue | Pause>,
    private readonly select: ((value: JsonValue, index: number) => MaybePromise<JsonValue>) | undefined,
    private readonly batcher: BatchLimits | undefined,
    /** MaxItems: 0 or undefined is no limit. */
    private readonly maxItems: number | undefined,
    /** Told the count of inputs (batches, with a batcher) and of the items in them each time more are read (a Map Run's totals). */
    private readonly onRead?: (count: number, items: number) => void,
    /** Inputs read at a time past the one asked for: an inline Map's, its iterations' window. */
    private readonly readAhead = READ_AHEAD,
  ) {}

  /**
   * Whether iteration input `i` exists, reading up to it (and a window more) when needed. One read
   * at a time: a Map's workers that all reach the end of what is read wait for the read under way.
   * Each started a read of its own, so a Map Run of 10,000 children at once asked an asynchronous
   * reader (Parquet's) for 10,000 windows together, and V8 queues an async generator's requests in
   * a list it walks to the end for each one: a million items took minutes, the event loop held.
   */
  ready(i: number): boolean | Promise<boolean> {
    if (this.reading !== undefined) return this.reading.then(() => this.ready(i));
    while (i >= this.count && !this.done) {
      const read = this.fill(Math.max(this.readAhead, i - this.count + 1));
      if (read instanceof Promise) {
        const reading = read.finally(() => { this.reading = undefined; });
        this.reading = reading;
        return reading.then(() => this.ready(i));
      }
    }
    return i < this.count;
  }

  /** Iteration input `i`, read and not yet released. */
  input(i: number): JsonValue {
    return this.held.get(i)!;
  }

  /** Iteration `i` has ended: its input is no longer held. */
  release(i: number): void {
    this.held.delete(i);
  }

  /** Every iteration input, read to the end and held (the Map's output or a redrive needs them all). */
  async all(): Promise<JsonValue[]> {
    while (!this.done) await this.fill(READ_AHEAD);
    const out = new Array<JsonValue>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.held.get(i)!;
    return out;
  }

  /** The inputs not read yet, read one at a time (what a failed Map Run left PENDING). */
  async *rest(): AsyncIterable<JsonValue> {
    for (let i = this.count; ; i++) {
      const more = await this.ready(i);
      if (!more) return;
      yield this.held.get(i)!;
      this.release(i);
    }
  }

  private fill(n: number): void | Promise<void> {
    for (let k = 0; k < n; k++) {
      if (this.maxItems && this.read >= this.maxItems) return this.end();
      let next: IteratorResult<JsonValue | Pause> | Promise<IteratorResult<JsonValue | Pause>>;
      try {
        next = this.items.next();
      } catch (e) {
        throw readerFailure(e);
      }
      if (next instanceof Promise) {
        const left = n - k - 1;
        return next.then((r) => {
          if (r.done) return this.end();
          if (r.value === PAUSE) return this.paused(left + 1);
          const added = this.take(r.value);
          return added instanceof Promise ? added.then(() => this.fill(left)) : this.fill(left);
        }, (e: unknown) => { throw readerFailure(e); });
      }
      if (next.done) return this.end();
      if (next.value === PAUSE) {
        // No item: not counted; the event loop gets a turn once the reader has worked long enough.
        if (performance.now() - this.turnAt >= TURN_MS) return this.paused(n - k);
        k--;
        continue;
      }
      const added = this.take(next.value);
      if (added instanceof Promise) {
        const left = n - k - 1;
        return added.then(() => this.fill(left));
      }
    }
    this.onRead?.(this.count, this.read);
  }

  /** A turn of the event loop, if the reader has worked long enough since the last, then reading on. */
  private paused(left: number): void | Promise<void> {
    if (performance.now() - this.turnAt < TURN_MS) return this.fill(left);
    return turn().then(() => {
      this.turnAt = performance.now();
      return this.fill(left);
    });
  }

  /** One item read: selected and added (or batched). */
  private take(value: JsonValue): void | Promise<void> {
    const index = this.read++;
    const selected = this.select ? this.select(value, index) : value;
    if (selected instanceof Promise) return selected.then((v) => this.add(v));
    this.add(selected);
  }

  private end(): void {
    this.flushBatch();
    this.done = true;
    this.onRead?.(this.count, this.read);
  }

  private add(value: JsonValue): void {
    const b = this.batcher;
    if (!b) {
      this.held.set(this.count++, value);
      return;
    }
    const size = b.perBytes !== undefined ? jsonByteLength(value) : 0;
    if (b.perBytes !== undefined && size > b.perBytes) b.oversized?.(size);
    const full = (b.perBatch !== undefined && this.batch.length >= b.perBatch) || (b.perBytes !== undefined && this.batchBytes + size > b.perBytes);
    if (this.batch.length > 0 && full) this.flushBatch();
    this.batch.push(value);
    this.batchBytes += size;
  }

  private flushBatch(): void {
    if (this.batch.length === 0) return;
    const b = this.batcher!;
    const batch: JsonObject = b.extra !== undefined ? { BatchInput: b.extra, Items: this.batch } : { Items: this.batch };
    this.held.set(this.count++, batch);
    this.batch = [];
    this.batchBytes = 0;
  }
}

/**
 * The bytes of ItemSelector values an inline Map holds at once, worked out before it starts: past
 * them, each value is worked out again when its iteration is about to start. Not an AWS limit: it
 * keeps a Map of thousands of large values (each within the payload limit) from holding them all.
 * @internal
 */
export const HELD_SELECTIONS_BYTES = 16 * 1024 * 1024;

/**
 * Every item's ItemSelector value, worked out in index order (the first failure fails the Map),
 * held while they fit in `budget` bytes; undefined when they do not, each dropped once measured.
 * @internal
 */
export async function selectedUpFront(
  list: readonly JsonValue[], select: (value: JsonValue, index: number) => MaybePromise<JsonValue>, budget: number,
): Promise<JsonValue[] | undefined> {
  let held: JsonValue[] | undefined = new Array<JsonValue>(list.length);
  let bytes = 0;
  for (let i = 0; i < list.length; i++) {
    const made = select(list[i], i);
    const value = made instanceof Promise ? await made : made;
    if (held === undefined) continue;
    bytes += jsonByteLengthWithin(value, budget - bytes + 1);
    if (bytes > budget) held = undefined;
    else held[i] = value;
  }
  return held;
}
