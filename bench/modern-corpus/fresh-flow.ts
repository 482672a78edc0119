/*
 * Machines written blind for explore round 4 (issue 77), before reading how explore works, on how
 * values reach a Choice: through `$merge` of a Task's result with the input, object and array
 * constructors, variables set in one state and read several states later, a Lambda's `Payload`, a
 * DynamoDB getItem's typed attributes, a Bedrock model's text answer parsed with `$parse`; a
 * guardrail loop counted in a variable; string conditions (`$contains` with a regex, `$match`,
 * `$substring`, `$length`, `$lowercase`/`$uppercase`, `$split`, a service's enum) and thresholds
 * computed from several fields (`$sum` over lines, products, an average); and, in JSONPath, a
 * Parallel's and a Map's results read by a later Choice through `ResultSelector` and `ResultPath`,
 * intrinsic functions and JSONPath `Assign`.
 *
 * Five states here are truly unreachable, each said in its machine's comment: an absent attribute
 * that already fails the getItem that reads it (`No such policy`, and `Orphan page` in JSONPath), a
 * branch an earlier Choice on the same value already took (`Refund desk`, `Offer anyway`), and a
 * value fixed by an `Assign` or a Pass's `Result` that a later rule can never match
 * (`Convert to USD`, `Express surcharge`).
 */
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Choice, Task } from 'stepwright';
import { fn, machine, queue, table, topic, type ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const INVOKE_MODEL = 'arn:aws:states:::bedrock:invokeModel';
const S = tasks.DynamoAttributeValue.fromString;
const when = (condition: string): sfn.Condition => sfn.Condition.jsonata(condition);

/**
 * A policy renewal: the policy read from DynamoDB into variables (its status and premium are typed
 * attributes), a quote from a function merged into the state, and two states later a Choice on the
 * status, the quote against the premium. `No such policy` is never reached: a policy without a
 * `status` attribute (or no Item at all) fails `Load policy`, whose `Assign` then gives nothing.
 */
export const flowPolicyRenewal: ModernMachine = {
  name: 'FlowPolicyRenewal',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Load policy',
      States: {
        'Load policy': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Arguments: { TableName: 'Policies', Key: { policyId: { S: '{% $states.input.policyId %}' } } },
          Assign: {
            status: '{% $states.result.Item.status.S %}',
            premium: '{% $number($states.result.Item.premium.N) %}',
            holder: '{% $states.input.holder %}',
          },
          Output: '{% $states.input %}',
          Next: 'Quote renewal',
        },
        'Quote renewal': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('quote-renewal'), Payload: { policyId: '{% $states.input.policyId %}', premium: '{% $premium %}' } },
          Output: "{% $merge([$states.input, {'quote': $states.result.Payload.amount, 'currency': $states.result.Payload.currency}]) %}",
          Next: 'Log quote',
        },
        'Log quote': { Type: 'Pass', Assign: { quotedAt: '{% $states.context.State.EnteredTime %}' }, Next: 'Renewal route' },
        'Renewal route': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $not($exists($status)) %}', Next: 'No such policy' },
            { Condition: "{% $status = 'LAPSED' %}", Next: 'Reinstate' },
            { Condition: "{% $uppercase($status) = 'CANCELLED' %}", Next: 'Closed' },
            { Condition: "{% $status = 'ACTIVE' and $states.input.quote > $premium * 1.25 %}", Next: 'Price jump review' },
          ],
          Default: 'Renew',
        },
        'No such policy': { Type: 'Fail', Error: 'Policy.NotFound' },
        'Reinstate': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('reinstate'), Payload: { policyId: '{% $states.input.policyId %}', holder: '{% $holder %}' } },
          End: true,
        },
        'Closed': { Type: 'Succeed' },
        'Price jump review': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: {
            TopicArn: 'arn:aws:sns:us-east-1:123456789012:renewals',
            Message: "{% 'policy ' & $states.input.policyId & ' quoted ' & $string($states.input.quote) & ' against ' & $string($premium) %}",
          },
          End: true,
        },
        'Renew': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:updateItem',
          Arguments: {
            TableName: 'Policies',
            Key: { policyId: { S: '{% $states.input.policyId %}' } },
            UpdateExpression: 'SET premium = :p',
            ExpressionAttributeValues: { ':p': { N: '{% $string($states.input.quote) %}' } },
          },
          End: true,
        },
      },
    });
  },
};

