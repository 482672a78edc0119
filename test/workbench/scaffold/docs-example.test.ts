import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireCompiledLibrary, ROOT, runJest } from './consumer';
import { scaffoldMockConfig, scaffoldTests, Workflow } from '../../../src/testing';

/*
 * docs/explore.md shows the test file and the MockConfigFile that
 * `stepwright explore order.asl.json --write-tests order.explore.test.ts --mock-config MockConfigFile.json`
 * writes for its example (kept in test/docs/guides/explore/; the docs test checks the guide shows
 * them as they are). Here: they are what scaffolding writes today, and the test file passes.
 */
const DIR = path.join(ROOT, 'test', 'docs', 'guides', 'explore');
const REGENERATE = 'run `npx projen compile && npx projen example:scaffold` to write them again';

jest.setTimeout(300_000);

describe('the guide\'s scaffolded example (test/docs/guides/explore)', () => {
  let wf: Workflow;
  let text: string;
  let config: string;
  beforeAll(async () => {
    wf = Workflow.fromDefinition(path.join(DIR, 'order.asl.json'));
    const report = await wf.explore();
    text = scaffoldTests(report, {
      source: { definition: 'order.asl.json' },
      definition: wf.definition,
      generatedBy: 'stepwright explore order.asl.json --write-tests order.explore.test.ts --mock-config MockConfigFile.json',
    });
    config = `${JSON.stringify(scaffoldMockConfig(report, { definition: wf.definition }), null, 2)}\n`;
  });

  it('is the test file scaffolding writes for order.asl.json today', () => {
    expect([REGENERATE, fs.readFileSync(path.join(DIR, 'order.explore.ts'), 'utf8')]).toEqual([REGENERATE, text]);
  });

  it('has the MockConfigFile scaffolding writes today', () => {
    expect([REGENERATE, fs.readFileSync(path.join(DIR, 'MockConfigFile.json'), 'utf8')]).toEqual([REGENERATE, config]);
  });

  it('passes unchanged under jest, saved as order.explore.test.ts beside order.asl.json', async () => {
    requireCompiledLibrary();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-scaffold-doc-'));
    try {
      fs.copyFileSync(path.join(DIR, 'order.asl.json'), path.join(dir, 'order.asl.json'));
      fs.copyFileSync(path.join(DIR, 'order.explore.ts'), path.join(dir, 'order.explore.test.ts'));
      const [result] = await runJest(dir);
      expect(result).toMatchObject({ file: 'order.explore.test.ts', status: 'passed', passed: 5, failed: 0, skipped: 0 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
