import * as sdk from '@aws-sdk/client-sfn';
import { errorMessage, raw, serve, type RawAnswer } from './helpers';
import { baseline, constraint, ENUM_ORDER, type Expected, hashMapOrder, longest, MAX_LISTED, matches, readRefusal, refName, service, shapeOf, validation } from './model-oracle';

/*
 * The malformed requests model-constraints.test.ts does not send, generated from the committed
 * extract of botocore's Step Functions model for every operation and every member, nested ones
 * and list members too:
 *
 * - each member sent as JSON null: a required one is refused as missing, an optional one is
 *   absent (the request is answered as the same request without it);
 * - each string member sent empty: refused for the constraints "" breaks (an enum, a pattern, a
 *   shortest length, in AWS's order), else passed to the operation as any value is;
 * - a member the model does not have, of each JSON type, in every structure: ignored, the request
 *   answered as without it;
 * - a value with quotes, a line break and characters outside ASCII: quoted as sent;
 * - a member of the third member of a list: named by its place (`tags.3.member.key`);
 * - every member of a request broken at once: one ValidationException that lists the first ten
 *   errors, a structure's members in the order of Java's HashMap of their names, and counts them;
 * - every member at every depth sent as each JSON type its shape does not take (a whole number, a
 *   decimal, true, false, a string, an object, an array): SerializationException in the words of
 *   AWS's reader;
 * - for every operation, a body that is JSON but not an object, a Content-Type no JSON protocol
 *   claims and an X-Amz-Target that names no operation, as AWS's JSON 1.0 services answer them.
 *
 * Refusals go through @aws-sdk/client-sfn and as raw HTTP; what only raw HTTP can send (a null, a
 * member the SDK does not know) goes as raw HTTP.
 */

/** A place in a request: a structure's member, or a list's member by its index from 0. */
type Step = string | number;

/** The path AWS writes for a place: `tags.3.member.key`. */
function pathOf(steps: readonly Step[]): string {
  return steps.map((s) => (typeof s === 'number' ? `${s + 1}.member` : s)).join('.');
}

const ABSENT = Symbol('absent');

/** The smallest request of `input` with the value at `steps` replaced (or removed); a list on the way holds as many members as the step needs. */
function build(input: string, steps: readonly Step[], value: unknown): Record<string, unknown> {
  const body = baseline(input) as Record<string, unknown>;
  let holder: Record<string | number, unknown> = body;
  let shape = shapeOf(input);
  steps.forEach((step, i) => {
    if (i === steps.length - 1) {
      if (value === ABSENT) delete holder[step];
      else holder[step] = value;
      return;
    }
    const childName = typeof step === 'number' ? shape.l! : refName(shape.m![step]);
    const child = shapeOf(childName);
    const next = steps[i + 1];
    const container = child.t === 'list' ? Array.from({ length: typeof next === 'number' ? next + 1 : 1 }, () => baseline(child.l!)) : baseline(childName);
    holder[step] = container;
    holder = container as Record<string | number, unknown>;
    shape = child;
  });
  return body;
}

/** Every member of every operation's input, nested ones too (a list's through its first member): where it is, and its shape. */
interface Place {
  readonly operation: string;
  readonly input: string;
  readonly steps: readonly Step[];
  readonly shape: string;
  readonly required: boolean;
}

function places(): Place[] {
  const out: Place[] = [];
  const walk = (operation: string, input: string, steps: readonly Step[], name: string): void => {
    const shape = shapeOf(name);
    if (shape.t === 'list') {
      // A list's member is never null (a list holds no null).
      out.push({ operation, input, steps: [...steps, 0], shape: shape.l!, required: true });
      walk(operation, input, [...steps, 0], shape.l!);
    }
    if (shape.t !== 'structure') return;
    for (const [member, ref] of Object.entries(shape.m ?? {})) {
      const memberSteps = [...steps, member];
      out.push({ operation, input, steps: memberSteps, shape: refName(ref), required: (shape.r ?? []).includes(member) });
      walk(operation, input, memberSteps, refName(ref));
    }
  };
  for (const [operation, [input]] of Object.entries(service.operations)) walk(operation, input!, [], input!);
  return out;
}

