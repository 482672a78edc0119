import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The dependency direction of the layers, checked on the source: which other
 * folders of src/ each layer may import (each allowance with its reason), and
 * which layers must not load the CDK. Type-only imports count too: they couple
 * the layers just the same.
 */
const SRC = path.join(__dirname, '..', 'src');

/** Each layer of src/, bottom to top. */
const LAYERS = ['asl', 'cfn', 'interpreter', 'iam', 'contracts', 'constructs', 'render', 'cost', 'explore', 'workbench', 'testing', 'server', 'mcp', 'cli'] as const;

/** One layer of src/ that may import another, and why. Nothing else may be imported across layers. */
interface Allowance {
  readonly from: (typeof LAYERS)[number];
  readonly to: (typeof LAYERS)[number];
  readonly why: string;
}

const ALLOWANCES: readonly Allowance[] = [
  { from: 'interpreter', to: 'asl', why: 'it runs the language asl/ defines: paths, payload templates, intrinsics, Choice rules, JSONata, the validator' },
  { from: 'iam', to: 'asl', why: 'it reads a definition\'s Tasks to know what each needs from IAM' },
  { from: 'contracts', to: 'asl', why: 'facts about AWS\'s services (their models and the developer guide), like iam/: it reads the language\'s types only' },
  { from: 'constructs', to: 'asl', why: 'the builders render ASL, and the validator Aspect checks it with asl/\'s validator' },
  { from: 'constructs', to: 'cfn', why: 'the validator Aspect reads the synthesized template with cfn/\'s resolver' },
  { from: 'constructs', to: 'contracts', why: 'the validator Aspect checks each Task\'s request and error names against its service\'s contract' },
  { from: 'constructs', to: 'iam', why: 'the validator Aspect checks each Task\'s permissions against its role' },
  { from: 'render', to: 'asl', why: 'it draws definitions' },
  { from: 'cost', to: 'asl', why: 'it counts a definition\'s states and tells what rules out Express' },
  { from: 'cost', to: 'interpreter', why: 'it reads results like render/: the types of interpreter/ only (checked below), never running anything' },
  { from: 'explore', to: 'asl', why: 'it solves Choice rules and reads paths' },
  { from: 'explore', to: 'interpreter', why: 'it confirms each scenario by running it' },
  { from: 'workbench', to: 'asl', why: 'it loads, checks and runs definitions' },
  { from: 'workbench', to: 'cfn', why: 'it loads state machines from templates and cdk.out with cfn/\'s resolver' },
  { from: 'workbench', to: 'cost', why: 'runs price themselves (WorkflowRun.cost), and cost() estimates from runs or a coverage report' },
  { from: 'workbench', to: 'explore', why: 'it runs explore\'s scenarios with mocks and scaffolds tests from them' },
  { from: 'workbench', to: 'iam', why: 'a run may fail the Tasks its role denies, and `validate --iam` checks the role' },
  { from: 'workbench', to: 'interpreter', why: 'it runs what it loads' },
  { from: 'workbench', to: 'contracts', why: 'mocks are checked against what each Task\'s Resource returns and raises, and `validate` checks requests and error names' },
  { from: 'workbench', to: 'render', why: 'runs draw themselves (WorkflowRun.toMermaid), and `steps` lays out a run' },
  { from: 'testing', to: 'workbench', why: 'the jest Workflow stands on the workbench\'s engine, and stepwright/testing exports its loaders, mocks and replay' },
  { from: 'testing', to: 'asl', why: 'its matchers and coverage read definitions' },
  { from: 'testing', to: 'cost', why: 'toCostAtMost and the reporter\'s cost table price runs' },
  { from: 'testing', to: 'explore', why: 'coverage reads runs with explore/\'s trace, and stepwright/testing exports explore\'s report types' },
  { from: 'testing', to: 'iam', why: 'checkPermissions and toHaveTaskPermissions report on roles' },
  { from: 'testing', to: 'interpreter', why: 'its matchers and serializer read results and histories, and start() drives an execution' },
  { from: 'testing', to: 'render', why: 'the coverage reporter writes its HTML pages with render/' },
  { from: 'server', to: 'workbench', why: 'serve loads templates and MockConfigFiles, forwards to endpoints, delivers at least once and answers TestState as the workbench does' },
  { from: 'server', to: 'asl', why: 'it validates and runs definitions it is sent' },
  { from: 'server', to: 'cfn', why: 'serve --load resolves the templates it deploys' },
  { from: 'server', to: 'cost', why: 'it logs what each execution would cost' },
  { from: 'server', to: 'contracts', why: 'CreateStateMachine refuses a field an optimized integration does not support, as AWS does' },
  { from: 'server', to: 'interpreter', why: 'it runs executions' },
  { from: 'mcp', to: 'workbench', why: 'its tools are the CLI\'s commands: load, run, validate, explore' },
  { from: 'mcp', to: 'asl', why: 'it validates definitions and names' },
  { from: 'mcp', to: 'interpreter', why: 'it reports the interpreter\'s input and limit errors' },
  { from: 'mcp', to: 'render', why: 'its render tool draws definitions and runs' },
  { from: 'mcp', to: 'server', why: 'its test_state tool reuses serve\'s TestState request mapping (server/test-state.ts)' },
  { from: 'cli', to: 'workbench', why: 'its commands are the workbench\'s' },
  { from: 'cli', to: 'asl', why: 'it validates definitions and names' },
  { from: 'cli', to: 'cost', why: '`stepwright cost` prints cost/\'s estimate' },
  { from: 'cli', to: 'explore', why: '`stepwright explore` prints explore/\'s report' },
  { from: 'cli', to: 'interpreter', why: 'it reports the interpreter\'s input and limit errors' },
  { from: 'cli', to: 'render', why: '`stepwright render` draws' },
  { from: 'cli', to: 'server', why: '`stepwright serve` starts the server' },
  { from: 'cli', to: 'mcp', why: '`stepwright mcp` starts the MCP server' },
];

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

  it('keeps the constructs/ and testing/ halves apart: constructs/ imports neither interpreter/, workbench/ nor testing/', () => {
    const wrong = ALL.filter((i) => i.layer === 'constructs' && ['interpreter', 'workbench', 'testing'].includes(i.target));
    expect(wrong.map((i) => `${i.file} imports ${i.target}/`)).toEqual([]);
  });
});
