/**
 * A SAM project's parameter values in samconfig.toml, as `sam deploy` reads them
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-config.html):
 * the file beside template.yaml, `[<env>.deploy.parameters].parameter_overrides` (else the env's
 * `global` table), env `default` unless `--config-env` names another, `--config-file` another file.
 * A value given at the door wins over the file's, which wins over the Default. Through every door:
 * the CLI, the jest harness, MCP and serve --load.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Workflow } from '../../../src/testing';
import { SamConfigError, samConfigValues } from '../../../src/workbench/template/samconfig';
import { cli } from '../../cli/run-cli';
import { startMcp } from '../../mcp/client';
import { serve, until } from '../../server/helpers';

/** A SAM template whose state machine answers with the values of its two parameters. */
const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: dev
  Job:
    Type: String
Resources:
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Answer
        States:
          Answer:
            Type: Pass
            Result:
              stage: \${Stage}
              job: \${Job}
            End: true
      DefinitionSubstitutions:
        Stage: !Ref Stage
        Job: !Ref Job
`;

const SAMCONFIG = `version = 0.1
[default.global.parameters]
stack_name = "app"
[default.deploy.parameters]
capabilities = "CAPABILITY_IAM"
parameter_overrides = "Job=\\"nightly etl\\" Stray=1"
[prod.global.parameters]
parameter_overrides = ["Job=prod-etl", "Stage=prod"]
`;

let root: string;
let template: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-samconfig-'));
  fs.mkdirSync(path.join(root, 'app'));
  template = path.join(root, 'app', 'template.yaml');
  fs.writeFileSync(template, TEMPLATE);
  fs.writeFileSync(path.join(root, 'app', 'samconfig.toml'), SAMCONFIG);
  fs.writeFileSync(path.join(root, 'app', 'other.toml'), '[default.deploy.parameters]\nparameter_overrides = "Job=other"\n');
  fs.writeFileSync(path.join(root, 'app', 'broken.toml'), 'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "Job=x\n');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('samConfigValues reads parameter_overrides as sam deploy does', () => {
  const notes: string[] = [];
  const note = (m: string): void => { notes.push(m); };

  it('reads the file beside the template, its deploy table, a quoted value without its quotes; an undeclared name is left out with a note', () => {
    notes.length = 0;
    expect(samConfigValues(template, ['Stage', 'Job'], {}, note)).toEqual({ Job: 'nightly etl' });
    expect(notes).toEqual([
      `template parameters: Job from ${path.join(root, 'app', 'samconfig.toml')} (environment 'default'); a value given here wins over it`,
      `${path.join(root, 'app', 'samconfig.toml')}: Stray not declared by the template's Parameters; left out, as sam deploy leaves them out`,
    ]);
  });

  it("reads another environment's global table, a list of Name=Value strings", () => {
    expect(samConfigValues(template, ['Stage', 'Job'], { configEnv: 'prod' }, note)).toEqual({ Job: 'prod-etl', Stage: 'prod' });
  });

  it('reads nothing when no file lies beside the template, and refuses an environment asked of no file', () => {
    const alone = path.join(root, 'alone', 'template.yaml');
    fs.mkdirSync(path.dirname(alone), { recursive: true });
    fs.writeFileSync(alone, TEMPLATE);
    expect(samConfigValues(alone, ['Job'], {}, note)).toBeUndefined();
    expect(() => samConfigValues(alone, ['Job'], { configEnv: 'prod' }, note)).toThrow(SamConfigError);
  });

  it('refuses a file that is not TOML, naming the file and line', () => {
    const broken = path.join(root, 'app', 'broken.toml');
    expect(() => samConfigValues(template, ['Job'], { configFile: broken }, note)).toThrow(new RegExp(`^${broken.replace(/[.\\/]/g, '\\$&')}:3: not TOML`));
  });

  it('refuses overrides it cannot split and a file over 1 MiB', () => {
    const dir = fs.mkdtempSync(path.join(root, 'hostile-'));
    const t = path.join(dir, 'template.yaml');
    fs.writeFileSync(t, TEMPLATE);
    fs.writeFileSync(path.join(dir, 'bad.toml'), '[default.deploy.parameters]\nparameter_overrides = "Job=\\"x y"\n');
    expect(() => samConfigValues(t, ['Job'], { configFile: path.join(dir, 'bad.toml') }, note)).toThrow("cannot read 'Job=\"x y' as Name=Value");
    fs.writeFileSync(path.join(dir, 'big.toml'), `# ${'x'.repeat(1_048_577)}\n`);
    expect(() => samConfigValues(t, ['Job'], { configFile: path.join(dir, 'big.toml') }, note)).toThrow('at most 1,048,576 bytes');
  });

  describe('a samconfig.toml beside the template that is a symbolic link', () => {
    /** A project folder holding the template and config/samconfig.toml. */
    function project(): { dir: string; t: string } {
      const dir = fs.mkdtempSync(path.join(root, 'linked-'));
      fs.mkdirSync(path.join(dir, 'config'));
      fs.writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
      fs.writeFileSync(path.join(dir, 'config', 'samconfig.toml'), '[default.deploy.parameters]\nparameter_overrides = "Job=linked"\n');
      return { dir, t: path.join(dir, 'template.yaml') };
    }
    const leadsOut = 'a symbolic link that leads outside the template\'s folder, so not read';

    it("is read when it leads to a regular file inside the template's folder, as the SAM CLI reads it, and named as the link", () => {
      const { dir, t } = project();
      fs.symlinkSync(path.join('config', 'samconfig.toml'), path.join(dir, 'samconfig.toml'));
      notes.length = 0;
      expect(samConfigValues(t, ['Job'], {}, note)).toEqual({ Job: 'linked' });
      expect(notes[0]).toBe(`template parameters: Job from ${path.join(dir, 'samconfig.toml')} (environment 'default'); a value given here wins over it`);
    });

    it("is read through a chain of links that stays inside the template's folder", () => {
      const { dir, t } = project();
      fs.symlinkSync(path.join(dir, 'config', 'samconfig.toml'), path.join(dir, 'config', 'current.toml'));
      fs.symlinkSync(path.join('config', 'current.toml'), path.join(dir, 'samconfig.toml'));
      expect(samConfigValues(t, ['Job'], {}, note)).toEqual({ Job: 'linked' });
    });

    it("is refused, naming the link, when it leads outside the template's folder, also by a link inside that leads out", () => {
      const { dir, t } = project();
      const link = path.join(dir, 'samconfig.toml');
      fs.symlinkSync(path.join(root, 'app', 'samconfig.toml'), link);
      expect(() => samConfigValues(t, ['Job'], {}, note)).toThrow(new SamConfigError(link, undefined, `${leadsOut}: the configuration `
        + 'found beside a template is read from inside its project only; name the file to read as the configuration file '
        + '(as sam deploy --config-file names it), or link to a file inside the project'));
      fs.rmSync(link);
      fs.symlinkSync(path.join(root, 'app', 'samconfig.toml'), path.join(dir, 'config', 'out.toml'));
      fs.symlinkSync(path.join('config', 'out.toml'), link);
      expect(() => samConfigValues(t, ['Job'], {}, note)).toThrow(leadsOut);
      // Named, the link is asked for, and read wherever it leads.
      expect(samConfigValues(t, ['Job'], { configFile: link }, note)).toEqual({ Job: 'nightly etl' });
    });

    it('is refused, naming the link, when it leads to a folder or to nothing', () => {
      const { dir, t } = project();
      const link = path.join(dir, 'samconfig.toml');
      fs.symlinkSync('config', link);
      expect(() => samConfigValues(t, ['Job'], {}, note)).toThrow(new SamConfigError(link, undefined, 'cannot read it: it is a directory'));
      fs.rmSync(link);
      fs.symlinkSync('gone.toml', link);
      expect(() => samConfigValues(t, ['Job'], {}, note)).toThrow(new SamConfigError(link, undefined, 'cannot read it: no such file'));
    });
  });

  it('refuses a directory or a FIFO beside the template without opening it, and one named', () => {
    for (const make of [(f: string): void => fs.mkdirSync(f), (f: string): void => { execFileSync('mkfifo', [f]); }]) {
      const dir = fs.mkdtempSync(path.join(root, 'special-'));
      const t = path.join(dir, 'template.yaml');
      fs.writeFileSync(t, TEMPLATE);
      make(path.join(dir, 'samconfig.toml'));
      expect(() => samConfigValues(t, ['Job'], {}, note)).toThrow('not a regular file (a directory, pipe or device), so not read');
      expect(() => samConfigValues(t, ['Job'], { configFile: path.join(dir, 'samconfig.toml') }, note)).toThrow(SamConfigError);
    }
  });

  describe('a hostile file', () => {
    let dir: string;
    let t: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(root, 'bomb-'));
      t = path.join(dir, 'template.yaml');
      fs.writeFileSync(t, TEMPLATE);
    });
    const read = (name: string, text: string, options: { configEnv?: string } = {}): unknown => {
      fs.writeFileSync(path.join(dir, name), text);
      return samConfigValues(t, ['Job'], { configFile: path.join(dir, name), ...options }, note);
    };

    it('refuses a YAML alias bomb as a SamConfigError, not the yaml package\'s ReferenceError', () => {
      let bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
      for (let i = 0; i < 9; i++) bomb += `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]\n`;
      expect(() => read('bomb.yaml', bomb)).toThrow(SamConfigError);
      expect(() => read('bomb.yaml', bomb)).toThrow(/bomb\.yaml: not YAML stepwright reads: .*alias/i);
    });

    it('refuses YAML and TOML nested past what the parsers read, as a SamConfigError', () => {
      expect(() => read('deep.yaml', `x: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`)).toThrow(SamConfigError);
      expect(() => read('deep.toml', `x = ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`)).toThrow(SamConfigError);
      expect(() => read('inline.toml', `x = ${'{a='.repeat(20_000)}1${'}'.repeat(20_000)}\n`)).toThrow(SamConfigError);
    });

    it('reads a MiB of tiny tables and a header nested 20,000 deep, and finds no overrides there', () => {
      expect(read('tables.toml', Array.from({ length: 100_000 }, (_, i) => `[t${i}]`).join('\n').slice(0, 1_000_000))).toBeUndefined();
      expect(read('dotted.toml', `[${Array(20_000).fill('a').join('.')}]\nx = 1\n`)).toBeUndefined();
    });

    it("takes an environment named __proto__, constructor or with control characters as a table's name, and finds none", () => {
      for (const env of ['__proto__', 'constructor', 'toString', 'a\u001b[2J\nb']) {
        expect(read('envs.toml', '[default.deploy.parameters]\nparameter_overrides = "Job=x"\n', { configEnv: env })).toBeUndefined();
      }
    });
  });
});

