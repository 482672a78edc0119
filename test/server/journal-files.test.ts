import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeStateMachineCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { refusedServer } from './processes';
import { startServer } from '../../src/server';
import { crc32, frame, HEADER, MAX_LINE_BYTES, type RawRecord } from '../../src/server/journal/format';
import { readJournal } from '../../src/server/journal/recovery';

const JOURNAL = 'journal.jsonl';
const REPORT_MAX_RSS = path.join(__dirname, 'fixtures', 'report-max-rss.js');

/** The peak resident set size a server printed through fixtures/report-max-rss.js, in MiB. */
function maxRssMiB(stderr: string): number {
  const m = /max-rss-kib (\d+)/.exec(stderr);
  if (!m) throw new Error(`no max-rss-kib line in: ${stderr}`);
  return Number(m[1]) / 1024;
}

describe('serve --data-dir: what is found where the journal should be', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-journal-files-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  /** The journal's header, then a line of `bytes` zero bytes (a sparse file: no disk is used), with or without its newline. */
  function hugeLine(bytes: number, newline: boolean): string {
    const file = path.join(dir, JOURNAL);
    fs.writeFileSync(file, HEADER);
    fs.truncateSync(file, HEADER.length + bytes);
    if (newline) fs.appendFileSync(file, '\n');
    return file;
  }

  it('refuses a line of 512 MiB as damage, in bounded memory, and changes nothing', async () => {
    // The same server refusing a short damaged line is the yardstick: its peak
    // depends on the machine and on what runs beside it, the difference does not.
    fs.writeFileSync(path.join(dir, JOURNAL), `${HEADER}not a record\n`);
    const usual = await refusedServer(dir, { node: ['-r', REPORT_MAX_RSS] });
    expect(usual.code).toBe(2);
    const file = hugeLine(512 * 1024 * 1024, true);
    const refused = await refusedServer(dir, { node: ['-r', REPORT_MAX_RSS] });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`the journal ${file} is damaged at line 2 (byte offset ${HEADER.length}): it is 536,870,912 bytes long, longer than any record`);
    // Reading the line whole costs at least its 512 MiB on top of the usual
    // peak (1 GiB as a string). Read in chunks, the server keeps at most what a
    // record may hold (MAX_LINE_BYTES, 256 MiB) before it knows the line is too
    // long; 128 MiB above that is the margin for the garbage collector's timing.
    const boundMiB = MAX_LINE_BYTES / (1024 * 1024) + 128;
    expect(maxRssMiB(refused.stderr) - maxRssMiB(usual.stderr)).toBeLessThan(boundMiB);
    expect(fs.statSync(file).size).toBe(HEADER.length + 512 * 1024 * 1024 + 1);
  }, 120_000);

  it('does not take a last line longer than any record for a write cut short: it is damage, not dropped', async () => {
    const file = hugeLine(MAX_LINE_BYTES + 1, false);
    const refused = await refusedServer(dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`is damaged at line 2 (byte offset ${HEADER.length}): it is 268,435,457 bytes long with no newline, longer than any record`);
    expect(fs.statSync(file).size).toBe(HEADER.length + MAX_LINE_BYTES + 1);
  }, 120_000);

  it('with --repair, lists a line longer than any record among the damaged ones, without keeping its bytes', () => {
    const file = hugeLine(MAX_LINE_BYTES + 10, true);
    const contents = readJournal(file, true);
    expect(contents.records).toEqual([]);
    expect(contents.damaged).toEqual([expect.objectContaining({ line: 2, offset: HEADER.length, length: MAX_LINE_BYTES + 11 })]);
    expect(contents.end).toBe(HEADER.length + MAX_LINE_BYTES + 11);
  });

  it('refuses a journal that is a directory, naming it', async () => {
    fs.mkdirSync(path.join(dir, JOURNAL));
    const refused = await refusedServer(dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`the journal ${path.join(dir, JOURNAL)} is a directory; the journal is a file the server writes: move the directory away. Nothing was changed`);
  }, 60_000);

  it('refuses a journal that is a symbolic link, which its first compaction would replace, and leaves the file it points to as it was', async () => {
    const elsewhere = path.join(dir, 'elsewhere.jsonl');
    fs.writeFileSync(elsewhere, HEADER);
    fs.symlinkSync(elsewhere, path.join(dir, JOURNAL));
    const refused = await refusedServer(dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`the journal ${path.join(dir, JOURNAL)} is a symbolic link (to ${elsewhere})`);
    expect(fs.readFileSync(elsewhere)).toEqual(HEADER);
    expect(fs.lstatSync(path.join(dir, JOURNAL)).isSymbolicLink()).toBe(true);
  }, 60_000);

  it('refuses a data directory it cannot write in (a full disk), naming it, and leaves no file of its own behind', async () => {
    // A file size limit of 0 blocks: the first byte written fails with EFBIG, as on a full disk with ENOSPC.
    const refused = await refusedServer(dir, { fileSizeBlocks: 0 });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`cannot use the data directory ${dir}: EFBIG: file too large, write`);
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 60_000);

  describe('records whole and checked, but not as the server writes them', () => {
    const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:m';
    const machine: RawRecord = {
      t: 'machine',
      arn: MACHINE,
      name: 'm',
      definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
      roleArn: 'arn:aws:iam::123456789012:role/r',
      type: 'STANDARD',
      at: 1.7e12,
      revisionId: 'r1',
    };
    const start: RawRecord = { t: 'start', arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e1', machine: MACHINE, name: 'e1', input: '{}', seed: 1, at: 1.7e12 };
    const journal = (...records: RawRecord[]): void => fs.writeFileSync(path.join(dir, JOURNAL), Buffer.concat([HEADER, ...records.map(frame)]));

    it('refuses a state machine whose name is not its ARN\'s or too long, naming the line and field', async () => {
      journal(machine, { ...machine, arn: `${MACHINE}2`, name: 'other' });
      await expect(startServer({ port: 0, host: '127.0.0.1', dataDir: dir, log: () => undefined })).rejects.toThrow(
        `is damaged at line 3 (byte offset ${HEADER.length + frame(machine).length}): the 'machine' record's field 'name' "other" is not the name its field 'arn' holds ("m2")`);
      journal({ ...machine, name: 'm'.repeat(1_000_000) });
      await expect(startServer({ port: 0, host: '127.0.0.1', dataDir: dir, log: () => undefined })).rejects.toThrow(
        `is damaged at line 2 (byte offset ${HEADER.length}): the 'machine' record's field 'name' is 1,000,000 characters long, where a name has 1 to 80`);
    });

    it('refuses a start written twice (a duplicated line), naming the second', async () => {
      journal(machine, start, start);
      const second = HEADER.length + frame(machine).length + frame(start).length;
      await expect(startServer({ port: 0, host: '127.0.0.1', dataDir: dir, log: () => undefined })).rejects.toThrow(
        `is damaged at line 4 (byte offset ${second}): the 'start' record cannot be applied: it starts the execution '${start.arn}', which an earlier record started`);
    });

    describe('a closed execution\'s history whose events no history of AWS holds', () => {
      // GetExecutionHistory answered each as it was: a timestamp of 1e999 (Infinity) the SDK read as
      // none, a previousEventId after its own event or negative, a type AWS has no event of, and a
      // details key 'id' that took the place of the event's id.
      const HISTORY = 'h1';
      const events = (third: string, fourth = '["ExecutionSucceeded",3,1700000000000,"executionSucceededEventDetails",{"output":{}}]'): string => `[${[
        '["ExecutionStarted",0,1700000000000,"executionStartedEventDetails",{"input":{},"roleArn":"arn:aws:iam::123456789012:role/r"}]',
        '["PassStateEntered",0,1700000000000,"P",{}]',
        third,
        fourth,
      ].join(',')}]`;
      /** A record's line framed as the server frames it, from its JSON text (which may hold 1e999, as no JSON.stringify writes). */
      const framed = (text: string): Buffer => {
        const bytes = Buffer.from(text);
        return Buffer.from(`{"n":${bytes.length},"c":"${crc32(bytes).toString(16).padStart(8, '0')}","r":${text}}\n`);
      };
      const closed: RawRecord = { t: 'closed', arn: start.arn, status: 'SUCCEEDED', stopDate: 1.7e12, output: '{}', history: { id: HISTORY, parts: 1, events: 4 } };
      const journalWith = (history: string): void => fs.writeFileSync(path.join(dir, JOURNAL), Buffer.concat([
        HEADER, frame(machine), frame(start), framed(`{"t":"history","id":"${HISTORY}","part":0,"pool":[],"events":${history}}`), frame(closed),
      ]));
      const PASS_EXITED = '["PassStateExited",2,1700000000000,"P",{}]';

      it('reads back the history the server writes', async () => {
        journalWith(events(PASS_EXITED));
        const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, log: () => undefined });
        const sfn = server.client();
        try {
          const { events: read } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: start.arn as string }));
          expect(read?.map((e) => [e.id, e.type, e.previousEventId])).toEqual([[1, 'ExecutionStarted', 0], [2, 'PassStateEntered', 0], [3, 'PassStateExited', 2], [4, 'ExecutionSucceeded', 3]]);
        } finally {
          sfn.destroy();
          await server.close();
        }
      });

      it.each([
        ['a timestamp of 1e999', events('["PassStateExited",2,1e999,"P",{}]'), 'event 3 of history \'h1\' has a timestamp no date holds: Infinity'],
        ['a timestamp before any date', events('["PassStateExited",2,-1e20,"P",{}]'), 'event 3 of history \'h1\' has a timestamp no date holds: -100000000000000000000'],
        ['a previousEventId that is negative', events('["PassStateExited",-5,1700000000000,"P",{}]'), 'event 3 of history \'h1\' follows event -5, which is no event before it'],
        ['a previousEventId that is its own id', events('["PassStateExited",3,1700000000000,"P",{}]'), 'event 3 of history \'h1\' follows event 3, which is no event before it'],
        ['a previousEventId that is a fraction', events('["PassStateExited",1.5,1700000000000,"P",{}]'), 'event 3 of history \'h1\' follows event 1.5, which is no event before it'],
        ['a type AWS has no event of', events('["__proto__",2,1700000000000,"P",{}]'), 'event 3 of history \'h1\' is of a type no history of AWS holds: "__proto__"'],
        ['details kept under the key id', events(PASS_EXITED, '["ExecutionSucceeded",3,1700000000000,"id",{"output":{}}]'),
          'event 4 of history \'h1\' keeps its details as "id", which a ExecutionSucceeded event has none of'],
        ['details that are not an object', events(PASS_EXITED, '["ExecutionSucceeded",3,1700000000000,"executionSucceededEventDetails","x"]'),
          'event 4 of history \'h1\' has details that are not an object'],
      ])('refuses an event with %s, naming the record and the event; --repair drops the record and says so', async (_what, history, problem) => {
        journalWith(history);
        const at = HEADER.length + frame(machine).length + frame(start).length + framed(`{"t":"history","id":"${HISTORY}","part":0,"pool":[],"events":${history}}`).length;
        await expect(startServer({ port: 0, host: '127.0.0.1', dataDir: dir, log: () => undefined })).rejects.toThrow(
          `is damaged at line 5 (byte offset ${at}): the 'closed' record of '${start.arn}' cannot be read: ${problem}`);
        const logs: string[] = [];
        const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, repair: true, log: (l) => logs.push(l) });
        try {
          expect(logs.join('\n')).toContain(problem);
        } finally {
          await server.close();
        }
      });
    });

    it('describes a state machine whose record has no logging or tracing configuration (both optional) as one with none', async () => {
      journal(machine);
      const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, log: () => undefined });
      const sfn = server.client();
      try {
        const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE }));
        expect(described.loggingConfiguration).toEqual({ level: 'OFF', includeExecutionData: false });
        expect(described.tracingConfiguration).toEqual({ enabled: false });
      } finally {
        sfn.destroy();
        await server.close();
      }
    });
  });
});
