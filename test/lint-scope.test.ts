// The eslint task lints in one TypeScript program (docs/contributing.md, "Lint in one program"): a
// file it lints that tsconfig.eslint.json lacks is a parse error, and a folder it does not lint goes
// unchecked. scripts/generate-answer-outcome-docs.ts was in no lint at all.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');

/** The folders and files the eslint task passes eslint, from the task projen writes. */
function lintedPaths(): string[] {
  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')) as {
    tasks: { eslint: { steps: Array<{ execArgs?: string[] }> } };
  };
  const args = tasks.tasks.eslint.steps.flatMap((step) => step.execArgs ?? []);
  return args.filter((arg) => !arg.startsWith('-') && arg !== 'eslint' && arg !== '$@' && !arg.startsWith('.ts'));
}

/** The files of tsconfig.eslint.json's program, relative to the root. */
function programFiles(): Set<string> {
  const file = path.join(ROOT, 'tsconfig.eslint.json');
  const read = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, file);
  return new Set(parsed.fileNames.map((f) => path.relative(ROOT, f)));
}

describe('the lint', () => {
  it('lints the TypeScript of scripts/, each file in the program tsconfig.eslint.json builds', () => {
    expect(lintedPaths()).toContain('scripts');
    const scripts = fs.readdirSync(path.join(ROOT, 'scripts')).filter((f) => f.endsWith('.ts')).map((f) => path.join('scripts', f));
    expect(scripts).toContain(path.join('scripts', 'generate-answer-outcome-docs.ts'));
    const program = programFiles();
    expect(scripts.filter((f) => !program.has(f))).toEqual([]);
  });
});
