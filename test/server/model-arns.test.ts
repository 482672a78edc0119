import * as sdk from '@aws-sdk/client-sfn';
import { asl, PASS, raw, ROLE, serve } from './helpers';
import { baseline, refName, service, shapeOf } from './model-oracle';

/*
 * Every member of every operation of botocore's Step Functions model that names a resource by its
 * ARN (the members named `…Arn`, nested ones too: a state machine, version, alias, execution,
 * activity, Map Run, role or log group), sent each ARN a client can get wrong: no ARN, another
 * service's, a partition AWS does not have, each Step Functions resource type, a Distributed Map's
 * children's state machine (`<machine>/<label>`), another region's and account's. Generated from
 * the committed extract of the model, so a member the model adds is swept too.
 *
 * - Every answer is one the operation declares in the model (or the framework's ValidationException),
 *   never a fault or an error the SDK cannot name.
 * - What is not a Step Functions ARN, where a Step Functions resource is named, is InvalidArn ("The
 *   provided Amazon Resource Name (ARN) is not valid", each operation's errors in the API reference).
 * - A Step Functions ARN of a resource type the member never names is InvalidArn in AWS's words,
 *   `Invalid Arn: 'Resource type not valid in this context: execution'` (recorded: AWS's answer to
 *   StartExecution of an execution's ARN, quoted in a user's test, aws-samples' landing zone).
 * - A role's member given anything but an IAM role's ARN is `Invalid Role Arn: '<arn>'` (recorded:
 *   src/server/arns.ts, checkRoleArn).
 * - `<machine>/<label>` is ValidationException where the operation's page says so ("If you provide a
 *   qualified state machine ARN that refers to a Distributed Map state, the request fails with
 *   ValidationException": DescribeStateMachine, StartExecution, UpdateStateMachine, DeleteStateMachine).
 */

const A = 'arn:aws:states:us-east-1:123456789012:';

/** The ARNs sent, by kind: a Step Functions resource's kind is its resource type. */
const ARNS: Readonly<Record<string, string>> = {
  'no ARN': 'bad',
  'an upper-case ARN': 'ARN:aws:states:us-east-1:123456789012:stateMachine:m',
  'a Lambda function': 'arn:aws:lambda:us-east-1:123456789012:function:f',
  'an IAM role': ROLE,
  'a partition AWS does not have': 'arn:xx:states:us-east-1:123456789012:stateMachine:m',
  'stateMachine': `${A}stateMachine:m`,
  'stateMachine version': `${A}stateMachine:m:1`,
  'stateMachine alias': `${A}stateMachine:m:live`,
  'stateMachine of a Map': `${A}stateMachine:m/Batch`,
  'execution': `${A}execution:m:e`,
  'express': `${A}express:m:e:f`,
  'mapRun': `${A}mapRun:m/Batch:r`,
  'activity': `${A}activity:act`,
  'another region': 'arn:aws:states:eu-west-1:123456789012:stateMachine:m',
  'another account': 'arn:aws:states:us-east-1:999999999999:stateMachine:m',
  'another partition': 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:m',
};
const NOT_STEP_FUNCTIONS = ['no ARN', 'an upper-case ARN', 'a Lambda function', 'an IAM role', 'a partition AWS does not have'];
const TYPES = ['stateMachine', 'execution', 'express', 'mapRun', 'activity'];

/** The Step Functions resource types each member names; a member not here is checked for its declared errors only. */
const NAMES: Readonly<Record<string, readonly string[]>> = {
  stateMachineArn: ['stateMachine'],
  stateMachineAliasArn: ['stateMachine'],
  stateMachineVersionArn: ['stateMachine'],
  executionArn: ['execution', 'express'],
  activityArn: ['activity'],
  mapRunArn: ['mapRun'],
  resourceArn: ['stateMachine', 'activity'],
};

/** What the fixtures make, by the member that names it. */
const MADE: Readonly<Record<string, string>> = { roleArn: ROLE, stateMachineArn: `${A}stateMachine:m`, stateMachineAliasArn: `${A}stateMachine:m:live` };

/** An ARN member's place in a request: its steps from the input (a list's member by its index). */
interface Place { readonly operation: string; readonly input: string; readonly steps: ReadonlyArray<string | number>; readonly member: string }

function places(): Place[] {
  const out: Place[] = [];
  const walk = (operation: string, input: string, steps: ReadonlyArray<string | number>, name: string, depth: number): void => {
    const shape = shapeOf(name);
    if (depth > 8) return;
    if (shape.t === 'list') walk(operation, input, [...steps, 0], shape.l!, depth + 1);
    if (shape.t !== 'structure') return;
    for (const [member, ref] of Object.entries(shape.m ?? {})) {
      const child = refName(ref);
      if (shapeOf(child).t === 'string' && /Arn$/.test(member)) out.push({ operation, input, steps: [...steps, member], member });
      walk(operation, input, [...steps, member], child, depth + 1);
    }
  };
  for (const [operation, [input]] of Object.entries(service.operations)) walk(operation, input!, [], input!, 0);
  return out;
}

