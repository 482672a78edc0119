import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scaffoldMockConfig, scaffoldTests, Workflow } from '../../src/testing';
import { cli } from '../cli/run-cli';
import { requireCompiledLibrary, runJest } from '../workbench/scaffold/consumer';

/*
 * Issue 63: explore takes a MockConfigFile test case as `stepwright run` does (`--mocks <file>
 * --test-case <name>`, `mockConfig` in Workflow.explore). Its responses answer the Tasks the
 * test case names in every run, as given (explore neither makes them up nor varies them); explore
 * answers the others. The tests it writes load the same file and test case, and pass as written.
 * Before, explore refused a MockConfigFile ("explore takes a simple mocks map").
 */

const ORDER = {
  StartAt: 'Load order',
  States: {
    'Load order': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'load-order', 'Payload.$': '$' },
      ResultSelector: { 'total.$': '$.Payload.total' },
      ResultPath: '$.order',
      Next: 'Charge',
    },
    'Charge': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$.order' },
      ResultPath: null,
      Catch: [{ ErrorEquals: ['Payment.Declined'], Next: 'Declined' }],
      Next: 'Express?',
    },
    'Express?': { Type: 'Choice', Choices: [{ Variable: '$.express', BooleanEquals: true, Next: 'Express' }], Default: 'Ship' },
    'Express': { Type: 'Pass', Next: 'Ship' },
    'Ship': { Type: 'Succeed' },
    'Declined': { Type: 'Fail', Error: 'Declined' },
  },
};

/** The test case answers 'Load order' as Step Functions Local would: with the Invoke API's response. */
const MOCK_CONFIG = {
  StateMachines: { Orders: { TestCases: { Known: { 'Load order': 'LoadOrderFifty' }, Other: {} } } },
  MockedResponses: { LoadOrderFifty: { 0: { Return: { StatusCode: 200, Payload: { total: 50 } } } } },
};

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mockconfig-tests-'));
  fs.writeFileSync(path.join(dir, 'order.asl.json'), JSON.stringify(ORDER));
  fs.writeFileSync(path.join(dir, 'MockConfigFile.json'), JSON.stringify(MOCK_CONFIG));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('explore with a MockConfigFile test case', () => {
  it("answers the test case's Tasks from it, as given, and explores the others", async () => {
    const wf = Workflow.fromDefinition(path.join(dir, 'order.asl.json'));
    const report = await wf.explore({ mockConfig: { file: path.join(dir, 'MockConfigFile.json'), testCase: 'Known' } });
    expect(report.states).toMatchObject({ reached: 6, total: 6, notReached: [] });
    // The scenarios hold explore's answers only: 'Load order' is the test case's in every run.
    expect(report.scenarios.length).toBeGreaterThan(0);
    for (const s of report.scenarios) expect(Object.keys(s.mocks)).not.toContain('Load order');
    const shipped = report.scenarios.find((s) => s.status === 'SUCCEEDED');
    expect(shipped?.output).toMatchObject({ order: { total: 50 } });
    // An answer that is given is not varied: no failure of 'Load order' is looked for.
    expect(report.findings.filter((f) => f.state === 'Load order')).toEqual([]);
    expect(report.findings.some((f) => f.kind === 'unhandled-error' && f.state === 'Charge')).toBe(true);
  });

  it('refuses a test case the file does not have, naming it, before anything runs', async () => {
    const wf = Workflow.fromDefinition(path.join(dir, 'order.asl.json'));
    await expect(wf.explore({ mockConfig: { file: path.join(dir, 'MockConfigFile.json'), testCase: 'Missing' } })).rejects.toThrow(/Missing/);
  });

  it('writes a MockConfigFile whose every test case carries the given responses and runs as its scenario did', async () => {
    const wf = Workflow.fromDefinition(path.join(dir, 'order.asl.json'));
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'MockConfigFile.json'), 'utf8'));
    const report = await wf.explore({ mockConfig: { config, testCase: 'Known' } });
    const written = scaffoldMockConfig(report, { definition: wf.definition, given: { config, testCase: 'Known' } });
    expect(written.MockedResponses.LoadOrderFifty).toEqual(MOCK_CONFIG.MockedResponses.LoadOrderFifty);
    const cases = Object.entries(written.StateMachines.StateMachine.TestCases);
    expect(cases.length).toBe(report.scenarios.length);
    for (const [i, [name, testCase]] of cases.entries()) {
      expect(testCase['Load order']).toBe('LoadOrderFifty');
      const run = await wf.run(report.scenarios[i].input, { mockConfig: { config: written, testCase: name } });
      expect([name, run.status, run.path]).toEqual([name, report.scenarios[i].status, report.scenarios[i].path]);
    }
  });
});

describe('stepwright explore --mocks <MockConfigFile> --test-case', () => {
  it('writes tests that load the same file and test case, and pass as written under jest', async () => {
    requireCompiledLibrary();
    const written = path.join(dir, 'cli.explore.test.ts');
    const r = await cli('explore', path.join(dir, 'order.asl.json'), '--mocks', path.join(dir, 'MockConfigFile.json'), '--test-case', 'Known',
      '--write-tests', written, '--mock-config', path.join(dir, 'Explored.json'));
    expect(r.err).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/order\.asl\.json: 6\/6 states/);
    const text = fs.readFileSync(written, 'utf8');
    expect(text).toContain("mockConfig: { file: path.resolve(__dirname, 'MockConfigFile.json'), testCase: 'Known' },");
    expect(text).not.toMatch(/'Load order': (succeed|fail)\(/);

    const wf = Workflow.fromDefinition(path.join(dir, 'order.asl.json'));
    const report = await wf.explore({ mockConfig: { file: path.join(dir, 'MockConfigFile.json'), testCase: 'Known' } });
    fs.writeFileSync(path.join(dir, 'library.explore.test.ts'), scaffoldTests(report, {
      source: { definition: 'order.asl.json' }, definition: wf.definition, mockConfig: { file: 'MockConfigFile.json', testCase: 'Known' },
    }));

    const results = await runJest(dir);
    expect(results.map((f) => [path.basename(f.file), f.status, f.failed])).toEqual([
      ['cli.explore.test.ts', 'passed', 0],
      ['library.explore.test.ts', 'passed', 0],
    ]);
    expect(results.every((f) => f.passed > 0)).toBe(true);
  });

  it('asks for a test case, lists the ones the file has, and names a missing one', async () => {
    const file = path.join(dir, 'MockConfigFile.json');
    const none = await cli('explore', path.join(dir, 'order.asl.json'), '--mocks', file);
    expect(none.code).toBe(2);
    expect(none.err).toContain('choose a test case with --test-case <name> (it has Orders/Known, Orders/Other)');
    const missing = await cli('explore', path.join(dir, 'order.asl.json'), '--mocks', file, '--test-case', 'Missing');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/MockConfigFile\.json: .*Missing/);
  });

  it('refuses --test-case without --mocks, and --mock-config naming the file --mocks reads', async () => {
    const alone = await cli('explore', path.join(dir, 'order.asl.json'), '--test-case', 'Known');
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('--test-case needs --mocks <MockConfigFile>');
    const file = path.join(dir, 'MockConfigFile.json');
    const same = await cli('explore', path.join(dir, 'order.asl.json'), '--mocks', file, '--test-case', 'Known', '--mock-config', file, '--force');
    expect(same.code).toBe(2);
    expect(same.err).toContain('is the MockConfigFile --mocks reads');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(MOCK_CONFIG);
  });
});
