/*
 * A template parameter's value given with an ASL definition, which declares no Parameters: refused
 * at the CLI and MCP, as a value for a parameter the template does not declare is refused
 * (CloudFormation, parameters-section-structure.html), and as --stack is with a definition; and
 * given to startServer with no template to load, as `serve --parameter` without `--load` is. Before,
 * the value was dropped without a word and the run went on.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { cli } from '../../cli/run-cli';
import { startMcp } from '../../mcp/client';
import { serve } from '../../server/helpers';

const DEFINITION = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };

let root: string;
let file: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-definition-parameters-'));
  file = path.join(root, 'machine.asl.json');
  fs.writeFileSync(file, JSON.stringify(DEFINITION));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a template parameter given with an ASL definition', () => {
  it('the CLI refuses it, naming the definition, and runs the definition without one', async () => {
    for (const command of ['run', 'validate']) {
      const given = await cli(command, file, '--parameter', 'Stage=prod');
      expect(given.code).toBe(2);
      expect(given.err).toContain(`--parameter Stage=<value> gives a value to a template's Parameters; ${file} is an ASL definition, which has none`);
    }
    const run = await cli('run', file, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('MCP refuses it, for a file and inline, and runs the definition with no parameters or none given', async () => {
    const mcp = await startMcp(root);
    try {
      const fromFile = await mcp.call('run', { file: 'machine.asl.json', parameters: { Stage: 'prod' } });
      expect(fromFile.isError).toBe(true);
      expect(JSON.stringify(fromFile.content)).toContain('is an ASL definition, which has none');
      const inline = await mcp.call('validate', { definition: DEFINITION, parameters: { Stage: 'prod' } });
      expect(inline.isError).toBe(true);
      expect(JSON.stringify(inline.content)).toContain("parameters: { 'Stage': <value> } gives a value to a template's Parameters");
      const none = await mcp.call('run', { file: 'machine.asl.json', parameters: {} });
      expect(none.structuredContent).toMatchObject({ status: 'SUCCEEDED' });
      const run = await mcp.call('run', { file: 'machine.asl.json' });
      expect(run.structuredContent).toMatchObject({ status: 'SUCCEEDED' });
    } finally {
      await mcp.close();
    }
  });
});

describe('a template parameter given to startServer with no template to load', () => {
  it('is refused, as serve --parameter without --load is; none given starts the server', async () => {
    // A server that starts is stopped, so that the test fails rather than hangs.
    const refused = await serve({ loadParameters: { Stage: 'prod' } }).then(async (started) => started.stop(), (e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message)
      .toBe("loadParameters 'Stage': gives values to the parameters of the templates of load; give the templates or cdk.out directories to load too");
    const env = await serve({ loadParameters: {} });
    try {
      expect((await env.sfn.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
    } finally {
      await env.stop();
    }
  });
});
