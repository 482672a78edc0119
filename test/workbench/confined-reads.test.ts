import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { confinementOf, JsonFileReadError, pathInside } from '../../src/workbench/common/json-file';

describe('pathInside (the reads of stepwright mcp)', () => {
  let base: string;
  let root: string;
  beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'confine-'));
    root = path.join(base, 'root');
    fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
    fs.mkdirSync(path.join(base, 'out'));
    fs.writeFileSync(path.join(root, 'sub', 'in.json'), '{}');
    fs.writeFileSync(path.join(base, 'out', 'secret.json'), '{}');
    fs.writeFileSync(path.join(base, 'root-sibling.json'), '{}');
    fs.symlinkSync(path.join(base, 'out', 'secret.json'), path.join(root, 'to-secret.json'));
    fs.symlinkSync(path.join(base, 'out'), path.join(root, 'to-out'));
    fs.symlinkSync(path.join(root, 'sub', 'in.json'), path.join(root, 'to-in.json'));
    fs.symlinkSync(root, path.join(base, 'root-link'));
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  const kind = (file: string, from = root): string => {
    try {
      pathInside(confinementOf(from), file);
      return 'inside';
    } catch (e) {
      return (e as JsonFileReadError).kind;
    }
  };

  it('accepts relative and absolute paths inside, and links that stay inside, as their real paths', () => {
    const c = confinementOf(root);
    expect(pathInside(c, 'sub/in.json')).toBe(fs.realpathSync(path.join(root, 'sub', 'in.json')));
    expect(pathInside(c, path.join(root, 'sub', '..', 'sub', 'in.json'))).toBe(fs.realpathSync(path.join(root, 'sub', 'in.json')));
    expect(pathInside(c, 'to-in.json')).toBe(fs.realpathSync(path.join(root, 'sub', 'in.json')));
    expect(kind('.')).toBe('inside');
  });

  it.each([
    ['..', '../out/secret.json'],
    ['an absolute path elsewhere', '/etc/hostname'],
    ['a sibling whose name starts with the root\'s', '../root-sibling.json'],
    ['a link to a file outside', 'to-secret.json'],
    ['a path through a linked folder outside', 'to-out/secret.json'],
    ['a missing file outside', '../out/nothing.json'],
  ])('refuses %s as outside', (_what, file) => {
    expect(kind(file)).toBe('outside');
  });

  it('says a missing file inside is missing', () => {
    expect(kind('sub/nothing.json')).toBe('missing');
  });

  it('confines to the real folder when the root is given through a link', () => {
    expect(kind(path.join(base, 'root-link', 'sub', 'in.json'), path.join(base, 'root-link'))).toBe('inside');
    expect(kind('to-secret.json', path.join(base, 'root-link'))).toBe('outside');
  });
});
