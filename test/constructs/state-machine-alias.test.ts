import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { fn, ordersStack, resolvedStatements, role } from './blue-green-helpers';
import { Deployment, StateMachineAlias, StateMachineVersion, Task, type StateMachineAliasProps } from '../../src/constructs';

const ORDERS = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
const LIVE = { 'ForAnyValue:StringEquals': { 'states:StateMachineQualifier': ['live'] } };
const EXECUTIONS = 'arn:aws:states:us-east-1:123456789012:execution:orders:*';

function setup() {
  const { stack, machine } = ordersStack();
  const version = new StateMachineVersion(stack, 'Version', { stateMachine: machine });
  const alarm = new cloudwatch.Alarm(stack, 'Failures', { metric: version.metricFailed(), threshold: 1, evaluationPeriods: 1 });
  return { stack, machine, version, alarm };
}

const aliasProps = (stack: Stack) => Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachineAlias');
const onlyAlias = (stack: Stack) => Object.values(aliasProps(stack))[0].Properties;

describe('StateMachineAlias routing', () => {
  it('routes every execution to one version', () => {
    const { stack, version } = setup();
    new StateMachineAlias(stack, 'Live', { aliasName: 'live', description: 'production', version });
    expect(onlyAlias(stack)).toEqual({
      Name: 'live',
      Description: 'production',
      RoutingConfiguration: [{ StateMachineVersionArn: { Ref: expect.stringMatching(/^Version/) }, Weight: 100 }],
    });
  });

  it('splits executions between the new version and one published by an earlier deploy', () => {
    const { stack, version } = setup();
    const previous = StateMachineVersion.fromVersionArn(stack, 'Previous', `${ORDERS}:4`);
    new StateMachineAlias(stack, 'Live', { aliasName: 'live', routing: [{ version: previous, weight: 90 }, { version, weight: 10 }] });
    expect(onlyAlias(stack).RoutingConfiguration).toEqual([
      { StateMachineVersionArn: `${ORDERS}:4`, Weight: 90 },
      { StateMachineVersionArn: { Ref: expect.stringMatching(/^Version/) }, Weight: 10 },
    ]);
  });
});

describe('StateMachineAlias references', () => {
  it('exposes its ARN as aws-cdk-lib references an alias, and its version as a version', () => {
    const { stack, version } = setup();
    const alias = new StateMachineAlias(stack, 'Live', { aliasName: 'live', version });
    expect(stack.resolve(alias.stateMachineAliasRef)).toEqual({ stateMachineAliasArn: { Ref: expect.stringMatching(/^Live/) } });
    expect(stack.resolve(version.stateMachineVersionRef)).toEqual({ stateMachineVersionArn: { Ref: expect.stringMatching(/^Version/) } });
    expect(StateMachineVersion.fromVersionArn(stack, 'Old', `${ORDERS}:2`).stateMachineVersionRef).toEqual({ stateMachineVersionArn: `${ORDERS}:2` });
  });
});