describe('samconfig.toml at every door', () => {
  it('the CLI reads it beside the template, says so on stderr, --parameter winning; --config-env and --config-file choose', async () => {
    const run = await cli('run', template, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ status: 'SUCCEEDED', output: { stage: 'dev', job: 'nightly etl' } });
    expect(run.err).toContain(`stepwright: note: template parameters: Job from ${path.join(root, 'app', 'samconfig.toml')} (environment 'default')`);
    expect(run.err).toContain('Stray not declared by the template\'s Parameters; left out');
    const given = await cli('run', template, '--parameter', 'Job=mine', '--json');
    expect(JSON.parse(given.out)).toMatchObject({ output: { stage: 'dev', job: 'mine' } });
    const prod = await cli('run', template, '--config-env', 'prod', '--json');
    expect(JSON.parse(prod.out)).toMatchObject({ output: { stage: 'prod', job: 'prod-etl' } });
    const other = await cli('run', template, '--config-file', path.join(root, 'app', 'other.toml'), '--json');
    expect(JSON.parse(other.out)).toMatchObject({ output: { job: 'other' } });
    const valid = await cli('validate', '--config-env', 'prod', template);
    expect(valid.code).toBe(0);
    const broken = await cli('validate', '--config-file', path.join(root, 'app', 'broken.toml'), template);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain(`${path.join(root, 'app', 'broken.toml')}:3: not TOML`);
  });

  it('the harness reads it for a template file, parameters winning; configEnv and configFile choose', async () => {
    expect((await Workflow.fromTemplate(template).run({})).output).toEqual({ stage: 'dev', job: 'nightly etl' });
    expect((await Workflow.fromTemplate(template, { parameters: { Job: 'mine' } }).run({})).output).toEqual({ stage: 'dev', job: 'mine' });
    expect((await Workflow.fromTemplate(template, { configEnv: 'prod' }).run({})).output).toEqual({ stage: 'prod', job: 'prod-etl' });
    expect((await Workflow.fromTemplate(template, { configFile: path.join(root, 'app', 'other.toml') }).run({})).output).toEqual({ stage: 'dev', job: 'other' });
    expect(() => Workflow.fromTemplate(template, { configFile: path.join(root, 'app', 'broken.toml') })).toThrow(':3: not TOML');
  });

  it('MCP reads it for a template file, parameters winning; configEnv and configFile choose', async () => {
    const mcp = await startMcp(root);
    try {
      const implicit = await mcp.call('run', { file: 'app/template.yaml' });
      expect(implicit.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: { stage: 'dev', job: 'nightly etl' } });
      const given = await mcp.call('run', { file: 'app/template.yaml', parameters: { Job: 'mine' } });
      expect(given.structuredContent).toMatchObject({ output: { job: 'mine' } });
      const prod = await mcp.call('run', { file: 'app/template.yaml', configEnv: 'prod' });
      expect(prod.structuredContent).toMatchObject({ output: { stage: 'prod', job: 'prod-etl' } });
      const other = await mcp.call('run', { file: 'app/template.yaml', configFile: 'app/other.toml' });
      expect(other.structuredContent).toMatchObject({ output: { job: 'other' } });
      const broken = await mcp.call('validate', { file: 'app/template.yaml', configFile: 'app/broken.toml' });
      expect(broken.isError).toBe(true);
      expect(JSON.stringify(broken.content)).toContain('broken.toml:3: not TOML');
    } finally {
      await mcp.close();
    }
  });

  it("MCP reads a samconfig.toml linked inside the template's folder, and refuses one linked out of it, naming no folder above its root", async () => {
    for (const name of ['mcp-linked', 'mcp-linked-out']) {
      fs.mkdirSync(path.join(root, name, 'config'), { recursive: true });
      fs.writeFileSync(path.join(root, name, 'template.yaml'), TEMPLATE);
      fs.writeFileSync(path.join(root, name, 'config', 'samconfig.toml'), '[default.deploy.parameters]\nparameter_overrides = "Job=linked"\n');
    }
    fs.symlinkSync(path.join('config', 'samconfig.toml'), path.join(root, 'mcp-linked', 'samconfig.toml'));
    fs.symlinkSync(path.join('..', 'app', 'samconfig.toml'), path.join(root, 'mcp-linked-out', 'samconfig.toml'));
    const mcp = await startMcp(root);
    try {
      const inside = await mcp.call('run', { file: 'mcp-linked/template.yaml' });
      expect(inside.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: { job: 'linked' } });
      const out = await mcp.call('run', { file: 'mcp-linked-out/template.yaml' });
      expect(out.isError).toBe(true);
      const text = JSON.stringify(out.content);
      expect(text).toContain("samconfig.toml: a symbolic link that leads outside the template's folder, so not read");
      expect(text.replaceAll(fs.realpathSync(root), '<root>').replaceAll(root, '<root>')).not.toMatch(/\/tmp|stepwright-samconfig-/);
    } finally {
      await mcp.close();
    }
  });

  it('serve --load reads it, logging the file, loadParameters winning; loadConfigEnv chooses', async () => {
    const output = async (options: Parameters<typeof serve>[0]): Promise<{ output: unknown; logs: string[] }> => {
      const env = await serve({ load: [template], ...options });
      try {
        const { stateMachines } = await env.sfn.send(new ListStateMachinesCommand({}));
        const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachines![0].stateMachineArn, input: '{}' }));
        const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
        return { output: JSON.parse(done.output!), logs: env.logs };
      } finally {
        await env.stop();
      }
    };
    const implicit = await output({});
    expect(implicit.output).toEqual({ stage: 'dev', job: 'nightly etl' });
    expect(implicit.logs.join('\n')).toContain(`template parameters: Job from ${path.join(root, 'app', 'samconfig.toml')} (environment 'default')`);
    expect((await output({ loadParameters: { Job: 'mine' } })).output).toEqual({ stage: 'dev', job: 'mine' });
    expect((await output({ loadConfigEnv: 'prod' })).output).toEqual({ stage: 'prod', job: 'prod-etl' });
    await expect(serve({ load: [template], loadConfigFile: path.join(root, 'app', 'broken.toml') })).rejects.toThrow('broken.toml:3: not TOML');
    const usage = await cli('serve', '--config-env', 'prod');
    expect(usage).toMatchObject({ code: 2 });
    expect(usage.err).toContain('--config-file and --config-env read the SAM configuration of a template of --load');
  });
});
