import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './run-cli';
import { parseMockConfig } from '../../src/workbench/mocks/mock-config';
import { HIDDEN_PARAMETER_VALUE, shellCommand, withParameterValuesHidden } from '../../src/workbench/scaffold/command';

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

  it("writes a vitest file with --runner vitest: describe, expect and it imported from 'vitest'", async () => {
    const def = writeJson('vitest/charge.asl.json', charge);
    const file = at('vitest', 'charge.explore.test.ts');
    const r = await cli('explore', def, '--write-tests', file, '--runner', 'vitest');
    expect(r.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain("import { describe, expect, it } from 'vitest';");
    expect(text).not.toMatch(/\bjest\./);
    // Only the import differs from the jest file (the first comment names the command line).
    expect((await cli('explore', def, '--write-tests', at('vitest', 'jest.test.ts'))).code).toBe(0);
    const body = (t: string) => t.split('\n').filter((l) => !l.startsWith('// Written by:') && !l.includes("from 'vitest'")).join('\n');
    expect(body(text)).toBe(body(fs.readFileSync(at('vitest', 'jest.test.ts'), 'utf8')));
  });

  it("writes for the project's runner without --runner: vitest where the nearest package.json lists vitest and not jest", async () => {
    const def = writeJson('project/machines/charge.asl.json', charge);
    const manifest = writeJson('project/package.json', { name: 'app', devDependencies: { vitest: '4.1.12', typescript: '5.9.3' } });
    const vitestFile = at('project', 'test', 'deep', 'charge.explore.test.ts');
    const found = await cli('explore', def, '--write-tests', vitestFile);
    expect(found.code).toBe(0);
    expect(fs.readFileSync(vitestFile, 'utf8')).toContain("import { describe, expect, it } from 'vitest';");
    expect(found.err).toContain(`one per scenario for vitest (${manifest} lists vitest, not jest; --runner jest writes a jest file)`);
    // --runner still decides; and a project that lists jest too, or keeps a jest config, gets a jest file.
    const named = await cli('explore', def, '--write-tests', at('project', 'test', 'named.test.ts'), '--runner', 'jest');
    expect(fs.readFileSync(at('project', 'test', 'named.test.ts'), 'utf8')).not.toContain("from 'vitest'");
    expect(named.err).toMatch(/one per scenario\n/);
    for (const [folder, project, besides] of [
      ['both', { devDependencies: { vitest: '4.1.12', jest: '29.7.0' } }, undefined],
      ['block', { devDependencies: { vitest: '4.1.12' }, jest: { testEnvironment: 'node' } }, undefined],
      ['config', { devDependencies: { vitest: '4.1.12' } }, 'jest.config.js'],
      ['neither', { devDependencies: { typescript: '5.9.3' } }, undefined],
    ] as const) {
      writeJson(`${folder}/package.json`, project);
      if (besides !== undefined) fs.writeFileSync(at(folder, besides), 'module.exports = {};\n');
      const file = at(folder, 'test', 'charge.explore.test.ts');
      const r = await cli('explore', def, '--write-tests', file);
      expect([folder, r.code, fs.readFileSync(file, 'utf8').includes("from 'vitest'")]).toEqual([folder, 0, false]);
    }
    // A vitest config beside a package.json that names neither runner is a vitest project too.
    writeJson('configured/package.json', { name: 'app' });
    fs.writeFileSync(at('configured', 'vitest.config.mts'), 'export default {};\n');
    expect((await cli('explore', def, '--write-tests', at('configured', 'charge.test.ts'))).code).toBe(0);
    expect(fs.readFileSync(at('configured', 'charge.test.ts'), 'utf8')).toContain("from 'vitest'");
  });

  it('refuses --runner other than jest or vitest, and --runner without --write-tests', async () => {
    const def = writeJson('runner/charge.asl.json', charge);
    const bad = await cli('explore', def, '--write-tests', at('runner', 'a.test.ts'), '--runner', 'mocha');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--runner must be jest or vitest, got 'mocha'");
    const alone = await cli('explore', def, '--runner', 'vitest');
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('--runner names the runner --write-tests writes for');
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

describe('the command in a scaffolded file\'s header', () => {
  /** The arguments a POSIX shell reads from a command line (printf prints each, NUL-terminated). */
  const shellArgs = (command: string, shell = 'sh'): string[] => {
    const r = spawnSync(shell, ['-c', `printf '%s\\0' ${command}`], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(0);
    return r.stdout.split('\0').slice(0, -1);
  };

  it('quotes for the shell what it would expand or split: braces, spaces, quotes, $ and line breaks', () => {
    const args = ['stepwright', 'explore', 'my machine.asl.json', '--input', '{"a":1,"b":[2,3]}', "it's $HOME", 'a\nb', '', 'plain-arg.json'];
    const command = shellCommand(args);
    expect(command).toBe(String.raw`stepwright explore 'my machine.asl.json' --input '{"a":1,"b":[2,3]}' 'it'\''s $HOME' $'a\x0ab' '' plain-arg.json`);
    expect(command).not.toContain('\n');
    // dash before 0.5.12 reads $'...' literally: sh reads the rest back, bash every argument.
    const plain = args.filter((a) => !a.includes('\n'));
    expect(shellArgs(shellCommand(plain))).toEqual(plain);
    expect(shellArgs(command, 'bash')).toEqual(args);
  });

  it('quotes a format character past U+FFFF (a tag character) so bash reads it back whole', () => {
    const args = ['stepwright', 'explore', 'm.asl.json', '--input', '{"tag":"\u{E0041}\u200Bx"}'];
    const command = shellCommand(args);
    expect(command).toBe(String.raw`stepwright explore m.asl.json --input $'{"tag":"\U000e0041\u200bx"}'`);
    expect(shellArgs(command, 'bash')).toEqual(args);
  });

  it('writes no --parameter value into the file\'s command line: a NoEcho one is a secret', async () => {
    const template = writeJson('secret/template.json', {
      Parameters: { Token: { Type: 'String', NoEcho: true }, Stage: { Type: 'String', Default: 'dev' } },
      Resources: {
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { RoleArn: 'arn:aws:iam::123456789012:role/r', Definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } } },
        },
      },
    });
    const file = at('secret', 'm.explore.test.ts');
    const outcome = await cli('explore', template, '--parameter', 'Token=hunter2', '--parameter=Stage=prod', '--write-tests', file);
    expect(outcome.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).toContain(`--parameter 'Token=${HIDDEN_PARAMETER_VALUE}' '--parameter=Stage=${HIDDEN_PARAMETER_VALUE}'`);
    expect(withParameterValuesHidden(['--input', 'Token=x', '--parameter', 'NoEquals'])).toEqual(['--input', 'Token=x', '--parameter', 'NoEquals']);
  });

  it('writes no value of a parameters file\'s JSON given inline to --parameter, in either of its forms', async () => {
    const template = writeJson('secret-json/template.json', {
      Parameters: { Token: { Type: 'String', NoEcho: true }, Stage: { Type: 'String', Default: 'dev' } },
      Resources: {
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { RoleArn: 'arn:aws:iam::123456789012:role/r', Definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } } },
        },
      },
    });
    const list = '[{"ParameterKey": "Token", "ParameterValue": "hunter2"}]';
    const byName = '{"Parameters": {"Stage": "s3cret-stage"}}';
    const file = at('secret-json', 'm.explore.test.ts');
    const outcome = await cli('explore', template, '--parameter', list, `--parameter=${byName}`, '--write-tests', file);
    expect(outcome.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('hunter2');
    // The command line in the header holds no value; the file loads the template with the values
    // the run used: Stage, which the template may show, as it is, and NoEcho Token from the environment.
    const header = text.split('\n').filter((l) => l.startsWith('//')).join('\n');
    expect(header).not.toContain('s3cret-stage');
    expect(text).toContain("parameters: { Token: fromEnv('STEPWRIGHT_PARAMETER_Token'), Stage: 's3cret-stage' } });");
    expect(text).toContain(`--parameter '${HIDDEN_PARAMETER_VALUE}' '--parameter=${HIDDEN_PARAMETER_VALUE}'`);
    expect(withParameterValuesHidden(['--parameter', ' ["Token=hunter2"]'])).toEqual(['--parameter', HIDDEN_PARAMETER_VALUE]);
  });

  it('run again in a shell, writes the file byte for byte (an --input of JSON included)', async () => {
    const def = writeJson('quoted dir/charge.asl.json', charge);
    const file = at('quoted dir', 'charge.explore.test.ts');
    expect((await cli('explore', def, '--input', '{"amount":{"value":1}}', '--write-tests', file)).code).toBe(0);
    const first = fs.readFileSync(file, 'utf8');
    const command = /^\/\/ Written by: (.*)$/m.exec(first)?.[1];
    expect(command).toContain(String.raw`--input '{"amount":{"value":1}}'`);
    const args = shellArgs(command!);
    expect(args.slice(0, 2)).toEqual(['stepwright', 'explore']);
    fs.rmSync(file);
    expect((await cli(...args.slice(1))).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(first);
  });
});
