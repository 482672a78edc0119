import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALLOWANCES, LAYERS, ROOM_ALLOWANCES, ROOMS, SURFACES } from './layers';

/**
 * The dependency direction of the layers, checked on the source: which other
 * folders of src/ each layer may import (each allowance with its reason), and
 * which layers must not load the CDK. Type-only imports count too: they couple
 * the layers just the same.
 */
const SRC = path.join(__dirname, '..', 'src');

const MAY_IMPORT: Record<string, readonly string[]> = Object.fromEntries(
  LAYERS.map((layer) => [layer, ALLOWANCES.filter((a) => a.from === layer).map((a) => a.to)]),
);

/** The shells: each stands on the workbench, never on the jest surface. */
const SHELLS = ['server', 'cli', 'mcp'];

/** Layers the jest setup file and the interpreter load: aws-cdk-lib is slow to load and not theirs to know. */
const NO_CDK = new Set(['asl', 'cfn', 'interpreter', 'iam', 'explore', 'cost', 'contracts']);

const SPECIFIER = /\b(?:from\s*|import\s*\(\s*|require\s*\(\s*|^\s*import\s+)'([^']+)'/gm;

interface Import {
  readonly file: string;
  readonly layer: string;
  readonly target: string;
  /** The file imported, relative to src/ (a folder stands for its index.ts); absent for a package. */
  readonly module?: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every import of every file under src/, each named by the layer it is in and what it imports. */
function imports(): Import[] {
  const out: Import[] = [];
  for (const file of sourceFiles(SRC)) {
    const relative = path.relative(SRC, file);
    const layer = relative.includes(path.sep) ? relative.split(path.sep)[0] : relative;
    for (const match of fs.readFileSync(file, 'utf-8').matchAll(SPECIFIER)) {
      const specifier = match[1];
      if (!specifier.startsWith('.')) {
        out.push({ file: relative, layer, target: `package:${specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]}` });
        continue;
      }
      const resolved = path.resolve(path.dirname(file), specifier);
      const module = fs.existsSync(`${resolved}.ts`) ? `${resolved}.ts` : path.join(resolved, 'index.ts');
      out.push({ file: relative, layer, target: path.relative(SRC, resolved).split(path.sep)[0], module: path.relative(SRC, module).split(path.sep).join('/') });
    }
  }
  return out;
}

const ALL = imports();

/** The layer of a file relative to src/, or for a file of workbench/ its room (`workbench/mocks`). */
function unitOf(relative: string): string {
  const parts = relative.split(/[\\/]/);
  return parts[0] === 'workbench' && parts.length > 2 ? `workbench/${parts[1]}` : parts[0];
}

/** Imports from one layer or room into another: what the surfaces are checked on. */
const CROSSING = ALL.filter((i) => i.module !== undefined && unitOf(i.file) !== unitOf(i.module));

const DOORS = new Set(SURFACES.map((d) => d.module));

const ROOM_MAY_IMPORT: Record<string, readonly string[]> = Object.fromEntries(
  ROOMS.map((room) => [room, ROOM_ALLOWANCES.filter((a) => a.from === room).map((a) => a.to)]),
);

describe('layers', () => {
  it('finds the imports of every layer it checks', () => {
    const layersSeen = new Set(ALL.filter((i) => i.target === 'asl').map((i) => i.layer));
    expect([...layersSeen].sort()).toEqual(expect.arrayContaining(['constructs', 'interpreter', 'iam', 'testing', 'workbench']));
    expect(ALL.some((i) => i.layer === 'workbench' && i.target === 'cfn')).toBe(true);
    expect(ALL.some((i) => i.layer === 'server' && i.target === 'workbench')).toBe(true);
    expect(ALL.some((i) => i.layer === 'constructs' && i.target === 'package:aws-cdk-lib')).toBe(true);
  });

  it('has a rule for every folder of src/', () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !(f in MAY_IMPORT))).toEqual([]);
  });

  it('gives every allowance a reason, once', () => {
    expect(ALLOWANCES.filter((a) => a.why.trim().length < 10).map((a) => `${a.from} -> ${a.to}`)).toEqual([]);
    const pairs = ALLOWANCES.map((a) => `${a.from} -> ${a.to}`);
    expect(pairs.filter((p, i) => pairs.indexOf(p) !== i)).toEqual([]);
  });

  it.each(Object.entries(MAY_IMPORT))('%s/ imports no layer of src/ above it', (layer, allowed) => {
    const wrong = ALL.filter((i) => i.layer === layer && !i.target.startsWith('package:')
      && i.target !== layer && !allowed.includes(i.target));
    expect(wrong.map((i) => `${i.file} imports ${i.target}/`)).toEqual([]);
  });

  it.each([...NO_CDK])('%s/ does not import aws-cdk-lib or constructs', (layer) => {
    const wrong = ALL.filter((i) => i.layer === layer && (i.target === 'package:aws-cdk-lib' || i.target === 'package:constructs'));
    expect(wrong.map((i) => `${i.file} imports ${i.target}`)).toEqual([]);
  });

  it('lets cost/ read interpreter/ results by their types only: it never runs anything', () => {
    const costFiles = sourceFiles(path.join(SRC, 'cost'));
    expect(costFiles.length).toBeGreaterThan(0);
    const wrong = costFiles.flatMap((file) => fs.readFileSync(file, 'utf-8').split('\n')
      .filter((line) => /from '\.\.\/interpreter\//.test(line) && !/^import type /.test(line))
      .map((line) => `${path.relative(SRC, file)}: ${line.trim()}`));
    expect(wrong).toEqual([]);
  });

  it('server/, cli/ and mcp/ import nothing from the jest layer (testing/)', () => {
    const wrong = ALL.filter((i) => SHELLS.includes(i.layer) && i.target === 'testing');
    expect(wrong.map((i) => `${i.file} imports testing/`)).toEqual([]);
  });

  it('workbench/ imports nothing from the jest layer (testing/): the jest surface stands on it, not under it', () => {
    const wrong = ALL.filter((i) => i.layer === 'workbench' && i.target === 'testing');
    expect(wrong.map((i) => `${i.file} imports testing/`)).toEqual([]);
  });

  it('lets mcp/ reach server/ only through its public modules (index.ts, test-state.ts), never server/operations/', () => {
    const PUBLIC = new Set(['server/index.ts', 'server/test-state.ts']);
    const wrong = ALL.filter((i) => i.layer === 'mcp' && i.target === 'server' && !PUBLIC.has(i.module ?? ''));
    expect(wrong.map((i) => `${i.file} imports ${i.module}`)).toEqual([]);
  });

  it('lets nothing but cli/ and mcp/ import server/, and nothing import cli/', () => {
    const wrong = ALL.filter((i) => (i.target === 'server' && !['server', 'cli', 'mcp'].includes(i.layer)) || (i.target === 'cli' && i.layer !== 'cli'));
    expect(wrong.map((i) => `${i.file} imports ${i.target}/`)).toEqual([]);
  });

  it('lets nothing but cli/ import mcp/', () => {
    const wrong = ALL.filter((i) => i.target === 'mcp' && !['mcp', 'cli'].includes(i.layer));
    expect(wrong.map((i) => `${i.file} imports ${i.target}/`)).toEqual([]);
  });

  it('keeps the MCP SDK and zod out of every layer but mcp/', () => {
    const wrong = ALL.filter((i) => i.layer !== 'mcp' && (i.target === 'package:@modelcontextprotocol/sdk' || i.target === 'package:zod'));
    expect(wrong.map((i) => `${i.file} imports ${i.target}`)).toEqual([]);
  });

  it('keeps the catalogue of optimized integrations (asl/integrations.ts) data only: it imports nothing, and contracts/, iam/ and the validator read it', () => {
    const own = ALL.filter((i) => i.file === path.join('asl', 'integrations.ts'));
    expect(own.map((i) => `asl/integrations.ts imports ${i.module ?? i.target}`)).toEqual([]);
    const readers = new Set(ALL.filter((i) => i.module === 'asl/integrations.ts').map((i) => i.file.split(path.sep).slice(0, 2).join('/')));
    expect([...readers]).toEqual(expect.arrayContaining(['contracts/optimized.ts', 'iam/optimized', 'asl/validate']));
  });

  it('keeps the constructs/ and testing/ halves apart: constructs/ imports neither interpreter/, workbench/ nor testing/', () => {
    const wrong = ALL.filter((i) => i.layer === 'constructs' && ['interpreter', 'workbench', 'testing'].includes(i.target));
    expect(wrong.map((i) => `${i.file} imports ${i.target}/`)).toEqual([]);
  });

  it('keeps every file of workbench/ in a room: each folder of workbench/ is a room of ROOMS, with an index.ts', () => {
    const entries = fs.readdirSync(path.join(SRC, 'workbench'), { withFileTypes: true });
    expect(entries.filter((e) => !e.isDirectory()).map((e) => e.name)).toEqual([]);
    const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(folders).toEqual([...ROOMS].sort());
    expect(folders.filter((f) => !fs.existsSync(path.join(SRC, 'workbench', f, 'index.ts')))).toEqual([]);
  });

  it('gives every allowance between rooms a reason, once, and lets a room import only rooms below it', () => {
    expect(ROOM_ALLOWANCES.filter((a) => a.why.trim().length < 10).map((a) => `${a.from} -> ${a.to}`)).toEqual([]);
    const pairs = ROOM_ALLOWANCES.map((a) => `${a.from} -> ${a.to}`);
    expect(pairs.filter((p, i) => pairs.indexOf(p) !== i)).toEqual([]);
    expect(ROOM_ALLOWANCES.filter((a) => ROOMS.indexOf(a.to) >= ROOMS.indexOf(a.from)).map((a) => `${a.from} -> ${a.to}`)).toEqual([]);
  });

  it.each(Object.entries(ROOM_MAY_IMPORT))('workbench/%s/ imports no room of workbench/ it is not allowed', (room, allowed) => {
    const wrong = CROSSING.filter((i) => unitOf(i.file) === `workbench/${room}` && unitOf(i.module!).startsWith('workbench/')
      && !allowed.includes(unitOf(i.module!).slice('workbench/'.length)));
    expect(wrong.map((i) => `${i.file} imports ${i.module}`)).toEqual([]);
  });

  it('lets a layer or a room reach another only through its index.ts or a door of SURFACES', () => {
    const wrong = CROSSING.filter((i) => i.module !== `${unitOf(i.module!)}/index.ts` && !DOORS.has(i.module!));
    expect(wrong.map((i) => `${i.file} imports ${i.module}`)).toEqual([]);
  });

  it('tells an import past an index apart: workbench/workflow/session.ts is no door', () => {
    expect(DOORS.has('workbench/workflow/session.ts')).toBe(false);
    expect(unitOf('workbench/workflow/session.ts')).toBe('workbench/workflow');
  });

  it('lists each door once, with its reason, and only doors an import goes through', () => {
    const modules = SURFACES.map((d) => d.module);
    expect(modules.filter((m, i) => modules.indexOf(m) !== i)).toEqual([]);
    expect(SURFACES.filter((d) => d.why.trim().length < 10).map((d) => d.module)).toEqual([]);
    expect(modules.filter((m) => !fs.existsSync(path.join(SRC, m)))).toEqual([]);
    const used = new Set(CROSSING.map((i) => i.module));
    expect(modules.filter((m) => !used.has(m))).toEqual([]);
  });
});
