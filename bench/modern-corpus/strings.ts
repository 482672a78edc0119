/*
 * Machines in the idioms the held modern machines use for strings and numbers (issue 77, round
 * 4, explore-strings), written for this corpus: a polling loop whose branch needs five turns of a
 * counter kept in Assign, a threshold on a total summed from three Tasks' answers less a discount,
 * a `$match` on a reference's format (and a count of its matches), a `$substring` prefix route,
 * and a GenAI guardrail routed on strings of a nested Bedrock answer.
 */
import type { ModernMachine } from './common';
import { fromAsl } from './flows';

/**
 * An export started by one function and polled by another until it is done: the status is read
 * upper-cased, the time waited adds up each answer's `retryAfter`; five polls at most, then an
 * export still under half way fails as too slow and one past it is escalated to the on-call topic.
 */
export const exportPolling: ModernMachine = {
  name: 'ExportPolling',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Start export',
      States: {
        'Start export': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: {
            FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:start-export',
            Payload: { dataset: '{% $states.input.dataset %}' },
          },
          Assign: { jobId: '{% $states.result.Payload.jobId %}', turn: 0, waited: 0 },
          Next: 'Check export',
        },
        'Check export': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: {
            FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:export-status',
            Payload: { jobId: '{% $jobId %}' },
          },
          Assign: {
            turn: '{% $turn + 1 %}',
            waited: '{% $waited + $states.result.Payload.retryAfter %}',
            state: '{% $uppercase($states.result.Payload.state) %}',
            progress: '{% $states.result.Payload.progress %}',
          },
          Next: 'Export ready?',
        },
        'Export ready?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $state = 'SUCCEEDED' and $progress = 100 %}", Next: 'Publish' },
            { Condition: "{% $state in ['FAILED', 'CANCELLED'] %}", Next: 'Export failed' },
            { Condition: '{% $turn >= 5 and $progress < 50 %}', Next: 'Too slow' },
            { Condition: '{% $turn >= 5 %}', Next: 'Escalate' },
            { Condition: '{% $waited > 600 %}', Next: 'Too slow' },
          ],
          Default: 'Pause',
        },
        Pause: { Type: 'Wait', Seconds: '{% $turn * 10 %}', Next: 'Check export' },
        Publish: { Type: 'Succeed' },
        'Export failed': { Type: 'Fail', Error: 'ExportFailed', Cause: "{% 'export ' & $jobId & ' ended ' & $state %}" },
        'Too slow': { Type: 'Fail', Error: 'ExportTooSlow' },
        Escalate: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: {
            TopicArn: 'arn:aws:sns:us-east-1:123456789012:ops',
            Message: "{% 'export ' & $jobId & ' still at ' & $string($progress) & '%' %}",
          },
          End: true,
        },
      },
    });
  },
};

/**
 * A cart priced by three functions in turn (the lines, the shipping by weight, the tax), each
 * answer merged into what the next one reads; the total less the discount decides: above 5,000 a
 * person reviews it, from 1,000 a gold customer gets a free upgrade, nothing to charge at or below zero.
 */
export const cartThresholds: ModernMachine = {
  name: 'CartThresholds',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Price lines',
      States: {
        'Price lines': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:price', Payload: '{% $states.input.cart %}' },
          Output: '{% $states.result.Payload %}',
          Assign: { customer: '{% $states.input.customer %}' },
          Next: 'Shipping',
        },
        Shipping: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: {
            FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:shipping',
            Payload: { weight: '{% $states.input.weight %}' },
          },
          Output: "{% $merge([$states.input, { 'shipping': $states.result.Payload.cost }]) %}",
          Next: 'Tax',
        },
        Tax: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: {
            FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:tax',
            Payload: { subtotal: '{% $states.input.subtotal %}' },
          },
          Assign: {
            total: '{% $states.input.subtotal + $states.input.shipping + $states.result.Payload.tax %}',
            discount: '{% $states.input.discount %}',
          },
          Next: 'Route total',
        },
        'Route total': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $total - $discount > 5000 %}', Next: 'Manual review' },
            { Condition: "{% $total - $discount >= 1000 and $customer.tier = 'gold' %}", Next: 'Free upgrade' },
            { Condition: '{% $total <= 0 %}', Next: 'Nothing to charge' },
          ],
          Default: 'Charge',
        },
        'Manual review': { Type: 'Fail', Error: 'NeedsReview' },
        'Free upgrade': { Type: 'Pass', Next: 'Charge' },
        'Nothing to charge': { Type: 'Succeed' },
        Charge: { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A payment reference routed by its format: an invoice number (`INV-2024-000123`, matched anchored),
 * a credit note (`CN` and eight digits), an EDI batch that names two or more partner codes
 * (`$count($match(...))`) on the EDI channel, and one too long to be any of them.
 */
export const referenceFormats: ModernMachine = {
  name: 'ReferenceFormats',
  shape: 'document pipeline',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Normalize',
      States: {
        Normalize: {
          Type: 'Pass',
          Assign: { ref: '{% $trim($states.input.reference) %}', channel: '{% $lowercase($states.input.channel) %}' },
          Next: 'Which format?',
        },
        'Which format?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $exists($match($ref, /^INV-[0-9]{4}-[0-9]{6}$/)) %}', Next: 'Invoice' },
            { Condition: '{% $contains($ref, /^CN[0-9]{8}$/) %}', Next: 'Credit note' },
            {
              Condition: "{% $count($match($ref, /[A-Z]{2}[0-9]{2}/)) >= 2 and $channel = 'edi' %}",
              Next: 'EDI batch',
            },
            { Condition: '{% $length($ref) > 40 %}', Next: 'Too long' },
          ],
          Default: 'Unknown format',
        },
        Invoice: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: {
            FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:invoice',
            Payload: { year: '{% $substring($ref, 4, 4) %}', number: '{% $substring($ref, 9) %}' },
          },
          End: true,
        },
        'Credit note': { Type: 'Succeed' },
        'EDI batch': { Type: 'Succeed' },
        'Too long': { Type: 'Fail', Error: 'ReferenceTooLong' },
        'Unknown format': { Type: 'Fail', Error: 'UnknownReference' },
      },
    });
  },
};

