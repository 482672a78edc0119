import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/cli';

const guide = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'explore.md'), 'utf8');

function blocks(lang: string): string[] {
  return [...guide.matchAll(new RegExp('```' + lang + '\\n([^]*?)```', 'g'))].map((m) => m[1]);
}

describe('docs/explore.md', () => {
  it('shows what stepwright explore prints for its first example (the lines it does not shorten)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-explore-doc-'));
    try {
      const file = path.join(dir, 'order.asl.json');
      fs.writeFileSync(file, blocks('json')[0]);
      const chunks: string[] = [];
      const out = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
      expect(await main(['explore', file], out, new Writable({ write(_c, _e, done) { done(); } }))).toBe(0);
      const printed = chunks.join('').split(`${dir}${path.sep}`).join('').trimEnd().split('\n');
      const shown = blocks('text')[0].trimEnd().split('\n');
      expect(printed).toHaveLength(shown.length);
      shown.forEach((line, i) => {
        if (!line.includes('…')) expect(printed[i]).toBe(line);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
