import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALLOWANCES, LAYERS } from '../layers';

/**
 * docs/architecture.md is the one description of the layers: every folder of
 * src/ has its row in the layers table, and the row's "may import" column says
 * what test/layers.test.ts allows, no more and no less.
 */
const ROOT = path.join(__dirname, '..', '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf-8');

/** The rows of the layers table: layer name → the layers its last column names. */
function layerRows(markdown: string): Map<string, Set<string>> {
  const rows = new Map<string, Set<string>>();
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([a-z]+)\/`$/.exec(cells[1] ?? '');
    if (!name || cells.length < 5) continue;
    const named = [...cells[3].matchAll(/`([a-z]+)\/`/g)].map((m) => m[1]).filter((n) => n !== name[1]);
    rows.set(name[1], new Set(named));
  }
  return rows;
}

describe('docs/architecture.md', () => {
  const rows = layerRows(DOC);

  it('has a row for every folder of src/', () => {
    const folders = fs.readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !rows.has(f))).toEqual([]);
  });

  it('has a row for every layer the layers test knows, bottom to top in the same order', () => {
    expect([...rows.keys()]).toEqual([...LAYERS]);
  });

  it.each([...LAYERS])('says what %s/ may import exactly as the layers test allows it', (layer) => {
    const allowed = ALLOWANCES.filter((a) => a.from === layer).map((a) => a.to).sort();
    expect([...(rows.get(layer) ?? [])].sort()).toEqual(allowed);
  });

  it('tells a folder missing from it apart: a table without the workbench row lacks workbench', () => {
    const without = DOC.split('\n').filter((l) => !l.startsWith('| `workbench/`')).join('\n');
    expect(layerRows(without).has('workbench')).toBe(false);
  });

  it('is linked from docs/contributing.md', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'contributing.md'), 'utf-8')).toContain('(architecture.md)');
  });
});
