import * as sdk from '@aws-sdk/client-sfn';
import { errorMessage, raw, serve } from './helpers';
import { baseline, constraint, ENUM_ORDER, type Expected, JAVA, longest, matches, refName, service, shapeOf, text, UTF8_SIZED, validation } from './model-oracle';

/*
 * Every constraint botocore's Step Functions model puts on a request, one case each, generated
 * here from the committed extract of the model (not from serve's generated table): each required
 * member missing, each string, number and list one past each bound, each enum value outside its
 * set, each pattern broken, and each member (and list member) of the wrong JSON type, at every
 * depth. Each case is the smallest request the model takes with one member spoiled, so the answer
 * is that one error, in AWS's words; it is sent through @aws-sdk/client-sfn (which validates
 * nothing on the client) and as raw HTTP, and both must answer it. Each request at a bound
 * (exactly the longest, the shortest, the largest) must pass the model's checks.
 */

/** A character outside the Basic Multilingual Plane: one Unicode scalar value, two UTF-16 units. */
const ASTRAL = '\u{1F600}';

interface Case {
  readonly operation: string;
  readonly path: string;
  readonly what: string;
  readonly body: Record<string, unknown>;
  readonly expected?: Expected;
  /** Where the value spoiled is, and what it was spoiled with: a member's own case only. */
  readonly spoiled?: { readonly input: string; readonly steps: readonly Step[]; readonly shape: string; readonly value: unknown };
}

/** A step from a shape into one of its values: a structure's member, or (0) a list's first member. */
type Step = string | 0;

/** The path AWS writes for a member reached by these steps: `tags.1.member.key`. */
function pathOf(steps: readonly Step[]): string {
  return steps.map((s) => (s === 0 ? '1.member' : s)).join('.');
}

/** Removes the member a request is built without. */
const ABSENT = Symbol('absent');

/**
 * The smallest request of `input` with the value at `steps` replaced: each structure and list on
 * the way is the smallest the model takes (a list with one member).
 */
function build(input: string, steps: readonly Step[], value: unknown): Record<string, unknown> {
  const body = baseline(input) as Record<string, unknown>;
  let holder: Record<string | number, unknown> = body;
  let shape = shapeOf(input);
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    const childName = step === 0 ? shape.l! : refName(shape.m![step]);
    if (last) {
      if (value === ABSENT) delete holder[step];
      else holder[step] = value;
      return;
    }
    const child = shapeOf(childName);
    const container = child.t === 'list' ? [baseline(child.l!)] : baseline(childName);
    holder[step] = container;
    holder = container as Record<string | number, unknown>;
    shape = child;
  });
  return body;
}