/** The smallest request of the place's input with `value` at the place, each structure and list on the way at its smallest. */
function build(place: Place, value: string): Record<string, unknown> {
  const body = baseline(place.input) as Record<string, unknown>;
  // Another ARN member the request needs names what the fixtures made, so that the one swept is the one refused.
  for (const [member, arn] of Object.entries(MADE)) if (place.steps[0] !== member && member in body) body[member] = arn;
  let holder = body as Record<string | number, unknown>;
  let shape = shapeOf(place.input);
  place.steps.forEach((step, i) => {
    if (i === place.steps.length - 1) {
      holder[step] = value;
      return;
    }
    const childName = typeof step === 'number' ? shape.l! : refName(shape.m![step]);
    const child = shapeOf(childName);
    const container = child.t === 'list' ? [baseline(child.l!)] : (holder[step] as object | undefined) ?? baseline(childName);
    holder[step] = container;
    holder = container as Record<string | number, unknown>;
    shape = child;
  });
  return body;
}

const PLACES = places();
const CASES = PLACES.flatMap((place) => Object.entries(ARNS).map(([kind, arn]) => ({ place, kind, arn, body: build(place, arn) })));
const declared = (operation: string): readonly string[] => [...service.operations[operation][2], 'ValidationException'];

describe('serve: every ARN member of every operation of the model, given each ARN a client can get wrong', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  const send = (operation: string, body: object) => raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify(body) });
  beforeAll(async () => {
    env = await serve();
    const { sfn } = env;
    await sfn.send(new sdk.CreateStateMachineCommand({ name: 'm', definition: PASS, roleArn: ROLE, publish: true }));
    await sfn.send(new sdk.CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: `${A}stateMachine:m:1`, weight: 100 }] }));
    await sfn.send(new sdk.CreateActivityCommand({ name: 'act' }));
  });
  afterAll(() => env.stop());

  it('sweeps every member the model names by its ARN', () => {
    expect(new Set(PLACES.map((p) => p.operation)).size).toBeGreaterThanOrEqual(30);
    expect(new Set(PLACES.map((p) => p.member))).toEqual(new Set([...Object.keys(NAMES), 'roleArn', 'logGroupArn']));
    expect(CASES.length).toBeGreaterThan(500);
  });

  it.each(CASES.map((c) => [c.place.operation, c.place.steps.join('.'), c.kind, c] as const))('%s: %s given %s is answered with an error the operation declares', async (operation, _path, _kind, c) => {
    const answer = await send(operation, c.body);
    if (answer.status === 200) return;
    expect(answer.status).toBe(400);
    expect(declared(operation)).toContain(String(answer.body.__type).replace(/^.*#/, ''));
  });

  const names = (c: (typeof CASES)[number]): readonly string[] | undefined => NAMES[c.place.member];
  const wrongType = (c: (typeof CASES)[number]): boolean => TYPES.includes(c.kind) && !names(c)!.includes(c.kind);
  const refused = CASES.filter((c) => names(c) !== undefined && (NOT_STEP_FUNCTIONS.includes(c.kind) || wrongType(c)));
  it.each(refused.map((c) => [c.place.operation, c.place.steps.join('.'), c.kind, c] as const))('%s: %s given %s is InvalidArn', async (operation, _path, kind, c) => {
    const answer = await send(operation, c.body);
    expect([answer.status, answer.body.__type]).toEqual([400, 'com.amazonaws.swf.service.v2.model#InvalidArn']);
    if (TYPES.includes(kind)) expect(answer.body.message).toBe(`Invalid Arn: 'Resource type not valid in this context: ${kind}'`);
  });

  const roles = CASES.filter((c) => c.place.member === 'roleArn' && c.kind !== 'an IAM role');
  it.each(roles.map((c) => [c.place.operation, c.kind, c] as const))('%s: roleArn given %s is Invalid Role Arn', async (operation, _kind, c) => {
    const answer = await send(operation, c.body);
    expect([answer.status, answer.body.__type, answer.body.message]).toEqual([400, 'com.amazonaws.swf.service.v2.model#InvalidArn', `Invalid Role Arn: '${c.arn}'`]);
  });

  it.each(['DescribeStateMachine', 'StartExecution', 'UpdateStateMachine', 'DeleteStateMachine'])('%s of a Distributed Map\'s <machine>/<label> is ValidationException, as its page says', async (operation) => {
    const body = { stateMachineArn: ARNS['stateMachine of a Map'], ...(operation === 'UpdateStateMachine' ? { definition: asl({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }) } : {}) };
    const answer = await send(operation, body);
    expect([answer.status, answer.body.__type]).toEqual([400, 'com.amazonaws.swf.service.v2.model#ValidationException']);
    expect(answer.body.message).toContain('names the child executions of a Distributed Map');
  });
});
