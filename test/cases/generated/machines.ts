import fc from 'fast-check';
import type { JsonObject, JsonValue, StateMachineDefinition } from '../../../src/asl/definition-types';
import type { MockConfigResponse } from '../../../src/workbench/mocks/mock-config';
import type { BehaviourCase, MockedResponses } from '../case-format';

/*
 * Small valid state machines as a CDK user writes them, with their input and MockConfigFile
 * answers, made into behaviour cases (case-format.ts) that every door runs. The states are the
 * ones ASL has (https://docs.aws.amazon.com/step-functions/latest/dg/statelang-states.html), in
 * both query languages: Pass (Result, Parameters, ResultPath, Assign), Choice (several
 * comparisons and Default), Wait (Seconds), Task with MockConfigFile answers of the optimized
 * integrations (lambda:invoke, dynamodb:getItem/putItem, sns:publish, sqs:sendMessage) that follow
 * each service's contract, or errors, with Retry and Catch, Parallel, inline Map (ItemsPath/Items,
 * ItemSelector, MaxConcurrency), Fail and Succeed, variables assigned at the top and read inside,
 * and intrinsic functions / JSONata functions.
 *
 * A machine keeps its input's fields as it goes: every state puts its result under a key of its
 * own (ResultPath `$.<key>`, or JSONata's `$merge([$states.input, {...}])`), so a Choice or a Task
 * further on still finds `n`, `s`, `flag`, `items` and `nested`. Some generated machines still
 * fail (a Fail state, an error no Catch takes, an intrinsic given a value of the wrong type): a
 * failure is an answer the doors must agree on too.
 */

type QueryLanguage = 'JSONPath' | 'JSONata';
type Gen = fc.GeneratorValue;

/** The shape of every state's input: the generated input's fields, which the states keep. */
const WORDS = ['a', 'abc', 'Hello, world', '', 'x-1', 'Zürich', '😀 é', 'a\u2028b'] as const;

/**
 * Numbers in the forms that differ between JSON writers: fractions with no short binary form,
 * exponents past 1e21 and below 1e-6 (JavaScript writes them in exponent form, Java's Jackson
 * differently), a whole number past 2^53, a whole number as a double, and -0, which JSON text
 * writes as 0 (the harness is given it as a value, the other doors as text).
 */
const NUMBERS = [0.1, 1e21, 1e-7, 9007199254740993, -1.5, 100, 2.5e-300, 1234.5, -0] as const;

/** Text a JSON writer must escape or keep as it is: an emoji (a surrogate pair), a line separator, a control character, quotes and a backslash. */
const TEXTS = ['😀', 'é\u2028', '\u0000x', 'tab\there', '"q"\\'] as const;

interface Scope {
  readonly ql: QueryLanguage;
  /** How many Parallel/Map levels deep: inner states may not nest further past 2. */
  readonly depth: number;
  /** Whether the input has `items` (a Map iteration's input does not). */
  readonly hasItems: boolean;
  /** Variables assigned by the first state, readable everywhere (inner scopes read outer ones). */
  readonly vars: readonly string[];
}

/** What the whole machine collects while it is built. */
interface Build {
  next: number;
  readonly mocks: Record<string, MockedResponses>;
}

const item = (g: Gen): JsonObject => ({
  n: g(fc.integer, { min: -3, max: 12 }),
  s: g(fc.constantFrom, ...WORDS),
  flag: g(fc.boolean),
  nested: { k: g(fc.constantFrom, ...WORDS) },
  f: g(fc.constantFrom, ...NUMBERS),
  u: g(fc.constantFrom, ...TEXTS),
});

/** The machine's input: an item with a list of items. */
function inputOf(g: Gen): JsonObject {
  const items = Array.from({ length: g(fc.integer, { min: 0, max: 4 }) }, () => item(g));
  return { ...item(g), items };
}

