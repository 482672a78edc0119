import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { commandsOf, problemWith, runCli, type CliResult, type Command } from './commands';
import { docFiles, missingExcerpt, parseDoc, ROOT, where, type CodeBlock } from './markdown';
import { typecheckInThread } from './typecheck';
import { OrderStack } from '../../examples/order-workflow/lib/order-stack';
import { renderMermaid } from '../../src/render';
import { Workflow } from '../../src/testing/workflow';
import { parseRecording } from '../../src/workbench/replay/format';

// Every code block of README.md and docs/*.md is checked here, by the kind its
// `<!-- check: ... -->` marker names (or its language's default), so no guide can
// drift from what the library does:
//   file <path>       the block is that file, which a test or CI runs
//   excerpt <path>    the block's lines (split at `// ...`) are lines of that file, in order
//   typecheck [ctx]   compiles against src/ (the default for ts and js); ctx declares names it uses
//   cli               each command exists with the options it shows (the default for sh)
//   run               as cli, then each stepwright command runs and exits 0
//   ci                as run, and each command is one .ci/run runs on its fresh clone
//   output            the stdout of the `run` block above it
//   json              parses (the default for json); `json recording` is a valid recording
//   mermaid <name>    the diagram stepwright draws of that example
//   none <reason>     not checked, and the reason is printed as a test name
const docs = docFiles().map(parseDoc);
const blocks = docs.flatMap((d) => d.blocks);
const of = (kind: CodeBlock['check']) => blocks.filter((b) => b.check === kind);
const label = (b: CodeBlock) => where(b);
/** `[title, block]` rows for `it.each`; jest refuses an empty table, and a kind no guide uses has nothing to check. */
const rows = (kind: CodeBlock['check']) => of(kind).map((b) => [label(b), b] as const);
const each = (kind: CodeBlock['check'], title: string, fn: (block: CodeBlock) => unknown, timeout?: number) => {
  if (of(kind).length) it.each(rows(kind))(title, (_name, block) => fn(block) as Promise<void>, timeout);
};

describe('the guides', () => {
  it('are README.md and the guides under docs/, each one listed in the README', () => {
    const readme = docs[0].text;
    const guides = docFiles().slice(1);
    expect(guides.length).toBeGreaterThanOrEqual(10);
    expect(guides.filter((g) => !readme.includes(`](${g})`))).toEqual([]);
  });

  it('keep the README short enough to read in five minutes', () => {
    expect(docs[0].text.split('\n').length).toBeLessThan(150);
  });

  it('start each guide with a runnable example: its first code block is a file a test runs, or runs itself', () => {
    const notRunnable = docs.slice(1)
      // Performance opens with the benchmark's commands (they need ../shared), contributing with the
      // clone's; architecture describes the source and has no example to run.
      .filter((d) => !['performance.md', 'contributing.md', 'architecture.md'].includes(path.basename(d.doc)))
      .filter((d) => !['file', 'excerpt', 'run'].includes(d.blocks[0]?.check ?? ''))
      .map((d) => `${d.doc}: first block is ${d.blocks[0] ? `${label(d.blocks[0])} checked as ${d.blocks[0].check}` : 'missing'}`);
    expect(notRunnable).toEqual([]);
  });

  it('give every code block a check: a language with a default, or a known marker', () => {
    const unchecked = blocks.filter((b) => b.check === undefined)
      .map((b) => `${label(b)}: ${b.badMarker ? `unknown marker ${b.badMarker}` : 'no default check for this language; add <!-- check: ... -->'}`);
    expect(unchecked).toEqual([]);
  });

  it('do not ask for a compile step before the main job', () => {
    // `npm install` builds lib/ (the prepare script); a guide that says to compile first is out of date.
    expect(docs.filter((d) => /projen compile/.test(d.text)).map((d) => d.doc)).toEqual([]);
  });
});

describe('links in the guides', () => {
  const links = docs.flatMap((d) => d.links).filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l.target));

  it('point at files that exist and at headings that exist', () => {
    const broken: string[] = [];
    for (const link of links) {
      const [file, anchor] = link.target.split('#');
      const target = file === '' ? link.doc : path.normalize(path.join(path.dirname(link.doc), file));
      if (!fs.existsSync(path.join(ROOT, target))) {
        broken.push(`${link.doc}:${link.line}: ${link.target}: no file ${target}`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!target.endsWith('.md')) {
        broken.push(`${link.doc}:${link.line}: ${link.target}: an anchor into a file that is not Markdown`);
        continue;
      }
      const doc = docs.find((d) => d.doc === target) ?? parseDoc(target);
      if (!doc.anchors.has(anchor)) broken.push(`${link.doc}:${link.line}: ${link.target}: ${target} has no heading #${anchor}`);
    }
    expect(broken).toEqual([]);
  });

  it('are found: the guides link to each other', () => {
    expect(links.length).toBeGreaterThan(20);
  });
});