/**
 * A GenAI answer checked by a guardrail written in the machine: the model answers in JSON
 * (`answer`, `label`, `confidence`, `toxicity`) inside its text, parsed with `$parse`; a toxic
 * answer is asked again, three tries at most, counted in a variable; an answer that uses a
 * forbidden word (kept in a variable) goes to legal, an off-topic or unsure one to a person, a long
 * one is cut.
 */
export const flowGuardrailLoop: ModernMachine = {
  name: 'FlowGuardrailLoop',
  shape: 'document pipeline',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        'Init': {
          Type: 'Pass',
          Assign: { tries: 0, banned: ['lawsuit', 'guarantee', 'refund'], question: '{% $states.input.question %}' },
          Next: 'Generate',
        },
        'Generate': {
          Type: 'Task',
          Resource: INVOKE_MODEL,
          Arguments: {
            ModelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
            Body: {
              anthropic_version: 'bedrock-2023-05-31',
              max_tokens: 500,
              messages: [{ role: 'user', content: "{% $question & ($tries > 0 ? ' Answer politely and promise nothing.' : '') %}" }],
            },
          },
          Assign: { tries: '{% $tries + 1 %}', verdict: '{% $parse($states.result.Body.content[0].text) %}' },
          Retry: [{ ErrorEquals: ['Bedrock.ThrottlingException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
          Next: 'Check answer',
        },
        'Check answer': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $verdict.toxicity >= 0.5 and $tries < 3 %}', Next: 'Generate' },
            { Condition: '{% $verdict.toxicity >= 0.5 %}', Next: 'Refuse' },
            { Condition: '{% $count($banned[$contains($lowercase($verdict.answer), $)]) > 0 %}', Next: 'Legal review' },
            { Condition: "{% $verdict.label in ['OFF_TOPIC', 'UNSURE'] or $verdict.confidence < 0.4 %}", Next: 'Hand to a person' },
            { Condition: '{% $length($verdict.answer) > 1200 %}', Next: 'Shorten' },
          ],
          Default: 'Deliver',
        },
        'Refuse': { Type: 'Fail', Error: 'Answer.Toxic', Cause: "{% 'toxic after ' & $string($tries) & ' tries' %}" },
        'Legal review': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/legal', MessageBody: { question: '{% $question %}', answer: '{% $verdict.answer %}' } },
          End: true,
        },
        'Hand to a person': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Arguments: { FunctionName: FN('agent-inbox'), Payload: { question: '{% $question %}', token: '{% $states.context.Task.Token %}' } },
          TimeoutSeconds: 3600,
          End: true,
        },
        'Shorten': {
          Type: 'Pass',
          Assign: { verdict: "{% $merge([$verdict, {'answer': $substring($verdict.answer, 0, 1200)}]) %}" },
          Next: 'Deliver',
        },
        'Deliver': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:answers', Message: '{% $verdict.answer %}' },
          End: true,
        },
      },
    });
  },
};

/**
 * A support ticket, built with the CDK: normalised by a Pass (subject lower-cased, body split into
 * words, priority upper-cased), its body's sentiment from Comprehend merged in (`Sentiment` is the
 * service's enum), then routed. A ticket that reaches the default route and is tagged general is
 * checked again for a refund; `Refund desk` is never reached, since any subject holding `refund`
 * was already sent to billing by the route before.
 */