/** A generated machine, its input and its mocks, as a behaviour case with no expectation: the doors are compared with each other. */
export function generatedCaseArb(): fc.Arbitrary<BehaviourCase> {
  return fc.gen().map((g) => {
    const ql: QueryLanguage = g(fc.boolean) ? 'JSONata' : 'JSONPath';
    const build: Build = { next: 0, mocks: {} };
    const vars = ['v0', 'v1'];
    const init = initState(g, ql, vars);
    const scope: Scope = { ql, depth: 0, hasItems: true, vars };
    const body = spine(g, scope, build, g(fc.integer, { min: 1, max: 5 }));
    const definition: StateMachineDefinition = {
      ...(ql === 'JSONata' ? { QueryLanguage: 'JSONata' } : {}),
      StartAt: 'Init',
      States: { Init: { ...init, Next: body.startAt }, ...body.states },
    } as unknown as StateMachineDefinition;
    return {
      id: 'generated',
      description: `a generated ${ql} machine`,
      definition,
      input: inputOf(g),
      ...(Object.keys(build.mocks).length > 0 ? { mockConfig: build.mocks } : {}),
      expect: {},
    };
  });
}

/** The first state: a Pass that assigns the variables the others read. */
function initState(g: Gen, ql: QueryLanguage, vars: readonly string[]): JsonObject {
  const values = [
    ql === 'JSONata' ? '{% $states.input.n * 2 %}' : { 'x.$': '$.n' },
    ql === 'JSONata' ? '{% $uppercase($states.input.s) %}' : { 'y.$': 'States.Format(\'<{}>\', $.s)' },
    g(fc.constantFrom, 7, 'seven', [1, 2], { deep: true }) as JsonValue,
  ];
  // JSONPath's Assign takes a path as a `.$` key; a nested `.$` key is a path inside the value.
  const assign: JsonObject = {};
  vars.forEach((v, i) => {
    const value = values[(i + g(fc.integer, { min: 0, max: 2 })) % values.length];
    if (ql === 'JSONPath' && i === 0) assign[`${v}.$`] = '$.n';
    else assign[v] = value;
  });
  return { Type: 'Pass', Assign: assign };
}

/** A run of `length` states, each going on to a later one, the last ending; Choices and Catches jump forward only. */
function spine(g: Gen, scope: Scope, build: Build, length: number): { startAt: string; states: JsonObject } {
  const kinds = Array.from({ length }, (_, i) => stateKind(g, scope, i === length - 1));
  const names = kinds.map((k) => `${k}${build.next++}`);
  const states: JsonObject = {};
  kinds.forEach((kind, i) => {
    const name = names[i];
    const next = names[i + 1];
    const later = names.slice(i + 1);
    const key = `r${name.replace(/\D/g, '')}`;
    const go: JsonObject = next === undefined ? { End: true } : { Next: next };
    states[name] = makeState(g, kind, { scope, build, name, key, go, later });
  });
  return { startAt: names[0], states };
}

type Kind = 'Pass' | 'Choice' | 'Wait' | 'Task' | 'Parallel' | 'Map' | 'Fail' | 'Succeed';

function stateKind(g: Gen, scope: Scope, last: boolean): Kind {
  const nests = scope.depth < 2;
  const kinds: Kind[] = ['Pass', 'Pass', 'Task', 'Task', 'Wait', ...(last ? [] : ['Choice' as const]), ...(nests ? ['Parallel' as const] : []),
    ...(nests && scope.hasItems ? ['Map' as const, 'Map' as const] : []), ...(last ? ['Succeed' as const] : [])];
  // A Fail state ends one spine in twelve: failures come from Tasks and expressions too.
  if (last && g(fc.integer, { min: 0, max: 11 }) === 0) return 'Fail';
  return g(fc.constantFrom, ...kinds);
}

interface Place {
  readonly scope: Scope;
  readonly build: Build;
  readonly name: string;
  /** The key the state's result goes under. */
  readonly key: string;
  /** `{ Next }` or `{ End: true }`. */
  readonly go: JsonObject;
  /** The states after this one, which a Choice or a Catch may go to. */
  readonly later: readonly string[];
}

