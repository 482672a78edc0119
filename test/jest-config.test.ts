import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

describe('coverage of the repository', () => {
  it('is not collected by `npx jest <file>`: one file is not followed by the table of every file it never loaded', () => {
    expect(readJson('jest.config.json').collectCoverage).toBe(false);
  });

  it('is collected by `npx projen test`, the full run', () => {
    const steps = readJson('.projen/tasks.json').tasks.test.steps as Array<{ execArgs?: string[] }>;
    const jest = steps.filter((s) => s.execArgs?.[0] === 'jest');
    expect(jest).toHaveLength(1);
    expect(jest[0].execArgs).toContain('--coverage');
  });
});
