/**
 * What an ItemReader's reader yields, instead of an item, when it has worked a while without one
 * (a run of blank lines or rows, a part of a JSON file outside the array read, a file with no
 * items of a listing or a manifest): the Map's item stream gives the event loop a turn there once
 * a few milliseconds have passed, so that a server answers other requests while a large or
 * hostile file is read. Readers run synchronously, a chunk at a time; without these a compressed
 * file of blank lines held serve's only thread for as long as it took to read.
 * @internal
 */
export const PAUSE: unique symbol = Symbol('stepwright.reader-pause');

/** @internal */
export type Pause = typeof PAUSE;

/**
 * Blank lines or rows a reader passes over before it pauses. A run of them within one chunk (at
 * most 128 KiB as a store gives it, or 1 MiB out of a decompressor) is passed over at once, then
 * paused after. @internal
 */
export const SKIPS_PER_PAUSE = 4096;

/**
 * What one ItemReader reads in all, counted across every file it reads (a manifest's, a listing's
 * under LOAD_AND_FLATTEN), after decompression, skipped bytes and blank lines included: AWS's
 * bound on one file, 10 GB, held for the reader as a whole, so that a manifest listing the same
 * small file thousands of times is bounded by what it expands to, not per file.
 * @internal
 */
export class ReadBudget {
  private read = 0;

  constructor(private readonly maxBytes: number) {}

  /** Counts bytes read. @throws StatesError (States.ItemReaderFailed) past the bound */
  count(bytes: number, fail: (cause: string) => Error): void {
    this.read += bytes;
    if (this.read > this.maxBytes) {
      throw fail(`The ItemReader read more than ${this.maxBytes} bytes in all (after decompression, across every file it read): the most stepwright reads for one ItemReader, `
        + 'AWS\'s bound on one file (10 GB).');
    }
  }
}
