/**
 * Generators (fast-check arbitraries) for state machine definitions, their
 * inputs and the behaviour of their task handlers. Shared by the jest property
 * test (a quick budget) and test/fuzz/run.ts (`npx projen fuzz`, 10^6 cases).
 *
 * Definitions are built to be mostly valid, so the interpreter runs them, and
 * are then mutated now and then (a field set to a value of the wrong kind), so
 * the validator sees bad input too. Keys, paths and values come from small
 * pools: a path then finds something in the input often enough to matter.
 */
import fc from 'fast-check';

/**
 * Families of input that wave 2's hardening work (issue #13, section 3) makes
 * safe. Each is generated only when its flag is on: with a flag off, the
 * property still checks everything it checked, on inputs outside that family.
 * Turn a flag on once its defect is fixed; the property then covers it.
 */
export interface GeneratorOptions {
  /** Keys `__proto__`, `constructor`, `prototype` in inputs, templates, ResultPath and Assign. */
  readonly protoKeys?: boolean;
  /** JSONata that recurses, backtracks (`$match` with nested quantifiers) or builds huge ranges. */
  readonly heavyJsonata?: boolean;
  /** Filter expressions (`[?(@.x > 1)]`, `[(@.length-1)]`) in JSONPath: they end in States.Runtime, never a raw error. */
  readonly jsonPathScripts?: boolean;
  /** Random mutations of valid definitions (a field set to a value of the wrong kind). */
  readonly mutations?: boolean;
  /** Long Wait states (past Express's 5 minutes, or dates past Standard's year). */
  readonly longWaits?: boolean;
  /**
   * Catchers that lead back to their own state or an earlier one. Each round
   * trip nests the previous error output, escaped, in the next cause, which
   * doubles in size until the payload limit ends the run.
   */
  readonly catchLoops?: boolean;
}

/**
 * What the main properties generate: every family but heavy JSONata. A runaway
 * JSONata evaluation is stopped by its bound of steps (JSONATA_LIMITS.steps,
 * about a second), so that family runs a case or so a second and has a property
 * of its own with a small budget and a hang limit that allows for the bound.
 */
export const SAFE_FAMILIES: GeneratorOptions = {
  protoKeys: true, heavyJsonata: false, jsonPathScripts: true, mutations: true, longWaits: true, catchLoops: true,
};

/** Everything, for the long run and for the families' own properties. */
export const ALL_FAMILIES: GeneratorOptions = {
  protoKeys: true, heavyJsonata: true, jsonPathScripts: true, mutations: true, longWaits: true, catchLoops: true,
};

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A task handler's answer to one call; the handler cycles through a generated list. */
export type HandlerBehaviour =
  | { readonly kind: 'return'; readonly value: Json }
  | { readonly kind: 'throw'; readonly error: string }
  | { readonly kind: 'async-return'; readonly value: Json }
  | { readonly kind: 'async-throw'; readonly error: string }
  /** Completes the task's callback token from inside the handler (or returns the value when there is none). */
  | { readonly kind: 'callback'; readonly value: Json };

/** One generated case: a definition, its input, the workflow type and how handlers answer. */
export interface FuzzCase {
  readonly definition: Json;
  readonly input: Json;
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly behaviours: readonly HandlerBehaviour[];
}

/** Error names a handler throws or a Fail state raises: all expected in a result. */
export const CUSTOM_ERRORS = ['Custom.Failure', 'Payment.Declined', 'States.TaskFailed', 'States.Timeout', 'Lambda.ServiceException'] as const;

const KEYS = ['a', 'b', 'n', 'items', 'x y', 's'] as const;
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

function keyArb(o: GeneratorOptions): fc.Arbitrary<string> {
  return o.protoKeys ? fc.constantFrom(...KEYS, ...PROTO_KEYS) : fc.constantFrom(...KEYS);
}

/** JSON values over the shared key pool, small and shallow. */
export function jsonValue(o: GeneratorOptions = SAFE_FAMILIES, depth = 3): fc.Arbitrary<Json> {
  const leaf: fc.Arbitrary<Json> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -5, max: 20 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom('', 'a', 'x y', '2024-01-01T00:00:00Z', '{"a":1}', 'aGk=', '$.a', 'é€😀'),
  );
  if (depth <= 0) return leaf;
  const inner = jsonValue(o, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(inner, { maxLength: 4 }) },
    { weight: 2, arbitrary: jsonObject(o, inner) },
  );
}

function jsonObject(o: GeneratorOptions, value: fc.Arbitrary<Json>): fc.Arbitrary<{ [key: string]: Json }> {
  return fc.array(fc.tuple(keyArb(o), value), { maxLength: 4 }).map(toObject);
}

