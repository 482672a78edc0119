import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

describe('coverage of the repository', () => {
  it('is not collected by `npx jest <file>`: one file is not followed by the table of every file it never loaded', () => {
    expect(readJson('jest.config.json').collectCoverage).toBe(false);
  });

  it('is not collected by `npx projen test` either (CI\'s time), and `npx projen test:coverage` runs the whole suite with it', () => {
    const tasks = readJson('.projen/tasks.json').tasks;
    const jest = (tasks.test.steps as Array<{ execArgs?: string[] }>).filter((s) => s.execArgs?.[0] === 'jest');
    expect(jest).toHaveLength(1);
    expect(jest[0].execArgs).not.toContain('--coverage');
    expect((tasks['test:coverage'].steps as Array<{ exec?: string }>).map((s) => s.exec)).toEqual(['jest --coverage --ci']);
  });
});
