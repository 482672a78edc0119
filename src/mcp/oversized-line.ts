/*
 * What can be learnt of a message too large to read, from its bytes as they
 * pass, without keeping them: its size, and of its top-level object the id
 * (to answer it under) and whether it is a notification or a response (which
 * are never answered). Structure is ASCII in UTF-8, so bytes will do; the
 * state is a few counters and at most a few KiB of the id.
 */

/** Longest id, as JSON text, this reads; a longer one is answered without it. */
const MAX_ID_BYTES = 4096;
/** Longest key worth reading: the keys looked for are `id`, `method`, `result` and `error`. */
const MAX_KEY_BYTES = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/** @internal */
export class OversizedLine {
  /** The line's length in bytes (its newline not counted). */
  bytes = 0;
  /** The id of the top-level object, when it is a string or an integer of readable length. */
  id: string | number | undefined;
  /** True when the top-level object has a `method` and no `id`: a notification. */
  get notification(): boolean { return this.keys.has('method') && !this.keys.has('id'); }
  /** True when the top-level object has a `result` or an `error`: the client's answer to a request. */
  get response(): boolean { return this.keys.has('result') || this.keys.has('error'); }

  private readonly keys = new Set<string>();
  private started = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** At depth 1: the next string is a key. */
  private expectKey = false;
  /** At depth 1, after a colon: the next token starts the value of `valueOf`. */
  private awaitingValue = false;
  private key: string | undefined;
  private valueOf: string | undefined;
  /** The raw bytes being kept: a key at depth 1, or the id's value. */
  private kept: number[] | undefined;
  private keptLimit = 0;
  private keeping: 'key' | 'id-string' | 'id-number' | undefined;

  /** Says the line has ended (an id that is a number ends with it, when nothing follows). */
  end(): void {
    if (this.keeping === 'id-number') this.endNumber();
  }

  /** Reads the next bytes of the line. */
  feed(bytes: Uint8Array): void {
    this.bytes += bytes.length;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (this.inString) {
        this.keep(b);
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.endString();
        continue;
      }
      if (this.keeping === 'id-number') {
        if ((b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x65 || b === 0x45) {
          this.keep(b);
          continue;
        }
        this.endNumber();
      }
      if (isSpace(b)) continue;
      if (!this.started) {
        this.started = true;
        if (b !== OPEN_OBJECT) { this.depth = -1; continue; } // not an object: nothing in it is an id
      }
      if (this.depth < 0) continue;
      if (this.awaitingValue) this.startValue(b);
      switch (b) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1 && this.expectKey) this.startKeeping('key', MAX_KEY_BYTES, b);
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          this.depth += 1;
          if (this.depth === 1) this.expectKey = true;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          this.depth -= 1;
          break;
        case COLON:
          if (this.depth === 1) {
            this.expectKey = false;
            this.awaitingValue = true;
            this.valueOf = this.key;
          }
          break;
        case COMMA:
          if (this.depth === 1) this.expectKey = true;
          break;
        default:
          break;
      }
    }
  }

  private startValue(b: number): void {
    this.awaitingValue = false;
    if (this.valueOf !== 'id') return;
    // A later `id` replaces an earlier one, as JSON.parse would have it.
    this.id = undefined;
    if (b === QUOTE) this.startKeeping('id-string', MAX_ID_BYTES, b);
    else if (b === 0x2d || (b >= 0x30 && b <= 0x39)) this.startKeeping('id-number', MAX_ID_BYTES, b);
    // Else an object, an array, true, false or null: no id to answer under.
  }

  private startKeeping(what: 'key' | 'id-string' | 'id-number', limit: number, first: number): void {
    this.keeping = what;
    this.kept = [first];
    this.keptLimit = limit;
  }

  private keep(b: number): void {
    if (this.kept === undefined) return;
    if (this.kept.length >= this.keptLimit) { this.kept = undefined; return; }
    this.kept.push(b);
  }

  private endString(): void {
    this.inString = false;
    const raw = this.take();
    if (this.keeping === 'key') {
      this.keeping = undefined;
      this.key = raw === undefined ? undefined : parsed(raw) as string | undefined;
      if (this.key !== undefined) this.keys.add(this.key);
    } else if (this.keeping === 'id-string') {
      this.keeping = undefined;
      const id = raw === undefined ? undefined : parsed(raw);
      if (typeof id === 'string') this.id = id;
    }
  }

  private endNumber(): void {
    this.keeping = undefined;
    const raw = this.take();
    const id = raw === undefined ? undefined : parsed(raw);
    if (typeof id === 'number' && Number.isSafeInteger(id)) this.id = id;
  }

  private take(): string | undefined {
    const kept = this.kept;
    this.kept = undefined;
    return kept === undefined ? undefined : Buffer.from(kept).toString('utf8');
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