export const flowSupportTriage: ModernMachine = {
  name: 'FlowSupportTriage',
  shape: 'service workflow',
  build(stack) {
    const normalise = new sfn.Pass(stack, 'Normalise ticket', {
      outputs: '{% {"id": $states.input.ticketId, "subject": $lowercase($trim($states.input.subject)), "body": $states.input.body,'
        + ' "words": $split($trim($states.input.body), " "), "priority": $uppercase($states.input.priority)} %}',
    });
    const sentiment = Task.awsSdkCall(stack, 'Detect sentiment', {
      service: 'comprehend',
      action: 'detectSentiment',
      parameters: { Text: '{% $states.input.body %}', LanguageCode: 'en' },
      iamResources: ['*'],
      outputs: '{% $merge([$states.input, {"mood": $states.result.Sentiment, "negative": $states.result.SentimentScore.Negative}]) %}',
    });
    const oncall = topic(stack, 'OnCall');
    const page = Task.snsPublish(stack, 'Page on-call', { topic: oncall, message: sfn.TaskInput.fromText('{% "P1 ticket " & $states.input.id %}') });
    const escalate = Task.lambdaInvoke(stack, 'Escalate to lead', {
      lambdaFunction: fn(stack, 'EscalateFn'),
      payload: sfn.TaskInput.fromObject({ id: '{% $states.input.id %}', negative: '{% $states.input.negative %}' }),
    });
    const billingQueue = queue(stack, 'Billing');
    const billing = new tasks.SqsSendMessage(stack, 'Billing queue', {
      queue: billingQueue,
      messageBody: sfn.TaskInput.fromObject({ id: '{% $states.input.id %}', subject: '{% $states.input.subject %}' }),
    });
    const engineering = Task.lambdaInvoke(stack, 'File bug', {
      lambdaFunction: fn(stack, 'BugFn'),
      payload: sfn.TaskInput.fromObject({ id: '{% $states.input.id %}', title: '{% $substringAfter($states.input.subject, "bug:") %}' }),
    });
    const askMore = new sfn.Pass(stack, 'Ask for details', { outputs: '{% {"id": $states.input.id, "reply": "Could you tell us more?"} %}' });
    const general = new sfn.Pass(stack, 'Tag general', { outputs: '{% $merge([$states.input, {"queue": "general"}]) %}' });
    const refundDesk = new sfn.Pass(stack, 'Refund desk', { outputs: '{% {"id": $states.input.id, "queue": "refunds"} %}' });
    const file = Task.dynamoPutItem(stack, 'File ticket', {
      table: table(stack, 'Tickets', 'id'),
      item: { id: S('{% $states.input.id %}'), queue: S('{% $states.input.queue %}'), mood: S('{% $states.input.mood %}') },
    });
    const recheck = Choice.jsonata(stack, 'Billing slipped through?')
      .when(when('{% $contains($states.input.subject, "refund") %}'), refundDesk)
      .otherwise(file);
    const route = Choice.jsonata(stack, 'Route ticket')
      .when(when('{% $states.input.priority = "P1" %}'), page)
      .when(when('{% $states.input.mood = "NEGATIVE" and $states.input.negative > 0.8 %}'), escalate)
      .when(when('{% $contains($states.input.subject, /(invoice|refund|charge)/) %}'), billing)
      .when(when('{% $substring($states.input.subject, 0, 4) = "bug:" %}'), engineering)
      .when(when('{% $count($states.input.words) < 5 %}'), askMore)
      .otherwise(general.next(recheck));
    machine(stack, normalise.next(sentiment).next(route));
  },
};

/**
 * A cart priced by a function (lines of quantity and unit price, shipping, a discount in percent);
 * the subtotal is `$sum` over the lines' products, the total computed in a later Pass that also
 * fixes the currency; thresholds on the total, on the number of lines and their average price.
 * `Convert to USD` is never reached: `Set currency` always assigns `EUR`.
 */
