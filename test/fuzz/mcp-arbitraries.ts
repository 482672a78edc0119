/**
 * Generators for the MCP fuzz family: raw JSON-RPC lines to a live
 * `stepwright mcp`, in the input families that ended or silenced a session
 * (issue 44): request lines over 10 MiB, answers over 8 MiB, progress tokens
 * of every JSON type, numbers beyond a double (1e999), JSON nested deep, and
 * lone surrogates. A case is data; mcp-property.ts writes it with a fresh id
 * and says what must come back.
 */
import fc from 'fast-check';

const MiB = 1_048_576;

/** The families, by name, as the counts name them. */
export const MCP_FAMILIES = ['oversized-request', 'oversized-answer', 'progress-token', 'non-finite', 'deep-json', 'lone-surrogate'] as const;
export type McpFamily = (typeof MCP_FAMILIES)[number];

/** A line over the 10 MiB bound: where its id is (or why none can be read), and how far over. */
export interface OversizedRequest {
  readonly family: 'oversized-request';
  readonly over: number;
  readonly id: 'first' | 'last' | 'none' | 'object' | 'notification' | 'not-an-object';
}

/** list_state_machines of a template the fuzz run writes, whose answer may pass the 8 MiB bound. */
export interface OversizedAnswer {
  readonly family: 'oversized-answer';
  readonly template: 'small' | 'mid' | 'big';
  readonly definitions: boolean;
}

/** A call whose `_meta.progressToken` is any JSON value (or a number JSON text writes out of range). */
export interface ProgressToken {
  readonly family: 'progress-token';
  /** The token as JSON text, written into the line as it is. */
  readonly token: string;
}

/** A number JSON.parse reads as ±Infinity, in a field that takes any JSON, or as the request's id. */
export interface NonFinite {
  readonly family: 'non-finite';
  readonly literal: string;
  readonly where: 'run.input' | 'run.mocks' | 'run.definition' | 'validate.definition' | 'explore.input' | 'render.run' | 'test_state.input' | 'id';
  /** Containers around the number inside the field. */
  readonly depth: number;
}

/** JSON nested `depth` levels in a field, or in the request's `_meta`. */
export interface DeepJson {
  readonly family: 'deep-json';
  readonly depth: number;
  readonly container: 'array' | 'object';
  readonly where: 'run.input' | 'run.definition' | 'explore.input' | 'meta';
}

/** A lone surrogate (written as a \u escape, as a client's JSON.stringify writes one) in a place a client chooses. */
export interface LoneSurrogate {
  readonly family: 'lone-surrogate';
  readonly surrogate: string;
  readonly where: 'stateName' | 'input' | 'toolName' | 'id' | 'progressToken' | 'raw-bytes';
}

export type McpCase = OversizedRequest | OversizedAnswer | ProgressToken | NonFinite | DeepJson | LoneSurrogate;

/** How many levels past which a field is refused; MAX_JSON_DEPTH, written out so the test states it. */
export const JSON_DEPTH = 1000;

const oversizedRequest: fc.Arbitrary<McpCase> = fc.record({
  family: fc.constant('oversized-request' as const),
  over: fc.integer({ min: 1, max: 256 * 1024 }),
  id: fc.constantFrom('first', 'last', 'none', 'object', 'notification', 'not-an-object') as fc.Arbitrary<OversizedRequest['id']>,
});

const oversizedAnswer: fc.Arbitrary<McpCase> = fc.record({
  family: fc.constant('oversized-answer' as const),
  template: fc.constantFrom('small', 'mid', 'big') as fc.Arbitrary<OversizedAnswer['template']>,
  definitions: fc.boolean(),
});

/** Every JSON type, and the numbers at the edges: what MCP allows (a string, an integer) and what it does not. */
const tokenText: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('null', 'true', 'false', '1.5', '-0', '0', '1e300', '1e999', '-1e999', '9007199254740993', '""', '"p"', '[]', '{}'),
  fc.integer().map(String),
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
);

const progressToken: fc.Arbitrary<McpCase> = fc.record({ family: fc.constant('progress-token' as const), token: tokenText });

const nonFinite: fc.Arbitrary<McpCase> = fc.record({
  family: fc.constant('non-finite' as const),
  literal: fc.constantFrom('1e999', '-1e999', '1E400', '-2e308', '1.8e308', '123456789e301'),
  where: fc.constantFrom('run.input', 'run.mocks', 'run.definition', 'validate.definition', 'explore.input', 'render.run', 'test_state.input', 'id') as fc.Arbitrary<NonFinite['where']>,
  depth: fc.integer({ min: 0, max: 4 }),
});

const deepJson: fc.Arbitrary<McpCase> = fc.record({
  family: fc.constant('deep-json' as const),
  // Around the bound, and far past it (a 500,000-deep value is 1 MB of text).
  depth: fc.oneof(
    fc.integer({ min: JSON_DEPTH - 6, max: JSON_DEPTH + 3 }),
    fc.constantFrom(5_000, 100_000, 500_000),
    fc.integer({ min: 1, max: 50 }),
  ),
  container: fc.constantFrom('array', 'object') as fc.Arbitrary<DeepJson['container']>,
  where: fc.constantFrom('run.input', 'run.definition', 'explore.input', 'meta') as fc.Arbitrary<DeepJson['where']>,
});

const loneSurrogate: fc.Arbitrary<McpCase> = fc.record({
  family: fc.constant('lone-surrogate' as const),
  surrogate: fc.oneof(fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff')),
  where: fc.constantFrom('stateName', 'input', 'toolName', 'id', 'progressToken', 'raw-bytes') as fc.Arbitrary<LoneSurrogate['where']>,
});

const BY_FAMILY: ReadonlyMap<McpFamily, fc.Arbitrary<McpCase>> = new Map([
  ['oversized-request', oversizedRequest],
  ['oversized-answer', oversizedAnswer],
  ['progress-token', progressToken],
  ['non-finite', nonFinite],
  ['deep-json', deepJson],
  ['lone-surrogate', loneSurrogate],
]);

/** Lines over 10 MiB and answers over 8 MiB cost megabytes each: they come a third as often as the rest. */
const WEIGHT: ReadonlyMap<McpFamily, number> = new Map([['oversized-request', 1], ['oversized-answer', 1]]);

/** The cases of one family, or (without one) of every family. */
export function mcpCaseArb(family?: McpFamily): fc.Arbitrary<McpCase> {
  if (family !== undefined) return BY_FAMILY.get(family)!;
  return fc.oneof(...MCP_FAMILIES.map((f) => ({ arbitrary: BY_FAMILY.get(f)!, weight: WEIGHT.get(f) ?? 3 })));
}

/** The size of a line over the bound: 10 MiB and `over` bytes. */
export function oversizedLength(c: OversizedRequest): number {
  return 10 * MiB + c.over;
}
