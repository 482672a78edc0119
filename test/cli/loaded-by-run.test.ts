import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './run-cli';

/*
 * Every `stepwright` command is a process that loads what it needs: the yaml package (70-odd
 * modules, about a fifth of what `stepwright run` loaded) waits for a definition written in YAML,
 * so a JSON one, most runs, starts without it. jest gives this file a module registry of its own:
 * the factory below runs when something first requires 'yaml', and only then. The template loader
 * with cfn/'s resolver and iam/'s checks (twenty-odd modules) waits for a template in the same way.
 * cost/ waits for --cost, and contracts/ (the SDK models' index, the optimized catalogue) for the
 * first mock answer or Task request it judges: every check still runs, only the load waits.
 */

const mockYaml = { loads: 0 };
jest.mock('yaml', () => {
  mockYaml.loads++;
  return jest.requireActual('yaml');
});

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-loaded-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe('stepwright run: what it loads', () => {
  it('runs a JSON definition without loading yaml, then reads a YAML one with it', async () => {
    const json = path.join(dir, 'machine.asl.json');
    fs.writeFileSync(json, JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: 'json', End: true } } }));
    const fromJson = await cli('run', json, '--json');
    expect({ code: fromJson.code, output: (JSON.parse(fromJson.out) as { output: unknown }).output, yamlLoads: mockYaml.loads })
      .toEqual({ code: 0, output: 'json', yamlLoads: 0 });

    const yaml = path.join(dir, 'machine.asl.yaml');
    fs.writeFileSync(yaml, 'StartAt: A\nStates:\n  A: {Type: Pass, Result: !Ref Thing, End: true}\n');
    const fromYaml = await cli('run', yaml, '--json');
    expect({ code: fromYaml.code, output: (JSON.parse(fromYaml.out) as { output: unknown }).output, yamlLoads: mockYaml.loads })
      .toEqual({ code: 0, output: { Ref: 'Thing' }, yamlLoads: 1 });
  });

  it('runs an ASL file without loading cfn/ or iam/, then a template with them', async () => {
    // cfn/parameter-name.ts is the one home of a parameter's name rule, which `--parameter` reads at
    // every command's start; it imports nothing (a regular expression and a number), so it is not
    // the template loader this test keeps waiting.
    const loadedFrom = (layers: RegExp): string[] => Object.keys(require.cache)
      .map((f) => f.split(path.sep).join('/')).filter((f) => layers.test(f) && !f.endsWith('/src/cfn/parameter-name.ts'));
    const cfnOrIam = /\/src\/(cfn|iam)\//;
    const asl = path.join(dir, 'plain.asl.json');
    fs.writeFileSync(asl, JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: 'asl', End: true } } }));
    const fromAsl = await cli('run', asl, '--json');
    expect({ code: fromAsl.code, output: (JSON.parse(fromAsl.out) as { output: unknown }).output, cfnOrIam: loadedFrom(cfnOrIam) })
      .toEqual({ code: 0, output: 'asl', cfnOrIam: [] });

    const template = path.join(dir, 'Stack.template.json');
    const machine = {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: { DefinitionString: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: 'template', End: true } } }) },
    };
    fs.writeFileSync(template, JSON.stringify({ Resources: { Machine: machine } }));
    const fromTemplate = await cli('run', template, '--json');
    expect({ code: fromTemplate.code, output: (JSON.parse(fromTemplate.out) as { output: unknown }).output })
      .toEqual({ code: 0, output: 'template' });
    expect(loadedFrom(cfnOrIam)).toEqual(expect.arrayContaining([expect.stringMatching(/\/src\/cfn\/resolver\.ts$/), expect.stringMatching(/\/src\/iam\/check\.ts$/)]));
  });

  it('runs a Pass state without cost/ or contracts/, then loads each for --cost and a mocked Task', async () => {
    const loadedFrom = (layer: RegExp): string[] => Object.keys(require.cache).filter((f) => layer.test(f.split(path.sep).join('/')));
    const asl = path.join(dir, 'pass.asl.json');
    fs.writeFileSync(asl, JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: 'pass', End: true } } }));
    const plain = await cli('run', asl, '--history', '--json');
    expect({ code: plain.code, output: (JSON.parse(plain.out) as { output: unknown }).output, cost: loadedFrom(/\/src\/cost\//), contracts: loadedFrom(/\/src\/contracts\//) })
      .toEqual({ code: 0, output: 'pass', cost: [], contracts: [] });

    const costed = await cli('run', asl, '--cost');
    expect({ code: costed.code, costLine: /^Cost: {3}STANDARD 1 state transitions .* \$/m.test(costed.out) }).toEqual({ code: 0, costLine: true });
    expect(loadedFrom(/\/src\/cost\//)).toEqual(expect.arrayContaining([expect.stringMatching(/\/src\/cost\/format\.ts$/)]));
    expect(loadedFrom(/\/src\/contracts\//)).toEqual([]);

    const task = path.join(dir, 'task.asl.json');
    const mocks = path.join(dir, 'mocks.json');
    fs.writeFileSync(task, JSON.stringify({
      StartAt: 'Get',
      States: { Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 't', Key: { id: { S: '1' } } }, End: true } },
    }));
    fs.writeFileSync(mocks, JSON.stringify({ Get: { Itme: { id: { S: '1' } } } }));
    const mocked = await cli('run', task, '--mocks', mocks, '--json');
    const report = JSON.parse(mocked.out) as { status: string; advice: Array<{ state: string; message: string }> };
    expect({ code: mocked.code, status: report.status, advice: report.advice.map((a) => a.state) }).toEqual({ code: 0, status: 'SUCCEEDED', advice: ['Get'] });
    expect(report.advice[0].message).toMatch(/'Itme' is not defined; did you mean 'Item'\?[\s\S]*for example \{"Item":\{"id":\{"S":"1"\}\}\}/);
    expect(loadedFrom(/\/src\/contracts\//)).toEqual(expect.arrayContaining([expect.stringMatching(/\/src\/contracts\/check\.ts$/)]));
  });
});
