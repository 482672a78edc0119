import * as fs from 'node:fs';
import * as path from 'node:path';

// The README states the jest and TypeScript versions stepwright supports; CI's consumer check
// (scripts/consumer-check.sh) installs the packed tarball into a new CDK app with each of them.
const ROOT = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('the supported jest and TypeScript versions', () => {
  const readme = read('README.md').replace(/\s+/g, ' ');
  const script = read('scripts/consumer-check.sh');
  const app = JSON.parse(read('examples/getting-started/package.json')) as { devDependencies: Record<string, string> };

  it('are stated in the README: jest 29 or 30, TypeScript 5.9 or 7', () => {
    expect(readme).toContain('jest 29 or 30 and TypeScript 5.9 or 7');
  });

  it('are the same in every guide: none says stepwright works with one jest version alone', () => {
    const guides = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const narrower = guides.flatMap((file) => [...read(file).replace(/\s+/g, ' ').matchAll(/works with [^.]*?\bjest (\d+)\b(?! or \d)/gi)].map((m) => `${file}: ${m[0]}`));
    expect(narrower).toEqual([]);
  });

  it('include the getting-started app\'s own, jest 29 and TypeScript 5.9, which the consumer check tests first', () => {
    expect(app.devDependencies).toMatchObject({ 'jest': '^29', '@types/jest': '^29', 'typescript': '~5.9.3' });
    expect(script).toMatch(/check 'jest 29, TypeScript 5\.9'/);
  });

  it('include the newest cdk init\'s, jest 30 and TypeScript 7, installed at exact versions and tested second', () => {
    const pins = /NEW_TOOLCHAIN=\(([^)]*)\)/.exec(script)?.[1].split(/\s+/).filter(Boolean) ?? [];
    expect(pins).toEqual([
      expect.stringMatching(/^jest@30\.\d+\.\d+$/),
      expect.stringMatching(/^@jest\/globals@30\.\d+\.\d+$/),
      expect.stringMatching(/^@types\/jest@30\.\d+\.\d+$/),
      expect.stringMatching(/^typescript@7\.\d+\.\d+$/),
    ]);
    expect(script).toMatch(/--save-exact "\$\{NEW_TOOLCHAIN\[@\]\}"/);
    expect(script.indexOf("check 'jest 30, TypeScript 7")).toBeGreaterThan(script.indexOf("check 'jest 29, TypeScript 5.9'"));
  });
});