export const flowCartTotals: ModernMachine = {
  name: 'FlowCartTotals',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Price cart',
      States: {
        'Price cart': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('price-cart'), Payload: { cartId: '{% $states.input.cartId %}' } },
          Assign: {
            lines: '{% $states.result.Payload.lines %}',
            subtotal: '{% $sum($states.result.Payload.lines.(qty * unitPrice)) %}',
            shipping: '{% $states.result.Payload.shipping %}',
            discount: '{% $states.result.Payload.discountPct %}',
          },
          Next: 'Set currency',
        },
        'Set currency': {
          Type: 'Pass',
          Assign: { currency: 'EUR', total: '{% $round($subtotal * (1 - $discount / 100) + $shipping, 2) %}' },
          Next: 'Check cart',
        },
        'Check cart': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $total > 2500 %}', Next: 'Manual review' },
            { Condition: '{% $count($lines) >= 4 and $average($lines.unitPrice) < 2 %}', Next: 'Bulk cheap items' },
            { Condition: '{% $total <= 0 %}', Next: 'Nothing to pay' },
            { Condition: "{% $currency = 'USD' %}", Next: 'Convert to USD' },
          ],
          Default: 'Charge',
        },
        'Manual review': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/cart-review', MessageBody: { cart: '{% $states.input.cartId %}', total: '{% $total %}' } },
          End: true,
        },
        'Bulk cheap items': { Type: 'Fail', Error: 'Cart.Suspicious', Cause: "{% $string($count($lines)) & ' lines under 2 on average' %}" },
        'Nothing to pay': { Type: 'Succeed' },
        'Convert to USD': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('fx'), Payload: { amount: '{% $total %}', from: '{% $currency %}' } },
          Next: 'Charge',
        },
        'Charge': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('charge'), Payload: { cart: '{% $states.input.cartId %}', amount: '{% $total %}', currency: '{% $currency %}' } },
          End: true,
        },
      },
    });
  },
};

/**
 * A workspace provisioned for an account, built with the CDK: the account's tier and credits read
 * from DynamoDB's typed attributes into variables, a function provisions the workspace (its payload
 * reshaped by an object constructor), an audit Pass in between, and a Choice three states after the
 * read on the workspace id's form (`$match`), the tier and seats, the credits against the seats.
 */
export const flowWorkspaceProvisioning: ModernMachine = {
  name: 'FlowWorkspaceProvisioning',
  shape: 'service workflow',
  build(stack) {
    const accounts = table(stack, 'Accounts', 'accountId');
    const load = Task.dynamoGetItem(stack, 'Load account', {
      table: accounts,
      key: { accountId: S('{% $states.input.accountId %}') },
      assign: {
        tier: '{% $states.result.Item.tier.S %}',
        credits: '{% $number($states.result.Item.credits.N) %}',
        account: '{% $states.input.accountId %}',
      },
      outputs: '{% $states.input %}',
    });
    const provision = Task.lambdaInvoke(stack, 'Provision workspace', {
      lambdaFunction: fn(stack, 'ProvisionFn'),
      payload: sfn.TaskInput.fromObject({ account: '{% $account %}', seats: '{% $states.input.seats %}' }),
      outputs: '{% {"workspace": $states.result.workspaceId, "seats": $states.result.seats, "regions": $states.result.regions} %}',
    });
    const audit = new sfn.Pass(stack, 'Audit', { assign: { audited: '{% $states.input.workspace %}' } });
    const badId = new sfn.Fail(stack, 'Bad workspace id', { error: 'Workspace.BadId' });
    const dedicated = Task.lambdaInvoke(stack, 'Dedicated cluster', {
      lambdaFunction: fn(stack, 'DedicatedFn'),
      payload: sfn.TaskInput.fromObject({ workspace: '{% $states.input.workspace %}' }),
    });
    const topUp = Task.snsPublish(stack, 'Ask for top-up', {
      topic: topic(stack, 'Billing'),
      message: sfn.TaskInput.fromText('{% "account " & $account & " needs " & $string($states.input.seats * 10 - $credits) & " credits" %}'),
    });
    const multiRegion = new sfn.Pass(stack, 'Replicate', { outputs: '{% {"regions": $states.input.regions} %}' });
    const done = new sfn.Succeed(stack, 'Ready');
    const size = Choice.jsonata(stack, 'Plan size')
      .when(when('{% $count($match($states.input.workspace, /^ws-[0-9a-f]{8}$/)) = 0 %}'), badId)
      .when(when('{% $tier in ["gold", "platinum"] and $states.input.seats > 50 %}'), dedicated)
      .when(when('{% $credits < $states.input.seats * 10 %}'), topUp)
      .when(when('{% $count($states.input.regions) > 2 %}'), multiRegion)
      .otherwise(done);
    machine(stack, load.next(provision).next(audit).next(size));
  },
};

/**
 * A customer message classified by a Bedrock model, built with the CDK: the message kept in a
 * variable, the model's text answer parsed into the state (`intent`, `score`, `language`); a sure
 * cancellation gets a retention offer, another is confirmed; a foreign message translated; a long
 * one summarised. `Offer anyway` is never reached: a cancellation scored 0.8 or more already took
 * the first branch of `Intent?`, and `Confirm cancel` passes the score on unchanged.
 */
