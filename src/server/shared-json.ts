/*
 * JSON values that share their parts, written with each large part once.
 *
 * An execution's history holds its payloads by reference: a Pass state that
 * adds a counter to a 250 KiB input makes a new small object around the same
 * 250 KiB string, and a Choice passes that object on unchanged. In memory the
 * 25,000 events of such a run take little more than one copy of the input;
 * written out as plain JSON they would take 25,000 copies (6 GB). So the
 * journal writes the values of a history with their sharing: any string, array
 * or object whose JSON is at least POOL_MIN bytes goes once into a pool, and
 * every place that holds it refers to it by its number. Reading the pool back
 * makes one value per entry, shared by every place that refers to it, so a
 * restored history takes the memory the run's history took, not more.
 *
 * Arrays and objects are recognized by identity (the same object in memory);
 * long strings by their text, looked up by length and a sample of characters,
 * with a few candidates per sample compared in full. That bounds the work for
 * each string, and two equal strings in memory become one.
 *
 * A reference is an object whose only key is "\u0000" and whose value is the
 * entry's number. A key of the data that starts with "\u0000" is written with
 * one more "\u0000" in front, so no data object can read as a reference.
 */

import { setField } from '../asl/json-value';

/** The key of a reference. */
const REF = '\u0000';
/** Parts of at least this many bytes of JSON (roughly counted) go into the pool. */
const POOL_MIN = 1024;
/** Long strings with the same length and sample compared in full before a new one is pooled anyway. */
const CANDIDATES = 4;
/** What a reference counts for. */
const REF_WEIGHT = 12;

/**
 * Encodes JSON values, pooling their large parts. Encode values in order;
 * after each batch, `takePool()` gives the entries pooled for it, which must be
 * read (`SharedJsonReader.addPool`) before the values that refer to them.
 * @internal
 */
export class SharedJsonWriter {
  private readonly ids = new Map<object, number>();
  private readonly strings = new Map<string, Array<{ readonly text: string; readonly id: number }>>();
  private count = 0;
  private fresh: unknown[] = [];
  private freshWeight = 0;
  /** The approximate JSON size of the value last encoded, its pooled parts counted as references. */
  public weight = 0;

  /** The value with its large parts replaced by references to pool entries. */
  encode(value: unknown): unknown {
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'string') return this.encodeString(value);
      this.weight = typeof value === 'number' ? 8 : 5;
      return value;
    }
    const known = this.ids.get(value);
    if (known !== undefined) {
      this.weight = REF_WEIGHT;
      return ref(known);
    }
    let weight = 2;
    let out: unknown;
    if (Array.isArray(value)) {
      const items = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) {
        // JSON writes a missing value in an array as null.
        items[i] = value[i] === undefined ? null : this.encode(value[i]);
        weight += this.weight + 1;
      }
      out = items;
    } else {
      const fields: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[key];
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
        setField(fields, key.charCodeAt(0) === 0 ? REF + key : key, this.encode(v));
        weight += this.weight + key.length + 4;
      }
      out = fields;
    }
    if (weight < POOL_MIN) {
      this.weight = weight;
      return out;
    }
    const id = this.pool(out, weight);
    this.ids.set(value, id);
    this.weight = REF_WEIGHT;
    return ref(id);
  }

  /** The approximate JSON size of the entries pooled and not yet taken. */
  get pooledWeight(): number {
    return this.freshWeight;
  }

  /** The entries pooled since the last call, in order, and their approximate JSON size. */
  takePool(): { entries: unknown[]; weight: number } {
    const taken = { entries: this.fresh, weight: this.freshWeight };
    this.fresh = [];
    this.freshWeight = 0;
    return taken;
  }

  private encodeString(text: string): unknown {
    if (text.length < POOL_MIN) {
      this.weight = text.length + 2;
      return text;
    }
    const print = sample(text);
    let candidates = this.strings.get(print);
    const found = candidates?.find((c) => c.text === text);
    this.weight = REF_WEIGHT;
    if (found) return ref(found.id);
    const id = this.pool(text, text.length + 2);
    if (!candidates) this.strings.set(print, candidates = []);
    if (candidates.length < CANDIDATES) candidates.push({ text, id });
    return ref(id);
  }

  private pool(entry: unknown, weight: number): number {
    this.fresh.push(entry);
    this.freshWeight += weight;
    return this.count++;
  }
}

/**
 * Decodes what a {@link SharedJsonWriter} wrote, in the same order: each pool
 * entry becomes one value, shared by every reference to it. Decoding works in
 * place on the parsed JSON it is given.
 * @internal
 */
export class SharedJsonReader {
  private readonly pool: unknown[] = [];

  /** Reads pool entries, in the order they were pooled. */
  addPool(entries: readonly unknown[]): void {
    for (const entry of entries) this.pool.push(typeof entry === 'string' ? entry : this.decode(entry));
  }

  /**
   * The value `encoded` stands for.
   * @throws Error when a reference names no pool entry read so far
   */
  decode(encoded: unknown): unknown {
    if (encoded === null || typeof encoded !== 'object') return encoded;
    if (Array.isArray(encoded)) {
      for (let i = 0; i < encoded.length; i++) encoded[i] = this.decode(encoded[i]);
      return encoded;
    }
    const object = encoded as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 1 && keys[0] === REF) {
      const id = object[REF];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= this.pool.length) {
        throw new Error(`a reference names pool entry ${JSON.stringify(id)}, but ${this.pool.length} entries have been read`);
      }
      return this.pool[id];
    }
    if (!keys.some((k) => k.charCodeAt(0) === 0)) {
      for (const key of keys) setField(object, key, this.decode(object[key]));
      return object;
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) setField(out, key.charCodeAt(0) === 0 ? key.slice(1) : key, this.decode(object[key]));
    return out;
  }
}

function ref(id: number): Record<string, number> {
  return { [REF]: id };
}

/** A long string's length and a sample of its characters: equal strings have equal samples. */
function sample(text: string): string {
  const n = text.length;
  let out = `${n}:${text.slice(0, 8)}${text.slice(n - 8)}`;
  for (let k = 1; k < 8; k++) out += text.charAt(Math.floor((n * k) / 8));
  return out;
}