/** Every structure a request holds, top level included: where it is. */
function structures(): Array<{ readonly operation: string; readonly input: string; readonly steps: readonly Step[] }> {
  return [
    ...Object.entries(service.operations).map(([operation, [input]]) => ({ operation, input: input!, steps: [] as Step[] })),
    ...places().filter((p) => shapeOf(p.shape).t === 'structure'),
  ];
}

/** The errors "" gets as `name`, in AWS's order: its enum; else its pattern, then its shortest length. */
function emptyErrors(name: string, path: string): string[] {
  const shape = shapeOf(name);
  if (shape.e) return [constraint('', name, path, `satisfy enum value set: [${(ENUM_ORDER[name] ?? shape.e).join(', ')}]`)];
  const errors: string[] = [];
  if (shape.p !== undefined && !matches(shape.p, '')) errors.push(constraint('', name, path, `satisfy regular expression pattern: ${shape.p}`));
  if ((shape.n ?? 0) > 0) errors.push(constraint('', name, path, `have length greater than or equal to ${shape.n}`));
  return errors;
}

interface Case { readonly operation: string; readonly what: string; readonly body: Record<string, unknown>; readonly expected?: Expected }

/** Each member sent as null: a required one refused as missing; an optional one absent. */
const NULLS = places().map((p): Case & { readonly without: Record<string, unknown> } => ({
  operation: p.operation,
  what: `${pathOf(p.steps)} is null`,
  body: build(p.input, p.steps, null),
  without: build(p.input, p.steps, ABSENT),
  ...(p.required ? { expected: validation(constraint(undefined, p.shape, pathOf(p.steps), 'not be null')) } : {}),
}));

/** Each string member sent empty. */
const EMPTIES = places().filter((p) => shapeOf(p.shape).t === 'string').map((p): Case & { readonly path: string } => {
  const errors = emptyErrors(p.shape, pathOf(p.steps));
  return {
    operation: p.operation,
    path: pathOf(p.steps),
    what: `${pathOf(p.steps)} is ""`,
    body: build(p.input, p.steps, ''),
    ...(errors.length > 0 ? { expected: validation(...errors) } : {}),
  };
});

/** A member the model does not have, of each JSON type, in each structure of each request. */
const UNKNOWN_VALUES: readonly unknown[] = [{ a: [1, { b: null }] }, [1, 'x'], 'x', 5, 1.5, true, null];
const UNKNOWNS = structures().flatMap((s) => UNKNOWN_VALUES.map((value) => {
  const without = s.steps.length === 0
    ? baseline(s.input) as Record<string, unknown>
    : build(s.input, s.steps, baseline(structureAt(s.input, s.steps)));
  const body = structuredClone(without);
  let holder = body as Record<string | number, unknown>;
  for (const step of s.steps) holder = holder[step] as Record<string | number, unknown>;
  holder.notAMember = value;
  return { operation: s.operation, what: `${pathOf(s.steps) || 'the request'} has a member the model does not have, ${JSON.stringify(value)}`, without, body };
}));

/** The shape of the structure at `steps` of `input`. */
function structureAt(input: string, steps: readonly Step[]): string {
  let name = input;
  for (const step of steps) name = typeof step === 'number' ? shapeOf(name).l! : refName(shapeOf(name).m![step]);
  return name;
}

/** Each step into a list moved to its third member, or its last where it holds fewer (a route: the second). */
function laterMember(input: string, steps: readonly Step[]): Step[] {
  let name = input;
  return steps.map((step) => {
    const shape = shapeOf(name);
    if (typeof step === 'number') {
      name = shape.l!;
      return Math.min(2, (shape.x ?? 3) - 1);
    }
    name = refName(shape.m![step]);
    return step;
  });
}

/** A string in a list spoiled in a later member than the first: named by its place, `tags.3.member.key`. */
const THIRD = places().filter((p) => p.steps.includes(0) && shapeOf(p.shape).t === 'string' && emptyErrors(p.shape, '').length > 0).map((p): Case => {
  const steps = laterMember(p.input, p.steps);
  return { operation: p.operation, what: `${pathOf(steps)} is ""`, body: build(p.input, steps, ''), expected: validation(...emptyErrors(p.shape, pathOf(steps))) };
});

/** Characters a message quotes as sent: quotes, a line break, a tab, characters outside ASCII and outside the BMP. */
const AWKWARD = 'it\'s "x"\n\té 😀';

