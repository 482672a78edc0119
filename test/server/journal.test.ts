import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Journal } from '../../src/server/journal';

describe('serve: the journal behind --data-dir', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-journal-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has every appended record on disk once its append resolves', async () => {
    const { journal } = Journal.open(dir);
    await Promise.all(Array.from({ length: 100 }, (_, i) => journal.append({ t: 'x', i })));
    const lines = fs.readFileSync(journal.file, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    await journal.close();
  });

  it('reads back the records of an earlier run, in order', async () => {
    const first = Journal.open(dir);
    await first.journal.append({ t: 'a', n: 1 });
    await first.journal.append({ t: 'b', text: 'ünïcode ✓' });
    await first.journal.close();
    expect(Journal.open(dir).records).toEqual([{ t: 'a', n: 1 }, { t: 'b', text: 'ünïcode ✓' }]);
  });

  it('drops a torn last line (a crash mid-write) and appends after the last whole record', async () => {
    const first = Journal.open(dir);
    await first.journal.append({ t: 'kept', n: 1 });
    await first.journal.close();
    fs.appendFileSync(path.join(dir, 'journal.jsonl'), '{"t":"torn","n":');
    const second = Journal.open(dir);
    expect(second.records).toEqual([{ t: 'kept', n: 1 }]);
    await second.journal.append({ t: 'next', n: 2 });
    await second.journal.close();
    expect(Journal.open(dir).records).toEqual([{ t: 'kept', n: 1 }, { t: 'next', n: 2 }]);
  });

  it('starts empty in a new directory, creating it', async () => {
    const nested = path.join(dir, 'a', 'b');
    const { journal, records } = Journal.open(nested);
    expect(records).toEqual([]);
    expect(fs.existsSync(path.join(nested, 'journal.jsonl'))).toBe(true);
    await journal.close();
  });

  it('compacts once it would pass its size: the journal becomes what the compactor keeps, and later appends follow it', async () => {
    const { journal } = Journal.open(dir, { compactAt: 2_000 });
    const seen: number[] = [];
    journal.compactWith((records) => {
      seen.push(records.length);
      return [{ t: 'summary', count: records.length }];
    });
    for (let i = 0; i < 40; i++) await journal.append({ t: 'x', n: String(i).padStart(3, '0'), pad: 'p'.repeat(60) });
    await journal.close();
    const lines = fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // 2,000 bytes hold 22 records of 89 bytes: the 23rd write compacts all 23.
    expect(seen).toEqual([23]);
    expect(lines[0]).toEqual({ t: 'summary', count: 23 });
    expect(lines.slice(1).map((r) => Number(r.n))).toEqual(Array.from({ length: 17 }, (_, i) => 23 + i));
    expect(fs.readdirSync(dir)).toEqual(['journal.jsonl']);
  });

  it('gives the compactor the records on disk and those being written, in order', async () => {
    const { journal } = Journal.open(dir, { compactAt: 500 });
    let given: unknown[] = [];
    journal.compactWith((records) => { given = records; return []; });
    await journal.append({ t: 'a', pad: 'p'.repeat(300) });
    await Promise.all([journal.append({ t: 'b', pad: 'p'.repeat(100) }), journal.append({ t: 'c', pad: 'p'.repeat(100) })]);
    await journal.close();
    expect(given.map((r) => (r as { t: string }).t)).toEqual(['a', 'b', 'c']);
    expect(fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8')).toBe('');
  });

  it('compacts again only once the journal has grown to twice its compacted size', async () => {
    const { journal } = Journal.open(dir, { compactAt: 1_000 });
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
    const first = Journal.open(dir);
    await first.journal.append({ t: 'kept', n: 1 });
    await first.journal.close();
    fs.writeFileSync(path.join(dir, 'journal.jsonl.compacting'), '{"t":"half-written"');
    const second = Journal.open(dir);
    expect(second.records).toEqual([{ t: 'kept', n: 1 }]);
    expect(fs.readdirSync(dir)).toEqual(['journal.jsonl']);
    await second.journal.close();
  });

  it('refuses a compaction size that is not a positive number of bytes', () => {
    expect(() => Journal.open(dir, { compactAt: 0 })).toThrow('the journal compaction size must be a positive number of bytes, got 0');
  });
});
