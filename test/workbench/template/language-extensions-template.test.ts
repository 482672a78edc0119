/*
 * A SAM template under the AWS::LanguageExtensions transform, as a user writes it in YAML: state
 * machines made by an Fn::ForEach loop over a CommaDelimitedList parameter, with Fn::Length and
 * Fn::ToJsonString in their definitions. The CLI reads it as CloudFormation deploys it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../cli/run-cli';

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Transform:
  - AWS::LanguageExtensions
  - AWS::Serverless-2016-10-31
Parameters:
  Traders:
    Type: CommaDelimitedList
    Default: "Alpha,Beta"
Resources:
  Fn::ForEach::TraderMachines:
    - Trader
    - !Ref Traders
    - \${Trader}Machine:
        Type: AWS::Serverless::StateMachine
        Properties:
          Name: !Sub "trader-\${Trader}"
          Definition:
            StartAt: Hello
            States:
              Hello:
                Type: Pass
                Result:
                  trader: \${Trader}
                  count: {"Fn::Length": [1, 2, 3]}
                  json: {"Fn::ToJsonString": {a: 1}}
                End: true
`;

describe('a SAM template with Fn::ForEach', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-foreach-'));
    fs.writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs each state machine the loop makes, named from the parameter\'s Default', async () => {
    const run = await cli('run', path.join(dir, 'template.yaml'), '--state-machine', 'BetaMachine', '--json');
    expect(run.err).toBe('');
    expect(JSON.parse(run.out)).toMatchObject({ status: 'SUCCEEDED', output: { trader: 'Beta', count: 3, json: '{"a":1}' } });
  });

  it('makes the machines from the values --parameter gives the list', async () => {
    const run = await cli('run', path.join(dir, 'template.yaml'), '--state-machine', 'trader-Y', '--parameter', 'Traders=X,Y', '--json');
    expect(JSON.parse(run.out)).toMatchObject({ status: 'SUCCEEDED', output: { trader: 'Y' } });
  });

  it('validates every machine the loop makes', async () => {
    const out = await cli('validate', path.join(dir, 'template.yaml'));
    expect(out.out).toContain('AlphaMachine: valid');
    expect(out.out).toContain('BetaMachine: valid');
  });
});

describe('the Fn::ForEach template of docs/running-locally.md', () => {
  const guide = path.join(__dirname, 'fixtures', 'foreach-traders.yaml');

  it('runs BetaMachine, the second machine its loop makes, as the guide says', async () => {
    const run = await cli('run', guide, '--state-machine', 'BetaMachine', '--json');
    expect(run.err).toBe('');
    expect(JSON.parse(run.out)).toMatchObject({ status: 'SUCCEEDED', output: { trader: 'Beta' } });
  });
});