/** Each member whose value a refusal quotes (an enum's; a string's too long, of these characters), quoted as sent. */
const QUOTED = places().flatMap((p): Case[] => {
  const shape = shapeOf(p.shape);
  if (shape.t !== 'string' || shape.s) return [];
  const path = pathOf(p.steps);
  const what = (value: string): string => `${path} is ${JSON.stringify(value.slice(0, 40))}${value.length > 40 ? '…' : ''}`;
  if (shape.e !== undefined) {
    return [{
      operation: p.operation,
      what: what(AWKWARD),
      body: build(p.input, p.steps, AWKWARD),
      expected: validation(constraint(AWKWARD, p.shape, path, `satisfy enum value set: [${(ENUM_ORDER[p.shape] ?? shape.e).join(', ')}]`)),
    }];
  }
  if (shape.x === undefined || shape.x > 4096 || (shape.p !== undefined && !matches(shape.p, AWKWARD))) return [];
  // One past the longest, in characters as the model counts them: the character outside the BMP counts once.
  const long = AWKWARD + 'a'.repeat(shape.x + 1 - [...AWKWARD].length);
  return [{
    operation: p.operation,
    what: what(long),
    body: build(p.input, p.steps, long),
    expected: validation(constraint(long, p.shape, path, longest(p.shape, shape.x))),
  }];
});

/**
 * A value of `name` that breaks every constraint it can break without failing the read, and the
 * errors AWS lists for it, in its order: a structure's members in HashMap order, a list's size
 * before its members, an enum, a pattern, then a length. Undefined when nothing of it can be
 * broken (a boolean, a string of any length, a longest string past what a test should send).
 */
function broken(name: string, path: string): { readonly value: unknown; readonly errors: readonly string[] } | undefined {
  const shape = shapeOf(name);
  switch (shape.t) {
    case 'structure': {
      const value: Record<string, unknown> = {};
      const errors: string[] = [];
      const prefix = path === '' ? '' : `${path}.`;
      for (const member of hashMapOrder(Object.keys(shape.m ?? {}))) {
        const memberName = refName(shape.m![member]);
        const inner = broken(memberName, `${prefix}${member}`);
        if (inner !== undefined) {
          value[member] = inner.value;
          errors.push(...inner.errors);
        } else if ((shape.r ?? []).includes(member)) {
          errors.push(constraint(undefined, memberName, `${prefix}${member}`, 'not be null'));
        }
      }
      return errors.length > 0 ? { value, errors } : undefined;
    }
    case 'list': {
      if ((shape.n ?? 0) > 0) return { value: [], errors: [constraint([], name, path, `have length greater than or equal to ${shape.n}`)] };
      const inner = broken(shape.l!, `${path}.1.member`);
      return inner === undefined ? undefined : { value: [inner.value], errors: inner.errors };
    }
    case 'string': {
      const errors = emptyErrors(name, path);
      if (errors.length > 0) return { value: '', errors };
      if (shape.x !== undefined && shape.x <= 4096) {
        const long = 'a'.repeat(shape.x + 1);
        return { value: long, errors: [constraint(long, name, path, longest(name, shape.x))] };
      }
      return undefined;
    }
    case 'integer':
    case 'long':
    case 'float':
      if (shape.n !== undefined) return { value: shape.n - 1, errors: [constraint(shape.n - 1, name, path, `have value greater than or equal to ${shape.n}`)] };
      if (shape.x !== undefined) return { value: shape.x + 1, errors: [constraint(shape.x + 1, name, path, `have value less than or equal to ${shape.x}`)] };
      return undefined;
    default:
      return undefined;
  }
}

/** Each operation's request with every member broken that can be. */
const ALL_BROKEN = Object.entries(service.operations).flatMap(([operation, [input]]): Array<Case & { readonly count: number }> => {
  const all = broken(input!, '');
  if (all === undefined) return [];
  return [{ operation, what: `${all.errors.length} constraints broken at once`, body: all.value as Record<string, unknown>, expected: validation(...all.errors), count: all.errors.length }];
});

/** A value of each JSON type, to send where the model has a shape that takes another. */
const JSON_TYPES: ReadonlyArray<readonly [kind: string, value: unknown]> = [
  ['a whole number', 5], ['a decimal', 1.5], ['true', true], ['false', false], ['a string', 'x'],
  ['an object', {}], ['an object with a member', { key: 'k' }], ['an array', []], ['an array of a string', ['x']],
];

