import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workflow } from '../../src/testing';
import { runChecks } from '../../src/workbench/mocks';
import { cli } from '../cli/run-cli';
import { stopExploreClock } from '../explore-clock';
import { startMcp, textOf, type McpSession } from '../mcp/client';
import { requireCompiledLibrary, runJest } from './scaffold/consumer';

/*
 * The check options a user's run takes (mockValidation, mockAdvice, requestChecks) mean the same
 * in explore and verify, at every door: the answers the user gave end the way the user's own run
 * with the same options ends them. Each case is run first (the reference), then explored and
 * verified through the harness, the CLI and MCP.
 */

const task = (resource: string, parameters: object) => ({
  StartAt: 'GetOrder',
  States: { GetOrder: { Type: 'Task', Resource: resource, Parameters: parameters, End: true } },
});
const KEY = { id: { S: '1' } };

interface CheckCase {
  readonly name: string;
  readonly definition: object;
  readonly mocks: Record<string, unknown>;
  /** The options as jest and MCP name them. */
  readonly options: Readonly<Record<string, string>>;
  /** The same as the CLI's flags. */
  readonly flags: readonly string[];
  /** How the user's run ends with the options, and without them. */
  readonly status: string;
  readonly without: string;
}

const CASES: readonly CheckCase[] = [
  {
    name: "mockValidation NONE keeps a mock's answer of the wrong type",
    definition: task('arn:aws:states:::dynamodb:getItem', { TableName: 't', Key: KEY }),
    mocks: { GetOrder: { Item: { id: { S: 5 } } } },
    options: { mockValidation: 'NONE' },
    flags: ['--mock-validation', 'NONE'],
    status: 'SUCCEEDED',
    without: 'FAILED',
  },
  {
    name: "mockAdvice fail fails on a mock's field the model does not define",
    definition: task('arn:aws:states:::dynamodb:getItem', { TableName: 't', Key: KEY }),
    mocks: { GetOrder: { Item: KEY, Itme: 1 } },
    options: { mockAdvice: 'fail' },
    flags: ['--mock-advice', 'fail'],
    status: 'FAILED',
    without: 'SUCCEEDED',
  },
  {
    name: 'requestChecks warn lets a request with a member the model does not define go on',
    definition: task('arn:aws:states:::aws-sdk:dynamodb:getItem', { TableName: 't', Key: KEY, Tablename: 'x' }),
    mocks: { GetOrder: { Item: KEY } },
    options: { requestChecks: 'warn' },
    flags: ['--request-checks', 'warn'],
    status: 'SUCCEEDED',
    without: 'FAILED',
  },
];

/** The properties every case is verified with: the run that ends as the case says breaks the other one. */
const ENDS = {
  succeeds: { kind: 'endsWith', statuses: ['SUCCEEDED'] },
  fails: { kind: 'endsWith', statuses: ['FAILED'] },
} as const;
const ENDS_AS_JSON = { succeeds: { endsWith: { statuses: ['SUCCEEDED'] } }, fails: { endsWith: { statuses: ['FAILED'] } } };
type Verdicts = Record<string, { verdict: string; counterexample?: { status: string } }>;

/** The properties a verify report found VIOLATED, each with the status its counterexample ended in. */
const violated = (properties: Verdicts): Record<string, string | undefined> => Object.fromEntries(
  Object.entries(properties).filter(([, p]) => p.verdict === 'VIOLATED').map(([name, p]) => [name, p.counterexample?.status]));
/** What verify finds when the run ends with `status`: the property of the other ending broken, by a run that ends so. */
const violatedWhen = (status: string): Record<string, string> => (status === 'SUCCEEDED' ? { fails: status } : { succeeds: status });

