import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const app = path.join(root, 'examples', 'getting-started');

/** The fenced code block of README.md whose first line is `// <file>`, without that line. */
function block(file: string): string {
  const blocks = [...readme.matchAll(/```(?:js|ts)\n([^]*?)```/g)].map((m) => m[1]);
  const found = blocks.find((b) => b.startsWith(`// ${file}\n`));
  if (found === undefined) throw new Error(`README.md has no code block starting with '// ${file}'`);
  return found.slice(found.indexOf('\n') + 1);
}

describe('README getting started', () => {
  // CI installs the packed package into examples/getting-started and runs it (scripts/consumer-check.sh):
  // these keep what the README tells users to paste identical to what CI proves works.
  it('shows the jest.config.js that the getting-started app runs with', () => {
    expect(block('jest.config.js').trim()).toBe(fs.readFileSync(path.join(app, 'jest.config.js'), 'utf8').trim());
  });

  it('shows the first test that the getting-started app runs', () => {
    expect(block('test/order-stack.test.ts').trim()).toBe(fs.readFileSync(path.join(app, 'test', 'order-stack.test.ts'), 'utf8').trim());
  });

  it('does not ask for a compile step before the main job', () => {
    expect(readme).not.toMatch(/projen compile/);
  });
});