function makeState(g: Gen, kind: Kind, p: Place): JsonObject {
  switch (kind) {
    case 'Pass': return { ...passState(g, p), ...p.go };
    case 'Choice': return choiceState(g, p);
    case 'Wait': return { Type: 'Wait', Seconds: g(fc.integer, { min: 0, max: 120 }), ...p.go };
    case 'Task': return { ...taskState(g, p), ...p.go };
    case 'Parallel': return { ...parallelState(g, p), ...p.go };
    case 'Map': return { ...mapState(g, p), ...p.go };
    case 'Fail': return failState(g, p.scope.ql);
    case 'Succeed': return { Type: 'Succeed' };
  }
}

/** JSONata: the state's input with `value` under `key`. */
const merged = (key: string, value: string): string => `{% $merge([$states.input, {'${key}': ${value}}]) %}`;

function passState(g: Gen, p: Place): JsonObject {
  const { ql, vars } = p.scope;
  const v = g(fc.constantFrom, ...vars);
  if (ql === 'JSONata') {
    const value = g(fc.constantFrom,
      '$states.input.n + 1', '$string($states.input.n)', '$count($states.input.items ? $states.input.items : [])',
      `$${v}`, '$states.context.State.Name', '$states.context.Execution.Name', '$length($states.input.s)',
      '$states.input.flag and $states.input.n > 2', '$sum([1, 2, $states.input.n])', '$join([$states.input.s, $states.input.nested.k], "/")',
      '$states.input.nested', '$substring($states.input.s, 0, 2)', '$round($states.input.n / 3, 2)',
      '$states.input.f * 10', '$string($states.input.f)', '$states.input.f + 0.2', '$formatNumber($states.input.f, "#,##0.00")',
      '[1e2, 1.0, -0, 0.1 + 0.2, 9007199254740993, 1e21, 1e-7]', '$number("1E3")', '$states.input.u & "😀\\u00e9"', '$length($states.input.u)',
      '$substring("😀abc", 1, 2)', '$string({"f": $states.input.f, "u": $states.input.u})', '$split($states.input.u, "")');
    return {
      Type: 'Pass',
      Output: merged(p.key, value),
      ...(g(fc.boolean) && p.scope.depth === 0 ? { Assign: { [v]: `{% ${value} %}` } } : {}),
    };
  }
  const form = g(fc.constantFrom, 'result', 'parameters', 'intrinsic', 'assign');
  if (form === 'result') return { Type: 'Pass', Result: g(fc.constantFrom, 1, 'done', { ok: true, list: [1, 2] }, null) as JsonValue, ResultPath: `$.${p.key}` };
  if (form === 'assign' && p.scope.depth === 0) return { Type: 'Pass', Assign: { [`${v}.$`]: g(fc.constantFrom, '$.n', '$.nested', '$.s') } };
  if (form === 'parameters') {
    return {
      Type: 'Pass',
      Parameters: { 'n.$': '$.n', 'var.$': `$${v}`, 'state.$': '$$.State.Name', 'execution.$': '$$.Execution.Name', 'fixed': 'x' },
      ResultPath: `$.${p.key}`,
    };
  }
  const intrinsic = g(fc.constantFrom,
    "States.Format('{} and {}', $.s, $.n)", 'States.MathAdd($.n, 3)', 'States.JsonToString($.nested)', 'States.Array($.n, $.s, $.flag)',
    "States.Hash($.s, 'SHA-256')", 'States.Base64Encode($.s)', 'States.ArrayRange(1, 9, 2)', 'States.ArrayContains(States.Array(1, 2, 3), $.n)',
    "States.StringToJson('{\"a\":[1,2]}')", 'States.ArrayUnique(States.Array($.n, $.n, 1))', "States.StringSplit('a,b,c', ',')",
    'States.ArrayLength(States.Array($.s, $.s))', 'States.MathAdd($.s, 1)',
    "States.Format('{} {}', $.f, $.u)", 'States.JsonToString($)', 'States.JsonToString($.f)', "States.StringToJson('[1e2, 1.0, 1E-7, -0]')",
    'States.Base64Encode($.u)', "States.Hash($.u, 'MD5')", 'States.ArrayGetItem(States.Array($.f, $.u), 1)', 'States.MathAdd($.f, 1)');
  return { Type: 'Pass', Parameters: { 'value.$': intrinsic }, ResultPath: `$.${p.key}` };
}

