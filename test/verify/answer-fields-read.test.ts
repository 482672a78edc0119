import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import type { Outcome } from '../../src/explore/runner';
import { machineTexts, textAnswers, textsOfRulesRead } from '../../src/explore/verify-texts';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { LAMBDA, reproduced } from './verify-setup';

/*
 * A value a run predicate asks about may belong at a field of a Task's answer that no answer of the
 * search holds: the search answered `{}` where the machine reads `Payload.status`, or an answer with
 * no `tags` where a Choice reads the answer's `tags` through an Output that merged it in. verify's
 * text and kind probes now also place their values at the fields the Task's reads take from its
 * answer and at those the Choice rules read, followed back through a run to the answer (each only
 * where the service's model allows the value: a Lambda function's payload is any JSON).
 */

stopExploreClock();

/**
 * A day's invoices listed from S3 and booked one by one (a Distributed Map); the summary counts the bookings answered FAILED, and its
 * rule for failures was written `> 1` where `> 0` was meant, so a batch with one failure is done.
 */
const INVOICES = {
  QueryLanguage: 'JSONata',
  StartAt: 'Invoices',
  States: {
    'Invoices': {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Arguments: { Bucket: 'invoices-inbox', Prefix: "{% $states.input.day & '/' %}" },
      },
      ItemSelector: { index: '{% $states.context.Map.Item.Index %}', key: '{% $states.context.Map.Item.Value.Key %}', size: '{% $states.context.Map.Item.Value.Size %}' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
        StartAt: 'Too big?',
        States: {
          'Too big?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.size > 5000000 %}', Next: 'Skip' }], Default: 'Book invoice' },
          'Skip': { Type: 'Pass', Output: "{% {'index': $states.input.index, 'status': 'SKIPPED'} %}", End: true },
          'Book invoice': {
            Type: 'Task',
            Resource: LAMBDA,
            Arguments: { FunctionName: 'book-invoice', Payload: { key: '{% $states.input.key %}' } },
            Output: "{% {'index': $states.input.index, 'status': $states.result.Payload.status} %}",
            End: true,
          },
        },
      },
      Output: "{% {'count': $count($states.result), 'failed': $count($states.result[status = 'FAILED'])} %}",
      Next: 'Summary',
    },
    'Summary': {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $states.input.count = 0 %}', Next: 'Nothing to do' },
        { Condition: '{% $states.input.failed > 1 %}', Next: 'Report failures' },
        { Condition: '{% $states.input.count >= 3 %}', Next: 'Big batch' },
      ],
      Default: 'Done',
    },
    'Nothing to do': { Type: 'Succeed' },
    'Report failures': { Type: 'Succeed' },
    'Big batch': { Type: 'Succeed' },
    'Done': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/**
 * A profile looked up and merged into the input; the rule for beta users asks for the kind
 * `'arry'` (a typo for `'array'`), so a profile tagged beta gets the plain welcome.
 */
