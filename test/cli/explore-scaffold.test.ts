import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './run-cli';
import { parseMockConfig } from '../../src/workbench/mock-config';

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-scaffold-cli-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const at = (...parts: string[]) => path.join(dir, ...parts);

const charge = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Catch: [{ ErrorEquals: ['Payment.Declined'], Next: 'Declined' }],
      End: true,
    },
    Declined: { Type: 'Fail', Error: 'Declined' },
  },
};

function writeJson(name: string, value: unknown): string {
  const p = at(name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, JSON.stringify(value, null, 2));
  return p;
}

describe('stepwright explore --write-tests and --mock-config', () => {
  it('writes a jest file that loads the definition by a path relative to itself, and a MockConfigFile', async () => {
    const def = writeJson('machines/charge.asl.json', charge);
    const r = await cli('explore', def, '--write-tests', at('test', 'charge.explore.test.ts'), '--mock-config', at('test', 'MockConfigFile.json'));
    expect(r.code).toBe(0);
    const text = fs.readFileSync(at('test', 'charge.explore.test.ts'), 'utf8');
    expect(text).toContain("const wf = Workflow.fromDefinition(path.resolve(__dirname, '../machines/charge.asl.json'));");
    expect(text).toContain(`// Written by: stepwright explore ${def} --write-tests`);
    expect(text).toMatch(/it\("catches Payment\.Declined in 'Charge', then fails with Declined"/);
    const config = parseMockConfig(fs.readFileSync(at('test', 'MockConfigFile.json'), 'utf8'));
    expect(Object.keys(config.StateMachines)).toEqual(['StateMachine']);
    expect(r.err).toMatch(/wrote .*charge\.explore\.test\.ts: \d+ tests, one per scenario/);
    expect(r.err).toMatch(/wrote .*MockConfigFile\.json: \d+ test cases for state machine 'StateMachine'/);
  });

  it('refuses to overwrite a file, which may hold edits, unless --force; forced, it writes the same bytes', async () => {
    const def = writeJson('again/charge.asl.json', charge);
    const file = at('again', 'charge.explore.test.ts');
    expect((await cli('explore', def, '--write-tests', file)).code).toBe(0);
    const first = fs.readFileSync(file, 'utf8');
    fs.appendFileSync(file, '// my edit\n');
    const refused = await cli('explore', def, '--write-tests', file);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`${file} exists (it may hold your edits); pass --force to overwrite it`);
    expect(fs.readFileSync(file, 'utf8')).toContain('// my edit');
    expect((await cli('explore', def, '--write-tests', file, '--force')).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(first);
  });

  it('loads a template\'s machine with fromTemplate and its logical id, and keeps stdout pure JSON under --json', async () => {
    const machine = (name: string) => ({
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: { StateMachineName: name, DefinitionString: JSON.stringify(charge), RoleArn: 'arn:aws:iam::123456789012:role/r' },
    });
    const template = writeJson('Orders.template.json', { Resources: { ChargeMachine: machine('Charge'), OtherMachine: machine('Other') } });
    const file = at('tpl', 'orders.explore.test.ts');
    const r = await cli('explore', template, '--state-machine', 'ChargeMachine', '--json', '--write-tests', file);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.out)).not.toThrow();
    expect(fs.readFileSync(file, 'utf8')).toContain("const wf = Workflow.fromTemplate(path.resolve(__dirname, '../Orders.template.json'), { stateMachine: 'ChargeMachine' });");
  });

  it('asks for one machine when the source has several', async () => {
    const machine = { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: JSON.stringify(charge), RoleArn: 'arn:aws:iam::123456789012:role/r' } };
    const template = writeJson('two.template.json', { Resources: { A: machine, B: machine } });
    const r = await cli('explore', template, '--write-tests', at('two.test.ts'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('--write-tests and --mock-config write the scenarios of one state machine; ');
    expect(r.err).toContain('choose one with --state-machine');
    expect(fs.existsSync(at('two.test.ts'))).toBe(false);
  });

  it('lists the options in --help', async () => {
    const r = await cli('explore', '--help');
    expect(r.out).toContain('--write-tests <file>');
    expect(r.out).toContain('--mock-config <file>');
    expect(r.out).toContain('--force');
  });
});