export const flowIntentRouter: ModernMachine = {
  name: 'FlowIntentRouter',
  shape: 'service workflow',
  build(stack) {
    const model = bedrock.FoundationModel.fromFoundationModelId(stack, 'Model', new bedrock.FoundationModelIdentifier('anthropic.claude-3-haiku-20240307-v1:0'));
    const remember = new sfn.Pass(stack, 'Remember message', {
      assign: { customer: '{% $states.input.customerId %}', text: '{% $states.input.message %}' },
    });
    const classify = new tasks.BedrockInvokeModel(stack, 'Classify intent', {
      model,
      body: sfn.TaskInput.fromObject({
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 200,
        messages: [{ role: 'user', content: '{% "Reply with JSON {intent, score, language} for: " & $text %}' }],
      }),
      outputs: '{% $parse($states.result.Body.content[0].text) %}',
    });
    const offer = Task.lambdaInvoke(stack, 'Retention offer', {
      lambdaFunction: fn(stack, 'OfferFn'),
      payload: sfn.TaskInput.fromObject({ customer: '{% $customer %}' }),
    });
    const confirm = new sfn.Pass(stack, 'Confirm cancel');
    const offerAnyway = new sfn.Pass(stack, 'Offer anyway', { outputs: '{% {"customer": $customer, "offer": true} %}' });
    const cancel = Task.lambdaInvoke(stack, 'Cancel subscription', {
      lambdaFunction: fn(stack, 'CancelFn'),
      payload: sfn.TaskInput.fromObject({ customer: '{% $customer %}' }),
    });
    const sure = Choice.jsonata(stack, 'Sure?')
      .when(when('{% $states.input.score >= 0.8 %}'), offerAnyway)
      .otherwise(cancel);
    const translate = Task.awsSdkCall(stack, 'Translate', {
      service: 'translate',
      action: 'translateText',
      parameters: { Text: '{% $text %}', SourceLanguageCode: '{% $states.input.language %}', TargetLanguageCode: 'en' },
      iamResources: ['*'],
      outputs: '{% {"translated": $states.result.TranslatedText} %}',
    });
    const summarise = new sfn.Pass(stack, 'Summarise', { assign: { text: '{% $substring($text, 0, 500) %}' } });
    const answer = Task.lambdaInvoke(stack, 'Answer', {
      lambdaFunction: fn(stack, 'AnswerFn'),
      payload: sfn.TaskInput.fromObject({ customer: '{% $customer %}', text: '{% $text %}' }),
    });
    const intent = Choice.jsonata(stack, 'Intent?')
      .when(when('{% $states.input.intent = "cancel" and $states.input.score >= 0.8 %}'), offer)
      .when(when('{% $states.input.intent = "cancel" %}'), confirm.next(sure))
      .when(when('{% $lowercase($states.input.language) != "en" %}'), translate.next(answer))
      .when(when('{% $length($text) > 500 %}'), summarise.next(answer))
      .otherwise(answer);
    machine(stack, remember.next(classify).next(intent));
  },
};

/**
 * A refund decided from an order fetched by a function and merged whole into the state, with a
 * line count computed alongside; a risk service's answer (over HTTP) merged with its signals in an
 * array; the rules multiply the risk by the amount, look for a raised signal, and compare the
 * lines' sum with the amount claimed.
 */