let root: string;
let mcp: McpSession;
// The CLI here and the server's workers search on clocks that stand still: the same runs at every door.
stopExploreClock();

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'explore-checks-'));
  fs.writeFileSync(path.join(root, 'ends.properties.js'), Object.entries(ENDS).map(([n, p]) => `exports.${n} = ${JSON.stringify(p)};\n`).join(''));
  CASES.forEach((c, i) => {
    fs.writeFileSync(path.join(root, `case${i}.asl.json`), JSON.stringify(c.definition));
    fs.writeFileSync(path.join(root, `case${i}.mocks.json`), JSON.stringify(c.mocks));
  });
  mcp = await startMcp(root, [], { exploreTickMs: 0 });
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** The statuses of an explore report's scenarios. */
const statuses = (report: { scenarios: ReadonlyArray<{ status: string }> }): string[] => report.scenarios.map((s) => s.status);

describe.each(CASES.map((c, i) => [c.name, c, i] as const))('explore and verify at every door: %s', (_name, c, i) => {
  const asl = () => path.join(root, `case${i}.asl.json`);
  const mocksFile = () => path.join(root, `case${i}.mocks.json`);

  it('runs as the case says, with the options and without them (the reference)', async () => {
    const wf = Workflow.fromDefinition(c.definition as never);
    expect((await wf.run({}, { mocks: c.mocks as never, ...c.options })).status).toBe(c.status);
    expect((await wf.run({}, { mocks: c.mocks as never })).status).toBe(c.without);
  });

  it('ends the scenario of Workflow.explore and the verdict of Workflow.verify as the run ends', async () => {
    const wf = Workflow.fromDefinition(c.definition as never);
    expect(statuses(await wf.explore({ mocks: c.mocks as never, ...c.options }))).toEqual([c.status]);
    // Without the options the user's answer ends otherwise, as the user's run does.
    expect(statuses(await wf.explore({ mocks: c.mocks as never }))).not.toEqual([c.status]);
    const report = await wf.verify(ENDS, { mocks: c.mocks as never, ...c.options });
    expect(violated(report.properties)).toEqual(violatedWhen(c.status));
  });

  it('ends the scenario of stepwright explore and the verdict of stepwright verify as the run ends', async () => {
    const explored = await cli('explore', asl(), '--mocks', mocksFile(), ...c.flags, '--json');
    expect(explored.err).toBe('');
    expect(statuses(JSON.parse(explored.out))).toEqual([c.status]);
    const verified = await cli('verify', asl(), '--property', path.join(root, 'ends.properties.js'), '--mocks', mocksFile(), ...c.flags, '--json');
    expect(violated(JSON.parse(verified.out))).toEqual(violatedWhen(c.status));
  });

  it('ends the scenario of the MCP explore tool and the verdict of its verify tool as the run ends', async () => {
    const file = `case${i}.asl.json`;
    const explored = await mcp.call('explore', { file, mocks: c.mocks, ...c.options });
    expect(explored.isError ? textOf(explored) : '').toBe('');
    const [report] = (explored.structuredContent as { reports: Array<{ scenarios: Array<{ status: string }> }> }).reports;
    expect(statuses(report)).toEqual([c.status]);
    const verified = await mcp.call('verify', { file, properties: ENDS_AS_JSON, mocks: c.mocks, ...c.options });
    expect(verified.isError ? textOf(verified) : '').toBe('');
    expect(violated((verified.structuredContent as { properties: Verdicts }).properties)).toEqual(violatedWhen(c.status));
  });
});

describe('explore and verify refuse a check option no run takes', () => {
  it('refuses a wrong mode in code, on the command line and over MCP, naming the option and its modes', async () => {
    const wf = Workflow.fromDefinition(CASES[0].definition as never);
    await expect(wf.explore({ mockValidation: 'LOOSE' as never })).rejects.toThrow(/mockValidation must be one of STRICT, PRESENT, NONE/);
    await expect(wf.verify(ENDS, { mockAdvice: 'maybe' as never })).rejects.toThrow(/mockAdvice must be one of warn, fail/);
    const r = await cli('explore', path.join(root, 'case0.asl.json'), '--request-checks', 'sometimes');
    expect({ code: r.code, err: r.err.trim() }).toEqual({ code: 2, err: expect.stringContaining("--request-checks must be fail or warn, got 'sometimes'") });
    const v = await cli('verify', path.join(root, 'case0.asl.json'), '--property', path.join(root, 'ends.properties.js'), '--mock-validation', 'loose');
    expect(v.code).toBe(2);
    expect(v.err).toContain("--mock-validation must be STRICT, PRESENT, NONE, got 'loose'");
    const m = await mcp.call('explore', { file: 'case0.asl.json', mockAdvice: 'maybe' });
    expect(m.isError).toBe(true);
    expect(textOf(m)).toContain('mockAdvice');
  });
});

