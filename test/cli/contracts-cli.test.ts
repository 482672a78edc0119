/*
 * The service contracts at the command line: a refused mock's cause printed as lines (not a
 * literal \n), naming --mock-validation; advice printed as Advice: lines (and in --json), naming
 * --mock-advice; requests refused as AWS refuses them, --request-checks warn making that advice.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { cli } from './run-cli';

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-contracts-cli-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, JSON.stringify(content));
  return p;
}

const getItem = (parameters: Record<string, unknown>): string => file(`get-${Object.keys(parameters).join('-')}.asl.json`, {
  StartAt: 'GetOrder',
  States: { GetOrder: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: parameters, End: true } },
});
const GOOD = { TableName: 'orders', Key: { id: { S: 'o-1' } } };

describe('stepwright run: the contracts', () => {
  it('prints a refused mock\'s cause as lines under Cause:, never a literal \\n, and names --mock-validation', async () => {
    const r = await cli('run', getItem(GOOD), '--mocks', file('refused.json', { GetOrder: { Item: { id: { S: 5 } } } }));
    expect(r.code).toBe(1);
    expect(r.out).toContain("Cause:  The mock of Task 'GetOrder' answers what dynamodb:getItem (GetItem) never returns, and AWS's TestState refuses it too");
    expect(r.out).toContain('\n          $.Item.id.S: expected string, got integer 5\n');
    expect(r.out).not.toContain('\\n');
    expect(r.out).toContain('only --mock-validation NONE lets it through');
    expect(r.out).not.toContain('mockValidation');
  });

  it('runs a mock AWS accepts and prints its advice, naming --mock-advice; --mock-advice fail fails the run', async () => {
    const mocks = file('advice.json', { GetOrder: { Itme: { id: { S: 'o-1' } } } });
    const r = await cli('run', getItem(GOOD), '--mocks', mocks);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Advice: The mock of Task 'GetOrder' .*answers a field dynamodb:getItem \(GetItem\) never returns/m);
    expect(r.out).toContain("did you mean 'Item'?");
    expect(r.out).toContain('for example {"Item":{"id":{"S":"o-1"}}}');
    expect(r.out).toContain('set --mock-advice fail to fail the run on it');
    const json = JSON.parse((await cli('run', getItem(GOOD), '--mocks', mocks, '--json')).out) as { advice: Array<{ state: string; message: string }> };
    expect(json.advice).toEqual([{ state: 'GetOrder', message: expect.stringContaining("did you mean 'Item'?") }]);
    const failing = await cli('run', getItem(GOOD), '--mocks', mocks, '--mock-advice', 'fail');
    expect(failing.code).toBe(1);
    expect(failing.out).toContain('--mock-advice warn keeps the run going');
  });

  it('fails a request Step Functions refuses, and with --request-checks warn runs it and prints the advice', async () => {
    const machine = getItem({ Tablename: 'orders', Key: { id: { S: 'o-1' } } });
    const mocks = file('item.json', { GetOrder: { Item: { id: { S: 'o-1' } } } });
    const refused = await cli('run', machine, '--mocks', mocks);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('[The field "Tablename" is not supported by Step Functions]');
    expect(refused.out).toContain('--request-checks warn lets the run go on');
    const warned = await cli('run', machine, '--mocks', mocks, '--request-checks', 'warn');
    expect(warned.code).toBe(0);
    expect(warned.out).toContain("Advice: Task 'GetOrder': Parameters.Tablename: the field 'Tablename' is not defined; did you mean 'TableName'?");
  });

  it('exits 2 on a --mock-advice or --request-checks it does not know', async () => {
    expect((await cli('run', getItem(GOOD), '--mock-advice', 'loud')).err).toContain("--mock-advice must be warn or fail, got 'loud'");
    expect((await cli('run', getItem(GOOD), '--request-checks', 'never')).err).toContain("--request-checks must be fail or warn, got 'never'");
  });
});

describe('stepwright validate: the CDK\'s EmrAddStep with an ExecutionRoleArn, as AWS deployed it', () => {
  it('finds no error in the template, with --iam too', async () => {
    const stack = new Stack(new App(), 'EmrSteps');
    const step = new tasks.EmrAddStep(stack, 'AddStep', {
      clusterId: 'j-1234',
      name: 'step',
      jar: 'command-runner.jar',
      args: ['echo', 'hi'],
      actionOnFailure: tasks.ActionOnFailure.CONTINUE,
      executionRoleArn: 'arn:aws:iam::123456789012:role/StepRole',
    });
    new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(step) });
    const template = file('emr-add-step.template.json', Template.fromStack(stack).toJSON());
    const plain = await cli('validate', template, '--no-warnings');
    expect(plain.code).toBe(0);
    const iam = await cli('validate', template, '--iam', '--no-warnings');
    expect(iam.out).not.toMatch(/SCHEMA_VALIDATION_FAILED|ExecutionRoleArn/);
    expect(iam.code).toBe(0);
  });
});
