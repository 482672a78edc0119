import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workflow } from '../../src/testing';
import { cli } from '../cli/run-cli';

/*
 * "No mock for Task" says how to answer the Task in the words of the door the run came through:
 * a test's run options, stepwright run's flags and --mocks file. (MCP's run tool: test/mcp/tools.test.ts;
 * serve's own message: test/server/mock-config-hybrid.test.ts.)
 */

const LAMBDA = { StartAt: 'Check', States: { Check: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'stock' }, End: true } } } as const;
const SQS = { StartAt: 'Send', States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'm' }, End: true } } } as const;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-unmocked-doors-'));
  fs.writeFileSync(path.join(dir, 'lambda.asl.json'), JSON.stringify(LAMBDA));
  fs.writeFileSync(path.join(dir, 'sqs.asl.json'), JSON.stringify(SQS));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const causeAtCli = async (...args: string[]): Promise<string> => {
  const r = await cli(...args, '--json');
  return String(JSON.parse(r.out).cause);
};

describe('a test (the jest harness)', () => {
  it("names mocks, unmocked: 'input' and endpoints in the run's options, and no flag or --mocks file", async () => {
    const cause = (await Workflow.fromDefinition(LAMBDA).run({})).cause ?? '';
    expect(cause).toContain("No mock for Task 'Check' (arn:aws:states:::lambda:invoke). Add: mocks: { Check: ... } in the run's options; "
      + "or echo each unmocked Task's input with unmocked: 'input'; "
      + "or send it to the function running locally (sam local start-lambda): endpoints: { lambda: '<url>' } in the run's options");
    expect(cause).not.toMatch(/--mocks|--unmocked|--endpoint|stepwright run/);
  });
});

describe('stepwright run', () => {
  it('names the state in the --mocks file, --unmocked input and --endpoint, and no option of a test', async () => {
    const cause = await causeAtCli('run', path.join(dir, 'sqs.asl.json'));
    expect(cause).toContain("No mock for Task 'Send' (arn:aws:states:::sqs:sendMessage). Add: \"Send\" in the --mocks file; "
      + "or echo each unmocked Task's input with --unmocked input (stepwright run); "
      + 'or send it to an endpoint of your own that answers sqs: --endpoint sqs=<url> (stepwright run)');
    expect(cause).not.toMatch(/mocks: \{|unmocked: '|endpoints: \{|in a test/);
  });
});

describe('stepwright cost', () => {
  it('names the --mocks file as stepwright run does, not the options of a test', async () => {
    const r = await cli('cost', path.join(dir, 'lambda.asl.json'), '--per-month', '1');
    expect(r.code).toBe(1);
    expect(r.err).toContain('"Check" in the --mocks file');
    expect(r.err).not.toMatch(/mocks: \{|endpoints: \{|in a test/);
  });
});
