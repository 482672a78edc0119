import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { compileStateMachine } from '../../src/interpreter';
import { COVERAGE_DIR_ENV, recordExecution, resetCoverage } from '../../src/testing/coverage';
import { StepwrightCoverageReporter } from '../../src/testing/reporter';

const definition = {
  StartAt: 'Check',
  States: {
    Check: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Yes' }], Default: 'No' },
    Yes: { Type: 'Succeed' },
    No: { Type: 'Fail', Error: 'Nope' },
  },
} as unknown as StateMachineDefinition;

describe('the coverage reporter HTML pages', () => {
  let root: string;
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[COVERAGE_DIR_ENV];
    delete process.env[COVERAGE_DIR_ENV];
    resetCoverage();
    root = mkdtempSync(join(tmpdir(), 'stepwright-reporter-html-'));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[COVERAGE_DIR_ENV];
    else process.env[COVERAGE_DIR_ENV] = saved;
    rmSync(root, { recursive: true, force: true });
  });

  async function report(options: { html?: boolean }): Promise<string[]> {
    const reporter = new StepwrightCoverageReporter({ rootDir: root }, { outputFile: 'reports/coverage.json', print: false, ...options });
    reporter.onRunStart();
    await recordExecution(definition, await compileStateMachine(definition).start({ ok: true }).result, { name: 'Checker / v2' });
    await reporter.onRunComplete();
    return readdirSync(join(root, 'reports')).sort();
  }

  it('writes one HTML page per state machine next to the JSON, with what was never exercised drawn apart', async () => {
    expect(await report({})).toEqual(['coverage.Checker-v2.html', 'coverage.json']);
    const html = readFileSync(join(root, 'reports', 'coverage.Checker-v2.html'), 'utf8');
    expect(html).toContain('<title>Checker / v2: coverage of 1 run(s)</title>');
    expect(html.match(/class="sw-node state uncovered" data-state="([^"]+)"/g)).toEqual(['class="sw-node state uncovered" data-state="No"']);
    expect(html).toContain('states 2/3 (66%)');
  });

  it('writes no HTML with html: false', async () => {
    expect(await report({ html: false })).toEqual(['coverage.json']);
  });
});