const PROFILES = {
  QueryLanguage: 'JSONata',
  StartAt: 'Look up profile',
  States: {
    'Look up profile': {
      Type: 'Task',
      Resource: LAMBDA,
      Arguments: { FunctionName: 'lookup-profile', Payload: '{% $states.input %}' },
      Output: "{% $merge([$states.input, {'profile': $states.result.Payload}]) %}",
      Next: 'Route',
    },
    'Route': {
      Type: 'Choice',
      Choices: [
        { Condition: "{% $type($states.input.profile.tags) = 'arry' and 'beta' in $states.input.profile.tags %}", Next: 'Beta welcome' },
        { Condition: "{% $type($states.input.profile.score) = 'number' and $states.input.profile.score > 50 %}", Next: 'Priority welcome' },
      ],
      Default: 'Plain welcome',
    },
    'Beta welcome': { Type: 'Succeed' },
    'Priority welcome': { Type: 'Succeed' },
    'Plain welcome': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/**
 * A support message classified by a model on Bedrock; the rule for an escalation counts the
 * matches of a pattern anchored at the start as `> 1` where `> 0` was meant: no reply escalates.
 */
const INTENTS = {
  QueryLanguage: 'JSONata',
  StartAt: 'Classify',
  States: {
    'Classify': {
      Type: 'Task',
      Resource: 'arn:aws:states:::bedrock:invokeModel',
      Arguments: { ModelId: 'amazon.nova-lite-v1:0', Body: { messages: [{ role: 'user', content: [{ text: '{% $states.input.message %}' }] }] } },
      Assign: { answer: '{% $states.result.Body.output.message.content[0].text %}' },
      Next: 'Intent?',
    },
    'Intent?': {
      Type: 'Choice',
      Choices: [{ Condition: '{% $count($match($answer, /^\\s*ESCALATE/)) > 1 %}', Next: 'Page a human' }],
      Default: 'Reply',
    },
    'Page a human': { Type: 'Succeed' },
    'Reply': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** Every batch with a booking answered FAILED is reported. */
const failuresReported = (run: WorkflowRun): boolean =>
  !run.visited('Summary') || run.visited('Report failures') || !((run.inputOf('Summary') as { failed?: number } | null)?.failed! > 0);

/** Every profile with a list of tags holding `beta` gets the beta welcome. */
const betaWelcomed = (run: WorkflowRun): boolean => {
  if (!run.visited('Route')) return true;
  const tags = (run.inputOf('Route') as { profile?: { tags?: unknown } } | null)?.profile?.tags;
  return !(Array.isArray(tags) && tags.includes('beta')) || run.visited('Beta welcome');
};

/** Every reply the model starts with ESCALATE pages a human. */
const escalated = (run: WorkflowRun): boolean => {
  if (!run.visited('Intent?')) return true;
  const body = (run.outputOf('Classify') as { Body?: { output?: { message?: { content?: Array<{ text?: unknown }> } } } } | null)?.Body;
  const text = body?.output?.message?.content?.[0]?.text;
  return !(typeof text === 'string' && /^\s*ESCALATE/.test(text)) || run.visited('Page a human');
};

describe('values placed at the answer fields the machine reads, which the search\'s answers lack', () => {
  it('tries a text an expression compares before the keys the machine only writes', () => {
    const texts = machineTexts(INVOICES);
    expect(texts.indexOf('FAILED')).toBeGreaterThanOrEqual(0);
    expect(texts.indexOf('FAILED')).toBeLessThan(texts.indexOf('count'));
  });

  it('finds the batch with one booking answered FAILED at the status the Task reads, and it reproduces', async () => {
    const wf = Workflow.fromDefinition(INVOICES);
    const report = await wf.verify({ failuresReported: Property.run(failuresReported) });
    const v = report.properties.failuresReported;
    expect(v.verdict).toBe('VIOLATED');
    expect(JSON.stringify(v.counterexample!.mocks['Book invoice'])).toContain('{"Return":{"status":"FAILED"}}');
    const { run } = await reproduced(wf, INVOICES, v, 'invoices');
    expect({ ok: failuresReported(run), end: run.path[run.path.length - 1] }).toEqual({ ok: false, end: 'Done' });
  });

  it('finds the profile whose tags are a list holding beta, at the field the Choice reads through the Output, and it reproduces', async () => {
    const wf = Workflow.fromDefinition(PROFILES);
    const report = await wf.verify({ betaWelcomed: Property.run(betaWelcomed) });
    const v = report.properties.betaWelcomed;
    expect(v.verdict).toBe('VIOLATED');
    expect(v.counterexample!.mocks['Look up profile']).toMatchObject({ Return: { tags: ['beta'] } });
    const { run } = await reproduced(wf, PROFILES, v, 'profiles');
    expect(betaWelcomed(run)).toBe(false);
  });

  it('finds the reply that starts with ESCALATE six fields deep in the model\'s Body, and it reproduces', async () => {
    const wf = Workflow.fromDefinition(INTENTS);
    const report = await wf.verify({ escalated: Property.run(escalated) });
    const v = report.properties.escalated;
    expect(v.verdict).toBe('VIOLATED');
    expect(v.counterexample!.mocks.Classify).toMatchObject({ Return: { Body: { output: { message: { content: [{ text: 'ESCALATE' }] } } } } });
    const { run } = await reproduced(wf, INTENTS, v, 'intents');
    expect(escalated(run)).toBe(false);
  });

  it('tries first, at an answer field a Choice rule reads, the texts that rule names', () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Ask',
      States: {
        'Ask': { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'ask', Payload: { a: 'one', b: 'two', c: 'three' } }, Assign: { who: '{% $states.result.Payload.approver %}' }, Next: 'Who?' },
        'Who?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $states.input.kind = 'other' %}", Next: 'Done' }, { Condition: '{% $count($match($who, /@example\\.com$/)) = 1 %}', Next: 'Done' }],
          Default: 'Done',
        },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const answers = new Map<string, Outcome[]>([['Ask', [{ kind: 'return', value: { note: 'x', approver: 'someone' } }]]]);
    const rules = (def as unknown as { States: { 'Who?': { Choices: unknown[] } } }).States['Who?'].Choices;
    const ruled = textsOfRulesRead([{ state: 'Ask', steps: ['approver'], rules: [rules[1]] }]);
    const tried = textAnswers(def, new Map([['Ask', LAMBDA]]), [answers], { reads: new Map(), ruled }, () => ['Payload']);
    const first = tried[0].answers.get('Ask')![0] as { value: { approver?: string } };
    expect(first.value.approver).toMatch(/@example\.com$/);
  });
});
