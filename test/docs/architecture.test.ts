import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALLOWANCES, LAYERS, ROOM_ALLOWANCES, ROOMS, SURFACES } from '../layers';

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

/** The rows of the rooms table: room name → the rooms its last column names. */
function roomRows(markdown: string): Map<string, Set<string>> {
  const rows = new Map<string, Set<string>>();
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`workbench\/([a-z0-9-]+)\/`$/.exec(cells[1] ?? '');
    if (!name || cells.length < 5) continue;
    const named = [...cells[3].matchAll(/`workbench\/([a-z0-9-]+)\/`/g)].map((m) => m[1]).filter((n) => n !== name[1]);
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

describe('docs/architecture.md: the rooms of workbench/ and the public surfaces', () => {
  const rows = roomRows(DOC);

  it('has a row for every room the layers test knows, bottom to top in the same order', () => {
    expect([...rows.keys()]).toEqual([...ROOMS]);
  });

  it.each([...ROOMS])('says what workbench/%s/ may import exactly as the layers test allows it', (room) => {
    const allowed = ROOM_ALLOWANCES.filter((a) => a.from === room).map((a) => a.to).sort();
    expect([...(rows.get(room) ?? [])].sort()).toEqual(allowed);
  });

  it('tells a room missing from it apart: a table without the mocks row lacks mocks', () => {
    const without = DOC.split('\n').filter((l) => !l.startsWith('| `workbench/mocks/`')).join('\n');
    expect(roomRows(without).has('mocks')).toBe(false);
  });

  it('names SURFACES, where the doors past an index are listed, and the layers whose index feeds the package', () => {
    expect(SURFACES.length).toBeGreaterThan(0);
    const section = DOC.slice(DOC.indexOf('## Public surfaces'), DOC.indexOf('## How a run flows'));
    expect(section).toContain('`SURFACES`');
    for (const entry of ['asl', 'interpreter', 'render', 'iam', 'constructs', 'testing', 'server']) expect(section).toContain(`\`${entry}/\``);
  });
});

describe('How a run flows', () => {
  /** Every source file of a shell, by its path relative to src/. */
  function shellFiles(): Array<{ file: string; text: string }> {
    const out: Array<{ file: string; text: string }> = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(path.join(ROOT, 'src', dir), { withFileTypes: true })) {
        const rel = path.posix.join(dir, entry.name);
        if (entry.isDirectory()) walk(rel);
        else if (rel.endsWith('.ts')) out.push({ file: rel, text: fs.readFileSync(path.join(ROOT, 'src', rel), 'utf-8') });
      }
    };
    for (const shell of ['server', 'cli', 'mcp']) walk(shell);
    return out;
  }

  it('holds for every door: no shell compiles a machine to run on the interpreter, they run on the workbench\'s engine', () => {
    // CreateStateMachine compiles a definition only to refuse one the interpreter cannot compile (the Checking step).
    const checking = new Set(['server/operations/machines.ts']);
    const compiling = shellFiles().filter((f) => /\bcompileStateMachine\(/.test(f.text) && !checking.has(f.file)).map((f) => f.file);
    expect(compiling).toEqual([]);
  });

  it('names the door table\'s modules as they are', () => {
    const cells = [...DOC.slice(DOC.indexOf('## How a run flows'), DOC.indexOf('## Where a change goes')).matchAll(/`((?:[a-z-]+\/)+[a-z-]+\.ts)`/g)].map((m) => m[1]);
    expect(cells.length).toBeGreaterThan(10);
    expect(cells.filter((c) => !fs.existsSync(path.join(ROOT, 'src', c)))).toEqual([]);
  });
});
