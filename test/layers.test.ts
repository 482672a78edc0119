import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The dependency direction of DESIGN.md, checked on the source: which other
 * folders of src/ each layer may import, and which layers must not load the
 * CDK. Type-only imports count too: they couple the layers just the same.
 */
const SRC = path.join(__dirname, '..', 'src');

const MAY_IMPORT: Record<string, readonly string[]> = {
  asl: [],
  cfn: [],
  interpreter: ['asl'],
  iam: ['asl'],
  constructs: ['asl', 'cfn', 'iam'],
  render: ['asl', 'interpreter'],
  // The harness draws its runs with render/ (toMermaid, the HTML reporter), prices them with cost/,
  // and turns explore/'s scenarios into runs (Workflow.explore); coverage reads runs with explore/'s trace.
  testing: ['asl', 'cfn', 'cost', 'explore', 'iam', 'interpreter', 'render'],
  // It loads synthesized templates (serve --load) with the harness's loaders and their cfn/ resolver.
  server: ['asl', 'cfn', 'cost', 'interpreter', 'testing'],
  cli: ['asl', 'cfn', 'cost', 'explore', 'iam', 'interpreter', 'render', 'server', 'testing', 'mcp'],
  // It reads results, like render/: the types of interpreter/ only (checked below), never running anything.
  cost: ['asl', 'interpreter'],
  // A shell like cli/ over the same calls; it reuses serve's TestState request mapping.
  mcp: ['asl', 'cfn', 'explore', 'iam', 'interpreter', 'render', 'server', 'testing'],
  // It solves Choice rules (asl/) and confirms each scenario by running it (interpreter/).
  explore: ['asl', 'interpreter'],
  // Facts about AWS's services (models and the developer guide), like iam/: the language's types only.
  contracts: ['asl'],
};

/** Layers the jest setup file and the interpreter load: aws-cdk-lib is slow to load and not theirs to know. */
const NO_CDK = new Set(['asl', 'cfn', 'interpreter', 'iam', 'explore', 'cost', 'contracts']);

const SPECIFIER = /\b(?:from\s*|import\s*\(\s*|require\s*\(\s*|^\s*import\s+)'([^']+)'/gm;

interface Import { readonly file: string; readonly layer: string; readonly target: string }

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
      const target = specifier.startsWith('.')
        ? path.relative(SRC, path.resolve(path.dirname(file), specifier)).split(path.sep)[0]
        : `package:${specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]}`;
      out.push({ file: relative, layer, target });
    }
  }
  return out;
}

const ALL = imports();

describe('layers', () => {
  it('finds the imports of every layer it checks', () => {
    const layersSeen = new Set(ALL.filter((i) => i.target === 'asl').map((i) => i.layer));
    expect([...layersSeen].sort()).toEqual(expect.arrayContaining(['constructs', 'interpreter', 'iam', 'testing']));
    expect(ALL.some((i) => i.layer === 'testing' && i.target === 'cfn')).toBe(true);
    expect(ALL.some((i) => i.layer === 'constructs' && i.target === 'package:aws-cdk-lib')).toBe(true);
  });

  it('has a rule for every folder of src/', () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !(f in MAY_IMPORT))).toEqual([]);
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

  it('keeps the constructs/ and testing/ halves apart: constructs/ imports neither interpreter/ nor testing/', () => {
    const wrong = ALL.filter((i) => i.layer === 'constructs' && (i.target === 'interpreter' || i.target === 'testing'));
    expect(wrong.map((i) => `${i.file} imports ${i.target}/`)).toEqual([]);
  });
});
