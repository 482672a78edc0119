import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './run-cli';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-outputs-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const at = (...parts: string[]) => path.join(dir, ...parts);

function definitionFile(name = 'm.asl.json'): string {
  const file = at(name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }));
  return file;
}

describe('stepwright explore: the files it writes', () => {
  it('never writes through a symbolic link at the --write-tests path, dangling or not, forced or not', async () => {
    const def = definitionFile();
    const outside = at('elsewhere', 'target.test.ts');
    fs.mkdirSync(path.dirname(outside));
    fs.symlinkSync(outside, at('t.test.ts'));
    for (const extra of [[], ['--force']]) {
      const r = await cli('explore', def, '--write-tests', at('t.test.ts'), ...extra);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`${at('t.test.ts')} (--write-tests) is a symbolic link; explore does not write through links`);
      expect(fs.existsSync(outside)).toBe(false);
    }
  });

  it('checks every output before writing any: an existing MockConfigFile leaves no test file behind', async () => {
    const def = definitionFile();
    fs.writeFileSync(at('MockConfigFile.json'), 'mine');
    const r = await cli('explore', def, '--write-tests', at('t.test.ts'), '--mock-config', at('MockConfigFile.json'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('MockConfigFile.json exists (it may hold your edits); pass --force to overwrite it');
    expect(fs.existsSync(at('t.test.ts'))).toBe(false);
    expect(fs.readFileSync(at('MockConfigFile.json'), 'utf8')).toBe('mine');
  });

  it('refuses one path for both files, even with --force', async () => {
    const def = definitionFile();
    const r = await cli('explore', def, '--write-tests', at('same.json'), '--mock-config', at('same.json'), '--force');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--write-tests and --mock-config name the same file');
    expect(fs.existsSync(at('same.json'))).toBe(false);
  });

  it('refuses a --mock-config path under a file before writing, leaving an existing test file as it was, even with --force', async () => {
    const def = definitionFile();
    fs.writeFileSync(at('t.test.ts'), 'my edits');
    fs.writeFileSync(at('notes'), '');
    const r = await cli('explore', def, '--write-tests', at('t.test.ts'), '--mock-config', at('notes', 'MockConfigFile.json'), '--force');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`(--mock-config): ${at('notes')} is not a folder`);
    expect(fs.readFileSync(at('t.test.ts'), 'utf8')).toBe('my edits');
  });

  it('refuses two hard links to one file as one path for both files, even with --force', async () => {
    const def = definitionFile();
    fs.writeFileSync(at('t.test.ts'), 'my edits');
    fs.linkSync(at('t.test.ts'), at('MockConfigFile.json'));
    const r = await cli('explore', def, '--write-tests', at('t.test.ts'), '--mock-config', at('MockConfigFile.json'), '--force');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--write-tests and --mock-config name the same file');
    expect(fs.readFileSync(at('t.test.ts'), 'utf8')).toBe('my edits');
  });

  it('takes no option for a file name: --write-tests --force writes no file named --force', async () => {
    const def = definitionFile();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await cli('explore', def, '--write-tests', '--force');
      expect(r.code).toBe(2);
      expect(r.err).toContain("--write-tests needs a file name, got '--force'");
      expect(fs.existsSync(at('--force'))).toBe(false);
    } finally {
      process.chdir(cwd);
    }
  });

  it('writes a definition whose name holds a backslash as that name, not as a folder', async () => {
    const def = definitionFile('sub\\x.asl.json');
    const r = await cli('explore', def, '--write-tests', at('t.test.ts'));
    expect(r.code).toBe(0);
    expect(fs.readFileSync(at('t.test.ts'), 'utf8')).toContain("path.resolve(__dirname, 'sub\\\\x.asl.json')");
  });

  it('computes the path to the definition from the real folder when the test file is written through a symlinked folder', async () => {
    const def = definitionFile(path.join('defs', 'm.asl.json'));
    fs.mkdirSync(at('deep', 'real', 'tests'), { recursive: true });
    fs.symlinkSync(at('deep', 'real', 'tests'), at('tests'));
    const r = await cli('explore', def, '--write-tests', at('tests', 't.test.ts'));
    expect(r.code).toBe(0);
    const text = fs.readFileSync(at('deep', 'real', 'tests', 't.test.ts'), 'utf8');
    const rel = /path\.resolve\(__dirname, '([^']+)'\)/.exec(text)![1];
    expect(path.resolve(fs.realpathSync(at('deep', 'real', 'tests')), rel)).toBe(fs.realpathSync(def));
  });
});