describe('StateMachineAlias deployment', () => {
  it('renders a canary as DeploymentPreference with alarm names, percentage and interval in minutes', () => {
    const { stack, version, alarm } = setup();
    new StateMachineAlias(stack, 'Live', { aliasName: 'live', version, deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(15), alarms: [alarm] }) });
    expect(onlyAlias(stack)).toEqual({
      Name: 'live',
      DeploymentPreference: {
        Type: 'CANARY',
        StateMachineVersionArn: { Ref: expect.stringMatching(/^Version/) },
        Percentage: 10,
        Interval: 15,
        Alarms: [{ Ref: expect.stringMatching(/^Failures/) }],
      },
    });
  });

  it('renders a linear deployment', () => {
    const { stack, version, alarm } = setup();
    new StateMachineAlias(stack, 'Live', { aliasName: 'live', version, deployment: Deployment.linear({ percentage: 20, interval: Duration.hours(1), alarms: [alarm] }) });
    expect(onlyAlias(stack).DeploymentPreference).toEqual(expect.objectContaining({ Type: 'LINEAR', Percentage: 20, Interval: 60 }));
  });

  it('renders all-at-once without percentage or interval, with or without alarms', () => {
    const { stack, version, alarm } = setup();
    new StateMachineAlias(stack, 'Live', { aliasName: 'live', version, deployment: Deployment.allAtOnce() });
    new StateMachineAlias(stack, 'Watched', { aliasName: 'watched', version, deployment: Deployment.allAtOnce({ alarms: [alarm] }) });
    const [plain, watched] = Object.values(aliasProps(stack)).map((r) => r.Properties.DeploymentPreference);
    expect(plain).toEqual({ Type: 'ALL_AT_ONCE', StateMachineVersionArn: { Ref: expect.stringMatching(/^Version/) } });
    expect(watched).toEqual({ Type: 'ALL_AT_ONCE', StateMachineVersionArn: { Ref: expect.stringMatching(/^Version/) }, Alarms: [{ Ref: expect.stringMatching(/^Failures/) }] });
  });
});

