/**
 * The property the MCP fuzz family checks, against one live `stepwright mcp`
 * spoken to in raw JSON-RPC lines: every case is answered as JSON-RPC says
 * (a request under its id, a line whose id cannot be read with one error
 * without an id, a notification not at all), in bounded time, in a line of
 * at most 8 MiB; a ping after it is answered, so the session goes on; no
 * answer is an internal error; and each family's own promise holds (a number
 * out of range is said to be one, a field nested past 1,000 levels is named,
 * a lone surrogate comes back as it went, a progress token of the wrong type
 * is ignored). The jest test and the long runner (test/fuzz/run.ts --family
 * mcp) both use it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JSON_DEPTH, oversizedLength, type DeepJson, type LoneSurrogate, type McpCase, type NonFinite, type OversizedAnswer, type OversizedRequest } from './mcp-arbitraries';
import { PropertyViolation } from './property';
import { TOOLS as MCP_TOOLS } from '../../src/mcp/tools';
import { startRaw, type Message, type RawSession } from '../mcp/raw';

/** How long an answer may take before it counts as missing: a healthy one takes milliseconds, a 14 MB template seconds. */
export const ANSWER_TIMEOUT_MS = Number(process.env.FUZZ_MCP_TIMEOUT_MS ?? 60_000);

const MAX_ANSWER_BYTES = 8 * 1_048_576;
const PASS = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
/** The tools as the server lists them in its answer to an unknown name: from the tools' one home. */
const TOOLS = MCP_TOOLS.map((t) => t.name).join(', ');

/** The templates the oversized-answer family lists: state machines and the size of each definition. */
const TEMPLATES: ReadonlyMap<OversizedAnswer['template'], { machines: number; bytes: number }> = new Map([
  ['small', { machines: 2, bytes: 100_000 }],
  ['mid', { machines: 5, bytes: 900_000 }],
  ['big', { machines: 16, bytes: 900_000 }],
]);

/** What a case must get back. */
type Expected = { readonly id: string | number } | { readonly unnumbered: number } | { readonly none: true };

interface Written {
  readonly line: string | Buffer;
  readonly expected: Expected;
}

/** A JSON value `depth` containers deep around `inner` (JSON text). */
function nest(depth: number, container: 'array' | 'object', inner: string): string {
  return container === 'array' ? `${'['.repeat(depth)}${inner}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;
}

function call(id: string | number, name: string, argsJson: string, metaJson?: string): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"tools/call","params":{"name":${JSON.stringify(name)},"arguments":${argsJson}${metaJson === undefined ? '' : `,"_meta":${metaJson}`}}}`;
}

function textOf(m: Message): string {
  const content = (m.result as { content?: Array<{ text?: string }> } | undefined)?.content;
  return content?.[0]?.text ?? '';
}

function violation(c: McpCase, what: string): PropertyViolation {
  return new PropertyViolation(`${c.family}: ${what}`);
}

/** One `stepwright mcp` and the counts of what its cases got. */
export class McpFuzzRun {
  /** Writes the files the cases read into `root`. */
  static prepare(root: string): void {
    fs.writeFileSync(path.join(root, 'pass.asl.json'), JSON.stringify(PASS));
    for (const [name, { machines, bytes }] of TEMPLATES) {
      const resources: Record<string, unknown> = {};
      for (let i = 0; i < machines; i++) {
        const definition = { StartAt: 'P', States: { P: { Type: 'Pass', Result: `${i}`.padEnd(bytes, 'x'), End: true } } };
        resources[`M${String(i).padStart(2, '0')}`] = {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { DefinitionString: JSON.stringify(definition), RoleArn: 'arn:aws:iam::123456789012:role/r' },
        };
      }
      fs.writeFileSync(path.join(root, `${name}.template.json`), JSON.stringify({ Resources: resources }));
    }
  }

  /** Starts the server in a folder {@link prepare} wrote. */
  static async start(root: string): Promise<McpFuzzRun> {
    const session = startRaw(root);
    await session.initialize();
    return new McpFuzzRun(session);
  }

  /** Cases checked, by family, and what they got, by family and outcome. */
  readonly counts = { cases: 0, byFamily: new Map<string, number>(), byOutcome: new Map<string, number>() };
  private next = 0;

  private constructor(private readonly session: RawSession) {}