export const flowRefundDecision: ModernMachine = {
  name: 'FlowRefundDecision',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Fetch order',
      States: {
        'Fetch order': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('fetch-order'), Payload: { orderId: '{% $states.input.orderId %}' } },
          Output: "{% $merge([$states.input, $states.result.Payload, {'lineCount': $count($states.result.Payload.items)}]) %}",
          Next: 'Risk score',
        },
        'Risk score': {
          Type: 'Task',
          Resource: 'arn:aws:states:::http:invoke',
          Arguments: {
            ApiEndpoint: 'https://risk.example.com/score',
            Method: 'POST',
            Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/risk/abc' },
            RequestBody: { ids: '{% [$states.input.customerId, $states.input.orderId] %}', amount: '{% $states.input.amount %}' },
          },
          Output: "{% $merge([$states.input, {'risk': $states.result.ResponseBody.risk, 'signals': [$states.result.ResponseBody.velocity, $states.result.ResponseBody.geoMismatch]}]) %}",
          Next: 'Decide refund',
        },
        'Decide refund': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.risk * $states.input.amount > 5000 %}', Next: 'Hold' },
            { Condition: '{% true in $states.input.signals %}', Next: 'Verify identity' },
            { Condition: '{% $states.input.lineCount = 1 and $states.input.amount < 20 %}', Next: 'Auto refund' },
            { Condition: '{% $sum($states.input.items.price) != $states.input.amount %}', Next: 'Amount mismatch' },
          ],
          Default: 'Agent review',
        },
        'Hold': { Type: 'Fail', Error: 'Refund.Held' },
        'Verify identity': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:verify', Message: '{% $states.input.customerId %}' },
          End: true,
        },
        'Auto refund': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('refund'), Payload: { orderId: '{% $states.input.orderId %}', amount: '{% $states.input.amount %}' } },
          End: true,
        },
        'Amount mismatch': { Type: 'Fail', Error: 'Refund.Mismatch' },
        'Agent review': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/refunds', MessageBody: '{% $states.input %}' },
          End: true,
        },
      },
    });
  },
};

/**
 * A shipment quoted in JSONPath: a Pass counts the parcels and formats a label with intrinsic
 * functions and keeps the order id in a JSONPath `Assign`; two carriers quote in a Parallel, each
 * branch's answer cut down by a `ResultSelector`, the Parallel's result renamed by its own and put
 * beside the input by `ResultPath`; a Choice compares the quotes; the booking's status is kept in a
 * variable and read by a later Choice. `Express surcharge` is never reached: the Pass before it
 * fixes the service level to `standard`.
 */
export const flowShipmentQuotes: ModernMachine = {
  name: 'FlowShipmentQuotes',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Count parcels',
      States: {
        'Count parcels': {
          Type: 'Pass',
          Parameters: {
            'orderId.$': '$.orderId',
            'country.$': '$.country',
            'parcels.$': '$.parcels',
            'count.$': 'States.ArrayLength($.parcels)',
            'label.$': "States.Format('order {} to {}', $.orderId, $.country)",
          },
          Assign: { 'orderId.$': '$.orderId' },
          Next: 'Quotes',
        },
        'Quotes': {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Carrier A',
              States: {
                'Carrier A': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Parameters: { FunctionName: FN('quote-carrier-a'), 'Payload.$': '$' },
                  ResultSelector: { 'price.$': '$.Payload.price', 'days.$': '$.Payload.days' },
                  End: true,
                },
              },
            },
            {
              StartAt: 'Carrier B',
              States: {
                'Carrier B': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Parameters: { FunctionName: FN('quote-carrier-b'), Payload: { 'parcels.$': '$.parcels', 'to.$': '$.country' } },
                  ResultSelector: { 'price.$': '$.Payload.total', 'days.$': '$.Payload.eta' },
                  End: true,
                },
              },
            },
          ],
          ResultSelector: { 'a.$': '$[0]', 'b.$': '$[1]' },
          ResultPath: '$.quotes',
          Next: 'Pick carrier',
        },
        'Pick carrier': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.count', NumericGreaterThan: 20, Next: 'Freight' },
            { And: [{ Variable: '$.quotes.a.price', NumericLessThanPath: '$.quotes.b.price' }, { Variable: '$.quotes.a.days', NumericLessThanEquals: 5 }], Next: 'Book A' },
            { Variable: '$.quotes.b.days', NumericGreaterThan: 10, Next: 'Too slow' },
          ],
          Default: 'Book B',
        },
        'Freight': { Type: 'Fail', Error: 'Shipment.Freight', Cause: 'more than 20 parcels go by freight' },
        'Too slow': { Type: 'Fail', Error: 'Shipment.TooSlow' },
        'Book A': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: FN('book-carrier-a'), 'Payload': { 'order.$': '$orderId', 'label.$': '$.label' } },
          Assign: { 'bookingStatus.$': '$.Payload.status' },
          ResultPath: '$.booking',
          Next: 'Booked?',
        },
        'Book B': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: FN('book-carrier-b'), 'Payload': { 'order.$': '$orderId', 'label.$': '$.label' } },
          Assign: { 'bookingStatus.$': '$.Payload.status' },
          ResultPath: '$.booking',
          Next: 'Service level',
        },
        'Service level': { Type: 'Pass', Result: { mode: 'standard' }, ResultPath: '$.service', Next: 'Express?' },
        'Express?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.service.mode', StringEquals: 'express', Next: 'Express surcharge' }],
          Default: 'Booked?',
        },
        'Express surcharge': { Type: 'Pass', Result: 12.5, ResultPath: '$.surcharge', Next: 'Booked?' },
        'Booked?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$bookingStatus', StringEquals: 'CONFIRMED', Next: 'Notify' },
            { Variable: '$bookingStatus', StringEquals: 'WAITLISTED', Next: 'Wait for slot' },
          ],
          Default: 'Booking failed',
        },
        'Wait for slot': { Type: 'Wait', Seconds: 3600, Next: 'Notify' },
        'Booking failed': { Type: 'Fail', Error: 'Shipment.NotBooked' },
        'Notify': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Parameters: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:shipments', 'Message.$': "States.Format('booked {}', $orderId)" },
          End: true,
        },
      },
    });
  },
};