/** The cases of the shape `name` reached by `steps` from operation's input: its own constraints, then its members'. */
function casesOf(operation: string, input: string, steps: readonly Step[], name: string, out: Case[]): void {
  const shape = shapeOf(name);
  const path = pathOf(steps);
  const add = (what: string, value: unknown, expected?: Expected): void => {
    out.push({ operation, path, what: `${path} ${what}`, body: build(input, steps, value), ...(expected ? { expected } : {}), spoiled: { input, steps, shape: name, value } });
  };
  const serialization = (message: string): Expected => ({ type: 'SerializationException', message });
  switch (shape.t) {
    case 'string': {
      add('is a number', 5, serialization('NUMBER_VALUE cannot be converted to String'));
      if (shape.e) {
        add('is outside its enum', 'NOT_A_VALUE', validation(constraint('NOT_A_VALUE', name, path, `satisfy enum value set: [${(ENUM_ORDER[name] ?? shape.e).join(', ')}]`)));
        return;
      }
      if (shape.x !== undefined) {
        add(`has ${shape.x} characters`, text(shape.x));
        add(`has ${shape.x + 1} characters`, text(shape.x + 1), validation(constraint(text(shape.x + 1), name, path, longest(name, shape.x))));
        if (UTF8_SIZED.has(name)) {
          // Counted in bytes of UTF-8: characters of two bytes reach the bound at half as many.
          add(`has ${shape.x / 2} characters of two bytes each`, 'é'.repeat(shape.x / 2));
          add(`has ${shape.x / 2} characters of two bytes each and one more`, `${'é'.repeat(shape.x / 2)}a`,
            validation(constraint(`${'é'.repeat(shape.x / 2)}a`, name, path, longest(name, shape.x))));
        }
        // The length trait counts Unicode scalar values: a character of two UTF-16 units counts once.
        if (shape.p === undefined && shape.x <= 100_000) {
          add(`has ${shape.x} characters of two UTF-16 units each`, ASTRAL.repeat(shape.x));
          add(`has ${shape.x + 1} characters of two UTF-16 units each`, ASTRAL.repeat(shape.x + 1),
            validation(constraint(ASTRAL.repeat(shape.x + 1), name, path, `have length less than or equal to ${shape.x}`)));
        }
      }
      if (shape.n !== undefined && shape.n > 0) {
        const short = text(shape.n - 1);
        const errors = [constraint(short, name, path, `have length greater than or equal to ${shape.n}`)];
        // A value that breaks the pattern too is refused for both, the pattern first.
        if (shape.p !== undefined && !matches(shape.p, short)) errors.unshift(constraint(short, name, path, `satisfy regular expression pattern: ${shape.p}`));
        add(`has ${shape.n - 1} characters`, short, validation(...errors));
      }
      if (shape.p !== undefined) {
        const bad = ['123', ' ', 'é', '!'].find((v) => !matches(shape.p!, v) && v.length >= (shape.n ?? 0) && v.length <= (shape.x ?? Infinity));
        if (bad === undefined) throw new Error(`no value breaks the pattern of ${name}`);
        add(`breaks its pattern with '${bad}'`, bad, validation(constraint(bad, name, path, `satisfy regular expression pattern: ${shape.p}`)));
      }
      return;
    }
    case 'integer':
    case 'long':
    case 'float':
      add('is a string', '1', serialization(`STRING_VALUE cannot be converted to ${JAVA[shape.t]}`));
      add('is a boolean', true, serialization(`TRUE_VALUE cannot be converted to ${JAVA[shape.t]}`));
      if (shape.x !== undefined) {
        add(`is ${shape.x}`, shape.x);
        add(`is ${shape.x + 1}`, shape.x + 1, validation(constraint(shape.x + 1, name, path, `have value less than or equal to ${shape.x}`)));
      }
      if (shape.n !== undefined) {
        add(`is ${shape.n}`, shape.n);
        add(`is ${shape.n - 1}`, shape.n - 1, validation(constraint(shape.n - 1, name, path, `have value greater than or equal to ${shape.n}`)));
      }
      if (shape.t !== 'float') {
        // AWS's reader truncates a number into an integer member, and reads one past Java's range as its end.
        const [low, high] = shape.t === 'integer' ? [-(2 ** 31), 2 ** 31 - 1] : [-(2 ** 63), 2 ** 63];
        if (shape.x !== undefined) {
          add(`is ${shape.x}.5, read as ${shape.x}`, shape.x + 0.5);
          add(`is ${shape.x + 1}.5, read as ${shape.x + 1}`, shape.x + 1.5, validation(constraint(shape.x + 1, name, path, `have value less than or equal to ${shape.x}`)));
          if (shape.t === 'integer') add('is 2^31, read as 2147483647', 2 ** 31, validation(constraint(high, name, path, `have value less than or equal to ${shape.x}`)));
        } else {
          add('is 1e300, read as the largest of its type', 1e300);
        }
        if (shape.n !== undefined) {
          add(`is ${shape.n}.5, read as ${shape.n}`, shape.n + 0.5);
          add('is -1e300, read as the smallest of its type', -1e300, validation(constraint(low, name, path, `have value greater than or equal to ${shape.n}`)));
        }
      }
      return;
    case 'boolean':
      // Recorded for DynamoDB's boolean members: '23', 23; the words its reader takes pass.
      add('is a string', '23', serialization('Unexpected token received from parser'));
      add('is a number', 23, serialization('NUMBER_VALUE cannot be converted to Boolean'));
      add('is the string "TRUE"', 'TRUE');
      add('is the string "false"', 'false');
      return;
    case 'list': {
      add('is a string', 'x', serialization('Unexpected field type'));
      const many = (n: number): unknown[] => Array.from({ length: n }, () => baseline(shape.l!));
      if (shape.x !== undefined) add(`has ${shape.x + 1} members`, many(shape.x + 1), validation(constraint(many(shape.x + 1), name, path, `have length less than or equal to ${shape.x}`)));
      if (shape.n !== undefined && shape.n > 0) add(`has ${shape.n - 1} members`, many(shape.n - 1), validation(constraint(many(shape.n - 1), name, path, `have length greater than or equal to ${shape.n}`)));
      add('has a null member', [null], validation(constraint(undefined, shape.l!, pathOf([...steps, 0]), 'not be null')));
      if (shapeOf(shape.l!).t === 'structure') add('has a member that is a string', ['x'], serialization('Unexpected value type in payload'));
      casesOf(operation, input, [...steps, 0], shape.l!, out);
      return;
    }
    case 'structure': {
      // A list's member is a value to the reader, a structure's member a field.
      if (steps.length > 0 && steps[steps.length - 1] !== 0) add('is a string', 'x', serialization('Unexpected field type'));
      for (const [member, ref] of Object.entries(shape.m ?? {})) {
        const memberSteps = [...steps, member];
        if ((shape.r ?? []).includes(member)) {
          out.push({
            operation,
            path: pathOf(memberSteps),
            what: `${pathOf(memberSteps)} is missing`,
            body: build(input, memberSteps, ABSENT),
            expected: validation(constraint(undefined, refName(ref), pathOf(memberSteps), 'not be null')),
          });
        }
        casesOf(operation, input, memberSteps, refName(ref), out);
      }
      return;
    }
    default:
      throw new Error(`no cases for a ${shape.t} (${name})`);
  }
}

