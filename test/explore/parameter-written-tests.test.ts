import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scaffoldTests, Workflow } from '../../src/testing';
import { cli } from '../cli/run-cli';
import { requireCompiledLibrary, runJest } from '../workbench/scaffold/consumer';

/*
 * The tests `explore` and `verify --write-tests` write for a template load it with the
 * `--parameter` values the run used, so they run the machine the search ran. Before, the written
 * file loaded the template with no values, and a parameter without a Default made it fail to load
 * ("parameter 'Stage' has no Default"). A NoEcho value (a secret) is never written: the file reads
 * it from STEPWRIGHT_PARAMETER_<Name> and fails naming that variable when it is unset.
 */

const TEMPLATE = {
  Parameters: {
    Stage: { Type: 'String', AllowedValues: ['dev', 'prod'] },
    Token: { Type: 'String', NoEcho: true },
  },
  Resources: {
    Deploy: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        RoleArn: 'arn:aws:iam::123456789012:role/deploy',
        DefinitionString: {
          'Fn::Sub': JSON.stringify({
            StartAt: 'Sign',
            States: {
              // The secret goes into a field the output leaves out, so no scenario's expected output holds it.
              Sign: { Type: 'Pass', Result: { token: '${Token}' }, ResultPath: '$.auth', Next: 'Stage' },
              Stage: { Type: 'Pass', Result: { stage: '${Stage}' }, End: true },
            },
          }),
        },
      },
    },
  },
};

const SECRET = 'hunter2-secret';
const VARIABLE = 'STEPWRIGHT_PARAMETER_Token';

let dir: string;
beforeAll(() => {
  requireCompiledLibrary();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-parameter-tests-'));
  fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(TEMPLATE, null, 2));
  fs.writeFileSync(path.join(dir, 'deploy.properties.js'), "exports.neverStage = { kind: 'never', state: 'Stage' };\n");
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the tests explore and verify write for a template with --parameter values', () => {
  it('load it with those values, a NoEcho one read from the environment, and pass as written under jest', async () => {
    const template = path.join(dir, 'template.json');
    const explored = path.join(dir, 'cli.explore.test.ts');
    const e = await cli('explore', template, '--parameter', 'Stage=prod', '--parameter', `Token=${SECRET}`, '--write-tests', explored);
    expect(e.code).toBe(0);
    const verified = path.join(dir, 'verify.explore.test.ts');
    const v = await cli('verify', template, '--parameter', 'Stage=prod', '--parameter', `Token=${SECRET}`, '--property', path.join(dir, 'deploy.properties.js'),
      '--write-tests', verified);
    expect(v.code).toBe(1);

    const wf = Workflow.fromTemplate(template, { parameters: { Stage: 'prod', Token: SECRET } });
    const report = await wf.explore();
    fs.writeFileSync(path.join(dir, 'library.explore.test.ts'), scaffoldTests(report, {
      source: { template: 'template.json', parameters: { Stage: 'prod', Token: { fromEnv: VARIABLE } } },
      definition: wf.definition,
    }));

    const loads = `const wf = Workflow.fromTemplate(path.resolve(__dirname, 'template.json'), { stateMachine: 'Deploy', parameters: { Stage: 'prod', Token: fromEnv('${VARIABLE}') } });`;
    for (const file of [explored, verified]) {
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toContain(loads);
      expect(text).not.toContain(SECRET);
    }
    expect(fs.readFileSync(explored, 'utf8')).toContain("stage: 'prod'");

    // Unset, the file says which variable to set; it never falls back to a made-up value.
    const unset = await runJest(dir);
    expect(unset.map((f) => [f.file, f.status])).toEqual([
      ['cli.explore.test.ts', 'failed'],
      ['library.explore.test.ts', 'failed'],
      ['verify.explore.test.ts', 'failed'],
    ]);
    for (const f of unset) expect(f.message).toContain(`set ${VARIABLE} to the template parameter's value: it is NoEcho, so this file does not hold it`);

    const set = await runJest(dir, { env: { [VARIABLE]: SECRET } });
    expect(set.map((f) => [f.file, f.status, f.failed])).toEqual([
      ['cli.explore.test.ts', 'passed', 0],
      ['library.explore.test.ts', 'passed', 0],
      ['verify.explore.test.ts', 'passed', 0],
    ]);
    expect(set.every((f) => f.passed > 0)).toBe(true);
  }, 240_000);

  it('refuses a fromEnv that names no environment variable', async () => {
    const wf = Workflow.fromDefinition({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });
    const report = await wf.explore();
    expect(() => scaffoldTests(report, { source: { template: 't.json', parameters: { Token: { fromEnv: 'A B' } } }, definition: wf.definition }))
      .toThrow(new TypeError('scaffoldTests: parameter "Token": fromEnv must name an environment variable (letters, digits, _), got "A B"'));
  });
});