/**
 * A scanned document in JSONPath: its record read from DynamoDB with a `ResultSelector` on the
 * owner's typed attribute, then each page read by a function in an inline Map (each result cut by
 * a `ResultSelector`, the Map's results put beside the input), the pages counted with an intrinsic
 * function, and a Choice on the count and on the first page's language and confidence. `Orphan page`
 * is never reached: a record without an owner fails `Load record`, whose `ResultSelector` path then
 * finds nothing.
 */
export const flowScannedDocument: ModernMachine = {
  name: 'FlowScannedDocument',
  shape: 'document pipeline',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Load record',
      States: {
        'Load record': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 'Documents', Key: { docId: { 'S.$': '$.docId' } } },
          ResultSelector: { 'owner.$': '$.Item.owner.S' },
          ResultPath: '$.record',
          Next: 'Owner known?',
        },
        'Owner known?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.record.owner', IsPresent: false, Next: 'Orphan page' }],
          Default: 'Read pages',
        },
        'Orphan page': { Type: 'Fail', Error: 'Document.NoOwner' },
        'Read pages': {
          Type: 'Map',
          ItemsPath: '$.pages',
          ItemSelector: { 'page.$': '$$.Map.Item.Value', 'number.$': '$$.Map.Item.Index', 'doc.$': '$.docId' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'OCR page',
            States: {
              'OCR page': {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Parameters: { FunctionName: FN('ocr'), 'Payload.$': '$' },
                ResultSelector: { 'lang.$': '$.Payload.language', 'confidence.$': '$.Payload.confidence', 'words.$': '$.Payload.wordCount' },
                End: true,
              },
            },
          },
          ResultPath: '$.ocr',
          Next: 'Count pages',
        },
        'Count pages': {
          Type: 'Pass',
          Parameters: { 'pages.$': 'States.ArrayLength($.ocr)', 'first.$': '$.ocr[0]', 'docId.$': '$.docId', 'owner.$': '$.record.owner' },
          Next: 'What next?',
        },
        'What next?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.pages', NumericGreaterThan: 10, Next: 'Split document' },
            { Variable: '$.first.lang', StringEquals: 'fr', Next: 'Translate' },
            { And: [{ Variable: '$.first.confidence', IsNumeric: true }, { Variable: '$.first.confidence', NumericLessThan: 0.5 }], Next: 'Manual check' },
          ],
          Default: 'Index',
        },
        'Split document': { Type: 'Pass', End: true },
        'Translate': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: FN('translate-doc'), 'Payload.$': '$' },
          End: true,
        },
        'Manual check': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/ocr-check', 'MessageBody.$': '$' },
          End: true,
        },
        'Index': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: { TableName: 'DocumentIndex', Item: { docId: { 'S.$': '$.docId' }, owner: { 'S.$': '$.owner' } } },
          End: true,
        },
      },
    });
  },
};
