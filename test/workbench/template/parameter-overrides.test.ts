/*
 * Template parameter values in the forms users copy from AWS's tools: `sam deploy
 * --parameter-overrides` (Key=Value and ParameterKey=Key,ParameterValue=Value, several in one
 * string, values quoted; the SAM CLI's CfnParameterOverridesType), `aws cloudformation deploy
 * --parameter-overrides Key=Value` (split at the first '='), `aws cloudformation create-stack
 * --parameters ParameterKey=..,ParameterValue=..` (`\,` a comma of the value) and a parameters file
 * (`file://params.json`). Before, the ParameterKey= form reached CloudFormation's check as a
 * parameter named ParameterKey and was refused.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workflow } from '../../../src/testing';
import { parameterArgument, parametersOfJson, ParameterOverridesError, splitOverrides } from '../../../src/workbench/common/parameter-overrides';
import { cli } from '../../cli/run-cli';
import { startMcp } from '../../mcp/client';

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage:
    Type: String
    AllowedValues: [dev, prod]
  Subnets:
    Type: CommaDelimitedList
    Default: a
Resources:
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/machine
      Definition:
        StartAt: Answer
        States:
          Answer:
            Type: Pass
            Result:
              stage: !Ref Stage
              subnets: !Join [ "+", !Ref Subnets ]
            End: true
`;

let root: string;
let file: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-overrides-'));
  file = path.join(root, 'template.yaml');
  fs.writeFileSync(file, TEMPLATE);
  fs.writeFileSync(path.join(root, 'params.json'), JSON.stringify([
    { ParameterKey: 'Stage', ParameterValue: 'prod' }, { ParameterKey: 'Subnets', ParameterValue: 'x,y' },
  ]));
  fs.writeFileSync(path.join(root, 'pipeline.json'), JSON.stringify({ Parameters: { Stage: 'dev' } }));
  fs.writeFileSync(path.join(root, 'previous.json'), JSON.stringify([{ ParameterKey: 'Stage', UsePreviousValue: true }]));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the forms sam deploy --parameter-overrides takes', () => {
  it('reads Key=Value and ParameterKey=Key,ParameterValue=Value pairs, several in one string, quoted values without quotes', () => {
    expect(splitOverrides('Stage=dev Job="nightly etl"')).toEqual([['Stage', 'dev'], ['Job', 'nightly etl']]);
    expect(splitOverrides("ParameterKey=KeyPairName,ParameterValue=MyKey ParameterKey=InstanceType,ParameterValue='t1 micro'"))
      .toEqual([['KeyPairName', 'MyKey'], ['InstanceType', 't1 micro']]);
    expect(splitOverrides('A=x\\ y B="say \\"hi\\"" C=don\'t D=')).toEqual([['A', 'x y'], ['B', 'say "hi"'], ['C', "don't"], ['D', '']]);
    // The SAM CLI keeps `\,` in a value; the AWS CLI's shorthand reads it as a comma.
    expect(splitOverrides('ParameterKey=Subnets,ParameterValue=a\\,b')).toEqual([['Subnets', 'a\\,b']]);
    expect(splitOverrides('ParameterKey=Subnets,ParameterValue=a\\,b', { shorthandCommas: true })).toEqual([['Subnets', 'a,b']]);
  });

  it('refuses a part in neither form, and a string mixing the two forms (sam deploy would drop the Key=Value pairs)', () => {
    expect(() => splitOverrides('Stage=dev world')).toThrow("cannot read 'world' as Name=Value or ParameterKey=Name,ParameterValue=Value");
    expect(() => splitOverrides('ParameterKey=Stage,ParameterValue=dev Job=x')).toThrow(ParameterOverridesError);
    expect(() => splitOverrides('ParameterKey=Stage,ParameterValue=dev Job=x')).toThrow('mixes Name=Value and ParameterKey=Name,ParameterValue=Value pairs');
    expect(() => splitOverrides('ParameterKey=Stage')).toThrow("cannot read 'ParameterKey=Stage': a ParameterKey= pair needs its ,ParameterValue=");
  });
});

describe('one --parameter value', () => {
  it('takes Key=Value as aws cloudformation deploy does, the rest of the text the value, where the SAM CLI would cut it', () => {
    expect(parameterArgument('Greeting=hello world')).toEqual([['Greeting', 'hello world']]);
    expect(parameterArgument('Body={"a":1}')).toEqual([['Body', '{"a":1}']]);
    expect(parameterArgument('Stage=dev Job=x')).toEqual([['Stage', 'dev'], ['Job', 'x']]);
  });

  it('takes create-stack shorthand, `\\,` a comma of the value, and refuses ParameterKey= without its value', () => {
    expect(parameterArgument('ParameterKey=Subnets,ParameterValue=SubnetID1\\,SubnetID2')).toEqual([['Subnets', 'SubnetID1,SubnetID2']]);
    expect(() => parameterArgument('ParameterKey=Stage')).toThrow("cannot read 'ParameterKey=Stage': a ParameterKey= pair needs its ,ParameterValue=");
  });

  it('reads a parameters file in the forms the AWS CLI reads, and refuses what is in none of them', () => {
    expect(parametersOfJson([{ ParameterKey: 'A', ParameterValue: '1' }], 'x')).toEqual([['A', '1']]);
    expect(parametersOfJson({ Parameters: { A: 5, B: true } }, 'x')).toEqual([['A', '5'], ['B', 'True']]);
    expect(parametersOfJson(['A=1=2'], 'x')).toEqual([['A', '1=2']]);
    expect(() => parametersOfJson([{ ParameterKey: 'A', Value: '1' }], 'x')).toThrow("x: entry 0: 'Value' is not a member of a CloudFormation Parameter");
    expect(() => parametersOfJson([{ ParameterKey: 'A' }], 'x')).toThrow("ParameterKey 'A' has no ParameterValue");
    expect(() => parametersOfJson({ A: '1' }, 'x')).toThrow('x must be one of [{"ParameterKey"');
    expect(() => parametersOfJson([{ ParameterKey: 'a-b', ParameterValue: '1' }], 'x')).toThrow("'a-b' is not a parameter's name");
    expect(() => parametersOfJson({ Parameters: { A: null } }, 'x')).toThrow('x: Parameters.A must be text; got null');
    expect(parameterArgument('[{"ParameterKey":"A","ParameterValue":"1"}]')).toEqual([['A', '1']]);
    expect(() => parameterArgument('[{"ParameterKey":')).toThrow('the JSON given is not JSON');
    expect(() => parameterArgument(`file://${path.join(root, 'missing.json')}`)).toThrow('cannot read the parameters file');
  });
});

describe('the forms at every door', () => {
  it('the CLI runs with ParameterKey= pairs, several in one --parameter, and file://params.json; it refuses what no tool takes', async () => {
    const keyed = await cli('run', file, '--parameter', 'ParameterKey=Stage,ParameterValue=prod ParameterKey=Subnets,ParameterValue=p\\,q', '--json');
    expect(keyed.err).toBe('');
    expect(JSON.parse(keyed.out)).toMatchObject({ status: 'SUCCEEDED', output: { stage: 'prod', subnets: 'p+q' } });
    const several = await cli('run', file, '--parameter', 'Stage=dev Subnets="m,n"', '--json');
    expect(JSON.parse(several.out)).toMatchObject({ output: { stage: 'dev', subnets: 'm+n' } });
    const fromFile = await cli('run', file, '--parameter', `file://${path.join(root, 'params.json')}`, '--json');
    expect(JSON.parse(fromFile.out)).toMatchObject({ output: { stage: 'prod', subnets: 'x+y' } });
    const pipeline = await cli('validate', file, '--parameter', `file://${path.join(root, 'pipeline.json')}`);
    expect(pipeline.code).toBe(0);
    const previous = await cli('validate', file, '--parameter', `file://${path.join(root, 'previous.json')}`);
    expect(previous.code).toBe(2);
    expect(previous.err).toContain('UsePreviousValue reuses a deployed stack\'s value, and a local load deploys a new stack');
    const mixed = await cli('run', file, '--parameter', 'ParameterKey=Stage,ParameterValue=dev Subnets=x');
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain("got 'ParameterKey=Stage,ParameterValue=dev Subnets=x': 'ParameterKey=Stage,ParameterValue=dev Subnets=x' mixes");
    const served = await cli('serve', '--load', file, '--parameter', 'ParameterKey=Stage');
    expect(served.code).toBe(2);
    expect(served.err).toContain("--parameter takes Name=Value, the name of one of the template's Parameters and its value; got 'ParameterKey=Stage': cannot read 'ParameterKey=Stage': a ParameterKey= pair needs");
  });

  it('samconfig.toml gives parameter_overrides in the ParameterKey= form, a string or a list of them', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'sam-'));
    const t = path.join(dir, 'template.yaml');
    fs.writeFileSync(t, TEMPLATE);
    fs.writeFileSync(path.join(dir, 'samconfig.toml'), [
      '[default.deploy.parameters]',
      'parameter_overrides = "ParameterKey=Stage,ParameterValue=prod ParameterKey=Subnets,ParameterValue=\'s 1,s 2\'"',
      '[list.deploy.parameters]',
      'parameter_overrides = ["ParameterKey=Stage,ParameterValue=dev", "Subnets=\\"l 1\\""]',
      '[mixed.deploy.parameters]',
      'parameter_overrides = "ParameterKey=Stage,ParameterValue=dev Subnets=x"',
    ].join('\n'));
    expect((await Workflow.fromTemplate(t).run({})).output).toEqual({ stage: 'prod', subnets: 's 1+s 2' });
    expect((await Workflow.fromTemplate(t, { configEnv: 'list' }).run({})).output).toEqual({ stage: 'dev', subnets: 'l 1' });
    expect(() => Workflow.fromTemplate(t, { configEnv: 'mixed' })).toThrow('mixed.deploy.parameters.parameter_overrides: \'ParameterKey=Stage,ParameterValue=dev Subnets=x\' mixes');
    const run = await cli('run', t, '--json');
    expect(JSON.parse(run.out)).toMatchObject({ output: { stage: 'prod', subnets: 's 1+s 2' } });
  });

  it('Workflow.fromTemplate and fromCdkOut take the forms of a parameters file the CLI reads, and refuse what is in none', async () => {
    const listed = Workflow.fromTemplate(file, { parameters: [{ ParameterKey: 'Stage', ParameterValue: 'prod' }, { ParameterKey: 'Subnets', ParameterValue: 'u,v' }] });
    expect((await listed.run({})).output).toEqual({ stage: 'prod', subnets: 'u+v' });
    expect((await Workflow.fromTemplate(file, { parameters: ['Stage=dev', 'Subnets=k'] }).run({})).output).toEqual({ stage: 'dev', subnets: 'k' });
    expect((await Workflow.fromTemplate(file, { parameters: { Parameters: { Stage: 'prod' } } }).run({})).output).toEqual({ stage: 'prod', subnets: 'a' });
    // A cloud assembly without a manifest: its *.template.json files are its stacks.
    const cdkOut = fs.mkdtempSync(path.join(root, 'cdk-out-'));
    fs.writeFileSync(path.join(cdkOut, 'Stack.template.json'), JSON.stringify({
      Parameters: { Stage: { Type: 'String' } },
      Resources: {
        Machine: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            RoleArn: 'arn:aws:iam::123456789012:role/machine',
            Definition: { StartAt: 'A', States: { A: { Type: 'Pass', Result: { stage: { Ref: 'Stage' } }, End: true } } },
          },
        },
      },
    }));
    const fromCdkOut = Workflow.fromCdkOut(cdkOut, 'Stack', { parameters: [{ ParameterKey: 'Stage', ParameterValue: 'prod' }] });
    expect((await fromCdkOut.run({})).output).toEqual({ stage: 'prod' });
    expect(() => Workflow.fromTemplate(file, { parameters: [{ ParameterKey: 'Stage', Value: 'dev' } as never] }))
      .toThrow("parameters: entry 0: 'Value' is not a member of a CloudFormation Parameter (ParameterKey, ParameterValue, UsePreviousValue)");
  });

  it('MCP takes a CloudFormation parameters list as well as values by name', async () => {
    const mcp = await startMcp(root);
    try {
      const listed = await mcp.call('run', { file: 'template.yaml', parameters: [{ ParameterKey: 'Stage', ParameterValue: 'prod' }, { ParameterKey: 'Subnets', ParameterValue: 'u,v' }] });
      expect(listed.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: { stage: 'prod', subnets: 'u+v' } });
      const named = await mcp.call('run', { file: 'template.yaml', parameters: { Stage: 'dev' } });
      expect(named.structuredContent).toMatchObject({ output: { stage: 'dev', subnets: 'a' } });
      const refused = await mcp.call('run', { file: 'template.yaml', parameters: [{ ParameterKey: 'Stage', Value: 'dev' }] });
      expect(refused.isError).toBe(true);
    } finally {
      await mcp.close();
    }
  });
});
