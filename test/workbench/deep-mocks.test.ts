import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { succeed, Workflow } from '../../src/testing';
import { refuseUncarriedAnswers } from '../../src/workbench/mocks/json';
import { cli } from '../cli/run-cli';
import { startMcp } from '../mcp/client';

// Step Functions carries JSON at most 1,000 levels deep (docs/limits.md). A mock answer nested
// thousands of levels deep is no answer any Task gets: a run says so with States.Runtime, as for any
// answer that is not JSON, and a mocks file (the CLI's --mocks, MCP's mocks) is refused when read,
// before a run, explore or a written test has to serialise it, which no JSON.stringify can past a
// few thousand levels (it threw RangeError: the run failed with the error "RangeError", and explore
// crashed with an internal error).

const DEEP = 10_000;
const deepText = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const definition = {
  StartAt: 'Call',
  States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } },
};

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-deep-mocks-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const machineFile = path.join(root, 'call.asl.json');
fs.writeFileSync(machineFile, JSON.stringify(definition));
const mocksFile = path.join(root, 'deep.mocks.json');
fs.writeFileSync(mocksFile, `{"Call": {"Return": ${deepText(DEEP)}}}`);

const NESTING = /nesting deeper than 1000 levels/;

describe('a mock answer nested 10,000 levels deep', () => {
  it('fails the run with States.Runtime, not a RangeError, in the harness', async () => {
    const wf = Workflow.fromDefinition(definition as never);
    const run = await wf.run({}, { mocks: { Call: succeed(JSON.parse(deepText(DEEP))) } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toMatch(NESTING);
  });

  it('is refused by Workflow.explore and Workflow.verify naming the mock, not a RangeError from the report', async () => {
    // explore threw RangeError (Maximum call stack size exceeded) from the key of a scenario in its report.
    const wf = Workflow.fromDefinition(definition as never);
    const mocks = { Call: { Return: JSON.parse(deepText(DEEP)) as unknown } } as never;
    const refused = /^explore mocks: mock 'Call' is not an answer Step Functions can carry: nesting deeper than 1000 levels/;
    await expect(wf.explore({ mocks })).rejects.toMatchObject({ name: 'MockJsonError', message: expect.stringMatching(refused) });
    await expect(wf.verify({ ends: (run) => run.status !== undefined }, { mocks })).rejects.toThrow(refused);
  });

  it('is refused where mocks are read from outside, naming the mock', () => {
    expect(() => refuseUncarriedAnswers(JSON.parse(fs.readFileSync(mocksFile, 'utf8')) as Record<string, unknown>, 'deep.mocks.json'))
      .toThrow(/deep\.mocks\.json: mock 'Call' is not an answer Step Functions can carry: nesting deeper than 1000 levels/);
  });

  it.each([['run'], ['explore'], ['cost', '--per-month', '10']])('is refused by %s --mocks with exit 2, never an internal error', async (command, ...rest) => {
    const r = await cli(command, machineFile, '--mocks', mocksFile, ...rest);
    expect(r.err).not.toContain('internal error');
    expect(r.err).toMatch(/mock 'Call' is not an answer Step Functions can carry: nesting deeper than 1000 levels/);
    expect(r.code).toBe(2);
  });

  it('is refused by MCP\'s run (inline or as a file) and explore', async () => {
    const mcp = await startMcp(root);
    try {
      // 3,000 levels: as deep as the client's own JSON.stringify sends.
      const inline = { Call: { Return: JSON.parse(deepText(3000)) as unknown } };
      const calls: Array<[string, Record<string, unknown>]> = [
        ['run', { mocks: inline }], ['run', { mocksFile: path.basename(mocksFile) }], ['explore', { mocks: inline }],
      ];
      for (const [tool, args] of calls) {
        const r = await mcp.call(tool, { file: path.basename(machineFile), ...args });
        expect(r.isError).toBe(true);
        expect(JSON.stringify(r.content)).toMatch(NESTING);
      }
    } finally {
      await mcp.close();
    }
  });
});