describe('blocks that are files a test runs', () => {
  each('file', '%s is the whole file its marker names', (block) => {
    const file = path.join(ROOT, block.argument);
    expect(fs.existsSync(file)).toBe(true);
    expect(block.code.trim()).toBe(fs.readFileSync(file, 'utf8').trim());
  });

  each('excerpt', '%s is lines of the file its marker names, in order', (block) => {
    const file = path.join(ROOT, block.argument);
    expect(fs.existsSync(file)).toBe(true);
    expect(missingExcerpt(block.code, fs.readFileSync(file, 'utf8'))).toBeUndefined();
  });
});

describe('TypeScript and JavaScript blocks', () => {
  const checked = of('typecheck');
  let errors: Map<CodeBlock, string[]>;
  // One program for every block: compiling aws-cdk-lib's and stepwright's types takes ~10 s once.
  beforeAll(async () => { errors = await typecheckInThread(checked); }, 300_000);

  each('typecheck', '%s compiles', (block) => {
    expect(errors.get(block)).toEqual([]);
  });
});

describe('shell blocks', () => {
  const check = async (block: CodeBlock) => {
    const commands = commandsOf(block.code);
    expect(commands.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const c of commands) {
      const problem = await problemWith(c);
      if (problem) problems.push(`${c.text}: ${problem}`);
    }
    expect(problems).toEqual([]);
  };
  each('cli', '%s shows commands that exist, with options they take', check);
  each('run', '%s shows commands that exist, with options they take', check);
  each('ci', '%s shows commands that exist, with options they take', check);
});

describe('blocks CI runs on a fresh clone', () => {
  const ciCommands = commandsOf(fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8'));
  /** A command's words, CI's own quiet flags aside (they only spare its log the audit and funding notes). */
  const words = (c: Command) => c.words.filter((w) => w !== '--no-audit' && w !== '--no-fund').join(' ');

  each('ci', '%s holds commands .ci/run runs, exactly as written', (block) => {
    const ran = new Set(ciCommands.map(words));
    expect(commandsOf(block.code).map(words).filter((w) => !ran.has(w))).toEqual([]);
  });

  it('the README shows how to run the main job and pass the tests from a checkout, in two commands', () => {
    const readme = of('ci').filter((b) => b.doc === 'README.md');
    expect(readme).toHaveLength(1);
    const lines = readme[0].code.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(commandsOf(lines[0]).map(words)).toEqual(['npm install', expect.stringMatching(/^npx stepwright run examples\/cli\//)]);
    expect(commandsOf(lines[1]).map(words)).toEqual(['npx projen test']);
  });
});

describe('blocks that run', () => {
  const outputs = new Map<CodeBlock, Promise<CliResult[]>>();
  const runOf = (block: CodeBlock): Promise<CliResult[]> => {
    let results = outputs.get(block);
    if (!results) {
      results = (async () => {
        const all: CliResult[] = [];
        for (const c of commandsOf(block.code)) {
          const [head, ...args] = c.words[0] === 'npx' ? c.words.slice(1) : c.words;
          // A `ci` block's set-up and test commands are what this checkout already ran to get here.
          if (block.check === 'ci' && head !== 'stepwright') continue;
          if (head !== 'stepwright') throw new Error(`${label(block)}: only stepwright commands run here, not '${c.text}'`);
          all.push(await runCli(args));
        }
        return all;
      })();
      outputs.set(block, results);
    }
    return results;
  };

  const exitsZero = async (block: CodeBlock) => {
    const results = await runOf(block);
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((r) => (r.code === 0 ? '' : r.err))).toEqual(results.map(() => ''));
  };
  each('run', '%s exits 0', exitsZero, 120_000);
  each('ci', '%s: its stepwright commands exit 0', exitsZero, 120_000);

  each('output', '%s is what the commands above it print', async (block) => {
    const doc = docs.find((d) => d.doc === block.doc)!;
    const source = [...doc.blocks].reverse().find((b) => b.line < block.line && b.check === 'run');
    expect(source).toBeDefined();
    const printed = (await runOf(source!)).map((r) => r.out).join('');
    const trim = (s: string) => s.split('\n').map((l) => l.trimEnd()).join('\n').trim();
    expect(trim(block.code)).toBe(trim(printed));
  }, 120_000);
});

describe('JSON blocks', () => {
  each('json', '%s parses', (block) => {
    const value: unknown = JSON.parse(block.code);
    if (block.argument === 'recording') expect(() => parseRecording(value)).not.toThrow();
  });
});

describe('diagrams', () => {
  each('mermaid', '%s is the diagram stepwright draws of the example', (block) => {
    expect(block.argument).toBe('order-workflow');
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const wf = Workflow.fromStack(new OrderStack(app, 'OrderWorkflow'));
    expect(block.code.trimEnd()).toBe(renderMermaid(wf.definition).trimEnd());
  });
});

describe('blocks not checked', () => {
  // A block no test can check says why, and the reason is printed here rather than skipped in silence.
  const none = of('none');
  if (none.length) {
    it.each(none.map((b) => [`${label(b)}: ${b.argument}`, b] as const))('%s', (_name, block) => {
      expect(block.argument.length).toBeGreaterThan(20);
    });
  }
});