  /** Sends one case and a ping after it, and checks what comes back; throws a PropertyViolation naming what broke. */
  async check(c: McpCase): Promise<void> {
    const n = ++this.next;
    const { line, expected } = this.write(c, n);
    const from = this.session.messages.length;
    await this.bounded(c, 'the line to be read', this.session.send(line));
    await this.bounded(c, 'an answer to the ping after it', this.session.send(JSON.stringify({ jsonrpc: '2.0', id: `ping-${n}`, method: 'ping' })));
    const answer = 'id' in expected ? await this.bounded(c, `an answer under id ${JSON.stringify(expected.id)}`, this.session.answer(expected.id)) : undefined;
    await this.bounded(c, 'an answer to the ping after it', this.session.answer(`ping-${n}`));
    const window = this.session.messages.slice(from);
    const sizes = this.session.lineBytes.slice(from);
    const largest = Math.max(0, ...sizes);
    if (largest > MAX_ANSWER_BYTES) throw violation(c, `the server wrote a line of ${largest} bytes, more than 8 MiB`);
    const unnumbered = this.unnumbered(from);
    const wanted = 'unnumbered' in expected ? expected.unnumbered : 0;
    if (unnumbered.length !== wanted) throw violation(c, `${unnumbered.length} answers without an id, expected ${wanted}: ${JSON.stringify(unnumbered).slice(0, 300)}`);
    if ('id' in expected && window.filter((m) => m.id === expected.id && !('method' in m)).length !== 1) throw violation(c, `not exactly one answer under id ${JSON.stringify(expected.id)}`);
    if (this.session.child.exitCode !== null) throw violation(c, `the server exited with ${this.session.child.exitCode}`);
    const got = answer ?? unnumbered[0];
    if (got !== undefined) {
      const text = got.error?.message ?? textOf(got);
      if (/internal error|RangeError|Maximum call stack/.test(text)) throw violation(c, `an internal error: ${text.slice(0, 300)}`);
    }
    this.familyCheck(c, got, window);
    const outcome = got === undefined ? 'none' : got.error ? `rpc error ${got.error.code}` : got.result?.isError ? 'tool error' : 'result';
    this.counts.cases += 1;
    this.counts.byFamily.set(c.family, (this.counts.byFamily.get(c.family) ?? 0) + 1);
    const key = `${c.family}: ${outcome}`;
    this.counts.byOutcome.set(key, (this.counts.byOutcome.get(key) ?? 0) + 1);
  }

  /** Ends the session and resolves with the server's exit code (0 when it ended as it should). */
  async stop(): Promise<number | null> {
    return this.session.end();
  }

  get stderr(): string {
    return this.session.stderr();
  }

  private unnumbered(from: number): Message[] {
    return this.session.messages.slice(from).filter((m) => !('id' in m) && !('method' in m));
  }

