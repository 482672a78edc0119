import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Deployment, StateMachineAlias, StateMachineVersion, Task } from '../../../src/constructs';
import { extractVersionedStateMachines, PublishedVersions, selectVersionOrAlias, TemplateError, Workflow } from '../../../src/testing';

const ORDERS = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';

interface Built { stack: Stack; machine: sfn.StateMachine; version: StateMachineVersion; alias: StateMachineAlias }

/** A stack with the `orders` machine, a version and a `live` alias built by `alias`. */
function build(alias: (stack: Stack, version: StateMachineVersion) => StateMachineAlias): Built {
  const app = new App();
  const stack = new Stack(app, 'Shop');
  const machine = new sfn.StateMachine(stack, 'Orders', {
    stateMachineName: 'orders',
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Take order', { result: sfn.Result.fromObject({ taken: true }) })),
  });
  const version = new StateMachineVersion(stack, 'Version', { stateMachine: machine, description: 'first release' });
  return { stack, machine, version, alias: alias(stack, version) };
}

const canary = (stack: Stack, version: StateMachineVersion) => {
  const failures = new cloudwatch.Alarm(stack, 'Failures', { alarmName: 'orders-failures', metric: version.metricFailed(), threshold: 1, evaluationPeriods: 1 });
  return new StateMachineAlias(stack, 'Live', {
    aliasName: 'live',
    version,
    deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(10), alarms: [failures] }),
  });
};

describe('extractVersionedStateMachines', () => {
  it('returns each machine with its versions and aliases, with placeholder ARNs, routing and the deployment', () => {
    const { stack } = build(canary);
    const [orders] = extractVersionedStateMachines(Template.fromStack(stack).toJSON());
    expect(orders.machine.arn).toBe(ORDERS);
    expect(orders.versions).toEqual([expect.objectContaining({ arn: `${ORDERS}:1`, number: 1, stateMachineArn: ORDERS, description: 'first release' })]);
    expect(orders.aliases).toEqual([expect.objectContaining({
      name: 'live',
      arn: `${ORDERS}:live`,
      stateMachineArn: ORDERS,
      stateMachineLogicalId: orders.machine.logicalId,
      routing: [{ versionArn: `${ORDERS}:1`, weight: 100, version: orders.versions[0] }],
      deployment: { type: 'CANARY', versionArn: `${ORDERS}:1`, percentage: 10, intervalMinutes: 10, alarms: ['orders-failures'] },
    })]);
  });

  it('keeps a route to a version published by an earlier deploy, without a definition', () => {
    const { stack } = build((s, version) => new StateMachineAlias(s, 'Live', {
      aliasName: 'live',
      routing: [{ version: StateMachineVersion.fromVersionArn(s, 'Old', `${ORDERS}:7`), weight: 80 }, { version, weight: 20 }],
    }));
    const [orders] = extractVersionedStateMachines(Template.fromStack(stack).toJSON());
    expect(orders.aliases[0].routing).toEqual([
      { versionArn: `${ORDERS}:7`, weight: 80 },
      { versionArn: `${ORDERS}:1`, weight: 20, version: orders.versions[0] },
    ]);
  });
});

