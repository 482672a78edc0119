import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { caseFileOf, loadCases, ParityError, type ParityRequest } from '../../../src/workbench/parity';
import { cli } from '../../cli/run-cli';
import { startMcp, textOf, type McpSession } from '../../mcp/client';

// A folder of case files (`parity --cases <dir>`, MCP's parity casesFile) is a user's or a peer's.
// Before, every `*.json` name in it was listed at once and every file read before any was checked:
// 10,001 files were all opened, 33 files of 8 MiB (264 MiB) were all read into memory, and a
// symbolic link in the folder was followed wherever it led.

const request: ParityRequest = { definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, stateName: 'P', input: {}, inspectionLevel: 'INFO' };
const CASE = JSON.stringify(caseFileOf(
  { machine: 'M', state: 'P', visit: 1, attempt: 1 }, request, { status: 'SUCCEEDED', output: {} }, { status: 'SUCCEEDED', output: {} },
  'output', 'AWS (us-east-1)', new Date('2026-01-02T03:04:05Z'),
));

function refusal(names: string[]): string {
  try {
    loadCases(names);
  } catch (e) {
    if (e instanceof ParityError) return e.message;
    throw e;
  }
  throw new Error('not refused');
}

describe('a folder of case files', () => {
  let root: string;
  let mcp: McpSession;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-case-folders-'));
    // 10,001 empty files: reading any of them would fail as "not JSON" first.
    fs.mkdirSync(path.join(root, 'many'));
    for (let i = 0; i <= 10_000; i++) fs.writeFileSync(path.join(root, 'many', `c${i}.json`), '');
    fs.mkdirSync(path.join(root, 'linked'));
    fs.writeFileSync(path.join(root, 'real.json'), CASE);
    fs.symlinkSync(path.join(root, 'real.json'), path.join(root, 'linked', 'a.json'));
    mcp = await startMcp(root);
  });
  afterAll(async () => {
    await mcp.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reads a folder of regular case files, and a link named by the user', () => {
    const dir = fs.mkdtempSync(path.join(root, 'good-'));
    fs.writeFileSync(path.join(dir, 'b.json'), CASE);
    fs.writeFileSync(path.join(dir, 'a.json'), CASE);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a case');
    expect(loadCases([dir]).map((c) => path.basename(c.file))).toEqual(['a.json', 'b.json']);
    expect(loadCases([path.join(root, 'linked', 'a.json')])).toHaveLength(1);
  });

  it('refuses more than 10,000 case files before reading one', () => {
    expect(refusal([path.join(root, 'many')])).toMatch(/many: more than 10,000 case files, the most one check reads/);
  });

  it('refuses case files of more than 256 MiB together before reading one', () => {
    const dir = fs.mkdtempSync(path.join(root, 'large-'));
    // Sparse files of zeros: reading the first would fail as "not JSON".
    for (let i = 10; i < 43; i++) {
      fs.writeFileSync(path.join(dir, `c${i}.json`), '');
      fs.truncateSync(path.join(dir, `c${i}.json`), 8 * 1_048_576);
    }
    expect(refusal([dir])).toMatch(/c42\.json: the case files come to more than 268,435,456 bytes with it/);
  });

  it('does not follow a symbolic link in a folder', () => {
    expect(refusal([path.join(root, 'linked')])).toMatch(/a\.json: cannot read it: it is a symbolic link, which a folder's case files are not read through/);
  });

  it('refuses a pipe or a folder named like a case file, without opening it', () => {
    const dir = fs.mkdtempSync(path.join(root, 'special-'));
    fs.mkdirSync(path.join(dir, 'd.json'));
    expect(refusal([dir])).toMatch(/d\.json: cannot read it: it is a directory/);
    fs.rmdirSync(path.join(dir, 'd.json'));
    execFileSync('mkfifo', [path.join(dir, 'p.json')]);
    expect(refusal([dir])).toMatch(/p\.json: cannot read it: not a regular file/);
  });

  it('stepwright parity --cases exits 2 naming the folder and the bound', async () => {
    const r = await cli('parity', '--cases', path.join(root, 'many'), '--recorded');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/many: more than 10,000 case files/);
  });

  it('MCP\'s parity answers a tool error for too many files and for a link', async () => {
    const many = await mcp.call('parity', { casesFile: 'many', recorded: true });
    expect(many.isError).toBe(true);
    expect(textOf(many)).toMatch(/more than 10,000 case files/);
    const linked = await mcp.call('parity', { casesFile: 'linked', recorded: true });
    expect(linked.isError).toBe(true);
    expect(textOf(linked)).toMatch(/a\.json: cannot read it: it is a symbolic link/);
  });
});