/** Each member, at every depth, sent as each JSON type its shape does not take: refused as AWS's reader refuses it. */
const WRONG_TYPES = places().flatMap((p) => JSON_TYPES.flatMap(([kind, value]): Case[] => {
  const expected = readRefusal(p.shape, value, typeof p.steps[p.steps.length - 1] === 'number');
  return expected === undefined ? [] : [{ operation: p.operation, what: `${pathOf(p.steps)} is ${kind}`, body: build(p.input, p.steps, value), expected }];
}));

const REFUSED: readonly Case[] = [...NULLS, ...EMPTIES, ...THIRD, ...QUOTED, ...ALL_BROKEN, ...WRONG_TYPES].filter((c) => c.expected !== undefined);
/**
 * What the SDK sends as given: no null (it leaves nulls out), and no array where a structure is
 * (its serializer picks a structure's members out of what it is given, and sends an array as `{}`).
 */
const THROUGH_SDK = [...EMPTIES, ...THIRD, ...QUOTED, ...ALL_BROKEN, ...WRONG_TYPES.filter((c) => !c.expected!.message.startsWith('Unrecognized collection type class com.'))]
  .filter((c) => c.expected !== undefined);

/** An answer to compare: its status, and an error's type and words. */
function outcome(answer: RawAnswer): { status: number; type?: string; message?: unknown } {
  return answer.status === 200 ? { status: 200 } : { status: answer.status, type: String(answer.body.__type).replace(/^.*#/, ''), message: errorMessage(answer.body) };
}

describe('serve: malformed requests generated from botocore\'s Step Functions model, answered as AWS answers them', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  const send = (operation: string, body: string): Promise<RawAnswer> => raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body });
  beforeAll(async () => { env = await serve(); });
  afterAll(() => env.stop());

  it('sweeps every operation and every member, nested ones too', () => {
    expect(new Set(NULLS.map((c) => c.operation)).size).toBe(37);
    expect(new Set(UNKNOWNS.map((c) => c.operation)).size).toBe(37);
    for (const path of ['tags.1.member.key', 'loggingConfiguration.destinations.1.member.cloudWatchLogsLogGroup.logGroupArn', 'tracingConfiguration.enabled',
      'encryptionConfiguration.kmsDataKeyReusePeriodSeconds', 'routingConfiguration.1.member.weight', 'stateConfiguration.mapItemReaderData', 'mock.errorOutput.cause']) {
      expect(NULLS.some((c) => c.what === `${path} is null`)).toBe(true);
    }
    expect(THIRD.map((c) => c.what)).toEqual(expect.arrayContaining(['tags.3.member.key is ""', 'routingConfiguration.2.member.stateMachineVersionArn is ""', 'tagKeys.3.member is ""']));
    // CreateStateMachine breaks more than ten: the first ten are listed and counted.
    expect(ALL_BROKEN.some((c) => c.count > MAX_LISTED)).toBe(true);
    expect(ALL_BROKEN.filter((c) => c.count > 1).length).toBeGreaterThan(20);
    expect(REFUSED.length + UNKNOWNS.length + NULLS.length).toBeGreaterThan(700);
    // Each JSON type a shape does not take, at every place: each kind of the reader's refusal.
    for (const message of ['NUMBER_VALUE cannot be converted to String', 'DECIMAL_VALUE cannot be converted to String', 'FALSE_VALUE cannot be converted to Integer',
      'STRING_VALUE cannot be converted to Float', 'NUMBER_VALUE cannot be converted to Boolean', 'Unexpected token received from parser', 'Unexpected field type',
      'Unexpected value type in payload', 'Start of structure or map found where not expected', 'Unrecognized collection type class java.lang.Long',
      'Unrecognized collection type class com.amazonaws.swf.service.v2.model.Tag']) {
      expect(WRONG_TYPES.some((c) => c.expected!.message === message)).toBe(true);
    }
  });

  it.each(REFUSED.map((c) => [c.operation, c.what, c] as const))('%s: %s is refused as AWS refuses it, by raw HTTP', async (operation, _what, c) => {
    expect(outcome(await send(operation, JSON.stringify(c.body)))).toEqual({ status: 400, ...c.expected });
  });

  it.each(THROUGH_SDK.map((c) => [c.operation, c.what, c] as const))('%s: %s is refused as AWS refuses it, through the SDK', async (operation, _what, c) => {
    const Command = (sdk as unknown as Record<string, new (input: unknown) => sdk.StartExecutionCommand>)[`${operation}Command`];
    const e = await env.sfn.send(new Command(c.body) as never).then(() => undefined, (x: unknown) => x as Error);
    expect(e === undefined ? undefined : { type: e.name, message: e.message }).toEqual(c.expected);
  });

  it.each(NULLS.filter((c) => c.expected === undefined).map((c) => [c.operation, c.what, c] as const))('%s: %s is answered as the request without it', async (operation, _what, c) => {
    // The request without it first: what it creates, the request with the null finds as it would again.
    const without = outcome(await send(operation, JSON.stringify(c.without)));
    expect(outcome(await send(operation, JSON.stringify(c.body)))).toEqual(without);
  });

  it.each(EMPTIES.filter((c) => c.expected === undefined).map((c) => [c.operation, c.what, c] as const))('%s: %s passes the model\'s checks', async (operation, _what, c) => {
    const answer = outcome(await send(operation, JSON.stringify(c.body)));
    expect(answer.type).not.toBe('SerializationException');
    expect(String(answer.message)).not.toContain(`at '${c.path}'`);
  });

  it.each(UNKNOWNS.map((c) => [c.operation, c.what, c] as const))('%s: %s, ignored', async (operation, _what, c) => {
    expect(JSON.stringify(c.body)).toContain('"notAMember":');
    const without = outcome(await send(operation, JSON.stringify(c.without)));
    expect(outcome(await send(operation, JSON.stringify(c.body)))).toEqual(without);
  });
});

