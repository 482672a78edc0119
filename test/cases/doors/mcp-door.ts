import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { limiter, type LimiterTimes, mockConfigFile, TEST_CASE, writeS3Folder, writeTemplate, writtenFiles } from './case-files';
import { MAIN } from './cli-door';
import { bounded, EXPLORED, HANG_MS, MACHINE_NAME, startOf, VIRTUAL_CLOCK_START, type Door } from './door';
import type { RunReport } from '../../../src/workbench/commands/run';
import type { BehaviourCase } from '../case-format';
import { EXECUTION_NAME } from '../normalise';
import { observationOfReport, type DoorOutcome, type ObservedScenario } from '../observation';

/**
 * One `stepwright mcp` server for every case, called as an agent calls it: the SDK's client over
 * stdio, its `run` and `explore` tools. A case's S3 folder is made inside the server's root and
 * named by its path relative to it, as an agent names a folder of its project.
 */
export class McpDoor implements Door {
  readonly name = 'mcp' as const;
  private readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-mcp-'));
  private readonly limit = limiter(2);
  private count = 0;
  private client: Client | undefined;
  private stderr = '';

  async start(): Promise<void> {
    const transport = new StdioClientTransport({ command: process.execPath, args: [MAIN, 'mcp', '--root', this.root], stderr: 'pipe' });
    transport.stderr?.on('data', (d: Buffer) => { this.stderr += String(d); });
    const client = new Client({ name: 'stepwright-behaviour-cases', version: '1.0.0' });
    await bounded(client.connect(transport), 30_000, 'stepwright mcp starting');
    this.client = client;
  }

  cannotRun(c: BehaviourCase): string | undefined {
    if (c.callbacks) return "MCP's run tool runs the machine to its end in one call: nothing can send a callback to it while it waits";
    return undefined;
  }

  async run(c: BehaviourCase): Promise<DoorOutcome> {
    const s3Dir = c.s3 !== undefined || c.expect.s3 !== undefined ? `s3-${++this.count}` : undefined;
    if (s3Dir) writeS3Folder(path.join(this.root, s3Dir), c.s3);
    if (c.explore) return this.explore(c, s3Dir);
    const args: Record<string, unknown> = {
      ...this.source(c),
      ...(c.parameters ? { parameters: c.parameters } : {}),
      ...(c.stateMachine !== undefined ? { stateMachine: c.stateMachine } : {}),
      input: c.input,
      name: EXECUTION_NAME,
      history: true,
      ...(c.mocks ? { mocks: c.mocks } : {}),
      ...(c.mockConfig ? { mocks: mockConfigFile(c, c.machineName ?? MACHINE_NAME), testCase: TEST_CASE } : {}),
      ...(c.type ? { type: c.type } : {}),
      ...(c.mockValidation ? { mockValidation: c.mockValidation } : {}),
      ...(c.unmocked ? { unmocked: c.unmocked } : {}),
      ...(c.limits ? { limits: c.limits } : {}),
      ...(c.openExecutionLimit !== undefined ? { openExecutionLimit: c.openExecutionLimit } : {}),
      ...(c.startTime !== undefined ? { startTime: c.startTime } : {}),
      ...(s3Dir ? { s3Dir } : {}),
    };
    const result = await this.limit(() => this.client!.callTool({ name: 'run', arguments: args }, undefined, { timeout: HANG_MS }) as Promise<CallToolResult>);
    if (result.isError) return { kind: 'refused', message: textOf(result) };
    return {
      kind: 'ran',
      observation: {
        ...observationOfReport(result.structuredContent as unknown as RunReport),
        ...(s3Dir ? { s3: writtenFiles(path.join(this.root, s3Dir), c.s3) } : {}),
      },
      names: { machine: c.machineName ?? MACHINE_NAME, execution: EXECUTION_NAME, start: startOf(c) },
    };
  }

  times(): LimiterTimes {
    return this.limit.times();
  }

  /**
   * The machine as an agent gives it: its definition or template inline, or, for a template with
   * a samconfig.toml (read only beside a template file), the file, named relative to the root.
   */
  private source(c: BehaviourCase): { definition: unknown } | { file: string } {
    if (c.template === undefined || c.samconfig === undefined) return { definition: c.template ?? c.definition };
    const dir = `template-${++this.count}`;
    writeTemplate(path.join(this.root, dir), c);
    return { file: `${dir}/template.json` };
  }

  /** The explore tool, with every scenario in the answer (details). */
  private async explore(c: BehaviourCase, s3Dir: string | undefined): Promise<DoorOutcome> {
    const args = {
      ...this.source(c),
      ...(c.parameters ? { parameters: c.parameters } : {}),
      details: true,
      ...c.explore,
      ...(c.type ? { type: c.type } : {}),
      ...(s3Dir ? { s3Dir } : {}),
    };
    const result = await this.limit(() => this.client!.callTool({ name: 'explore', arguments: args }, undefined, { timeout: HANG_MS }) as Promise<CallToolResult>);
    if (result.isError) return { kind: 'refused', message: textOf(result) };
    const reports = (result.structuredContent as { reports: Array<{ scenarios: ObservedScenario[] }> }).reports;
    return { kind: 'ran', observation: { status: EXPLORED, scenarios: reports[0].scenarios }, names: { machine: c.machineName ?? MACHINE_NAME, execution: EXECUTION_NAME, start: VIRTUAL_CLOCK_START } };
  }

  async close(): Promise<void> {
    await this.client?.close();
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : JSON.stringify(result.content);
}