function choiceState(g: Gen, p: Place): JsonObject {
  const ql = p.scope.ql;
  const withDefault = g(fc.integer, { min: 0, max: 5 }) > 0;
  // Without a Default, the first rule goes on to the next state, so that every state stays reachable (AWS refuses an unreachable one).
  const rules = Array.from({ length: g(fc.integer, { min: 1, max: 3 }) }, (_, i) => {
    const target = i === 0 && !withDefault ? p.later[0] : g(fc.constantFrom, ...p.later);
    const rule: JsonObject = ql === 'JSONata' ? { Condition: `{% ${jsonataCondition(g)} %}`, Next: target } : { ...jsonPathCondition(g), Next: target };
    return rule;
  });
  return { Type: 'Choice', Choices: rules, ...(withDefault ? { Default: p.later[0] } : {}) };
}

function jsonataCondition(g: Gen): string {
  const n = g(fc.integer, { min: -2, max: 10 });
  return g(fc.constantFrom, `$states.input.n > ${n}`, `$states.input.n = ${n}`, '$states.input.flag', `$states.input.s = "${g(fc.constantFrom, ...WORDS)}"`,
    `$states.input.n <= ${n} and $states.input.flag`, '$exists($states.input.missing)', `$contains($states.input.s, "a") or $states.input.n >= ${n}`);
}

function jsonPathCondition(g: Gen): JsonObject {
  const n = g(fc.integer, { min: -2, max: 10 });
  const word = g(fc.constantFrom, ...WORDS);
  const simple: JsonObject = g(fc.constantFrom,
    { Variable: '$.n', NumericGreaterThan: n }, { Variable: '$.n', NumericEquals: n }, { Variable: '$.n', NumericLessThanEquals: n },
    { Variable: '$.s', StringEquals: word }, { Variable: '$.s', StringMatches: '*a*' }, { Variable: '$.flag', BooleanEquals: true },
    { Variable: '$.missing', IsPresent: true }, { Variable: '$.n', IsNumeric: true }, { Variable: '$.s', StringGreaterThan: word },
    { Variable: '$v0', IsPresent: true }, { Variable: '$.n', NumericGreaterThanPath: '$.nested.k' }, { Variable: '$.s', IsNull: false },
    { Variable: '$.missing', NumericEquals: 1 },
    { Variable: '$.f', NumericGreaterThan: 0.5 }, { Variable: '$.f', NumericEquals: 1e21 }, { Variable: '$.u', StringEquals: '😀' },
  );
  return g(fc.integer, { min: 0, max: 3 }) > 0 ? simple : g(fc.constantFrom, 'And', 'Or', 'Not') === 'Not' ? { Not: simple } : { And: [simple, { Variable: '$.flag', IsBoolean: true }] };
}

function failState(g: Gen, ql: QueryLanguage): JsonObject {
  const form = g(fc.integer, { min: 0, max: 2 });
  if (form === 0) return { Type: 'Fail', Error: 'Order.Rejected', Cause: 'the order was rejected' };
  if (form === 1) return { Type: 'Fail' };
  return ql === 'JSONata'
    ? { Type: 'Fail', Error: "{% 'Code.' & $string($states.input.n) %}", Cause: '{% $states.input.s %}' }
    : { Type: 'Fail', ErrorPath: "States.Format('Code.{}', $.n)", CausePath: '$.s' };
}