/**
 * A SKU looked up in the catalogue and routed by its prefix (`$substring(sku, 0, 3)`), its warehouse
 * (`$substringBefore(warehouse, '/')`) and its stock: EU and US stock ship from their own
 * warehouses, dropship items go to the supplier, a `PRE-` SKU out of stock is a preorder.
 */
export const skuPrefixRoute: ModernMachine = {
  name: 'SkuPrefixRoute',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Look up SKU',
      States: {
        'Look up SKU': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Arguments: { TableName: 'Catalog', Key: { sku: { S: '{% $states.input.sku %}' } } },
          Assign: {
            sku: '{% $states.input.sku %}',
            warehouse: '{% $states.result.Item.warehouse.S %}',
            qty: '{% $number($states.result.Item.qty.N) %}',
          },
          Next: 'Route by prefix',
        },
        'Route by prefix': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $substring($sku, 0, 3) = 'EU-' and $qty > 0 %}", Next: 'Ship from Dublin' },
            { Condition: "{% $substring($sku, 0, 3) = 'US-' and $qty > 0 %}", Next: 'Ship from Ohio' },
            { Condition: "{% $substringBefore($warehouse, '/') = 'dropship' %}", Next: 'Dropship' },
            { Condition: '{% $qty = 0 and $contains($sku, /^PRE-/) %}', Next: 'Preorder' },
          ],
          Default: 'Backorder',
        },
        'Ship from Dublin': { Type: 'Succeed' },
        'Ship from Ohio': { Type: 'Succeed' },
        Dropship: { Type: 'Succeed' },
        Preorder: { Type: 'Succeed' },
        Backorder: { Type: 'Fail', Error: 'OutOfStock' },
      },
    });
  },
};

/**
 * A support answer drafted by a model behind a Bedrock guardrail and routed on the nested answer:
 * a guardrail that intervened fails the run, a reply cut at max_tokens is kept as truncated, a
 * reply that mentions refunds goes to the refund desk, an unsure one to a person.
 */
export const guardrailRoute: ModernMachine = {
  name: 'GuardrailRoute',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Answer',
      States: {
        Answer: {
          Type: 'Task',
          Resource: 'arn:aws:states:::bedrock:invokeModel',
          Arguments: {
            ModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
            GuardrailIdentifier: 'gr-support',
            GuardrailVersion: '1',
            Body: {
              anthropic_version: 'bedrock-2023-05-31',
              max_tokens: 400,
              messages: [{ role: 'user', content: '{% $states.input.question %}' }],
            },
          },
          Assign: {
            verdict: "{% $states.result.Body.'amazon-bedrock-guardrailAction' %}",
            text: '{% $states.result.Body.content[0].text %}',
            stop: '{% $states.result.Body.stop_reason %}',
          },
          Next: 'Guardrail?',
        },
        'Guardrail?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $verdict = 'INTERVENED' %}", Next: 'Blocked' },
            { Condition: "{% $stop = 'max_tokens' %}", Next: 'Truncated' },
            { Condition: "{% $contains($lowercase($text), 'refund') %}", Next: 'Refund desk' },
            { Condition: "{% $contains($text, /\\b(I don't know|not sure)\\b/i) %}", Next: 'Human' },
          ],
          Default: 'Reply',
        },
        Blocked: { Type: 'Fail', Error: 'Guardrail.Intervened' },
        Truncated: { Type: 'Succeed' },
        'Refund desk': { Type: 'Succeed' },
        Human: { Type: 'Succeed' },
        Reply: { Type: 'Succeed' },
      },
    });
  },
};
