/*
 * The MCP SDK's server, loaded by the session's front (front.ts) with the first message the front
 * does not answer itself: every tool call, and anything else a client sends.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { CAPABILITIES, TOOL_LISTING, type ServerDescription } from './front';
import type { WorkerPool } from './pool';
import { exploreBudgetSeconds } from './search-tools';
import type { BoundedStdioTransport } from './stdio-transport';
import type { ToolSpec } from './tool-fields';
import { TOOLS } from './tools';
import { describeNonJsonText } from '../asl/json-value';
import { JsonFileReadError, pathInside, type Confinement } from '../workbench/common/json-file';

const BY_NAME: ReadonlyMap<string, ToolSpec> = new Map(TOOLS.map((t) => [t.name, t]));

function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** The fields of the object schema at `at` inside `schema` (through optional fields and records), or none. */
function fieldsAt(schema: z.core.$ZodType, at: readonly PropertyKey[]): string[] {
  let s: z.core.$ZodType | undefined = schema;
  for (let i = 0; s !== undefined; i++) {
    while (s instanceof z.ZodOptional) s = s.unwrap();
    if (i === at.length) return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
    if (s instanceof z.ZodRecord) s = s.valueType;
    else if (s instanceof z.ZodObject) s = Object.hasOwn(s.shape, String(at[i])) ? s.shape[String(at[i])] : undefined;
    else return [];
  }
  return [];
}

/** A zod issue as one line naming the field, and what the field takes. */
function describeIssue(spec: ToolSpec, issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = field === '' ? spec.name : field;
    const known = fieldsAt(spec.input, issue.path).join(', ');
    return `${issue.keys.map((k) => `${field === '' ? '' : `${field}.`}${k}`).join(', ')}: no such field in ${where}${known ? `; it takes ${known}` : ''}`;
  }
  let message = issue.message;
  if (issue.code === 'invalid_union' && issue.path.length === 1) message = 'expected text or a JSON object';
  const top = spec.input.shape[issue.path[0] as string] as z.ZodType | undefined;
  const hint = issue.path.length === 1 ? top?.description : undefined;
  return `${field || spec.name}: ${message}${hint ? `. ${hint}` : ''}`;
}

/** The checks a schema cannot make: values stepwright can carry, exactly one source, paths inside the root. */
function checkArguments<S extends z.ZodObject>(spec: ToolSpec<string, S>, args: z.output<S>, root: Confinement): string | undefined {
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

/** What the server is connected with: the session's front has made them. @internal */
export interface ServerContext {
  readonly description: ServerDescription;
  readonly root: Confinement;
  readonly pool: WorkerPool;
  readonly timeoutMs: number;
  readonly log: (text: string) => void;
}

/**
 * The SDK's server of the tools, connected to `transport` (which the front has started): it takes
 * the session's messages from now on. Returns it, to be closed when the client leaves.
 * @internal
 */
export function connectServer(transport: BoundedStdioTransport, context: ServerContext): Server {
  const { root, pool, timeoutMs } = context;
  const about = context.description;
  const server = new Server({ name: about.name, version: about.version }, { capabilities: CAPABILITIES, instructions: about.instructions });

  server.setRequestHandler(ListToolsRequestSchema, () => {
    // Load a worker now, so the first call finds one ready: after this answer, not before it.
    setImmediate(() => pool.warm());
    return { tools: TOOL_LISTING as never };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: given } = request.params;
    const spec = BY_NAME.get(name);
    if (!spec) return toolError(`no tool '${name}'; the tools are ${TOOLS.map((t) => t.name).join(', ')}`);
    const parsed = spec.input.safeParse(given ?? {});
    if (!parsed.success) return toolError(parsed.error.issues.map((i) => describeIssue(spec, i)).join('\n'));
    const checked = parsed.data;
    const problem = checkArguments(spec, checked, root);
    if (problem) return toolError(problem);
    // A client that asked for progress learns when its call leaves the queue for a worker.
    const token = request.params._meta?.progressToken;
    let notified: Promise<void> | undefined;
    const onStart = token === undefined ? undefined : () => {
      notified = extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 0, message: `${name} is running` } })
        .catch(() => undefined);
    };
    // Explore's search (verify's too) is bounded by its budget, the call by the server's time bound: the first must end inside the second.
    const args = name === 'explore' || name === 'verify' ? { ...checked, budgetSeconds: exploreBudgetSeconds(checked.budgetSeconds, timeoutMs) } : checked;
    const answer = await pool.call(name, args, extra.signal, onStart);
    // The progress goes out before the answer: a client drops a call's progress once it has the answer.
    await notified;
    if (!answer.ok) return toolError(answer.message);
    return { content: [{ type: 'text', text: answer.text ?? JSON.stringify(answer.structured) }], structuredContent: answer.structured };
  });

  server.onerror = (e) => context.log(`stepwright mcp: ${e.message}\n`);
  void server.connect(transport);
  return server;
}
