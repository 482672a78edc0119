/**
 * Generators for the console family of the HTTP fuzzer: requests to serve's console API
 * (`/console/api/…`: search, pages, the execution view, a state's visits, a Map Run, compare,
 * the live view) with the page's token, a wrong one or none, naming the executions the run created (a
 * history of 4,004 events carrying 200 KiB among them) or anything else, with offsets, limits
 * and searches that are right, huge, negative, not numbers, badly escaped or hostile.
 */
import fc from 'fast-check';

/** The console API routes the family calls. */
export const CONSOLE_ROUTES = ['events', 'execution', 'visits', 'maprun', 'compare', 'watch', 'machines', 'machine'] as const;
export type ConsoleRoute = (typeof CONSOLE_ROUTES)[number];

/**
 * One request to the console API. `query` is the query string as sent (already escaped); in it
 * `{big}`, `{big2}` and `{small}` stand for the ARNs of the executions the run created,
 * `{machine}` for their state machine's, and
 * `{token}` for the page's token.
 */
export interface ConsoleRequest {
  readonly route: ConsoleRoute;
  readonly query: string;
  /** The token the request carries: the page's, another, or none (the live view's in its query, the others' in a header). */
  readonly token: 'page' | 'wrong' | 'none';
}

/** Escaped text a query value may be: what a browser sends, and what no browser sends. */
const escaped = (text: string): string => encodeURIComponent(text);

/** Execution ARNs: the run's own, and ones that name nothing or are not ARNs. */
const arnValue = fc.oneof(
  { arbitrary: fc.constantFrom('{big}', '{big2}', '{small}'), weight: 8 },
  { arbitrary: fc.constantFrom('', 'nope', '__proto__', 'constructor', 'arn:aws:states:us-east-1:123456789012:execution:fz-console:missing', '%', '%zz', '%00', '%ED%A0%80'), weight: 2 },
  { arbitrary: fc.string({ maxLength: 60 }).map(escaped), weight: 1 },
);

/** Map Run ARNs: ones that name no Map Run the run made, or are no Map Run ARN. */
const mapRunValue = fc.constantFrom(
  'arn:aws:states:us-east-1:123456789012:mapRun:fz-console/Label:0f2d6b8e-4c1a-4e49-9d2c-8a1b7e5c3f10',
  'arn:aws:states:us-east-1:123456789012:mapRun:missing/Label:x', 'arn:aws:states:us-east-1:123456789012:mapRun:', `arn:aws:states:us-east-1:123456789012:mapRun:${'m'.repeat(2100)}`,
).map(escaped);

/** Searches: words the history holds (some in every event's payload), markup, patterns, control characters, lone surrogates, long ones. */
const searchValue = fc.oneof(
  { arbitrary: fc.constantFrom('', 'x', 'xxxxxxxxxxxxxxxx', 'SucceedStateEntered', 'passstateexited', '"i":500', 'Step', 'pad', 'executionsucceeded').map(escaped), weight: 6 },
  { arbitrary: fc.constantFrom('.*', '(', '[', '\\', '$', '%', '%25', '%E2%80%A8', '%00', '%01', '%ED%A0%80', '%EF%BF%BF', '<script>', '%zz', '+'), weight: 3 },
  { arbitrary: fc.string({ maxLength: 40 }).map(escaped), weight: 2 },
  { arbitrary: fc.integer({ min: 257, max: 20_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
);

/** Numbers as a query gives them: right, past every bound, negative, fractional, not numbers. */
const numberValue = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 4100 }).map(String), weight: 6 },
  { arbitrary: fc.constantFrom('0', '1', '200', '4003', '4004', '4005', '5000', '5001', '25000', '1000000'), weight: 3 },
  { arbitrary: fc.constantFrom('', '-1', '-0', '1.5', '1e3', '1e309', 'NaN', 'Infinity', '0x10', '%205', '99999999999999999999', '9007199254740993', 'null'), weight: 2 },
  { arbitrary: fc.integer().map(String), weight: 1 },
);

/** State machine ARNs: the run's own, its executions', and ones that name nothing or are not ARNs. */
const machineArnValue = fc.oneof(
  { arbitrary: fc.constant('{machine}'), weight: 6 },
  { arbitrary: fc.constantFrom('{big}', '', 'nope', '__proto__', 'arn:aws:states:us-east-1:123456789012:stateMachine:missing', '%', '%00', '%ED%A0%80'), weight: 2 },
  { arbitrary: fc.string({ maxLength: 60 }).map(escaped), weight: 1 },
);

/** State names: the run's machine's, and ones a record keyed by name would trip on. */
const stateValue = fc.oneof(
  fc.constantFrom('Step', 'More', 'Done', '__proto__', 'constructor', 'toString', ''),
  fc.string({ maxLength: 20 }).map(escaped),
);

/** `name=value` pairs for a route, some left out, some given twice, and a name the route does not read. */
function paramsOf(route: ConsoleRoute): fc.Arbitrary<string[]> {
  const optional = (name: string, value: fc.Arbitrary<string>): fc.Arbitrary<string[]> =>
    fc.option(value, { nil: undefined, freq: 3 }).map((v) => (v === undefined ? [] : [`${name}=${v}`]));
  const parts: fc.Arbitrary<string[]>[] = (() => {
    switch (route) {
      case 'events': return [optional('arn', arnValue), optional('q', searchValue), optional('offset', numberValue), optional('limit', numberValue)];
      case 'execution': return [optional('arn', arnValue), optional('q', searchValue), optional('limit', numberValue), optional('diagram', numberValue)];
      case 'visits': return [optional('arn', arnValue), optional('state', stateValue)];
      case 'maprun': return [optional('arn', fc.oneof(arnValue, mapRunValue))];
      case 'compare': return [optional('a', arnValue), optional('b', arnValue)];
      case 'watch': return [optional('arn', arnValue)];
      case 'machines': return [];
      case 'machine': return [optional('arn', machineArnValue)];
    }
  })();
  const extra = fc.oneof(
    { arbitrary: fc.constant<string[]>([]), weight: 6 },
    { arbitrary: fc.tuple(fc.constantFrom('q', 'offset', 'limit', 'arn', '__proto__', 'token'), numberValue).map(([n, v]) => [`${n}=${v}`]), weight: 1 },
  );
  return fc.tuple(fc.tuple(...parts), extra).map(([given, more]) => [...given.flat(), ...more]);
}

/** One console request: mostly with the page's token. */
export function consoleRequestArb(): fc.Arbitrary<ConsoleRequest> {
  return fc.constantFrom(...CONSOLE_ROUTES).chain((route) => fc.record({
    route: fc.constant(route),
    query: paramsOf(route).map((pairs) => pairs.join('&')),
    token: fc.oneof({ arbitrary: fc.constant('page' as const), weight: 12 }, { arbitrary: fc.constantFrom('wrong' as const, 'none' as const), weight: 1 }),
  }));
}