describe('StateMachineAlias checks at synth', () => {
  const cases: Array<[string, (s: ReturnType<typeof setup>) => StateMachineAliasProps, RegExp]> = [
    ['weights that do not add up to 100', ({ stack, version }) => ({ aliasName: 'live', routing: [{ version: StateMachineVersion.fromVersionArn(stack, 'P', `${ORDERS}:1`), weight: 80 }, { version, weight: 10 }] }),
      /routing: weights must add up to 100, got 80 \+ 10 = 90/],
    ['the same version twice', ({ version }) => ({ aliasName: 'live', routing: [{ version, weight: 50 }, { version, weight: 50 }] }),
      /both routes point at the same version \(Test\/Version\)/],
    ['the same version ARN twice', ({ stack }) => ({
      aliasName: 'live',
      routing: [
        { version: StateMachineVersion.fromVersionArn(stack, 'A', `${ORDERS}:1`), weight: 50 }, { version: StateMachineVersion.fromVersionArn(stack, 'B', `${ORDERS}:1`), weight: 50 },
      ],
    }),
    /both routes point at the same version/],
    ['two versions that both publish the current revision', ({ stack, machine, version }) => ({
      aliasName: 'live',
      routing: [
        { version, weight: 50 }, { version: new StateMachineVersion(stack, 'Again', { stateMachine: machine }), weight: 50 },
      ],
    }),
    /both publish the current revision of Test\/Orders, so they are the same version; .*fromVersionArn/],
    ['versions of different machines', ({ stack }) => ({
      aliasName: 'live',
      routing: [
        { version: StateMachineVersion.fromVersionArn(stack, 'A', `${ORDERS}:1`), weight: 50 }, { version: StateMachineVersion.fromVersionArn(stack, 'B', `${ORDERS}-b:1`), weight: 50 },
      ],
    }),
    /belong to different state machines/],
    ['three routes', ({ stack, version }) => ({
      aliasName: 'live',
      routing: [{ version, weight: 50 },
        { version: StateMachineVersion.fromVersionArn(stack, 'A', `${ORDERS}:1`), weight: 25 }, { version: StateMachineVersion.fromVersionArn(stack, 'B', `${ORDERS}:2`), weight: 25 }],
    }),
    /an alias routes to one or two versions, got 3/],
    ['a weight out of range', ({ stack, version }) => ({ aliasName: 'live', routing: [{ version, weight: 110 }, { version: StateMachineVersion.fromVersionArn(stack, 'A', `${ORDERS}:1`), weight: -10 }] }),
      /routing\[0\].weight: weight must be a whole number from 0 to 100, got 110/],
    ['a CANARY deployment without alarms', ({ version }) => ({ aliasName: 'live', version, deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(5), alarms: [] }) }),
      /deployment.alarms: a CANARY deployment needs alarms to roll back on.*or use Deployment.allAtOnce\(\)/],
    ['a LINEAR deployment without alarms', ({ version }) => ({ aliasName: 'live', version, deployment: Deployment.linear({ percentage: 10, interval: Duration.minutes(5) } as any) }),
      /a LINEAR deployment needs alarms to roll back on/],
    ['a percentage of 100', ({ version, alarm }) => ({ aliasName: 'live', version, deployment: Deployment.canary({ percentage: 100, interval: Duration.minutes(5), alarms: [alarm] }) }),
      /deployment.percentage: percentage must be a whole number from 1 to 99, got 100/],
    ['an interval under a minute', ({ version, alarm }) => ({ aliasName: 'live', version, deployment: Deployment.linear({ percentage: 10, interval: Duration.seconds(30), alarms: [alarm] }) }),
      /deployment.interval: interval must be whole minutes from 1 to 2,100, got 30 seconds/],
    ['an interval over 2,100 minutes', ({ version, alarm }) => ({ aliasName: 'live', version, deployment: Deployment.linear({ percentage: 10, interval: Duration.minutes(2101), alarms: [alarm] }) }),
      /interval must be whole minutes from 1 to 2,100/],
    ['both version and routing', ({ version }) => ({ aliasName: 'live', version, routing: [{ version, weight: 100 }] }), /give either version .* or routing, not both/],
    ['neither version nor routing', () => ({ aliasName: 'live' }), /the alias needs a version to point to/],
    ['routing with a deployment', ({ version, alarm }) => ({ aliasName: 'live', routing: [{ version, weight: 100 }], deployment: Deployment.allAtOnce({ alarms: [alarm] }) }),
      /a deployment moves the alias to one version; pass it as version, not routing/],
    ['a name of digits only', ({ version }) => ({ aliasName: '42', version }), /aliasName: '42' is not a valid alias name/],
    ['a name with a space', ({ version }) => ({ aliasName: 'my alias', version }), /'my alias' is not a valid alias name/],
  ];

  it.each(cases)('fails for %s, saying what to fix', (_name, props, message) => {
    const s = setup();
    expect(() => new StateMachineAlias(s.stack, 'Live', props(s))).toThrow(message);
  });

  it('warns when a gradual deployment meets a Task calling a Lambda function without a version, with the fix', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const machine = new sfn.StateMachine(stack, 'Orders', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Charge', { lambdaFunction: fn(stack) })),
    });
    const version = new StateMachineVersion(stack, 'Version', { stateMachine: machine });
    const alarm = new cloudwatch.Alarm(stack, 'Failures', { metric: version.metricFailed(), threshold: 1, evaluationPeriods: 1 });
    new StateMachineAlias(stack, 'Live', { aliasName: 'live', version, deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(5), alarms: [alarm] }) });
    Annotations.fromStack(stack).hasWarning('/Test/Live', Match.stringLikeRegexp(
      "alias 'live' shifts executions gradually \\(CANARY\\), but state machine 'Test/Orders' calls Lambda 'Test/Fn/Resource' without a version or alias.*Fix: use Task.lambdaInvoke"));
  });

  it.each([
    ['a pinned Lambda and a canary', (s: Stack) => Task.lambdaInvoke(s, 'Charge', { lambdaFunction: fn(s) }), true],
    ['an unpinned Lambda and an all-at-once deployment', (s: Stack) => new tasks.LambdaInvoke(s, 'Charge', { lambdaFunction: fn(s) }), false],
  ])('does not warn for %s', (_n, task, gradual) => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const machine = new sfn.StateMachine(stack, 'Orders', { definitionBody: sfn.DefinitionBody.fromChainable(task(stack)) });
    const version = new StateMachineVersion(stack, 'Version', { stateMachine: machine });
    const alarm = new cloudwatch.Alarm(stack, 'Failures', { metric: version.metricFailed(), threshold: 1, evaluationPeriods: 1 });
    new StateMachineAlias(stack, 'Live', {
      aliasName: 'live',
      version,
      deployment: gradual ? Deployment.linear({ percentage: 10, interval: Duration.minutes(5), alarms: [alarm] }) : Deployment.allAtOnce(),
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('shifts executions gradually'));
  });
});

