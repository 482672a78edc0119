import fc from 'fast-check';
import { HistoryRecorder, type RecordedEvent } from '../../src/interpreter/history-recorder';
import { historyRecords, readHistory, type StoredHistoryRef } from '../../src/server/history-store';
import type { RecordOf } from '../../src/server/records';
import { SharedJsonReader, SharedJsonWriter } from '../../src/server/shared-json';

/** Encodes `values`, writes them as JSON text and reads them back, as the journal does. */
function roundTrip(values: unknown[]): { decoded: unknown[]; bytes: number } {
  const writer = new SharedJsonWriter();
  const encoded = values.map((v) => writer.encode(v));
  const text = JSON.stringify({ pool: writer.takePool().entries, encoded });
  const parsed = JSON.parse(text) as { pool: unknown[]; encoded: unknown[] };
  const reader = new SharedJsonReader();
  reader.addPool(parsed.pool);
  return { decoded: parsed.encoded.map((v) => reader.decode(v)), bytes: Buffer.byteLength(text) };
}

describe('serve: history values in the journal, their shared parts written once', () => {
  it('reads back any JSON value as it was written', () => {
    fc.assert(fc.property(fc.array(fc.jsonValue(), { maxLength: 5 }), (values) => {
      expect(roundTrip(values).decoded).toEqual(JSON.parse(JSON.stringify(values)));
    }), { numRuns: 300 });
  });

  it('reads back values with large parts shared between them, and those parts are one value again', () => {
    const big = { list: Array.from({ length: 300 }, (_, i) => i), text: 'y'.repeat(5_000) };
    const values = [{ a: big, b: 1 }, { a: big, b: 2 }, [big, big]];
    const { decoded } = roundTrip(values);
    expect(decoded).toEqual(values);
    // The array of 300 numbers is a large part; the small object around it is written where it is used.
    type Big = { list: number[] };
    const [first, second, pair] = decoded as [{ a: Big }, { a: Big }, Big[]];
    expect(second.a.list).toBe(first.a.list);
    expect(pair[1].list).toBe(first.a.list);
  });

  it('writes a 250 KiB string carried by 25,000 different small objects once', () => {
    const pad = 'x'.repeat(250 * 1024);
    const values = Array.from({ length: 25_000 }, (_, i) => ({ pad, i }));
    const { decoded, bytes } = roundTrip(values);
    expect(bytes).toBeLessThan(1024 * 1024);
    expect((decoded[24_999] as { pad: string; i: number })).toEqual({ pad, i: 24_999 });
  });

  it('writes equal long strings that are not the same string in memory once', () => {
    const a = 'z'.repeat(3_000);
    const b = ['z'.repeat(1_500), 'z'.repeat(1_500)].join('');
    expect(roundTrip([{ a }, { b }]).bytes).toBeLessThan(3_200);
  });

  it('keeps keys that look like its references, and __proto__, as the data\'s own keys', () => {
    const value = JSON.parse('{"\\u0000":1,"\\u0000\\u0000x":{"\\u0000":2},"__proto__":{"polluted":true},"big":"' + 'q'.repeat(2_000) + '"}') as Record<string, unknown>;
    const [decoded] = roundTrip([value]).decoded as [Record<string, unknown>];
    expect(Object.keys(decoded)).toEqual(['\u0000', '\u0000\u0000x', '__proto__', 'big']);
    expect(decoded['\u0000']).toBe(1);
    expect(decoded['\u0000\u0000x']).toEqual({ '\u0000': 2 });
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a reference to a pool entry not read yet', () => {
    const reader = new SharedJsonReader();
    reader.addPool(['only one']);
    expect(() => reader.decode({ a: { '\u0000': 1 } })).toThrow('a reference names pool entry 1, but 1 entries have been read');
  });
});

describe('serve: a closed execution\'s history in the journal', () => {
  /** A recorder holding `events`, as a live execution's would. */
  const recorder = (events: RecordedEvent[]): HistoryRecorder => HistoryRecorder.fromRecorded(events);
  const events: RecordedEvent[] = [
    { type: 'ExecutionStarted', previousEventId: 0, timestamp: 1_000, key: 'executionStartedEventDetails', value: { input: { pad: 'p'.repeat(300_000) }, roleArn: 'r' } },
    { type: 'PassStateEntered', previousEventId: 1, timestamp: 1_001, key: 'Count', value: { n: null } },
    { type: 'PassStateExited', previousEventId: 2, timestamp: 1_002, key: 'Count', value: null, assigned: { seen: 1 } },
    { type: 'ExecutionSucceeded', previousEventId: 3, timestamp: 1_003, key: 'executionSucceededEventDetails', value: { output: [1, 2] } },
  ];

  /** The `history` records of `source` and what the `closed` record says of them. */
  function write(source: HistoryRecorder): { parts: Array<RecordOf<'history'>>; ref: StoredHistoryRef } {
    const parts: Array<RecordOf<'history'>> = [];
    const generator = historyRecords('h-1', source);
    for (let next = generator.next(); ; next = generator.next()) {
      if (next.done) return { parts: parts.map((p) => JSON.parse(JSON.stringify(p)) as RecordOf<'history'>), ref: next.value };
      parts.push(next.value);
    }
  }

  it('is read back as events that render as the recorder rendered them', () => {
    const source = recorder(events);
    const { parts, ref } = write(source);
    expect(ref).toEqual({ id: 'h-1', parts: parts.length, events: 4 });
    const restored = readHistory(ref, parts);
    expect(restored.toEvents()).toEqual(source.toEvents());
    expect(restored.eventAt(2)).toEqual(source.eventAt(2));
  });

  it('is written in records of about 1 MiB, so that no record grows with the history', () => {
    const many = Array.from({ length: 5_000 }, (_, i): RecordedEvent => ({
      type: 'PassStateEntered', previousEventId: i, timestamp: i, key: 'S', value: { text: `${i}`.padEnd(900, '.') },
    }));
    const { parts, ref } = write(recorder(many));
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) expect(JSON.stringify(part).length).toBeLessThan(1.2 * 1024 * 1024);
    expect(readHistory(ref, parts).length).toBe(5_000);
  });

  it('refuses history records that are not the whole history the closing names', () => {
    const { parts, ref } = write(recorder(events));
    expect(() => readHistory({ ...ref, parts: ref.parts + 1 }, parts)).toThrow(`its history is in ${ref.parts + 1} history records with id 'h-1', but the journal holds ${parts.length}`);
    expect(() => readHistory({ ...ref, events: 5 }, parts)).toThrow('its history should hold 5 events, but its history records hold 4');
    const broken = parts.map((p) => ({ ...p, events: [['ExecutionStarted', 'not a number', 1, null]] }));
    expect(() => readHistory(ref, broken)).toThrow('an event of history \'h-1\' is not [type, previousEventId, timestamp, key, value?, assigned?]');
  });
});