/** An execution input: usually an object with the pool's keys, sometimes any JSON. */
export function inputArb(o: GeneratorOptions = SAFE_FAMILIES): fc.Arbitrary<Json> {
  const value = jsonValue(o, 2);
  const items = fc.array(fc.oneof(value, jsonObject(o, value)), { maxLength: 5 });
  const shaped = fc.record({ a: value, b: value, n: fc.integer({ min: -3, max: 10 }), items, s: fc.constantFrom('a', 'b', '2024-01-01T00:00:00Z') }, { requiredKeys: [] });
  return fc.oneof({ weight: 4, arbitrary: shaped as fc.Arbitrary<Json> }, { weight: 1, arbitrary: jsonValue(o, 3) });
}

/** A JSON document (an object or an array) to read paths from; jsonpath-plus takes nothing else. */
export function documentArb(o: GeneratorOptions = SAFE_FAMILIES): fc.Arbitrary<Json> {
  const value = jsonValue(o, 3);
  return fc.oneof({ weight: 3, arbitrary: inputArb(o).filter((v) => v !== null && typeof v === 'object') }, { weight: 1, arbitrary: fc.array(value, { maxLength: 4 }) });
}

// ---------------------------------------------------------------- JSONPath

function stepArb(o: GeneratorOptions, definiteOnly: boolean): fc.Arbitrary<string> {
  const name = keyArb(o).map((k) => (/^[A-Za-z_]\w*$/.test(k) ? `.${k}` : `['${k}']`));
  const index = fc.integer({ min: 0, max: 3 }).map((i) => `[${i}]`);
  if (definiteOnly) return fc.oneof({ weight: 4, arbitrary: name }, { weight: 1, arbitrary: index });
  const indefinite = fc.oneof(
    fc.constant('[*]'),
    fc.constant('.*'),
    keyArb(o).filter((k) => /^[A-Za-z_]\w*$/.test(k)).map((k) => `..${k}`),
    fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 4 })).map(([a, b]) => `[${a}:${b}]`),
    fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([a, b]) => `[${a},${b}]`),
  );
  const steps = [
    { weight: 4, arbitrary: name },
    { weight: 1, arbitrary: index },
    { weight: 1, arbitrary: indefinite },
  ];
  if (o.jsonPathScripts) {
    steps.push({
      weight: 1,
      arbitrary: fc.constantFrom('[?(@.n > 1)]', '[?(@.a == "x y")]', '[?(@.x =~ /a.*/)]', '[(@.length-1)]', '[?(@.x==this)]', '[?(@.n)]'),
    });
  }
  return fc.oneof(...steps);
}

/** A JSONPath into the input (`$.a[0]`); `definite` paths name one node. */
export function jsonPathArb(o: GeneratorOptions = SAFE_FAMILIES, definite = false): fc.Arbitrary<string> {
  return fc.array(stepArb(o, definite), { maxLength: 3 }).map((steps) => `$${steps.join('')}`);
}

/** A path whose root is the input, the Context Object or a variable. */
function anyPathArb(o: GeneratorOptions): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: jsonPathArb(o) },
    { weight: 1, arbitrary: fc.constantFrom('$$.Execution.Name', '$$.State.Name', '$$.State.RetryCount', '$$.Execution.Input', '$$.Map.Item.Value', '$$.Task.Token') },
    { weight: 1, arbitrary: fc.constantFrom('$v1', '$v2.a', '$v1[0]') },
  );
}

const INTRINSIC_CALLS: ReadonlyArray<(p: string, q: string) => string> = [
  (p) => `States.Format('{} and {}', ${p}, 'x')`,
  (p) => `States.JsonToString(${p})`,
  (p) => `States.StringToJson(${p})`,
  (p, q) => `States.Array(${p}, ${q}, 1)`,
  (p) => `States.ArrayLength(${p})`,
  (p, q) => `States.ArrayContains(${p}, ${q})`,
  () => 'States.ArrayRange(1, 9, 2)',
  (p) => `States.ArrayGetItem(${p}, 0)`,
  (p) => `States.ArrayPartition(${p}, 2)`,
  (p) => `States.ArrayUnique(${p})`,
  (p) => `States.MathAdd(${p}, 1)`,
  () => 'States.MathRandom(1, 10)',
  () => 'States.UUID()',
  (p) => `States.Hash(${p}, 'SHA-256')`,
  (p) => `States.Base64Encode(${p})`,
  (p) => `States.Base64Decode(${p})`,
  (p) => `States.StringSplit(${p}, ' ')`,
  (p, q) => `States.JsonMerge(${p}, ${q}, false)`,
  (p) => `States.Format('n={}', States.MathAdd(States.ArrayLength(${p}), 1))`,
];

function intrinsicArb(o: GeneratorOptions): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: 0, max: INTRINSIC_CALLS.length - 1 }), anyPathArb(o), anyPathArb(o))
    .map(([i, p, q]) => INTRINSIC_CALLS[i](p, q));
}

/** A JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign). */
function payloadTemplateArb(o: GeneratorOptions, depth = 2): fc.Arbitrary<Json> {
  const entry: fc.Arbitrary<[string, Json]> = fc.oneof(
    fc.tuple(keyArb(o), jsonValue(o, 1)),
    fc.tuple(keyArb(o).map((k) => `${k}.$`), anyPathArb(o)),
    fc.tuple(keyArb(o).map((k) => `${k}.$`), intrinsicArb(o)),
    ...(depth > 0 ? [fc.tuple(keyArb(o), payloadTemplateArb(o, depth - 1))] : []),
  );
  return fc.array(entry, { maxLength: 4 }).map(toObject);
}

