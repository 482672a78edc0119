import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cloudAssemblyStacks, TemplateError, Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';
import { startMcp, textOf } from '../../mcp/client';
import { serve } from '../../server/helpers';

// A cdk.out is data from wherever it came (a build artifact, a pull request): every loader of one
// (cloudAssemblyStacks, Workflow.fromCdkOut, the CLI, serve --load, MCP) reads only the files inside
// it, refuses a stack or an assembly that contains itself and an assembly of more than 2,000 stacks
// (CloudFormation's quota of stacks per account and Region, "Understand CloudFormation quotas"),
// and answers a malformed manifest with a TemplateError, never a crash.

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-hostile-out-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const MACHINE = {
  Type: 'AWS::StepFunctions::StateMachine',
  Properties: { DefinitionString: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }) },
};

/** A nested stack resource whose template the CLI's asset metadata names. */
const nestedStack = (file: string) => ({
  Type: 'AWS::CloudFormation::Stack',
  Properties: { TemplateURL: `https://bucket.example/${path.basename(file)}` },
  Metadata: { 'aws:asset:path': file },
});

/** Writes a cloud assembly of one stack, `Parent`, with these files beside its manifest. */
function assembly(name: string, files: Record<string, unknown>, manifest?: unknown): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest !== undefined ? manifest : {
    version: '36.0.0',
    artifacts: { Parent: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Parent.template.json' } } },
  }));
  for (const [file, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), JSON.stringify(body));
  return dir;
}

const selfNesting = assembly('self.out', { 'Parent.template.json': { Resources: { M: MACHINE, Self: nestedStack('Parent.template.json') } } });
const cycle = assembly('cycle.out', {
  'Parent.template.json': { Resources: { M: MACHINE, A: nestedStack('A.nested.template.json') } },
  'A.nested.template.json': { Resources: { B: nestedStack('B.nested.template.json') } },
  'B.nested.template.json': { Resources: { Back: nestedStack('A.nested.template.json') } },
});
const assemblyInItself = assembly('stage.out', {}, { version: '36.0.0', artifacts: { Stage: { type: 'cdk:cloud-assembly', properties: { directoryName: '.' } } } });

// Eight nested stacks per template, eight levels deep: 8^8 stacks named by nine small files.
const FAN = 8;
const fanFiles: Record<string, unknown> = {};
for (let level = 0; level < FAN; level++) {
  const next = `L${level + 1}.nested.template.json`;
  fanFiles[level === 0 ? 'Parent.template.json' : `L${level}.nested.template.json`] = {
    Resources: Object.fromEntries(Array.from({ length: FAN }, (_, i) => [`S${i}`, nestedStack(next)])),
  };
}
fanFiles[`L${FAN}.nested.template.json`] = { Resources: { M: MACHINE } };
const fanOut = assembly('fan.out', fanFiles);

// A template outside the assembly, reached by `..` and by a link inside it.
fs.writeFileSync(path.join(root, 'outside.template.json'), JSON.stringify({ Resources: { M: MACHINE } }));
const dotDot = assembly('dotdot.out', { 'Parent.template.json': { Resources: { Out: nestedStack('../outside.template.json') } } });
const linked = assembly('link.out', { 'Parent.template.json': { Resources: { Out: nestedStack('Out.nested.template.json') } } });
fs.symlinkSync(path.join(root, 'outside.template.json'), path.join(linked, 'Out.nested.template.json'));
const manifestOut = assembly('manifest-out.out', {}, {
  version: '36.0.0', artifacts: { Parent: { type: 'aws:cloudformation:stack', properties: { templateFile: '../outside.template.json' } } },
});

// A DefinitionBody.fromFile asset that the asset manifest names outside the assembly: its text would
// be printed in the error that says it is no definition.
const SECRET = 'SECRET=hunter2';
fs.writeFileSync(path.join(root, 'secret.txt'), `${SECRET}\n`);
function assetOutside(name: string, assetPath: string): string {
  return assembly(name, {
    'Parent.template.json': { Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionS3Location: { Bucket: 'b', Key: 'abc.json' } } } } },
    'Parent.assets.json': {
      version: '36.0.0',
      files: { abc: { source: { path: assetPath, packaging: 'file' }, destinations: { d: { bucketName: 'b', objectKey: 'abc.json' } } } },
    },
  });
}
const assetDotDot = assetOutside('asset-dotdot.out', '../secret.txt');
const assetLinked = assetOutside('asset-link.out', 'asset.abc.json');
fs.symlinkSync(path.join(root, 'secret.txt'), path.join(assetLinked, 'asset.abc.json'));
const ASSETS: Array<[string, string]> = [['named with ..', assetDotDot], ['a link leading out', assetLinked]];

// Two nested stacks of one template: a cdk.out CloudFormation deploys.
const shared = assembly('shared.out', {
  'Parent.template.json': { Resources: { A: nestedStack('N.nested.template.json'), B: nestedStack('N.nested.template.json') } },
  'N.nested.template.json': { Resources: { M: MACHINE } },
});

