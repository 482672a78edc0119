import type { JsonValue, StateMachineDefinition } from '../../src/asl';
import { checkAnswer } from '../../src/contracts';
import type { Outcome, ScenarioRunner } from '../../src/explore/runner';
import { verifyMachine } from '../../src/explore/verify';
import { boundaryAnswers, boundaryShapes } from '../../src/explore/verify-boundaries';
import { kindAnswers } from '../../src/explore/verify-kinds';
import { textAnswers } from '../../src/explore/verify-texts';
import { Property } from '../../src/testing';
import { Workflow } from '../../src/testing/workflow';
import { HarnessRunner } from '../../src/workbench/workflow/explore-runner';
import { stopExploreClock } from '../explore-clock';

/*
 * Every value verify places in a Task's answer (a number at a boundary, a text the machine
 * writes, a value of another kind) is one the service's model allows there: Comprehend's
 * DetectSentiment answers a Sentiment of POSITIVE, NEGATIVE, NEUTRAL or MIXED and nothing else
 * (https://docs.aws.amazon.com/comprehend/latest/APIReference/API_DetectSentiment.html#API_DetectSentiment_ResponseSyntax).
 * A probe once answered `"Sentiment": "2.9"` (a boundary number written as text where the model
 * types the field a string): a run AWS cannot have, so a property it breaks is no property AWS breaks.
 */

stopExploreClock();

const DETECT = 'arn:aws:states:::aws-sdk:comprehend:detectSentiment';
const SENTIMENTS = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'];

/**
 * A ticket's sentiment read from Comprehend and routed on it: a sentiment Comprehend lists, one
 * it does not (no AWS run enters 'Unheard of': a null, which the model lets a field hold, is no text), or none. `$type` makes verify try other kinds.
 */