/** An object from entries; a later `k` or `k.$` replaces an earlier one (AWS refuses both in one template). */
function toObject(entries: ReadonlyArray<readonly [string, Json]>): { [key: string]: Json } {
  const obj: { [key: string]: Json } = {};
  for (const [k, v] of entries) {
    const base = k.endsWith('.$') ? k.slice(0, -2) : k;
    delete obj[base];
    delete obj[`${base}.$`];
    // defineProperty, so a `__proto__` key is an own key as JSON.parse makes it.
    Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return obj;
}

// ---------------------------------------------------------------- JSONata

function jsonataExprArb(o: GeneratorOptions, site: 'any' | 'result' | 'error' = 'any'): fc.Arbitrary<string> {
  const reads = ['$states.input', '$states.input.a', '$states.input.n', '$states.input.items', '$states.input.items[0]', '$states.context.Execution.Name', '$v1', '$v2'];
  if (site === 'result') reads.push('$states.result', '$states.result.a');
  if (site === 'error') reads.push('$states.errorOutput', '$states.errorOutput.Error');
  const read = fc.constantFrom(...reads);
  const exprs: Array<fc.WeightedArbitrary<string>> = [
    read,
    fc.tuple(read, fc.integer({ min: -3, max: 5 })).map(([r, n]) => `${r} + ${n}`),
    read.map((r) => `$count(${r})`),
    read.map((r) => `$string(${r})`),
    read.map((r) => `$exists(${r}) ? ${r} : 'none'`),
    read.map((r) => `{"k": ${r}, "n": 1}`),
    read.map((r) => `[${r}, 1, "x"]`),
    read.map((r) => `$map(${r}, function($v, $i) { {"i": $i, "v": $v} })`),
    read.map((r) => `$sum(${r})`),
    read.map((r) => `$keys(${r})`),
    read.map((r) => `$uppercase(${r})`),
    read.map((r) => `$number(${r})`),
    read.map((r) => `$parse($string(${r}))`),
    fc.constantFrom('$uuid()', '$random()', '$now()', '$partition([1,2,3], 2)', "$hash('a', 'SHA-256')", '[1..5]', '$range(0, 4, 2)', '$base64encode("x")', '$lookup($states.input, "a")'),
    fc.constantFrom('$undefinedFunction(1)', '$error("boom")', '$assert(false, "no")'),
  ].map((arbitrary) => ({ weight: 4, arbitrary }));
  // Now and then an expression that does not parse: the validator must refuse it.
  exprs.push({ weight: 1, arbitrary: fc.constantFrom('$states.input.', '$$$', '{% 1 %}', '1 +') });
  if (o.heavyJsonata) {
    exprs.push({
      weight: 2,
      arbitrary: fc.constantFrom(
        '($f := function($x){$f($x)}; $f(1))',
        "$match('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /(a+)+$/)",
        '$count($sort([1..100000]))',
        '[1..10000000]',
      ),
    });
  }
  return fc.oneof(...exprs);
}

function jsonataString(o: GeneratorOptions, site: 'any' | 'result' | 'error' = 'any'): fc.Arbitrary<string> {
  return jsonataExprArb(o, site).map((e) => `{% ${e} %}`);
}

/** A JSONata template: a value, an expression string, or an object/array of them. */
function jsonataTemplateArb(o: GeneratorOptions, site: 'any' | 'result' | 'error' = 'any', depth = 2): fc.Arbitrary<Json> {
  const leaf = fc.oneof({ weight: 2, arbitrary: jsonataString(o, site) as fc.Arbitrary<Json> }, { weight: 1, arbitrary: jsonValue(o, 1) });
  if (depth <= 0) return leaf;
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 2, arbitrary: fc.array(fc.tuple(keyArb(o), jsonataTemplateArb(o, site, depth - 1)), { maxLength: 3 }).map(toObject) },
    { weight: 1, arbitrary: fc.array(jsonataTemplateArb(o, site, depth - 1), { maxLength: 3 }) },
  );
}

function assignArb(o: GeneratorOptions, lang: Lang, site: 'any' | 'result' | 'error' = 'any'): fc.Arbitrary<Json> {
  const name = fc.constantFrom('v1', 'v2', 'v3');
  const value = lang === 'JSONata' ? jsonataTemplateArb(o, site, 1) : fc.oneof(jsonValue(o, 1), anyPathArb(o));
  return fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 2 }).map((entries) =>
    toObject(entries.map(([k, v]) => (lang === 'JSONPath' && typeof v === 'string' && v.startsWith('$') ? [`${k}.$`, v] : [k, v]))));
}

// ---------------------------------------------------------------- states

type Lang = 'JSONPath' | 'JSONata';