describe('explore and verify name the check options as their door spells them', () => {
  // Case 1: mockAdvice fail fails the user's answer; the failure's cause says which option asked for it.
  const ADVICE = 1;
  /** The scenarios as text, their causes among them. */
  const causes = (report: { scenarios: readonly unknown[] }): string => JSON.stringify(report.scenarios);

  it('names --mock-advice in stepwright explore and the explore tool\'s own mockAdvice over MCP, not jest\'s option', async () => {
    const explored = await cli('explore', path.join(root, `case${ADVICE}.asl.json`), '--mocks', path.join(root, `case${ADVICE}.mocks.json`),
      '--mock-advice', 'fail', '--json');
    const text = causes(JSON.parse(explored.out));
    expect(text).toContain('--mock-advice fail');
    expect(text).not.toContain("mockAdvice: 'fail'");
    const viaMcp = await mcp.call('explore', { file: `case${ADVICE}.asl.json`, mocks: CASES[ADVICE].mocks, mockAdvice: 'fail', details: true });
    const [report] = (viaMcp.structuredContent as { reports: Array<{ scenarios: unknown[] }> }).reports;
    expect(causes(report)).toContain('the tool\'s mockAdvice: \\"fail\\"');
    expect(causes(report)).not.toContain('the run tool');
    expect(causes(report)).not.toContain("mockAdvice: 'fail'");
  });

  it('names jest\'s option in Workflow.explore', async () => {
    const wf = Workflow.fromDefinition(CASES[ADVICE].definition as never);
    expect(causes(await wf.explore({ mocks: CASES[ADVICE].mocks as never, mockAdvice: 'fail' }))).toContain("mockAdvice: 'fail'");
  });
});

describe("the answers a search made up are its own machine's", () => {
  // A parent whose Process explore answers, and a child machine with a state of the same name whose answer its user gave.
  const child = Workflow.fromDefinition({
    StartAt: 'Process',
    States: { Process: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 't', Key: KEY }, End: true } },
  } as never, { name: 'Child' });
  const parent = Workflow.fromDefinition({
    StartAt: 'Start',
    States: {
      Start: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child.arn, Input: {} }, Next: 'Process' },
      Process: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 't', Key: KEY }, End: true },
    },
  } as never, { name: 'Parent' });
  /** The checks of explore's runs when it makes up the parent's Process: that one fails on advice, STRICT. */
  const checks = { ...runChecks({}, 'jest'), madeUp: { states: new Set(['Process']), advice: 'fail', validation: 'STRICT' } } as const;
  // A field the model does not define: advice to the user's run, a failure in an answer explore made up.
  const misspelt = { Item: KEY, Itme: 1 };

  it("judges a child machine's state of the same name by its user's checks, not the parent's made-up ones", async () => {
    const run = await parent.runUncounted({}, {
      mocks: { Process: { Item: KEY } } as never,
      workflows: [{ workflow: child, mocks: { Process: misspelt } as never }],
    }, { checks });
    expect({ status: run.status, cause: run.cause, path: run.path }).toEqual({ status: 'SUCCEEDED', cause: undefined, path: ['Start', 'Process'] });
  });

  it("fails the parent's made-up state on the same advice", async () => {
    const run = await parent.runUncounted({}, {
      mocks: { Process: misspelt } as never,
      workflows: [{ workflow: child, mocks: { Process: { Item: KEY } } as never }],
    }, { checks });
    expect({ status: run.status, error: run.error, path: run.path }).toEqual({ status: 'FAILED', error: 'States.Runtime', path: ['Start', 'Process'] });
    expect(run.cause).toContain('Itme');
  });
});

