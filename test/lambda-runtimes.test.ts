import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

const root = path.join(__dirname, '..');

/** The Lambda runtimes the installed aws-cdk-lib marks @deprecated, by constant name and by runtime name. */
function deprecatedRuntimes(): Map<string, string> {
  const dts = fs.readFileSync(path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'aws-lambda', 'lib', 'runtime.d.ts'), 'utf8');
  const deprecated = new Map<string, string>();
  for (const m of dts.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*static readonly (\w+): Runtime;/g)) {
    if (!m[1].includes('@deprecated')) continue;
    const runtime = (lambda.Runtime as unknown as Record<string, lambda.Runtime | undefined>)[m[2]];
    if (runtime) deprecated.set(m[2], runtime.name);
  }
  return deprecated;
}

/** Every file of the project a user copies from or a test synthesizes: sources, tests, examples, integ apps and their snapshots, guides. */
function projectFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'cdk.out') projectFiles(rel, out);
    } else if (/\.(ts|js|mjs|json|md)$/.test(entry.name)) {
      out.push(rel);
    }
  }
  return out;
}

describe('Lambda runtimes', () => {
  const deprecated = deprecatedRuntimes();

  it('are known: the installed aws-cdk-lib deprecates the retired Node.js runtimes', () => {
    expect(deprecated.get('NODEJS_16_X')).toBe('nodejs16.x');
  });

  it('in the examples, integ apps, tests and guides are ones aws-cdk-lib does not deprecate', () => {
    const files = ['src', 'test', 'examples', 'integ', 'docs', 'bench'].flatMap((d) => projectFiles(d)).concat('README.md');
    const uses: string[] = [];
    for (const file of files) {
      if (file === path.join('test', 'lambda-runtimes.test.ts')) continue;
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      for (const [constant, name] of deprecated) {
        // By constant, or by the runtime's name with its version (a bare 'nodejs' is a family, as the harness reads it).
        const byName = /\d/.test(name) && (text.includes(`"${name}"`) || text.includes(`'${name}'`));
        if (new RegExp(`Runtime\\.${constant}\\b`).test(text) || byName) uses.push(`${file}: ${constant} (${name})`);
      }
    }
    expect(uses).toEqual([]);
  });
});