describe('StateMachineAlias grants (the ARNs Step Functions checks for alias executions)', () => {
  const withAlias = () => {
    const s = setup();
    const alias = new StateMachineAlias(s.stack, 'Live', { aliasName: 'live', version: s.version });
    return { ...s, alias, caller: role(s.stack) };
  };

  it('grantStartExecution: the machine ARN, with the alias name as states:StateMachineQualifier (not the alias ARN, aws/aws-cdk#30265)', () => {
    const { stack, alias, caller } = withAlias();
    alias.grantStartExecution(caller);
    expect(resolvedStatements(stack)).toEqual([{ Action: 'states:StartExecution', Effect: 'Allow', Resource: ORDERS, Condition: LIVE }]);
  });

  it('grantStartSyncExecution: the same, for StartSyncExecution', () => {
    const { stack, alias, caller } = withAlias();
    alias.grantStartSyncExecution(caller);
    expect(resolvedStatements(stack)).toEqual([{ Action: 'states:StartSyncExecution', Effect: 'Allow', Resource: ORDERS, Condition: LIVE }]);
  });

  it('grantRead: describe the alias and list its executions on the machine ARN; read executions, named after the machine', () => {
    const { stack, alias, caller } = withAlias();
    alias.grantRead(caller);
    expect(resolvedStatements(stack)).toEqual([
      { Action: ['states:DescribeStateMachine', 'states:DescribeStateMachineAlias', 'states:ListExecutions'], Effect: 'Allow', Resource: ORDERS, Condition: LIVE },
      { Action: ['states:DescribeExecution', 'states:DescribeStateMachineForExecution', 'states:GetExecutionHistory'], Effect: 'Allow', Resource: EXECUTIONS },
    ]);
  });

  it('grantTaskResponse: task tokens carry no qualifier, so the machine ARN without a condition', () => {
    const { stack, alias, caller } = withAlias();
    alias.grantTaskResponse(caller);
    expect(resolvedStatements(stack)).toEqual([
      { Action: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'], Effect: 'Allow', Resource: ORDERS },
    ]);
  });

  it('grantExecution: the given actions on the executions of the machine', () => {
    const { stack, alias, caller } = withAlias();
    alias.grantExecution(caller, 'states:StopExecution');
    expect(resolvedStatements(stack)).toEqual([{ Action: 'states:StopExecution', Effect: 'Allow', Resource: EXECUTIONS }]);
  });

  it('grant: any action on the machine ARN, scoped to the alias', () => {
    const { stack, alias, caller } = withAlias();
    alias.grant(caller, 'states:RedriveExecution');
    expect(resolvedStatements(stack)).toEqual([{ Action: 'states:RedriveExecution', Effect: 'Allow', Resource: ORDERS, Condition: LIVE }]);
  });
});

describe('StateMachineAlias metrics', () => {
  it('reads the AWS/States execution metrics with the alias ARN as the StateMachineArn dimension', () => {
    const { stack, version } = setup();
    const alias = new StateMachineAlias(stack, 'Live', { aliasName: 'live', version });
    const failed = alias.metricFailed();
    expect(failed.namespace).toBe('AWS/States');
    expect(failed.metricName).toBe('ExecutionsFailed');
    expect(failed.statistic).toBe('Sum');
    expect(stack.resolve(failed.dimensions)).toEqual({ StateMachineArn: { Ref: expect.stringMatching(/^Live/) } });
    const others = [
      alias.metricStarted(), alias.metricSucceeded(), alias.metricTimedOut(), alias.metricAborted(), alias.metricThrottled(), alias.metricTime(),
    ];
    expect(others.map((m) => `${m.metricName}/${m.statistic}`)).toEqual([
      'ExecutionsStarted/Sum', 'ExecutionsSucceeded/Sum', 'ExecutionsTimedOut/Sum', 'ExecutionsAborted/Sum', 'ExecutionThrottled/Sum', 'ExecutionTime/Average',
    ]);
  });
});

describe('Task.startExecution of a version or alias (nested workflows)', () => {
  const parentOf = (target: (s: Stack, child: ReturnType<typeof setup>) => sfn.IStateMachineRef, queryLanguage?: sfn.QueryLanguage) => {
    const child = setup();
    const { stack } = child;
    const start = Task.startExecution(stack, 'Run child', { stateMachine: target(stack, child), taskTimeout: sfn.Timeout.duration(Duration.hours(1)), ...(queryLanguage ? { queryLanguage } : {}) });
    const parent = new sfn.StateMachine(stack, 'Parent', { definitionBody: sfn.DefinitionBody.fromChainable(start), ...(queryLanguage ? { queryLanguage } : {}) });
    return { stack, parent };
  };
  const parentStatements = (stack: Stack) => (resolvedStatements(stack, 'ParentRole') as any[]).filter((s) => String(s.Action).startsWith('states:'));

  it('starts the alias ARN and grants StartExecution on the child machine scoped to the alias; .sync reads its executions', () => {
    const { stack } = parentOf((s, child) => new StateMachineAlias(s, 'Live', { aliasName: 'live', version: child.version }));
    const definition = Template.fromStack(stack).toJSON().Resources;
    const parent = Object.values(definition as Record<string, any>).find((r) => r.Type === 'AWS::StepFunctions::StateMachine' && JSON.stringify(r).includes('startExecution'));
    expect(JSON.stringify(parent.Properties.DefinitionString)).toMatch(/\\"StateMachineArn\\":\\"",\{"Ref":"Live[0-9A-F]+"\}/);
    expect(parentStatements(stack)).toEqual([
      { Action: 'states:StartExecution', Effect: 'Allow', Resource: ORDERS, Condition: LIVE },
      { Action: ['states:DescribeExecution', 'states:StopExecution'], Effect: 'Allow', Resource: EXECUTIONS },
    ]);
  });

  it('grants StartExecution scoped to the version number for a version', () => {
    const { stack } = parentOf((_s, child) => child.version);
    expect(parentStatements(stack)[0]).toEqual({
      Action: 'states:StartExecution', Effect: 'Allow', Resource: ORDERS, Condition: { 'ForAnyValue:StringEquals': { 'states:StateMachineQualifier': ['1'] } },
    });
  });

  it('fixes the statements for an imported qualified ARN too (the aws/aws-cdk#30265 case)', () => {
    const { stack } = parentOf((s) => sfn.StateMachine.fromStateMachineArn(s, 'Imported', `${ORDERS}:prod`));
    expect(parentStatements(stack)).toEqual([
      { Action: 'states:StartExecution', Effect: 'Allow', Resource: ORDERS, Condition: { 'ForAnyValue:StringEquals': { 'states:StateMachineQualifier': ['prod'] } } },
      { Action: ['states:DescribeExecution', 'states:StopExecution'], Effect: 'Allow', Resource: EXECUTIONS },
    ]);
  });

  it('leaves the statements of an unqualified target as aws-cdk-lib writes them', () => {
    const { stack } = parentOf((_s, child) => child.machine);
    expect(parentStatements(stack)[0]).toEqual({ Action: 'states:StartExecution', Effect: 'Allow', Resource: ORDERS });
  });

  it('takes the alias ARN in Arguments, and the state input as Input, with JSONata', () => {
    const { stack } = parentOf((s, child) => new StateMachineAlias(s, 'Live', { aliasName: 'live', version: child.version }), sfn.QueryLanguage.JSONATA);
    const json = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(json).toMatch(/\\"Arguments\\":\{\\"Input\\":\\"\{% \$states.input %\}\\",\\"StateMachineArn\\":\\"",\{"Ref":"Live[0-9A-F]+"\}/);
  });
});