/*
 * For every operation of the model, what AWS's JSON 1.0 services answer before a request's members
 * are read (their answers recorded in dynalite's and kinesalite's suites, docs/serve.md): a body
 * that is JSON but not an object is SerializationException, in the framework's namespace with its
 * words as `Message`; a Content-Type no JSON protocol claims is 404 `<UnknownOperationException/>`
 * with no JSON; a target that names no operation of the service (its case changed, without the
 * service's prefix, with more after it) is UnknownOperationException, its type alone.
 */
const OPERATIONS = Object.keys(service.operations);
const NOT_OBJECTS = ['[]', '[{}]', '"{}"', '0', 'true', 'null'];
const UNCLAIMED_TYPES = ['application/x-amz-json-1.1', 'text/plain', 'application/x-www-form-urlencoded', 'application/cbor'];
const OTHER_TARGETS = (operation: string): string[] => [
  `AWSStepFunctions.${operation.toLowerCase()}`, operation, `AWSStepFunctions.${operation}.`, `AWSStepFunctions.${operation}Command`, `awsstepfunctions.${operation}`,
];

describe('serve: the AWS JSON 1.0 protocol\'s refusals, for every operation of the model', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve(); });
  afterAll(() => env.stop());

  it('has all 37 operations', () => {
    expect(OPERATIONS).toHaveLength(37);
  });

  it.each(OPERATIONS.flatMap((op) => NOT_OBJECTS.map((body) => [op, body] as const)))('%s: a body %s that is not a JSON object is SerializationException', async (operation, body) => {
    const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body });
    expect({ status: answer.status, type: answer.body.__type, words: typeof answer.body.Message, header: answer.headers['x-amzn-errortype'] }).toEqual({
      status: 400, type: 'com.amazon.coral.service#SerializationException', words: 'string', header: 'SerializationException:http://internal.amazon.com/coral/com.amazon.coral.service/',
    });
  });

  it.each(OPERATIONS.flatMap((op) => UNCLAIMED_TYPES.map((type) => [op, type] as const)))('%s: a body sent as %s is 404 <UnknownOperationException/>', async (operation, type) => {
    const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: '{}', headers: { 'content-type': type } });
    expect({ status: answer.status, text: answer.body, type: answer.headers['content-type'] }).toEqual({ status: 404, text: '<UnknownOperationException/>\n', type: undefined });
  });

  it.each(OPERATIONS.flatMap((op) => OTHER_TARGETS(op).map((target) => [op, target] as const)))('%s: the target %s names no operation: UnknownOperationException', async (_operation, target) => {
    const answer = await raw(env.server.endpoint, { target, body: '{}' });
    // The type alone, as AWS's framework answers it (dynalite's and kinesalite's suites, test/connection.js).
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 400, body: { __type: 'com.amazon.coral.service#UnknownOperationException' } });
  });
});