const TASK_RESOURCES = [
  'arn:aws:lambda:us-east-1:123456789012:function:Fn',
  'arn:aws:states:::lambda:invoke',
  'arn:aws:states:::sqs:sendMessage',
  'arn:aws:states:::dynamodb:putItem',
  'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
  'arn:aws:states:us-east-1:123456789012:activity:Work',
] as const;

const ERROR_MATCHERS = ['States.ALL', 'States.TaskFailed', 'States.Timeout', 'Custom.Failure', 'Payment.Declined', 'States.IntrinsicFailure', 'States.Runtime'] as const;

interface Ctx {
  readonly o: GeneratorOptions;
  readonly lang: Lang;
  /** Names of the states in this (sub)machine, the targets of Next and Default. */
  readonly names: readonly string[];
  /** How many more levels of Map/Parallel may nest here. */
  readonly depth: number;
  /** Index of the state being generated in `names`. */
  readonly index: number;
  /** EXPRESS machines may not use callbacks or activities. */
  readonly express: boolean;
}

/**
 * Next or End: mostly on to the following state (so every state is reachable),
 * sometimes back or ahead to any state (loops), and the last state mostly ends.
 */
function next(ctx: Ctx): fc.Arbitrary<Record<string, Json>> {
  const last = ctx.index === ctx.names.length - 1;
  return fc.oneof(
    { weight: last ? 6 : 1, arbitrary: fc.constant({ End: true }) },
    { weight: last ? 0 : 6, arbitrary: fc.constant({ Next: ctx.names[Math.min(ctx.index + 1, ctx.names.length - 1)] }) },
    { weight: 1, arbitrary: fc.constantFrom(...ctx.names).map((n) => ({ Next: n })) },
  );
}

