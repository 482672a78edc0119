import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';

// A template carries `aws:cdk:path` metadata only when the CDK CLI synthesized it; `app.synth()`
// in a script or a test writes none, but every synthesis writes the stack's `aws:cdk:logicalId`
// metadata in the cloud assembly. The construct id a jest test selects a machine by selects it
// in that cdk.out too.

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-paths-out-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const outdir = path.join(root, 'cdk.out');
const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': false } });
const stack = new Stack(app, 'Shop');
for (const id of ['Orders', 'Refunds']) {
  new sfn.StateMachine(stack, id, {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`, { result: sfn.Result.fromObject({ machine: id }) })),
  });
}
app.synth();

describe('a cdk.out synthesized without path metadata', () => {
  it('has no aws:cdk:path in its template, as app.synth() writes it', () => {
    expect(fs.readFileSync(path.join(outdir, 'Shop.template.json'), 'utf8')).not.toContain('aws:cdk:path');
  });

  it('selects a state machine by its construct id in stepwright run', async () => {
    const result = await cli('run', outdir, '--state-machine', 'Refunds', '--input', '{}', '--json');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ status: 'SUCCEEDED', output: { machine: 'Refunds' } });
  });

  it('selects a state machine by its construct id in Workflow.fromCdkOut, as its TSDoc example does', async () => {
    const run = await Workflow.fromCdkOut(outdir, 'Shop', { stateMachine: 'Refunds' }).run({});
    expect(run.output).toEqual({ machine: 'Refunds' });
  });
});

describe('a cdk.out whose metadata file lies outside it', () => {
  it('is refused naming the file as the manifest gives it, as a template outside is', async () => {
    const hostile = path.join(root, 'hostile.out');
    fs.cpSync(outdir, hostile, { recursive: true });
    fs.writeFileSync(path.join(root, 'outside.json'), '{}');
    const manifestFile = path.join(hostile, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    manifest.artifacts.Shop.additionalMetadataFile = '../outside.json';
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));

    const result = await cli('run', hostile, '--state-machine', 'Refunds', '--input', '{}');
    expect(result.code).not.toBe(0);
    expect(result.err).toContain("names '../outside.json', which is outside the cloud assembly");
  });
});
