import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Journal, JournalDamagedError, type RawRecord } from '../../src/server/journal';
import { crc32, crc32Table, formatOneLine, frame } from '../../src/server/journal/format';
import { readJournal } from '../../src/server/journal/recovery';

/** A byte with its lowest bit changed: one corrupt byte. */
const flipped = (byte: number): number => (byte % 2 === 0 ? byte + 1 : byte - 1);

const JOURNAL = 'journal.jsonl';
const LOCK = 'stepwright.lock';
const HEADER = '{"t":"stepwright-journal","format":2}\n';

/** The records a journal file holds, read as a restart reads them. */
const recordsIn = (dir: string): RawRecord[] => readJournal(path.join(dir, JOURNAL)).records;

describe('serve: the journal behind --data-dir', () => {
  let dir: string;
  let logs: string[];
  const open = (options: Parameters<typeof Journal.open>[1] = {}) => Journal.open(dir, { log: (l) => logs.push(l), ...options });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-journal-'));
    logs = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Writes `count` records through a journal and closes it; returns the file's bytes. */
  async function written(count: number): Promise<Buffer> {
    const { journal } = open();
    for (let i = 0; i < count; i++) await journal.append({ t: 'x', i, text: `record ${i}` });
    await journal.close();
    return fs.readFileSync(path.join(dir, JOURNAL));
  }

  /** The byte offset at which line `line` (1-based) of `bytes` starts. */
  function lineStart(bytes: Buffer, line: number): number {
    let offset = 0;
    for (let l = 1; l < line; l++) offset = bytes.indexOf(0x0a, offset) + 1;
    return offset;
  }

  it('has every appended record on disk once its append resolves', async () => {
    const { journal } = open();
    await Promise.all(Array.from({ length: 100 }, (_, i) => journal.append({ t: 'x', i })));
    expect(recordsIn(dir).map((r) => r.i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    await journal.close();
  });

  it('writes a format-2 header, then each record framed with its UTF-8 byte length and the CRC-32 of those bytes', async () => {
    const { journal } = open();
    await journal.append({ t: 'b', text: 'ünïcode ✓' });
    await journal.close();
    const text = fs.readFileSync(path.join(dir, JOURNAL), 'utf8');
    const payload = '{"t":"b","text":"ünïcode ✓"}';
    const crc = crc32(Buffer.from(payload)).toString(16).padStart(8, '0');
    expect(text).toBe(`${HEADER}{"n":${Buffer.byteLength(payload)},"c":"${crc}","r":${payload}}\n`);
    // Every line is a JSON document, so jq (and a stepwright from before format 2) can read the file.
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('computes the same CRC-32 as zlib where Node has no zlib.crc32', () => {
    const bytes = Buffer.from(Array.from({ length: 5_000 }, (_, i) => (i * 7919) % 256));
    expect(crc32Table(bytes)).toBe(crc32(bytes));
    expect(crc32Table(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('reads back the records of an earlier run, in order', async () => {
    const first = open();
    await first.journal.append({ t: 'a', n: 1 });
    await first.journal.append({ t: 'b', text: 'ünïcode ✓' });
    await first.journal.close();
    const second = open();
    expect(second.records).toEqual([{ t: 'a', n: 1 }, { t: 'b', text: 'ünïcode ✓' }]);
    expect(second.places).toEqual([{ line: 2, offset: HEADER.length }, { line: 3, offset: expect.any(Number) }]);
    await second.journal.close();
  });

  it('drops a torn last line (a crash mid-write) with a log line naming it, and appends after the last whole record', async () => {
    const first = open();
    await first.journal.append({ t: 'kept', n: 1 });
    await first.journal.close();
    const size = fs.statSync(path.join(dir, JOURNAL)).size;
    fs.appendFileSync(path.join(dir, JOURNAL), frame({ t: 'torn', n: 2 }).subarray(0, 20));
    const second = open();
    expect(second.records).toEqual([{ t: 'kept', n: 1 }]);
    expect(logs).toEqual([`journal ${path.join(dir, JOURNAL)}: dropped its last line, line 3 (byte offset ${size}, 20 bytes): a write cut short by a crash, which no answered request was in`]);
    await second.journal.append({ t: 'next', n: 2 });
    await second.journal.close();
    expect(recordsIn(dir)).toEqual([{ t: 'kept', n: 1 }, { t: 'next', n: 2 }]);
  });

  it('refuses a journal with one byte changed in record 5 of 21, naming the file, line and byte offset, and leaves it byte for byte as it was', async () => {
    const bytes = await written(21);
    // Record 5 is on line 6, after the header.
    const start = lineStart(bytes, 6);
    const damaged = Buffer.from(bytes);
    damaged[start + 40] = damaged[start + 40] === 0x41 ? 0x42 : 0x41;
    fs.writeFileSync(path.join(dir, JOURNAL), damaged);
    let error: unknown;
    try {
      open();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JournalDamagedError);
    expect(error).toMatchObject({ file: path.join(dir, JOURNAL), line: 6, offset: start });
    expect((error as Error).message).toContain(`the journal ${path.join(dir, JOURNAL)} is damaged at line 6 (byte offset ${start}): its checksum does not match`);
    expect((error as Error).message).toContain('Nothing was changed');
    // What --repair would drop, named before anything is: the one line, and how many records stay.
    expect((error as Error).message).toContain('dropping line 6 (it keeps 20 records) and any record that depends on one dropped');
    expect(fs.readFileSync(path.join(dir, JOURNAL)).equals(damaged)).toBe(true);
    // The refusal released the directory: a server may start on it once the journal is restored.
    expect(fs.readdirSync(dir)).toEqual([JOURNAL]);
  });

  it.each([
    ['a newline written into a record (its frame is cut in two)', (line: Buffer) => Buffer.concat([line.subarray(0, 30), Buffer.from('\n'), line.subarray(31)]), 'its frame gives the record'],
    ['a lost newline (two records run together)', (line: Buffer) => line.subarray(0, line.length - 1), 'its frame gives the record'],
    ['a frame whose length is wrong', (line: Buffer) => Buffer.from(line.toString('latin1').replace(/^\{"n":(\d+)/, (_m, n) => `{"n":${Number(n) + 1}`), 'latin1'), 'its frame gives the record'],
    ['a line that is not a frame', () => Buffer.from('garbage\n'), 'it does not start with a record frame'],
  ])('refuses %s in the middle, untouched', async (_name, damage, problem) => {
    const bytes = await written(5);
    const start = lineStart(bytes, 3);
    const end = lineStart(bytes, 4);
    const damaged = Buffer.concat([bytes.subarray(0, start), damage(bytes.subarray(start, end)), bytes.subarray(end)]);
    fs.writeFileSync(path.join(dir, JOURNAL), damaged);
    expect(() => open()).toThrow(expect.objectContaining({ line: 3, offset: start, reason: expect.stringContaining(problem) }));
    expect(fs.readFileSync(path.join(dir, JOURNAL)).equals(damaged)).toBe(true);
  });

  it('names every damaged line --repair would drop, the first ten and a count of the rest, and how many records it keeps', async () => {
    const bytes = await written(30);
    const damaged = Buffer.from(bytes);
    // Records on lines 3, 5, ..., 25: twelve damaged lines.
    const hit = Array.from({ length: 12 }, (_, i) => 3 + 2 * i);
    for (const line of hit) {
      const at = lineStart(bytes, line) + 40;
      damaged[at] = flipped(damaged[at]);
    }
    fs.writeFileSync(path.join(dir, JOURNAL), damaged);
    expect(() => open()).toThrow(expect.objectContaining({
      line: 3,
      repairDrops: 'the 12 damaged lines 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, … 2 more (it keeps 18 records)',
    }));
    expect(fs.readFileSync(path.join(dir, JOURNAL)).equals(damaged)).toBe(true);
    const repaired = open({ repair: true });
    expect(repaired.damaged.map((d) => d.line)).toEqual(hit);
    expect(repaired.records).toHaveLength(18);
    await repaired.journal.close();
  });

  it('refuses a complete last line whose checksum is wrong: only a line without its newline counts as torn', async () => {
    const bytes = await written(3);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 10] = flipped(damaged[damaged.length - 10]);
    fs.writeFileSync(path.join(dir, JOURNAL), damaged);
    expect(() => open()).toThrow(expect.objectContaining({ line: 4, reason: expect.stringContaining('its checksum does not match') }));
  });

  it('refuses a journal whose header is damaged at line 1, and --repair keeps every record after it', async () => {
    const bytes = await written(3);
    const damaged = Buffer.from(bytes);
    damaged[10] = flipped(damaged[10]);
    fs.writeFileSync(path.join(dir, JOURNAL), damaged);
    expect(() => open()).toThrow(expect.objectContaining({ line: 1, offset: 0, reason: expect.stringContaining('it should be the format-2 header') }));
    expect(fs.readFileSync(path.join(dir, JOURNAL)).equals(damaged)).toBe(true);
    const repaired = open({ repair: true });
    expect(repaired.records.map((r) => r.i)).toEqual([0, 1, 2]);
    expect(repaired.damaged).toEqual([{ line: 1, offset: 0, length: HEADER.length, problem: expect.stringContaining('it should be the format-2 header') }]);
    await repaired.journal.close();
  });

  it('refuses a journal in a newer format, untouched', () => {
    const newer = '{"t":"stepwright-journal","format":3}\n{"anything":1}\n';
    fs.writeFileSync(path.join(dir, JOURNAL), newer);
    expect(() => open()).toThrow(/line 1 \(byte offset 0\): the journal is in format 3, written by a newer stepwright; this one reads formats 1 and 2/);
    expect(fs.readFileSync(path.join(dir, JOURNAL), 'utf8')).toBe(newer);
  });

  it('begins the journal when a crash cut its header short', async () => {
    fs.writeFileSync(path.join(dir, JOURNAL), HEADER.slice(0, 10));
    const { journal, records } = open();
    expect(records).toEqual([]);
    await journal.append({ t: 'a' });
    await journal.close();
    expect(recordsIn(dir)).toEqual([{ t: 'a' }]);
  });

  describe('a format-1 journal (bare JSON lines, as the first versions wrote it)', () => {
    const v1 = (records: RawRecord[]): Buffer => Buffer.concat(records.map(formatOneLine));

    it('is read, converted to format 2 and kept as journal.jsonl.format-1.bak, with a log line', async () => {
      const old = v1([{ t: 'a', n: 1 }, { t: 'b', text: 'ünïcode' }]);
      fs.writeFileSync(path.join(dir, JOURNAL), old);
      const { journal, records } = open();
      expect(records).toEqual([{ t: 'a', n: 1 }, { t: 'b', text: 'ünïcode' }]);
      await journal.append({ t: 'c' });
      await journal.close();
      expect(fs.readFileSync(path.join(dir, JOURNAL), 'utf8').startsWith(HEADER)).toBe(true);
      expect(recordsIn(dir)).toEqual([{ t: 'a', n: 1 }, { t: 'b', text: 'ünïcode' }, { t: 'c' }]);
      expect(fs.readFileSync(path.join(dir, `${JOURNAL}.format-1.bak`)).equals(old)).toBe(true);
      expect(logs).toEqual([expect.stringContaining(`converted 2 records from format 1 to format 2 (each record framed with its length and a checksum); the original is kept as ${path.join(dir, JOURNAL)}.format-1.bak`)]);
    });

    it('drops its torn last line, with a log line', () => {
      fs.writeFileSync(path.join(dir, JOURNAL), Buffer.concat([v1([{ t: 'a' }]), Buffer.from('{"t":"torn"')]));
      const { journal, records } = open();
      expect(records).toEqual([{ t: 'a' }]);
      expect(logs[0]).toMatch(/dropped its last line, line 2 \(byte offset 10, 11 bytes\)/);
      return journal.close();
    });

    it('is refused, untouched and not converted, when a line in the middle does not parse', () => {
      const lines = [{ t: 'a', n: 1 }, { t: 'b', n: 2 }, { t: 'c', n: 3 }].map((r) => formatOneLine(r).toString());
      const damaged = `${lines[0]}${lines[1].replace('"n"', '"n\u0000').replace(':2', '2')}${lines[2]}`;
      fs.writeFileSync(path.join(dir, JOURNAL), damaged);
      expect(() => open()).toThrow(expect.objectContaining({ line: 2, offset: lines[0].length, reason: expect.stringContaining('it is not JSON') }));
      expect(fs.readFileSync(path.join(dir, JOURNAL), 'utf8')).toBe(damaged);
      expect(fs.readdirSync(dir)).toEqual([JOURNAL]);
    });

    it('is refused when a line is JSON but not a record', () => {
      fs.writeFileSync(path.join(dir, JOURNAL), '{"t":"a"}\n[1,2]\n');
      expect(() => open()).toThrow(expect.objectContaining({ line: 2, reason: 'it is not a record: a JSON object with a string "t"' }));
    });
  });

  describe('--repair', () => {
    it('lists the damaged lines, keeps the journal as a backup, and writes it anew with the records that check out', async () => {
      const bytes = await written(6);
      const start = lineStart(bytes, 4);
      const damaged = Buffer.from(bytes);
      damaged[start + 40] = flipped(damaged[start + 40]);
      fs.writeFileSync(path.join(dir, JOURNAL), damaged);
      const { journal, records, damaged: lines } = open({ repair: true });
      expect(records.map((r) => r.i)).toEqual([0, 1, 3, 4, 5]);
      expect(lines).toEqual([{ line: 4, offset: start, length: lineStart(bytes, 5) - start, problem: expect.stringContaining('its checksum does not match') }]);
      const backup = journal.repair(records);
      await journal.append({ t: 'x', i: 6 });
      await journal.close();
      expect(fs.readFileSync(backup).equals(damaged)).toBe(true);
      expect(path.basename(backup)).toMatch(/^journal\.jsonl\.damaged-\d{8}T\d{6}Z\.bak$/);
      expect(recordsIn(dir).map((r) => r.i)).toEqual([0, 1, 3, 4, 5, 6]);
    });
  });

  describe('the lock', () => {
    it('holds the data directory while the journal is open, and gives it up when it closes', async () => {
      const { journal } = open();
      expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK), 'utf8'))).toMatchObject({ pid: process.pid });
      await journal.close();
      expect(fs.existsSync(path.join(dir, LOCK))).toBe(false);
    });

    it('refuses a second journal on the same directory in the same process', async () => {
      const { journal } = open();
      expect(() => open()).toThrow(`the data directory ${dir} is in use by another stepwright serve (pid ${process.pid}, this process)`);
      await journal.close();
      await open().journal.close();
    });
  });

  it('starts empty in a new directory, creating it', async () => {
    const nested = path.join(dir, 'a', 'b');
    const { journal, records } = Journal.open(nested);
    expect(records).toEqual([]);
    expect(fs.readFileSync(path.join(nested, JOURNAL), 'utf8')).toBe(HEADER);
    await journal.close();
  });

  describe('compaction', () => {
    /** The records as the compactor is given them. */
    const all = (records: () => Iterable<RawRecord>): RawRecord[] => [...records()];

    it('compacts once it would pass its size: the journal becomes what the compactor keeps, and later appends follow it', async () => {
      const { journal } = open({ compactAt: 3_000 });
      const seen: number[] = [];
      journal.compactWith((records) => {
        const count = all(records).length;
        seen.push(count);
        return [{ t: 'summary', count }];
      });
      const record = (i: number): RawRecord => ({ t: 'x', n: String(i).padStart(3, '0'), pad: 'p'.repeat(60) });
      for (let i = 0; i < 40; i++) await journal.append(record(i));
      await journal.close();
      // The header and `fit` records fit in 3,000 bytes: the next write compacts them and itself.
      const fit = Math.floor((3_000 - HEADER.length) / frame(record(0)).length);
      expect(seen).toEqual([fit + 1]);
      const lines = recordsIn(dir);
      expect(lines[0]).toEqual({ t: 'summary', count: fit + 1 });
      expect(lines.slice(1).map((r) => Number(r.n))).toEqual(Array.from({ length: 40 - fit - 1 }, (_, i) => fit + 1 + i));
      expect(fs.readdirSync(dir)).toEqual([JOURNAL]);
    });

    it('gives the compactor the records on disk and those being written, in order, as often as it reads them', async () => {
      const { journal } = open({ compactAt: 500 });
      const given: string[][] = [];
      journal.compactWith((records) => {
        given.push(all(records).map((r) => r.t), all(records).map((r) => r.t));
        return [];
      });
      await journal.append({ t: 'a', pad: 'p'.repeat(300) });
      await Promise.all([journal.append({ t: 'b', pad: 'p'.repeat(100) }), journal.append({ t: 'c', pad: 'p'.repeat(100) })]);
      await journal.close();
      expect(given).toEqual([['a', 'b', 'c'], ['a', 'b', 'c']]);
      expect(fs.readFileSync(path.join(dir, JOURNAL), 'utf8')).toBe(HEADER);
    });

    it('writes what the compactor yields as it yields it', async () => {
      const { journal } = open({ compactAt: 300 });
      journal.compactWith(function* compact() {
        for (let i = 0; i < 3; i++) yield { t: 'kept', i };
      });
      await journal.append({ t: 'a', pad: 'p'.repeat(400) });
      await journal.close();
      expect(recordsIn(dir)).toEqual([{ t: 'kept', i: 0 }, { t: 'kept', i: 1 }, { t: 'kept', i: 2 }]);
    });

    it('compacts again only once the journal has grown to twice its compacted size', async () => {
      const { journal } = open({ compactAt: 1_000 });
      let compactions = 0;
      // A live state of about 1,200 bytes: above the configured size, so the doubling rule decides.
      journal.compactWith(() => { compactions++; return [{ t: 'state', pad: 'p'.repeat(1_200) }]; });
      for (let i = 0; i < 12; i++) await journal.append({ t: 'x', pad: 'p'.repeat(80) });
      expect(compactions).toBe(1);
      for (let i = 0; i < 12; i++) await journal.append({ t: 'x', pad: 'p'.repeat(80) });
      expect(compactions).toBe(2);
      await journal.close();
    });

    it('removes the temporary file of a compaction that crashed before its rename, keeping the journal whole', async () => {
      const first = open();
      await first.journal.append({ t: 'kept', n: 1 });
      await first.journal.close();
      fs.writeFileSync(path.join(dir, 'journal.jsonl.compacting'), '{"t":"half-written"');
      const second = open();
      expect(second.records).toEqual([{ t: 'kept', n: 1 }]);
      expect(fs.readdirSync(dir).sort()).toEqual([JOURNAL, LOCK]);
      await second.journal.close();
    });

    it('refuses a compaction size that is not a positive number of bytes', () => {
      expect(() => open({ compactAt: 0 })).toThrow('the journal compaction size must be a positive number of bytes, got 0');
    });
  });

  describe('a symbolic link put in the data directory at a name the server writes', () => {
    let outside: string;
    let victim: string;
    beforeEach(() => {
      outside = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-victim-'));
      victim = path.join(outside, 'precious.txt');
      fs.writeFileSync(victim, 'precious');
    });
    afterEach(() => fs.rmSync(outside, { recursive: true, force: true }));

    it('is replaced, not written through, by the lock\'s own file', async () => {
      fs.symlinkSync(victim, path.join(dir, `${LOCK}.${process.pid}.tmp`));
      const { journal } = open();
      expect(fs.lstatSync(path.join(dir, LOCK)).isFile()).toBe(true);
      await journal.close();
      expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    });

    it('is replaced, not written through, by the copy a format-1 journal is kept as', async () => {
      fs.writeFileSync(path.join(dir, JOURNAL), formatOneLine({ t: 'a' }));
      fs.symlinkSync(victim, path.join(dir, `${JOURNAL}.format-1.bak`));
      const { journal, records } = open();
      expect(records).toEqual([{ t: 'a' }]);
      await journal.close();
      expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
      expect(fs.lstatSync(path.join(dir, `${JOURNAL}.format-1.bak`)).isFile()).toBe(true);
    });

    it('is replaced, not written through, by a compaction\'s temporary file put there while the server runs', async () => {
      const { journal } = open({ compactAt: 500 });
      journal.compactWith(() => [{ t: 'summary' }]);
      fs.symlinkSync(victim, path.join(dir, `${JOURNAL}.compacting`));
      for (let i = 0; i < 10; i++) await journal.append({ t: 'x', pad: 'p'.repeat(100) });
      await journal.close();
      expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
      expect(recordsIn(dir)[0]).toEqual({ t: 'summary' });
    });
  });
});