/** A field present one time in `oneIn` (always for 1); it shrinks to absent. */
function optional<T>(arb: fc.Arbitrary<T>, oneIn = 3): fc.Arbitrary<T | undefined> {
  if (oneIn <= 1) return arb;
  return fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

/** Drops undefined fields, keeping the rest in order. */
function compact(fields: Record<string, Json | undefined>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}

function ioFields(ctx: Ctx, opts: { result: boolean; parameters: boolean }): fc.Arbitrary<Record<string, Json>> {
  const { o } = ctx;
  if (ctx.lang === 'JSONata') {
    return fc.record({
      Output: optional(jsonataTemplateArb(o, opts.result ? 'result' : 'any')),
      Assign: optional(assignArb(o, 'JSONata', opts.result ? 'result' : 'any'), 5),
      ...(opts.parameters ? { Arguments: optional(jsonataTemplateArb(o)) } : {}),
    }).map(compact);
  }
  return fc.record({
    InputPath: optional(fc.oneof(jsonPathArb(o), fc.constant(null)), 5),
    OutputPath: optional(fc.oneof(jsonPathArb(o), fc.constant(null)), 5),
    Assign: optional(assignArb(o, 'JSONPath'), 5),
    ...(opts.result ? {
      ResultPath: optional(fc.oneof(jsonPathArb(o, true), fc.constant(null)), 3),
      ResultSelector: optional(payloadTemplateArb(o), 5),
    } : {}),
    ...(opts.parameters ? { Parameters: optional(payloadTemplateArb(o), 2) } : {}),
  }).map(compact);
}

function retryArb(): fc.Arbitrary<Json> {
  const retrier = fc.record({
    ErrorEquals: fc.uniqueArray(fc.constantFrom(...ERROR_MATCHERS), { minLength: 1, maxLength: 2 }),
    IntervalSeconds: optional(fc.integer({ min: 1, max: 30 })),
    MaxAttempts: optional(fc.integer({ min: 0, max: 3 })),
    BackoffRate: optional(fc.constantFrom(1, 1.5, 2)),
    MaxDelaySeconds: optional(fc.integer({ min: 1, max: 60 }), 5),
    JitterStrategy: optional(fc.constantFrom('FULL', 'NONE'), 5),
  }).map(compact);
  return fc.array(retrier, { minLength: 1, maxLength: 2 }).map((rs) => allLast(rs.map(fixAll)));
}

/** AWS requires the States.ALL retrier or catcher to be the last. */
function allLast(list: Array<Record<string, Json>>): Array<Record<string, Json>> {
  const isAll = (r: Record<string, Json>) => (r.ErrorEquals as string[]).includes('States.ALL');
  const alls = list.filter(isAll);
  return [...list.filter((r) => !isAll(r)), ...alls.slice(0, 1)];
}

/** `States.ALL` must stand alone: move it to its own, last, retrier/catcher. */
function fixAll(r: Record<string, Json>): Record<string, Json> {
  const errors = r.ErrorEquals as string[];
  return errors.includes('States.ALL') ? { ...r, ErrorEquals: ['States.ALL'] } : r;
}

function catchArb(ctx: Ctx): fc.Arbitrary<Json> {
  const { o } = ctx;
  const resultField: Record<string, fc.Arbitrary<Json | undefined>> = ctx.lang === 'JSONPath'
    ? { ResultPath: optional(fc.oneof(jsonPathArb(o, true), fc.constant(null))) }
    : { Output: optional(jsonataTemplateArb(o, 'error', 1)) };
  const catcher = fc.record<Record<string, Json | undefined>>({
    ErrorEquals: fc.uniqueArray(fc.constantFrom(...ERROR_MATCHERS), { minLength: 1, maxLength: 2 }),
    Next: fc.constantFrom(...catchTargets(ctx)),
    ...resultField,
    Assign: optional(assignArb(o, ctx.lang, 'error'), 5),
  }).map(compact);
  return fc.array(catcher, { minLength: 1, maxLength: 2 }).map((cs) => allLast(cs.map(fixAll)));
}

/** Where a catcher may lead: anywhere with catchLoops, else only to later states. */
function catchTargets(ctx: Ctx): string[] {
  return ctx.o.catchLoops ? [...ctx.names] : ctx.names.slice(ctx.index + 1);
}

function retryCatch(ctx: Ctx): fc.Arbitrary<Record<string, Json>> {
  const catchers = catchTargets(ctx).length > 0 ? optional(catchArb(ctx), 2) : fc.constant(undefined);
  return fc.record({ Retry: optional(retryArb(), 2), Catch: catchers }).map(compact);
}

function passState(ctx: Ctx): fc.Arbitrary<Record<string, Json>> {
  const result = ctx.lang === 'JSONPath' ? fc.record({ Result: optional(jsonValue(ctx.o, 2), 2) }).map(compact) : fc.constant({});
  return fc.tuple(ioFields(ctx, { result: ctx.lang === 'JSONPath', parameters: ctx.lang === 'JSONPath' }), result, next(ctx))
    .map(([io, r, n]) => {
      const pass: Record<string, Json> = { Type: 'Pass', ...io, ...r, ...n };
      // A Pass has no ResultSelector.
      delete pass.ResultSelector;
      return pass;
    });
}

function taskState(ctx: Ctx): fc.Arbitrary<Record<string, Json>> {
  return fc.tuple(
    fc.constantFrom(...TASK_RESOURCES.filter((r) => !ctx.express || !(r.endsWith('.waitForTaskToken') || r.includes(':activity:')))),
    ioFields(ctx, { result: true, parameters: true }),
    retryCatch(ctx),
    optional(fc.integer({ min: 1, max: 600 }), 2),
    optional(fc.integer({ min: 1, max: 60 }), 6),
    next(ctx),
  ).map(([resource, io, rc, timeout, heartbeat, n]) => {
    const task: Record<string, Json> = { Type: 'Task', Resource: resource, ...io, ...rc, ...n };
    // A callback nobody answers waits for ever, as in AWS; a timeout bounds it.
    const callback = resource.endsWith('.waitForTaskToken') || resource.includes(':activity:');
    if (timeout !== undefined || callback) task.TimeoutSeconds = timeout ?? 300;
    if (heartbeat !== undefined && (timeout === undefined || heartbeat < timeout)) task.HeartbeatSeconds = heartbeat;
    if (resource.endsWith('.waitForTaskToken')) {
      // AWS requires the token to be passed on.
      if (ctx.lang === 'JSONata') task.Arguments = { Token: '{% $states.context.Task.Token %}', Body: task.Arguments ?? null };
      else task.Parameters = { 'Token.$': '$$.Task.Token', 'Body': task.Parameters ?? null };
    }
    return task;
  });
}

function choiceRuleArb(ctx: Ctx, depth: number): fc.Arbitrary<Record<string, Json>> {
  const { o } = ctx;
  const variable = jsonPathArb(o, true);
  const comparison = fc.oneof(
    fc.tuple(variable, fc.constantFrom('StringEquals', 'StringLessThan', 'StringGreaterThanEquals', 'StringMatches'), fc.constantFrom('a', 'x*', '', 'x y'))
      .map(([v, op, s]) => ({ Variable: v, [op]: s })),
    fc.tuple(variable, fc.constantFrom('NumericEquals', 'NumericLessThan', 'NumericGreaterThanEquals'), fc.integer({ min: -2, max: 10 }))
      .map(([v, op, n]) => ({ Variable: v, [op]: n })),
    fc.tuple(variable, fc.constantFrom('IsPresent', 'IsNull', 'IsString', 'IsNumeric', 'IsBoolean', 'IsTimestamp'), fc.boolean())
      .map(([v, op, b]) => ({ Variable: v, [op]: b })),
    fc.tuple(variable, fc.boolean()).map(([v, b]) => ({ Variable: v, BooleanEquals: b })),
    fc.tuple(variable, fc.constantFrom('TimestampEquals', 'TimestampGreaterThan'), fc.constantFrom('2024-01-01T00:00:00Z', '2023-06-01T12:00:00.5Z'))
      .map(([v, op, t]) => ({ Variable: v, [op]: t })),
    fc.tuple(variable, fc.constantFrom('NumericEqualsPath', 'StringEqualsPath', 'NumericLessThanPath'), jsonPathArb(o, true))
      .map(([v, op, p]) => ({ Variable: v, [op]: p })),
  );
  if (depth <= 0) return comparison;
  const sub = choiceRuleArb(ctx, depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: comparison },
    { weight: 1, arbitrary: fc.array(sub, { minLength: 1, maxLength: 2 }).map((rules) => ({ And: rules })) },
    { weight: 1, arbitrary: fc.array(sub, { minLength: 1, maxLength: 2 }).map((rules) => ({ Or: rules })) },
    { weight: 1, arbitrary: sub.map((rule) => ({ Not: rule })) },
  );
}

