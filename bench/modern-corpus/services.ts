/*
 * Service workflows of everyday apps: a sign-up that writes a user once, a subscription renewal
 * over the add-ons of a DynamoDB map, a device onboarding routed by its id's prefix, a support
 * ticket triaged by sentiment and subject, and an account closure that runs a child workflow.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Choice, Task, TryCatch } from 'stepwright';
import { fn, JSONATA, machine, queue, table, topic, type ModernMachine } from './common';

const S = tasks.DynamoAttributeValue.fromString;

export const signUp: ModernMachine = {
  name: 'SignUp',
  shape: 'service workflow',
  build(stack) {
    const users = table(stack, 'Users', 'email');
    const normalise = new sfn.Pass(stack, 'Normalise email', {
      outputs: '{% $merge([$states.input, {"email": $lowercase($trim($states.input.email))}]) %}',
    });
    const invalid = new sfn.Fail(stack, 'Invalid email', { error: 'SignUp.InvalidEmail' });
    const create = Task.dynamoPutItem(stack, 'Create user', {
      table: users,
      item: { email: S('{% $states.input.email %}'), plan: S('{% $states.input.plan ? $states.input.plan : "free" %}') },
      conditionExpression: 'attribute_not_exists(email)',
      outputs: '{% $states.input %}',
    });
    const taken = new sfn.Fail(stack, 'Email taken', { error: 'SignUp.EmailTaken' });
    create.addCatch(taken, { errors: ['DynamoDB.ConditionalCheckFailedException'] });
    const welcome = Task.awsSdkCall(stack, 'Send welcome email', {
      // aws-cdk-lib renders a Task's Catch in the state's own language only: without it, the Catch's Output is dropped.
      queryLanguage: JSONATA,
      service: 'sesv2',
      action: 'sendEmail',
      parameters: {
        FromEmailAddress: 'hello@example.com',
        Destination: { ToAddresses: ['{% $states.input.email %}'] },
        Content: { Simple: { Subject: { Data: 'Welcome' }, Body: { Text: { Data: '{% "Hello " & $substringBefore($states.input.email, "@") %}' } } } },
      },
      iamResources: ['*'],
      outputs: '{% {"email": $states.input.email, "messageId": $states.result.MessageId} %}',
    });
    const bounced = new sfn.Pass(stack, 'Mark unverified', { outputs: '{% {"email": $states.input.email, "verified": false} %}' });
    welcome.addCatch(bounced, { errors: ['SesV2.MessageRejectedException', 'SesV2.AccountSuspendedException'], outputs: '{% $states.input %}' });
    const trial = Task.lambdaInvoke(stack, 'Start trial', {
      lambdaFunction: fn(stack, 'TrialFn'),
      payload: sfn.TaskInput.fromObject({ email: '{% $states.input.email %}', days: 14 }),
      outputs: '{% $states.input %}',
    });
    const plan = Choice.jsonata(stack, 'Paid plan?')
      .when(sfn.Condition.jsonata('{% $states.input.plan in ["pro", "team"] %}'), trial.next(welcome))
      .otherwise(welcome);
    const valid = Choice.jsonata(stack, 'Email valid?')
      .when(sfn.Condition.jsonata('{% $contains($states.input.email, /^[^@ ]+@[^@ ]+\\.[a-z]+$/) %}'), create.next(plan))
      .otherwise(invalid);
    machine(stack, normalise.next(valid));
  },
};

export const subscriptionRenewal: ModernMachine = {
  name: 'SubscriptionRenewal',
  shape: 'service workflow',
  build(stack) {
    const subscriptions = table(stack, 'Subscriptions', 'accountId');
    const load = Task.dynamoGetItem(stack, 'Load subscription', {
      table: subscriptions,
      key: { accountId: S('{% $states.input.accountId %}') },
      assign: {
        addons: '{% $keys($sift($states.result.Item.addons.M, function($v) { $v.M.active.BOOL })) %}',
        seats: '{% $number($states.result.Item.seats.N) %}',
      },
      outputs: '{% $merge([$states.input, {"plan": $states.result.Item.plan.S}]) %}',
    });
    const gone = new sfn.Fail(stack, 'No subscription', { error: 'Renewal.NotFound' });
    load.addCatch(gone, { errors: ['States.QueryEvaluationError'] });
    const price = Task.lambdaInvoke(stack, 'Price renewal', {
      lambdaFunction: fn(stack, 'PriceFn'),
      payload: sfn.TaskInput.fromObject({ plan: '{% $states.input.plan %}', seats: '{% $seats %}', addons: '{% $addons %}' }),
      outputs: '{% $merge([$states.input, {"amount": $states.result.amount, "lines": $each($states.result.lines, function($v, $k) { $k & ": " & $string($v) })}]) %}',
    });
    const charge = Task.lambdaInvoke(stack, 'Charge renewal', {
      lambdaFunction: fn(stack, 'ChargeRenewalFn'),
      payload: sfn.TaskInput.fromObject({ accountId: '{% $states.input.accountId %}', amount: '{% $states.input.amount %}', lines: '{% $states.input.lines %}' }),
    });
    const grace = Task.dynamoUpdateItem(stack, 'Start grace period', {
      table: subscriptions,
      key: { accountId: S('{% $states.input.accountId %}') },
      updateExpression: 'SET #s = :grace',
      expressionAttributeNames: { '#s': 'status' },
      expressionAttributeValues: { ':grace': S('GRACE') },
    });
    charge.addCatch(grace, { errors: ['Payment.Declined'] });
    const free = new sfn.Succeed(stack, 'Nothing to charge');
    const bill = Choice.jsonata(stack, 'Anything to bill?')
      .when(sfn.Condition.jsonata('{% $states.input.amount > 0 %}'), charge)
      .otherwise(free);
    const enterprise = Task.lambdaInvoke(stack, 'Hand to account manager', {
      lambdaFunction: fn(stack, 'AccountManagerFn'),
      payload: sfn.TaskInput.fromObject({ accountId: '{% $states.input.accountId %}', seats: '{% $seats %}' }),
    });
    const size = Choice.jsonata(stack, 'Enterprise?')
      .when(sfn.Condition.jsonata('{% $seats > 500 or "sso" in $addons %}'), enterprise)
      .otherwise(price.next(bill));
    machine(stack, load.next(size));
  },
};

export const deviceOnboarding: ModernMachine = {
  name: 'DeviceOnboarding',
  shape: 'service workflow',
  build(stack) {
    const registry = table(stack, 'Devices', 'deviceId');
    const classify = new sfn.Pass(stack, 'Read device id', {
      assign: { family: '{% $substring($states.input.deviceId, 0, 3) %}', serial: '{% $substringAfter($states.input.deviceId, "-") %}' },
    });
    const thing = (id: string, type: string) => Task.awsSdkCall(stack, id, {
      service: 'iot',
      action: 'createThing',
      parameters: { ThingName: '{% $states.input.deviceId %}', ThingTypeName: type, AttributePayload: { Attributes: { serial: '{% $serial %}' } } },
      iamResources: ['*'],
      outputs: '{% $merge([$states.input, {"thingArn": $states.result.ThingArn}]) %}',
    });
    const sensor = thing('Register sensor', 'sensor');
    const gateway = thing('Register gateway', 'gateway');
    const unknown = new sfn.Fail(stack, 'Unknown family', { error: 'Device.UnknownFamily' });
    const record = Task.dynamoPutItem(stack, 'Record device', {
      table: registry,
      item: { deviceId: S('{% $states.input.deviceId %}'), thingArn: S('{% $states.input.thingArn %}'), family: S('{% $family %}') },
      outputs: '{% {"deviceId": $states.input.deviceId, "family": $family} %}',
    });
    const exists = new sfn.Pass(stack, 'Already registered', { outputs: '{% {"deviceId": $states.input.deviceId, "existing": true} %}' });
    sensor.addCatch(exists, { errors: ['Iot.ResourceAlreadyExistsException'] });
    gateway.addCatch(exists, { errors: ['Iot.ResourceAlreadyExistsException'] });
    sensor.next(record);
    gateway.next(record);
    const family = Choice.jsonata(stack, 'Device family?')
      .when(sfn.Condition.jsonata('{% $family = "SNS" %}'), sensor)
      .when(sfn.Condition.jsonata('{% $family = "GTW" and $length($serial) >= 6 %}'), gateway)
      .otherwise(unknown);
    machine(stack, classify.next(family));
  },
};

export const ticketTriage: ModernMachine = {
  name: 'TicketTriage',
  shape: 'service workflow',
  build(stack) {
    const refunds = queue(stack, 'Refunds');
    const support = topic(stack, 'Escalations');
    const sentiment = Task.awsSdkCall(stack, 'Detect sentiment', {
      service: 'comprehend',
      action: 'detectSentiment',
      parameters: { Text: '{% $states.input.body %}', LanguageCode: 'en' },
      iamResources: ['*'],
      outputs: '{% $merge([$states.input, {"sentiment": $states.result.Sentiment, "negative": $states.result.SentimentScore.Negative}]) %}',
    });
    const escalate = Task.snsPublish(stack, 'Escalate ticket', {
      topic: support,
      message: sfn.TaskInput.fromObject({ ticketId: '{% $states.input.ticketId %}', negative: '{% $states.input.negative %}' }),
    });
    const refund = new tasks.SqsSendMessage(stack, 'Queue refund', {
      taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
      queue: refunds,
      messageBody: sfn.TaskInput.fromObject({ ticketId: '{% $states.input.ticketId %}' }),
    });
    const answer = Task.lambdaInvoke(stack, 'Draft answer', {
      lambdaFunction: fn(stack, 'DraftFn'),
      payload: sfn.TaskInput.fromObject({ ticketId: '{% $states.input.ticketId %}', body: '{% $states.input.body %}' }),
    });
    const route = Choice.jsonata(stack, 'Route ticket')
      .when(sfn.Condition.jsonata('{% $states.input.sentiment = "NEGATIVE" and $states.input.negative > 0.9 %}'), escalate)
      .when(sfn.Condition.jsonata('{% $contains($lowercase($states.input.subject), "refund") %}'), refund)
      .otherwise(answer);
    const guarded = TryCatch.jsonata(stack, 'Triage', {
      try: sentiment.next(route),
      catch: [{ errors: ['Comprehend.TextSizeLimitExceededException'], handler: new sfn.Pass(stack, 'Route to a person', { outputs: '{% {"ticketId": $states.input.ticketId, "queue": "manual"} %}' }) }],
    });
    machine(stack, guarded);
  },
};

export const accountClosure: ModernMachine = {
  name: 'AccountClosure',
  shape: 'service workflow',
  build(stack) {
    const child = new sfn.StateMachine(stack, 'ExportData', {
      queryLanguage: JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Export', { outputs: '{% {"exported": true, "files": 3} %}' })),
    });
    const exportData = Task.startExecution(stack, 'Export user data', {
      stateMachine: child,
      input: sfn.TaskInput.fromObject({ accountId: '{% $states.input.accountId %}' }),
      taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
      outputs: '{% $merge([$states.input, {"export": $states.result.Output}]) %}',
    });
    const exportFailed = new sfn.Fail(stack, 'Export failed', { error: 'Closure.ExportFailed' });
    exportData.addCatch(exportFailed, { errors: ['States.TaskFailed'] });
    const erase = Task.lambdaInvoke(stack, 'Erase account', {
      lambdaFunction: fn(stack, 'EraseFn'),
      payload: sfn.TaskInput.fromObject({ accountId: '{% $states.input.accountId %}', files: '{% $states.input.export.files %}' }),
    });
    const confirm = Task.snsPublish(stack, 'Confirm closure', {
      topic: topic(stack, 'Closures'),
      message: sfn.TaskInput.fromObject({ accountId: '{% $states.input.accountId %}' }),
    });
    const hold = new sfn.Fail(stack, 'Legal hold', { error: 'Closure.LegalHold' });
    const exported = Choice.jsonata(stack, 'Exported?')
      .when(sfn.Condition.jsonata('{% $states.input.export.exported = true %}'), erase.next(confirm))
      .otherwise(exportFailed);
    exportData.next(exported);
    const check = Choice.jsonata(stack, 'On legal hold?')
      .when(sfn.Condition.jsonata('{% $boolean($states.input.legalHold) %}'), hold)
      .otherwise(exportData);
    machine(stack, check);
  },
};
