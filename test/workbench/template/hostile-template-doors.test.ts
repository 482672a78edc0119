/*
 * Two hostile templates through every door that loads one (the CLI, the jest harness, MCP and
 * serve --load): YAML nested 20,000 deep, which could abort the yaml parser's process, and a
 * parameter whose AllowedPattern backtracks catastrophically against its Default. Each door
 * refuses with the loader's message, and MCP's server answers the next call.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';
import { startMcp } from '../../mcp/client';
import { serve } from '../../server/helpers';

const DEEP = `${'- '.repeat(20_000)}x\n`;
const BACKTRACKING = `Parameters:
  Name:
    Type: String
    AllowedPattern: (a+)+$
    Default: ${'a'.repeat(50)}!
Resources:
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/r
      Definition:
        StartAt: Done
        States:
          Done:
            Type: Succeed
`;
const REFUSALS: Record<string, string> = {
  'deep.yaml': 'nested deeper than 256 levels at line 1',
  'backtracking.yaml': `Parameter 'Name' must match pattern (a+)+$; got '${'a'.repeat(50)}!' (its Default)`,
};

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-hostile-template-'));
  fs.writeFileSync(path.join(root, 'deep.yaml'), DEEP);
  fs.writeFileSync(path.join(root, 'backtracking.yaml'), BACKTRACKING);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe.each(Object.keys(REFUSALS))('a hostile template (%s) at every door', (name) => {
  it('the CLI refuses it with the loader\'s message', async () => {
    const outcome = await cli('validate', path.join(root, name));
    // A file that is no definition is validate's finding (1); a template CloudFormation would refuse, a load error (2).
    expect(outcome.code).toBe(name === 'deep.yaml' ? 1 : 2);
    expect(outcome.out + outcome.err).toContain(REFUSALS[name]);
  });

  it('the harness refuses it', () => {
    expect(() => Workflow.fromTemplate(path.join(root, name))).toThrow(REFUSALS[name]);
  });

  it('MCP answers an error, and its server answers the next call', async () => {
    const mcp = await startMcp(root);
    try {
      const refused = await mcp.call('validate', { file: name });
      // As at the CLI: a file that is no definition is validate's finding; a template CloudFormation would refuse, an error.
      if (name === 'deep.yaml') {
        expect(refused.structuredContent).toMatchObject({ valid: false, reports: [{ findings: [{ code: 'INVALID_JSON_DESCRIPTION' }] }] });
      } else {
        expect(refused.isError).toBe(true);
      }
      expect(JSON.stringify(refused.content)).toContain(REFUSALS[name]);
      const next = await mcp.call('validate', { definition: '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}' });
      expect(next.isError).toBeFalsy();
    } finally {
      await mcp.close();
    }
  });

  it('serve --load refuses to start on it', async () => {
    await expect(serve({ load: [path.join(root, name)] })).rejects.toThrow(REFUSALS[name]);
  });
});
