/*
 * A template's Parameters section as CloudFormation's validation reads it before it creates
 * anything ("Template format error"): a section that is not an object, a member that is not one,
 * a parameter with no Type or a Type CloudFormation does not know, a name that is not
 * alphanumeric (parameters-section-structure.html: "Each parameter must have a logical name
 * (also called logical ID), which must be alphanumeric"; "Type: Required"). Before, each loaded
 * and ran.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parametersFormatRefusal } from '../../src/cfn/parameters';
import { Workflow } from '../../src/testing';
import { cli } from '../cli/run-cli';
import { startMcp } from '../mcp/client';
import { serve } from '../server/helpers';

const MACHINE = {
  M: {
    Type: 'AWS::StepFunctions::StateMachine',
    Properties: { RoleArn: 'arn:aws:iam::123456789012:role/r', Definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } },
  },
};

const CASES: Array<[string, unknown, string]> = [
  ['a section that is not an object', 5, "Template format error: the Parameters section must be an object, each member a parameter's declaration by name; got number 5"],
  ['a list for a section', [{ Type: 'String' }], 'the Parameters section must be an object'],
  ['a member that is not an object', { Stage: 'dev' }, 'Template format error: Every Parameters member must be an object; Stage is string "dev"'],
  ['a parameter with no Type', { Stage: { Default: 'dev' } }, 'Template format error: Every Parameters object must contain a Type member. (Stage has none)'],
  ['a Type CloudFormation does not know', { Stage: { Type: 'Strin', Default: 'dev' } }, 'Template format error: Unrecognized parameter type: Strin (parameter Stage)'],
  ['a name that is not alphanumeric', { 'my-stage': { Type: 'String', Default: 'dev' } }, 'Template format error: Parameter name my-stage is non alphanumeric.'],
];

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-parameters-format-'));
  CASES.forEach(([, parameters], i) => fs.writeFileSync(path.join(root, `t${i}.json`), JSON.stringify({ Parameters: parameters, Resources: MACHINE })));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the Parameters section as CloudFormation validates it', () => {
  it.each(CASES)('refuses %s', (_name, parameters, message) => {
    expect(parametersFormatRefusal({ Parameters: parameters, Resources: MACHINE })?.message).toContain(message);
  });

  it('lets through the types CloudFormation knows, AWS-specific and SSM types, and an empty section', () => {
    const known = ['String', 'Number', 'List<Number>', 'CommaDelimitedList', 'AWS::EC2::VPC::Id', 'List<AWS::EC2::Subnet::Id>', 'AWS::SSM::Parameter::Value<String>'];
    expect(parametersFormatRefusal({ Parameters: Object.fromEntries(known.map((type, i) => [`P${i}`, { Type: type }])) })).toBeUndefined();
    expect(parametersFormatRefusal({ Parameters: null })).toBeUndefined();
    expect(parametersFormatRefusal({ Resources: MACHINE })).toBeUndefined();
  });

  it('at every door: the CLI, the harness, MCP and serve --load', async () => {
    for (const [i, [, , message]] of CASES.entries()) {
      const file = path.join(root, `t${i}.json`);
      const validated = await cli('validate', file);
      expect(validated.code).toBe(2);
      expect(validated.err).toContain(message);
      expect(() => Workflow.fromTemplate(file)).toThrow(message);
      await expect(serve({ load: [file] })).rejects.toThrow(message);
    }
    const mcp = await startMcp(root);
    try {
      for (const i of CASES.keys()) {
        const answer = await mcp.call('run', { file: `t${i}.json` });
        expect(answer.isError).toBe(true);
        expect(JSON.stringify(answer.content)).toContain(JSON.stringify(CASES[i][2]).slice(1, -1));
      }
    } finally {
      await mcp.close();
    }
  });
});
