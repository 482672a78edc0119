import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkOutputFiles, OutputFileError, writeOutputFiles } from '../../src/workbench/common/output-files';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-output-files-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const at = (...parts: string[]) => path.join(dir, ...parts);
const options = { command: 'explore', force: false };
const forced = { ...options, force: true };

/** The error `fn` throws, which must be an OutputFileError. */
function refusal(fn: () => unknown): OutputFileError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OutputFileError);
    return e as OutputFileError;
  }
  throw new Error('expected a refusal, and nothing was thrown');
}

describe('writeOutputFiles', () => {
  it('writes each file, making its folder, and appends in append mode', () => {
    fs.writeFileSync(at('summary.md'), 'before\n');
    writeOutputFiles([
      { file: at('deep', 'a.json'), option: '--out', text: 'A' },
      { file: at('summary.md'), option: '--summary', mode: 'append', text: 'after\n' },
    ], options);
    expect(fs.readFileSync(at('deep', 'a.json'), 'utf8')).toBe('A');
    expect(fs.readFileSync(at('summary.md'), 'utf8')).toBe('before\nafter\n');
  });

  it('refuses a symbolic link at the target, forced or not, and writes nothing through it', () => {
    fs.writeFileSync(at('target.txt'), 'theirs');
    fs.symlinkSync(at('target.txt'), at('link.txt'));
    for (const o of [options, forced]) {
      const e = refusal(() => writeOutputFiles([{ file: at('link.txt'), option: '--out', text: 'mine' }], o));
      expect(e.kind).toBe('link');
      expect(e.message).toBe(`${at('link.txt')} (--out) is a symbolic link; explore does not write through links: name the file itself`);
    }
    expect(fs.readFileSync(at('target.txt'), 'utf8')).toBe('theirs');
  });

  it('refuses a dangling symbolic link, and creates no file where it points', () => {
    fs.symlinkSync(at('nowhere', 'target.txt'), at('link.txt'));
    fs.mkdirSync(at('nowhere'));
    const e = refusal(() => writeOutputFiles([{ file: at('link.txt'), option: '--out', text: 'mine' }], forced));
    expect(e.kind).toBe('link');
    expect(fs.existsSync(at('nowhere', 'target.txt'))).toBe(false);
  });

  it('refuses an existing file without force, leaving it as it was; with force it replaces it', () => {
    fs.writeFileSync(at('t.test.ts'), 'my edits');
    const e = refusal(() => writeOutputFiles([{ file: at('t.test.ts'), option: '--write-tests', text: 'new' }], options));
    expect(e.kind).toBe('exists');
    expect(e.message).toBe(`${at('t.test.ts')} exists (it may hold your edits); pass --force to overwrite it`);
    expect(fs.readFileSync(at('t.test.ts'), 'utf8')).toBe('my edits');
    writeOutputFiles([{ file: at('t.test.ts'), option: '--write-tests', text: 'new' }], forced);
    expect(fs.readFileSync(at('t.test.ts'), 'utf8')).toBe('new');
  });

  it('checks every output before writing any: a refused second output leaves no first file', () => {
    fs.writeFileSync(at('MockConfigFile.json'), 'mine');
    const e = refusal(() => writeOutputFiles([
      { file: at('t.test.ts'), option: '--write-tests', text: 'tests' },
      { file: at('MockConfigFile.json'), option: '--mock-config', text: '{}' },
    ], options));
    expect(e.kind).toBe('exists');
    expect(fs.existsSync(at('t.test.ts'))).toBe(false);
    expect(fs.readFileSync(at('MockConfigFile.json'), 'utf8')).toBe('mine');
  });

  it('refuses two outputs that are the same file, also through a linked folder, even forced', () => {
    fs.mkdirSync(at('real'));
    fs.symlinkSync(at('real'), at('alias'));
    for (const second of [at('same.json'), at('.', 'same.json')]) {
      const e = refusal(() => writeOutputFiles([
        { file: at('same.json'), option: '--write-tests', text: 'a' },
        { file: second, option: '--mock-config', text: 'b' },
      ], forced));
      expect(e.kind).toBe('same-file');
      expect(e.message).toBe(`--write-tests and --mock-config name the same file, ${second}: give each its own`);
    }
    const e = refusal(() => writeOutputFiles([
      { file: at('real', 'x.json'), option: '--out', text: 'a' },
      { file: at('alias', 'x.json'), option: '--summary', text: 'b' },
    ], forced));
    expect(e.kind).toBe('same-file');
    expect(fs.readdirSync(dir).sort()).toEqual(['alias', 'real']);
    expect(fs.readdirSync(at('real'))).toEqual([]);
  });

  it('refuses what is not a regular file, and a missing name, an option taken for one or - (standard output elsewhere)', () => {
    fs.mkdirSync(at('folder'));
    expect(refusal(() => writeOutputFiles([{ file: at('folder'), option: '--out', text: '' }], forced)).kind).toBe('not-file');
    for (const file of ['', '--force']) {
      const e = refusal(() => writeOutputFiles([{ file, option: '--out', text: '' }], forced));
      expect(e.kind).toBe('no-name');
      expect(e.message).toBe(`--out needs a file name, got '${file}'`);
    }
    const dash = refusal(() => writeOutputFiles([{ file: '-', option: '--out', text: '' }], forced));
    expect(dash.kind).toBe('no-name');
    expect(dash.message).toBe("--out needs a file name, got '-' (explore writes no output to standard output; ./- names a file called -)");
  });

  it('refuses an output whose folder is a file or a link to nothing before writing any, forced or not', () => {
    fs.writeFileSync(at('first.json'), 'old');
    fs.writeFileSync(at('blocker'), '');
    fs.symlinkSync(at('gone'), at('dangling'));
    for (const [second, why] of [[at('blocker', 'second.md'), `${at('blocker')} is not a folder`],
      [at('blocker', 'deeper', 'second.md'), `${at('blocker')} is not a folder`],
      [at('dangling', 'second.md'), `${at('dangling')} is a symbolic link to nothing`]]) {
      const e = refusal(() => writeOutputFiles([
        { file: at('first.json'), option: '--out', text: 'new' },
        { file: at('new.json'), option: '--json-out', text: 'new' },
        { file: second, option: '--summary', text: 'never' },
      ], forced));
      expect(e.kind).toBe('no-folder');
      expect(e.message).toBe(`cannot write ${second} (--summary): ${why}`);
    }
    expect(fs.readFileSync(at('first.json'), 'utf8')).toBe('old');
    expect(fs.readdirSync(dir).sort()).toEqual(['blocker', 'dangling', 'first.json']);
  });

  it('refuses two names of one file (hard links) as the same file, and writes neither', () => {
    fs.writeFileSync(at('t.test.ts'), 'mine');
    fs.linkSync(at('t.test.ts'), at('MockConfigFile.json'));
    const e = refusal(() => writeOutputFiles([
      { file: at('t.test.ts'), option: '--write-tests', text: 'tests' },
      { file: at('MockConfigFile.json'), option: '--mock-config', text: '{}' },
    ], forced));
    expect(e.kind).toBe('same-file');
    expect(e.message).toBe(`--write-tests and --mock-config name the same file, ${at('MockConfigFile.json')}: give each its own`);
    expect(fs.readFileSync(at('t.test.ts'), 'utf8')).toBe('mine');
  });

  it('when a later write fails, removes the files and folders it created and leaves a file it was to replace as it was', () => {
    fs.writeFileSync(at('first.json'), 'old');
    // A name longer than any file system takes: the check passes, creating it fails.
    const tooLong = at('made', 'deeper', `${'x'.repeat(300)}.md`);
    const e = refusal(() => writeOutputFiles([
      { file: at('first.json'), option: '--out', text: 'new' },
      { file: at('second.json'), option: '--json-out', text: 'new' },
      { file: tooLong, option: '--summary', text: 'never' },
    ], forced));
    expect(e.kind).toBe('io');
    expect(e.message.startsWith(`cannot write ${tooLong}: `)).toBe(true);
    expect(fs.readFileSync(at('first.json'), 'utf8')).toBe('old');
    expect(fs.readdirSync(dir).sort()).toEqual(['first.json']);
  });

  it('replaces a file that exists (forced) only after every new file is written, leaving no file beside it', () => {
    fs.writeFileSync(at('first.json'), 'old');
    writeOutputFiles([
      { file: at('first.json'), option: '--out', text: 'new' },
      { file: at('sub', 'second.json'), option: '--json-out', text: 'two' },
    ], forced);
    expect(fs.readFileSync(at('first.json'), 'utf8')).toBe('new');
    expect(fs.readFileSync(at('sub', 'second.json'), 'utf8')).toBe('two');
    expect(fs.readdirSync(dir).sort()).toEqual(['first.json', 'sub']);
  });

  it('checks again when writing: a file put at a path since an earlier check is refused, not overwritten', () => {
    const [existed] = checkOutputFiles([{ file: at('late.json'), option: '--out' }], options);
    expect(existed).toBe(false);
    fs.writeFileSync(at('late.json'), 'theirs');
    expect(refusal(() => writeOutputFiles([{ file: at('late.json'), option: '--out', text: 'mine' }], options)).kind).toBe('exists');
    expect(fs.readFileSync(at('late.json'), 'utf8')).toBe('theirs');
  });
});
