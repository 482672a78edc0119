import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { machineTexts } from '../../src/explore/verify-texts';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';

/*
 * A run predicate may ask about a text the machine's Choice rules do not name: the author wrote
 * the rule with another constant (a typo), or the value compared is looked up from a text. explore
 * brings each rule to true and to false with the texts the rule names, so it never makes the one
 * the predicate needs. verify now also tries the texts the machine writes (its rules, Assigns,
 * Results, Arguments, the keys of a lookup table) at each text of the inputs and answers, and the
 * values a service's model lists for an answer's field (Athena's QueryExecutionState).
 */

stopExploreClock();

type Run = Awaited<ReturnType<Workflow['run']>>;

/** Polls an Athena query once; the Choice's rule for a finished query has a typo, so it gives up on one. */
const QUERY = {
  QueryLanguage: 'JSONata',
  StartAt: 'Get query state',
  States: {
    'Get query state': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:athena:getQueryExecution',
      Arguments: { QueryExecutionId: '{% $states.input.id %}' },
      Next: 'Done?',
    },
    'Done?': {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $states.input.QueryExecution.Status.State = "SUCCEDED" %}', Next: 'Get results' },
        { Condition: '{% $states.input.QueryExecution.Status.State in ["FAILED", "CANCELLED"] %}', Next: 'Query failed' },
      ],
      Default: 'Gave up',
    },
    'Get results': { Type: 'Succeed' },
    'Query failed': { Type: 'Fail', Error: 'Query.Failed' },
    'Gave up': { Type: 'Fail', Error: 'Query.NotDone' },
  },
} as unknown as StateMachineDefinition;

/** Every query Athena says SUCCEEDED has its results read. */
const resultsRead = (run: Run): boolean =>
  !run.attempts('Get query state').some((a) => (a.output as { QueryExecution?: { Status?: { State?: string } } } | undefined)?.QueryExecution?.Status?.State === 'SUCCEEDED')
  || run.visited('Get results');

/** Routes a payment by a lookup table of countries; the rule for Stripe has a stray space. */
const ROUTING = {
  QueryLanguage: 'JSONata',
  StartAt: 'Providers',
  States: {
    'Providers': { Type: 'Pass', Assign: { providers: { US: 'stripe', CA: 'stripe', DE: 'adyen' } }, Next: 'Pick provider' },
    'Pick provider': { Type: 'Pass', Assign: { provider: '{% $lookup($providers, $states.input.country) %}' }, Next: 'Which provider?' },
    'Which provider?': {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $provider = "stripe " %}', Next: 'Charge with Stripe' },
        { Condition: '{% $provider = "adyen" %}', Next: 'Charge with Adyen' },
      ],
      Default: 'No provider',
    },
    'Charge with Stripe': { Type: 'Succeed' },
    'Charge with Adyen': { Type: 'Succeed' },
    'No provider': { Type: 'Fail', Error: 'Payment.NoProvider' },
  },
} as unknown as StateMachineDefinition;

describe('texts the machine writes, and the values a service lists, tried by verify', () => {
  it('reads the texts of the rules, the Assigns and a lookup table\'s keys, and the lengths a rule compares', () => {
    const texts = machineTexts(ROUTING);
    expect(texts).toEqual(expect.arrayContaining(['stripe ', 'adyen', 'US', 'CA', 'DE', 'stripe']));
    const sized = machineTexts({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Condition: '{% $length($states.input.note) > 3 %}', Next: 'D' }], Default: 'D' }, D: { Type: 'Succeed' } } } as unknown as StateMachineDefinition);
    expect(sized).toEqual(['aa', 'aaa', 'aaaa']);
  });

  it('finds the query that SUCCEEDED and is given up on, from the values Athena lists for its State', async () => {
    const wf = Workflow.fromDefinition(QUERY);
    const report = await wf.verify({ resultsRead: Property.run(resultsRead) });
    const v = report.properties.resultsRead;
    expect(v.verdict).toBe('VIOLATED');
    expect(v.counterexample!.mocks['Get query state']).toMatchObject({ Return: { QueryExecution: { Status: { State: 'SUCCEEDED' } } } });
    const again = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'query') });
    expect({ ok: resultsRead(again), error: again.error }).toEqual({ ok: false, error: 'Query.NotDone' });
  });

  it('finds the country the lookup table sends to Stripe, which the rule with a stray space misses', async () => {
    const wf = Workflow.fromDefinition(ROUTING);
    const usCharged = (run: Run): boolean => (run.inputOf('Pick provider') as { country?: unknown } | null)?.country !== 'US' || run.visited('Charge with Stripe');
    const report = await wf.verify({ usCharged: Property.run(usCharged) });
    const v = report.properties.usCharged;
    expect(v.verdict).toBe('VIOLATED');
    expect(v.counterexample!.input).toMatchObject({ country: 'US' });
    const again = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'routing') });
    expect({ ok: usCharged(again), error: again.error }).toEqual({ ok: false, error: 'Payment.NoProvider' });
  });
});