  private async bounded<T>(c: McpCase, what: string, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(violation(c, `waited ${ANSWER_TIMEOUT_MS} ms for ${what} in vain`)), ANSWER_TIMEOUT_MS);
    });
    try {
      return await Promise.race([promise, late]);
    } catch (e) {
      if (e instanceof PropertyViolation) throw e;
      throw violation(c, `waiting for ${what}: ${(e as Error).message.slice(0, 500)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The line a case is written as, with a fresh id, and what must come back. */
  private write(c: McpCase, n: number): Written {
    switch (c.family) {
      case 'oversized-request': return oversized(c, n);
      case 'oversized-answer': return { line: call(n, 'list_state_machines', JSON.stringify({ file: `${c.template}.template.json`, definitions: c.definitions })), expected: { id: n } };
      case 'progress-token': return { line: call(n, 'run', '{"file":"pass.asl.json"}', `{"progressToken":${c.token}}`), expected: { id: n } };
      case 'non-finite': return nonFinite(c, n);
      case 'deep-json': return deep(c, n);
      case 'lone-surrogate': return lone(c, n);
    }
  }

  private familyCheck(c: McpCase, got: Message | undefined, window: readonly Message[]): void {
    const progress = window.filter((m) => m.method === 'notifications/progress').map((m) => (m.params as { progressToken: unknown }).progressToken);
    switch (c.family) {
      case 'oversized-request': {
        if (got === undefined) return;
        const size = oversizedLength(c).toLocaleString('en-US');
        if (!got.error || !got.error.message.includes(`${size} bytes, more than the 10,485,760 bytes (10 MiB)`)) throw violation(c, `the answer does not give the size: ${JSON.stringify(got).slice(0, 300)}`);
        if (got.error.code !== ('id' in got ? -32600 : -32700)) throw violation(c, `error code ${got.error.code}`);
        return;
      }
      case 'oversized-answer': {
        const { machines } = TEMPLATES.get(c.template)!;
        type Listed = { machines?: Array<{ definition?: unknown }>; truncated?: { leftOut: string[] } };
        const listed = got?.result?.structuredContent as Listed | undefined;
        if (!listed?.machines || listed.machines.length !== machines) throw violation(c, `not ${machines} machines: ${JSON.stringify(got).slice(0, 300)}`);
        const without = listed.machines.map((m, i) => (m.definition === undefined ? i : -1)).filter((i) => i >= 0);
        if (!c.definitions) {
          if (listed.truncated) throw violation(c, 'a truncated note on an answer without definitions');
          return;
        }
        const kept = machines - without.length;
        if (without.some((i) => i < kept)) throw violation(c, `the definitions kept are not the first: left out ${without.join(', ')}`);
        const named = listed.truncated?.leftOut ?? [];
        if (JSON.stringify(named) !== JSON.stringify(without.map((i) => `machines[${i}].definition`))) throw violation(c, `leftOut ${JSON.stringify(named)} does not name what was left out (${without.join(', ')})`);
        return;
      }
      case 'progress-token': {
        const token = JSON.parse(c.token) as unknown;
        if (got?.result?.isError !== undefined && got.result.isError) throw violation(c, `the call failed: ${textOf(got)}`);
        if (!got?.result) throw violation(c, `no result: ${JSON.stringify(got).slice(0, 300)}`);
        const valid = typeof token === 'string' || (typeof token === 'number' && Number.isSafeInteger(token));
        const unsafeInteger = typeof token === 'number' && Number.isInteger(token) && !Number.isSafeInteger(token);
        if (valid && (progress.length !== 1 || progress[0] !== token)) throw violation(c, `progress ${JSON.stringify(progress)} for a token the server takes`);
        if (!valid && !unsafeInteger && progress.length !== 0) throw violation(c, `progress ${JSON.stringify(progress)} for a token of the wrong type`);
        return;
      }
      case 'non-finite': {
        if (c.where === 'id') return;
        const field = c.where.split('.')[1];
        const text = textOf(got!);
        if (!got?.result?.isError || !text.startsWith(`${field}: a number out of range at $`)) throw violation(c, `not said to be out of range: ${text.slice(0, 300)}`);
        return;
      }
      case 'deep-json': {
        const total = c.depth + (c.where === 'run.definition' ? 3 : 0);
        const text = textOf(got!);
        if (c.where !== 'meta' && total > JSON_DEPTH) {
          const field = c.where.split('.')[1];
          if (!text.startsWith(`${field}: nesting deeper than ${JSON_DEPTH} levels at $`)) throw violation(c, `${total} levels not refused as such: ${text.slice(0, 300)}`);
        } else if (got?.result?.isError) {
          throw violation(c, `${total} levels refused: ${text.slice(0, 300)}`);
        }
        return;
      }
      case 'lone-surrogate': return loneCheck(c, got!, progress);
    }
  }
}

function oversized(c: OversizedRequest, n: number): Written {
  const length = oversizedLength(c);
  const padded = (head: string, tail: string): string => `${head}${'x'.repeat(length - head.length - tail.length)}${tail}`;
  switch (c.id) {
    case 'first': return { line: padded(`{"jsonrpc":"2.0","id":${n},"method":"tools/call","params":{"name":"validate","arguments":{"definition":"`, '"}}}'), expected: { id: n } };
    case 'last': return { line: padded('{"jsonrpc":"2.0","method":"tools/call","params":{"name":"validate","arguments":{"definition":"', `"}},"id":"c${n}"}`), expected: { id: `c${n}` } };
    case 'object': return { line: padded(`{"jsonrpc":"2.0","id":{"n":${n}},"method":"tools/call","params":{"p":"`, '"}}'), expected: { unnumbered: 1 } };
    case 'none': return { line: padded('{"jsonrpc":"2.0","params":{"p":"', '"}}'), expected: { unnumbered: 1 } };
    case 'notification': return { line: padded('{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":0,"message":"', '"}}'), expected: { none: true } };
    case 'not-an-object': return { line: 'x'.repeat(length), expected: { unnumbered: 1 } };
  }
}