const MALFORMED: Array<[string, string]> = [
  ['a manifest that is null', assembly('null-manifest.out', {}, null)],
  ['an artifact that is null', assembly('null-artifact.out', {}, { artifacts: { Parent: null } })],
  ['a templateFile that is a number', assembly('number-file.out', { 'Parent.template.json': { Resources: { M: MACHINE } } }, {
    artifacts: { Parent: { type: 'aws:cloudformation:stack', properties: { templateFile: 5 } } },
  })],
  ['a template that is null', assembly('null-template.out', { 'Parent.template.json': null })],
];

const REFUSED: Array<[string, string, RegExp]> = [
  ['a stack that nests itself', selfNesting, /the nested stack Self of Parent names the template 'Parent\.template\.json', which contains it/],
  ['two stacks that nest each other', cycle, /the nested stack Back of Parent\/A\/B names the template 'A\.nested\.template\.json', which contains it/],
  ['an assembly that contains itself', assemblyInItself, /the nested assembly '\.' contains itself/],
  ['nested stacks past 2,000', fanOut, /holds more than 2000 stacks/],
  ['a nested template named with ..', dotDot, /names '\.\.\/outside\.template\.json', which is outside the cloud assembly/],
  ['a nested template that is a link leading out', linked, /names 'Out\.nested\.template\.json', which is outside the cloud assembly/],
  ['a manifest template named with ..', manifestOut, /names '\.\.\/outside\.template\.json', which is outside the cloud assembly/],
];

describe('a file asset a cdk.out names outside itself', () => {
  it.each(ASSETS)('is refused, its text never printed, by the CLI: %s', async (_what, dir) => {
    for (const command of ['validate', 'run']) {
      const r = await cli(command, dir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/names the file asset "[^"]+", which is outside the cloud assembly/);
      expect(r.err + r.out).not.toContain(SECRET);
      expect(r.err.replaceAll(dir, '<dir>')).not.toContain(root);
    }
  });

  it.each(ASSETS)('is refused by Workflow.fromCdkOut and serve --load: %s', async (_what, dir) => {
    expect(() => Workflow.fromCdkOut(dir)).toThrow(/which is outside the cloud assembly/);
    const refused = serve({ load: [dir] });
    await expect(refused).rejects.toThrow(/which is outside the cloud assembly/);
    await expect(refused).rejects.not.toThrow(SECRET);
  });

  it('is refused by MCP without its text', async () => {
    const mcp = await startMcp(root);
    try {
      for (const [, dir] of ASSETS) {
        const r = await mcp.call('validate', { file: path.basename(dir) });
        expect(JSON.stringify(r)).toMatch(/which is outside the cloud assembly/);
        expect(JSON.stringify(r)).not.toContain(SECRET);
        expect(JSON.stringify(r)).not.toContain(root);
      }
    } finally {
      await mcp.close();
    }
  });
});

describe('a hostile cdk.out', () => {
  it.each(REFUSED)('is refused by cloudAssemblyStacks and Workflow.fromCdkOut: %s', (_what, dir, message) => {
    expect(() => cloudAssemblyStacks(dir)).toThrow(TemplateError);
    expect(() => cloudAssemblyStacks(dir)).toThrow(message);
    expect(() => Workflow.fromCdkOut(dir)).toThrow(message);
  });

  it.each(MALFORMED)('gives a TemplateError or the stacks it can read, never a crash, for %s', (_what, dir) => {
    let stacks: unknown;
    try {
      stacks = cloudAssemblyStacks(dir);
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      return;
    }
    expect(Array.isArray(stacks)).toBe(true);
  });

  it('lists a template that several nested stacks name once per stack', () => {
    expect(cloudAssemblyStacks(shared).map((s) => s.displayName ?? s.artifactId)).toEqual(['Parent', 'Parent/A', 'Parent/B']);
  });

  it.each(REFUSED)('is refused by the CLI with exit 2 and no path of the machine: %s', async (_what, dir, message) => {
    const r = await cli('validate', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.replaceAll(dir, '<dir>')).not.toContain(root);
  });

  it.each(MALFORMED)('is answered by the CLI without an internal error: %s', async (_what, dir) => {
    const r = await cli('validate', dir);
    expect(r.err).not.toContain('internal error');
    expect([0, 2]).toContain(r.code);
  });

  it.each(REFUSED)('is refused by serve --load: %s', async (_what, dir, message) => {
    await expect(serve({ load: [dir] })).rejects.toThrow(message);
  });

  it('is answered by MCP with a tool error naming no folder of the machine, and the server goes on', async () => {
    const mcp = await startMcp(root);
    try {
      for (const [, dir, message] of REFUSED) {
        const r = await mcp.call('list_state_machines', { file: path.basename(dir) });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(message);
        expect(textOf(r)).not.toContain(root);
      }
      const listed = await mcp.call('list_state_machines', { file: path.basename(shared) });
      expect(listed.isError).toBeFalsy();
    } finally {
      await mcp.close();
    }
  });
});