describe('Workflow.fromStack with a version or an alias', () => {
  it('runs a version: executions start with the version ARN', async () => {
    const { stack, version } = build(canary);
    const wf = Workflow.fromStack(stack, { version });
    expect(wf.arn).toBe(`${ORDERS}:1`);
    expect(wf.name).toBe('orders');
    expect(wf.qualifier).toEqual({ version: expect.objectContaining({ number: 1 }) });
    const run = await wf.run({});
    expect(run.output).toEqual({ taken: true });
  });

  it.each([['the version number', '1'], ['the construct path', 'Version'], ['the logical id', undefined]])('selects a version by %s', (_n, selector) => {
    const { stack } = build(canary);
    const logicalId = Object.keys(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachineVersion'))[0];
    expect(Workflow.fromStack(stack, { version: selector ?? logicalId }).arn).toBe(`${ORDERS}:1`);
  });

  it('runs an alias: executions start with the alias ARN and run the version it ends on', async () => {
    const { stack, alias } = build(canary);
    const wf = Workflow.fromStack(stack, { alias });
    expect(wf.arn).toBe(`${ORDERS}:live`);
    expect(wf.qualifier?.alias?.deployment?.type).toBe('CANARY');
    expect((await wf.run({})).status).toBe('SUCCEEDED');
  });

  it('loads an alias from a template by name, as from cdk.out', () => {
    const { stack } = build(canary);
    expect(Workflow.fromTemplate(Template.fromStack(stack).toJSON(), { alias: 'live' }).arn).toBe(`${ORDERS}:live`);
  });

  it('runs the heaviest route declared in the template for weighted routing', () => {
    const { stack } = build((s, version) => new StateMachineAlias(s, 'Live', {
      aliasName: 'live',
      routing: [{ version: StateMachineVersion.fromVersionArn(s, 'Old', `${ORDERS}:7`), weight: 80 }, { version, weight: 20 }],
    }));
    expect(Workflow.fromStack(stack, { alias: 'live' }).qualifier?.version.arn).toBe(`${ORDERS}:1`);
  });

  it('fails with VERSION_NOT_IN_TEMPLATE when the alias only routes to versions of earlier deploys', () => {
    const { stack } = build((s) => new StateMachineAlias(s, 'Live', { aliasName: 'live', version: StateMachineVersion.fromVersionArn(s, 'Old', `${ORDERS}:7`) }));
    expect(() => Workflow.fromStack(stack, { alias: 'live' })).toThrow(expect.objectContaining({
      code: 'VERSION_NOT_IN_TEMPLATE',
      message: expect.stringMatching(/alias 'live' routes to .*:stateMachine:orders:7, none of which is declared in this template/),
    }));
  });

  it('lists the aliases there are when none matches', () => {
    const { stack } = build(canary);
    expect(() => Workflow.fromStack(stack, { alias: 'prod' })).toThrow(expect.objectContaining({
      code: 'ALIAS_NOT_FOUND', message: expect.stringMatching(/no state machine alias matches 'prod'; the template has:\n {2}- live \(Live\w+, path Shop\/Live\/Resource\)/),
    }));
  });

  it('says there are no versions when the template has none', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop');
    new sfn.StateMachine(stack, 'Orders', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
    expect(() => Workflow.fromStack(stack, { version: '1' })).toThrow(TemplateError);
    expect(() => Workflow.fromStack(stack, { version: '1' })).toThrow(/no AWS::StepFunctions::StateMachineVersion resources/);
  });

  it('refuses version and alias together', () => {
    const { stack, version, alias } = build(canary);
    expect(() => Workflow.fromStack(stack, { version, alias })).toThrow(/give version or alias, not both/);
  });

  it('tells two machines with the same alias name apart by the stateMachine option', () => {
    const { stack } = build(canary);
    const other = new sfn.StateMachine(stack, 'Returns', { stateMachineName: 'returns', definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Take return')) });
    new StateMachineAlias(stack, 'ReturnsLive', { aliasName: 'live', version: new StateMachineVersion(stack, 'ReturnsVersion', { stateMachine: other }) });
    expect(() => Workflow.fromStack(stack, { alias: 'live' })).toThrow(/'live' matches 2 state machine aliases/);
    expect(Workflow.fromStack(stack, { stateMachine: 'returns', alias: 'live' }).arn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:returns:live');
  });

  it('runs a child started through its alias by Task.startExecution (nested workflow pinned by alias)', async () => {
    const { stack, alias } = build(canary);
    const parent = new sfn.StateMachine(stack, 'Checkout', {
      definitionBody: sfn.DefinitionBody.fromChainable(Task.startExecution(stack, 'Place order', { stateMachine: alias, outputPath: '$.Output', taskTimeout: sfn.Timeout.duration(Duration.hours(1)) })),
    });
    const run = await Workflow.fromStack(stack, { stateMachine: parent }).run({});
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ taken: true });
    expect(run.children.map((c) => c.path)).toEqual([['Take order']]);
  });
});

describe('PublishedVersions', () => {
  it('keeps the number of a logical id seen before and gives new ones the next numbers, in template order', () => {
    const published = new PublishedVersions();
    expect(published.numberOf('fn', ['A'], 'A')).toBe(1);
    expect(published.numberOf('fn', ['A', 'C', 'B'], 'B')).toBe(3);
    expect(published.numberOf('fn', ['B'], 'B')).toBe(3);
    expect(published.numberOf('other', ['Z'], 'Z')).toBe(1);
    expect(published.toJSON()).toEqual({ fn: { A: 1, C: 2, B: 3 }, other: { Z: 1 } });
  });
});

describe('the integ app integ/integ.blue-green.ts, from its cloud assembly snapshot', () => {
  const assembly = `${__dirname}/../../../integ/integ.blue-green.ts.snapshot`;

  it('loads the machine, its version and its canary alias from cdk.out, and runs through the alias on the pinned Lambda version', async () => {
    const wf = Workflow.fromCdkOut(assembly, 'stepwright-blue-green', { alias: 'live' });
    expect(wf.arn).toMatch(/:stateMachine:Fulfil41551CE2:live$/);
    expect(wf.qualifier?.alias?.deployment).toEqual(expect.objectContaining({ type: 'CANARY', percentage: 10, intervalMinutes: 10 }));
    const run = await wf.run({ total: 12 }, { mocks: { 'Charge card': (order: { total: number }) => ({ charged: order.total }) } });
    expect(run.output).toEqual({ total: 12, charge: { charged: 12 } });
    expect(Object.keys(wf.definition.States)).toEqual(['Charge card']);
    expect((wf.definition.States['Charge card'] as { Resource: string }).Resource).toMatch(/:function:ChargeEC431097:1$/);
  });

  it('runs the parent, which starts the child through the alias ARN', async () => {
    const child = Workflow.fromCdkOut(assembly, 'stepwright-blue-green', { alias: 'live' });
    const parent = Workflow.fromCdkOut(assembly, 'stepwright-blue-green', { stateMachine: 'CheckoutB7CD3E82' });
    const run = await parent.run({ total: 5 }, {
      workflows: { [child.arn]: { workflow: child, mocks: { 'Charge card': { charged: 5 } } } },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ total: 5, charge: { charged: 5 } });
    expect(run.children).toHaveLength(1);
  });
});

describe('selectVersionOrAlias', () => {
  it('needs exactly one of version and alias', () => {
    expect(() => selectVersionOrAlias([], {})).toThrow(/give exactly one of version and alias/);
  });
});
