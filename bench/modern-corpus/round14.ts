/*
 * Machines whose Choices count lists a JSONata expression makes of texts (issue 77, explore round
 * 4): labels trimmed and upper-cased by a `$map` lambda and de-duplicated through a chain, and
 * codes cut out of a text with `$split` then trimmed. The lists a count wants must be lists of
 * texts, which the Task's answer can give.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const LAMBDA = 'arn:aws:states:::lambda:invoke';

/**
 * A support ticket classified by a model behind a Lambda: its labels normalised (trimmed,
 * upper-cased, de-duplicated), an urgent label paged, many labels sent to a triage team, the rest
 * answered automatically.
 */
export const labelledTicketTriage: ModernMachine = {
  name: 'LabelledTicketTriage',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Classify ticket',
      States: {
        'Classify ticket': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('classify-ticket'), Payload: { text: '{% $states.input.body %}' } },
          Assign: {
            labels: '{% $map($states.result.Payload.labels, function($l) { $uppercase($trim($l)) }) ~> $distinct %}',
            ticket: '{% $states.input.ticketId %}',
          },
          Next: 'Route ticket',
        },
        'Route ticket': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% "URGENT" in $labels %}', Next: 'Page on-call' },
            { Condition: '{% $count($labels) > 3 %}', Next: 'Triage team' },
          ],
          Default: 'Auto reply',
        },
        'Page on-call': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:on-call', Message: "{% 'Urgent ticket ' & $ticket %}" },
          End: true,
        },
        'Triage team': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/triage', MessageBody: { ticket: '{% $ticket %}', labels: '{% $labels %}' } },
          End: true,
        },
        'Auto reply': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('auto-reply'), Payload: { ticket: '{% $ticket %}', labels: '{% $labels %}' } },
          End: true,
        },
      },
    });
  },
};

/**
 * A shipment's customs codes read from a carrier's answer as one `;`-separated text, each trimmed:
 * five codes or more go to a broker, none is a failure, the rest are filed directly.
 */
export const customsCodeFiling: ModernMachine = {
  name: 'CustomsCodeFiling',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Ask carrier',
      States: {
        'Ask carrier': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('carrier-codes'), Payload: { shipment: '{% $states.input.shipmentId %}' } },
          Assign: { codes: '{% $split($states.result.Payload.codes, ";") ~> $map($trim) %}' },
          Next: 'How many codes?',
        },
        'How many codes?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $count($codes) >= 5 %}', Next: 'Send to broker' },
            { Condition: '{% $count($codes[$ != ""]) = 0 %}', Next: 'No codes' },
          ],
          Default: 'File codes',
        },
        'Send to broker': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('customs-broker'), Payload: { codes: '{% $codes %}' } },
          End: true,
        },
        'File codes': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('file-customs'), Payload: { codes: '{% $codes %}' } },
          End: true,
        },
        'No codes': { Type: 'Fail', Error: 'Customs.NoCodes', Cause: 'the carrier gave no customs code' },
      },
    });
  },
};