/** An optimized integration, its arguments (from the input) and answers it gives (following the service's contract) or errors it raises. */
interface Integration {
  readonly resource: string;
  readonly args: (ql: QueryLanguage) => JsonObject;
  readonly answer: (g: Gen) => JsonValue;
  readonly errors: readonly string[];
}

/** A DynamoDB string attribute holding the input's `s`. */
const stringAttribute = (ql: QueryLanguage): JsonObject => (ql === 'JSONata' ? { S: '{% $states.input.s %}' } : { 'S.$': '$.s' });

// Each answer is the shape the service's API reference gives its response; for lambda:invoke, the
// invoke envelope (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html).
const INTEGRATIONS: readonly Integration[] = [
  {
    resource: 'arn:aws:states:::lambda:invoke',
    args: (ql) => ({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:work', ...(ql === 'JSONata' ? { Payload: '{% $states.input %}' } : { 'Payload.$': '$' }) }),
    answer: (g) => ({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: g(fc.constantFrom, { ok: true }, 'text', 3, [1, { a: null }], null) as JsonValue }),
    errors: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.AWSLambdaException', 'Order.Invalid'],
  },
  {
    resource: 'arn:aws:states:::dynamodb:getItem',
    args: (ql) => ({ TableName: 'orders', Key: { pk: stringAttribute(ql) } }),
    answer: (g): JsonObject => (g(fc.boolean) ? { Item: { pk: { S: 'a' }, total: { N: '12.5' }, tags: { SS: ['x', 'y'] } } } : {}),
    errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.ResourceNotFoundException', 'DynamoDB.AmazonDynamoDBException'],
  },
  {
    resource: 'arn:aws:states:::dynamodb:putItem',
    args: (ql) => ({ TableName: 'orders', Item: { pk: stringAttribute(ql), n: { N: '1' } } }),
    answer: () => ({}),
    errors: ['DynamoDB.ConditionalCheckFailedException', 'DynamoDB.ProvisionedThroughputExceededException'],
  },
  {
    resource: 'arn:aws:states:::sns:publish',
    args: (ql) => ({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders', ...(ql === 'JSONata' ? { Message: '{% $states.input %}' } : { 'Message.$': '$' }) }),
    answer: () => ({ MessageId: '4c8d2a8e-50a4-4c4a-8b5c-1a5b0c2d3e4f' }),
    errors: ['SNS.NotFoundException', 'SNS.ThrottledException'],
  },
  {
    resource: 'arn:aws:states:::sqs:sendMessage',
    args: (ql) => ({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders', ...(ql === 'JSONata' ? { MessageBody: '{% $states.input.s %}' } : { 'MessageBody.$': '$.s' }) }),
    answer: () => ({ MessageId: '0e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', MD5OfMessageBody: '0cc175b9c0f1b6a831c399e269772661' }),
    errors: ['SQS.QueueDoesNotExistException', 'SQS.InvalidMessageContentsException'],
  },
];

function taskState(g: Gen, p: Place): JsonObject {
  const { ql } = p.scope;
  const integration = g(fc.constantFrom, ...INTEGRATIONS);
  const args = integration.args(ql);
  // A Task's answers by invocation: errors first, then an answer for every later one (a Task in a Map is invoked once per item and attempt).
  const failures = g(fc.integer, { min: 0, max: 3 });
  const error = g(fc.constantFrom, ...integration.errors);
  const responses: Record<string, MockConfigResponse> = {};
  if (failures > 0) responses[failures === 1 ? '0' : `0-${failures - 1}`] = { Throw: { Error: error, Cause: `${error} (generated)` } } as MockConfigResponse;
  const alwaysFails = g(fc.integer, { min: 0, max: 7 }) === 0;
  responses[`${failures}-99`] = (alwaysFails ? { Throw: { Error: error, Cause: 'still failing' } } : { Return: integration.answer(g) }) as MockConfigResponse;
  p.build.mocks[p.name] = responses;
  const retry = g(fc.boolean)
    ? [{
      ErrorEquals: [g(fc.constantFrom, error, 'States.ALL', 'States.TaskFailed', 'Other.Error')],
      MaxAttempts: g(fc.integer, { min: 0, max: 3 }),
      IntervalSeconds: g(fc.integer, { min: 1, max: 5 }),
      BackoffRate: g(fc.constantFrom, 1, 1.5, 2),
    }]
    : undefined;
  const catchTarget = p.later.length > 0 ? g(fc.constantFrom, ...p.later) : undefined;
  const catcher = catchTarget !== undefined && g(fc.boolean)
    ? [{
      ErrorEquals: [g(fc.constantFrom, 'States.ALL', error, 'States.TaskFailed')],
      ...(ql === 'JSONata' ? { Output: merged(`e${p.key}`, '$states.errorOutput') } : { ResultPath: g(fc.constantFrom, `$.e${p.key}`, null) }),
      Next: catchTarget,
    }]
    : undefined;
  const shaped: JsonObject = ql === 'JSONata'
    ? { Arguments: args, Output: merged(p.key, '$states.result') }
    : { Parameters: args, ResultPath: `$.${p.key}`, ...(g(fc.boolean) && integration.resource.includes('lambda') ? { ResultSelector: { 'payload.$': '$.Payload', 'code.$': '$.StatusCode' } } : {}) };
  return { Type: 'Task', Resource: integration.resource, ...shaped, ...(retry ? { Retry: retry } : {}), ...(catcher ? { Catch: catcher as JsonObject[] } : {}) };
}

function inner(g: Gen, p: Place, hasItems: boolean): { StartAt: string; States: JsonObject } {
  const body = spine(g, { ...p.scope, depth: p.scope.depth + 1, hasItems }, p.build, g(fc.integer, { min: 1, max: 3 }));
  return { StartAt: body.startAt, States: body.states };
}

function parallelState(g: Gen, p: Place): JsonObject {
  const branches = Array.from({ length: g(fc.integer, { min: 1, max: 3 }) }, () => inner(g, p, p.scope.hasItems));
  return p.scope.ql === 'JSONata'
    ? { Type: 'Parallel', Branches: branches, Output: merged(p.key, '$states.result') }
    : { Type: 'Parallel', Branches: branches, ResultPath: `$.${p.key}` };
}

function mapState(g: Gen, p: Place): JsonObject {
  const processor = { ProcessorConfig: { Mode: 'INLINE' }, ...inner(g, p, false) };
  const concurrency = g(fc.constantFrom, 0, 1, 2);
  // Each iteration's input has the fields the inner states read: the item's own, or ItemSelector's.
  const select = g(fc.boolean);
  if (p.scope.ql === 'JSONata') {
    return {
      Type: 'Map',
      Items: '{% $states.input.items %}',
      MaxConcurrency: concurrency,
      ItemProcessor: processor,
      ...(select ? { ItemSelector: { n: '{% $states.context.Map.Item.Index %}', s: '{% $states.context.Map.Item.Value.s %}', flag: '{% $states.context.Map.Item.Value.flag %}', nested: { k: '{% $string($v0) %}' }, f: '{% $states.context.Map.Item.Value.f %}', u: '{% $states.context.Map.Item.Value.u %}' } } : {}),
      Output: merged(p.key, '$states.result'),
    };
  }
  return {
    Type: 'Map',
    ItemsPath: '$.items',
    MaxConcurrency: concurrency,
    ItemProcessor: processor,
    ...(select ? { ItemSelector: { 'n.$': '$$.Map.Item.Index', 's.$': '$$.Map.Item.Value.s', 'flag.$': '$$.Map.Item.Value.flag', 'nested.$': '$$.Map.Item.Value.nested', 'f.$': '$$.Map.Item.Value.f', 'u.$': '$$.Map.Item.Value.u', 'outer.$': '$v0' } } : {}),
    ResultPath: `$.${p.key}`,
  };
}
