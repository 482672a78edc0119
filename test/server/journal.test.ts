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
});