const triage = {
  QueryLanguage: 'JSONata',
  StartAt: 'Detect',
  States: {
    'Detect': {
      Type: 'Task',
      Resource: DETECT,
      Arguments: { Text: '{% $states.input.message %}', LanguageCode: 'en' },
      Assign: { mood: '{% $states.result.Sentiment %}', score: '{% $states.result.SentimentScore.Negative %}' },
      Next: 'Route',
    },
    'Route': {
      Type: 'Choice',
      Choices: [
        { Condition: "{% $mood = 'NEGATIVE' and $type($score) = 'number' and $score > 0.8 %}", Next: 'Escalate' },
        { Condition: `{% $mood in ${JSON.stringify(SENTIMENTS)} %}`, Next: 'Standard' },
        { Condition: "{% $type($mood) = 'string' %}", Next: 'Unheard of' },
      ],
      Default: 'No sentiment',
    },
    'Escalate': { Type: 'Succeed' },
    'Standard': { Type: 'Succeed' },
    'Unheard of': { Type: 'Succeed' },
    'No sentiment': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** A runner that keeps every answer a Task call got, with the call's Resource. */
function recording(definition: StateMachineDefinition): { runner: ScenarioRunner; answers: Array<{ resource: string; value: JsonValue }> } {
  const inner = new HarnessRunner(Workflow.fromDefinition(definition), 0);
  const answers: Array<{ resource: string; value: JsonValue }> = [];
  const runner: ScenarioRunner = {
    definition: inner.definition,
    type: inner.type,
    run: async (input, answer, limits, interrupt, history) => inner.run(input, (call) => {
      const o = answer(call);
      if (o.kind === 'return') answers.push({ resource: call.resource, value: o.value });
      return o;
    }, limits, interrupt, history),
    replay: (input, mocks, childEvents, interrupt, history) => inner.replay(input, mocks, childEvents, interrupt, history),
    replayAsTest: (input, mocks) => inner.replayAsTest(input, mocks),
    resultPrefix: (r) => inner.resultPrefix(r),
  };
  return { runner, answers };
}

/** What the model refuses in each answer (PRESENT: the fields present), each message once. */
const refusals = (answers: ReadonlyArray<{ resource: string; value: JsonValue }>): string[] =>
  [...new Set(answers.flatMap((a) => checkAnswer(a.resource, a.value, 'PRESENT').map((f) => f.message)))];

/** The answers to Detect in each set a probe makes. */
const detectAnswers = (sets: ReadonlyArray<ReadonlyMap<string, readonly Outcome[]>>): Array<{ resource: string; value: JsonValue }> =>
  sets.flatMap((s) => (s.get('Detect') ?? []).flatMap((o) => (o.kind === 'return' ? [{ resource: DETECT, value: o.value }] : [])));

describe('the answers verify places are held to the service model', () => {
  const bases: Array<ReadonlyMap<string, readonly Outcome[]>> = [
    new Map([['Detect', [{ kind: 'return', value: {} }]]]),
    new Map([['Detect', [{ kind: 'return', value: { Sentiment: 'NEGATIVE', SentimentScore: { Negative: 0.9 } } }]]]),
  ];

  it('sets a read enum field to no number written as text (the boundary probes)', () => {
    const made = bases.flatMap((b) => [...boundaryAnswers(triage, [], b), ...boundaryShapes(triage, [], b)]);
    expect(made.length).toBeGreaterThan(0);
    expect(refusals(detectAnswers(made))).toEqual([]);
  });

  it('sets a read enum field to no text of another kind the enum does not list (the kind probes)', () => {
    const made = bases.flatMap((b) => kindAnswers(triage, b, () => []));
    expect(made.length).toBeGreaterThan(0);
    expect(refusals(detectAnswers(made))).toEqual([]);
  });

  it('sets an enum field only to what its enum lists (the text probes)', () => {
    const made = textAnswers(triage, new Map([['Detect', DETECT]]), bases).map((t) => t.answers);
    expect(made.length).toBeGreaterThan(0);
    expect(refusals(detectAnswers(made))).toEqual([]);
  });

  it('sets a text field only to texts of the lengths its model allows (the text probes)', () => {
    // Translate answers a SourceLanguageCode of 2 to 5 characters (its model): the machine's longer texts go elsewhere.
    const TRANSLATE = 'arn:aws:states:::aws-sdk:translate:translateText';
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Translate',
      States: {
        'Translate': {
          Type: 'Task',
          Resource: TRANSLATE,
          Arguments: { Text: '{% $states.input.text %}', SourceLanguageCode: 'auto', TargetLanguageCode: 'en' },
          Next: 'French?',
        },
        'French?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $states.input.SourceLanguageCode = 'fr' %}", Next: 'Send to the Paris desk' }],
          Default: 'Send to the general desk',
        },
        'Send to the Paris desk': { Type: 'Succeed' },
        'Send to the general desk': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const base = new Map([['Translate', [{ kind: 'return', value: { TranslatedText: 'hello', SourceLanguageCode: 'de', TargetLanguageCode: 'en' } } as Outcome]]]);
    const made = textAnswers(def, new Map([['Translate', TRANSLATE]]), [base]).map((t) => t.answers);
    const answers = made.flatMap((m) => (m.get('Translate') ?? []).flatMap((o) => (o.kind === 'return' ? [{ resource: TRANSLATE, value: o.value }] : [])));
    expect(answers.map((a) => (a.value as { SourceLanguageCode?: unknown }).SourceLanguageCode)).toContain('fr');
    expect(refusals(answers)).toEqual([]);
  });

  it('answers no Task call of any run of verify with a value the model refuses', async () => {
    const { runner, answers } = recording(triage);
    await verifyMachine(runner, { routed: Property.leadsTo('Route', ['Escalate', 'Standard', 'Unheard of', 'No sentiment']) });
    expect(answers.length).toBeGreaterThan(0);
    expect(refusals(answers)).toEqual([]);
  });

  it('keeps a property every Comprehend answer keeps from VIOLATED: no run fails Detect on a Sentiment the model refuses', async () => {
    // The Task fails with States.Runtime only on an answer its model refuses (as a test's STRICT mock validation fails it):
    // no AWS run does. A boundary number written as text in Sentiment once made that run, and a counterexample of it.
    const report = await Workflow.fromDefinition(triage).verify({ noRuntime: (run) => run.error !== 'States.Runtime' });
    const v = report.properties.noRuntime;
    expect({ verdict: v.verdict, counterexample: v.counterexample }).toEqual({ verdict: expect.stringMatching(/^(HOLDS|UNKNOWN)$/), counterexample: undefined });
  });

  it('keeps a path property no Comprehend answer breaks from VIOLATED: no run enters the branch of a sentiment it never gives', async () => {
    const report = await Workflow.fromDefinition(triage).verify({ neverUnheard: Property.never('Unheard of') });
    const v = report.properties.neverUnheard;
    expect({ verdict: v.verdict, counterexample: v.counterexample }).toEqual({ verdict: expect.stringMatching(/^(HOLDS|UNKNOWN)$/), counterexample: undefined });
  });

  it('still finds the escalation, with a counterexample whose Sentiment Comprehend gives', async () => {
    const report = await Workflow.fromDefinition(triage).verify({ neverEscalated: Property.never('Escalate') });
    const v = report.properties.neverEscalated;
    expect(v.verdict).toBe('VIOLATED');
    const answer = (v.counterexample?.mocks.Detect as { Return?: JsonValue } | undefined)?.Return;
    expect({ sentiment: (answer as { Sentiment?: unknown }).Sentiment, refused: checkAnswer(DETECT, answer ?? null, 'PRESENT') })
      .toEqual({ sentiment: 'NEGATIVE', refused: [] });
  });
});

describe('a JSONata read mapped over an answer\'s array is placed as the model types its items', () => {
  const QUERY = 'arn:aws:states:::aws-sdk:dynamodb:query';
  /**
   * A DynamoDB query's items read with no index (`Items.count.N`: JSONata maps the step over the
   * list), an `N` being a number written as text (the AttributeValue model types it a string:
   * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html).
   */
  const stock = {
    QueryLanguage: 'JSONata',
    StartAt: 'Count',
    States: {
      'Count': {
        Type: 'Task',
        Resource: QUERY,
        Arguments: { TableName: 'stock', KeyConditionExpression: 'sku = :s', ExpressionAttributeValues: { ':s': { S: 'a' } } },
        Assign: { count: '{% $states.result.Items.count.N %}' },
        Next: 'Restock?',
      },
      'Restock?': { Type: 'Choice', Choices: [{ Condition: '{% $number($count) < 3 %}', Next: 'Restock' }], Default: 'Done' },
      'Restock': { Type: 'Succeed' },
      'Done': { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;

  it('places a DynamoDB N read through Items with no index as text, in each item', () => {
    const base = new Map([['Count', [{ kind: 'return', value: { Items: [{ sku: { S: 'a' } }], Count: 1, ScannedCount: 1 } } as Outcome]]]);
    const made = boundaryShapes(stock, [], base);
    const counts = made.map((m) => {
      const o = m.get('Count')?.[0];
      return o?.kind === 'return' ? (o.value as { Items?: unknown }).Items : undefined;
    });
    expect(counts).toContainEqual([{ sku: { S: 'a' }, count: { N: '2' } }]);
    expect(refusals(made.flatMap((m) => (m.get('Count') ?? []).flatMap((o) => (o.kind === 'return' ? [{ resource: QUERY, value: o.value }] : []))))).toEqual([]);
  });

  it('makes no run fail Count on an Items the model refuses: a property only such a run breaks is not VIOLATED', async () => {
    // A number placed at Items.count.N as a field of Items made Items an object, which the model refuses (a list), and the
    // Task failed with States.Runtime on it, as a test's STRICT mock validation fails it: no AWS run does.
    const report = await Workflow.fromDefinition(stock).verify({ noRuntime: (run) => run.error !== 'States.Runtime' });
    const v = report.properties.noRuntime;
    expect({ verdict: v.verdict, counterexample: v.counterexample }).toEqual({ verdict: expect.stringMatching(/^(HOLDS|UNKNOWN)$/), counterexample: undefined });
  });

  it('finds the restock with a counterexample whose N is text in an item of Items', async () => {
    const report = await Workflow.fromDefinition(stock).verify({ neverRestocked: Property.never('Restock') });
    const v = report.properties.neverRestocked;
    const answer = (v.counterexample?.mocks.Count as { Return?: JsonValue } | undefined)?.Return ?? null;
    expect({ verdict: v.verdict, refused: checkAnswer(QUERY, answer, 'PRESENT') }).toEqual({ verdict: 'VIOLATED', refused: [] });
    const items = (answer as { Items?: Array<{ count?: { N?: unknown } }> }).Items ?? [];
    expect(items.map((i) => typeof i.count?.N)).toContain('string');
  });
});