function allCases(): Case[] {
  const out: Case[] = [];
  for (const [operation, [input]] of Object.entries(service.operations)) {
    casesOf(operation, input!, [], input!, out);
  }
  return out;
}

const CASES = allCases();
const REFUSED = CASES.filter((c) => c.expected !== undefined);
/** The SDK leaves a null out of a list: a list with a null member goes as raw HTTP only. */
const THROUGH_SDK = REFUSED.filter((c) => !c.what.endsWith('has a null member'));
const AT_BOUNDS = CASES.filter((c) => c.expected === undefined);

/**
 * Each structure's member of the wrong JSON type sent again, after it, with a value of its shape:
 * AWS's reader (Jackson's streaming parser) reads both in the order sent, so the first fails the
 * read as it would alone, where JSON.parse keeps only the last.
 */
const MARKER = 'repeated-member-marker';
const REPEATED = REFUSED.flatMap((c) => {
  const at = c.spoiled;
  const key = at?.steps[at.steps.length - 1];
  if (at === undefined || c.expected!.type !== 'SerializationException' || typeof key !== 'string') return [];
  const body = JSON.stringify(build(at.input, at.steps, MARKER))
    .replace(`"${key}":"${MARKER}"`, `"${key}":${JSON.stringify(at.value)},"${key}":${JSON.stringify(baseline(at.shape))}`);
  return [{ ...c, what: `${c.what}, then again of its type`, text: body, twice: `"${key}":${JSON.stringify(at.value)},"${key}":` }];
});

/**
 * Each member refused for a whole number (NUMBER_VALUE) sent again with that number spelled as a
 * decimal, `5.0` and `5e0`: AWS's reader names a number's token by its spelling (Jackson's float
 * token), DECIMAL_VALUE, where JSON.parse reads both as 5. Raw HTTP only: the SDK writes 5.
 */
const DECIMAL_SPELLED = REFUSED.flatMap((c) => {
  const at = c.spoiled;
  if (at === undefined || typeof at.value !== 'number' || !c.expected!.message.startsWith('NUMBER_VALUE ')) return [];
  const body = JSON.stringify(build(at.input, at.steps, MARKER));
  return [`${at.value}.0`, `${at.value}e0`].map((spelled) => ({
    ...c,
    what: `${c.what}, spelled ${spelled}`,
    text: body.replace(`"${MARKER}"`, spelled),
    expected: { ...c.expected!, message: c.expected!.message.replace('NUMBER_VALUE', 'DECIMAL_VALUE') },
  }));
});

