import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../cli/run-cli';
import { requireCompiledLibrary, runJest } from '../workbench/scaffold/consumer';

/*
 * The tests `explore` and `verify --write-tests` write for a SAM template read its parameters from
 * the SAM configuration the command read them from (`--config-file`, `--config-env`, as `sam
 * deploy` takes them), so they run the machine the search ran. Before, the written file loaded the
 * template with the configuration's default environment, whose values take another branch.
 */

const TEMPLATE = {
  Parameters: { Stage: { Type: 'String' } },
  Resources: {
    Deploy: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        RoleArn: 'arn:aws:iam::123456789012:role/deploy',
        DefinitionString: {
          'Fn::Sub': JSON.stringify({
            StartAt: 'Which',
            States: {
              Which: { Type: 'Choice', Choices: [{ Variable: '$.stage', StringEquals: '${Stage}', Next: 'ThisStage' }], Default: 'OtherStage' },
              ThisStage: { Type: 'Pass', End: true },
              OtherStage: { Type: 'Pass', End: true },
            },
          }),
        },
      },
    },
  },
};

/** A SAM configuration giving Stage `dev` in its default environment and `value` in `env`. */
const samConfig = (env: string, value: string) => [
  'version = 0.1',
  '[default.deploy.parameters]',
  'parameter_overrides = "Stage=dev"',
  `[${env}.deploy.parameters]`,
  `parameter_overrides = "Stage=${value}"`,
  '',
].join('\n');

let dir: string;
beforeAll(() => {
  requireCompiledLibrary();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-samconfig-tests-'));
  fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(TEMPLATE, null, 2));
  // The default file beside the template, and another the commands name.
  fs.writeFileSync(path.join(dir, 'samconfig.toml'), samConfig('prod', 'prod'));
  fs.mkdirSync(path.join(dir, 'config'));
  fs.writeFileSync(path.join(dir, 'config', 'stages.toml'), samConfig('staging', 'staging'));
  fs.writeFileSync(path.join(dir, 'stage.properties.js'), "exports.neverThisStage = { kind: 'never', state: 'ThisStage' };\n");
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the tests explore and verify write for a template read its SAM configuration as the command did', () => {
  it('carry --config-env and --config-file, and pass as written under jest', async () => {
    const template = path.join(dir, 'template.json');
    const explored = path.join(dir, 'env.explore.test.ts');
    const e = await cli('explore', template, '--config-env', 'prod', '--write-tests', explored);
    expect(e.code).toBe(0);
    const verified = path.join(dir, 'file.explore.test.ts');
    const v = await cli('verify', template, '--config-file', path.join(dir, 'config', 'stages.toml'), '--config-env', 'staging',
      '--property', path.join(dir, 'stage.properties.js'), '--write-tests', verified);
    // The property is VIOLATED by an input naming the stage the configuration gives.
    expect(v.code).toBe(1);

    expect(fs.readFileSync(explored, 'utf8'))
      .toContain("const wf = Workflow.fromTemplate(path.resolve(__dirname, 'template.json'), { stateMachine: 'Deploy', configEnv: 'prod' });");
    expect(fs.readFileSync(explored, 'utf8')).toContain("stage: 'prod'");
    expect(fs.readFileSync(verified, 'utf8')).toContain("const wf = Workflow.fromTemplate(path.resolve(__dirname, 'template.json'), "
      + "{ stateMachine: 'Deploy', configFile: path.resolve(__dirname, 'config/stages.toml'), configEnv: 'staging' });");
    expect(fs.readFileSync(verified, 'utf8')).toContain("stage: 'staging'");

    const results = await runJest(dir);
    expect(results.map((f) => [f.file, f.status, f.failed])).toEqual([
      ['env.explore.test.ts', 'passed', 0],
      ['file.explore.test.ts', 'passed', 0],
    ]);
    expect(results.every((f) => f.passed > 0)).toBe(true);
  }, 240_000);
});