function choiceState(ctx: Ctx): fc.Arbitrary<Record<string, Json>> {
  const rule = ctx.lang === 'JSONata'
    ? fc.tuple(jsonataString(ctx.o), fc.constantFrom(...ctx.names), optional(jsonataTemplateArb(ctx.o, 'any', 1), 4))
      .map(([cond, n, out]) => compact({ Condition: cond, Next: n, Output: out }))
    : fc.tuple(choiceRuleArb(ctx, 2), fc.constantFrom(...ctx.names)).map(([r, n]) => ({ ...r, Next: n }));
  const fields = ioFields(ctx, { result: false, parameters: false });
  return fc.tuple(fc.array(rule, { minLength: 1, maxLength: 3 }), optional(fc.constantFrom(...ctx.names), 2), fields)
    .map(([choices, def, io]) => {
      const state: Record<string, Json> = { Type: 'Choice', Choices: choices, ...io };
      delete state.Assign;
      if (def !== undefined) state.Default = def;
      return state;
    });
}

function waitState(ctx: Ctx): fc.Arbitrary<Record<string, Json>> {
  const max = ctx.o.longWaits ? 400 : 120;
  const when: fc.Arbitrary<Record<string, Json>> = ctx.lang === 'JSONata'
    ? fc.oneof(
      fc.integer({ min: 0, max }).map((s) => ({ Seconds: s })),
      fc.constantFrom('{% $states.input.n %}', '{% 5 %}', "{% '2024-01-01T00:01:00Z' %}").map((e): Record<string, Json> => (e.includes("'") ? { Timestamp: e } : { Seconds: e })),
    )
    : fc.oneof(
      fc.integer({ min: 0, max }).map((s) => ({ Seconds: s })),
      fc.constant({ SecondsPath: '$.n' }),
      fc.constantFrom('2024-01-01T00:01:00Z', '2023-01-01T00:00:00Z', ...(ctx.o.longWaits ? ['9999-12-31T23:59:59Z'] : [])).map((t) => ({ Timestamp: t })),
      fc.constant({ TimestampPath: '$.s' }),
    );
  return fc.tuple(when, ioFields(ctx, { result: false, parameters: false }), next(ctx))
    .map(([w, io, n]) => ({ Type: 'Wait', ...w, ...io, ...n }));
}

function failState(ctx: Ctx): fc.Arbitrary<Record<string, Json>> {
  return fc.record({
    Error: optional(ctx.lang === 'JSONata' ? fc.constantFrom(...CUSTOM_ERRORS, "{% 'Custom.Failure' %}") : fc.constantFrom(...CUSTOM_ERRORS)),
    Cause: optional(fc.constantFrom('it broke', '')),
  }).map((f) => ({ Type: 'Fail', ...compact(f) }));
}

function parallelState(ctx: Ctx): fc.Arbitrary<Record<string, Json>> {
  return fc.tuple(
    fc.array(machineArb({ ...ctx, depth: ctx.depth - 1 }, false), { minLength: 1, maxLength: 2 }),
    ioFields(ctx, { result: true, parameters: true }),
    retryCatch(ctx),
    next(ctx),
  ).map(([branches, io, rc, n]) => ({ Type: 'Parallel', Branches: branches, ...io, ...rc, ...n }));
}