describe('serve: every constraint of botocore\'s Step Functions model, through the SDK and raw HTTP', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let sent: unknown;
  beforeAll(async () => {
    env = await serve();
    // What the SDK put on the wire: the same body the raw door sends.
    env.sfn.middlewareStack.add((next) => async (args) => {
      const body = (args.request as { body?: unknown }).body;
      sent = body === undefined ? undefined : JSON.parse(typeof body === 'string' ? body : Buffer.from(body as Uint8Array).toString('utf8'));
      return next(args);
    }, { step: 'finalizeRequest', name: 'captureBody' });
  });
  afterAll(() => env.stop());

  it('has a case for each of the 37 operations, and each kind of constraint', () => {
    expect(new Set(CASES.map((c) => c.operation)).size).toBe(37);
    expect(REFUSED.length).toBeGreaterThan(300);
    expect(REPEATED.length).toBeGreaterThan(100);
    expect(DECIMAL_SPELLED.length).toBeGreaterThan(200);
    expect(CASES.filter((c) => c.what.includes('two UTF-16 units')).length).toBeGreaterThan(20);
    for (const kind of ['is missing', 'characters', 'enum', 'pattern', 'members', 'is a number', 'is a string', 'null member']) {
      expect(REFUSED.some((c) => c.what.includes(kind))).toBe(true);
    }
  });

  it.each(REFUSED.map((c) => [c.operation, c.what, c] as const))('%s: %s is refused as AWS refuses it, by raw HTTP', async (operation, _what, c) => {
    const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify(c.body) });
    expect({ status: answer.status, type: String(answer.body.__type).replace(/^.*#/, ''), message: errorMessage(answer.body) })
      .toEqual({ status: 400, ...c.expected });
  });

  it.each(REPEATED.map((c) => [c.operation, c.what, c] as const))('%s: %s is refused for the first, by raw HTTP', async (operation, _what, c) => {
    expect(c.text).toContain(c.twice);
    const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: c.text });
    expect({ status: answer.status, type: String(answer.body.__type).replace(/^.*#/, ''), message: errorMessage(answer.body) })
      .toEqual({ status: 400, ...c.expected });
  });

  it.each(DECIMAL_SPELLED.map((c) => [c.operation, c.what, c] as const))('%s: %s is refused for a decimal\'s token, by raw HTTP', async (operation, _what, c) => {
    expect(c.text).not.toContain(MARKER);
    const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: c.text });
    expect({ status: answer.status, type: String(answer.body.__type).replace(/^.*#/, ''), message: errorMessage(answer.body) })
      .toEqual({ status: 400, ...c.expected });
  });

  it.each(THROUGH_SDK.map((c) => [c.operation, c.what, c] as const))('%s: %s is refused as AWS refuses it, through the SDK', async (operation, _what, c) => {
    const Command = (sdk as unknown as Record<string, new (input: unknown) => sdk.StartExecutionCommand>)[`${operation}Command`];
    sent = undefined;
    const e = await env.sfn.send(new Command(c.body) as never).then(() => undefined, (x: unknown) => x as Error);
    expect(sent).toEqual(c.body);
    expect(e === undefined ? undefined : { type: e.name, message: e.message }).toEqual(c.expected);
  });

  it.each(AT_BOUNDS.map((c) => [c.operation, c.what, c] as const))('%s: %s passes the model\'s checks', async (operation, _what, c) => {
    const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify(c.body) });
    const type = answer.status === 200 ? 'none' : String(answer.body.__type).replace(/^.*#/, '');
    expect(type).not.toBe('SerializationException');
    // Refused, if at all, for something else: an operation's own check, a lookup, another member the smallest request leaves out.
    expect(String(errorMessage(answer.body))).not.toContain(`at '${c.path}'`);
  });
});

/*
 * Every ARN a request names, from the model's members of shape Arn and LongArn (but a log group's,
 * which names CloudWatch Logs): an ARN of a partition AWS does not have, of another service, of
 * another Step Functions resource, and text that is no ARN are InvalidArn, checked before anything
 * is looked up, in AWS's words where they are recorded ('Invalid ARN prefix', 'Resource type not
 * valid in this context').
 */
const ACCOUNT = 'us-east-1:123456789012';
/** An ARN of the kind each member names, of nothing that exists. */
const WELL_FORMED: Readonly<Record<string, string>> = {
  stateMachineArn: `arn:aws:states:${ACCOUNT}:stateMachine:none`,
  executionArn: `arn:aws:states:${ACCOUNT}:execution:none:none`,
  activityArn: `arn:aws:states:${ACCOUNT}:activity:none`,
  mapRunArn: `arn:aws:states:${ACCOUNT}:mapRun:none/Map:x`,
  stateMachineVersionArn: `arn:aws:states:${ACCOUNT}:stateMachine:none:1`,
  stateMachineAliasArn: `arn:aws:states:${ACCOUNT}:stateMachine:none:live`,
  resourceArn: `arn:aws:states:${ACCOUNT}:stateMachine:none`,
  roleArn: 'arn:aws:iam::123456789012:role/none',
};

interface ArnCase { readonly operation: string; readonly what: string; readonly body: Record<string, unknown>; readonly message?: string }

function arnCases(): ArnCase[] {
  const out: ArnCase[] = [];
  const walk = (operation: string, input: string, steps: readonly Step[], name: string): void => {
    const shape = shapeOf(name);
    if (shape.t === 'list') walk(operation, input, [...steps, 0], shape.l!);
    if (shape.t !== 'structure') return;
    for (const [member, ref] of Object.entries(shape.m ?? {})) {
      const memberSteps = [...steps, member];
      if (!['Arn', 'LongArn'].includes(refName(ref)) || member === 'logGroupArn') {
        walk(operation, input, memberSteps, refName(ref));
        continue;
      }
      const good = WELL_FORMED[member];
      if (good === undefined) throw new Error(`no well-formed ARN for ${member}`);
      const spoiled = (arn: string): Record<string, unknown> => {
        const body = build(input, memberSteps, arn);
        // The request's other ARNs well formed, so the one spoiled is the one refused.
        for (const [m, arnOf] of Object.entries(WELL_FORMED)) if (m !== member && typeof body[m] === 'string') body[m] = arnOf;
        if (Array.isArray(body.routingConfiguration) && member !== 'stateMachineVersionArn') body.routingConfiguration = [{ stateMachineVersionArn: WELL_FORMED.stateMachineVersionArn, weight: 100 }];
        return body;
      };
      const path = pathOf(memberSteps);
      const iam = member === 'roleArn';
      const foreign = iam ? good.replace(':iam::', ':sts::') : good.replace(':states:', ':lambda:');
      const otherType = iam ? 'arn:aws:iam::123456789012:user/none' : member === 'activityArn' ? WELL_FORMED.stateMachineArn : member === 'resourceArn' ? WELL_FORMED.executionArn : WELL_FORMED.activityArn;
      const typeOf = (arn: string): string => arn.split(':')[5];
      out.push(
        { operation, what: `${path} of an unknown partition`, body: spoiled(good.replace('arn:aws:', 'arn:aws-foo:')), ...(iam ? {} : { message: `Invalid Arn: '${good.replace('arn:aws:', 'arn:aws-foo:')}'` }) },
        { operation, what: `${path} of another service`, body: spoiled(foreign), ...(iam ? {} : { message: `Invalid Arn: '${foreign}'` }) },
        { operation, what: `${path} of another resource type`, body: spoiled(otherType), ...(iam ? {} : { message: `Invalid Arn: 'Resource type not valid in this context: ${typeOf(otherType)}'` }) },
        { operation, what: `${path} that is no ARN`, body: spoiled('not-an-arn'), ...(iam ? {} : { message: "Invalid Arn: 'Invalid ARN prefix: not-an-arn'" }) },
      );
    }
  };
  for (const [operation, [input]] of Object.entries(service.operations)) walk(operation, input!, [], input!);
  return out;
}

const ARN_CASES = arnCases();

describe('serve: every ARN member of the model refuses an ARN that is not of its kind with InvalidArn, before any lookup', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve(); });
  afterAll(() => env.stop());

  it('covers the ARN members of every operation that takes one, TagResource, UntagResource and ListTagsForResource among them', () => {
    const operations = new Set(ARN_CASES.map((c) => c.operation));
    // All but the seven that name no ARN: CreateActivity, ListActivities, ListStateMachines, the three SendTask* and ValidateStateMachineDefinition.
    expect(operations.size).toBe(30);
    for (const op of ['TagResource', 'UntagResource', 'ListTagsForResource', 'DeleteStateMachine', 'DeleteActivity', 'DeleteStateMachineAlias', 'DeleteStateMachineVersion']) expect(operations).toContain(op);
  });

  it.each(ARN_CASES.map((c) => [c.operation, c.what, c] as const))('%s: %s is InvalidArn', async (operation, _what, c) => {
    const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify(c.body) });
    expect(answer.status).toBe(400);
    expect(String(answer.body.__type).replace(/^.*#/, '')).toBe('InvalidArn');
    if (c.message !== undefined) expect(errorMessage(answer.body)).toBe(c.message);
  });
});