function nonFinite(c: NonFinite, n: number): Written {
  if (c.where === 'id') return { line: `{"jsonrpc":"2.0","id":${c.literal},"method":"ping"}`, expected: { unnumbered: 1 } };
  const value = nest(c.depth, c.depth % 2 === 0 ? 'array' : 'object', c.literal);
  const definition = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":${value},"End":true}}}`;
  const args: Record<Exclude<NonFinite['where'], 'id'>, [string, string]> = {
    'run.input': ['run', `{"file":"pass.asl.json","input":${value}}`],
    'run.mocks': ['run', `{"file":"pass.asl.json","mocks":{"P":${value}}}`],
    'run.definition': ['run', `{"definition":${definition}}`],
    'validate.definition': ['validate', `{"definition":${definition}}`],
    'explore.input': ['explore', `{"file":"pass.asl.json","input":${value}}`],
    'render.run': ['render', `{"file":"pass.asl.json","run":{"x":${value}}}`],
    'test_state.input': ['test_state', `{"definition":{"Type":"Pass","End":true},"input":${value}}`],
  };
  const [tool, json] = args[c.where];
  return { line: call(n, tool, json), expected: { id: n } };
}

function deep(c: DeepJson, n: number): Written {
  const value = nest(c.depth, c.container, '1');
  switch (c.where) {
    case 'run.input': return { line: call(n, 'run', `{"file":"pass.asl.json","input":${value}}`), expected: { id: n } };
    case 'explore.input': return { line: call(n, 'explore', `{"file":"pass.asl.json","input":${value}}`), expected: { id: n } };
    case 'run.definition': return { line: call(n, 'run', `{"definition":{"StartAt":"P","States":{"P":{"Type":"Pass","Result":${value},"End":true}}}}`), expected: { id: n } };
    case 'meta': return { line: call(n, 'run', '{"file":"pass.asl.json"}', `{"x":${value}}`), expected: { id: n } };
  }
}

function lone(c: LoneSurrogate, n: number): Written {
  const s = c.surrogate;
  switch (c.where) {
    case 'stateName': return { line: call(n, 'run', JSON.stringify({ definition: { StartAt: `S${s}`, States: { [`S${s}`]: { Type: 'Pass', End: true } } } })), expected: { id: n } };
    case 'input': return { line: call(n, 'run', JSON.stringify({ file: 'pass.asl.json', input: { k: `v${s}` } })), expected: { id: n } };
    case 'toolName': return { line: call(n, `t${s}`, '{}'), expected: { id: n } };
    case 'id': return { line: JSON.stringify({ jsonrpc: '2.0', id: `i${n}${s}`, method: 'ping' }), expected: { id: `i${n}${s}` } };
    case 'progressToken': return { line: call(n, 'run', '{"file":"pass.asl.json"}', JSON.stringify({ progressToken: `p${s}` })), expected: { id: n } };
    case 'raw-bytes': {
      // The surrogate as UTF-8 cannot write it (CESU-8's three bytes): not UTF-8, read as U+FFFD.
      const code = s.charCodeAt(0);
      const bytes = Buffer.from([0xe0 + Math.floor(code / 4096), 0x80 + (Math.floor(code / 64) % 64), 0x80 + (code % 64)]);
      const [head, tail] = call(n, 'run', '{"file":"pass.asl.json","input":{"k":"__"}}').split('__');
      return { line: Buffer.concat([Buffer.from(head), bytes, Buffer.from(tail)]), expected: { id: n } };
    }
  }
}

function loneCheck(c: LoneSurrogate, got: Message, progress: readonly unknown[]): void {
  const s = c.surrogate;
  const structured = got.result?.structuredContent as { status?: string; path?: string[]; output?: unknown } | undefined;
  switch (c.where) {
    case 'stateName':
      if (structured?.status !== 'SUCCEEDED' || JSON.stringify(structured.path) !== JSON.stringify([`S${s}`])) throw violation(c, `the state's name did not come back as it went: ${JSON.stringify(got).slice(0, 300)}`);
      return;
    case 'input':
      if (JSON.stringify(structured?.output) !== JSON.stringify({ k: `v${s}` })) throw violation(c, `the input did not come back as it went: ${JSON.stringify(got).slice(0, 300)}`);
      return;
    case 'toolName':
      if (textOf(got) !== `no tool 't${s}'; the tools are ${TOOLS}`) throw violation(c, `the tool's name is not quoted as it went: ${JSON.stringify(got).slice(0, 300)}`);
      return;
    case 'id':
      return;
    case 'progressToken':
      if (progress.length !== 1 || progress[0] !== `p${s}`) throw violation(c, `progress ${JSON.stringify(progress)}`);
      return;
    case 'raw-bytes':
      if (structured?.status !== 'SUCCEEDED') throw violation(c, `not run: ${JSON.stringify(got).slice(0, 300)}`);
      return;
  }
}