function mapState(ctx: Ctx): fc.Arbitrary<Record<string, Json>> {
  const { o } = ctx;
  const items = ctx.lang === 'JSONata'
    ? fc.record({ Items: optional(fc.constantFrom('{% $states.input.items %}', '{% [1, 2, 3] %}', '{% $states.input %}'), 1) }).map(compact)
    : fc.record({ ItemsPath: optional(fc.oneof(fc.constant('$.items'), jsonPathArb(o, true)), 1) }).map(compact);
  const selector = ctx.lang === 'JSONata'
    ? optional(fc.constantFrom<Json>({ v: '{% $states.context.Map.Item.Value %}', i: '{% $states.context.Map.Item.Index %}' }), 3)
    : optional(fc.oneof(payloadTemplateArb(o, 1), fc.constant<Json>({ 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' })), 3);
  return fc.tuple(
    machineArb({ ...ctx, depth: ctx.depth - 1 }, false),
    fc.constantFrom('INLINE', 'DISTRIBUTED'),
    items,
    selector,
    fc.record({
      MaxConcurrency: optional(fc.integer({ min: 0, max: 3 })),
      ToleratedFailureCount: optional(fc.integer({ min: 0, max: 2 }), 5),
      ToleratedFailurePercentage: optional(fc.integer({ min: 0, max: 100 }), 5),
    }).map(compact),
    ioFields(ctx, { result: true, parameters: false }),
    retryCatch(ctx),
    next(ctx),
  ).map(([processor, mode, it, sel, counts, io, rc, n]) => {
    const config: Record<string, Json> = mode === 'DISTRIBUTED' ? { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } : { Mode: 'INLINE' };
    const state: Record<string, Json> = { Type: 'Map', ItemProcessor: { ...(processor as Record<string, Json>), ProcessorConfig: config }, ...it, ...counts, ...io, ...rc, ...n };
    if (sel !== undefined) state.ItemSelector = sel;
    if (mode !== 'DISTRIBUTED') { delete state.ToleratedFailureCount; delete state.ToleratedFailurePercentage; }
    return state;
  });
}

function stateArb(ctx: Ctx): fc.Arbitrary<Record<string, Json>> {
  const states: Array<fc.WeightedArbitrary<Record<string, Json>>> = [
    { weight: 4, arbitrary: passState(ctx) },
    { weight: 4, arbitrary: taskState(ctx) },
    { weight: 3, arbitrary: choiceState(ctx) },
    { weight: 2, arbitrary: waitState(ctx) },
    { weight: 1, arbitrary: fc.constant({ Type: 'Succeed' }) },
    { weight: 1, arbitrary: failState(ctx) },
  ];
  if (ctx.depth > 0) {
    states.push({ weight: 2, arbitrary: parallelState(ctx) }, { weight: 2, arbitrary: mapState(ctx) });
  }
  return fc.oneof(...states);
}

/**
 * Arbitraries are pure values, so the ones built inside a `chain` (for each
 * sample) are built once per context and reused: building a whole machine's
 * tree of arbitraries costs tens of milliseconds, far more than running the case.
 */
const built = new Map<string, unknown>();
function memo<T>(key: string, make: () => T): T {
  let value = built.get(key) as T | undefined;
  if (value === undefined) {
    value = make();
    built.set(key, value);
  }
  return value;
}
const optionsKey = (o: GeneratorOptions): string => JSON.stringify(o);

/** A (sub)machine: 1–5 states named S0…, transitions among them (loops included). */
function machineArb(ctx: Omit<Ctx, 'names' | 'index'>, top: boolean): fc.Arbitrary<Json> {
  const key = `machine|${optionsKey(ctx.o)}|${ctx.lang}|${ctx.depth}|${ctx.express}|${top}`;
  return fc.integer({ min: 1, max: 5 }).chain((count) => memo(`${key}|${count}`, () => {
    const names = Array.from({ length: count }, (_, i) => `S${i}`);
    return fc.tuple(
      fc.tuple(...names.map((_, index) => stateArb({ ...ctx, names, index }))),
      top ? optional(fc.integer({ min: 1, max: 3600 }), 6) : fc.constant(undefined),
    ).map(([states, timeout]) => {
      const machine: Record<string, Json> = { StartAt: 'S0', States: toObject(states.map((s, i) => [names[i], s])) };
      if (timeout !== undefined) machine.TimeoutSeconds = timeout;
      return machine;
    });
  }));
}

/**
 * State names are unique across the whole machine in ASL: the generator reuses
 * S0… in every branch and processor, and this renames nested ones (`S0` in the
 * first branch of top-level `S2` becomes `S2.0.S0`), with their transitions.
 * States no transition reaches are dropped: AWS refuses them.
 */
function finishMachine(machine: Record<string, Json>, prefix: string): Record<string, Json> {
  const states = machine.States as Record<string, Record<string, Json>>;
  const rename = (n: Json) => (typeof n === 'string' ? `${prefix}${n}` : n);
  const reachable = new Set<string>();
  const visit = (name: string) => {
    if (reachable.has(name) || !states[name]) return;
    reachable.add(name);
    const s = states[name];
    const list = (v: Json | undefined) => (v as Array<Record<string, Json>> | undefined) ?? [];
    const rules = [...list(s.Choices), ...list(s.Catch)];
    const targets = [s.Next, s.Default, ...rules.map((c) => c.Next)];
    for (const t of targets) if (typeof t === 'string') visit(t);
  };
  visit(machine.StartAt as string);
  // Loops are welcome, a machine that can never end is not (AWS refuses it): the last reachable state that can end, does.
  const terminal = (s: Record<string, Json>) => s.End === true || s.Type === 'Succeed' || s.Type === 'Fail';
  if (![...reachable].some((n) => terminal(states[n]))) {
    const last = [...reachable].reverse().find((n) => states[n].Type !== 'Choice');
    if (last !== undefined) {
      const { Next: _dropped, ...rest } = states[last];
      states[last] = { ...rest, End: true };
    }
  }
  const out: Record<string, Json> = {};
  for (const [name, s] of Object.entries(states)) {
    if (!reachable.has(name)) continue;
    const state: Record<string, Json> = { ...s };
    if (state.Next !== undefined) state.Next = rename(state.Next);
    if (state.Default !== undefined) state.Default = rename(state.Default);
    if (Array.isArray(state.Choices)) state.Choices = (state.Choices as Array<Record<string, Json>>).map((c) => ({ ...c, Next: rename(c.Next) }));
    if (Array.isArray(state.Catch)) state.Catch = (state.Catch as Array<Record<string, Json>>).map((c) => ({ ...c, Next: rename(c.Next) }));
    if (Array.isArray(state.Branches)) {
      state.Branches = (state.Branches as Array<Record<string, Json>>).map((b, i) => finishMachine(b, `${prefix}${name}.${i}.`));
    }
    if (state.ItemProcessor !== undefined) {
      const p = state.ItemProcessor as Record<string, Json>;
      state.ItemProcessor = { ...finishMachine(p, `${prefix}${name}.`), ProcessorConfig: p.ProcessorConfig };
    }
    out[`${prefix}${name}`] = state;
  }
  return { ...machine, StartAt: rename(machine.StartAt), States: out };
}

const MUTATION_VALUES: readonly Json[] = [null, -1, 0, 1.5, 'x', '', '$.a', '$$', '{% 1 %}', '{% $states.input %}', true, [], {}, ['States.ALL'], 'nope', 99999999999, '2024-13-45T99:00:00Z'];
const MUTATION_FIELDS = [
  'Type', 'Next', 'End', 'Resource', 'InputPath', 'OutputPath', 'ResultPath', 'Parameters', 'Arguments', 'Output', 'Assign', 'Seconds', 'Timestamp',
  'TimeoutSeconds', 'HeartbeatSeconds', 'Retry', 'Catch', 'Choices', 'Default', 'Branches', 'ItemProcessor', 'ItemsPath', 'Items', 'MaxConcurrency',
  'Error', 'Cause', 'QueryLanguage', 'ResultSelector', 'Result', 'TimestampEquals', 'Variable', 'Condition', 'StartAt', 'States', 'Comment',
] as const;

/** Sets one field somewhere in the definition (the machine or any state, at any depth) to a value of the wrong kind. */
function mutate(definition: Json, target: number, field: string, value: Json): Json {
  const objects: Array<Record<string, Json>> = [];
  const collect = (v: Json) => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) { v.forEach(collect); return; }
    objects.push(v);
    Object.values(v).forEach(collect);
  };
  const copy = JSON.parse(JSON.stringify(definition)) as Json;
  collect(copy);
  const obj = objects[target % objects.length];
  if (obj) obj[field] = value;
  return copy;
}

/** A whole definition, in either query language, sometimes mutated. */
export function definitionArb(o: GeneratorOptions = SAFE_FAMILIES, express = false): fc.Arbitrary<Json> {
  const base = fc.constantFrom<Lang>('JSONPath', 'JSONata').chain((lang) => memo(`definition|${optionsKey(o)}|${lang}|${express}`, () =>
    machineArb({ o, lang, depth: 2, express }, true).map((m) => {
      const machine = finishMachine(m as Record<string, Json>, '');
      return lang === 'JSONata' ? { QueryLanguage: 'JSONata', ...machine } : machine;
    })));
  if (!o.mutations) return base;
  return fc.tuple(base, optional(fc.tuple(fc.nat(), fc.constantFrom(...MUTATION_FIELDS), fc.constantFrom(...MUTATION_VALUES)), 3))
    .map(([def, m]) => (m ? mutate(def, m[0], m[1], m[2]) : def));
}

function behaviourArb(o: GeneratorOptions): fc.Arbitrary<HandlerBehaviour> {
  const value = jsonValue(o, 2);
  const error = fc.constantFrom(...CUSTOM_ERRORS);
  return fc.oneof(
    { weight: 4, arbitrary: value.map((v) => ({ kind: 'return' as const, value: v })) },
    { weight: 2, arbitrary: error.map((e) => ({ kind: 'throw' as const, error: e })) },
    { weight: 2, arbitrary: value.map((v) => ({ kind: 'async-return' as const, value: v })) },
    { weight: 1, arbitrary: error.map((e) => ({ kind: 'async-throw' as const, error: e })) },
    { weight: 1, arbitrary: value.map((v) => ({ kind: 'callback' as const, value: v })) },
  );
}

/** A whole case: definition, input, workflow type and handler behaviours. */
export function caseArb(o: GeneratorOptions = SAFE_FAMILIES): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom<'STANDARD' | 'EXPRESS'>('STANDARD', 'STANDARD', 'EXPRESS').chain((type) => memo(`case|${optionsKey(o)}|${type}`, () => fc.record({
    definition: definitionArb(o, type === 'EXPRESS'),
    input: inputArb(o),
    type: fc.constant(type),
    behaviours: fc.array(behaviourArb(o), { minLength: 1, maxLength: 4 }),
  })));
}
