import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { WorkerPool } from './pool';
import { BoundedStdioTransport } from './stdio-transport';
import { exploreBudgetSeconds, TOOLS, type ToolSpec } from './tools';
import { describeNonJsonText } from '../asl/json-value';
import { confinementOf, JsonFileReadError, pathInside, type Confinement } from '../workbench/json-file';

/** Options of {@link serveMcp}. @internal */
export interface McpServerOptions {
  /** The folder the tools may read; the server's working directory, so relative paths are relative to it. */
  readonly root: string;
  /** stepwright's version, as the server names itself. */
  readonly version: string;
  /** Real milliseconds one call may run. */
  readonly timeoutMs: number;
  /** Heap one call may use, in MiB. */
  readonly memoryMb: number;
  /** Calls running at once. */
  readonly workers: number;
  /** Where diagnostics go (standard error): standard output is the MCP channel. */
  readonly log: (text: string) => void;
  /** The parity tool may call AWS's TestState with the server's credentials (`--allow-aws`). @default false */
  readonly allowAws?: boolean;
}

const INSTRUCTIONS = 'stepwright checks and runs AWS Step Functions state machines offline, as AWS would: no account, credentials or cost. '
  + 'Give a definition inline (ASL JSON or YAML) or a file (an ASL file, a CloudFormation template, or a cdk.out folder after `cdk synth`). '
  + 'A typical loop: validate, fix the findings, run with mocks for the Tasks, render the run as Mermaid. '
  + 'list_state_machines names the machines of a template or cdk.out; test_state tests one state as AWS TestState does.';

const BY_NAME: ReadonlyMap<string, ToolSpec> = new Map(TOOLS.map((t) => [t.name, t]));

/** What tools/list answers: made once, on the first request. */
let listing: Tool[] | undefined;

function toolListing(): Tool[] {
  listing ??= TOOLS.map((t) => {
    const { $schema: _ignored, ...input } = z.toJSONSchema(t.input, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
    return {
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: input as Tool['inputSchema'],
      outputSchema: t.output as Tool['outputSchema'],
      // Nothing is written and the same input gives the same answer; only an open-world tool (parity) may call an endpoint.
      annotations: { title: t.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: t.openWorld === true },
    };
  });
  return listing;
}

function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** A zod issue as one line naming the field, and what the field takes. */
function describeIssue(spec: ToolSpec, issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = field === '' ? spec.name : field;
    const known = Object.keys(field === '' ? spec.input.shape : {}).join(', ');
    return `${issue.keys.map((k) => `${field === '' ? '' : `${field}.`}${k}`).join(', ')}: no such field in ${where}${known ? `; it takes ${known}` : ''}`;
  }
  let message = issue.message;
  if (issue.code === 'invalid_union') message = 'expected text or a JSON object';
  const top = spec.input.shape[issue.path[0] as string] as z.ZodType | undefined;
  const hint = issue.path.length === 1 ? top?.description : undefined;
  return `${field || spec.name}: ${message}${hint ? `. ${hint}` : ''}`;
}

/** The checks a schema cannot make: values stepwright can carry, exactly one source, paths inside the root. */
function checkArguments(spec: ToolSpec, args: Record<string, unknown>, root: Confinement): string | undefined {
  for (const [field, value] of Object.entries(args)) {
    // What JSON.parse accepted but nothing after it can carry (a worker's message included): deep nesting, 1e999.
    const problem = describeNonJsonText(value);
    if (problem) return `${field}: ${problem}`;
  }
  for (const rule of spec.oneOf) {
    const given = rule.fields.filter((f) => args[f] !== undefined);
    if (given.length > 1) return `${given.join(' and ')}: give one of ${rule.fields.join(' or ')}, not both`;
    if (rule.required && given.length === 0) {
      return `${rule.fields.join(' or ')}: ${spec.name} needs one of them. ${(spec.input.shape[rule.fields[0]] as z.ZodType).description}`;
    }
  }
  for (const field of spec.pathFields) {
    const value = args[field];
    if (typeof value !== 'string') continue;
    try {
      pathInside(root, value);
    } catch (e) {
      if (!(e instanceof JsonFileReadError)) throw e;
      // A missing file is reported by the call itself, with what it expected to find there.
      if (e.kind === 'outside') return `${field}: '${value}' is refused: ${e.reason}`;
    }
  }
  return undefined;
}

/**
 * Serves the tools over MCP on standard input and output until the client
 * closes the stream. Resolves once the server is connected.
 * @internal
 */
export async function serveMcp(options: McpServerOptions): Promise<{ readonly closed: Promise<void> }> {
  const root = confinementOf(options.root);
  const { workers, timeoutMs, memoryMb, log } = options;
  const pool = new WorkerPool({ root: root.root, workers, timeoutMs, memoryMb, log, allowAws: options.allowAws === true });
  const server = new Server({ name: 'stepwright', version: options.version }, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });

  server.setRequestHandler(ListToolsRequestSchema, () => {
    // Load a worker now, so the first call finds one ready: after this answer, not before it.
    setImmediate(() => pool.warm());
    return { tools: toolListing() };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: given } = request.params;
    const spec = BY_NAME.get(name);
    if (!spec) return toolError(`no tool '${name}'; the tools are ${TOOLS.map((t) => t.name).join(', ')}`);
    const parsed = spec.input.safeParse(given ?? {});
    if (!parsed.success) return toolError(parsed.error.issues.map((i) => describeIssue(spec, i)).join('\n'));
    const checked = parsed.data as Record<string, unknown>;
    const problem = checkArguments(spec, checked, root);
    if (problem) return toolError(problem);
    // A client that asked for progress learns when its call leaves the queue for a worker.
    const token = request.params._meta?.progressToken;
    const onStart = token === undefined ? undefined : () => {
      void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 0, message: `${name} is running` } })
        .catch(() => undefined);
    };
    // Explore's search is bounded by its budget, the call by the server's time bound: the first must end inside the second.
    const args = name === 'explore' ? { ...checked, budgetSeconds: exploreBudgetSeconds(checked.budgetSeconds, timeoutMs) } : checked;
    const answer = await pool.call(name, args, extra.signal, onStart);
    if (!answer.ok) return toolError(answer.message);
    return { content: [{ type: 'text', text: answer.text ?? JSON.stringify(answer.structured) }], structuredContent: answer.structured };
  });

  const transport = new BoundedStdioTransport();
  let done: () => void;
  const closed = new Promise<void>((resolve) => { done = resolve; });
  server.onclose = () => { void pool.close().then(() => done()); };
  server.onerror = (e) => options.log(`stepwright mcp: ${e.message}\n`);
  // The client closing standard input ends the session, once the calls it sent are answered.
  process.stdin.once('end', () => { void pool.idle().then(() => server.close()); });
  await server.connect(transport);
  // The listing's JSON Schemas are made while the client answers the handshake, not when it asks.
  setImmediate(toolListing);
  return { closed };
}