describe('the tests explore and verify write run with the same check options', () => {
  it('writes each option into the runs of the tests stepwright explore --write-tests writes, which pass as written under jest', async () => {
    requireCompiledLibrary();
    const dir = path.join(root, 'written');
    fs.mkdirSync(dir, { recursive: true });
    const written = path.join(dir, 'checks.explore.test.ts');
    const r = await cli('explore', path.join(root, 'case0.asl.json'), '--mocks', path.join(root, 'case0.mocks.json'), '--mock-validation', 'none',
      '--write-tests', written);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: expect.not.stringMatching(/error/i) });
    expect(fs.readFileSync(written, 'utf8')).toContain("      mockValidation: 'NONE',\n");
    const results = await runJest(dir);
    expect(results.map((f) => [path.basename(f.file), f.status, f.failed, f.passed])).toEqual([['checks.explore.test.ts', 'passed', 0, 1]]);
  }, 120_000);

  it('writes each option into the run of the counterexample stepwright verify --write-tests writes', async () => {
    const written = path.join(root, 'checks.verify.test.ts');
    const r = await cli('verify', path.join(root, 'case1.asl.json'), '--property', path.join(root, 'ends.properties.js'), '--mocks', path.join(root, 'case1.mocks.json'),
      '--mock-advice', 'fail', '--request-checks', 'warn', '--write-tests', written);
    expect(r.code).toBe(1);
    const text = fs.readFileSync(written, 'utf8');
    expect(text).toContain("      mockAdvice: 'fail',\n      requestChecks: 'warn',\n");
    expect(text).toContain('succeeds is violated');
  });
});

describe('verify takes a MockConfigFile test case at every door, as explore does', () => {
  const config = {
    StateMachines: { Orders: { TestCases: { Found: { GetOrder: 'FoundOrder' } } } },
    MockedResponses: { FoundOrder: { 0: { Return: { Item: KEY } } } },
  };

  it('answers the Tasks the test case names in Workflow.verify, stepwright verify and the MCP verify tool alike', async () => {
    fs.writeFileSync(path.join(root, 'MockConfigFile.json'), JSON.stringify(config));
    const wf = Workflow.fromDefinition(CASES[0].definition as never);
    const library = await wf.verify(ENDS, { mockConfig: { file: path.join(root, 'MockConfigFile.json'), testCase: 'Found' } });
    expect(violated(library.properties)).toEqual({ fails: 'SUCCEEDED' });
    const written = path.join(root, 'config.verify.test.ts');
    const r = await cli('verify', path.join(root, 'case0.asl.json'), '--property', path.join(root, 'ends.properties.js'),
      '--mocks', path.join(root, 'MockConfigFile.json'), '--test-case', 'Found', '--json', '--write-tests', written);
    expect({ code: r.code, violated: violated(JSON.parse(r.out)) }).toEqual({ code: 1, violated: { fails: 'SUCCEEDED' } });
    // The written test loads the same file and test case.
    expect(fs.readFileSync(written, 'utf8')).toContain("mockConfig: { file: path.resolve(__dirname, 'MockConfigFile.json'), testCase: 'Found' },");
    const m = await mcp.call('verify', { file: 'case0.asl.json', properties: ENDS_AS_JSON, mocks: config, testCase: 'Found' });
    expect(m.isError ? textOf(m) : '').toBe('');
    expect(violated((m.structuredContent as { properties: Verdicts }).properties)).toEqual({ fails: 'SUCCEEDED' });
  });

  it('asks for --mocks when --test-case is given without it', async () => {
    const r = await cli('verify', path.join(root, 'case0.asl.json'), '--property', path.join(root, 'ends.properties.js'), '--test-case', 'Found');
    expect({ code: r.code, err: r.err.trim() }).toEqual({ code: 2, err: expect.stringContaining('--test-case needs --mocks <MockConfigFile>') });
  });
});
