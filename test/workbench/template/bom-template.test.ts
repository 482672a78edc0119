import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';
import { startMcp, type McpSession } from '../../mcp/client';
import { serve } from '../../server/helpers';

/*
 * A SAM template saved with a UTF-8 byte order mark (as some Windows editors save one) deploys:
 * the SAM CLI and the AWS CLI's `cloudformation deploy` and `package` parse a template with
 * PyYAML, whose scanner skips a byte order mark at the start of the stream, and `sam build`
 * writes the template it deploys without one. Every door loads such a template. A definition
 * file keeps the refusal: `aws stepfunctions create-state-machine --definition file://x.json`
 * passes the mark on to AWS.
 */

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const ASL = { StartAt: 'Hello', States: { Hello: { Type: 'Pass', Result: { greeting: 'hello' }, End: true } } };
const SAM = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Transform: AWS::Serverless-2016-10-31',
  'Resources:',
  '  HelloStateMachine:',
  '    Type: AWS::Serverless::StateMachine',
  '    Properties:',
  '      Name: hello',
  '      DefinitionUri: statemachine/hello.asl.json',
  '',
].join('\r\n');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-bom-template-'));
const templateFile = path.join(dir, 'template.yaml');
const aslFile = path.join(dir, 'bom.asl.json');
fs.mkdirSync(path.join(dir, 'statemachine'));
// The file DefinitionUri names has one too: SAM uploads it to S3 as it is, and Step Functions reads it as JSON or YAML.
fs.writeFileSync(path.join(dir, 'statemachine', 'hello.asl.json'), Buffer.concat([BOM, Buffer.from(JSON.stringify(ASL))]));
fs.writeFileSync(templateFile, Buffer.concat([BOM, Buffer.from(SAM)]));
fs.writeFileSync(aslFile, Buffer.concat([BOM, Buffer.from(JSON.stringify(ASL))]));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a SAM template (and the definition file it names) that starts with a UTF-8 byte order mark', () => {
  it('loads in the jest harness and runs; a definition file with one is still refused', async () => {
    const run = await Workflow.fromTemplate(templateFile).run({});
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ greeting: 'hello' });
    expect(() => Workflow.fromDefinition(aslFile)).toThrow(/byte order mark/);
  });

  it('is valid to stepwright validate and runs with stepwright run', async () => {
    const validated = await cli('validate', templateFile);
    expect({ code: validated.code, out: validated.out }).toEqual({ code: 0, out: `${templateFile} HelloStateMachine: valid\n` });
    const ran = await cli('run', templateFile, '--json');
    expect(JSON.parse(ran.out)).toMatchObject({ status: 'SUCCEEDED', output: { greeting: 'hello' } });
  });

  it('is created by serve --load', async () => {
    const { sfn, stop } = await serve({ load: [templateFile] });
    try {
      const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
      expect(stateMachines?.map((m) => m.name)).toEqual(['hello']);
    } finally {
      await stop();
    }
  });

  describe('through MCP', () => {
    let mcp: McpSession;
    beforeAll(async () => { mcp = await startMcp(dir); }, 120_000);
    afterAll(async () => { await mcp.close(); });

    it('is valid to the validate tool', async () => {
      const validated = await mcp.call('validate', { file: 'template.yaml', warnings: false });
      expect(validated.structuredContent).toMatchObject({ valid: true });
    });
  });
});
